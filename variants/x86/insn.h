/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 5-byte x86 instructions static calls patch, as in the kernel's
 * arch/x86/kernel/static_call.c and asm/text-patching.h.
 */
#ifndef TB_X86_INSN_H
#define TB_X86_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define X86_CALL_OPCODE 0xe8
#define X86_JMP32_OPCODE 0xe9
#define X86_RET_OPCODE 0xc3
#define X86_INT3_OPCODE 0xcc
#define X86_INSN_SIZE 5

extern const uint8_t x86_nop5[X86_INSN_SIZE];   /* nopl 0x0(%rax,%rax,1) */
extern const uint8_t x86_retinsn[X86_INSN_SIZE]; /* ret; int3 x 4 */
extern const uint8_t x86_xor5rax[X86_INSN_SIZE]; /* cs cs cs xor %eax,%eax */

/* rel32 reaches [-2 GiB, +2 GiB) from the end of the instruction. */
bool x86_in_rel32_range(uintptr_t pc, uintptr_t target);

/* opcode rel32 (call or jmp) at pc to target; -ERANGE if out of reach. */
int x86_insn_gen_rel32(uint8_t opcode, uintptr_t pc, uintptr_t target,
		       uint8_t insn[X86_INSN_SIZE]);

#endif
