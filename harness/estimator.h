/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The estimator: many short batches in, one per-call value out.
 *
 * Each batch times the N-call and the 2N-call loop back to back; its
 * per-call value is their difference over N.  On a shared machine some
 * batches are slowed: an interrupt, the hypervisor taking the vCPU, a
 * busy neighbour on the host core.  None of these ever makes a batch
 * faster, so the batches with the smallest total time are the quiet
 * ones: keep the quickest TB_EST_KEEP of them by total, and average
 * their per-call values.  A difference of two loops cannot use the
 * minimum (an interrupt in the N-call loop makes the difference small)
 * and the median of all batches lands on the slowed mode as soon as half
 * of a repetition is slowed, which the recorded series in
 * tests/fixtures/batches/ show happening.  The mean of the kept batches,
 * not their median, so that the timer's quantum (21 ticks on the Zen VMs)
 * averages out instead of sticking to one step.  docs/precision.md has
 * the batch distributions this was chosen from.
 *
 * Pure functions: no timer, no counters, so the choice is tested on
 * recorded series (tests/test_estimator.c).
 */
#ifndef TB_ESTIMATOR_H
#define TB_ESTIMATOR_H

#include <stddef.h>

/* Fraction of the batches kept: the quickest quarter. */
#define TB_EST_KEEP 0.25

struct tb_estimate {
	double value; /* mean per-call value of the kept batches */
	double sd; /* their standard deviation */
	double cutoff; /* largest total kept */
	unsigned int kept; /* batches kept */
	unsigned int batches;
};

/*
 * tb_quiet_batches - the ceil(@keep * @n) batches (at least one) with the
 * smallest @total, as indexes into idx[] in batch order.  Returns how
 * many, 0 if @n is 0 or @keep is not in (0, 1].
 */
size_t tb_quiet_batches(const double *total, size_t n, double keep,
			size_t *idx);

/* tb_estimate_over - mean and sd of @v over the @k batches in @idx. */
void tb_estimate_over(const double *v, const size_t *idx, size_t k,
		      struct tb_estimate *e);

/*
 * tb_estimate - both: per-call values @v of @n batches whose totals are
 * @total.  @idx is scratch for @n indexes.  Returns 0, or -1 if nothing
 * could be kept (then @e is zeroed).
 */
int tb_estimate(const double *total, const double *v, size_t n, double keep,
		size_t *idx, struct tb_estimate *e);

#endif
