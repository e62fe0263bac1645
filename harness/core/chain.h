/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two loops of harness/<arch>/clock.S that the core drives as loop
 * pairs (core/measure.h) and the clock calibration times (harness/
 * clock.h); included by the assembly too.
 */
#ifndef TB_CORE_CHAIN_H
#define TB_CORE_CHAIN_H

/* Adds per loop iteration of tb_add_chain(); also used by clock.S. */
#define TB_ADD_CHAIN_UNROLL 256
/* Calls per loop iteration of tb_call_probe(). */
#define TB_PROBE_UNROLL 16

#ifndef __ASSEMBLY__
#include "core/shim.h"

/*
 * tb_add_chain - execute exactly @n * TB_ADD_CHAIN_UNROLL dependent
 * register adds and return their sum (that same number).  A dependent ADD
 * has 1-cycle latency on every core trampbench targets, so the chain runs
 * at one add per core cycle.
 */
uint64_t tb_add_chain(uint64_t n);

/*
 * tb_call_probe - @n * TB_PROBE_UNROLL direct calls of a function that
 * returns at once: how fast the core runs call-heavy code right now
 * (another thread on the core, or another guest on the host's, slows it).
 */
uint64_t tb_call_probe(uint64_t n);
#endif

#endif /* TB_CORE_CHAIN_H */
