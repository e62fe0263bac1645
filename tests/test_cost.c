// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model against the code as it really runs.  For every instance
 * the rows are: both bench keys' (throughput, latency) loop1(1, 0) and
 * loop2(1, 0) at site shift 0 (tb_call_cost()); and the scenario key's
 * loops in the states the scenarios put it in (tb_path_cost()): the
 * "cond" shape pointed at NULL, the "call" shape at RET0, and at the far
 * copy of the bench target (a rel32 call on x86, the literal path on
 * arm64; no row where the update refuses, as for arm64 inline).  A state
 * under which the kernel would trap (kCFI, tb_static_call_traps()) has
 * no row.  Each loop is executed one instruction at a time and the
 * instructions and branches inside the image (both executable mappings)
 * are counted.  Per call, (loop2 - loop1) / unroll must equal the model
 * exactly: the loops' prologue and tail cancel out.  The tracer also
 * counts entries into the image's functions (the bench and latency
 * targets, __static_call_return0, __static_call_nop, the far target):
 * every call must enter the one its state means, or none (each design's
 * NULL path, inline RET0), and no other.  The cold samples too: the call
 * stub against its control (one call, the control's nops where the call
 * is: the path's model less those nops), and the second control against
 * the first (nothing at all).
 *
 * Natively the loops run in a child that a ptrace parent single-steps.
 * qemu-user has no ptrace: there, with TB_COST_TRACE set, this program
 * only prints what tests/test_cost.sh needs and runs the same loops,
 * which the script counts in qemu's one-instruction-per-block exec log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "cold.h"
#include "tb_test.h"

/* The image functions whose entries are counted. */
enum watch { W_BENCH, W_LAT, W_RET0, W_NOP, W_FAR, NWATCH, W_NONE = -1 };

static const char *const watch_name[NWATCH] = {
	[W_BENCH] = "bench_target", [W_LAT] = "lat_target",
	[W_RET0] = "return0",	    [W_NOP] = "nop",
	[W_FAR] = "far_target",
};

static void watch_addrs(const struct tb_image *img, uintptr_t addr[NWATCH])
{
	addr[W_BENCH] = (uintptr_t)tb_bench_target();
	addr[W_LAT] = (uintptr_t)tb_lat_target();
	addr[W_RET0] = (uintptr_t)tb_ret0();
	addr[W_NOP] = (uintptr_t)tb_nop();
	addr[W_FAR] = (uintptr_t)tb_image_far(img, tb_bench_target());
}

/* What the child runs, and what the tracer counts, for one row. */
struct cost_row {
	const char *name;
	const char *mode; /* tput, lat (bench keys); null, ret0, far */
	tb_loop_fn loop[2];
	unsigned int unroll;
	struct tb_call_cost model;
	struct tb_static_call *sc; /* key set up for the row, or NULL */
	const void *state, *restore; /* what it points at, and after */
	int enters; /* enum watch: the function every call enters */
	uint64_t calls[2]; /* calls each loop makes: unroll, 2 * unroll */
	uint64_t insns[2], branches[2];
	uint64_t entries[2][NWATCH];
	uintptr_t first[2]; /* first image PC in each loop's segment */
};

/*
 * Called before each loop with the number of the segment that follows
 * (2i: loop1 of row i, 2i + 1: its loop2; 2n: the end).  The tracer
 * stops where it is entered; a call through a volatile pointer reaches
 * this very address, never an inlined or cloned copy.
 */
static __attribute__((noinline, used)) void tb_cost_mark(unsigned long segment)
{
	__asm__ volatile("" : : "r"(segment) : "memory");
}

static void (*volatile cost_mark)(unsigned long) = tb_cost_mark;

/*
 * Each row's loops between marks, its key set up before them and put
 * back after.  Returns 0, or the row + 1 whose update failed.
 */
static unsigned int run_loops(const struct cost_row *rows, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct cost_row *r = &rows[i];

		if (r->sc && tb_static_call_update(r->sc, r->state))
			return i + 1;
		cost_mark(2 * i);
		r->loop[0](1, 0);
		cost_mark(2 * i + 1);
		r->loop[1](1, 0);
		if (r->sc && tb_static_call_update(r->sc, r->restore))
			return i + 1;
	}
	cost_mark(2 * n);
	return 0;
}

