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

#include "cpu_model.h"
#include "meter.h"
#include "metrics.h"
#include "pmu_events.h"

/* Each name's role, as the data tables give it for @m. */
static void roles_of(const struct tb_cpu_model *m, const char *const *names,
		     int n, enum tb_role *roles)
{
	for (int i = 0; i < n; i++) {
		const struct tb_event_row *r = tb_event_row(m, names[i]);

		roles[i] = r && !r->avoid ? r->role : TB_ROLE_NONE;
	}
}

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
	struct tb_cpu_model n1;
	enum tb_role roles[6];
	int n;

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x41, 3, 0xd0c, 1), &n1);
	roles_of(&n1, names, 6, roles);
	n = tb_derived_metrics(roles, v, 6, m);
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
	struct tb_cpu_model x86;
	enum tb_role roles[4];
	int n;

	(void)state;
	tb_cpu_model_from_x86("AuthenticAMD", 25, 17, &x86);
	roles_of(&x86, names, 4, roles);
	n = tb_derived_metrics(roles, v, 4, m);
	assert_int_equal(n, 2);
	assert_float_equal(metric(m, n, "branch_mpki"), 500.0 / 3, 1e-9);
	assert_float_equal(metric(m, n, "mispredict_ratio"), 0.25, 1e-12);
	/* A zero denominator gives no metric, not an infinity. */
	assert_int_equal(tb_derived_metrics(roles, (double[]){ 5, 0, 0, 0 },
					    4, m),
			 0);
}

/*
 * Apple's own names (CORE_ACTIVE_CYCLE, INST_ALL, ...) take the same
 * roles: the metrics and the cost check see them, and AmpereOne's
 * STALL_FRONTEND (erratum AC03_CPU_29) drives no metric.
 */
static void test_apple_and_ampereone(void **state)
{
	const char *apple[] = { "CORE_ACTIVE_CYCLE", "INST_ALL",
				"BRANCH_MISPRED_NONSPEC", "INST_BRANCH",
				"L1I_CACHE_MISS_DEMAND" };
	const char *a1[] = { "CPU_CYCLES", "INST_RETIRED", "STALL_FRONTEND" };
	struct tb_metric m[TB_MAX_METRICS];
	struct tb_cpu_model cpu;
	enum tb_role roles[5];
	struct tb_cost_model want = { 10, 4 };
	char label[160] = "pmu";
	bool bad;
	int n;

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x61, 1, 0x023, 1), &cpu);
	roles_of(&cpu, apple, 5, roles);
	assert_int_equal(roles[0], TB_ROLE_CYCLES);
	assert_int_equal(roles[1], TB_ROLE_INSTRUCTIONS);
	n = tb_derived_metrics(roles, (double[]){ 8, 10, 0.1, 4, 0.01 }, 5,
			       m);
	assert_int_equal(n, 3);
	assert_float_equal(metric(m, n, "branch_mpki"), 10, 1e-9);
	assert_float_equal(metric(m, n, "mispredict_ratio"), 0.025, 1e-12);
	assert_true(tb_cost_verify(roles, (double[]){ 8, 11, 0.1, 4, 0.01 }, 5,
				   want, &bad, label, sizeof(label)));
	assert_true(bad);

	tb_cpu_model_from_midr(tb_midr_make(0xc0, 0, 0xac3, 0), &cpu);
	roles_of(&cpu, a1, 3, roles);
	assert_int_equal(roles[2], TB_ROLE_NONE);
	assert_int_equal(tb_derived_metrics(roles, (double[]){ 8, 10, 2 }, 3,
					    m),
			 0);
	/* the same event on a Neoverse N1 is the frontend-stall role */
	tb_cpu_model_from_midr(tb_midr_make(0x41, 3, 0xd0c, 1), &cpu);
	roles_of(&cpu, a1, 3, roles);
	assert_int_equal(roles[2], TB_ROLE_FRONTEND_STALL);
}

/* A cycles or instructions count of 0 makes the row invalid. */
static void test_zero_counts(void **state)
{
	const char *names[] = { "CORE_ACTIVE_CYCLE", "INST_ALL",
				"INST_BRANCH" };
	struct tb_cpu_model cpu;
	enum tb_role roles[3];
	char label[160] = "pmu";

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x61, 1, 0x023, 1), &cpu);
	roles_of(&cpu, names, 3, roles);
	assert_int_equal(tb_zero_counts(names, roles, (double[]){ 3, 5, 0 }, 3,
					label, sizeof(label)),
			 0);
	assert_string_equal(label, "pmu");
	assert_int_equal(tb_zero_counts(names, roles, (double[]){ 0, 5, 1 }, 3,
					label, sizeof(label)),
			 1);
	assert_string_equal(label, "pmu INVALID: CORE_ACTIVE_CYCLE counted 0");
	assert_int_equal(tb_zero_counts(names, roles, (double[]){ 0, 0, 1 }, 3,
					label, sizeof(label)),
			 2);
}

/*
 * The meter finds its cycles by role: Apple's CORE_ACTIVE_CYCLE is the
 * cycles event (before, on an M1 the cycles column was the timer's).
 */
