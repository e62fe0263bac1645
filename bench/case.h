/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A benchmark case: one loop pair measured through Google Benchmark, with
 * every counter reported per call.  Scenarios (one file each in bench/)
 * build cases; the body that measures them is shared (bench/case.c).
 *
 * One Google Benchmark iteration is one batch (a run of the N-call loop
 * and of the 2N-call loop); a repetition is `batches` of them, reduced
 * to one per-call value by the estimator (harness/estimator.h).  Times
 * and counters are reported per call.
 */
#ifndef TB_CASE_H
#define TB_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "meter.h"

/* Where a case's code sits, recorded with its results. */
struct tb_case_layout {
	bool known;
	int site_offset; /* first call site, bytes past a 64-byte line */
	int tramp_offset; /* trampoline entry, the same; -1 if none */
};

struct tb_case {
	char name[160];
	struct tb_loop_pair loops;
	/* What one call should execute; zero when not known. */
	struct tb_call_cost expect;
	/*
	 * Optional: a loop pair measured beside this one, whose cycles are
	 * subtracted and the difference multiplied by baseline_scale, into
	 * the counter baseline_counter (e.g. the mispredict penalty: a
	 * random branch minus a taken one, over the mispredict rate).
	 */
	struct tb_loop_pair baseline;
	double baseline_scale;
	const char *baseline_counter;
	struct tb_case_layout layout;
	uint64_t passes; /* per batch, sized at registration */
};

/*
 * A repetition whose contention probe reads this much above the quietest
 * of the run is measured again, at most this many times in all.
 */
#define TB_CONTENTION_PCT 1.0
#define TB_CONTENTION_TRIES 4

/* How every case is run; set before registering. */
struct tb_run_opts {
	int repetitions;
	unsigned int batches; /* per repetition */
};

/* The meter every case uses; set before tb_bench_run(). */
void tb_case_set_meter(struct tb_meter *m);

/*
 * Before the run: measure the contention probe on its own, so that the
 * first cases are judged against the quietest reading too.
 */
void tb_case_prepare(void);

/* Register c (kept, not copied) with Google Benchmark. */
int tb_case_register(struct tb_case *c, const struct tb_run_opts *o);

/* Cases whose measured counts disagreed with what the code should run. */
unsigned int tb_case_mismatches(void);
/* Rows whose cycles or instructions counted 0 (labelled INVALID). */
unsigned int tb_case_invalid(void);

/* Scenarios. */
int tb_calibration_register(const struct tb_run_opts *o);
int tb_hotloop_register(struct tb_instance *const *insts, unsigned int n,
			const unsigned int *shifts, unsigned int nshifts,
			const struct tb_run_opts *o);

#endif
