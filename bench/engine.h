/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The repetition engine: how a case's repetition is measured, apart from
 * whoever reports it (bench/case.c turns it into Google Benchmark's
 * counters and labels).  A repetition: warm-up batches, dropped; then
 * `n` batches, each of which times the case's loop pair (with the
 * counters, if any), its baseline pair if it has one, the add chain
 * (the clock) and the call probe (contention), every one as N and 2N,
 * through the meter (harness/meter.h); then their reduction
 * (bench/batches.h).  A cold case's repetition is n pairs of single
 * samples instead (harness/core/cold.h), reduced by the cold estimator.
 *
 * The clock: the estimator over the chain timings of each stretch of
 * TB_CLOCK_SEGMENT batches gives that stretch's ticks per cycle, which
 * turn the stretch's ticks into cycles.  So it is measured where and
 * when the case ran, by the same estimator: on the Zen 5 VMs the core
 * clock moved by 3% between repetitions 20 ms apart.
 *
 * Contention: another guest on the host's core can slow call-heavy code
 * by up to 40% for seconds, and within one repetition every batch may be
 * slowed alike, so no choice of batches helps.  The probe's cycles per
 * call are the same on a quiet core every time; a repetition whose probe
 * reads more than TB_CONTENTION_PCT above the quietest seen in this run
 * is measured again, up to TB_CONTENTION_TRIES times, and every row
 * records its probe and how far it was above.
 */
#ifndef TB_ENGINE_H
#define TB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "batches.h"
#include "case.h"
#include "cold_est.h"
#include "cpu_hygiene.h"
#include "meter.h"

/* Clock and probe batches in a cold repetition, spread between its pairs. */
#define TB_COLD_CLOCKS 32

/*
 * A repetition whose contention probe reads this much above the quietest
 * of the run is measured again, at most this many times in all.
 */
#define TB_CONTENTION_PCT 1.0
#define TB_CONTENTION_TRIES 4
/*
 * ... unless this many repetitions in a row stayed contended after every
 * try: contention is then the host's steady state, not a burst, and each
 * repetition is measured once (its row still says how contended) until
 * one passes the gate again, so a busy host does not make the run four
 * times longer for nothing.
 */
#define TB_CONTENTION_SATURATED 8

/* How many times a repetition may be measured, after this many in a row. */
unsigned int tb_contention_max_tries(unsigned int saturated);

/*
 * The count after a repetition that was measured tries times (tries ==
 * max: it ended still contended) out of max.
 */
unsigned int tb_contention_next(unsigned int saturated, unsigned int tries,
				unsigned int max);

/* One repetition of a case, measured and reduced. */
struct tb_repetition {
	struct tb_rep rep; /* per call, over the quiet batches */
	/*
	 * What each counter counted: the total of the loops (0 only if it
	 * never counted), or per sample of a cold case's controls.
	 */
	double counted[TB_MAX_EVENTS];
	unsigned long redone; /* batches (pairs) measured again */
	unsigned int tries; /* measured again for contention */
	double contention_pct; /* its probe above the run's quietest */
	bool load; /* l0 and l1 read: the other CPUs' load around it */
	struct tb_cpu_load l0, l1;
	bool cold; /* a cold case: est is its estimate */
	struct tb_cold_est est;
	/* this one made the gate give up: measuring once each from now */
	bool saturated;
};

/*
 * Where a batch is measured: NULL, here (tb_core_batch()); else this
 * (trampbench --kernel: in the module, bench/kernel.c), which fills
 * @raw and may resize @spec's passes to those it ran.  0, or -1.
 */
extern int (*tb_engine_batch)(struct tb_case *c, struct tb_batch_spec *spec,
			      struct tb_raw_batch *raw);

/* The meter every case is measured with; set before any. */
void tb_engine_set_meter(struct tb_meter *m);

/*
 * Before the run: measure the contention probe on its own, so that the
 * first cases are judged against the quietest reading too.
 */
void tb_engine_seed_probe(void);

/* Size a batched case's passes in its own state (set-up, teardown). */
int tb_engine_size(struct tb_case *c);

/*
 * One repetition of @c, @n batches (or pairs): its set-up, the
 * repetition measured again while contended, its teardown.  Returns
 * NULL, or why it failed.
 */
const char *tb_engine_run(struct tb_case *c, size_t n,
			  struct tb_repetition *out);

#endif
