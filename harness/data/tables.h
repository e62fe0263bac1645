/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What trampbench knows about cores and their events, as data: the TSV
 * files of this folder, turned into tables.c at build time by
 * gen-tables.py.  Code asks these tables for a role ("the cycles event
 * of this core"), never for a spelling.
 */
#ifndef TB_DATA_TABLES_H
#define TB_DATA_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What an event is used for; see events.tsv. */
enum tb_role {
	TB_ROLE_NONE,
	TB_ROLE_CYCLES,
	TB_ROLE_INSTRUCTIONS,
	TB_ROLE_BRANCHES,
	TB_ROLE_MISPREDICTS,		/* speculative */
	TB_ROLE_RETIRED_MISPREDICTS,
	TB_ROLE_L1I_REFILL,
	TB_ROLE_FRONTEND_STALL,
	TB_NR_ROLES,
};

/* How the core's own (non-generic) events are encoded. */
enum tb_pmu_kind {
	TB_PMU_GENERIC,	/* x86: generic perf hardware events */
	TB_PMU_ARMV8,	/* Arm PMUv3: raw event numbers */
	TB_PMU_APPLE,	/* Apple M1/M2: raw codes on the PMU's own type */
};

struct tb_core_row {
	bool x86;
	bool fallback;			/* the row of a core no other matches */
	/* arm64 */
	unsigned int implementer, part;
	/* x86; pmu: the row holds only on CPUs of this perf PMU, or NULL */
	const char *vendor;
	unsigned int family, model_lo, model_hi;
	const char *pmu;

	const char *name, *core_type, *found_in;
	const char *pfm_pmu;		/* libpfm4 model, or NULL */
	const char *table;		/* event table of events.tsv */
	const char *base;		/* table it extends, or NULL */
	enum tb_pmu_kind kind;
	int rank;
	const char *defaults;		/* comma list of event names */
};

struct tb_event_row {
	const char *table, *name;
	bool has_code;
	uint64_t code;
	enum tb_role role;
	bool avoid;			/* known not to count right */
	const char *instead;		/* what to count where it is missing */
	const char *notes;
};

struct tb_metric_row {
	const char *name;
	enum tb_role num, den;
	double scale;
};

/*
 * What one item of calibration/mul_chain (a dependent 64-bit multiply)
 * costs on a core, as its vendor or compiler model states it
 * (latency.tsv): the row of every core named @core on @arch.
 */
struct tb_latency_row {
	const char *arch;		/* "arm64" or "x86" */
	const char *core;		/* a tb_core_row name */
	double cycles;			/* 0: none stated (source says why) */
	const char *source;		/* where it is stated */
};

extern const struct tb_core_row tb_core_rows[];
extern const size_t tb_nr_core_rows;
extern const struct tb_event_row tb_event_rows[];
extern const size_t tb_nr_event_rows;
extern const struct tb_metric_row tb_metric_rows[];
extern const size_t tb_nr_metric_rows;
extern const struct tb_latency_row tb_latency_rows[];
extern const size_t tb_nr_latency_rows;

/* "cycles", "retired_mispredicts", ...; "-" for none */
const char *tb_role_name(enum tb_role role);

#endif /* TB_DATA_TABLES_H */
