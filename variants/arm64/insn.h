/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few A64 instructions static calls patch (Arm ARM C6.2: B, BL, NOP,
 * RET, MOVZ), after the kernel's arch/arm64/lib/insn.c.
 */
#ifndef TB_ARM64_INSN_H
#define TB_ARM64_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define AARCH64_INSN_NOP 0xd503201fu   /* hint #0 */
#define AARCH64_INSN_RET 0xd65f03c0u   /* ret x30 */
#define AARCH64_INSN_BTI_C 0xd503245fu /* hint #34 */

/* B/BL reach [-128 MiB, +128 MiB): a signed 26-bit word offset. */
#define AARCH64_BRANCH_RANGE (128L << 20)

bool aarch64_in_branch_range(uintptr_t pc, uintptr_t target);

/* B (link false) or BL at pc to target; -ERANGE if it cannot reach. */
int aarch64_insn_gen_branch(uintptr_t pc, uintptr_t target, bool link,
			    uint32_t *insn);

/* MOVZ Xd|Wd, #imm, LSL #shift (shift 0, 16, 32, 48; 0/16 for W). */
uint32_t aarch64_insn_gen_movz(unsigned int rd, uint16_t imm,
			       unsigned int shift, bool is64);

#endif
