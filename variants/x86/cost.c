// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64: what one call of each variant of variants.S.inc executes, in
 * instructions and branches, for the cost model (cost.h).
 */
#include "cost.h"

/*
 * What one call executes, site to return, by what the key points at:
 * NEAR the bench target (`endbr64; ret`), FAR its copy further away,
 * RET0 __static_call_return0 (`endbr64; xorl %eax, %eax; ret`), NULL
 * from a static_call_cond() site.  Conditional branches count taken or
 * not.
 */
const struct tb_call_cost tb_arch_nop_cost = { 2, 1 };
const struct tb_call_cost tb_arch_ret0_cost = { 3, 1 };
/* TB_LOOP_TAIL: subq, jnz */
const struct tb_call_cost tb_arch_loop_tail_cost = { 2, 1 };

static struct tb_call_cost cost_jmp(const struct tb_instance *inst,
				    enum tb_target_kind kind)
{
	unsigned int pad = tb_knob_is(inst, "pad", "on");
	/* call; [endbr64] */
	struct tb_call_cost c = { 1 + pad, 1 };

	if (kind == TB_KIND_NULL) /* ret (int3s after it never run) */
		return tb_cost_add(c, (struct tb_call_cost){ 1, 1 });
	/* jmp; the target */
	return tb_cost_add(tb_cost_add(c, (struct tb_call_cost){ 1, 1 }),
			   tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_cbz(const struct tb_instance *inst,
				    enum tb_target_kind kind)
{
	unsigned int pad = tb_knob_is(inst, "pad", "on");
	/* call; [endbr64]; mov; test; jz */
	struct tb_call_cost c = { 1 + pad + 3, 2 };

	if (kind == TB_KIND_NULL) /* jz taken; ret */
		return tb_cost_add(c, (struct tb_call_cost){ 1, 1 });
	/* jmp *%rax; the target */
	return tb_cost_add(tb_cost_add(c, (struct tb_call_cost){ 1, 1 }),
			   tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_tail(const struct tb_instance *inst,
				     enum tb_target_kind kind)
{
	unsigned int pad = tb_knob_is(inst, "pad", "on");

	/* call; [endbr64]; jmp *lit(%rip); the target, ret0 or nop */
	return tb_cost_add((struct tb_call_cost){ 1 + pad + 1, 2 },
			   tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_indirect(const struct tb_instance *inst,
					 enum tb_target_kind kind)
{
	unsigned int kcfi = tb_knob_is(inst, "kcfi", "on");
	unsigned int rp = tb_knob_is(inst, "retpoline", "on");

	/* mov ptr, %r11; test; jz taken (null=test: the site's own test) */
	if (kind == TB_KIND_NULL && tb_knob_is(inst, "null", "test"))
		return (struct tb_call_cost){ 3, 1 };
	/*
	 * call *ptr(%rip), or: mov ptr, %r11; [mov; add; je]; call *%r11 |
	 * call thunk, where the thunk runs call; mov; ret.  Then the target.
	 */
	return tb_cost_add(
		(struct tb_call_cost){ 1 + (kcfi | rp) + 3 * kcfi + 3 * rp,
				       1 + kcfi + 2 * rp },
		tb_cost_callee(inst, kind));
}

static struct tb_call_cost cost_inline(const struct tb_instance *inst,
				       enum tb_target_kind kind)
{
	(void)inst; /* call and the target, or the site's nop5 or xor alone */
	if (kind == TB_KIND_NULL || kind == TB_KIND_RET0)
		return (struct tb_call_cost){ 1, 0 };
	return tb_cost_add((struct tb_call_cost){ 1, 1 }, tb_arch_nop_cost);
}

/* A latency call: `movq %rax, %rdi` at the site, `leaq 1(%rdi), %rax`. */
const struct tb_call_cost tb_arch_lat_cost = { 2, 0 };

const struct tb_variant_cost tb_arch_costs[] = {
	{ .name = "jmp", .path = cost_jmp },
	{ .name = "cbz", .path = cost_cbz },
	{ .name = "tail", .path = cost_tail },
	{ .name = "indirect", .path = cost_indirect },
	{ .name = "inline", .path = cost_inline },
};

const unsigned int tb_arch_ncosts =
	sizeof(tb_arch_costs) / sizeof(tb_arch_costs[0]);
