// SPDX-License-Identifier: GPL-2.0
/*
 * The repetition engine; see engine.h.  The estimator keeps the quickest
 * quarter of a repetition's batches by the case's own total time, and
 * every figure (cycles, each counter, the baseline) is the mean over
 * those same batches.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "estimator.h"
#include "scenario.h"

static struct tb_meter *meter;
int (*tb_engine_batch)(struct tb_case *c, struct tb_batch_spec *spec,
		       struct tb_raw_batch *raw);
/* Repetitions in a row that ended still contended (TB_CONTENTION_*). */
static unsigned int saturated;
static double probe_best; /* quietest probe of the run, cycles per call */

void tb_engine_set_meter(struct tb_meter *m)
{
	meter = m;
}

/* Cycles of a sample: the PMU's where counted, else timer ticks. */
static double raw_cycles(const struct tb_sample *s, int cyc)
{
	return cyc >= 0 ? s->value[cyc] : s->ticks;
}

/* The scenario's hook before every batch (warm-up ones too). */
static void before_batch(void *arg)
{
	struct tb_case *c = arg;

	c->scn->before_batch(c);
}

/* One batch of c into slot i: 0, or -1 if disturbed in every try. */
static int run_batch(struct tb_case *c, struct tb_batches *r, size_t i, int cyc,
		     unsigned long *redone)
{
	struct tb_batch_spec spec = {
		.loops = &c->loops,
		.baseline = c->baseline.one ? &c->baseline : NULL,
		.passes = c->passes,
		.before = c->scn && c->scn->before_batch ? before_batch : NULL,
		.arg = c,
	};
	struct tb_raw_batch raw;
	struct tb_sample s, b;

	spec.clock = tb_meter_clock(&spec.clock_passes);
	spec.probe = tb_meter_probe(&spec.probe_passes);
	if (tb_engine_batch ? tb_engine_batch(c, &spec, &raw) :
			      tb_core_batch(&meter->core, meter->counting, &spec,
					    &raw))
		return -1;
	tb_meter_sample(meter, &raw.loops, spec.loops, spec.passes,
			meter->counting, &s);
	r->total[i] = s.total;
	r->ticks[i] = s.ticks;
	for (int j = 0; j < meter->nevents; j++) {
		r->value[j][i] = s.value[j];
		r->counted[j] += s.counted[j];
	}
	*redone += s.redone;
	if (spec.baseline) {
		tb_meter_sample(meter, &raw.baseline, spec.baseline,
				spec.passes, meter->counting, &b);
		r->total[i] += b.total;
		r->base[i] = raw_cycles(&b, cyc);
	}
	tb_meter_sample(meter, &raw.clock, spec.clock, spec.clock_passes,
			false, &b);
	r->clock_total[i] = b.total;
	r->clock[i] = b.ticks;
	tb_meter_sample(meter, &raw.probe, spec.probe, spec.probe_passes,
			false, &b);
	r->probe_total[i] = b.total;
	r->probe[i] = b.ticks;
	return 0;
}

/*
 * Run the repetition's batches into r and measure its clock.  Returns
 * NULL, or why it failed.
 */
static const char *run_batches(struct tb_case *c, struct tb_batches *r,
			       size_t n, int cyc, unsigned long *redone)
{
	for (size_t i = 0; i < TB_WARMUP_BATCHES; i++)
		run_batch(c, r, 0, cyc, redone);
	*redone = 0;
	memset(r->counted, 0, sizeof(r->counted));
	for (r->n = 0; r->n < n; r->n++)
		if (run_batch(c, r, r->n, cyc, redone))
			return "disturbed (context switches or migrations) in every try; is the CPU isolated?";
	if (!tb_batches_clock(r))
		return "the add chain measured no time: is the timer running?";
	return NULL;
}

unsigned int tb_contention_max_tries(unsigned int saturated)
{
	return saturated >= TB_CONTENTION_SATURATED ? 1 : TB_CONTENTION_TRIES;
}

unsigned int tb_contention_next(unsigned int saturated, unsigned int tries,
				unsigned int max)
{
	return tries < max ? 0 : saturated + 1;
}

