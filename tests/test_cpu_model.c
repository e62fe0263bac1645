// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_model: MIDR decoding from the machine fixtures and the table.
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
#include "tb_tmpdir.h"

static void identify(const char *machine, int cpu, struct tb_cpu_model *m)
{
	assert_int_equal(tb_cpu_identify(fixture(machine), cpu, m), 0);
	assert_int_equal(m->cpu, cpu);
}

static void test_midr_layout(void **state)
{
	(void)state;
	assert_true(tb_midr_make(0x41, 3, 0xd0c, 1) == 0x413fd0c1);
	assert_true(tb_midr_make(0xc0, 0, 0xac3, 0) == 0xc00fac30);
	assert_true(tb_midr_make(0x61, 1, 0x023, 1) == 0x611f0231);
}

static void test_graviton2(void **state)
{
	struct tb_cpu_model m;
	int cpu;

	(void)state;
	for (cpu = 0; cpu < 4; cpu++) {
		identify("graviton2", cpu, &m);
		assert_true(m.known);
		assert_string_equal(m.source, "sysfs midr_el1");
		assert_true(m.midr == 0x413fd0c1);
		assert_int_equal(m.implementer, 0x41);
		assert_int_equal(m.part, 0xd0c);
		assert_int_equal(m.variant, 3);
		assert_int_equal(m.revision, 1);
		assert_string_equal(m.name, "Neoverse N1");
		assert_string_equal(m.core_type, "Neoverse N1");
		assert_non_null(strstr(m.found_in, "Graviton2"));
		assert_string_equal(m.pfm_pmu, "arm_n1");
		/* the ACPI PMU of every CPU, from sysfs */
		assert_string_equal(m.pmu.name, "armv8_pmuv3_0");
		assert_int_equal(m.pmu.type, 8);
		assert_int_equal(m.nr_core_pmus, 1);
		assert_true(m.recorded);
		assert_int_equal(m.pmu_kind, TB_PMU_ARMV8);
	}
	/* mispredicts both speculative and retired */
	assert_non_null(strstr(m.default_events, "BR_MIS_PRED,"));
	assert_non_null(strstr(m.default_events, "BR_MIS_PRED_RETIRED"));
}

static void test_ampere_altra_cpuinfo(void **state)
{
	struct tb_cpu_model m;

	(void)state;
	identify("ampere-altra", 2, &m);
	assert_string_equal(m.source, "/proc/cpuinfo");
	assert_true(m.midr == 0x413fd0c1);
	assert_string_equal(m.name, "Neoverse N1");
	assert_non_null(strstr(m.found_in, "Ampere Altra"));
	assert_string_equal(m.pfm_pmu, "arm_n1");
}

static void test_graviton3_4(void **state)
{
	struct tb_cpu_model m;

	(void)state;
	identify("graviton3", 1, &m);
	assert_true(m.midr == 0x411fd401);
	assert_string_equal(m.name, "Neoverse V1");
	assert_string_equal(m.pfm_pmu, "arm_v1");
	assert_non_null(strstr(m.found_in, "Graviton3"));

	identify("graviton4", 3, &m);
	assert_true(m.midr == 0x410fd4f1);
	assert_string_equal(m.name, "Neoverse V2");
	assert_string_equal(m.pfm_pmu, "arm_v2");
	assert_non_null(strstr(m.found_in, "Graviton4"));
}

static void test_ampereone(void **state)
{
	struct tb_cpu_model m;

	(void)state;
	identify("ampereone", 0, &m);
	assert_true(m.known);
	assert_true(m.midr == 0xc00fac30);
	assert_int_equal(m.implementer, 0xc0);
	assert_int_equal(m.part, 0xac3);
	assert_string_equal(m.name, "AmpereOne");
	/* libpfm4 4.13 has no AmpereOne model: raw PMUv3 codes */
	assert_null(m.pfm_pmu);
	assert_int_equal(m.pmu_kind, TB_PMU_ARMV8);
	assert_non_null(strstr(m.default_events, "BR_MIS_PRED_RETIRED"));
}

static void test_apple_m1(void **state)
{
	struct tb_cpu_model m;

	(void)state;
	identify("apple-m1", 0, &m);
	assert_string_equal(m.source, "/proc/cpuinfo");
	assert_int_equal(m.implementer, 0x61);
	assert_int_equal(m.part, 0x022);
	assert_string_equal(m.name, "Apple M1 Icestorm");
	assert_string_equal(m.core_type, "Icestorm (E-core)");
	assert_string_equal(m.pmu.name, "apple_icestorm_pmu");
	assert_int_equal(m.pmu.type, 8);
	assert_int_equal(m.nr_core_pmus, 2);
	assert_null(m.pfm_pmu);
	assert_int_equal(m.pmu_kind, TB_PMU_APPLE);

	identify("apple-m1", 7, &m);
	assert_int_equal(m.part, 0x023);
	assert_string_equal(m.core_type, "Firestorm (P-core)");
	assert_string_equal(m.pmu.name, "apple_firestorm_pmu");
	assert_int_equal(m.pmu.type, 9);
	assert_non_null(strstr(m.default_events, "BRANCH_MISPRED_NONSPEC"));
}

