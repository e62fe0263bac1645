/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference encodings from the assembler, for tests/test_insn.c: one
 * 5-byte instruction per entry, in the order of the table there.
 */
	.text
	.globl tb_ref_insns
tb_ref_insns:
	jmp.d32	. + 5 + 0x7fffffff	/* rel32 range edges */
	jmp.d32	. + 5 - 0x80000000
	jmp.d32	. + 5
	jmp.d32	.
	call	. + 5 + 0x7fffffff
	call	. + 5 - 0x80000000
	call	. + 5 + 0x123456
	call	. + 5 - 0x654321
	{disp8} nopl 0x0(%rax, %rax, 1)
	.byte	0x2e, 0x2e	/* gas refuses repeated prefixes */
	cs xorl %eax, %eax
	ret
	int3
	int3
	int3
	int3
	.section .note.GNU-stack, "", %progbits
