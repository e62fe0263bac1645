// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 update methods, one per variant of variants.S.inc, and the rules
 * for updating while other CPUs call.  The Arm ARM (B2.2.5, "Concurrent
 * modification and execution of instructions") lets one instruction
 * replace another under execution without synchronisation only if both
 * are among B, BL, BRK, HVC, ISB, NOP, SMC, SVC: then any CPU executes
 * either the old or the new one.  A literal is data: one 64-bit store.
 */
#include <errno.h>
#include <stddef.h>

#include "insn.h"
#include "static_call.h"

const char tb_arch_name[] = "arm64";

bool tb_arch_in_branch_range(const void *from, const void *to)
{
	return aarch64_in_branch_range((uintptr_t)from, (uintptr_t)to);
}

/*
 * direct (v6): literal first, then the slot, so a CPU that already sees
 * the new slot finds the new literal behind it.  NULL is slot `ret`, or
 * with null=lit slot `nop` and literal 0: the literal path's cbz.
 */
static int update_direct(struct tb_image *img, struct tb_static_call *sc,
			 const void *func)
{
	uint32_t insn = tb_knob_is(sc->inst, "null", "lit") ?
				AARCH64_INSN_NOP :
				AARCH64_INSN_RET;

	tb_image_write_u64(img, sc->lit, (uintptr_t)func);
	if (func && aarch64_insn_gen_branch((uintptr_t)sc->slot,
					    (uintptr_t)func, false, &insn))
		insn = AARCH64_INSN_NOP; /* out of range: literal path */
	tb_image_write_text(img, sc->slot, &insn, sizeof(insn));
	return 0;
}

/*
 * direct: b <-> b <-> nop are safe; the NULL slot `ret` is not (null=lit
 * keeps NULL at `nop`, which is).
 */
static bool direct_concurrent_safe(const struct tb_instance *inst,
				   enum tb_target_kind from,
				   enum tb_target_kind to)
{
	if (tb_knob_is(inst, "null", "lit"))
		return true;
	return from != TB_KIND_NULL && to != TB_KIND_NULL;
}

/* inline: every site holds bl func | nop (NULL) | mov x0, #0 (RET0). */
static int inline_insn(const void *site, const void *func, uint32_t *insn)
{
	if (!func) {
		*insn = AARCH64_INSN_NOP;
		return 0;
	}
	if (func == tb_ret0()) {
		*insn = aarch64_insn_gen_movz(0, 0, 0, true);
		return 0;
	}
	return aarch64_insn_gen_branch((uintptr_t)site, (uintptr_t)func, true,
				       insn);
}

static int update_inline(struct tb_image *img, struct tb_static_call *sc,
			 const void *func)
{
	uint32_t insn;

	/* Refuse before writing anything if one site cannot reach. */
	for (unsigned int i = 0; i < sc->nsites; i++)
		if (inline_insn(tb_rel(&sc->sites[i]), func, &insn))
			return -ERANGE;
	for (unsigned int i = 0; i < sc->nsites; i++) {
		void *site = tb_rel(&sc->sites[i]);

		inline_insn(site, func, &insn);
		tb_image_write_text(img, site, &insn, sizeof(insn));
	}
	return 0;
}

/* inline: bl <-> bl <-> nop are safe; movz (RET0) is not in the list. */
static bool inline_concurrent_safe(const struct tb_instance *inst,
				   enum tb_target_kind from,
				   enum tb_target_kind to)
{
	(void)inst;
	return from != TB_KIND_RET0 && to != TB_KIND_RET0;
}

const struct tb_variant_ops tb_arch_variants[] = {
	{ .name = "cbz", .update = tb_update_literal },
	{ .name = "tail", .update = tb_update_tail },
	{
		.name = "direct",
		.update = update_direct,
		.concurrent_safe = direct_concurrent_safe,
		.unsafe_why = "the NULL slot is `ret`, not one of B, BL, BRK, HVC, ISB, NOP, SMC, SVC (Arm ARM B2.2.5)",
	},
	{ .name = "indirect", .update = tb_update_indirect },
	{
		.name = "inline",
		.update = update_inline,
		.concurrent_safe = inline_concurrent_safe,
		.unsafe_why = "RET0 is `mov x0, #0`, not one of B, BL, BRK, HVC, ISB, NOP, SMC, SVC (Arm ARM B2.2.5)",
	},
};

const unsigned int tb_arch_nvariants =
	sizeof(tb_arch_variants) / sizeof(tb_arch_variants[0]);

size_t tb_arch_probe_patch(uint8_t *buf, unsigned int v, size_t *offset)
{
	uint32_t insn = aarch64_insn_gen_movz(0, v, 0, true);

	__builtin_memcpy(buf, &insn, sizeof(insn));
	*offset = 4; /* after the probe's bti c */
	return sizeof(insn);
}

int tb_arch_patch_init(struct tb_image *img)
{
	(void)img; /* cache maintenance by VA reaches every CPU (IS domain) */
	return 0;
}
