/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU identification: which core is this, and which PMU events should
 * trampbench count on it.
 *
 * Per-core knowledge is data: harness/data/cores.tsv (MIDR
 * implementer/part or x86 vendor/family/model -> core name, libpfm4
 * model, event table and default events), compiled in by
 * harness/data/gen-tables.py.  The CPU's perf PMU comes from sysfs
 * (pmu_sysfs.h).  The root prefix and cpulists are sysfs.h's, which this
 * header includes for its users.
 *
 * Every function takes a root prefix: "" for the running system, or a
 * directory that mirrors /sys and /proc (tests/fixtures/<machine>).
 */
#ifndef TB_CPU_MODEL_H
#define TB_CPU_MODEL_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/tables.h"
#include "pmu_sysfs.h"
#include "sysfs.h"

struct tb_cpu_model {
	int cpu;			/* CPU that was identified */
	bool known;			/* matched a table row */
	const char *source;		/* "sysfs midr_el1", "/proc/cpuinfo" */

	/* arm64: MIDR_EL1 and its fields */
	uint64_t midr;
	unsigned int implementer, variant, part, revision;

	/* x86: /proc/cpuinfo */
	char vendor[16];
	unsigned int family, model, stepping;
	char model_name[64];		/* "model name", x86 only */

	const char *name;		/* "Apple M1 Firestorm" */
	const char *core_type;		/* "Firestorm (P-core)" */
	const char *found_in;		/* "Graviton2, Ampere Altra" */
	const char *pfm_pmu;		/* libpfm4 PMU ("arm_n1") or NULL */
	const char *table;		/* event table (harness/data/events.tsv) */
	const char *base;		/* the table it extends, or NULL */
	enum tb_pmu_kind pmu_kind;
	int rank;			/* larger is faster, within a machine */
	const char *default_events;	/* comma list, see pmu_events.h */

	/* sysfs: the PMU whose cpus hold this CPU (name "" if none) */
	struct tb_pmu_dev pmu;
	int nr_core_pmus;		/* > 1: heterogeneous */
	bool recorded;			/* read from a root tree, not this
					 * machine: libpfm4's detection of
					 * the host is not asked */
};

/* One core type of a (possibly heterogeneous) machine. */
struct tb_core_type {
	struct tb_cpu_model model;	/* as identified on @cpu */
	int cpu;			/* the type's last CPU */
	int ncpus;
	char cpus[64];			/* cpulist, "4-7" */
};

#define TB_MAX_CORE_TYPES 8

/* MIDR_EL1 from its fields (Linux arch/arm64/include/asm/cputype.h) */
uint64_t tb_midr_make(unsigned int implementer, unsigned int variant,
		      unsigned int part, unsigned int revision);

/*
 * Identify @cpu: arm64 from sysfs midr_el1, else /proc/cpuinfo; x86
 * from /proc/cpuinfo.  Always fills @out: an unrecognised core gets the
 * generic row for its architecture (known = false).  On the running
 * system (root "") a /proc/cpuinfo of another architecture, as seen under
 * qemu-user, is ignored.  Returns 0, or -EINVAL for bad arguments.
 */
int tb_cpu_identify(const char *root, int cpu, struct tb_cpu_model *out);

/* Fill @out from the table alone: arm64 MIDR, or x86 vendor/family/model. */
void tb_cpu_model_from_midr(uint64_t midr, struct tb_cpu_model *out);
void tb_cpu_model_from_x86(const char *vendor, unsigned int family,
			   unsigned int model, struct tb_cpu_model *out);

/* The generic row of the architecture we run on ("unknown ... core"). */
void tb_cpu_model_unknown(struct tb_cpu_model *out);

/*
 * tb_cpu_core_slug - the core's name as a lowercase slug for file names
 * and the results ("amd-zen-5", "neoverse-n1", "apple-m1-firestorm"); a
 * core no table row knows gets its architecture ("arm64", "x86").
 * Returns @buf.
 */
char *tb_cpu_core_slug(const struct tb_cpu_model *m, char *buf, size_t len);

/* The table row whose libpfm4 PMU is @pfm_pmu ("arm_n1"), or -ENOENT. */
int tb_cpu_model_from_pfm(const char *pfm_pmu, struct tb_cpu_model *out);

/*
 * The distinct core types among the online CPUs (Apple P/E cores,
 * big.LITTLE), fastest first.  Returns how many were stored in @types
 * (at most @max), or a negative errno (-ENOENT: a tree @root that
 * lists no CPUs; for this machine, "" or NULL, the CPU it runs on).
 */
int tb_cpu_core_types(const char *root, struct tb_core_type *types, int max);

/* Online CPUs from root/sys/devices/system/cpu/online (or cpuinfo). */
int tb_cpus_online(const char *root, cpu_set_t *set);

#endif /* TB_CPU_MODEL_H */
