/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cold sampler: one static call measured at a time, cold.
 *
 * A sample is one call site between two serialising timer reads (a
 * generated stub, `u64 stub(void)`, returning the ticks between them),
 * run right after an eviction: optionally the predictor walk, then the
 * loads that keep some lines warm, then cache maintenance by address
 * on the lines that are to be cold, then a barrier.  Each sample of the
 * call is paired with one of its control, a stub identical but for the
 * call site's bytes (nops), evicted the same way, through the same
 * function here: the pair's difference is what the call costs.  The
 * order within a pair alternates, so neither stub always runs first.
 *
 * Samples are integers (ticks; counts where counter groups are open),
 * kept as recorded; the estimator (harness/cold_est.h) is apart, in user
 * space.  Part of the measuring core (core/measure.h), so a kernel
 * module samples the same way.
 */
#ifndef TB_CORE_COLD_H
#define TB_CORE_COLD_H

#include "core/measure.h"
#include "core/shim.h"

typedef uint64_t (*tb_cold_stub)(void);

/* Lines one eviction may name: warm, data and code lines together. */
#define TB_COLD_MAX_LINES 32

struct tb_cold_evict {
	void (*walk)(void); /* the predictor walk, or NULL */
	/* loads the first nwarm lines, flushes the next ndata + ncode */
	void (*evict)(const uint64_t *lines, uint64_t nwarm, uint64_t ndata,
		      uint64_t ncode);
	uint64_t line[TB_COLD_MAX_LINES]; /* line addresses, in that order */
	unsigned int nwarm, ndata, ncode;
};

/* What one cold case measures: @one the control, @two the call. */
struct tb_cold_spec {
	tb_cold_stub one, two;
	struct tb_cold_evict evict;
};

/*
 * A repetition's pairs as recorded: [0] the control's sample, [1] the
 * call's (or the second control's), each its ticks and, in counter
 * mode, each event's count, in event order (group after group).  The
 * arrays are the caller's, room for every pair.
 */
struct tb_cold_record {
	size_t n; /* pairs recorded */
	uint64_t *ticks[2];
	uint64_t *value[2][TB_COUNTERS_MAX];
};

/*
 * Add @line's cache line (of @size bytes, a power of two) to @e's list;
 * @kind 0 warm, 1 data, 2 code.  Lines of a later kind stay after those
 * of an earlier one; a line already there keeps the later of its two
 * kinds (a flush wins over a load, code over data).  False when full.
 */
bool tb_cold_add_line(struct tb_cold_evict *e, uintptr_t addr, int kind,
		      unsigned int size);

/* Every line of [@start, @end) as @kind; false when full. */
bool tb_cold_add_range(struct tb_cold_evict *e, uintptr_t start, uintptr_t end,
		       int kind, unsigned int size);

/* One timed sample: evict, then the stub; its ticks. */
uint64_t tb_cold_time(const struct tb_cold_evict *e, tb_cold_stub stub);

/*
 * Pairs @from .. @to - 1 of @s into @r: each pair's two samples, on the
 * timer and, when @count, under each counter group of @c in turn; a
 * pair that was disturbed (context switch, migration) or multiplexed is
 * measured again (not with keep_disturbed_pairs: under an emulator,
 * whose threads disturb nearly every pair).  Adds the tries redone to
 * *@redone.  Returns 0, or -EAGAIN after TB_CORE_TRIES tries of one
 * pair.
 */
int tb_cold_measure(struct tb_core *c, bool count,
		    const struct tb_cold_spec *s, struct tb_cold_record *r,
		    size_t from, size_t to, unsigned long *redone);

#endif /* TB_CORE_COLD_H */
