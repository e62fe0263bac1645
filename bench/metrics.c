// SPDX-License-Identifier: GPL-2.0
/* Derived metrics and the cost check; see metrics.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"

/* The same quantity under Arm PMUv3 and perf generic names. */
static const char *const inst[] = { "INST_RETIRED", "instructions", NULL };
static const char *const mis[] = { "BR_MIS_PRED_RETIRED", "branch-misses",
				   NULL };
static const char *const br[] = { "BR_RETIRED", "branches",
				  "branch-instructions", NULL };
static const char *const l1i[] = { "L1I_CACHE_REFILL",
				   "L1-icache-load-misses", NULL };
static const char *const fe[] = { "STALL_FRONTEND", NULL };
static const char *const cyc[] = { "CPU_CYCLES", "cycles", NULL };

static int find(const char *const *names, int n, const char *const *any)
{
	for (int i = 0; i < n; i++)
		for (const char *const *a = any; *a; a++)
			if (!strcmp(names[i], *a))
				return i;
	return -1;
}

int tb_derived_metrics(const char *const *names, const double *v, int n,
		       struct tb_metric out[TB_MAX_METRICS])
{
	const struct {
		const char *name;
		const char *const *num, *const *den;
		double scale;
	} d[TB_MAX_METRICS] = {
		{ "branch_mpki", mis, inst, 1000 },
		{ "mispredict_ratio", mis, br, 1 },
		{ "l1i_mpki", l1i, inst, 1000 },
		{ "frontend_stalled", fe, cyc, 1 },
	};
	int k = 0;

	for (int i = 0; i < TB_MAX_METRICS; i++) {
		int a = find(names, n, d[i].num), b = find(names, n, d[i].den);

		if (a < 0 || b < 0 || v[b] == 0)
			continue;
		out[k].name = d[i].name;
		out[k++].value = v[a] / v[b] * d[i].scale;
	}
	return k;
}

bool tb_check_cost(const char *const *names, const double *v, int n,
		   struct tb_call_cost want, bool *bad, char *label,
		   size_t len)
{
	const struct {
		const char *what;
		int idx;
		unsigned int want;
	} k[] = {
		{ "instructions", find(names, n, inst), want.insns },
		{ "branches", find(names, n, br), want.branches },
	};
	bool checked = false;

	*bad = false;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		double got;

		if (k[i].idx < 0 || !k[i].want)
			continue;
		checked = true;
		got = v[k[i].idx];
		/* Counts are exact up to rare interrupts: allow 2%. */
		if (fabs(got - k[i].want) > 0.02 * k[i].want + 0.05) {
			snprintf(label + strlen(label), len - strlen(label),
				 " MISMATCH: %.2f %s/call, the code has %u",
				 got, k[i].what, k[i].want);
			*bad = true;
		}
	}
	return checked;
}
