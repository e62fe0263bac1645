/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference encodings from the assembler, for tests/test_insn.c: one
 * instruction per word, in the order of the table there.
 */
	.text
	.globl tb_ref_insns
	.balign 4
tb_ref_insns:
	b	. + 0x7fffffc	/* B range edges: +128 MiB - 4 */
	b	. - 0x8000000	/* -128 MiB */
	b	. + 4
	b	. - 4
	b	.
	bl	. + 0x7fffffc
	bl	. - 0x8000000
	bl	. + 0x123454
	bl	. - 0x2468ac
	nop
	ret
	movz	x0, #0
	movz	x0, #0xffff, lsl #48
	movz	x17, #0x1234, lsl #16
	movz	w3, #0xbeef
	movz	w30, #0x8000, lsl #16
	hint	34
	.section .note.GNU-stack, "", %progbits
