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

double tb_cold_dither(size_t i)
{
	const double phi = 0.6180339887498949; /* (sqrt(5) - 1) / 2 */
	double x = (double)i * phi;

	return x - floor(x) - 0.5;
}

int tb_cold_estimate(const double *d, size_t n, double trim, double quantum,
		     double *scratch, struct tb_cold_est *e)
{
	double sum = 0, mean = 0, ss = 0, wmean = 0, wss = 0, lo, hi;
	size_t g, h;

	/* the sd is of the differences as dithered: what the SE sees too */
	memset(e, 0, sizeof(*e));
	if (!n || !(trim >= 0 && trim < 0.5))
		return -1;
	memcpy(scratch, d, n * sizeof(*d));
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	e->median = n % 2 ? scratch[n / 2] :
			    (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
	for (size_t i = 0; i < n; i++)
		scratch[i] = d[i] + quantum * tb_cold_dither(i);
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	g = (size_t)floor(trim * (double)n);
	h = n - 2 * g;
	for (size_t i = 0; i < n; i++)
		mean += scratch[i] / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (scratch[i] - mean) * (scratch[i] - mean);
	for (size_t i = g; i < n - g; i++)
		sum += scratch[i];
	/* the winsorised sample: each trimmed value as the nearest kept */
	lo = scratch[g];
	hi = scratch[n - g - 1];
	for (size_t i = 0; i < n; i++)
		wmean += fmin(fmax(scratch[i], lo), hi) / (double)n;
	for (size_t i = 0; i < n; i++) {
		double w = fmin(fmax(scratch[i], lo), hi) - wmean;

		wss += w * w;
	}
	e->n = n;
	e->kept = h;
	e->value = sum / (double)h;
	e->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	if (n > 1 && h > 1) {
		double t = tb_cold_t95((double)(h - 1));

		e->se = sqrt(wss / (double)(n - 1)) / ((double)h / (double)n) /
			sqrt((double)n);
		e->lo = e->value - t * e->se;
		e->hi = e->value + t * e->se;
	} else {
		e->lo = e->hi = e->value;
	}
	return 0;
}
