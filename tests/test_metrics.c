// SPDX-License-Identifier: GPL-2.0
/*
 * The PMU-only arithmetic, without a PMU: Arm's derived metrics from
 * per-call counts, and the check that flags counts the code cannot have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "metrics.h"

static double metric(const struct tb_metric *m, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return m[i].value;
	fail_msg("no metric %s", name);
	return 0;
}

/* A Neoverse default set, per call (bench/calibration-like numbers). */
static void test_arm_metrics(void **state)
{
	const char *names[] = { "CPU_CYCLES",	    "INST_RETIRED",
				"BR_RETIRED",	    "BR_MIS_PRED_RETIRED",
				"L1I_CACHE_REFILL", "STALL_FRONTEND" };
	const double v[] = { 8, 10, 4, 0.1, 0.01, 2 };
	struct tb_metric m[TB_MAX_METRICS];
	int n;

	(void)state;
	n = tb_derived_metrics(names, v, 6, m);
	assert_int_equal(n, 4);
	assert_float_equal(metric(m, n, "branch_mpki"), 10, 1e-9);
	assert_float_equal(metric(m, n, "mispredict_ratio"), 0.025, 1e-12);
	assert_float_equal(metric(m, n, "l1i_mpki"), 1, 1e-9);
	assert_float_equal(metric(m, n, "frontend_stalled"), 0.25, 1e-12);
}

/* x86's generic names; metrics whose events are missing are left out. */
static void test_generic_metrics(void **state)
{
	const char *names[] = { "cycles", "instructions", "branches",
				"branch-misses" };
	const double v[] = { 5, 3, 2, 0.5 };
	struct tb_metric m[TB_MAX_METRICS];
	int n;

	(void)state;
	n = tb_derived_metrics(names, v, 4, m);
	assert_int_equal(n, 2);
	assert_float_equal(metric(m, n, "branch_mpki"), 500.0 / 3, 1e-9);
	assert_float_equal(metric(m, n, "mispredict_ratio"), 0.25, 1e-12);
	/* A zero denominator gives no metric, not an infinity. */
	assert_int_equal(tb_derived_metrics(names, (double[]){ 5, 0, 0, 0 },
					    4, m),
			 0);
}

static void test_cost_check(void **state)
{
	const char *names[] = { "INST_RETIRED", "BR_RETIRED" };
	struct tb_call_cost want = { 8, 4 };
	char label[160] = "pmu";
	bool bad;

	(void)state;
	/* Exact, or off by an interrupt's worth: fine. */
	assert_true(tb_check_cost(names, (double[]){ 8.0, 4.0 }, 2, want,
				  &bad, label, sizeof(label)));
	assert_false(bad);
	assert_true(tb_check_cost(names, (double[]){ 8.1, 4.02 }, 2, want,
				  &bad, label, sizeof(label)));
	assert_false(bad);
	assert_string_equal(label, "pmu");
	/* One instruction more per call: not the code we meant. */
	assert_true(tb_check_cost(names, (double[]){ 9.0, 4.0 }, 2, want,
				  &bad, label, sizeof(label)));
	assert_true(bad);
	assert_string_equal(label,
			    "pmu MISMATCH: 9.00 instructions/call, the code has 8");
	/* Nothing counted: nothing checked. */
	assert_false(tb_check_cost((const char *[]){ "cycles" },
				   (double[]){ 7 }, 1, want, &bad, label,
				   sizeof(label)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm_metrics),
		cmocka_unit_test(test_generic_metrics),
		cmocka_unit_test(test_cost_check),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