static void test_apple_core_types(void **state)
{
	struct tb_core_type t[TB_MAX_CORE_TYPES];
	int n;

	(void)state;
	n = tb_cpu_core_types(fixture("apple-m1"), t, TB_MAX_CORE_TYPES);
	assert_int_equal(n, 2);
	/* fastest first, each with its last CPU as representative */
	assert_string_equal(t[0].model.core_type, "Firestorm (P-core)");
	assert_string_equal(t[0].cpus, "4-7");
	assert_int_equal(t[0].ncpus, 4);
	assert_int_equal(t[0].cpu, 7);
	assert_string_equal(t[1].model.core_type, "Icestorm (E-core)");
	assert_string_equal(t[1].cpus, "0-3");
	assert_int_equal(t[1].cpu, 3);

	n = tb_cpu_core_types(fixture("graviton2"), t, TB_MAX_CORE_TYPES);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].cpus, "0-3");
	assert_int_equal(t[0].cpu, 3);
}

/* A folder that is no tree of /sys and /proc: no core type invented. */
static void test_empty_root(void **state)
{
	struct tb_core_type t[TB_MAX_CORE_TYPES];
	char dir[256];
	int n;

	(void)state;
	assert_int_equal(tb_tmpdir_make(dir, sizeof(dir), "emptyroot"), 0);
	n = tb_cpu_core_types(dir, t, TB_MAX_CORE_TYPES);
	assert_int_equal(tb_tmpdir_remove(dir), 0);
	assert_int_equal(n, -ENOENT);
}

static void test_x86_zen4(void **state)
{
	struct tb_cpu_model m;
	struct tb_core_type t[2];

	(void)state;
	identify("x86-zen4", 1, &m);
	assert_true(m.known);
	assert_string_equal(m.vendor, "AuthenticAMD");
	assert_int_equal(m.family, 25);
	assert_int_equal(m.model, 17);
	assert_int_equal(m.stepping, 1);
	assert_string_equal(m.name, "AMD Zen 4");
	assert_non_null(strstr(m.model_name, "EPYC 9654"));
	assert_int_equal(m.pmu_kind, TB_PMU_GENERIC);
	assert_non_null(strstr(m.default_events, "branch-misses"));
	assert_non_null(strstr(m.default_events, "L1-icache-load-misses"));
	assert_int_equal(tb_cpu_core_types(fixture("x86-zen4"), t, 2), 1);
	assert_string_equal(t[0].cpus, "0-1");
}

/* Every part of the table, by MIDR alone. */
static void test_table(void **state)
{
	static const struct {
		unsigned int imp, part;
		const char *name, *type, *pfm, *table;
	} want[] = {
		{ 0x41, 0xd0c, "Neoverse N1", "Neoverse N1", "arm_n1", NULL },
		{ 0x41, 0xd40, "Neoverse V1", "Neoverse V1", "arm_v1", NULL },
		{ 0x41, 0xd49, "Neoverse N2", "Neoverse N2", "arm_n2", NULL },
		{ 0x41, 0xd4f, "Neoverse V2", "Neoverse V2", "arm_v2", NULL },
		{ 0x41, 0xd84, "Neoverse V3", "Neoverse V3", NULL, NULL },
		{ 0x41, 0xd8e, "Neoverse N3", "Neoverse N3", NULL, NULL },
		{ 0x41, 0xd03, "Cortex-A53", "Cortex-A53", "arm_ac53", NULL },
		{ 0x41, 0xd08, "Cortex-A72", "Cortex-A72", NULL, NULL },
		{ 0x41, 0xd0b, "Cortex-A76", "Cortex-A76", NULL, NULL },
		{ 0xc0, 0xac3, "AmpereOne", "AmpereOne", NULL, "ampereone" },
		{ 0xc0, 0xac4, "AmpereOne A", "AmpereOne A", NULL,
		  "ampereone" },
		{ 0x61, 0x022, "Apple M1 Icestorm", "Icestorm (E-core)", NULL,
		  "apple_m1" },
		{ 0x61, 0x025, "Apple M1 Pro Firestorm", "Firestorm (P-core)",
		  NULL, "apple_m1" },
		{ 0x61, 0x028, "Apple M1 Max Icestorm", "Icestorm (E-core)",
		  NULL, "apple_m1" },
		{ 0x61, 0x032, "Apple M2 Blizzard", "Blizzard (E-core)", NULL,
		  "apple_m1" },
		{ 0x61, 0x035, "Apple M2 Pro Avalanche", "Avalanche (P-core)",
		  NULL, "apple_m1" },
		{ 0x61, 0x039, "Apple M2 Max Avalanche", "Avalanche (P-core)",
		  NULL, "apple_m1" },
	};
	struct tb_cpu_model m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		tb_cpu_model_from_midr(tb_midr_make(want[i].imp, 0,
						    want[i].part, 0), &m);
		assert_true(m.known);
		assert_string_equal(m.name, want[i].name);
		assert_string_equal(m.core_type, want[i].type);
		if (want[i].pfm)
			assert_string_equal(m.pfm_pmu, want[i].pfm);
		else
			assert_null(m.pfm_pmu);
		assert_string_equal(m.table, want[i].table ? want[i].table :
							     "armv8_pmuv3");
		assert_int_equal(m.pmu_kind, want[i].table &&
						     !strcmp(want[i].table,
							     "apple_m1") ?
						     TB_PMU_APPLE :
						     TB_PMU_ARMV8);
		/* no sysfs: no PMU */
		assert_string_equal(m.pmu.name, "");
		assert_int_equal(m.pmu.type, -1);
		assert_non_null(m.default_events);
	}
	assert_int_equal(tb_cpu_model_from_pfm("arm_v2", &m), 0);
	assert_string_equal(m.name, "Neoverse V2");
	assert_int_equal(tb_cpu_model_from_pfm("arm_ac57", &m), -ENOENT);
}

