// SPDX-License-Identifier: GPL-2.0
/* Derived metrics and the checks; see metrics.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"

static int find(const enum tb_role *roles, int n, enum tb_role role)
{
	for (int i = 0; i < n; i++)
		if (roles[i] == role)
			return i;
	return -1;
}

int tb_derived_metrics(const enum tb_role *roles, const double *v, int n,
		       struct tb_metric out[TB_MAX_METRICS])
{
	int k = 0;

	for (size_t i = 0; i < tb_nr_metric_rows && k < TB_MAX_METRICS; i++) {
		const struct tb_metric_row *d = &tb_metric_rows[i];
		int a = find(roles, n, d->num), b = find(roles, n, d->den);

		if (a < 0 || b < 0 || v[b] == 0)
			continue;
		out[k].name = d->name;
		out[k++].value = v[a] / v[b] * d->scale;
	}
	return k;
}

bool tb_cost_verify(const enum tb_role *roles, const double *v, int n,
		    struct tb_cost_model want, bool *bad, char *label,
		   size_t len)
{
	const struct {
		const char *what;
		int idx;
		double want;
	} k[] = {
		{ "instructions", find(roles, n, TB_ROLE_INSTRUCTIONS),
		  want.insns },
		{ "branches", find(roles, n, TB_ROLE_BRANCHES), want.branches },
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
				 " MISMATCH: %.2f %s/call, the code has %g",
				 got, k[i].what, k[i].want);
			*bad = true;
		}
	}
	return checked;
}

int tb_zero_counts(const char *const *names, const enum tb_role *roles,
		   const double *v, int n, char *label, size_t len)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		if ((roles[i] != TB_ROLE_CYCLES &&
		     roles[i] != TB_ROLE_INSTRUCTIONS) || v[i] != 0)
			continue;
		snprintf(label + strlen(label), len - strlen(label),
			 " INVALID: %s counted 0", names[i]);
		bad++;
	}
	return bad;
}
