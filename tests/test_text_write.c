// SPDX-License-Identifier: GPL-2.0
/*
 * How code is written, checked as a protocol, since x86 and qemu run
 * correctly without it and only real arm64 cores would fail:
 * - every instruction write is followed at once by the cache
 *   maintenance of exactly the bytes written (tb_image_sync_text());
 * - that function really does the maintenance (arm64: the code the
 *   compiler emits for __builtin___clear_cache is in it);
 * - x86 writes follow the int3 protocol (int3 over the first byte, the
 *   rest, the first byte), arm64 writes are single aligned words;
 * - x86: a 64-bit literal changes in one store (single-stepped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "static_call.h"
#include "tb_test.h"

#define MAX_OPS 4096

struct op {
	enum tb_text_op op;
	const uint8_t *addr;
	size_t len;
	uint8_t bytes[8];
};

static struct op ops[MAX_OPS];
static unsigned int nops;
static bool overflow;

static void trace(enum tb_text_op op, const void *addr, size_t len,
		  const void *bytes)
{
	if (nops == MAX_OPS) {
		overflow = true;
		return;
	}
	ops[nops] = (struct op){ .op = op, .addr = addr, .len = len };
	if (bytes)
		memcpy(ops[nops].bytes, bytes, len < 8 ? len : 8);
	nops++;
}

static bool is_x86(void)
{
	return !strcmp(tb_arch_name, "x86");
}

/*
 * The writes of one instruction update at @site: x86's int3 protocol,
 * or one aligned 32-bit word on arm64.  Returns the ops consumed.
 */
static unsigned int check_insn_write(const struct op *o, unsigned int n)
{
	if (!is_x86()) {
		assert_int_equal(o[0].len, 4);
		assert_int_equal((uintptr_t)o[0].addr & 3, 0);
		return 1;
	}
	/* int3 first, alone, on the first byte */
	assert_int_equal(o[0].len, 1);
	assert_int_equal(o[0].bytes[0], 0xcc);
	/* then the tail, then the first byte: 2 writes (or 1, 1-byte insn) */
	assert_true(n >= 2);
	if (o[1].addr == o[0].addr + 1) {
		assert_true(n >= 3);
		assert_int_equal(o[2].addr, o[0].addr);
		assert_int_equal(o[2].len, 1);
		assert_int_not_equal(o[2].bytes[0], 0xcc);
		return 3;
	}
	assert_int_equal(o[1].addr, o[0].addr);
	assert_int_equal(o[1].len, 1);
	return 2;
}

/* Every write followed by the maintenance of exactly its bytes. */
static unsigned int check_trace(void)
{
	struct op w[MAX_OPS];
	unsigned int nw = 0;

	assert_false(overflow);
	for (unsigned int i = 0; i < nops; i++) {
		if (ops[i].op == TB_TEXT_SYNC)
			fail_msg("maintenance of %zu bytes at %p without a write",
				 ops[i].len, (void *)ops[i].addr);
		assert_true(i + 1 < nops);
		assert_int_equal(ops[i + 1].op, TB_TEXT_SYNC);
		assert_ptr_equal(ops[i + 1].addr, ops[i].addr);
		assert_int_equal(ops[i + 1].len, ops[i].len);
		w[nw++] = ops[i++];
	}
	for (unsigned int i = 0; i < nw;)
		i += check_insn_write(&w[i], nw - i);
	return nw;
}

/* Every instance and key through a few updates, every write traced. */
static void test_write_protocol(void **state)
{
	unsigned int n, writes = 0, updates = 0;
	struct tb_instance *in = tb_instances(&n);
	const void *seq[] = { tb_target(1), NULL, tb_target(2), tb_ret0(),
			      tb_target(0) };

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int k = 0; k < in[i].nkeys; k++) {
			struct tb_static_call *sc = &in[i].keys[k];

			if (sc->bench)
				continue;
			for (size_t s = 0; s < sizeof(seq) / sizeof(*seq);
			     s++) {
				nops = 0;
				overflow = false;
				tb_text_trace = trace;
				assert_int_equal(
					tb_static_call_update(sc, seq[s]), 0);
				tb_text_trace = NULL;
				writes += check_trace();
				updates++;
			}
		}
	}
	print_message("%u updates, %u instruction writes, each followed by the maintenance of its bytes\n",
		      updates, writes);
	assert_true(writes > 0);
}

/* The maintenance function's own ranges: exactly what it is given. */
static void test_sync_range(void **state)
{
	uint8_t *p = (uint8_t *)tb_target(0);

	(void)state;
	nops = 0;
	overflow = false;
	tb_text_trace = trace;
	tb_image_sync_text(p + 3, 5);
	tb_text_trace = NULL;
	assert_int_equal(nops, 1);
	assert_int_equal(ops[0].op, TB_TEXT_SYNC);
	assert_ptr_equal(ops[0].addr, p + 3);
	assert_int_equal(ops[0].len, 5);
}

