/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cold estimator: a repetition's paired differences in, one per-call
 * value and its 95% confidence interval out.
 *
 * Each pair is one cold call and one control, each between its own two
 * timer reads, so each difference carries two samples' noise and two
 * quantisation errors (the TSC of the development VMs steps by 21 to 52
 * ticks).  Interrupts put a few differences thousands of ticks off, on
 * either side: either sample can be the one hit.  The estimate is the
 * mean of the differences inside Tukey's far fences (the quartiles
 * widened by TB_COLD_FENCE interquartile ranges, the range taken as at
 * least one quantum): a mean, because the timer's phase at each read is
 * random, so each quantised reading is right on average and a mean of
 * many resolves far below the quantum, where a median sticks to one step
 * of the timer and a trimmed mean is pulled towards the step most
 * differences fall on; fenced, because an interrupt is no part of the
 * call.  Its interval is the kept differences' standard error times
 * Student's t.  docs/cold.md shows the recorded distributions this was
 * chosen from.
 *
 * Pure functions of the recorded differences: tested on recorded series
 * (tests/test_cold.c, tests/fixtures/cold/).
 */
#ifndef TB_COLD_EST_H
#define TB_COLD_EST_H

#include <stddef.h>

/* Tukey's far fences: 3 interquartile ranges beyond the quartiles. */
#define TB_COLD_FENCE 3.0

struct tb_cold_est {
	double value;  /* mean of the differences inside the fences */
	double se;     /* its standard error */
	double lo, hi; /* 95% confidence interval of value */
	double median; /* of all differences, for comparison */
	double sd;     /* of the kept differences */
	double fence_lo, fence_hi;
	size_t n;      /* differences */
	size_t kept;   /* inside the fences */
};

/*
 * tb_cold_estimate - the estimate over @n differences @d whose timer or
 * counter steps by @quantum (in @d's unit), fenced @fence interquartile
 * ranges beyond the quartiles.  @scratch holds @n doubles.  Returns 0,
 * or -1 if @n is 0 or @fence is not positive (@e zeroed).
 */
int tb_cold_estimate(const double *d, size_t n, double fence, double quantum,
		     double *scratch, struct tb_cold_est *e);

/* The two-sided 95% quantile of Student's t with @df degrees of freedom. */
double tb_cold_t95(double df);

#endif
