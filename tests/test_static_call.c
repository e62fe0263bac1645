// SPDX-License-Identifier: GPL-2.0
/*
 * Every variant instance (every knob combination) x {target, NULL
 * through a conditional call, RET0}: the right function runs, arguments
 * and return value arrive intact, updates switch targets both ways and
 * repeatedly.  Plus: direct's far-target literal path, kCFI traps, the
 * landing-pad knob, spec errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "static_call.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tb_test.h"

static struct tb_image *img;

static int setup(void **state)
{
	(void)state;
	if (tb_static_calls_init())
		return -1;
	img = tb_image_current();
	print_message("patch mode: %s, BTI-guarded text: %s\n",
		      tb_patch_mode_name(img->mode), img->bti ? "yes" : "no");
	return 0;
}

/* Call sc (and its conditional site) and check target i ran once each. */
static void expect_target(struct tb_static_call *sc, unsigned int i)
{
	uint64_t before = tb_target_hits(i);
	long want = tb_target_expect(i, A);

	assert_int_equal(tb_static_call(sc, A), want);
	assert_int_equal(tb_static_call_cond(sc, A), want);
	assert_int_equal(tb_target_hits(i) - before, 2);
}

static uint64_t all_hits(void)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i <= tb_ntargets(); i++)
		n += tb_target_hits(i);
	return n;
}

/* NULL: a conditional call runs nothing; what x0/%rax holds is unused. */
static void expect_null(struct tb_static_call *sc)
{
	uint64_t before = all_hits();
	long r = tb_static_call_cond(sc, A);

	assert_true(r == 0x11 || r == 0);
	assert_int_equal(all_hits(), before);
}

static void expect_ret0(struct tb_static_call *sc)
{
	uint64_t before = all_hits();


	assert_int_equal(tb_static_call(sc, A), 0);
	assert_int_equal(tb_static_call_cond(sc, A), 0);
	assert_int_equal(all_hits(), before);
}

static void cond_a(void *sc)
{
	tb_static_call_cond(sc, A);
}

/* kCFI: the call dies of its trap, in a child. */
static void expect_trap(struct tb_static_call *sc)
{
	int sig = tb_trap_child(cond_a, sc);

	assert_true(sig == SIGILL || sig == SIGTRAP);
}

/*
 * Where a patched branch at @at goes, decoded here (not by the encoders
 * under test): x86 call/jmp rel32 from the next instruction, arm64 B/BL
 * imm26 from itself; NULL if @at holds no such branch.
 */
static const void *branch_dest(const void *at)
{
	const uint8_t *p = at;

	if (!strcmp(tb_arch_name, "x86")) {
		int32_t rel;

		if (p[0] != 0xe8 && p[0] != 0xe9)
			return NULL;
		memcpy(&rel, p + 1, 4);
		return p + 5 + rel;
	} else {
		uint32_t insn;

		memcpy(&insn, p, 4);
		if ((insn & 0x7c000000) != 0x14000000)
			return NULL;
		return p + ((int32_t)(insn << 6) >> 4);
	}
}

/*
 * A patched branch to a function lands on its entry: a call that lands
 * a few bytes off may still run the target harmlessly and count its
 * hit, so the hit counter alone does not show it.
 */
static void expect_entry(struct tb_static_call *sc, const void *func)
{
	const void *d;

	if (sc->slot && (d = branch_dest(sc->slot)))
		assert_ptr_equal(d, func);
	for (unsigned int i = 0; i < sc->nsites; i++) {
		d = branch_dest(tb_rel(&sc->sites[i]));
		assert_ptr_equal(d, func);
	}
	if (sc->lit && !sc->nsites && (!sc->slot || !branch_dest(sc->slot)))
		assert_ptr_equal((const void *)(uintptr_t)*sc->lit, func);
}

static void expect_state(struct tb_static_call *sc, const void *func)
{
	if (tb_static_call_traps(sc, func))
		return expect_trap(sc);
	for (unsigned int i = 0; i < tb_ntargets(); i++)
		if (func == tb_target(i) ||
		    (img && func == tb_image_far(img, tb_target(i)))) {
			expect_entry(sc, func);
			return expect_target(sc, i);
		}
	if (func == tb_bench_target()) {
		/* It only returns: no hits, any value (cbz's %rax scratch). */
		uint64_t before = all_hits();

		tb_static_call(sc, A);
		tb_static_call_cond(sc, A);
		assert_int_equal(all_hits(), before);
	} else if (!func) {
		expect_null(sc);
	} else {
		expect_ret0(sc);
	}
}

/* The state each key was assembled with, before any update. */
static void test_initial_states(void **state)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	assert_true(n > 0);
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int k = 0; k < in[i].nkeys; k++)
			if (!in[i].keys[k].bench)
				expect_state(&in[i].keys[k],
					     in[i].keys[k].func);
}

