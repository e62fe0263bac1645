// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model (tb_call_cost()) against the code as it really runs:
 * for every instance, both bench keys' (throughput, latency) loop1(1, 0)
 * and loop2(1, 0) at site shift 0 (unroll and 2 * unroll call sites) are
 * executed one instruction at a time and the instructions and branches
 * inside the image are counted.  Per call, (loop2 - loop1) / unroll must
 * equal the model exactly: the loops' prologue and tail cancel out.
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
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "tb_test.h"

/* What the child runs, and what the tracer counts, for one bench key. */
struct cost_row {
	const char *name;
	bool lat;
	tb_loop_fn loop[2];
	unsigned int unroll;
	struct tb_call_cost model;
	uint64_t insns[2], branches[2];
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

static void run_loops(const struct cost_row *rows, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		cost_mark(2 * i);
		rows[i].loop[0](1, 0);
		cost_mark(2 * i + 1);
		rows[i].loop[1](1, 0);
	}
	cost_mark(2 * n);
}

/* Rows 2i and 2i + 1: the throughput and latency keys of instance i. */
static struct cost_row *collect_rows(unsigned int *nrows, const char **err)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);
	struct cost_row *rows = calloc(2 * n, sizeof(*rows));

	*err = NULL;
	for (unsigned int i = 0; rows && i < 2 * n; i++) {
		struct tb_instance *inst = &in[i / 2];
		struct tb_static_call *sc = tb_bench_key(inst, i % 2);

		if (!sc || !sc->loop1 || !sc->loop2 || !sc->unroll) {
			*err = inst->name;
			break;
		}
		rows[i] = (struct cost_row){
			.name = inst->name,
			.lat = i % 2,
			.loop = { sc->loop1, sc->loop2 },
			.unroll = sc->unroll,
			.model = tb_call_cost(inst, i % 2),
		};
	}
	*nrows = 2 * n;
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
	int8_t *cls; /* per text byte: 0 unknown, 1 other, 2 branch */
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
	size_t off = pc - (uintptr_t)t->img->exec;
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

static bool in_text(const struct tracer *t, uintptr_t pc)
{
	return pc >= (uintptr_t)t->img->exec &&
	       pc < (uintptr_t)t->img->exec + t->img->text_size;
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
		return true;
	}
	if (!in && tb_image_in_text(t->img, (void *)pc)) {
		snprintf(t->err, sizeof(t->err),
			 "ran in the far mapping, at %#" PRIxPTR, pc);
		return false;
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

/* Print a row; true if measured and modelled costs agree. */
static bool report_row(const struct cost_row *r)
{
	uint64_t di = r->insns[1] - r->insns[0];
	uint64_t db = r->branches[1] - r->branches[0];
	bool ok = di == (uint64_t)r->model.insns * r->unroll &&
		  db == (uint64_t)r->model.branches * r->unroll &&
		  r->first[0] == (uintptr_t)r->loop[0] &&
		  r->first[1] == (uintptr_t)r->loop[1];

	print_message("%-44s %-4s %6.2f %5u %6.2f %5u  %s\n", r->name,
		      r->lat ? "lat" : "tput",
		      ((double)r->insns[1] - r->insns[0]) / r->unroll,
		      r->model.insns,
		      ((double)r->branches[1] - r->branches[0]) / r->unroll,
		      r->model.branches, ok ? "ok" : "MISMATCH");
	return ok;
}

/*
 * Natively: one child runs every bench key's loops, stepped by ptrace;
 * every row must match.
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
		fail_msg("%s lacks a bench key with loops", bad);
	t.cls = calloc(t.img->text_size, 1);
	assert_non_null(t.cls);

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
		run_loops(t.rows, t.nrows);
		_exit(0);
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
		fail_msg("tracing %s: %s",
			 t.segment >= 0 && t.segment < 2 * (long)t.nrows ?
				 t.rows[t.segment / 2].name : "the child",
			 t.err);
	if (t.segment != 2 * (long)t.nrows)
		fail_msg("the child stopped after segment %ld of %u",
			 t.segment, 2 * t.nrows);

	print_message("%-44s %-4s %6s %5s %6s %5s\n", "instance (per call)",
		      "mode", "insns", "model", "branch", "model");
	for (unsigned int i = 0; i < t.nrows; i++) {
		if (!report_row(&t.rows[i])) {
			mismatches++;
			first_bad = first_bad ? first_bad : t.rows[i].name;
		}
	}
	print_message("%u bench keys single-stepped, %u mismatch%s\n",
		      t.nrows, mismatches, mismatches == 1 ? "" : "es");
	free(t.cls);
	if (mismatches)
		fail_msg("measured cost differs from the model: %s%s",
			 first_bad, mismatches > 1 ? " and others" : "");
	free(t.rows);
}

/* Write the text as mapped (the probe is patched by now) to path. */
static bool dump_text(const char *path, const uint8_t *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0;

	while (ok && n) {
		ssize_t w = write(fd, p, n);

		ok = w > 0;
		p += ok ? w : 0;
		n -= ok ? w : 0;
	}
	if (fd >= 0 && close(fd))
		ok = false;
	if (!ok)
		fprintf(stderr, "test_cost: %s: %s\n", path, strerror(errno));
	return ok;
}

/*
 * TB_COST_TRACE: for tests/test_cost.sh under qemu -d exec.  Print the
 * mark and each row (bench key), write the text to $TB_COST_TEXT (if
 * set), then run the loops between marks.
 */
static int trace_mode(void)
{
	const struct tb_image *img;
	struct cost_row *rows;
	unsigned int n;
	const char *bad, *text = getenv("TB_COST_TEXT");
	uintptr_t start, end;

	if (tb_static_calls_init())
		return 1;
	img = tb_image_current();
	rows = collect_rows(&n, &bad);
	if (!rows || bad) {
		fprintf(stderr, "test_cost: %s lacks a bench key with loops\n",
			bad ? bad : "(out of memory)");
		return 1;
	}
	start = (uintptr_t)img->exec;
	end = (uintptr_t)tb_rel(&img->hdr->text_end);
	printf("mark %#" PRIxPTR "\n", (uintptr_t)tb_cost_mark);
	if (text && !dump_text(text, img->exec, end - start))
		return 1;
	for (unsigned int i = 0; i < n; i++)
		printf("instance %s %#" PRIxPTR " %#" PRIxPTR
		       " %u %#" PRIxPTR " %#" PRIxPTR " %u %u %s\n",
		       rows[i].name, (uintptr_t)rows[i].loop[0],
		       (uintptr_t)rows[i].loop[1], rows[i].unroll, start, end,
		       rows[i].model.insns, rows[i].model.branches,
		       rows[i].lat ? "lat" : "tput");
	fflush(stdout);
	run_loops(rows, n);
	free(rows);
	tb_static_calls_exit();
	return 0;
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
