// SPDX-License-Identifier: GPL-2.0
/*
 * ret0: calls of a static call set to RET0 (DEFINE_STATIC_CALL_RET0,
 * static_call_update(name, __static_call_return0)): the literal designs
 * tail-call __static_call_return0, direct and jmp branch to it, inline
 * sites hold `mov x0, #0` / `xorl %eax, %eax`.  indirect:kcfi=on traps
 * there in the kernel (__static_call_return0's type id differs from the
 * call's), the reason the merged arm64 series moved RET0 into
 * trampolines under kCFI: that row is listed, not measured.
 */
#include "scenario.h"

static const char *ret0_loops(struct tb_case *c)
{
	const char *err = tb_case_use_shape(c, "call", "");

	if (err)
		return err;
	if (tb_static_call_traps(c->sc, tb_ret0()))
		return "traps under kCFI: the kernel's __static_call_return0 has a type id of its own, not the call's (why arm64 uses trampolines under kCFI)";
	c->func = tb_ret0();
	c->expect = tb_path_cost(c->inst, TB_KIND_RET0);
	return NULL;
}

static int ret0_setup(struct tb_case *c)
{
	return tb_case_point(c, tb_ret0());
}

const struct tb_scenario tb_scenario_ret0 = {
	.name = "ret0",
	.about = "calls of a static call set to __static_call_return0",
	.unit = "cycles per call",
	.describe = "a static call set to RET0 (__static_call_return0).",
	.params = tb_params_none,
	.loops = ret0_loops,
	.setup = ret0_setup,
	.teardown = tb_case_restore,
};