/*
 * Which function a NULL static_call_cond() of inst enters: tail's
 * literal points at return0 or the nop (its null knob), indirect's
 * generic static_call_cond() calls the nop (null=nop); every other
 * design stops before any function: cbz taken, direct's slot `ret` or
 * literal 0, indirect null=test's site test, inline's nop, x86 jmp's
 * `ret`.
 */
static int null_enters(const struct tb_instance *inst)
{
	if (!strcmp(inst->variant, "tail"))
		return tb_knob_is(inst, "null", "nop") ? W_NOP : W_RET0;
	if (!strcmp(inst->variant, "indirect") &&
	    tb_knob_is(inst, "null", "nop"))
		return W_NOP;
	return W_NONE;
}

/* The scenario key's row in a state: NULL, RET0 or the far target. */
static bool state_row(struct cost_row *r, const struct tb_instance *inst,
		      const char *mode, const char **err)
{
	const struct tb_image *img = tb_image_current();
	bool null = !strcmp(mode, "null"), far = !strcmp(mode, "far");
	struct tb_static_call *sc = tb_scenario_key(inst);
	const void *state = tb_ret0();
	enum tb_target_kind kind = TB_KIND_RET0;
	/* RET0: return0, except inline's sites, which call nothing. */
	int enters = strcmp(inst->variant, "inline") ? W_RET0 : W_NONE;
	struct tb_shape sh;
	int e;

	*err = NULL;
	if (null) {
		state = NULL;
		kind = TB_KIND_NULL;
		enters = null_enters(inst);
	} else if (far) {
		state = tb_image_far(img, tb_bench_target());
		enters = W_FAR;
	}
	if (!sc || !tb_shape_find(inst, null ? "cond" : "call", "", &sh) ||
	    sh.sc != sc) {
		*err = "no scenario key with call and cond shapes";
		return false;
	}
	if (tb_static_call_traps(sc, state)) {
		printf("skip %s %s: traps under kCFI\n", inst->name, mode);
		return false;
	}
	if (far) {
		/* Refused (arm64 inline: out of BL range): no row. */
		e = tb_static_call_update(sc, state);
		if (e == -ERANGE) {
			printf("skip %s far: the update refuses (ERANGE)\n",
			       inst->name);
			return false;
		}
		if (e || tb_static_call_update(sc, tb_bench_target())) {
			*err = "cannot point the scenario key at the far target and back";
			return false;
		}
		kind = tb_target_kind(sc, state);
	}
	*r = (struct cost_row){
		.name = inst->name,
		.mode = mode,
		.loop = { sh.one, sh.two },
		.unroll = sh.items,
		.model = tb_path_cost(inst, kind),
		.sc = sc,
		.state = state,
		.restore = sc->func,
		.enters = enters,
		.calls = { sh.items, 2 * sh.items },
	};
	return true;
}

/*
 * The cold rows of the scenario key, pointed at the bench target: the
 * call stub against its control, whose site is nops (as many as
 * tb_cold_nops() counts there, which bench/case.c adds back), and the
 * second control against the first.  Each "loop" is one sample.
 */
static bool cold_rows(struct cost_row *r, const struct tb_instance *inst,
		      const char **err)
{
	struct tb_shape call, ctl;
	struct tb_call_cost model = tb_path_cost(inst, TB_KIND_NEAR);
	unsigned int nops;

	if (!tb_shape_find(inst, "cold", "", &call) ||
	    !tb_shape_find(inst, "cold", "control", &ctl) ||
	    call.one != ctl.one) {
		*err = "no cold shapes sharing one control";
		return false;
	}
	nops = tb_cold_nops((const char *)call.one +
				    ((uintptr_t)call.site1 - (uintptr_t)call.two),
			    64, NULL);
	if (!nops || nops > model.insns) {
		*err = "the control's site has no nops, or more than the call runs";
		return false;
	}
	model.insns -= nops;
	r[0] = (struct cost_row){
		.name = inst->name,
		.mode = "cold",
		.loop = { call.one, call.two },
		.unroll = 1,
		.model = model,
		.enters = W_BENCH,
		.calls = { 0, 1 },
	};
	r[1] = (struct cost_row){
		.name = inst->name,
		.mode = "ctl2",
		.loop = { ctl.one, ctl.two },
		.unroll = 1,
		.enters = W_NONE,
	};
	return true;
}

/*
 * Per instance: its two bench keys, then the NULL, RET0 and far rows of
 * its scenario key, those that exist.  *err names what is missing.
 */
