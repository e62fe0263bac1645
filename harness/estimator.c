// SPDX-License-Identifier: GPL-2.0
/* The estimator; see estimator.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "estimator.h"

/* qsort() has no context argument: sort (total, index) pairs instead. */
struct ranked {
	double total;
	size_t i;
};

static int by_total(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

size_t tb_quiet_batches(const double *total, size_t n, double keep, size_t *idx)
{
	struct ranked *r;
	size_t k;

	if (!n || !(keep > 0 && keep <= 1))
		return 0;
	k = (size_t)ceil(keep * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	r = malloc(n * sizeof(*r));
	if (!r)
		return 0;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ total[i], i };
	qsort(r, n, sizeof(*r), by_total);
	for (size_t i = 0; i < k; i++)
		idx[i] = r[i].i;
	free(r);
	qsort(idx, k, sizeof(*idx), by_index);
	return k;
}

void tb_estimate_over(const double *v, const size_t *idx, size_t k,
		      struct tb_estimate *e)
{
	double sum = 0, sq = 0;

	for (size_t i = 0; i < k; i++)
		sum += v[idx[i]];
	e->value = k ? sum / (double)k : 0;
	for (size_t i = 0; i < k; i++)
		sq += (v[idx[i]] - e->value) * (v[idx[i]] - e->value);
	e->sd = k > 1 ? sqrt(sq / (double)(k - 1)) : 0;
	e->kept = (unsigned int)k;
}

int tb_estimate(const double *total, const double *v, size_t n, double keep,
		size_t *idx, struct tb_estimate *e)
{
	size_t k = tb_quiet_batches(total, n, keep, idx);

	memset(e, 0, sizeof(*e));
	if (!k)
		return -1;
	tb_estimate_over(v, idx, k, e);
	e->batches = (unsigned int)n;
	e->cutoff = total[idx[0]];
	for (size_t i = 1; i < k; i++)
		if (total[idx[i]] > e->cutoff)
			e->cutoff = total[idx[i]];
	return 0;
}
