// SPDX-License-Identifier: GPL-2.0
/*
 * pmu_events: names -> perf_event_attr.  The forced-PMU cases run where
 * libpfm4 has the Arm models, i.e. the arm64 build (under qemu-aarch64
 * here); the built-in tables and generic names are checked everywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpu_model.h"
#include "tb_fixture.h"
#include "pmu_events.h"


/* Arm PMUv3 numbers: Linux include/linux/perf/arm_pmuv3.h */
static const struct {
	const char *name;
	uint64_t code;
} pmuv3[] = {
	{ "L1I_CACHE_REFILL", 0x01 }, { "L1I_TLB_REFILL", 0x02 },
	{ "INST_RETIRED", 0x08 }, { "BR_MIS_PRED", 0x10 },
	{ "CPU_CYCLES", 0x11 }, { "BR_PRED", 0x12 }, { "BR_RETIRED", 0x21 },
	{ "BR_MIS_PRED_RETIRED", 0x22 }, { "STALL_FRONTEND", 0x23 },
	{ "BR_INDIRECT_SPEC", 0x7a },
};

static uint64_t pmuv3_code(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(pmuv3) / sizeof(pmuv3[0]); i++)
		if (!strcmp(pmuv3[i].name, name))
			return pmuv3[i].code;
	fail_msg("no expected code for %s", name);
	return 0;
}

/*
 * Every event of @evs is a raw PMUv3 event with its common number, on
 * perf type @type (the CPU's PMU from sysfs, else PERF_TYPE_RAW).
 */
static void check_pmuv3(const struct tb_event *evs, int n, const char *pmu,
			uint32_t type)
{
	bool mis = false, mis_retired = false;
	int i;

	assert_true(n >= 8);
	for (i = 0; i < n; i++) {
		assert_int_equal(evs[i].attr.type, type);
		assert_true(evs[i].attr.config == pmuv3_code(evs[i].name));
		assert_string_equal(evs[i].pmu, pmu);
		assert_int_equal(evs[i].attr.exclude_kernel, 1);
		assert_int_equal(evs[i].attr.exclude_hv, 1);
		assert_int_equal(evs[i].attr.exclude_user, 0);
		mis |= !strcmp(evs[i].name, "BR_MIS_PRED");
		mis_retired |= !strcmp(evs[i].name, "BR_MIS_PRED_RETIRED");
	}
	assert_true(mis && mis_retired);
}

static int setup(void **state)
{
	(void)state;
	unsetenv("LIBPFM_FORCE_PMU");
	tb_pmu_exit();
	return 0;
}

