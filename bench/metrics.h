/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What per-call counts mean beyond themselves: derived metrics, the
 * check of measured instructions and branches against the code, and the
 * check that events which must count did.  Pure functions over (role,
 * value) lists, so they are tested without a PMU; an event's role comes
 * from the data tables (harness/data/events.tsv), never its spelling.
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
 * Per-call instructions and branches against what the code executes.
 * Returns false if neither was counted; else sets *bad when one differs
 * by more than 2% (+0.05) and appends " MISMATCH: ..." to label.
 */
bool tb_check_cost(const enum tb_role *roles, const double *v, int n,
		   struct tb_call_cost want, bool *bad, char *label,
		   size_t len);

/*
 * Cycles and instructions count over any loop: a 0 means the counter
 * did not count (an event the core lacks, a broken PMU), and the row is
 * invalid.  Appends " INVALID: NAME counted 0" to label for each and
 * returns how many.
 */
int tb_check_zero(const char *const *names, const enum tb_role *roles,
		  const double *v, int n, char *label, size_t len);

#endif