/* Is this probe reading too far above the quietest of the run? */
static bool contended(double probe)
{
	if (!(probe > 0))
		return false;
	if (!(probe_best > 0) || probe < probe_best)
		probe_best = probe;
	/* Under an emulator the probe times the emulator: never gate. */
	return meter->emu.kind == TB_EMU_NONE &&
	       probe > probe_best * (1 + TB_CONTENTION_PCT / 100);
}

/* The scenario's set-up and teardown of c, where it has them. */
static int setup(struct tb_case *c)
{
	return c->scn && c->scn->setup ? c->scn->setup(c) : 0;
}

static void teardown(struct tb_case *c)
{
	if (c->scn && c->scn->teardown)
		c->scn->teardown(c);
}

/*
 * A cold repetition: its pairs as recorded, the differences, and the
 * clock and probe batches run between the pairs (TB_COLD_CLOCKS of each,
 * or one after every pair in a shorter repetition).
 */
struct cold_buf {
	struct tb_cold_record rec;
	double *d, *scratch;
	double *clock, *clock_total, *probe, *probe_total;
	size_t *idx;
	size_t nclock;
	int nevents;
	double counted[TB_MAX_EVENTS]; /* the control's counts per sample */
};

static void cold_free(struct cold_buf *b)
{
	for (int w = 0; w < 2; w++) {
		free(b->rec.ticks[w]);
		for (int j = 0; j < b->nevents; j++)
			free(b->rec.value[w][j]);
	}
	free(b->d);
	free(b->scratch);
	free(b->clock);
	free(b->clock_total);
	free(b->probe);
	free(b->probe_total);
	free(b->idx);
	memset(b, 0, sizeof(*b));
}

static int cold_alloc(struct cold_buf *b, size_t n, int nevents)
{
	size_t nc = TB_COLD_CLOCKS + 1;
	bool ok = true;

	memset(b, 0, sizeof(*b));
	b->nevents = nevents;
	for (int w = 0; w < 2; w++) {
		ok &= !!(b->rec.ticks[w] = calloc(n, sizeof(uint64_t)));
		for (int j = 0; j < nevents; j++)
			ok &= !!(b->rec.value[w][j] =
					 calloc(n, sizeof(uint64_t)));
	}
	ok &= !!(b->d = calloc(n, sizeof(double)));
	ok &= !!(b->scratch = calloc(n, sizeof(double)));
	ok &= !!(b->clock = calloc(nc, sizeof(double)));
	ok &= !!(b->clock_total = calloc(nc, sizeof(double)));
	ok &= !!(b->probe = calloc(nc, sizeof(double)));
	ok &= !!(b->probe_total = calloc(nc, sizeof(double)));
	ok &= !!(b->idx = calloc(nc, sizeof(size_t)));
	if (!ok)
		cold_free(b);
	return ok ? 0 : -1;
}

/* Pairs dropped before a repetition's: the first calls after set-up. */
#define TB_COLD_WARMUP 4

/* Run a cold repetition of n pairs into b; NULL, or why it failed. */
static const char *run_cold(struct tb_case *c, struct cold_buf *b, size_t n,
			    unsigned long *redone)
{
	const char *disturbed = "disturbed (context switches or migrations) in every try; is the CPU isolated?";
	const struct tb_loop_pair *clock, *probe;
	uint64_t clock_passes, probe_passes;
	size_t every = n / TB_COLD_CLOCKS ? n / TB_COLD_CLOCKS : 1;
	struct tb_sample s;

	clock = tb_meter_clock(&clock_passes);
	probe = tb_meter_probe(&probe_passes);
	if (tb_cold_measure(&meter->core, meter->counting, &c->cold,
			    &b->rec, 0,
			    n < TB_COLD_WARMUP ? n : TB_COLD_WARMUP, redone))
		return disturbed;
	*redone = 0;
	b->rec.n = 0;
	b->nclock = 0;
	for (size_t i = 0; i < n && b->nclock < TB_COLD_CLOCKS + 1;
	     i += every) {
		size_t to = i + every < n && b->nclock < TB_COLD_CLOCKS ?
				    i + every :
				    n;

		/*
		 * The walk evicted the chain's and the probe's code: each
		 * runs once untimed first, or its first loop would pay the
		 * misses and bias the difference of its two.
		 */
		if (tb_cold_measure(&meter->core, meter->counting, &c->cold,
			    &b->rec, i, to, redone) ||
		    tb_meter_time(meter, clock, clock_passes, &s) ||
		    tb_meter_time(meter, clock, clock_passes, &s))
			return disturbed;
		b->clock[b->nclock] = s.ticks;
		b->clock_total[b->nclock] = s.total;
		if (tb_meter_time(meter, probe, probe_passes, &s) ||
		    tb_meter_time(meter, probe, probe_passes, &s))
			return disturbed;
		b->probe[b->nclock] = s.ticks;
		b->probe_total[b->nclock++] = s.total;
	}
	return NULL;
}

