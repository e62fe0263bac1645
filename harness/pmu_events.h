/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event names -> struct perf_event_attr, through libpfm4.
 *
 * A name is resolved in this order:
 *   1. perf's generic names: "cycles", "instructions", "branch-misses",
 *      "L1-icache-load-misses", "task-clock", "context-switches",
 *      "cpu-migrations", ...
 *   2. raw codes: "r22" or "0x22" (PERF_TYPE_RAW, or the core's own perf
 *      PMU type on Apple);
 *   3. the core's libpfm4 PMU ("BR_MIS_PRED", "arm_n1::BR_MIS_PRED");
 *      LIBPFM_FORCE_PMU, when set, stands in for a core the MIDR does
 *      not identify (qemu-user), and speaks for the core it models;
 *   4. where libpfm4 has no model of the core (or the core was read
 *      from a recorded tree): the core's event table of
 *      harness/data/events.tsv (PMUv3 common events, AmpereOne, Apple).
 * Raw events carry the perf type of the CPU's own PMU where sysfs names
 * one (big.LITTLE, Apple), else PERF_TYPE_RAW.  Each event gets its role
 * (cycles, instructions, ...) from the data tables.
 * All events count user level only (exclude_kernel, exclude_hv).
 *
 * A list is comma separated; a name ending in '?' is optional: it is
 * dropped, not an error, where the core lacks it.
 */
#ifndef TB_PMU_EVENTS_H
#define TB_PMU_EVENTS_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_model.h"

#define TB_EVENT_NAME_MAX 64
#define TB_MAX_EVENTS 32

struct tb_event {
	char name[TB_EVENT_NAME_MAX];	/* as asked for, without '?' */
	char pmu[48];			/* who encoded it: "perf", "arm_n1",
					 * "armv8_pmuv3", "apple_..._pmu",
					 * "raw" */
	bool optional;			/* may be dropped if unsupported */
	enum tb_role role;		/* what it counts, from the tables */
	struct perf_event_attr attr;
};

#define TB_EVENT_NOTES_MAX 1024

/*
 * Initialise libpfm4 once (later calls return the first result).  Fails
 * with -EIO when libpfm4 does not initialise; the encoder then still
 * knows generic names, raw codes and the built-in tables.
 */
int tb_pmu_init(void);
/* pfm_terminate(): the next tb_pmu_init() re-reads LIBPFM_FORCE_PMU. */
void tb_pmu_exit(void);
/* libpfm4 core PMU in use ("arm_n1"), forced or detected, or NULL. */
const char *tb_pmu_core(void);

/*
 * Encode one event for @cpu (NULL: no core-specific tables).  Returns 0,
 * or -ENOENT with a one-line message in @err naming the event, the PMU
 * and up to five close names (-ENODEV: an Apple PMU without a perf type).
 */
int tb_event_encode(const struct tb_cpu_model *cpu, const char *name,
		    struct tb_event *ev, char *err, size_t errlen);

/*
 * Encode a comma-separated list into @evs.  Returns the number encoded
 * (optional events the core lacks are left out), or a negative errno
 * with @err set for the first event that failed.
 */
int tb_events_encode(const struct tb_cpu_model *cpu, const char *list,
		     struct tb_event *evs, int max, char *err, size_t errlen);

/*
 * tb_events_encode(), then each event checked against the CPU's PMU in
 * sysfs: a PMUv3 common event its events/ folder does not list, or that
 * libpfm4's model of the core lacks, is dropped (never counted as a
 * silent 0), and one known not to count
 * right is kept without a role.  @notes gets one line for each, naming
 * the event and what to count instead.  Returns the number kept, or a
 * negative errno as tb_events_encode().
 */
int tb_events_select(const struct tb_cpu_model *cpu, const char *list,
		     struct tb_event *evs, int max, char *notes,
		     size_t noteslen, char *err, size_t errlen);

/*
 * Can @cpu's PMU count PMUv3 event @code, as far as sysfs tells?  True
 * where sysfs does not say (no events/ folder, IMPLEMENTATION DEFINED
 * numbers, which the kernel never lists, other kinds of PMU).
 */
bool tb_event_supported(const struct tb_cpu_model *cpu, uint64_t code);

/*
 * The data row of @cpu's event table for @name, or for @role (the first
 * one that counts right: NULL if none); @cpu's own table wins over the
 * one it extends.
 */
const struct tb_event_row *tb_event_row(const struct tb_cpu_model *cpu,
					const char *name);
const struct tb_event_row *tb_event_row_role(const struct tb_cpu_model *cpu,
					     enum tb_role role, bool any);

/* Default event list for @cpu, or for the LIBPFM_FORCE_PMU core. */
const char *tb_events_default(const struct tb_cpu_model *cpu);

/*
 * Up to five known names close to @name, ", "-separated, for @cpu's PMU
 * (or @pmu when given, e.g. an event's tb_event.pmu).  Returns how many.
 */
int tb_event_suggest(const struct tb_cpu_model *cpu, const char *pmu,
		     const char *name, char *buf, size_t len);

/* True for events that need a PMU counter (not a software event). */
bool tb_event_is_hw(const struct perf_event_attr *attr);

#endif /* TB_PMU_EVENTS_H */
