// SPDX-License-Identifier: GPL-2.0
/* The measuring core; see measure.h. */
#include "arch_timer.h"
#include "core/measure.h"

bool tb_disturb_delta(const struct tb_disturb_sample *a,
		      const struct tb_disturb_sample *b, uint64_t *switches,
		      uint64_t *migrations)
{
	uint64_t sw = b->switches - a->switches;
	uint64_t mig = b->migrations - a->migrations;

	/* a move seen by CPU number counts even when not counted */
	if (!mig && a->cpu != b->cpu)
		mig = 1;
	if (switches)
		*switches = sw;
	if (migrations)
		*migrations = mig;
	return sw || mig;
}

/*
 * One counted span: @fn between the group's two reads.  Never inlined, so
 * loop one and loop two run through the same instructions around the
 * call: inlined, the compiler scheduled one more instruction into the
 * first span than into the second (seen as 1/512 instruction per call
 * short under qemu-system's exact counts), which the difference of the
 * two loops kept.
 */
static tb_noinline void group_span(struct tb_counters *c, int g,
				   tb_loop_fn fn, uint64_t passes,
				   struct tb_counts *b, struct tb_counts *d)
{
	c->ops->begin(c, g, b);
	fn(passes, 0);
	c->ops->end(c, g, b, d);
}

/*
 * Both loops under counter group @g, its counts from @first on in @r;
 * false if it was multiplexed.
 */
static bool measure_group(struct tb_core *c, int g,
			  const struct tb_loop_pair *lp, uint64_t passes,
			  int first, struct tb_raw *r)
{
	struct tb_counters *k = &c->counters;
	struct tb_counts b, d1, d2;
	bool ok;

	if (lp->warm)
		lp->one(lp->warm, 0);
	k->ops->enable(k, g);
	group_span(k, g, lp->one, passes, &b, &d1);
	if (lp->two)
		group_span(k, g, lp->two, passes, &b, &d2);
	else
		group_span(k, g, lp->one, 2 * passes, &b, &d2);
	k->ops->disable(k, g);
	ok = !d1.multiplexed && !d2.multiplexed;
	if (!ok)
		c->redone_multiplexed++;
	for (int j = 0; ok && j < k->nr[g]; j++) {
		r->count[0][first + j] = d1.value[j];
		r->count[1][first + j] = d2.value[j];
	}
	r->path = d2.path;
	return ok;
}

/*
 * One timed span, the timer read inline (@now is a constant where this is
 * expanded), the same instructions around either loop.
 */
static tb_always_inline uint64_t timed(tb_loop_fn fn, uint64_t passes,
				       uint64_t (*now)(void))
{
	uint64_t t0 = now();

	fn(passes, 0);
	return now() - t0;
}

static tb_noinline uint64_t timer_span(tb_loop_fn fn, uint64_t passes)
{
	return timed(fn, passes, tb_timer_read);
}

static tb_noinline uint64_t clock_span(tb_loop_fn fn, uint64_t passes,
				       uint64_t (*now)(void))
{
	return timed(fn, passes, now);
}

/*
 * Both loops on the timer (@now, NULL: the timer itself), then under each
 * counter group if @count.
 */
static int measure(struct tb_core *c, const struct tb_loop_pair *lp,
		   uint64_t passes, bool count, uint64_t (*now)(void),
		   struct tb_raw *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned int t = 0; t < TB_CORE_TRIES; t++) {
		struct tb_disturb_sample d0, d1;
		uint64_t a;
		bool ok = true;
		int first = 0;

		if (c->disturb_read)
			c->disturb_read(c->disturb_arg, &d0);
		if (lp->warm)
			lp->one(lp->warm, 0);
		a = now ? now() : tb_timer_read();
		r->ticks[0] = now ? clock_span(lp->one, passes, now) :
				    timer_span(lp->one, passes);
		if (lp->two)
			r->ticks[1] = now ? clock_span(lp->two, passes, now) :
					    timer_span(lp->two, passes);
		else
			r->ticks[1] = now ?
				clock_span(lp->one, 2 * passes, now) :
				timer_span(lp->one, 2 * passes);
		for (int g = 0; ok && count && g < c->counters.ngroups; g++) {
			ok = measure_group(c, g, lp, passes, first, r);
			first += c->counters.nr[g];
		}
		r->total = (now ? now() : tb_timer_read()) - a;
		if (c->disturb_read) {
			c->disturb_read(c->disturb_arg, &d1);
			if (tb_disturb_delta(&d0, &d1, NULL, NULL) &&
			    !(c->keep_last_try && t == TB_CORE_TRIES - 1)) {
				c->redone_disturbed++;
				ok = false;
			}
		}
		if (ok) {
			r->redone = t;
			return 0;
		}
	}
	return -EAGAIN;
}