static struct cost_row *collect_rows(unsigned int *nrows, const char **err)
{
	static const char *const states[] = { "null", "ret0", "far" };
	unsigned int n, nr = 0;
	struct tb_instance *in = tb_instances(&n);
	struct cost_row *rows = calloc(7 * n, sizeof(*rows));
	static char why[256];

	*err = NULL;
	for (unsigned int i = 0; rows && i < n; i++) {
		struct tb_instance *inst = &in[i];

		for (int lat = 0; lat < 2; lat++) {
			struct tb_static_call *sc = tb_bench_key(inst, lat);

			if (!sc || !sc->loop1 || !sc->loop2 || !sc->unroll) {
				snprintf(why, sizeof(why),
					 "%s: no bench key with loops",
					 inst->name);
				*err = why;
				goto out;
			}
			rows[nr++] = (struct cost_row){
				.name = inst->name,
				.mode = lat ? "lat" : "tput",
				.loop = { sc->loop1, sc->loop2 },
				.unroll = sc->unroll,
				.model = tb_call_cost(inst, lat),
				.enters = lat ? W_LAT : W_BENCH,
				.calls = { sc->unroll, 2 * sc->unroll },
			};
		}
		for (unsigned int s = 0; s < 3; s++) {
			const char *e;

			if (state_row(&rows[nr], inst, states[s], &e))
				nr++;
			else if (e) {
				snprintf(why, sizeof(why), "%s %s: %s",
					 inst->name, states[s], e);
				*err = why;
				goto out;
			}
		}
		if (!cold_rows(&rows[nr], inst, err)) {
			snprintf(why, sizeof(why), "%s cold: %s", inst->name,
				 *err);
			*err = why;
			goto out;
		}
		nr += 2;
	}
out:
	fflush(stdout);
	*nrows = nr;
	return rows;
}

/* Branch classes, by the encoding at a PC (see test_cost.sh for A64). */
#if defined(__x86_64__)
#define INSN_BYTES 16 /* more than any prefixes, opcode and ModRM */

static bool is_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: /* segment, notrack */
	case 0x64: case 0x65: case 0x66: case 0x67: /* segment, sizes */
	case 0xf0: case 0xf2: case 0xf3: /* lock, rep (endbr64 is f3 0f 1e) */
		return true;
	}
	return false;
}

static bool is_branch(const uint8_t *p)
{
	unsigned int i = 0;

	while (i < 8 && is_prefix(p[i]))
		i++;
	if ((p[i] & 0xf0) == 0x40) /* REX */
		i++;
	switch (p[i]) {
	case 0x70 ... 0x7f: /* jcc rel8 */
	case 0xc2: case 0xc3: /* ret */
	case 0xe0 ... 0xe3: /* loop, jrcxz */
	case 0xe8: case 0xe9: case 0xeb: /* call, jmp rel32, jmp rel8 */
		return true;
	case 0x0f:
		return p[i + 1] >= 0x80 && p[i + 1] <= 0x8f; /* jcc rel32 */
	case 0xff: /* /2 /3 call, /4 /5 jmp, indirect */
		return ((p[i + 1] >> 3) & 7) >= 2 && ((p[i + 1] >> 3) & 7) <= 5;
	}
	return false;
}

/* Where a non-branch may leave the PC: just past itself. */
static bool falls_through(uintptr_t from, uintptr_t to)
{
	return to > from && to <= from + 15;
}

#define REG_PC(r) ((r).rip)
#define REG_ARG0(r) ((r).rdi)
#elif defined(__aarch64__)
#define INSN_BYTES 4

static bool is_branch(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return (w & 0x7c000000) == 0x14000000 || /* b, bl */
	       (w & 0xff000010) == 0x54000000 || /* b.cond */
	       (w & 0x7e000000) == 0x34000000 || /* cbz, cbnz */
	       (w & 0x7e000000) == 0x36000000 || /* tbz, tbnz */
	       (w & 0xfffffc1f) == 0xd61f0000 || /* br */
	       (w & 0xfffffc1f) == 0xd63f0000 || /* blr */
	       (w & 0xfffffc1f) == 0xd65f0000;   /* ret */
}

static bool falls_through(uintptr_t from, uintptr_t to)
{
	return to == from + 4;
}

