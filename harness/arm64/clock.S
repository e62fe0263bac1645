/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dependent add chain that tb_core_freq_calibrate() times: one ADD per
 * core cycle: ADD (register) has execution latency 1 (Arm Neoverse N1
 * Software Optimization Guide, arithmetic and logical instructions table;
 * also WriteI latency 1 in LLVM's Neoverse, Ampere1 and Cyclone models).
 */
#include "clock.h"

	.text

/* uint64_t tb_add_chain(uint64_t n): n * TB_ADD_CHAIN_UNROLL adds, summed */
	.globl	tb_add_chain
	.type	tb_add_chain, %function
	.p2align 6
tb_add_chain:
	hint	#34			// BTI C, a NOP before Armv8.5
	mov	x1, x0
	mov	x0, #0
	mov	x2, #1			// a register addend, no immediate
	cbz	x1, 2f
	.p2align 6
1:
	.rept	TB_ADD_CHAIN_UNROLL
	add	x0, x0, x2		// waits for the previous add
	.endr
	subs	x1, x1, #1		// off the chain: runs in its shadow
	b.ne	1b
2:
	ret
	.size	tb_add_chain, . - tb_add_chain

/*
 * uint64_t tb_call_probe(uint64_t n): n * TB_PROBE_UNROLL calls of a bare
 * `ret`, back to back: throughput-bound front-end work, the kind another
 * thread on the same core slows most.  The link register waits in x3.
 */
	.globl	tb_call_probe
	.type	tb_call_probe, %function
	.p2align 6
tb_call_probe:
	hint	#34			// BTI C
	mov	x3, x30
	cbz	x0, 2f
	.p2align 6
1:
	.rept	TB_PROBE_UNROLL
	bl	3f			// direct: no landing pad needed
	.endr
	subs	x0, x0, #1
	b.ne	1b
2:
	mov	x30, x3
	ret
	.p2align 4
3:
	ret
	.size	tb_call_probe, . - tb_call_probe

	.section .note.GNU-stack, "", %progbits