/* Each pair's difference, call (or second control) minus control. */
static void cold_diffs(const struct cold_buf *b, int ev, double scale,
		       double *d)
{
	const struct tb_cold_record *r = &b->rec;

	for (size_t i = 0; i < r->n; i++)
		d[i] = ev < 0 ? ((double)r->ticks[1][i] -
				 (double)r->ticks[0][i]) / scale :
				(double)(int64_t)(r->value[1][ev][i] -
						  r->value[0][ev][i]);
}

/*
 * Reduce b: every figure the estimate over the same pairs; cycles from
 * counter cyc, or the ticks over the repetition's clock.  Returns false
 * if the clock measured no time.
 */
static bool reduce_cold(const struct tb_case *c, struct cold_buf *b, int cyc,
			struct tb_rep *rep, struct tb_cold_est *est)
{
	struct tb_estimate ce, pe;
	struct tb_cold_est e;
	double tpc, q = tb_meter_quantum();

	memset(rep, 0, sizeof(*rep));
	if (tb_estimate(b->clock_total, b->clock, b->nclock, TB_EST_KEEP,
			b->idx, &ce) ||
	    !(ce.value > 0))
		return false;
	tpc = ce.value; /* ticks per add: per core cycle */
	tb_estimate(b->probe_total, b->probe, b->nclock, TB_EST_KEEP, b->idx,
		    &pe);
	rep->probe = pe.value / tpc;
	rep->ghz = (double)tb_timer_freq() / tpc / 1e9;
	/* the fences are at least a step of the timer, or of a count */
	cold_diffs(b, -1, 1, b->d);
	tb_cold_estimate(b->d, b->rec.n, TB_COLD_FENCE, q, b->scratch, &e);
	rep->ticks = e.value;
	cold_diffs(b, cyc, tpc, b->d);
	tb_cold_estimate(b->d, b->rec.n, TB_COLD_FENCE, cyc < 0 ? q / tpc : 1,
			 b->scratch, est);
	rep->cycles = est->value;
	rep->cycles_sd = est->sd;
	rep->kept = est->kept;
	for (int j = 0; j < meter->nevents; j++) {
		cold_diffs(b, j, 1, b->d);
		tb_cold_estimate(b->d, b->rec.n, TB_COLD_FENCE, 1, b->scratch,
				 &e);
		rep->value[j] = e.value;
		b->counted[j] = 0;
		for (size_t i = 0; i < b->rec.n; i++)
			b->counted[j] += (double)b->rec.value[0][j][i] /
					 (double)b->rec.n;
		/* the control ran nops where the call ran: count them in */
		if (meter->events[j].role == TB_ROLE_INSTRUCTIONS)
			rep->value[j] += c->cold_nops;
	}
	return true;
}

/*
 * With TB_COLD_RECORD=file in the environment, every cold repetition's
 * pairs are appended to file as recorded (docs/cold.md and the fixtures
 * of tests/fixtures/cold/ were made so): a header, then the control's
 * and the call's ticks, a pair a line.
 */
static void cold_record(const struct tb_case *c, const struct cold_buf *b,
			const struct tb_rep *rep)
{
	const char *path = getenv("TB_COLD_RECORD");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "a")))
		return;
	fprintf(f, "# %s: %s mode, %zu pairs\n", c->name,
		tb_counter_mode_name(meter->mode), b->rec.n);
	fprintf(f, "# timer ticks of the control and of the call (or second control), a pair a line, in order\n");
	fprintf(f, "# ticks_per_cycle %.6f quantum %.0f\n",
		(double)tb_timer_freq() / (rep->ghz * 1e9), tb_meter_quantum());
	for (size_t i = 0; i < b->rec.n; i++)
		fprintf(f, "%llu %llu\n", (unsigned long long)b->rec.ticks[0][i],
			(unsigned long long)b->rec.ticks[1][i]);
	fclose(f);
}

