/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 calibration loops; see bench/calibration.h.  Each function:
 * uint64_t loop(uint64_t passes, uint64_t x), %rdi = passes, counter in
 * %rbx; x (%rsi) is ignored: %rsi holds the random state.  The result
 * is the chain register %rdx, so a test can tell what the items did.
 */
#include "calibration.h"

	.macro CAL_LOOP name, items, body, init
	.text
	.balign 64
	.globl \name
	.type \name, @function
\name:
	endbr64
	pushq	%rbx
	movq	%rdi, %rbx
	/* The random sequence continues across calls: a replayed one is learnt. */
	movq	tb_cal_state(%rip), %rsi
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	\init
	.balign 64
1:
	.rept \items
	\body
	.endr
	subq	$1, %rbx
	jnz	1b
	movq	%rsi, tb_cal_state(%rip)
	movq	%rdx, %rax
	popq	%rbx
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
	addq	$1, %rdx
	.endm

	/*
	 * Each multiply takes the last one's product: odd times odd stays
	 * odd, so the chain never reaches 0 (an early-out multiplier would
	 * then be quicker), and the full-width constant keeps every bit busy.
	 */
	.macro INIT_MUL
	movl	$1, %edx
	movabsq	$TB_CAL_MUL, %rcx
	.endm

	.macro ITEM_MUL
	imulq	%rcx, %rdx
	.endm

	.macro ITEM_CALL
	call	tb_cal_ret
	.endm

	/* xorshift64 (Marsaglia 2003) in %rsi, scratch %rax */
	.macro ITEM_XORSHIFT
	movq	%rsi, %rax
	shlq	$13, %rax
	xorq	%rax, %rsi
	movq	%rsi, %rax
	shrq	$7, %rax
	xorq	%rax, %rsi
	movq	%rsi, %rax
	shlq	$17, %rax
	xorq	%rax, %rsi
	.endm

	.macro ITEM_BRANCH_RANDOM
	ITEM_XORSHIFT
	testl	$1, %esi
	jz	2f
	addq	$1, %rdx
2:
	.endm

	.macro ITEM_BRANCH_FIXED
	ITEM_XORSHIFT
	testl	$1, %ecx		/* %ecx is 0: always taken */
	jz	2f
	addq	$1, %rdx
2:
	.endm

	.data
	.balign 8
tb_cal_state:
	.quad	0x2545f4914f6cdd1d	/* xorshift state, never 0 */

	.text
	.balign 16
	.type tb_cal_ret, @function
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