static void test_generic(void **state)
{
	static const struct {
		const char *name;
		uint32_t type;
		uint64_t config;
	} want[] = {
		{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
		{ "instructions", PERF_TYPE_HARDWARE,
		  PERF_COUNT_HW_INSTRUCTIONS },
		{ "branches", PERF_TYPE_HARDWARE,
		  PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
		{ "branch-misses", PERF_TYPE_HARDWARE,
		  PERF_COUNT_HW_BRANCH_MISSES },
		{ "L1-icache-load-misses", PERF_TYPE_HW_CACHE,
		  PERF_COUNT_HW_CACHE_L1I |
			  PERF_COUNT_HW_CACHE_OP_READ << 8 |
			  PERF_COUNT_HW_CACHE_RESULT_MISS << 16 },
		{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
		{ "context-switches", PERF_TYPE_SOFTWARE,
		  PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "cpu-migrations", PERF_TYPE_SOFTWARE,
		  PERF_COUNT_SW_CPU_MIGRATIONS },
		{ "perf::CYCLES", PERF_TYPE_HARDWARE,
		  PERF_COUNT_HW_CPU_CYCLES },
		{ "r22", PERF_TYPE_RAW, 0x22 },
		{ "0x22", PERF_TYPE_RAW, 0x22 },
		{ "r1B", PERF_TYPE_RAW, 0x1b },
	};
	struct tb_cpu_model x86;
	struct tb_event ev;
	char err[256];
	size_t i;

	(void)state;
	tb_cpu_model_from_x86("AuthenticAMD", 25, 17, &x86);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(tb_event_encode(&x86, want[i].name, &ev, err,
						 sizeof(err)), 0);
		assert_int_equal(ev.attr.type, want[i].type);
		assert_true(ev.attr.config == want[i].config);
		assert_int_equal(ev.attr.size, sizeof(ev.attr));
		assert_int_equal(ev.attr.exclude_kernel, 1);
		assert_int_equal(ev.attr.exclude_hv, 1);
		assert_string_equal(ev.name, want[i].name);
	}
}

static void test_x86_defaults(void **state)
{
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[256];
	int n, i;

	(void)state;
	assert_int_equal(tb_cpu_identify(fixture("x86-zen4"), 0, &m), 0);
	n = tb_events_encode(&m, tb_events_default(&m), evs, TB_MAX_EVENTS,
			     err, sizeof(err));
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		assert_true(evs[i].attr.type == PERF_TYPE_HARDWARE ||
			    evs[i].attr.type == PERF_TYPE_HW_CACHE);
		assert_string_equal(evs[i].pmu, "perf");
	}
	assert_true(evs[3].attr.config == PERF_COUNT_HW_BRANCH_MISSES);
	/* it may be missing on some cores: optional */
	assert_true(evs[4].optional);
	assert_false(evs[0].optional);
}

/*
 * Recorded machines: the data tables, never the host's libpfm4 model,
 * and the raw events on the PMU of the tree's sysfs.
 */
static void test_builtin_pmuv3(void **state)
{
	static const char *const machines[] = { "ampereone", "graviton2" };
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[256];
	size_t k;
	int n;

	(void)state;
	for (k = 0; k < sizeof(machines) / sizeof(machines[0]); k++) {
		assert_int_equal(tb_cpu_identify(fixture(machines[k]), 0, &m),
				 0);
		n = tb_events_encode(&m, tb_events_default(&m), evs,
				     TB_MAX_EVENTS, err, sizeof(err));
		if (n < 0)
			fail_msg("%s", err);
		check_pmuv3(evs, n, "armv8_pmuv3_0", 8);
		assert_int_equal(evs[0].role, TB_ROLE_CYCLES);
		assert_int_equal(evs[1].role, TB_ROLE_INSTRUCTIONS);
	}
	/* AmpereOne: STALL_FRONTEND (erratum AC03_CPU_29) not by default */
	assert_int_equal(tb_cpu_identify(fixture("ampereone"), 0, &m), 0);
	assert_null(strstr(tb_events_default(&m), "STALL_FRONTEND"));
	n = tb_events_encode(&m, "STALL_FRONTEND", evs, 1, err, sizeof(err));
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].role, TB_ROLE_NONE);
	assert_null(tb_event_row_role(&m, TB_ROLE_FRONTEND_STALL, false));
}

/* LIBPFM_FORCE_PMU: libpfm4's own model encodes the default set. */
static void test_forced_pmus(void **state)
{
	static const struct {
		const char *pmu, *machine;
		unsigned int part;
	} cores[] = {
		{ "arm_n1", "graviton2", 0 },
		{ "arm_v1", "graviton3", 0 },
		{ "arm_v2", "graviton4", 0 },
		{ "arm_n2", NULL, 0xd49 },
	};
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[256];
	size_t k;
	int n;

	(void)state;
	for (k = 0; k < sizeof(cores) / sizeof(cores[0]); k++) {
		setenv("LIBPFM_FORCE_PMU", cores[k].pmu, 1);
		tb_pmu_exit();
		if (tb_pmu_init() || !tb_pmu_core()) {
			unsetenv("LIBPFM_FORCE_PMU");
			tb_pmu_exit();
			print_message("skipped: this libpfm4 has no %s model (it is the arm64 build that has them)\n",
				      cores[k].pmu);
			skip();
		}
		assert_string_equal(tb_pmu_core(), cores[k].pmu);
		if (cores[k].machine)
			assert_int_equal(tb_cpu_identify(
					 fixture(cores[k].machine), 0, &m), 0);
		else
			tb_cpu_model_from_midr(tb_midr_make(0x41, 0,
							    cores[k].part, 0),
					       &m);
		assert_string_equal(m.pfm_pmu, cores[k].pmu);
		n = tb_events_encode(&m, tb_events_default(&m), evs,
				     TB_MAX_EVENTS, err, sizeof(err));
		if (n < 0)
			fail_msg("%s: %s", cores[k].pmu, err);
		check_pmuv3(evs, n, cores[k].pmu,
			    cores[k].machine ? 8 : PERF_TYPE_RAW);
		/* the forced PMU wins over an unknown core, too */
		assert_string_equal(tb_events_default(NULL), m.default_events);
		/* a PMU named in the event */
		n = tb_events_encode(NULL, "arm_n1::BR_MIS_PRED_RETIRED", evs,
				     1, err, sizeof(err));
		if (!strcmp(cores[k].pmu, "arm_n1")) {
			assert_int_equal(n, 1);
			assert_true(evs[0].attr.config == 0x22);
			assert_string_equal(evs[0].pmu, "arm_n1");
		}
	}
	unsetenv("LIBPFM_FORCE_PMU");
	tb_pmu_exit();
}