static void test_unknown(void **state)
{
	struct tb_cpu_model m;

	(void)state;
	/* a Cortex-A55 is not in the table: the '*' row of cores.tsv */
	tb_cpu_model_from_midr(tb_midr_make(0x41, 2, 0xd05, 0), &m);
	assert_false(m.known);
	assert_int_equal(m.part, 0xd05);
	assert_string_equal(m.name, "unknown arm64 PMUv3 core");
	assert_int_equal(m.pmu_kind, TB_PMU_ARMV8);
	assert_non_null(strstr(m.default_events, "CPU_CYCLES"));
	assert_non_null(strstr(m.default_events, "BR_MIS_PRED_RETIRED"));

	/* a root with nothing in it: the running architecture's row */
	assert_int_equal(tb_cpu_identify("/nonexistent", 0, &m), 0);
	assert_false(m.known);
	assert_string_equal(m.source, "none");
	assert_int_equal(tb_cpu_identify("", -1, &m), -EINVAL);
}

/* The core's name in results file names: a lowercase slug, or the arch. */
static void test_core_slug(void **state)
{
	static const struct {
		const char *machine;
		int cpu;
		const char *slug;
	} want[] = {
		{ "graviton2", 0, "neoverse-n1" },
		{ "graviton4", 0, "neoverse-v2" },
		{ "apple-m1", 7, "apple-m1-firestorm" },
		{ "apple-m1", 0, "apple-m1-icestorm" },
		{ "x86-zen5", 0, "amd-zen-5" },
		{ "intel-adl", 0, "intel-alder-lake-p-core" },
	};
	struct tb_cpu_model m;
	char buf[64], tiny[5];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		identify(want[i].machine, want[i].cpu, &m);
		assert_string_equal(tb_cpu_core_slug(&m, buf, sizeof(buf)),
				    want[i].slug);
	}
	/* cut short: no trailing '-' ("amd-" would be "amd") */
	identify("x86-zen5", 0, &m);
	assert_string_equal(tb_cpu_core_slug(&m, tiny, sizeof(tiny)), "amd");
	/* a core no row knows: its architecture */
	tb_cpu_model_from_midr(tb_midr_make(0x41, 2, 0xd05, 0), &m);
	assert_string_equal(tb_cpu_core_slug(&m, buf, sizeof(buf)), "arm64");
	tb_cpu_model_from_x86("HygonGenuine", 0x18, 0, &m);
	assert_string_equal(tb_cpu_core_slug(&m, buf, sizeof(buf)), "x86");
}

static void test_running_system(void **state)
{
	struct tb_cpu_model m;
	cpu_set_t set;

	(void)state;
	assert_int_equal(tb_cpu_identify("", 0, &m), 0);
	assert_non_null(m.default_events);
	print_message("cpu0: %s (%s), from %s\n", m.name,
		      m.model_name[0] ? m.model_name : "-", m.source);
#if defined(__aarch64__)
	/* under qemu-user cpuinfo is the x86 host's: never taken */
	assert_int_not_equal(m.pmu_kind, TB_PMU_GENERIC);
#else
	assert_int_equal(m.pmu_kind, TB_PMU_GENERIC);
#endif
	assert_true(tb_cpus_online("", &set) > 0);
}

static void test_cpulist(void **state)
{
	cpu_set_t set;
	char buf[64];

	(void)state;
	assert_int_equal(tb_cpulist_parse("0-3,6,8-9\n", &set), 7);
	tb_cpulist_format(&set, buf, sizeof(buf));
	assert_string_equal(buf, "0-3,6,8-9");
	assert_int_equal(tb_cpulist_parse("5", &set), 1);
	assert_true(CPU_ISSET(5, &set));
	assert_int_equal(tb_cpulist_parse("3-1", &set), -EINVAL);
	assert_int_equal(tb_cpulist_parse("x", &set), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_midr_layout),
		cmocka_unit_test(test_graviton2),
		cmocka_unit_test(test_ampere_altra_cpuinfo),
		cmocka_unit_test(test_graviton3_4),
		cmocka_unit_test(test_ampereone),
		cmocka_unit_test(test_apple_m1),
		cmocka_unit_test(test_apple_core_types),
		cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_x86_zen4),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_core_slug),
		cmocka_unit_test(test_running_system),
		cmocka_unit_test(test_cpulist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
