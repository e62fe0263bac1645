// SPDX-License-Identifier: GPL-2.0
/*
 * The calibration chains do what their rows claim, told from their
 * results: each loop returns its chain register, so add_chain's says how
 * many adds ran, and mul_chain's, TB_CAL_MUL to the power of the
 * multiplies that each took the last one's product (a multiply of
 * anything else, or one item more or less, gives another number).
 * No timing here: what the chains read is in the README and docs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calibration.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_chain_counts),
		cmocka_unit_test(test_mul_chain_dependent),
	};

	return cmocka_run_group_tests_name("calibration", tests, NULL, NULL);
}
