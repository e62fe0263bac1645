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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/tables.h"

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

/* The stated latency of mul_chain's item on @core of @arch, or NULL. */
const struct tb_latency_row *tb_calibration_latency(const char *arch,
						    const char *core);

/*
 * add_chain's label: when the cycles come from the timer (@timer_cycles)
 * the chain is the clock's definition and checks nothing; NULL otherwise.
 */
const char *tb_calibration_add_label(bool timer_cycles);

/*
 * mul_chain's label for @core (a cores.tsv name) of @arch into @buf: the
 * stated latency and where it is stated, or that none is.  Returns the
 * stated cycles per item, 0 if none or @emulated.
 */
double tb_calibration_mul_label(const char *arch, const char *core,
				bool emulated, char *buf, size_t len);
#endif

#endif
