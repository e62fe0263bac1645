// SPDX-License-Identifier: GPL-2.0
/*
 * far: calls to a target out of direct-branch range, as a module's
 * function is from the kernel's text: the bench target's copy in the
 * image's far mapping, TB_FAR_DISTANCE (4.25 GiB) away.  On arm64 that is
 * past B/BL's +-128 MiB: direct's slot becomes `nop` and its literal
 * path runs; inline cannot reach and is listed as skipped.  It is past
 * x86's rel32 too, where the kernel keeps modules within +-2 GiB: jmp
 * and inline are listed as skipped there, with that reason.  The
 * literal designs load a far target as any other.
 */
#include <errno.h>
#include <string.h>

#include "scenario.h"

static const char *far_loops(struct tb_case *c)
{
	const char *err = tb_case_use_shape(c, "call", "");
	struct tb_image *img = tb_image_current();
	enum tb_target_kind kind;

	if (err)
		return err;
	c->func = tb_image_far(img, tb_bench_target());
	kind = tb_target_kind(c->sc, c->func);
	/* Designs that can only branch there directly refuse it. */
	if (tb_static_call_update(c->sc, c->func) == -ERANGE)
		return strcmp(tb_arch_name, "x86") ?
			       "a direct branch cannot reach an out-of-range target: the kernel gives modules a trampoline or PLT" :
			       "rel32 cannot reach it: the kernel keeps x86 modules within +-2 GiB of its text, so this design never meets a target this far";
	tb_case_restore(c);
	c->expect = tb_path_cost(c->inst, kind);
	c->label = "target 4.25 GiB away, out of direct-branch range";
	return NULL;
}

static int far_setup(struct tb_case *c)
{
	return tb_case_point(c, c->func);
}

const struct tb_scenario tb_scenario_far = {
	.name = "far",
	.about = "calls to a target out of direct-branch range (a module)",
	.unit = "cycles per call",
	.describe = "a target 4.25 GiB away, out of direct-branch range, as a "
		    "module's function is from the kernel's text.",
	.params = tb_params_none,
	.loops = far_loops,
	.setup = far_setup,
	.teardown = tb_case_restore,
};