/* What __builtin___clear_cache compiles to here, for comparison. */
static __attribute__((noinline)) void reference_sync(char *a, char *b)
{
	__builtin___clear_cache(a, b);
}

#if defined(__aarch64__)
/*
 * The first branch to a function (B or BL, taken as a tail call too) in
 * the first 64 words of @fn, or NULL; *ic set if an IC IVAU is seen.
 */
static const void *callee(const void *fn, bool *ic)
{
	const uint32_t *w = fn;

	*ic = false;
	for (int i = 0; i < 64; i++) {
		if ((w[i] & 0xffffffe0) == 0xd50b7520) /* ic ivau, xN */
			*ic = true;
		if ((w[i] & 0x7c000000) == 0x14000000) /* b, bl imm26 */
			return (const uint8_t *)&w[i] +
			       ((int32_t)(w[i] << 6) >> 4);
		if (w[i] == 0xd65f03c0) /* ret */
			break;
	}
	return NULL;
}
#endif

/*
 * The maintenance is really done: tb_image_sync_text() contains what
 * the compiler makes of __builtin___clear_cache (libgcc's
 * __aarch64_sync_cache_range, compiler-rt's __clear_cache, or inline
 * DC/IC instructions).  On x86 the builtin emits nothing to look for.
 */
static void test_sync_does_maintenance(void **state)
{
	(void)state;
	reference_sync(NULL, NULL);
#if defined(__aarch64__)
	bool ref_ic, ic;
	const void *want = callee((const void *)reference_sync, &ref_ic);
	const void *got = callee((const void *)tb_image_sync_text, &ic);

	print_message("__builtin___clear_cache: %s %p; tb_image_sync_text: %p%s\n",
		      ref_ic ? "inline ic ivau," : "call", want, got,
		      ic ? ", ic ivau" : "");
	assert_true(want || ref_ic);
	if (want)
		assert_ptr_equal(got, want);
	else
		assert_true(ic);
#else
	print_message("skip: __builtin___clear_cache emits no code on %s\n",
		      tb_arch_name);
	skip();
#endif
}

#if defined(__x86_64__)
static volatile uint64_t *step_lit;
static uint64_t step_old, step_new;
static volatile unsigned long steps, torn;

static void on_step(int sig, siginfo_t *si, void *ctx)
{
	uint64_t v = *step_lit;

	(void)sig;
	(void)si;
	(void)ctx;
	steps++;
	if (v != step_old && v != step_new)
		torn++;
}

static inline void trap_flag(bool on)
{
	if (on)
		asm volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory",
			     "cc");
	else
		asm volatile("pushfq; andq $~0x100, (%%rsp); popfq" ::: "memory",
			     "cc");
}
#endif

/*
 * A literal update is one 64-bit store: single-stepped, the literal
 * never holds a mix of the old and the new pointer.  (A racing CPU would
 * call through such a mix; the stress test also places targets so that
 * one points nowhere valid.)  x86 only: arm64 runs under qemu here.
 */
static void test_literal_single_store(void **state)
{
	(void)state;
#if defined(__x86_64__)
	char err[256];
	struct tb_static_call *sc = tb_key(
		tb_instance_find("cbz", err, sizeof(err)), TB_INIT_TARGET,
		false);
	struct tb_image *img = tb_image_current();
	struct sigaction sa = { 0 }, old;
	/* near and far: they differ in the upper and the lower half */
	const void *to[] = { tb_image_far(img, tb_target(1)), tb_target(2),
			     tb_image_far(img, tb_target(3)) };

	const char *run = getenv("RUN");

	if (run && *run) {
		/* qemu-x86_64 on an arm64 host: its trap flag is not a CPU's */
		print_message("skip: single-stepping natively only, not under %s\n",
			      run);
		skip();
	}
	assert_non_null(sc);
	assert_int_equal(tb_static_call_update(sc, tb_target(0)), 0);
	sa.sa_sigaction = on_step;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGTRAP, &sa, &old), 0);
	step_lit = sc->lit;
	for (size_t i = 0; i < sizeof(to) / sizeof(*to); i++) {
		step_old = *sc->lit;
		step_new = (uintptr_t)to[i];
		assert_true((step_old >> 32) != (step_new >> 32));
		trap_flag(true);
		tb_image_write_u64(img, sc->lit, step_new);
		trap_flag(false);
		assert_int_equal(*sc->lit, step_new);
	}
	assert_int_equal(sigaction(SIGTRAP, &old, NULL), 0);
	print_message("%lu single steps over 3 literal stores, %lu torn states\n",
		      steps, torn);
	assert_true(steps > 3);
	assert_int_equal(torn, 0);
#else
	print_message("skip: single-stepping is x86-only here\n");
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_protocol),
		cmocka_unit_test(test_sync_range),
		cmocka_unit_test(test_sync_does_maintenance),
		cmocka_unit_test(test_literal_single_store),
	};

	return cmocka_run_group_tests_name("text_write", tests, tb_test_setup,
					   tb_test_teardown);
}
