// SPDX-License-Identifier: GPL-2.0
/*
 * arm64: what one call of each variant of variants.S.inc executes, in
 * instructions and branches, for the cost model (cost.h).
 */
#include "cost.h"

/*
 * What one call executes, site to return, by what the key points at:
 * NEAR the bench target (`bti c; ret`), FAR its copy out of B range,
 * RET0 __static_call_return0 (`bti c; mov x0, #0; ret`), NULL from a
 * static_call_cond() site.  Every branch counts, taken or not (the PMU's
 * BR_RETIRED does the same).
 */
const struct tb_call_cost tb_arch_nop_cost = { 2, 1 };
const struct tb_call_cost tb_arch_ret0_cost = { 3, 1 };
/* TB_LOOP_TAIL: subs, b.ne */
const struct tb_call_cost tb_arch_loop_tail_cost = { 2, 1 };

static struct tb_call_cost cost_cbz(const struct tb_instance *inst,
				    enum tb_target_kind kind)
{
	unsigned int pad = tb_knob_is(inst, "pad", "on");
	unsigned int adrp = tb_knob_is(inst, "lit", "rodata");
	/* bl; [bti]; [adrp]; ldr; cbz */
	struct tb_call_cost c = { 1 + pad + adrp + 2, 2 };

	if (kind == TB_KIND_NULL) /* cbz taken; ret */
		return tb_cost_add(c, (struct tb_call_cost){ 1, 1 });
	return tb_cost_add(tb_cost_add(c, (struct tb_call_cost){ 1, 1 }),
			   tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_tail(const struct tb_instance *inst,
				     enum tb_target_kind kind)
{
	unsigned int pad = tb_knob_is(inst, "pad", "on");
	unsigned int adrp = tb_knob_is(inst, "lit", "rodata");

	/* bl; [bti]; [adrp]; ldr; br; the target, ret0 or nop function */
	return tb_cost_add((struct tb_call_cost){ 1 + pad + adrp + 2, 2 },
			   tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_direct(const struct tb_instance *inst,
				       enum tb_target_kind kind)
{
	unsigned int pad = tb_knob_is(inst, "pad", "on");
	/* bl; [bti] */
	struct tb_call_cost c = { 1 + pad, 1 };

	switch (kind) {
	case TB_KIND_NULL: /* ret | nop; ldr; cbz taken; ret */
		if (tb_knob_is(inst, "null", "lit"))
			return tb_cost_add(c, (struct tb_call_cost){ 4, 2 });
		return tb_cost_add(c, (struct tb_call_cost){ 1, 1 });
	case TB_KIND_FAR: /* nop; ldr; cbz; br; the target */
		return tb_cost_add(
			tb_cost_add(c, (struct tb_call_cost){ 4, 2 }),
			tb_arch_nop_cost);
	default: /* b; the target */
		return tb_cost_add(
			tb_cost_add(c, (struct tb_call_cost){ 1, 1 }),
			tb_cost_callee(inst, kind));
	}
}

static struct tb_call_cost cost_indirect(const struct tb_instance *inst,
					 enum tb_target_kind kind)
{
	unsigned int kcfi = tb_knob_is(inst, "kcfi", "on");

	/* adrp; ldr; cbz taken (null=test: the site's own test) */
	if (kind == TB_KIND_NULL && tb_knob_is(inst, "null", "test"))
		return (struct tb_call_cost){ 3, 1 };
	/* adrp; ldr; [ldur; movz; movk; cmp; b.eq]; blr; the target */
	return tb_cost_add((struct tb_call_cost){ 3 + 5 * kcfi, 1 + kcfi },
			   tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_inline(const struct tb_instance *inst,
				       enum tb_target_kind kind)
{
	(void)inst; /* bl and the target, or the site's nop or movz alone */
	if (kind == TB_KIND_NULL || kind == TB_KIND_RET0)
		return (struct tb_call_cost){ 1, 0 };
	return tb_cost_add((struct tb_call_cost){ 1, 1 }, tb_arch_nop_cost);
}

/* A latency call: the target's `add x0, x0, #1` (x0 is already x). */
const struct tb_call_cost tb_arch_lat_cost = { 1, 0 };

const struct tb_variant_cost tb_arch_costs[] = {
	{ .name = "cbz", .path = cost_cbz },
	{ .name = "tail", .path = cost_tail },
	{ .name = "direct", .path = cost_direct },
	{ .name = "indirect", .path = cost_indirect },
	{ .name = "inline", .path = cost_inline },
};

const unsigned int tb_arch_ncosts =
	sizeof(tb_arch_costs) / sizeof(tb_arch_costs[0]);
