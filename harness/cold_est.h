/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cold estimator: a repetition's paired differences in, one per-call
 * value and its 95% confidence interval out.
 *
 * Each pair is one cold call and one control, each between its own two
 * timer reads, so each difference carries two samples' noise and two
 * quantisation errors (the TSC of the development VM steps by 21 to 52
 * ticks).  Interrupts and the host's other guests put a few differences
 * far off on either side: either sample can be the one disturbed.  The
 * estimate is the mean of the middle half (the interquartile mean),
 * robust to those; before sorting, each difference gets a deterministic
 * dither spread evenly over one timer quantum (zero on average), so that
 * a middle half all on one step of the timer (the controls, whose
 * spread is under a quantum) still resolves below it instead of sticking
 * to the step as the median, or a plain trimmed mean, does.  Its
 * standard error is the winsorised one (Tukey and McLaughlin, 1963), so
 * the interval needs no resampling.  docs/cold.md shows the recorded
 * distributions this was chosen from.
 *
 * Pure functions of the recorded differences: tested on recorded series
 * (tests/test_cold.c, tests/fixtures/cold/).
 */
#ifndef TB_COLD_EST_H
#define TB_COLD_EST_H

#include <stddef.h>
#include <stdint.h>

/* Fraction trimmed from each end: the middle half is kept. */
#define TB_COLD_TRIM 0.25

struct tb_cold_est {
	double value;  /* trimmed mean of the differences */
	double se;     /* its standard error (winsorised) */
	double lo, hi; /* 95% confidence interval of value */
	double median; /* of all differences (undithered), for comparison */
	double sd;     /* of all differences */
	size_t n;      /* differences */
	size_t kept;   /* in the trimmed mean */
};

/*
 * tb_cold_estimate - the estimate over @n differences @d, each dithered
 * over @quantum (in @d's unit; 0 for counts, which are exact), trimming
 * @trim (in [0, 0.5)) of them from each end.  @scratch holds @n doubles.
 * Returns 0, or -1 if @n is 0 or @trim is out of range (@e zeroed).
 */
int tb_cold_estimate(const double *d, size_t n, double trim, double quantum,
		     double *scratch, struct tb_cold_est *e);

/*
 * The dither of difference @i, as a fraction of the quantum in [-0.5,
 * 0.5): the golden-ratio sequence, evenly spread over any stretch.
 */
double tb_cold_dither(size_t i);

/* The two-sided 95% quantile of Student's t with @df degrees of freedom. */
double tb_cold_t95(double df);

#endif
