// SPDX-License-Identifier: GPL-2.0
/* x86 encoders for patching; checked against the assembler by tests. */
#include <errno.h>
#include <string.h>

#include "insn.h"

const uint8_t x86_nop5[X86_INSN_SIZE] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
const uint8_t x86_retinsn[X86_INSN_SIZE] = { 0xc3, 0xcc, 0xcc, 0xcc, 0xcc };
const uint8_t x86_xor5rax[X86_INSN_SIZE] = { 0x2e, 0x2e, 0x2e, 0x31, 0xc0 };

bool x86_in_rel32_range(uintptr_t pc, uintptr_t target)
{
	int64_t off = (int64_t)(target - (pc + X86_INSN_SIZE));

	return off >= INT32_MIN && off <= INT32_MAX;
}

int x86_insn_gen_rel32(uint8_t opcode, uintptr_t pc, uintptr_t target,
		       uint8_t insn[X86_INSN_SIZE])
{
	int32_t rel = (int32_t)(target - (pc + X86_INSN_SIZE));

	if (!x86_in_rel32_range(pc, target))
		return -ERANGE;
	insn[0] = opcode;
	memcpy(&insn[1], &rel, sizeof(rel)); /* little-endian */
	return 0;
}