/*
 * The quietest probe reading before any case runs, so the first cases are
 * judged against a good reference too: a few short repetitions of it.
 */
void tb_engine_seed_probe(void)
{
	const size_t n = 200;
	struct tb_case none = { 0 };
	struct tb_batches r;
	struct tb_rep rep;
	unsigned long redone;

	if (probe_best > 0 || tb_batches_alloc(&r, n, meter->nevents))
		return;
	none.loops = *tb_meter_probe(&none.passes);
	for (int i = 0; i < 4; i++) {
		if (run_batches(&none, &r, n, -1, &redone))
			continue;
		tb_batches_reduce(&r, -1, 0, (double)tb_timer_freq(), &rep);
		contended(rep.probe);
	}
	tb_batches_free(&r);
}


int tb_engine_size(struct tb_case *c)
{
	/* Sized in the case's state: a NULL call is quicker than a call. */
	int err = setup(c);

	if (err)
		return err;
	c->passes = tb_meter_passes(&c->loops);
	teardown(c);
	return 0;
}

/* A cold repetition: n pairs, not batches. */
static const char *run_cold_rep(struct tb_case *c, size_t n, int cyc,
				struct tb_repetition *out)
{
	unsigned int max = tb_contention_max_tries(saturated);
	struct cold_buf b;
	const char *err;

	if (cold_alloc(&b, n, meter->nevents))
		return "out of memory for the pairs";
	if (setup(c)) {
		cold_free(&b);
		return "set-up failed: see stderr";
	}
	do {
		out->load = !tb_cpu_load_read("", sched_getcpu(), &out->l0);
		err = run_cold(c, &b, n, &out->redone);
		out->load = out->load &&
			    !tb_cpu_load_read("", sched_getcpu(), &out->l1);
		if (!err && !reduce_cold(c, &b, cyc, &out->rep, &out->est))
			err = "the add chain measured no time: is the timer running?";
	} while (!err && contended(out->rep.probe) && ++out->tries < max);
	if (!err) {
		saturated = tb_contention_next(saturated, out->tries, max);
		cold_record(c, &b, &out->rep);
		memcpy(out->counted, b.counted, sizeof(out->counted));
	}
	teardown(c);
	cold_free(&b);
	return err;
}

const char *tb_engine_run(struct tb_case *c, size_t n,
			  struct tb_repetition *out)
{
	int cyc = tb_meter_cycles_event(meter);
	unsigned int max = tb_contention_max_tries(saturated);
	struct tb_batches r;
	const char *err;

	memset(out, 0, sizeof(*out));
	out->cold = c->cold.one;
	if (out->cold)
		err = run_cold_rep(c, n, cyc, out);
	else if (tb_batches_alloc(&r, n, meter->nevents))
		return "out of memory for the batches";
	else if (setup(c)) {
		/* Each repetition: others may have run between, interleaved. */
		tb_batches_free(&r);
		return "set-up failed: see stderr";
	} else {
		do {
			out->load = !tb_cpu_load_read("", sched_getcpu(),
						      &out->l0);
			err = run_batches(c, &r, n, cyc, &out->redone);
			out->load = out->load &&
				    !tb_cpu_load_read("", sched_getcpu(),
						      &out->l1);
			if (!err)
				tb_batches_reduce(&r, cyc, meter->nevents,
						  (double)tb_timer_freq(),
						  &out->rep);
		} while (!err && contended(out->rep.probe) &&
			 ++out->tries < max);
		if (!err) {
			saturated = tb_contention_next(saturated, out->tries,
						       max);
			out->saturated = saturated == TB_CONTENTION_SATURATED;
		}
		teardown(c);
		for (int i = 0; i < meter->nevents; i++)
			out->counted[i] = (double)r.counted[i];
		tb_batches_free(&r);
	}
	if (!err)
		out->contention_pct = 100 * (out->rep.probe / probe_best - 1);
	return err;
}