#define REG_PC(r) ((r).pc)
#define REG_ARG0(r) ((r).regs[0])
#else
#error "test_cost: no instruction classifier for this architecture"
#endif

/* The tracer's view of one child, and the first thing that went wrong. */
struct tracer {
	pid_t pid;
	const struct tb_image *img;
	struct cost_row *rows;
	unsigned int nrows;
	/*
	 * Per text byte: 0 unknown, 1 other, 2 branch.  Both mappings hold
	 * the same code; a row that patches it starts afresh.
	 */
	int8_t *cls;
	uintptr_t watch[NWATCH];
	long segment; /* -1 before the first mark, 2 * nrows after */
	uintptr_t prev;
	bool prev_branch, prev_in;
	char err[256];
};

static bool child_regs(struct tracer *t, struct user_regs_struct *r)
{
	struct iovec iov = { r, sizeof(*r) };

	if (ptrace(PTRACE_GETREGSET, t->pid, (void *)(long)NT_PRSTATUS, &iov)) {
		snprintf(t->err, sizeof(t->err), "PTRACE_GETREGSET: %s",
			 strerror(errno));
		return false;
	}
	return true;
}

/* Classify the instruction at pc, reading the child's memory once. */
static int classify(struct tracer *t, uintptr_t pc)
{
	const uint8_t *p = (const uint8_t *)pc;
	size_t off = p - (p >= t->img->far ? t->img->far : t->img->exec);
	uint8_t buf[INSN_BYTES + sizeof(long)];

	if (t->cls[off])
		return t->cls[off];
	for (size_t i = 0; i < INSN_BYTES; i += sizeof(long)) {
		long w;

		errno = 0;
		w = ptrace(PTRACE_PEEKTEXT, t->pid, (void *)(pc + i), NULL);
		if (errno) {
			snprintf(t->err, sizeof(t->err),
				 "PTRACE_PEEKTEXT at %#" PRIxPTR ": %s", pc + i,
				 strerror(errno));
			return 0;
		}
		memcpy(buf + i, &w, sizeof(w));
	}
	t->cls[off] = is_branch(buf) ? 2 : 1;
	return t->cls[off];
}

/* Image code: the text, in the near or the far mapping. */
static bool in_text(const struct tracer *t, uintptr_t pc)
{
	return tb_image_in_text(t->img, (const void *)pc);
}

/* The row starting at segment: forget patched code's classes. */
static void row_start(struct tracer *t, long segment)
{
	long i = segment / 2;

	if (segment % 2 || i >= (long)t->nrows)
		return;
	if (t->rows[i].sc || (i && t->rows[i - 1].sc))
		memset(t->cls, 0, t->img->text_size);
}

/* Account for the child stopped at pc; false on anything unexpected. */
static bool step(struct tracer *t, uintptr_t pc, unsigned long arg0)
{
	long seg = t->segment;
	bool in = in_text(t, pc);
	struct cost_row *r;
	int cls;

	/* Each image instruction that is not a branch runs into the next. */
	if (t->prev_in && !t->prev_branch && !falls_through(t->prev, pc)) {
		snprintf(t->err, sizeof(t->err),
			 "%#" PRIxPTR " (not a branch) went on at %#" PRIxPTR
			 ": a branch the classifier missed?",
			 t->prev, pc);
		return false;
	}
	t->prev = pc;
	t->prev_in = in;
	t->prev_branch = false;
	if (pc == (uintptr_t)tb_cost_mark) {
		if (arg0 != (unsigned long)seg + 1) {
			snprintf(t->err, sizeof(t->err),
				 "mark %lu after segment %ld", arg0, seg);
			return false;
		}
		t->segment = arg0;
		row_start(t, t->segment);
		return true;
	}
	if (!in)
		return true;
	if (seg < 0 || seg >= 2 * (long)t->nrows) {
		snprintf(t->err, sizeof(t->err),
			 "image code ran outside the loops, at %#" PRIxPTR, pc);
		return false;
	}
	cls = classify(t, pc);
	if (!cls)
		return false;
	r = &t->rows[seg / 2];
	if (!r->insns[seg % 2])
		r->first[seg % 2] = pc;
	r->insns[seg % 2]++;
	r->branches[seg % 2] += cls == 2;
	for (int w = 0; w < NWATCH; w++)
		r->entries[seg % 2][w] += pc == t->watch[w];
	t->prev_branch = cls == 2;
	return true;
}

