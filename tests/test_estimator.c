// SPDX-License-Identifier: GPL-2.0
/*
 * The estimator on batch series whose answer is known: series recorded on
 * a Zen 5 VM (tests/fixtures/batches/: a repetition more than half slowed
 * by a busy host, one with interrupts), a recorded quiet series with a
 * drift added, and synthetic series.  Each must give back the per-call
 * value of the undisturbed batches; the mean and the median of all
 * batches, which trampbench used before, must not (else the series would
 * not test anything).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "estimator.h"
#include "tb_fixture.h"

#define MAX_BATCHES 4096

struct series {
	size_t n;
	double calls, expect, tolerance;
	double total[MAX_BATCHES], v[MAX_BATCHES];
	size_t idx[MAX_BATCHES];
};

static void add(struct series *s, double one, double two)
{
	assert_true(s->n < MAX_BATCHES);
	s->total[s->n] = one + two;
	s->v[s->n] = (two - one) / s->calls;
	s->n++;
}

/* "# calls N", "# expect X", "# tolerance T", then "one two" per line. */
static void load(struct series *s, const char *name)
{
	char path[600], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s", fixture(name));
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	memset(s, 0, sizeof(*s));
	while (fgets(line, sizeof(line), f)) {
		double one, two;

		if (sscanf(line, "# calls %lf", &s->calls) == 1 ||
		    sscanf(line, "# expect %lf", &s->expect) == 1 ||
		    sscanf(line, "# tolerance %lf", &s->tolerance) == 1 ||
		    line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %lf", &one, &two), 2);
		assert_true(s->calls > 0);
		add(s, one, two);
	}
	fclose(f);
	assert_true(s->n >= 100 && s->expect > 0 && s->tolerance > 0);
}

static double estimate(struct series *s)
{
	struct tb_estimate e;

	assert_int_equal(
		tb_estimate(s->total, s->v, s->n, TB_EST_KEEP, s->idx, &e), 0);
	assert_int_equal(e.batches, s->n);
	assert_int_equal(e.kept, (unsigned int)ceil(TB_EST_KEEP * s->n));
	return e.value;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double naive_median(const struct series *s)
{
	double *v = malloc(s->n * sizeof(*v));
	double m;

	assert_non_null(v);
	memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), cmp);
	m = s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
	free(v);
	return m;
}

static double naive_mean(const struct series *s)
{
	double sum = 0;

	for (size_t i = 0; i < s->n; i++)
		sum += s->v[i];
	return sum / s->n;
}

static void expect_recovered(struct series *s, bool median_fails)
{
	double got = estimate(s);

	if (fabs(got - s->expect) > s->tolerance)
		fail_msg("estimate %.4f, expected %.4f +- %.4f", got, s->expect,
			 s->tolerance);
	/* The series is hard enough to tell estimators apart. */
	assert_true(fabs(naive_mean(s) - s->expect) > 2 * s->tolerance);
	if (median_fails)
		assert_true(fabs(naive_median(s) - s->expect) >
			    2 * s->tolerance);
}

/* 55% of the batches in slowed periods: the median lands on them. */
static void test_recorded_steal(void **state)
{
	static struct series s;

	(void)state;
	load(&s, "batches/x86-zen5-steal.txt");
	expect_recovered(&s, true);
}

/* 15 of 600 batches hit by interrupts: the mean is pulled away. */
static void test_recorded_interrupts(void **state)
{
	static struct series s;

	(void)state;
	load(&s, "batches/x86-zen5-interrupts.txt");
	expect_recovered(&s, false);
}

/*
 * A drift common to both loops (the clock slowing, a growing overhead)
 * cancels in each batch's difference; the estimator must not undo that
 * by preferring early batches in a biased way.  The recorded interrupt
 * series, its quiet value known, with each batch slowed by up to 20%.
 */
static void test_recorded_drift(void **state)
{
	static struct series s, d;

	(void)state;
	load(&s, "batches/x86-zen5-interrupts.txt");
	d = s;
	for (size_t i = 0; i < s.n; i++) {
		double one = (s.total[i] - s.v[i] * s.calls) / 2;
		double two = one + s.v[i] * s.calls;
		double ramp = 0.2 * (double)i / s.n * one;

		d.total[i] = one + two + 2 * ramp;
		d.v[i] = (two + ramp - (one + ramp)) / s.calls;
	}
	assert_float_equal(estimate(&d), estimate(&s), 1e-9 + s.tolerance / 4);
}

/* Deterministic noise: the same series on every host. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/*
 * Synthetic: 4 ticks per call in the quiet state, timer quantum 21 ticks,
 * interrupts adding 5000 ticks to 3% of the loops, and a steal slowing
 * 70% of the repetition by 45%, in one block as recorded.
 */
static void test_synthetic(void **state)
{
	static struct series s;
	const double calls = 1024, per_call = 4.0, base = 300;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.calls = calls;
	for (int i = 0; i < 2000; i++) {
		double slow = i >= 200 && i < 1600 ? 1.45 : 1.0;
		double one = (base + per_call * calls) * slow;
		double two = (base + 2 * per_call * calls) * slow;

		one = 21 * floor((one + 21 * uniform()) / 21);
		two = 21 * floor((two + 21 * uniform()) / 21);
		if (uniform() < 0.03)
			one += 5000;
		if (uniform() < 0.03)
			two += 5000;
		add(&s, one, two);
	}
	s.expect = per_call;
	s.tolerance = 0.004; /* 0.1% */
	expect_recovered(&s, true);
}

static void test_quiet_batches(void **state)
{
	const double total[] = { 5, 1, 4, 1, 9, 2, 3, 8 };
	const double v[] = { 50, 10, 40, 12, 90, 20, 30, 80 };
	size_t idx[8];
	struct tb_estimate e;

	(void)state;
	/* ceil(0.25 * 8) = 2: the two 1s, in batch order. */
	assert_int_equal(tb_quiet_batches(total, 8, 0.25, idx), 2);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 3);
	assert_int_equal(tb_quiet_batches(total, 8, 0.5, idx), 4);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 3);
	assert_int_equal(idx[2], 5);
	assert_int_equal(idx[3], 6);
	assert_int_equal(tb_estimate(total, v, 8, 0.5, idx, &e), 0);
	assert_float_equal(e.value, 18, 1e-12);
	assert_float_equal(e.cutoff, 3, 1e-12);
	assert_float_equal(e.sd, sqrt((64 + 36 + 4 + 144) / 3.0), 1e-12);
	/* At least one batch; nothing from nothing or a bad fraction. */
	assert_int_equal(tb_quiet_batches(total, 1, 0.25, idx), 1);
	assert_int_equal(tb_quiet_batches(total, 0, 0.25, idx), 0);
	assert_int_equal(tb_quiet_batches(total, 8, 0, idx), 0);
	assert_int_equal(tb_quiet_batches(total, 8, 1.5, idx), 0);
	assert_int_equal(tb_estimate(total, v, 0, 0.25, idx, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_batches),
		cmocka_unit_test(test_recorded_steal),
		cmocka_unit_test(test_recorded_interrupts),
		cmocka_unit_test(test_recorded_drift),
		cmocka_unit_test(test_synthetic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