static void test_meter_roles(void **state)
{
	static struct tb_meter m;
	struct tb_cpu_model cpu;
	char err[256];

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x61, 1, 0x023, 1), &cpu);
	cpu.pmu.type = 9;	/* as sysfs would give it */
	m.nevents = tb_events_encode(&cpu, "INST_ALL,CORE_ACTIVE_CYCLE",
				     m.events, TB_MAX_EVENTS, err,
				     sizeof(err));
	assert_int_equal(m.nevents, 2);
	m.hw = true;
	assert_int_equal(tb_meter_cycles_event(&m), 1);
	assert_int_equal(tb_meter_role(&m, TB_ROLE_INSTRUCTIONS), 0);
	assert_int_equal(tb_meter_role(&m, TB_ROLE_BRANCHES), -1);
	m.hw = false;	/* software events only: cycles from the timer */
	assert_int_equal(tb_meter_cycles_event(&m), -1);
}

/*
 * The results' event_roles: each role's counter key in the rows, the
 * cycles event's being "cycles"; nothing outside pmu mode.
 */
static void test_event_roles(void **state)
{
	static struct tb_meter m;
	struct tb_cpu_model cpu;
	char err[256], buf[256];

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x41, 3, 0xd0c, 1), &cpu);
	m.nevents = tb_events_encode(&cpu,
				     "INST_RETIRED,CPU_CYCLES,BR_MIS_PRED,"
				     "L1I_CACHE_REFILL,BR_MIS_PRED_RETIRED",
				     m.events, TB_MAX_EVENTS, err,
				     sizeof(err));
	assert_int_equal(m.nevents, 5);
	m.hw = true;
	m.mode = TB_MODE_PMU;
	tb_meter_event_roles(&m, buf, sizeof(buf));
	assert_string_equal(buf,
			    "cycles=cycles,instructions=INST_RETIRED,"
			    "mispredicts=BR_MIS_PRED,"
			    "retired_mispredicts=BR_MIS_PRED_RETIRED,"
			    "l1i_refill=L1I_CACHE_REFILL");
	assert_string_equal(tb_meter_role_key(&m, TB_ROLE_L1I_REFILL),
			    "L1I_CACHE_REFILL");
	assert_null(tb_meter_role_key(&m, TB_ROLE_BRANCHES));
	/* cut short, never past the buffer */
	tb_meter_event_roles(&m, buf, 20);
	assert_string_equal(buf, "cycles=cycles,instr");

	/* x86: perf's generic names */
	tb_cpu_model_from_x86("AuthenticAMD", 0x1a, 0x44, &cpu);
	m.nevents = tb_events_encode(&cpu,
				     "cycles,branch-misses,instructions",
				     m.events, TB_MAX_EVENTS, err,
				     sizeof(err));
	assert_int_equal(m.nevents, 3);
	tb_meter_event_roles(&m, buf, sizeof(buf));
	assert_string_equal(buf, "cycles=cycles,instructions=instructions,"
				 "retired_mispredicts=branch-misses");

	/* timer (or emulated) mode: no counter has a role */
	m.mode = TB_MODE_TIMER;
	tb_meter_event_roles(&m, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_null(tb_meter_role_key(&m, TB_ROLE_CYCLES));
}

static void test_cost_check(void **state)
{
	const char *names[] = { "INST_RETIRED", "BR_RETIRED" };
	struct tb_cost_model want = { 8, 4 };
	char label[160] = "pmu";
	struct tb_cpu_model n1;
	enum tb_role roles[2];
	bool bad;

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x41, 3, 0xd0c, 1), &n1);
	roles_of(&n1, names, 2, roles);
	/* Exact, or off by an interrupt's worth: fine. */
	assert_true(tb_cost_verify(roles, (double[]){ 8.0, 4.0 }, 2, want,
				   &bad, label, sizeof(label)));
	assert_false(bad);
	assert_true(tb_cost_verify(roles, (double[]){ 8.1, 4.02 }, 2, want,
				   &bad, label, sizeof(label)));
	assert_false(bad);
	assert_string_equal(label, "pmu");
	/* One instruction more per call: not the code we meant. */
	assert_true(tb_cost_verify(roles, (double[]){ 9.0, 4.0 }, 2, want,
				   &bad, label, sizeof(label)));
	assert_true(bad);
	assert_string_equal(label,
			    "pmu MISMATCH: 9.00 instructions/call, the code has 8");
	/* Nothing counted: nothing checked. */
	assert_false(tb_cost_verify((enum tb_role[]){ TB_ROLE_CYCLES },
				    (double[]){ 7 }, 1, want, &bad, label,
				   sizeof(label)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm_metrics),
		cmocka_unit_test(test_generic_metrics),
		cmocka_unit_test(test_cost_check),
		cmocka_unit_test(test_apple_and_ampereone),
		cmocka_unit_test(test_zero_counts),
		cmocka_unit_test(test_meter_roles),
		cmocka_unit_test(test_event_roles),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
