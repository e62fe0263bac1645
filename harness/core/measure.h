/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measuring core: runs a pair of generated loops that differ only in
 * how many calls one pass makes (N and 2N), each between two reads of
 * the timer and, in turn, of each counter group, and records what the
 * reads say: integer ticks and counts per loop.  Their difference per
 * call, and every reduction of it, is the front end's (harness/meter.c
 * and the estimator, in user space): nothing here divides.
 *
 * Built into the program and, for a kernel module, into the module
 * (core/shim.h): the counters come through a backend (core/counters.h),
 * and what may disturb a batch (a context switch, a migration) through a
 * front end's hook, which a module whose batches run with interrupts off
 * leaves NULL.
 */
#ifndef TB_CORE_MEASURE_H
#define TB_CORE_MEASURE_H

#include "core/chain.h"
#include "core/counters.h"
#include "core/shim.h"

/*
 * Two loops, `items` and 2 * `items` calls per pass:
 * uint64_t f(passes, x).  A latency loop threads x through every call and
 * returns it; other loops ignore x.  Without `two`, loop two is `one` at
 * twice the passes (the doubled pair): the difference is then whole
 * passes of `items` calls and the loop's own branch.
 */
typedef uint64_t (*tb_loop_fn)(uint64_t passes, uint64_t x);

struct tb_loop_pair {
	tb_loop_fn one;
	tb_loop_fn two;
	unsigned int items;
	/*
	 * Passes of one to run, untimed, before the pair: for loops whose
	 * first pass after the harness's own code (its syscalls) is slower
	 * than the next, so that loop one would pay it and loop two not.
	 */
	unsigned int warm;
};

/*
 * Batch sizing, against the timer and the tick: loop one lasts at least
 * TB_BATCH_QUANTA timer quanta (its quantum error under 0.4%, and it
 * averages out over the kept batches) and TB_BATCH_MIN_NS, and a whole
 * batch (one, then two: three times one) stays under TB_BATCH_MAX_NS, a
 * 20th of a 1000 Hz tick, so that most batches see no interrupt at all
 * (and a module's batches, run with interrupts off, hold them off no
 * longer than that).
 */
#define TB_BATCH_QUANTA 256
#define TB_BATCH_MIN_NS 2000
#define TB_BATCH_MAX_NS 50000
/* Batches run and dropped before a repetition's, to settle predictors. */
#define TB_WARMUP_BATCHES 32

/* A batch (or a cold pair) is measured again this often at most. */
#define TB_CORE_TRIES 50

/* Context switches and migrations seen at one instant. */
struct tb_disturb_sample {
	uint64_t switches, migrations;
	int cpu;
};

/*
 * Switches and migrations between @a and @b (a change of CPU counts as a
 * migration even where none was counted); true if any.
 */
bool tb_disturb_delta(const struct tb_disturb_sample *a,
		      const struct tb_disturb_sample *b, uint64_t *switches,
		      uint64_t *migrations);

struct tb_core {
	struct tb_counters counters; /* ngroups 0: the timer alone */
	/* What disturbs a batch, read around it; NULL: nothing can. */
	void (*disturb_read)(void *arg, struct tb_disturb_sample *s);
	void *disturb_arg;
	/*
	 * Under an emulator its own threads switch in and out of every
	 * long batch, and the timing describes the emulator anyway: a
	 * batch's last try is kept there, not failed (keep_last_try), and
	 * a cold pair's first (keep_disturbed_pairs).
	 */
	bool keep_last_try;
	bool keep_disturbed_pairs;
	unsigned long redone_disturbed, redone_multiplexed;
};

/*
 * One batch as read: [0] loop one, [1] loop two.  Fixed-width fields
 * only, so a module can hand its raw batches to user space as they are.
 */
struct tb_raw {
	uint64_t total; /* ticks of the whole batch, as run */
	uint64_t ticks[2]; /* timer ticks of each loop */
	/* counts of each loop, each event, group after group */
	uint64_t count[2][TB_COUNTERS_MAX];
	uint32_t path; /* how the counters were read: enum tb_read_path */
	uint32_t redone; /* times measured again */
};

/*
 * Measure @passes of both loops of @lp on the timer, then (if @count)
 * under each counter group in turn; redo a batch that was multiplexed,
 * or disturbed.  Returns 0, or -EAGAIN after TB_CORE_TRIES disturbed
 * tries (with keep_last_try the last try is kept).
 */
int tb_core_measure(struct tb_core *c, const struct tb_loop_pair *lp,
		    uint64_t passes, bool count, struct tb_raw *r);

/* The same on a stand-in for the timer (tests). */
int tb_core_measure_on(struct tb_core *c, const struct tb_loop_pair *lp,
		       uint64_t passes, bool count, uint64_t (*now)(void),
		       struct tb_raw *r);

/*
 * One batch of a case, as a repetition runs it again and again: the
 * case's pair (counted), its baseline pair if any (counted), then the
 * clock's and the probe's pairs on the timer alone, after the case's
 * own hook.
 */
struct tb_batch_spec {
	const struct tb_loop_pair *loops;
	const struct tb_loop_pair *baseline; /* NULL: none */
	uint64_t passes; /* of loops and baseline */
	const struct tb_loop_pair *clock, *probe; /* tb_core_clock(), ... */
	uint64_t clock_passes, probe_passes;
	void (*before)(void *arg); /* before the batch, or NULL */
	void *arg;
};

struct tb_raw_batch {
	struct tb_raw loops, baseline, clock, probe;
};

/*
 * Measure one batch of @b into @out (counting if @count).  Returns 0,
 * or -EAGAIN if a pair was disturbed in every try.
 */
int tb_core_batch(struct tb_core *c, bool count,
		  const struct tb_batch_spec *b, struct tb_raw_batch *out);

/*
 * The timer's resolution in ticks: the smallest step seen between reads,
 * measured on the first call.
 */
uint64_t tb_core_quantum(void);

/*
 * Passes of @lp per batch, by the sizing rules above, for a timer of
 * @timer_hz ticks a second (runs the loops).
 */
uint64_t tb_core_passes(const struct tb_loop_pair *lp, uint64_t timer_hz);

/*
 * Timer-mode clock: the dependent add chain (one add per core cycle,
 * harness/<arch>/clock.S) as a loop pair, and its passes per batch,
 * sized on first use.  Run inside every batch, its ticks per add turn
 * that batch's ticks into cycles.
 */
const struct tb_loop_pair *tb_core_clock(uint64_t timer_hz, uint64_t *passes);

/*
 * The contention probe: calls of a bare `ret` as a loop pair, and its
 * passes per batch.  Its cycles per call are the same on a quiet core
 * every time; more means something shares the core.
 */
const struct tb_loop_pair *tb_core_probe(uint64_t timer_hz, uint64_t *passes);

#endif /* TB_CORE_MEASURE_H */
