// SPDX-License-Identifier: GPL-2.0
/*
 * The calibration chains do what their rows claim, told from their
 * results: each loop returns its chain register, so add_chain's says how
 * many adds ran, and mul_chain's, TB_CAL_MUL to the power of the
 * multiplies that each took the last one's product (a multiply of
 * anything else, or one item more or less, gives another number).  And
 * the rows' labels: add_chain says when it is the clock's definition,
 * mul_chain cites the stated latency of the core, or says there is none.
 * No timing here: what the chains read is in the README and docs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "calibration.h"
#include "harness_arch.h"

static uint64_t power(uint64_t base, uint64_t n)
{
	uint64_t r = 1;

	while (n--)
		r *= base;
	return r;
}

static void test_add_chain_counts(void **state)
{
	(void)state;
	for (uint64_t p = 1; p <= 7; p += 6) {
		assert_int_equal(tb_cal_add_chain_1(p, 0), TB_CAL_UNROLL * p);
		assert_int_equal(tb_cal_add_chain_2(p, 0),
				 2 * TB_CAL_UNROLL * p);
	}
}

static void test_mul_chain_dependent(void **state)
{
	(void)state;
	for (uint64_t p = 1; p <= 7; p += 6) {
		uint64_t one = tb_cal_mul_chain_1(p, 0);
		uint64_t two = tb_cal_mul_chain_2(p, 0);

		print_message("passes %llu: %016llx %016llx\n",
			      (unsigned long long)p, (unsigned long long)one,
			      (unsigned long long)two);
		assert_int_equal(one, power(TB_CAL_MUL, TB_CAL_UNROLL * p));
		assert_int_equal(two, power(TB_CAL_MUL, 2 * TB_CAL_UNROLL * p));
		/* odd: the chain never reached 0 */
		assert_true(one & two & 1);
	}
}

static void test_add_label(void **state)
{
	(void)state;
	assert_non_null(strstr(tb_calibration_add_label(true),
			       "the clock's definition, no check"));
	assert_null(tb_calibration_add_label(false));
}

/* The first latency row of this architecture with (or without) a value. */
static const struct tb_latency_row *row(bool stated)
{
	for (size_t i = 0; i < tb_nr_latency_rows; i++)
		if (!strcmp(tb_latency_rows[i].arch, tb_harness_arch) &&
		    (tb_latency_rows[i].cycles > 0) == stated)
			return &tb_latency_rows[i];
	return NULL;
}

static void test_mul_label(void **state)
{
	const char *other = strcmp(tb_harness_arch, "x86") ? "x86" : "arm64";
	const struct tb_latency_row *r = row(true), *none = row(false);
	char buf[192], want[192];

	(void)state;
	assert_non_null(r);
	assert_true(r->cycles ==
		    tb_calibration_mul_label(tb_harness_arch, r->core, false,
					     buf, sizeof(buf)));
	print_message("%s\n", buf);
	snprintf(want, sizeof(want), "%g cycles each on %s, per %s", r->cycles,
		 r->core, r->source);
	assert_non_null(strstr(buf, want));

	/* emulated: the same core, nothing to hold the emulator to */
	assert_true(tb_calibration_mul_label(tb_harness_arch, r->core, true,
					     buf, sizeof(buf)) == 0);
	assert_non_null(strstr(buf, "emulated: no latency"));
	assert_null(strstr(buf, r->source));

	/* the core of the other architecture is no core of this one */
	assert_true(tb_calibration_mul_label(other, r->core, false, buf,
					     sizeof(buf)) == 0);
	assert_non_null(strstr(buf, "no stated latency for this core"));

	assert_true(tb_calibration_mul_label(tb_harness_arch, "no such core",
					     false, buf, sizeof(buf)) == 0);
	assert_non_null(strstr(buf, "no stated latency for this core "
				    "(no such core)"));

	/* a core checked and left without one: why, as the data says */
	if (none) {
		assert_true(tb_calibration_mul_label(tb_harness_arch,
						     none->core, false, buf,
						     sizeof(buf)) == 0);
		print_message("%s\n", buf);
		snprintf(want, sizeof(want),
			 "no stated latency for this core (%s): %s",
			 none->core, none->source);
		assert_non_null(strstr(buf, want));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_chain_counts),
		cmocka_unit_test(test_mul_chain_dependent),
		cmocka_unit_test(test_add_label),
		cmocka_unit_test(test_mul_label),
	};

	return cmocka_run_group_tests_name("calibration", tests, NULL, NULL);
}