/* Single-step the stopped child to its end. */
static void trace_child(struct tracer *t)
{
	int status;

	if (ptrace(PTRACE_SETOPTIONS, t->pid, NULL,
		   (void *)(long)PTRACE_O_EXITKILL)) {
		snprintf(t->err, sizeof(t->err), "PTRACE_SETOPTIONS: %s",
			 strerror(errno));
		return;
	}
	for (;;) {
		struct user_regs_struct r;

		if (ptrace(PTRACE_SINGLESTEP, t->pid, NULL, NULL)) {
			snprintf(t->err, sizeof(t->err),
				 "PTRACE_SINGLESTEP: %s", strerror(errno));
			return;
		}
		if (waitpid(t->pid, &status, 0) != t->pid) {
			snprintf(t->err, sizeof(t->err), "waitpid: %s",
				 strerror(errno));
			return;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			t->pid = 0; /* reaped */
			if (WIFSIGNALED(status) || WEXITSTATUS(status))
				snprintf(t->err, sizeof(t->err),
					 "the traced child failed (status %#x)",
					 status);
			return;
		}
		/* Only the step trap is expected: anything else is a fault. */
		if (WSTOPSIG(status) != SIGTRAP) {
			snprintf(t->err, sizeof(t->err),
				 "the traced child got %s",
				 strsignal(WSTOPSIG(status)));
			return;
		}
		if (!child_regs(t, &r) ||
		    !step(t, REG_PC(r), REG_ARG0(r)))
			return;
	}
}

/* Did every call enter its function, and no other watched one? */
static bool entries_ok(const struct cost_row *r)
{
	for (int h = 0; h < 2; h++)
		for (int w = 0; w < NWATCH; w++)
			if (r->entries[h][w] !=
			    (w == r->enters ? r->calls[h] : 0))
				return false;
	return true;
}

/* What the row's calls entered, per call: "return0 1.00". */
static void entered(const struct cost_row *r, char *buf, size_t len)
{
	*buf = '\0';
	for (int w = 0; w < NWATCH; w++) {
		uint64_t d = r->entries[1][w] - r->entries[0][w];

		if (r->entries[0][w] || r->entries[1][w])
			snprintf(buf + strlen(buf), len - strlen(buf),
				 "%s%s %.2f", *buf ? "," : "", watch_name[w],
				 (double)d / r->unroll);
	}
	if (!*buf)
		snprintf(buf, len, "none");
}

/* Print a row; true if measured and modelled costs agree. */
static bool report_row(const struct cost_row *r)
{
	uint64_t di = r->insns[1] - r->insns[0];
	uint64_t db = r->branches[1] - r->branches[0];
	bool ok = di == (uint64_t)r->model.insns * r->unroll &&
		  db == (uint64_t)r->model.branches * r->unroll &&
		  r->first[0] == (uintptr_t)r->loop[0] &&
		  r->first[1] == (uintptr_t)r->loop[1] && entries_ok(r);
	char got[96];

	entered(r, got, sizeof(got));
	print_message("%-44s %-4s %6.2f %5u %6.2f %5u  %-16s %-16s %s\n",
		      r->name, r->mode,
		      ((double)r->insns[1] - r->insns[0]) / r->unroll,
		      r->model.insns,
		      ((double)r->branches[1] - r->branches[0]) / r->unroll,
		      r->model.branches, got,
		      r->enters == W_NONE ? "none" : watch_name[r->enters],
		      ok ? "ok" : "MISMATCH");
	return ok;
}

/*
 * Natively: one child runs every row's loops, stepped by ptrace; every
 * row must match.
 */
