// SPDX-License-Identifier: GPL-2.0
/* The cost model's generic half; see cost.h. */
#include "cost.h"

struct tb_call_cost tb_call_cost(const struct tb_instance *inst, bool lat)
{
	struct tb_call_cost c = inst->cost->path(inst, TB_KIND_NEAR);

	if (lat) {
		c.insns += tb_arch_lat_cost.insns;
		c.branches += tb_arch_lat_cost.branches;
	}
	return c;
}

struct tb_call_cost tb_cost_add(struct tb_call_cost a, struct tb_call_cost b)
{
	return (struct tb_call_cost){ a.insns + b.insns,
				      a.branches + b.branches };
}

/* RET0, or NULL where the design points NULL at return-0 (tail). */
struct tb_call_cost tb_cost_callee(const struct tb_instance *inst,
				   enum tb_target_kind kind)
{
	if (kind == TB_KIND_RET0 ||
	    (kind == TB_KIND_NULL && tb_knob_is(inst, "null", "ret0")))
		return tb_arch_ret0_cost;
	return tb_arch_nop_cost;
}

struct tb_call_cost tb_path_cost(const struct tb_instance *inst,
				 enum tb_target_kind kind)
{
	return inst->cost->path(inst, kind);
}
