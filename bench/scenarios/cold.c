// SPDX-License-Identifier: GPL-2.0
/*
 * cold: each call preceded by a walk through a large generated code
 * footprint (TB_WALK: thousands of taken branches over 256 KiB), which
 * evicts the L1I and the branch predictors, as most kernel static calls
 * run: tracepoints, scheduler hooks, called once in a while.  Loop one
 * is the walk alone and loop two the walk then one call, so the walk's
 * own cost is measured beside the call and subtracted.  Only the code
 * side is cold: the literal stays in the L1D (nothing here evicts data).
 */
#include "scenario.h"

static const char *cold_loops(struct tb_case *c)
{
	const char *err = tb_case_use_shape(c, "cold", "");

	if (err)
		return err;
	/*
	 * The first walk after the harness's syscalls finds lines gone from
	 * the L2 (5,000 cycles slower on Zen 5): walk once before the pair.
	 */
	c->loops.warm = 1;
	c->expect = tb_path_cost(c->inst, TB_KIND_NEAR);
	c->label = "after a walk that evicts the L1I and branch predictors; the walk alone subtracted";
	return NULL;
}

const struct tb_scenario tb_scenario_cold = {
	.name = "cold",
	.about = "one call after evicting the L1I and the branch predictors",
	.params = tb_params_none,
	.loops = cold_loops,
};