static void test_cost_model(void **state)
{
	const char *run = getenv("RUN");
	const char *bad;
	struct tracer t = { .img = tb_image_current(), .segment = -1 };
	const char *first_bad = NULL;
	unsigned int mismatches = 0;
	int status;

	(void)state;
	if (run && *run) {
		print_message("skip: no ptrace under %s; tests/test_cost.sh checks arm64 against qemu's instruction trace\n",
			      run);
		skip();
	}
	t.rows = collect_rows(&t.nrows, &bad);
	assert_non_null(t.rows);
	if (bad)
		fail_msg("%s", bad);
	t.cls = calloc(t.img->text_size, 1);
	assert_non_null(t.cls);
	watch_addrs(t.img, t.watch);

	t.pid = fork();
	assert_true(t.pid >= 0);
	if (t.pid == 0) {
		sigset_t all;

		/* No asynchronous signal may stop it: only steps and faults. */
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(errno == ENOSYS || errno == EPERM ? 77 : 1);
		raise(SIGSTOP);
		_exit(run_loops(t.rows, t.nrows) ? 2 : 0);
	}
	assert_int_equal(waitpid(t.pid, &status, 0), t.pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		print_message("skip: ptrace is not available here; tests/test_cost.sh is the emulator's check\n");
		skip();
	}
	assert_true(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	trace_child(&t);
	if (t.pid > 0) {
		kill(t.pid, SIGKILL);
		waitpid(t.pid, &status, 0);
	}
	if (t.err[0])
		fail_msg("tracing %s %s: %s",
			 t.segment >= 0 && t.segment < 2 * (long)t.nrows ?
				 t.rows[t.segment / 2].name : "the child",
			 t.segment >= 0 && t.segment < 2 * (long)t.nrows ?
				 t.rows[t.segment / 2].mode : "",
			 t.err);
	if (t.segment != 2 * (long)t.nrows)
		fail_msg("the child stopped after segment %ld of %u",
			 t.segment, 2 * t.nrows);

	print_message("%-44s %-4s %6s %5s %6s %5s  %-16s %-16s\n",
		      "instance (per call)", "mode", "insns", "model",
		      "branch", "model", "entered", "expected");
	for (unsigned int i = 0; i < t.nrows; i++) {
		if (!report_row(&t.rows[i])) {
			mismatches++;
			first_bad = first_bad ? first_bad : t.rows[i].name;
		}
	}
	print_message("%u rows single-stepped, %u mismatch%s\n", t.nrows,
		      mismatches, mismatches == 1 ? "" : "es");
	free(t.cls);
	if (mismatches)
		fail_msg("measured cost or path differs from the model: %s%s",
			 first_bad, mismatches > 1 ? " and others" : "");
	free(t.rows);
}

/*
 * TB_COST_TRACE: for tests/test_cost.sh under qemu -d exec.  Print the
 * mark, the text's and the far mapping's ranges, the watched functions
 * and each row, then run the loops between marks, each row's key set up
 * before its loops.
 */
static int trace_mode(void)
{
	const struct tb_image *img;
	struct cost_row *rows;
	unsigned int n, failed;
	const char *bad;
	uintptr_t start, end, watch[NWATCH];

	if (tb_static_calls_init())
		return 1;
	img = tb_image_current();
	rows = collect_rows(&n, &bad);
	if (!rows || bad) {
		fprintf(stderr, "test_cost: %s\n", bad ? bad : "out of memory");
		return 1;
	}
	start = (uintptr_t)img->exec;
	end = (uintptr_t)tb_rel(&img->hdr->text_end);
	watch_addrs(img, watch);
	printf("mark %#" PRIxPTR "\n", (uintptr_t)tb_cost_mark);
	printf("text %#" PRIxPTR " %#" PRIxPTR "\n", start, end);
	printf("far %#" PRIxPTR " %#" PRIxPTR "\n", (uintptr_t)img->far,
	       (uintptr_t)img->far + (end - start));
	for (int w = 0; w < NWATCH; w++)
		printf("func %s %#" PRIxPTR "\n", watch_name[w], watch[w]);
	for (unsigned int i = 0; i < n; i++)
		printf("row %s %s %#" PRIxPTR " %#" PRIxPTR " %u %u %u %s %" PRIu64
		       " %" PRIu64 "\n",
		       rows[i].name, rows[i].mode, (uintptr_t)rows[i].loop[0],
		       (uintptr_t)rows[i].loop[1], rows[i].unroll,
		       rows[i].model.insns, rows[i].model.branches,
		       rows[i].enters == W_NONE ? "none" :
						  watch_name[rows[i].enters],
		       rows[i].calls[0], rows[i].calls[1]);
	fflush(stdout);
	failed = run_loops(rows, n);
	if (failed)
		fprintf(stderr, "test_cost: %s %s: the update failed\n",
			rows[failed - 1].name, rows[failed - 1].mode);
	free(rows);
	tb_static_calls_exit();
	return failed ? 1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cost_model),
	};

	if (getenv("TB_COST_TRACE"))
		return trace_mode();
	return cmocka_run_group_tests_name("cost", tests, tb_test_setup,
					   tb_test_teardown);
}
