/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What per-call counts mean beyond themselves: derived metrics, the
 * measured instructions and branches verified against the code's cost
 * model, and the events which must count found to have counted.  Pure
 * functions over (role, value) lists, so they are tested without a PMU;
 * an event's role comes from the data tables (harness/data/events.tsv),
 * never its spelling.
 */
#ifndef TB_METRICS_H
#define TB_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "data/tables.h"

#define TB_MAX_METRICS 8

struct tb_metric {
	const char *name;
	double value;
};

/*
 * The derived metrics of harness/data/metrics.tsv the counted roles
 * allow (Arm telemetry-solution's definitions: branch_mpki,
 * mispredict_ratio, l1i_mpki, frontend_stalled).  Returns how many were
 * computed into out; none with a zero denominator.
 */
int tb_derived_metrics(const enum tb_role *roles, const double *v, int n,
		       struct tb_metric out[TB_MAX_METRICS]);

/*
 * What one call should execute, per call of a case: the call's own
 * instructions and branches, plus its share of what a loop of a doubled
 * pair adds per pass (sites: the loop's branch, 1/N of it per call).
 * Zero instructions: no model.
 */
struct tb_cost_model {
	double insns, branches;
};

/*
 * Per-call instructions and branches against what the code executes.
 * Returns false if neither was counted; else sets *bad when one differs
 * by more than 2% (+0.05) and appends " MISMATCH: ..." to label.
 */
bool tb_cost_verify(const enum tb_role *roles, const double *v, int n,
		    struct tb_cost_model want, bool *bad, char *label,
		   size_t len);

/*
 * Cycles and instructions count over any loop: a 0 in what @v holds (each
 * event's raw total over the repetition, not per call: a per-call
 * difference is 0 where two loops cost the same) means the counter did
 * not count (an event the core lacks, a broken PMU, qemu's INST_RETIRED
 * without icount), and the row is invalid.  Appends " INVALID: NAME
 * counted 0" to label for each and returns how many.
 */
int tb_zero_counts(const char *const *names, const enum tb_role *roles,
		   const double *v, int n, char *label, size_t len);

#endif
