// SPDX-License-Identifier: GPL-2.0
/* A64 encoders for patching; checked against the assembler by tests. */
#include <errno.h>

#include "insn.h"

bool aarch64_in_branch_range(uintptr_t pc, uintptr_t target)
{
	intptr_t off = (intptr_t)(target - pc);

	return !(off & 3) && off >= -AARCH64_BRANCH_RANGE &&
	       off < AARCH64_BRANCH_RANGE;
}

int aarch64_insn_gen_branch(uintptr_t pc, uintptr_t target, bool link,
			    uint32_t *insn)
{
	intptr_t off = (intptr_t)(target - pc);

	if (!aarch64_in_branch_range(pc, target))
		return -ERANGE;
	/* B: 0b000101 imm26; BL: 0b100101 imm26 */
	*insn = (link ? 0x94000000u : 0x14000000u) |
		((uint32_t)(off >> 2) & 0x03ffffffu);
	return 0;
}

uint32_t aarch64_insn_gen_movz(unsigned int rd, uint16_t imm,
			       unsigned int shift, bool is64)
{
	/* sf 10 100101 hw imm16 Rd */
	return (is64 ? 0xd2800000u : 0x52800000u) | (shift / 16) << 21 |
	       (uint32_t)imm << 5 | (rd & 31);
}
