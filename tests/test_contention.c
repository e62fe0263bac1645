// SPDX-License-Identifier: GPL-2.0
/*
 * The contention gate's budget: a repetition is measured up to
 * TB_CONTENTION_TRIES times while its probe reads contended, but once
 * TB_CONTENTION_SATURATED repetitions in a row ended contended after all
 * their tries, each is measured once, until one passes the gate again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"

/* A host contended for the first n repetitions, quiet after. */
static unsigned int run(unsigned int contended_reps, unsigned int reps,
			unsigned int *measured)
{
	unsigned int saturated = 0;

	*measured = 0;
	for (unsigned int r = 0; r < reps; r++) {
		unsigned int max = tb_contention_max_tries(saturated);
		unsigned int tries = 0;

		/* As tb_engine_run(): measure, and again while contended. */
		do
			++*measured;
		while (r < contended_reps && ++tries < max);
		saturated = tb_contention_next(saturated, tries, max);
	}
	return saturated;
}

static void test_quiet_host(void **state)
{
	unsigned int measured;

	(void)state;
	assert_int_equal(run(0, 100, &measured), 0);
	assert_int_equal(measured, 100);
}

/* A burst shorter than the limit: every repetition gets every try. */
static void test_burst(void **state)
{
	const unsigned int n = TB_CONTENTION_SATURATED - 1;
	unsigned int measured;

	(void)state;
	assert_int_equal(run(n, 100, &measured), 0);
	assert_int_equal(measured, n * TB_CONTENTION_TRIES + (100 - n));
}

/* Steady contention: after the limit, once each; the quiet ends it. */
static void test_steady(void **state)
{
	const unsigned int s = TB_CONTENTION_SATURATED;
	unsigned int measured;

	(void)state;
	assert_int_equal(run(50, 50, &measured), 50);
	assert_int_equal(measured, s * TB_CONTENTION_TRIES + (50 - s));
	assert_int_equal(run(50, 60, &measured), 0);
	assert_int_equal(tb_contention_max_tries(0), TB_CONTENTION_TRIES);
	assert_int_equal(tb_contention_max_tries(s), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_host),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_steady),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