static void test_updates(void **state)
{
	unsigned int n, checked = 0;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int k = 0; k < in[i].nkeys; k++) {
			struct tb_static_call *sc = &in[i].keys[k];
			const void *seq[] = {
				tb_target(1), tb_target(2), tb_target(1),
				NULL,	      tb_target(3), tb_ret0(),
				tb_target(0), NULL,	    tb_ret0(),
				NULL,	      tb_target(2), tb_target(0),
			};

			if (sc->bench)
				continue;
			for (unsigned int r = 0; r < 3; r++) {
				for (size_t s = 0; s < sizeof(seq) / sizeof(*seq);
				     s++) {
					assert_int_equal(
						tb_static_call_update(sc, seq[s]),
						0);
					expect_state(sc, seq[s]);
				}
			}
			checked++;
		}
		print_message("ok %s\n", in[i].name);
	}
	print_message("%u static calls updated through 36 transitions each\n",
		      checked);
}

/*
 * direct (arm64 v6): a target beyond B range is reached through the
 * literal with the slot a nop; a near one through `b`.
 */
static void test_direct_far_target(void **state)
{
	char err[256];
	struct tb_instance *inst = tb_instance_find("direct", err, sizeof(err));
	struct tb_static_call *sc;
	const void *far = tb_image_far(img, tb_target(1));
	uint32_t insn;

	(void)state;
	if (!inst) {
		print_message("skip: no direct variant on %s\n", tb_arch_name);
		skip();
	}
	sc = tb_key(inst, TB_INIT_TARGET, false);
	assert_false(tb_arch_in_branch_range(sc->slot, far));
	assert_int_equal(tb_target_kind(sc, far), TB_KIND_FAR);

	assert_int_equal(tb_static_call_update(sc, far), 0);
	memcpy(&insn, sc->slot, 4);
	assert_int_equal(insn, 0xd503201f); /* nop: literal path */
	assert_ptr_equal((void *)(uintptr_t)*sc->lit, far);
	expect_target(sc, 1);
	print_message("far target %p (%+ld MiB from the slot): slot nop, literal path taken\n",
		      far, ((long)far - (long)sc->slot) >> 20);

	assert_int_equal(tb_static_call_update(sc, tb_target(2)), 0);
	memcpy(&insn, sc->slot, 4);
	assert_int_equal(insn & 0xfc000000, 0x14000000); /* b */
	assert_int_equal((intptr_t)sc->slot + ((int32_t)(insn << 6) >> 4),
			 (intptr_t)tb_target(2));
	expect_target(sc, 2);

	/* NULL writes ret; RET0 branches to __static_call_return0. */
	assert_int_equal(tb_static_call_update(sc, NULL), 0);
	memcpy(&insn, sc->slot, 4);
	assert_int_equal(insn, 0xd65f03c0);
	expect_null(sc);
	assert_int_equal(tb_static_call_update(sc, tb_ret0()), 0);
	expect_ret0(sc);
}

/*
 * A target TB_FAR_DISTANCE away: the literal designs reach it as any
 * address; inline refuses it (beyond B and rel32 range) without patching
 * anything.
 */
static void test_far_targets(void **state)
{
	char err[256];
	const void *far = tb_image_far(img, tb_target(1));
	struct tb_static_call *sc;
	const char *literal[] = { "cbz", "tail", "indirect" };

	(void)state;
	for (size_t i = 0; i < sizeof(literal) / sizeof(*literal); i++) {
		sc = tb_key(tb_instance_find(literal[i], err, sizeof(err)),
			    TB_INIT_TARGET, false);
		assert_int_equal(tb_static_call_update(sc, far), 0);
		expect_target(sc, 1);
	}
	sc = tb_key(tb_instance_find("inline", err, sizeof(err)),
		    TB_INIT_TARGET, false);
	assert_int_equal(tb_static_call_update(sc, tb_target(0)), 0);
	if (tb_arch_in_branch_range(tb_rel(&sc->sites[0]), far)) {
		assert_int_equal(tb_static_call_update(sc, far), 0);
		expect_target(sc, 1);
	} else {
		assert_int_equal(tb_static_call_update(sc, far), -ERANGE);
		expect_target(sc, 0);
	}
}

/*
 * kCFI: the checked site traps (arm64 brk, x86 ud2) on a target whose
 * type id differs; the unchecked one calls it.
 */
