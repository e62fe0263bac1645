/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What per-call counts mean beyond themselves: derived metrics, and the
 * check of measured instructions and branches against the code.  Pure
 * functions over (event name, value) lists, so they are tested without a
 * PMU.
 */
#ifndef TB_METRICS_H
#define TB_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

#define TB_MAX_METRICS 4

struct tb_metric {
	const char *name;
	double value;
};

/*
 * The derived metrics the events allow, as Arm defines them (Arm
 * telemetry-solution, the per-core JSON of data/pmu/cpu/neoverse/):
 * branch_mpki = BR_MIS_PRED_RETIRED / INST_RETIRED x 1000,
 * mispredict_ratio = BR_MIS_PRED_RETIRED / BR_RETIRED,
 * l1i_mpki = L1I_CACHE_REFILL / INST_RETIRED x 1000,
 * frontend_stalled = STALL_FRONTEND / CPU_CYCLES; perf's generic events
 * stand in on x86.  Returns how many were computed into out.
 */
int tb_derived_metrics(const char *const *names, const double *v, int n,
		       struct tb_metric out[TB_MAX_METRICS]);

/*
 * Per-call instructions and branches against what the code executes.
 * Returns false if neither was counted; else sets *bad when one differs
 * by more than 2% (+0.05) and appends " MISMATCH: ..." to label.
 */
bool tb_check_cost(const char *const *names, const double *v, int n,
		   struct tb_call_cost want, bool *bad, char *label,
		   size_t len);

#endif
