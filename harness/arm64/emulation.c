// SPDX-License-Identifier: GPL-2.0
/*
 * arm64: what the host's /proc/cpuinfo shows when it is an x86 one
 * (qemu-user), and what a qemu-system guest's CPU shows that no silicon
 * does.
 */
#include <stdio.h>
#include <string.h>

#include "cpu_model.h"
#include "emulation.h"
#include "harness_arch.h"

const char tb_harness_arch[] = "arm64";

bool tb_arch_cpuinfo_foreign(const char *line)
{
	return !strncmp(line, "vendor_id", 9);
}

/*
 * Events every PMUv3 implements: the architecture's required common
 * events (Arm ARM, DDI0487, "Required events"; Linux lists them so in
 * arch/arm64/kernel/perf_event.c up to v4.x).  The kernel shows an event
 * in sysfs only where PMCEID says it is implemented, and qemu's TCG PMU
 * implements cycles, instructions (with -icount) and stalls alone.
 */
static const struct {
	unsigned int code;
	const char *name;
} required[] = {
	{ 0x04, "L1D_CACHE" },
	{ 0x10, "BR_MIS_PRED" },
	{ 0x12, "BR_PRED" },
};

/* A PMUv3 driver's PMU: armv8_pmuv3, armv8_cortex_a72, armv9_... */
static bool pmuv3(const struct tb_pmu_dev *d)
{
	return !strncmp(d->name, "armv8_", 6) || !strncmp(d->name, "armv9_", 6);
}

bool tb_arch_system_emulated(const char *root, const struct tb_cpu_model *m,
			     char *why, size_t len)
{
	(void)root;
	/*
	 * Implementer 0x00 is reserved for software use (Arm ARM, MIDR_EL1):
	 * qemu's -cpu max says 0x000f0510, no core does.
	 */
	if (m->midr && !m->implementer) {
		snprintf(why, len,
			 "MIDR 0x%08llx has implementer 0x00, reserved for software use, which no silicon has: qemu's -cpu max",
			 (unsigned long long)m->midr);
		return true;
	}
	if (!pmuv3(&m->pmu) || m->pmu.ncodes < 0)
		return false;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!tb_pmu_dev_has(&m->pmu, required[i].code)) {
			snprintf(why, len,
				 "PMU %s lacks %s (0x%02x), which the Arm architecture requires of every PMUv3: qemu's TCG PMU",
				 m->pmu.name, required[i].name,
				 required[i].code);
			return true;
		}
	return false;
}