static void test_kcfi(void **state)
{
	char err[256];
	struct tb_static_call *on = tb_key(
		tb_instance_find("indirect:kcfi=on", err, sizeof(err)),
		TB_INIT_TARGET, false);
	struct tb_static_call *off = tb_key(
		tb_instance_find("indirect:kcfi=off", err, sizeof(err)),
		TB_INIT_TARGET, false);
	int want = strcmp(tb_arch_name, "arm64") ? SIGILL : SIGTRAP;
	unsigned int bad = tb_ntargets();

	(void)state;
	assert_int_equal(tb_static_call_update(on, tb_badtype_target()), 0);
	assert_int_equal(tb_child_signal(on->call), want);
	assert_int_equal(tb_static_call_update(off, tb_badtype_target()), 0);
	assert_int_equal(tb_static_call(off, A), tb_target_expect(bad, A));
	/* Matching ids pass. */
	assert_int_equal(tb_static_call_update(on, tb_target(3)), 0);
	expect_target(on, 3);
	print_message("kcfi=on traps with %s on a mismatched type id\n",
		      strsignal(want));
}

/* The pad knob puts bti c / endbr64 at the entry, and only then. */
static void test_landing_pad_knob(void **state)
{
	static const uint8_t bti_c[] = { 0x5f, 0x24, 0x03, 0xd5 };
	static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	const uint8_t *pad = strcmp(tb_arch_name, "arm64") ? endbr64 : bti_c;
	unsigned int n, seen = 0;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		const char *knob = tb_knob(&in[i], "pad");

		if (!knob)
			continue;
		for (unsigned int k = 0; k < in[i].nkeys; k++) {
			bool has = !memcmp(in[i].keys[k].tramp, pad, 4);

			assert_int_equal(has, !strcmp(knob, "on"));
			seen++;
		}
	}
	assert_true(seen > 0);
}

/* Alignment knob: the trampoline entry (direct: its literal) is aligned. */
static void test_alignment_knob(void **state)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		const char *a = tb_knob(&in[i], "align");

		if (!a)
			continue;
		for (unsigned int k = 0; k < in[i].nkeys; k++) {
			uintptr_t at = (uintptr_t)in[i].keys[k].tramp;

			if (in[i].keys[k].slot && !strcmp(in[i].variant, "direct"))
				at = (uintptr_t)in[i].keys[k].lit;
			assert_int_equal(at % strtoul(a, NULL, 10), 0);
		}
	}
}

static void expect_error(const char *spec, const char *needle)
{
	char err[256] = "";

	assert_null(tb_instance_find(spec, err, sizeof(err)));
	print_message("%-22s -> %s\n", spec, err);
	assert_non_null(strstr(err, needle));
}

static void test_bad_specs(void **state)
{
	char err[256];
	struct tb_instance *i;

	(void)state;
	expect_error("nosuch", "unknown variant 'nosuch'");
	expect_error("nosuch", "valid: ");
	expect_error("cbz:colour=red", "unknown knob 'colour'");
	expect_error("cbz:align=7", "bad value '7' for knob 'align'");
	expect_error("cbz:align=7", "8, 16, 32, 64");
	expect_error("cbz:align", "bad knob list");
	expect_error("inline:pad=on", "valid: none");
	expect_error("cbz:align=16,align=8", "knob 'align' given twice");
	i = tb_instance_find("tail:null=nop,align=64", err, sizeof(err));
	assert_non_null(i);
	assert_string_equal(i->name, "tail:pad=on,align=64,lit=rodata,null=nop");
	i = tb_instance_find("cbz", err, sizeof(err));
	assert_non_null(i);
	assert_true(i->is_default);
}

/*
 * The baseline is one instance, the v7 patch's cbz as posted: what
 * "cbz" names, and what summary.txt's "vs cbz" is taken against.
 */
static void test_baseline(void **state)
{
	char err[256];
	unsigned int n, marked = 0;
	struct tb_instance *in = tb_instances(&n), *b = tb_baseline_instance();

	(void)state;
	for (unsigned int i = 0; i < n; i++)
		marked += in[i].is_baseline;
	assert_int_equal(marked, 1);
	assert_non_null(b);
	assert_true(b->is_baseline && b->is_default);
	assert_string_equal(b->name, "cbz:pad=on,align=8,lit=rodata");
	assert_ptr_equal(b, tb_instance_find("cbz", err, sizeof(err)));
	assert_ptr_equal(b, tb_instance_posted("cbz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_states),
		cmocka_unit_test(test_updates),
		cmocka_unit_test(test_direct_far_target),
		cmocka_unit_test(test_far_targets),
		cmocka_unit_test(test_kcfi),
		cmocka_unit_test(test_landing_pad_knob),
		cmocka_unit_test(test_alignment_knob),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_baseline),
	};

	return cmocka_run_group_tests_name("static_call", tests, setup,
					   tb_test_teardown);
}
