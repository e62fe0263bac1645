/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU's perf PMU as sysfs describes it:
 * /sys/bus/event_source/devices/<pmu>/{type,cpus,events/,caps/}.
 *
 * A core PMU is one with a cpus file (every arm64 PMU driver, Intel
 * hybrid cpu_core/cpu_atom); on a heterogeneous machine each core type
 * has its own, with its own perf type, and raw events must carry that
 * type (Linux Documentation/arch/arm64/perf.rst).  x86 without hybrid
 * has one "cpu" PMU and no cpus file: it covers every CPU.
 *
 * Every function takes a root prefix: "" for the running system, or a
 * directory that mirrors /sys (tests/fixtures/<machine>).
 */
#ifndef TB_PMU_SYSFS_H
#define TB_PMU_SYSFS_H

#include <stdbool.h>
#include <stdint.h>

#define TB_PMU_MAX_CODES 256

struct tb_pmu_dev {
	char name[48];			/* "" when none was found */
	int type;			/* perf type, -1 if unknown */
	char cpus[64];			/* its cpulist, "" if no cpus file */
	int ncodes;			/* events/ with event=N; -1: no events/ */
	uint16_t codes[TB_PMU_MAX_CODES];
	char caps[160];			/* caps/ as "name=value, ..." */
};

/*
 * The core PMU of @cpu into @out (name "" if none).  Returns how many
 * core PMUs the machine has (0 if none), or a negative errno.
 */
int tb_pmu_dev_for_cpu(const char *root, int cpu, struct tb_pmu_dev *out);

/* Read PMU @name's folder into @out; 0 or -ENOENT. */
int tb_pmu_dev_read(const char *root, const char *name,
		    struct tb_pmu_dev *out);

/* Does the PMU's events/ folder list raw event @code? */
bool tb_pmu_dev_has(const struct tb_pmu_dev *d, uint64_t code);

#endif /* TB_PMU_SYSFS_H */
