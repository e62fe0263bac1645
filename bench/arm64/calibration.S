/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 calibration loops; see bench/calibration.h.  Each function:
 * uint64_t loop(uint64_t passes, uint64_t x), x0 = passes, counter in
 * x19; x (x1) is ignored: x1 holds the random state.  The result is the
 * chain register x2, so a test can tell what the items did.
 */
#include "calibration.h"

	.macro CAL_LOOP name, items, body, init
	.text
	.balign 64
	.globl \name
	.type \name, %function
\name:
	hint	34			/* bti c: called through a pointer */
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	mov	x19, x0
	/* The random sequence continues across calls: a replayed one is learnt. */
	adrp	x4, tb_cal_state
	ldr	x1, [x4, :lo12:tb_cal_state]
	mov	x2, #0
	mov	x3, #0
	\init
	.balign 64
1:
	.rept \items
	\body
	.endr
	subs	x19, x19, #1
	b.ne	1b
	adrp	x4, tb_cal_state
	str	x1, [x4, :lo12:tb_cal_state]
	mov	x0, x2
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
	.size \name, . - \name
	.endm

	.macro CAL_PAIR name, body, init=ITEM_NOTHING
	CAL_LOOP tb_cal_\name\()_1, TB_CAL_UNROLL, \body, \init
	CAL_LOOP tb_cal_\name\()_2, (2*TB_CAL_UNROLL), \body, \init
	.endm

	.macro ITEM_NOTHING
	.endm

	.macro ITEM_ADD
	add	x2, x2, #1
	.endm

	/*
	 * Each multiply (MADD X-form, Ra = XZR) takes the last one's product:
	 * odd times odd stays odd, so the chain never reaches 0 (an early-out
	 * multiplier would then be quicker), and the full-width constant
	 * keeps every bit busy.
	 */
	.macro INIT_MUL
	mov	x2, #1
	movz	x5, #(TB_CAL_MUL & 0xffff)
	movk	x5, #((TB_CAL_MUL >> 16) & 0xffff), lsl #16
	movk	x5, #((TB_CAL_MUL >> 32) & 0xffff), lsl #32
	movk	x5, #((TB_CAL_MUL >> 48) & 0xffff), lsl #48
	.endm

	.macro ITEM_MUL
	mul	x2, x2, x5
	.endm

	.macro ITEM_CALL
	bl	tb_cal_ret
	.endm

	/* xorshift64 (Marsaglia 2003), then branch on its low bit */
	.macro ITEM_XORSHIFT
	eor	x1, x1, x1, lsl #13
	eor	x1, x1, x1, lsr #7
	eor	x1, x1, x1, lsl #17
	.endm

	.macro ITEM_BRANCH_RANDOM
	ITEM_XORSHIFT
	tbz	x1, #0, 2f
	add	x2, x2, #1
2:
	.endm

	.macro ITEM_BRANCH_FIXED
	ITEM_XORSHIFT
	tbz	x3, #0, 2f		/* x3 is 0: always taken */
	add	x2, x2, #1
2:
	.endm

	.data
	.balign 8
tb_cal_state:
	.quad	0x2545f4914f6cdd1d	/* xorshift state, never 0 */

	.text
	.balign 16
	.type tb_cal_ret, %function
tb_cal_ret:
	ret
	.size tb_cal_ret, . - tb_cal_ret

	CAL_PAIR empty, ITEM_NOTHING
	CAL_PAIR add_chain, ITEM_ADD
	CAL_PAIR mul_chain, ITEM_MUL, INIT_MUL
	CAL_PAIR call_ret, ITEM_CALL
	CAL_PAIR branch_random, ITEM_BRANCH_RANDOM
	CAL_PAIR branch_fixed, ITEM_BRANCH_FIXED

	.section .note.GNU-stack, "", %progbits
