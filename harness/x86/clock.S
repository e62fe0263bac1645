/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dependent add chain that tb_core_freq_calibrate() times: one ADD per
 * core cycle: ADD (R64, R64) has latency 1 on every Intel and AMD core
 * measured by uops.info.
 */
#include "clock.h"

	.text

/* uint64_t tb_add_chain(uint64_t n): n * TB_ADD_CHAIN_UNROLL adds, summed */
	.globl	tb_add_chain
	.type	tb_add_chain, @function
	.p2align 6
tb_add_chain:
	endbr64				/* a NOP unless IBT is enforced */
	xorl	%eax, %eax
	movl	$1, %edx		/* a register addend, no immediate */
	testq	%rdi, %rdi
	jz	2f
	.p2align 6
1:
	.rept	TB_ADD_CHAIN_UNROLL
	addq	%rdx, %rax		/* waits for the previous add */
	.endr
	decq	%rdi			/* off the chain: runs in its shadow */
	jnz	1b
2:
	ret
	.size	tb_add_chain, . - tb_add_chain

/*
 * uint64_t tb_call_probe(uint64_t n): n * TB_PROBE_UNROLL calls of a bare
 * `ret`, back to back: throughput-bound front-end work, the kind another
 * thread on the same core slows most.  Never a dependency chain.
 */
	.globl	tb_call_probe
	.type	tb_call_probe, @function
	.p2align 6
tb_call_probe:
	endbr64
	testq	%rdi, %rdi
	jz	2f
	.p2align 6
1:
	.rept	TB_PROBE_UNROLL
	call	3f
	.endr
	decq	%rdi
	jnz	1b
2:
	ret
	.p2align 4
3:
	ret
	.size	tb_call_probe, . - tb_call_probe

	.section .note.GNU-stack, "", @progbits
