// SPDX-License-Identifier: GPL-2.0
/*
 * A repetition's reduction without a PMU or a timer: synthetic batches
 * whose answer is known, for timer mode (cycles from the clock of each
 * stretch, the clock stepping halfway) and for PMU mode (cycles counted,
 * the timer ignored), each with disturbed batches that must not count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "batches.h"

#define N 200
#define HZ 2.1e9

/* Ticks per add: 0.6 for the first half, 0.5 after (the clock steps). */
static double tick_per_cycle(size_t i)
{
	return i < N / 2 ? 0.6 : 0.5;
}

/* Every 7th batch slowed by an interrupt in one of its loops. */
static bool hit(size_t i, size_t k)
{
	return (i + k) % 7 == 0;
}

static void fill(struct tb_batches *b, int nevents)
{
	assert_int_equal(tb_batches_alloc(b, N, nevents), 0);
	b->n = N;
	for (size_t i = 0; i < N; i++) {
		double t = tick_per_cycle(i);

		/* Quiet: 4 cycles a call, 10 the baseline, 4.5 the probe. */
		b->ticks[i] = 4 * t;
		b->base[i] = 10 * t;
		/* Totals alternate so both halves have quiet batches. */
		b->total[i] = 1000 + (i % 2) * 10 + (i % 5);
		b->clock[i] = t;
		b->clock_total[i] = 500 + (i % 3);
		b->probe[i] = 4.5 * t;
		b->probe_total[i] = 700 + (i % 4);
		if (hit(i, 0)) { /* the case's loops: a batch to leave out */
			b->ticks[i] *= 3;
			b->base[i] *= 3;
			b->total[i] += 5000;
		}
		if (hit(i, 1)) { /* the chain's: the stretch's clock holds */
			b->clock[i] = 0.1;
			b->clock_total[i] += 5000;
		}
		if (hit(i, 2)) { /* the probe's */
			b->probe[i] *= 2;
			b->probe_total[i] += 5000;
		}
	}
}

static void test_timer_mode(void **state)
{
	struct tb_batches b;
	struct tb_rep rep;

	(void)state;
	fill(&b, 0);
	assert_true(tb_batches_clock(&b));
	for (size_t i = 0; i < N; i++)
		assert_float_equal(b.clock[i], tick_per_cycle(i), 1e-12);
	tb_batches_reduce(&b, -1, 0, HZ, &rep);
	assert_int_equal(rep.kept, N / 4);
	assert_float_equal(rep.cycles, 4, 1e-9);
	assert_float_equal(rep.cycles_sd, 0, 1e-9);
	assert_float_equal(rep.base_cycles, 10, 1e-9);
	assert_float_equal(rep.probe, 4.5, 1e-9);
	/* Kept batches from both halves: the clock between 3.5 and 4.2 GHz. */
	assert_true(rep.ghz > 3.5 + 1e-6 && rep.ghz < 4.2 - 1e-6);
	/* Ticks are not cycles: their mean lies between the halves'. */
	assert_true(rep.ticks > 2.0 && rep.ticks < 2.4);
	tb_batches_free(&b);
}

/* Cycles counted: the PMU's, whatever the timer says. */
static void test_pmu_mode(void **state)
{
	struct tb_batches b;
	struct tb_rep rep;

	(void)state;
	fill(&b, 2);
	for (size_t i = 0; i < N; i++) {
		b.value[0][i] = hit(i, 0) ? 99 : 12; /* instructions */
		b.value[1][i] = hit(i, 0) ? 50 : 7;  /* cycles */
		b.base[i] = hit(i, 0) ? 40 : 3;      /* counted, too */
	}
	assert_true(tb_batches_clock(&b));
	tb_batches_reduce(&b, 1, 2, HZ, &rep);
	assert_float_equal(rep.cycles, 7, 1e-9);
	assert_float_equal(rep.value[0], 12, 1e-9);
	assert_float_equal(rep.value[1], 7, 1e-9);
	assert_float_equal(rep.base_cycles, 3, 1e-9);
	assert_float_equal(rep.probe, 4.5, 1e-9);
	tb_batches_free(&b);
}

/* A stretch whose chain measured nothing: no clock, no result. */
/* No clock anywhere: an error, not a division by zero. */
static void test_no_clock(void **state)
{
	struct tb_batches b;

	(void)state;
	fill(&b, 0);
	for (size_t i = 0; i < N; i++)
		b.clock[i] = 0;
	assert_false(tb_batches_clock(&b));
	tb_batches_free(&b);
	assert_null(b.total);
}

/*
 * A stretch that measured no clock (a busy host) takes the whole
 * repetition's, one value for all its batches; the others keep theirs.
 */
static void test_stretch_without_clock(void **state)
{
	struct tb_batches b;

	(void)state;
	fill(&b, 0);
	for (size_t i = TB_CLOCK_SEGMENT; i < 2 * TB_CLOCK_SEGMENT; i++)
		b.clock[i] = 0;
	assert_true(tb_batches_clock(&b));
	assert_true(b.clock[TB_CLOCK_SEGMENT] > 0);
	for (size_t i = TB_CLOCK_SEGMENT; i < 2 * TB_CLOCK_SEGMENT; i++)
		assert_true(b.clock[i] == b.clock[TB_CLOCK_SEGMENT]);
	assert_true(fabs(b.clock[0] - 0.6) < 1e-9);
	assert_true(fabs(b.clock[N - 1] - 0.5) < 1e-9);
	tb_batches_free(&b);
}

/* A remainder under half a stretch joins the last one: one clock. */
static void test_short_remainder(void **state)
{
	struct tb_batches b;
	const size_t n = TB_CLOCK_SEGMENT + TB_CLOCK_SEGMENT / 2 - 1;

	(void)state;
	fill(&b, 0);
	b.n = n;
	for (size_t i = 0; i < n; i++)
		b.clock[i] = i < TB_CLOCK_SEGMENT ? 0.6 : 0.1;
	assert_true(tb_batches_clock(&b));
	for (size_t i = 1; i < n; i++)
		assert_true(b.clock[i] == b.clock[0]);
	tb_batches_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_mode),
		cmocka_unit_test(test_pmu_mode),
		cmocka_unit_test(test_no_clock),
		cmocka_unit_test(test_stretch_without_clock),
		cmocka_unit_test(test_short_remainder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