static void test_unknown_event(void **state)
{
	struct tb_cpu_model m;
	struct tb_event ev;
	char err[256];

	(void)state;
	tb_cpu_model_from_midr(tb_midr_make(0x41, 3, 0xd0c, 1), &m);
	assert_int_equal(tb_event_encode(&m, "BR_MIS_PREDX", &ev, err,
					 sizeof(err)), -ENOENT);
	print_message("%s\n", err);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "'BR_MIS_PREDX'"));
	assert_non_null(strstr(err, "PMU "));
	assert_non_null(strstr(err, "close names: BR_MIS_PRED"));
	assert_non_null(strstr(err, "BR_MIS_PRED_RETIRED"));

	tb_cpu_model_from_x86("AuthenticAMD", 25, 17, &m);
	assert_int_equal(tb_event_encode(&m, "brnch-misses", &ev, err,
					 sizeof(err)), -ENOENT);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "branch-misses"));

	assert_int_equal(tb_events_encode(&m, "cycles,NOPE_EVENT", &ev, 4, err,
					  sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "NOPE_EVENT"));
}

static void test_unknown_event_forced(void **state)
{
	struct tb_event ev;
	char err[256];

	(void)state;
	setenv("LIBPFM_FORCE_PMU", "arm_n1", 1);
	tb_pmu_exit();
	if (!tb_pmu_core()) {
		unsetenv("LIBPFM_FORCE_PMU");
		tb_pmu_exit();
		print_message("skipped: this libpfm4 has no arm_n1 model\n");
		skip();
	}
	assert_int_equal(tb_event_encode(NULL, "BR_MIS_PREDX", &ev, err,
					 sizeof(err)), -ENOENT);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "PMU arm_n1"));
	assert_non_null(strstr(err, "BR_MIS_PRED"));
	/* an event of another model is not on this one */
	assert_int_equal(tb_event_encode(NULL, "L1I_CACHE_LMISS", &ev, err,
					 sizeof(err)), -ENOENT);
	unsetenv("LIBPFM_FORCE_PMU");
	tb_pmu_exit();
}

static void test_apple(void **state)
{
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[256];
	int n, i;

	(void)state;
	assert_int_equal(tb_cpu_identify(fixture("apple-m1"), 5, &m), 0);
	n = tb_events_encode(&m, tb_events_default(&m), evs, TB_MAX_EVENTS,
			     err, sizeof(err));
	if (n < 0)
		fail_msg("%s", err);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		/* raw codes on the core's own PMU, never PERF_TYPE_RAW */
		assert_int_equal(evs[i].attr.type, 9);
		assert_int_equal(evs[i].attr.exclude_guest, 1);
		assert_string_equal(evs[i].pmu, "apple_firestorm_pmu");
	}
	assert_true(evs[0].attr.config == 0x02);
	assert_true(evs[1].attr.config == 0x8c);
	assert_true(evs[2].attr.config == 0xcb);
	assert_true(evs[3].attr.config == 0x8d);
	assert_true(evs[4].attr.config == 0xdb);

	/* generic events go to the same PMU through the extended type */
	n = tb_events_encode(&m, "cycles,rc5", evs, 2, err, sizeof(err));
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].attr.type, PERF_TYPE_HARDWARE);
	assert_true(evs[0].attr.config == ((uint64_t)9 << 32));
	assert_int_equal(evs[0].attr.exclude_guest, 1);
	assert_int_equal(evs[1].attr.type, 9);
	assert_string_equal(evs[1].pmu, "apple_firestorm_pmu");
	assert_true(evs[1].attr.config == 0xc5);

	/* no perf type for the PMU: an error, not a PERF_TYPE_RAW guess */
	m.pmu.type = -1;
	assert_int_equal(tb_events_encode(&m, "INST_ALL", evs, 1, err,
					  sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "no Apple M1 Firestorm PMU"));

	/* the E-cores have a PMU of their own */
	assert_int_equal(tb_cpu_identify(fixture("apple-m1"), 0, &m), 0);
	n = tb_events_encode(&m, "INST_BRANCH", evs, 1, err, sizeof(err));
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].attr.type, 8);
}

/*
 * big.LITTLE and a v8.0 PMU: each CPU's raw events carry its own PMU's
 * type, and an event the PMU's sysfs folder does not list is dropped
 * with one line naming it and what to count instead, never kept to read
 * 0.
 */
