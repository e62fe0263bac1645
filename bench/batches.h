/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A repetition's batches as recorded (bench/case.c runs them), and their
 * reduction to per-call figures: the clock of each stretch of batches,
 * the quiet batches, and every figure averaged over those same batches.
 * Pure functions over the record, so the timer-mode and the PMU-mode
 * reductions are both tested without a PMU (tests/test_batches.c).
 */
#ifndef TB_BATCHES_H
#define TB_BATCHES_H

#include <stdbool.h>
#include <stddef.h>

#include "perf_group.h"

/*
 * Batches per clock measurement: about a millisecond, over which the
 * clock moved by 0.1% at most on the Zen 5 VMs; enough chain timings (a
 * quarter of 50 kept) to average the timer's quantum away.
 */
#define TB_CLOCK_SEGMENT 50

struct tb_batches {
	size_t n; /* batches recorded */
	double *total, *ticks, *base; /* the case: its own batch time */
	double *value[TB_MAX_EVENTS]; /* the case's counters, per call */
	double *clock, *clock_total; /* add chain: ticks per add, time */
	double *probe, *probe_total; /* call probe: ticks per call, time */
	double *cycles, *base_cycles; /* scratch for the reduction */
	size_t *idx; /* scratch: kept batches */
	/* raw counts of every batch, each event: 0 if it never counted */
	uint64_t counted[TB_MAX_EVENTS];
};

/* Room for n batches with nevents counters; 0 or -1 (nothing held). */
int tb_batches_alloc(struct tb_batches *b, size_t n, int nevents);
void tb_batches_free(struct tb_batches *b);

/*
 * The clock of each stretch of TB_CLOCK_SEGMENT batches (a remainder of
 * less than half a stretch joins the last), by the estimator over that
 * stretch's add-chain timings (its own quiet batches: a chain slowed in
 * one batch must not slow that batch's clock), written over clock[] of
 * every batch in it.  A stretch whose estimate is not positive (a busy
 * host can leave a short stretch so) takes the whole repetition's.
 * False if the whole repetition measured no time.
 */
bool tb_batches_clock(struct tb_batches *b);

/* A repetition, per call, over the quiet batches. */
struct tb_rep {
	double ticks; /* timer ticks */
	double cycles, cycles_sd; /* counted, or ticks over the clock */
	double base_cycles; /* the baseline pair's, if recorded */
	double ghz; /* the clock, in core GHz */
	double probe; /* the call probe's cycles */
	double value[TB_MAX_EVENTS];
	size_t kept;
};

/*
 * Reduce b (after tb_batches_clock()): cycles from counter cyc, or from
 * the timer when cyc < 0; timer_hz converts the clock to GHz.
 */
void tb_batches_reduce(struct tb_batches *b, int cyc, int nevents,
		       double timer_hz, struct tb_rep *rep);

#endif
