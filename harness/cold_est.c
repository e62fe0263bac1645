// SPDX-License-Identifier: GPL-2.0
/* The cold estimator; see cold_est.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cold_est.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double tb_cold_t95(double df)
{
	/* Cornish-Fisher expansion about the normal's 1.959964 */
	const double z = 1.959963985, z3 = z * z * z, z5 = z3 * z * z;

	if (!(df >= 1))
		return NAN;
	return z + (z3 + z) / (4 * df) +
	       (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

/* The @p quantile of @n sorted values, interpolated between ranks. */
static double quantile(const double *s, size_t n, double p)
{
	double h = p * (double)(n - 1);
	size_t i = (size_t)floor(h);

	return i + 1 < n ? s[i] + (h - (double)i) * (s[i + 1] - s[i]) : s[i];
}

int tb_cold_estimate(const double *d, size_t n, double fence, double quantum,
		     double *scratch, struct tb_cold_est *e)
{
	double q1, q3, w, sum = 0, ss = 0;

	memset(e, 0, sizeof(*e));
	if (!n || !(fence > 0))
		return -1;
	memcpy(scratch, d, n * sizeof(*d));
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	e->n = n;
	e->median = quantile(scratch, n, 0.5);
	q1 = quantile(scratch, n, 0.25);
	q3 = quantile(scratch, n, 0.75);
	w = fmax(q3 - q1, quantum);
	e->fence_lo = q1 - fence * w;
	e->fence_hi = q3 + fence * w;
	for (size_t i = 0; i < n; i++)
		if (scratch[i] >= e->fence_lo && scratch[i] <= e->fence_hi) {
			sum += scratch[i];
			e->kept++;
		}
	/* the quartiles are inside: at least half the values are kept */
	e->value = sum / (double)e->kept;
	for (size_t i = 0; i < n; i++)
		if (scratch[i] >= e->fence_lo && scratch[i] <= e->fence_hi)
			ss += (scratch[i] - e->value) * (scratch[i] - e->value);
	e->lo = e->hi = e->value;
	if (e->kept > 1) {
		double t = tb_cold_t95((double)(e->kept - 1));

		e->sd = sqrt(ss / (double)(e->kept - 1));
		e->se = e->sd / sqrt((double)e->kept);
		e->lo = e->value - t * e->se;
		e->hi = e->value + t * e->se;
	}
	return 0;
}
