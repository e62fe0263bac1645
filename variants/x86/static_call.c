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

const struct tb_variant_ops tb_arch_variants[] = {
	{ .name = "jmp", .update = update_jmp },
	{ .name = "cbz", .update = tb_update_literal },
	{ .name = "tail", .update = tb_update_tail },
	{ .name = "indirect", .update = tb_update_indirect },
	{ .name = "inline", .update = update_inline },
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
