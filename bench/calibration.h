/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calibration loops (bench/<arch>/calibration.S): each comes as a pair,
 * the same loop with TB_CAL_UNROLL and 2 * TB_CAL_UNROLL items per pass,
 * so the difference of the two is the cost of TB_CAL_UNROLL items with
 * the loop's own cost removed, exactly as for the static-call loops.
 */
#ifndef TB_CALIBRATION_H
#define TB_CALIBRATION_H

#define TB_CAL_UNROLL 16
/* mul_chain's multiplier: odd, full width (2^64 over the golden ratio) */
#define TB_CAL_MUL 0x9e3779b97f4a7c15

#ifndef __ASSEMBLY__
#include <stdint.h>

/*
 * uint64_t loop(uint64_t passes, uint64_t x): x unused; returns the chain
 * register (add_chain: the adds done; mul_chain: TB_CAL_MUL to the power
 * of the multiplies done), whatever the others leave in it.
 */
#define TB_CAL_LOOPS(name)                                       \
	uint64_t tb_cal_##name##_1(uint64_t passes, uint64_t x); \
	uint64_t tb_cal_##name##_2(uint64_t passes, uint64_t x)

TB_CAL_LOOPS(empty);     /* nothing: two identical loops, expect ~0 */
TB_CAL_LOOPS(add_chain); /* dependent adds: 1 cycle each on every core */
TB_CAL_LOOPS(mul_chain); /* dependent 64-bit multiplies: latency.tsv */
TB_CAL_LOOPS(call_ret);  /* direct call of a function that returns */
TB_CAL_LOOPS(branch_random); /* a branch on a pseudo-random bit */
TB_CAL_LOOPS(branch_fixed);  /* the same work, the branch always taken */

#endif

#endif