static void test_sysfs_select(void **state)
{
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[256], notes[TB_EVENT_NOTES_MAX];
	int n;

	(void)state;
	assert_int_equal(tb_cpu_identify(fixture("rk3399"), 0, &m), 0);
	assert_string_equal(m.name, "Cortex-A53");
	assert_string_equal(m.pmu.name, "armv8_cortex_a53");
	assert_int_equal(m.nr_core_pmus, 2);
	n = tb_events_select(&m, "CPU_CYCLES,r8,cycles", evs, 3, notes,
			     sizeof(notes), err, sizeof(err));
	assert_int_equal(n, 3);
	assert_int_equal(evs[0].attr.type, 8);
	assert_int_equal(evs[1].attr.type, 8);
	assert_string_equal(evs[1].pmu, "armv8_cortex_a53");
	assert_int_equal(evs[1].role, TB_ROLE_INSTRUCTIONS);
	/* generic events too: the extended type of Linux 6.0 */
	assert_int_equal(evs[2].attr.type, PERF_TYPE_HARDWARE);
	assert_true(evs[2].attr.config ==
		    ((uint64_t)8 << 32 | PERF_COUNT_HW_CPU_CYCLES));
	assert_string_equal(notes, "");

	assert_int_equal(tb_cpu_identify(fixture("rk3399"), 5, &m), 0);
	assert_string_equal(m.name, "Cortex-A72");
	assert_string_equal(m.pmu.name, "armv8_cortex_a72");
	n = tb_events_select(&m, tb_events_default(&m), evs, TB_MAX_EVENTS,
			     notes, sizeof(notes), err, sizeof(err));
	assert_int_equal(n, 6);
	for (int i = 0; i < n; i++) {
		assert_int_equal(evs[i].attr.type, 9);
		assert_string_not_equal(evs[i].name, "BR_RETIRED");
	}
	assert_string_equal(notes,
			    "no BR_RETIRED on PMU armv8_cortex_a72 (Cortex-A72): dropped; use BR_PRED + BR_MIS_PRED\n"
			    "no BR_MIS_PRED_RETIRED on PMU armv8_cortex_a72 (Cortex-A72): dropped; use BR_MIS_PRED\n"
			    "no STALL_FRONTEND on PMU armv8_cortex_a72 (Cortex-A72): dropped\n");
	/* an optional event goes without a word; a raw code is checked too */
	n = tb_events_select(&m, "BR_RETIRED?,r22", evs, 2, notes,
			     sizeof(notes), err, sizeof(err));
	assert_int_equal(n, 0);
	assert_string_equal(notes,
			    "no r22 on PMU armv8_cortex_a72 (Cortex-A72): dropped; use BR_MIS_PRED\n");
	/* IMPLEMENTATION DEFINED numbers are never in sysfs: kept */
	n = tb_events_select(&m, "r7a", evs, 1, notes, sizeof(notes), err,
			     sizeof(err));
	assert_int_equal(n, 1);

	/* AmpereOne: the erratum is named when the event is asked for */
	assert_int_equal(tb_cpu_identify(fixture("ampereone"), 1, &m), 0);
	n = tb_events_select(&m, "STALL_FRONTEND", evs, 1, notes,
			     sizeof(notes), err, sizeof(err));
	assert_int_equal(n, 1);
	assert_non_null(strstr(notes, "erratum AC03_CPU_29"));
	/* one line */
	assert_true(strchr(notes, '\n') == notes + strlen(notes) - 1);
}

/*
 * A core libpfm4 models (its Cortex-A53 model, forced): an event of the
 * data tables the model does not name is encoded from the tables where
 * sysfs lists the PMU's events, which then decide; without sysfs it is
 * dropped by name, not an error that stops the run.
 */
