// SPDX-License-Identifier: GPL-2.0
/*
 * null: static_call_cond() on a NULL static call, the case v7's `cbz`
 * exists for.  Each design takes its own NULL path: cbz taken then `ret`
 * (cbz); a tail call into __static_call_return0 or __static_call_nop
 * (tail, by its null knob); slot `ret`, or slot `nop` with literal 0
 * (direct, by its null knob); an indirect call to __static_call_nop as
 * the kernel's generic static_call_cond() makes it, or a test at the
 * site (indirect, null=test); the site's `nop` (inline); x86's `ret`
 * trampoline (jmp).  indirect:kcfi=on with null=nop would trap in the
 * kernel (__static_call_nop's type id is not the call's): not measured.
 */
#include "scenario.h"

static const char *null_loops(struct tb_case *c)
{
	const char *err = tb_case_use_shape(c, "cond", "");

	if (err)
		return err;
	if (tb_static_call_traps(c->sc, NULL))
		return "traps under kCFI: the kernel's __static_call_nop has a type id of its own, not the call's; use null=test";
	c->func = NULL;
	c->expect = tb_path_cost(c->inst, TB_KIND_NULL);
	return NULL;
}

static int null_setup(struct tb_case *c)
{
	return tb_case_point(c, NULL);
}

const struct tb_scenario tb_scenario_null = {
	.name = "null",
	.about = "static_call_cond() of a NULL static call: each design's NULL path",
	.unit = "cycles per call",
	.describe = "static_call_cond() on a NULL static call: each design "
		    "takes its own NULL path.",
	.params = tb_params_none,
	.loops = null_loops,
	.setup = null_setup,
	.teardown = tb_case_restore,
};
