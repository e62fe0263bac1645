// SPDX-License-Identifier: GPL-2.0
/*
 * sites: N distinct static calls, each with its own trampoline, literal
 * and call site, called one after the other, N = 1, 2, 4 ... 4096: the
 * capacity of the BTB, the indirect predictor, the L1I and the iTLB, as
 * a kernel with many static calls fills them.  Knobs, in the parameters:
 *   order    rr: round-robin, in address order; random: a fixed random
 *            order (the same in every run), which no prefetcher follows
 *   spacing  packed: trampolines back to back at the design's alignment,
 *            as in .static_call.text; line: one per 64-byte line (only
 *            for designs with trampolines)
 * Sizes: N = 1, 4, 16 ... 4096 round-robin and packed, and the knobs at
 * N = 64 and 4096 (default); every power of 2 with every knob (--full);
 * N = 1, 64, 4096 (--quick).  One pass of a loop runs its N sites once, and the loop pair is that
 * loop at p and 2p passes: so a call's cost here includes 1/N of the
 * loop's own branch, the same for every design.  The code is generated
 * for the designs as posted (variants/gen-image.py SITES_MAX); other
 * knob settings are listed as skipped.
 */
#include <stdio.h>

#include "scenario.h"

/* One set: n, order, spacing. */
static struct tb_params sites_set(unsigned int n, const char *order,
				  const char *spacing)
{
	return (struct tb_params){ 3,
				   { { .name = "n", .num = n },
				     { .name = "order", .word = order },
				     { .name = "spacing", .word = spacing } } };
}

static unsigned int sites_params(const struct tb_instance *inst,
				 const struct tb_scenario_opts *o,
				 struct tb_params *out)
{
	/*
	 * The knobs' sizes by default: within the first-level BTBs, and
	 * the largest.
	 */
	static const unsigned int few[] = { 64, 4096 };
	/* N in steps of 2 (--full), 4 (default) or 64 (--quick). */
	unsigned int step = o->full ? 1 : o->quick ? 6 : 2, n = 0;
	bool line;
	struct tb_shape sh;

	/* One row saying why, for an instance without the code. */
	if (!tb_shape_find(inst, "sites", "n:1/order:rr/spacing:packed", &sh)) {
		out[0] = (struct tb_params){ 0 };
		return 1;
	}
	/* Spacing only where there are trampolines to space. */
	line = tb_shape_find(inst, "sites", "n:1/order:rr/spacing:line", &sh);
	/* N as generated: 1, 2, 4 ... TB_SITES_MAX */
	for (unsigned int l = 0; 1u << l <= TB_SITES_MAX; l += step) {
		out[n++] = sites_set(1u << l, "rr", "packed");
		if (!o->full)
			continue;
		out[n++] = sites_set(1u << l, "random", "packed");
		if (line)
			out[n++] = sites_set(1u << l, "rr", "line");
	}
	for (unsigned int i = 0; !o->full && !o->quick && i < 2; i++) {
		out[n++] = sites_set(few[i], "random", "packed");
		if (line)
			out[n++] = sites_set(few[i], "rr", "line");
	}
	return n;
}

static const char *sites_loops(struct tb_case *c)
{
	const char *err;

	if (!c->param_values.n)
		return "sites code is generated for the designs as posted only (image size): give the variant's default knobs";
	c->label = "N distinct static calls; includes 1/N of the loop's own decrement and branch";
	err = tb_case_use_shape(c, "sites", c->params);
	if (err)
		return err;
	/* Per call: the call's path and 1/N of the loop's tail. */
	c->expect = tb_path_cost(c->inst, TB_KIND_NEAR);
	c->expect_pass = tb_arch_loop_tail_cost;
	return NULL;
}

const struct tb_scenario tb_scenario_sites = {
	.name = "sites",
	.about = "N distinct static calls, N = 1 ... 4096: predictor and cache capacity",
	.unit = "cycles per call, including 1/N of the loop's own branch",
	.describe = "N distinct static calls, each with its own trampoline "
		    "and site, called in turn: predictor and L1I capacity. "
		    "order rr (address order) or random; spacing packed or "
		    "one per 64-byte line.",
	.params = sites_params,
	.loops = sites_loops,
};