int tb_core_measure(struct tb_core *c, const struct tb_loop_pair *lp,
		    uint64_t passes, bool count, struct tb_raw *r)
{
	return measure(c, lp, passes, count, NULL, r);
}

int tb_core_measure_on(struct tb_core *c, const struct tb_loop_pair *lp,
		       uint64_t passes, bool count, uint64_t (*now)(void),
		       struct tb_raw *r)
{
	return measure(c, lp, passes, count, now, r);
}

int tb_core_batch(struct tb_core *c, bool count,
		  const struct tb_batch_spec *b, struct tb_raw_batch *out)
{
	if (b->before)
		b->before(b->arg);
	if (tb_core_measure(c, b->loops, b->passes, count, &out->loops))
		return -EAGAIN;
	if (b->baseline &&
	    tb_core_measure(c, b->baseline, b->passes, count, &out->baseline))
		return -EAGAIN;
	if (tb_core_measure(c, b->clock, b->clock_passes, false, &out->clock) ||
	    tb_core_measure(c, b->probe, b->probe_passes, false, &out->probe))
		return -EAGAIN;
	return 0;
}

static uint64_t quantum;

uint64_t tb_core_quantum(void)
{
	uint64_t prev, best = UINT64_MAX;

	if (quantum)
		return quantum;
	prev = tb_timer_read();
	for (int i = 0; i < 10000; i++) {
		uint64_t t = tb_timer_read();

		if (t != prev && t - prev < best)
			best = t - prev;
		prev = t;
	}
	quantum = best == UINT64_MAX ? 1 : best;
	return quantum;
}

#define NSEC_PER_S 1000000000ULL

uint64_t tb_core_passes(const struct tb_loop_pair *lp, uint64_t timer_hz)
{
	/*
	 * In ticks, rounded so that the integer comparisons below are
	 * exactly those of the rules: at least want, at most max a third
	 * of a batch.
	 */
	uint64_t want = TB_BATCH_QUANTA * tb_core_quantum();
	uint64_t min = (TB_BATCH_MIN_NS * timer_hz + NSEC_PER_S - 1) /
		       NSEC_PER_S;
	uint64_t max = TB_BATCH_MAX_NS * timer_hz / (6 * NSEC_PER_S);
	uint64_t passes = 1;

	if (min > want)
		want = min;
	for (int i = 0; i < 40; i++) {
		uint64_t t0, t1;

		lp->one(passes, 0);
		t0 = tb_timer_read();
		lp->one(passes, 0);
		t1 = tb_timer_read();
		/* Stop at the wanted length, or before the batch gets long. */
		if (t1 - t0 >= want || t1 - t0 > max)
			break;
		passes *= 2;
	}
	return passes;
}

/* The add chain of clock.S as a loop pair: 256 adds an item. */
static uint64_t chain_one(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_add_chain(passes);
}

static uint64_t chain_two(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_add_chain(2 * passes);
}

/* lp with its passes per batch, sized on first use into *cache. */
static const struct tb_loop_pair *sized(const struct tb_loop_pair *lp,
					uint64_t timer_hz, uint64_t *cache,
					uint64_t *passes)
{
	if (!*cache)
		*cache = tb_core_passes(lp, timer_hz);
	*passes = *cache;
	return lp;
}

const struct tb_loop_pair *tb_core_clock(uint64_t timer_hz, uint64_t *passes)
{
	static const struct tb_loop_pair chain = {
		.one = chain_one, .two = chain_two, .items = TB_ADD_CHAIN_UNROLL
	};
	static uint64_t cache;

	return sized(&chain, timer_hz, &cache, passes);
}

static uint64_t probe_one(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_call_probe(passes);
}

static uint64_t probe_two(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_call_probe(2 * passes);
}

const struct tb_loop_pair *tb_core_probe(uint64_t timer_hz, uint64_t *passes)
{
	static const struct tb_loop_pair probe = {
		.one = probe_one, .two = probe_two, .items = TB_PROBE_UNROLL
	};
	static uint64_t cache;

	return sized(&probe, timer_hz, &cache, passes);
}
