// SPDX-License-Identifier: GPL-2.0
/*
 * far: calls to a target out of direct-branch range, as a module's
 * function is from the kernel's text: the bench target's copy in the
 * image's far mapping, TB_FAR_DISTANCE (256 MiB) away.  On arm64 that is
 * past B/BL's +-128 MiB: direct's slot becomes `nop` and its literal
 * path runs; inline cannot reach and is listed as skipped.  x86's rel32
 * reaches +-2 GiB, and the kernel keeps modules within it: there the
 * row measures a near call, and its label says so.
 */
#include <string.h>

#include "scenario.h"

static unsigned int far_params(const struct tb_instance *inst,
			       const struct tb_scenario_opts *o,
			       char (*out)[TB_PARAMS_LEN])
{
	(void)inst;
	(void)o;
	out[0][0] = '\0';
	return 1;
}

static const char *far_loops(struct tb_case *c)
{
	const char *err = tb_case_use_shape(c, "call", "");
	struct tb_image *img = tb_image_current();
	enum tb_target_kind kind;

	if (err)
		return err;
	c->func = tb_image_far(img, tb_bench_target());
	kind = tb_target_kind(c->sc, c->func);
	if (kind == TB_KIND_FAR && !strcmp(c->inst->variant, "inline"))
		return "inline sites cannot reach an out-of-range target (the kernel gives modules a trampoline or PLT)";
	c->expect = tb_path_cost(c->inst, kind);
	c->label = kind == TB_KIND_FAR ?
			   "target out of direct-branch range" :
			   "target within direct-branch range here (x86 rel32 reaches +-2 GiB): a near call";
	return NULL;
}

static int far_setup(struct tb_case *c)
{
	return tb_case_point(c, c->func);
}

const struct tb_scenario tb_scenario_far = {
	.name = "far",
	.about = "calls to a target out of direct-branch range (a module)",
	.params = far_params,
	.loops = far_loops,
	.setup = far_setup,
	.teardown = tb_case_restore,
};