static void test_libpfm4_gaps(void **state)
{
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[256], notes[TB_EVENT_NOTES_MAX];
	int n;

	(void)state;
	setenv("LIBPFM_FORCE_PMU", "arm_ac53", 1);
	tb_pmu_exit();
	if (tb_pmu_init() || !tb_pmu_core()) {
		unsetenv("LIBPFM_FORCE_PMU");
		tb_pmu_exit();
		print_message("skipped: this libpfm4 has no arm_ac53 model (it is the arm64 build that has it)\n");
		skip();
	}
	assert_int_equal(tb_cpu_identify(fixture("rk3399"), 0, &m), 0);
	n = tb_events_select(&m, "CPU_CYCLES,BR_MIS_PRED,BR_RETIRED", evs, 3,
			     notes, sizeof(notes), err, sizeof(err));
	assert_int_equal(n, 2);
	assert_string_equal(evs[0].pmu, "arm_ac53");
	assert_int_equal(evs[0].attr.type, 8);
	assert_string_equal(evs[1].name, "BR_MIS_PRED");
	assert_int_equal(evs[1].attr.type, 8);
	assert_true(evs[1].attr.config == 0x10);
	assert_string_equal(notes,
			    "no BR_RETIRED on PMU armv8_cortex_a53 (Cortex-A53): dropped; use BR_PRED + BR_MIS_PRED\n");

	tb_cpu_model_from_midr(tb_midr_make(0x41, 0, 0xd03, 4), &m);
	n = tb_events_select(&m, "CPU_CYCLES,BR_RETIRED", evs, 2, notes,
			     sizeof(notes), err, sizeof(err));
	assert_int_equal(n, 1);
	assert_string_equal(notes,
			    "no BR_RETIRED on PMU arm_ac53 (Cortex-A53): dropped; use BR_PRED + BR_MIS_PRED\n");
	/* a name nobody knows stays an error */
	assert_int_equal(tb_events_select(&m, "BR_RETIREDX", evs, 1, notes,
					  sizeof(notes), err, sizeof(err)),
			 -ENOENT);
	unsetenv("LIBPFM_FORCE_PMU");
	tb_pmu_exit();
}

/* Intel hybrid: the PMU tells the core type; one row per PMU. */
static void test_intel_hybrid(void **state)
{
	struct tb_cpu_model m;
	struct tb_event ev;
	char err[256];

	(void)state;
	assert_int_equal(tb_cpu_identify(fixture("intel-adl"), 1, &m), 0);
	assert_string_equal(m.core_type, "Golden Cove (P-core)");
	assert_string_equal(m.pmu.name, "cpu_core");
	assert_int_equal(tb_event_encode(&m, "instructions", &ev, err,
					 sizeof(err)), 0);
	assert_true(ev.attr.config ==
		    ((uint64_t)4 << 32 | PERF_COUNT_HW_INSTRUCTIONS));
	assert_int_equal(tb_cpu_identify(fixture("intel-adl"), 6, &m), 0);
	assert_string_equal(m.core_type, "Gracemont (E-core)");
	assert_int_equal(tb_event_encode(&m, "instructions", &ev, err,
					 sizeof(err)), 0);
	assert_true(ev.attr.config ==
		    ((uint64_t)10 << 32 | PERF_COUNT_HW_INSTRUCTIONS));
	/* one core PMU ("cpu", no cpus file): generic events stay generic */
	assert_int_equal(tb_cpu_identify(fixture("x86-zen3"), 1, &m), 0);
	assert_string_equal(m.pmu.name, "cpu");
	assert_int_equal(tb_event_encode(&m, "instructions", &ev, err,
					 sizeof(err)), 0);
	assert_true(ev.attr.config == PERF_COUNT_HW_INSTRUCTIONS);
}

static void test_list_parsing(void **state)
{
	const char *list =
		" cycles, instructions ,L1-icache-load-misses?,NOPE?";
	struct tb_cpu_model m;
	struct tb_event evs[4];
	char err[256];

	(void)state;
	tb_cpu_model_from_x86("AuthenticAMD", 25, 17, &m);
	assert_int_equal(tb_events_encode(&m, list, evs, 4, err, sizeof(err)),
			 3);
	assert_string_equal(evs[1].name, "instructions");
	assert_true(evs[2].optional);
	assert_int_equal(tb_events_encode(&m, "cycles,cycles,cycles", evs, 2,
					  err, sizeof(err)), -E2BIG);
	assert_int_equal(tb_events_encode(&m, "", evs, 4, err, sizeof(err)),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_generic, setup),
		cmocka_unit_test_setup(test_x86_defaults, setup),
		cmocka_unit_test_setup(test_builtin_pmuv3, setup),
		cmocka_unit_test_setup(test_forced_pmus, setup),
		cmocka_unit_test_setup(test_unknown_event, setup),
		cmocka_unit_test_setup(test_unknown_event_forced, setup),
		cmocka_unit_test_setup(test_apple, setup),
		cmocka_unit_test_setup(test_list_parsing, setup),
		cmocka_unit_test_setup(test_sysfs_select, setup),
		cmocka_unit_test_setup(test_intel_hybrid, setup),
		cmocka_unit_test_setup(test_libpfm4_gaps, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
