// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 update methods, one per variant of variants.S.inc.  Patched
 * instructions go through text_poke_bp(), the kernel's int3 protocol, so
 * every transition may race with calls; literals are one 64-bit store.
 */
#include <errno.h>
#include <stddef.h>

#include "insn.h"
#include "static_call.h"
#include "text_poke.h"

const char tb_arch_name[] = "x86";

bool tb_arch_in_branch_range(const void *from, const void *to)
{
	return x86_in_rel32_range((uintptr_t)from, (uintptr_t)to);
}

/* jmp: the trampoline's jmp.d32 becomes jmp func, or ret; int3 (NULL). */
static int update_jmp(struct tb_image *img, struct tb_static_call *sc,
		      const void *func)
{
	uint8_t insn[X86_INSN_SIZE];

	if (!func)
		__builtin_memcpy(insn, x86_retinsn, sizeof(insn));
	else if (x86_insn_gen_rel32(X86_JMP32_OPCODE, (uintptr_t)sc->slot,
				    (uintptr_t)func, insn))
		return -ERANGE;
	tb_text_poke_bp(img, sc->slot, insn, sizeof(insn));
	return 0;
}

/* inline: call func | nop5 (NULL) | xor %eax,%eax (RET0) at each site. */
static int inline_insn(const void *site, const void *func, uint8_t *insn)
{
	if (!func) {
		__builtin_memcpy(insn, x86_nop5, X86_INSN_SIZE);
		return 0;
	}
	if (func == tb_ret0()) {
		__builtin_memcpy(insn, x86_xor5rax, X86_INSN_SIZE);
		return 0;
	}
	return x86_insn_gen_rel32(X86_CALL_OPCODE, (uintptr_t)site,
				  (uintptr_t)func, insn);
}

static int update_inline(struct tb_image *img, struct tb_static_call *sc,
			 const void *func)
{
	uint8_t insn[X86_INSN_SIZE];

	for (unsigned int i = 0; i < sc->nsites; i++)
		if (inline_insn(tb_rel(&sc->sites[i]), func, insn))
			return -ERANGE;
	for (unsigned int i = 0; i < sc->nsites; i++) {
		void *site = tb_rel(&sc->sites[i]);

		inline_insn(site, func, insn);
		tb_text_poke_bp(img, site, insn, sizeof(insn));
	}
	return 0;
}

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
	return tb_cost_add(tb_cost_add(c, (struct tb_call_cost){ 1, 1 }), tb_cost_callee(inst, kind));
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
	return tb_cost_add(tb_cost_add(c, (struct tb_call_cost){ 1, 1 }), tb_cost_callee(inst, kind));
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
	return tb_cost_add((struct tb_call_cost){ 1 + (kcfi | rp) + 3 * kcfi + 3 * rp,
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

const struct tb_variant_ops tb_arch_variants[] = {
	{ .name = "jmp", .update = update_jmp, .cost = cost_jmp },
	{ .name = "cbz", .update = tb_update_literal, .cost = cost_cbz },
	{ .name = "tail", .update = tb_update_tail, .cost = cost_tail },
	{
		.name = "indirect",
		.update = tb_update_indirect,
		.cost = cost_indirect,
	},
	{ .name = "inline", .update = update_inline, .cost = cost_inline },
};

const unsigned int tb_arch_nvariants =
	sizeof(tb_arch_variants) / sizeof(tb_arch_variants[0]);

size_t tb_arch_probe_patch(uint8_t *buf, unsigned int v, size_t *offset)
{
	buf[0] = 0xb8; /* movl $v, %eax */
	__builtin_memcpy(&buf[1], &v, 4);
	*offset = 4; /* after the probe's endbr64 */
	return 5;
}

int tb_arch_patch_init(struct tb_image *img)
{
	(void)img;
	return tb_text_poke_init();
}
