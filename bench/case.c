// SPDX-License-Identifier: GPL-2.0
/*
 * The shared benchmark body.  A repetition: warm-up batches, dropped;
 * then `batches` batches, each of which times the case's loop pair (with
 * the counters, if any), its baseline pair if it has one, the add chain
 * (the clock) and the call probe (contention), every one as N and 2N.
 * The estimator keeps the quickest quarter of the batches by the case's
 * own total time, and every figure (cycles, each counter, the baseline)
 * is the mean over those same batches.
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
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batches.h"
#include "case.h"
#include "cold_est.h"
#include "estimator.h"
#include "cpu_hygiene.h"
#include "gbench.h"
#include "metrics.h"
#include "scenario.h"

static struct tb_meter *meter;
static unsigned int mismatches;
/* Repetitions in a row that ended still contended (TB_CONTENTION_*). */
static unsigned int saturated;
static unsigned int invalid; /* rows where cycles or instructions read 0 */
static double probe_best; /* quietest probe of the run, cycles per call */

void tb_case_set_meter(struct tb_meter *m)
{
	meter = m;
}

unsigned int tb_case_mismatches(void)
{
	return mismatches;
}

unsigned int tb_case_invalid(void)
{
	return invalid;
}

/* Cycles of a sample: the PMU's where counted, else timer ticks. */
static double raw_cycles(const struct tb_sample *s, int cyc)
{
	return cyc >= 0 ? s->value[cyc] : s->ticks;
}

/* One batch of c into slot i: 0, or -1 if disturbed in every try. */
static int run_batch(struct tb_case *c, struct tb_batches *r, size_t i, int cyc,
		     unsigned long *redone)
{
	const struct tb_loop_pair *clock, *probe;
	uint64_t clock_passes, probe_passes;
	struct tb_sample s, b;

	if (c->scn && c->scn->before_batch)
		c->scn->before_batch(c);
	if (tb_meter_measure(meter, &c->loops, c->passes, &s))
		return -1;
	r->total[i] = s.total;
	r->ticks[i] = s.ticks;
	for (int j = 0; j < meter->nevents; j++) {
		r->value[j][i] = s.value[j];
		r->counted[j] += s.counted[j];
	}
	*redone += s.redone;
	if (c->baseline.one) {
		if (tb_meter_measure(meter, &c->baseline, c->passes, &b))
			return -1;
		r->total[i] += b.total;
		r->base[i] = raw_cycles(&b, cyc);
	}
	clock = tb_meter_clock(&clock_passes);
	if (tb_meter_time(meter, clock, clock_passes, &b))
		return -1;
	r->clock_total[i] = b.total;
	r->clock[i] = b.ticks;
	probe = tb_meter_probe(&probe_passes);
	if (tb_meter_time(meter, probe, probe_passes, &b))
		return -1;
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

/* What one call of @c executes, by the cost models. */
static struct tb_cost_model cost_model(const struct tb_case *c)
{
	double items = c->loops.items ? c->loops.items : 1;

	return (struct tb_cost_model){
		c->expect.insns + c->expect_pass.insns / items,
		c->expect.branches + c->expect_pass.branches / items,
	};
}

/*
 * One repetition's row.  @counted: what each counter counted, the total
 * of the loops (0 only if it never counted), or per sample of a cold
 * case's controls: the zero-count check reads it, not the per-call
 * differences, which are 0 by design where two loops cost the same
 * (calibration/empty) and for a cold case's controls.
 */
static void report(struct tb_bench_state *st, struct tb_case *c,
		   const struct tb_rep *rep, const double *counted, int cyc,
		   unsigned long redone, unsigned int tries,
		   const struct tb_cpu_load *l0, const struct tb_cpu_load *l1,
		   const struct tb_cold_est *cold)
{
	const char *names[TB_MAX_EVENTS];
	enum tb_role roles[TB_MAX_EVENTS];
	char label[256];
	struct tb_cost_model model = cost_model(c);
	bool bad;
	int n;

	/* Google Benchmark's time: per call, as the batches' ticks say. */
	tb_bench_set_iteration_time(st,
				    rep->ticks / (double)tb_timer_freq() *
					    (double)tb_bench_iterations(st));
	tb_bench_set_counter(st, "cycles", rep->cycles, TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "cycles_sd", rep->cycles_sd, TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "core_ghz", rep->ghz, TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "probe_cycles", rep->probe, TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "contention_pct",
			     100 * (rep->probe / probe_best - 1),
			     TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "contention_retries", tries, TB_COUNTER_TOTAL);
	for (int i = 0; i < meter->nevents; i++) {
		names[i] = meter->events[i].name;
		roles[i] = meter->events[i].role;
		if (i != cyc)
			tb_bench_set_counter(st, names[i], rep->value[i],
					     TB_COUNTER_TOTAL);
	}
	if (c->baseline.one)
		tb_bench_set_counter(st, c->baseline_counter,
				     (rep->cycles - rep->base_cycles) *
					     c->baseline_scale,
				     TB_COUNTER_TOTAL);
	/* what the cost model says, beside what was counted */
	if (model.insns) {
		tb_bench_set_counter(st, "expect_instructions", model.insns,
				     TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "expect_branches", model.branches,
				     TB_COUNTER_TOTAL);
	}
	if (c->expect_cycles > 0)
		tb_bench_set_counter(st, "expect_cycles", c->expect_cycles,
				     TB_COUNTER_TOTAL);
	if (c->layout.known && c->layout.site_offset >= 0)
		tb_bench_set_counter(st, "site_offset", c->layout.site_offset,
				     TB_COUNTER_TOTAL);
	if (c->layout.known && c->layout.tramp_offset >= 0)
		tb_bench_set_counter(st, "tramp_offset", c->layout.tramp_offset,
				     TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "redone_batches", redone, TB_COUNTER_TOTAL);
	if (cold) {
		tb_bench_set_counter(st, "ci_lo", cold->lo, TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "ci_hi", cold->hi, TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "median_cycles", cold->median,
				     TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "samples", (double)cold->n,
				     TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "control_nops", c->cold_nops,
				     TB_COUNTER_TOTAL);
	}
	if (l0 && l1) {
		double busy, steal;

		tb_cpu_load_delta(l0, l1, &busy, &steal);
		tb_bench_set_counter(st, "others_busy", busy, TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "steal", steal, TB_COUNTER_TOTAL);
	}
	/*
	 * A cold row without counters cannot show that what it calls cold
	 * missed: the refills and mispredicts are counted in pmu mode only.
	 */
	snprintf(label, sizeof(label), "%s%s%s%s%s%s",
		 tb_counter_mode_name(meter->mode),
		 meter->emu.kind != TB_EMU_NONE &&
				 meter->mode != TB_MODE_EMULATED ?
			 " EMULATED" :
			 "",
		 meter->not_cycles[0] ? " NOT CORE CYCLES" : "",
		 c->label ? "; " : "", c->label ? c->label : "",
		 cold && meter->mode != TB_MODE_PMU ?
			 "; unproven: no counters to show the misses" :
			 "");
	if (meter->counting) {
		struct tb_metric d[TB_MAX_METRICS];

		n = tb_derived_metrics(roles, rep->value, meter->nevents, d);
		for (int i = 0; i < n; i++)
			tb_bench_set_counter(st, d[i].name, d[i].value,
					     TB_COUNTER_TOTAL);
		/* whether each counter counts at all (see above) */
		n = tb_zero_counts(names, roles, counted, meter->nevents,
				   label, sizeof(label));
		tb_bench_set_counter(st, "invalid", n > 0, TB_COUNTER_TOTAL);
		invalid += n > 0;
		if (model.insns &&
		    tb_cost_verify(roles, rep->value, meter->nevents, model,
				   &bad, label, sizeof(label))) {
			tb_bench_set_counter(st, "expect_mismatch", bad,
					     TB_COUNTER_TOTAL);
			mismatches += bad;
		}
	}
	tb_bench_set_label(st, label);
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

/*
 * Progress: repetitions done of those the run will do (each case adds its
 * own at registration; tb_case_prepare() leaves out those the filter
 * does not select), and an ETA from the start of the run.
 */
static unsigned long prog_total, prog_done;
static struct tb_case **registered;
static unsigned int nregistered;
static struct timespec prog_start;
static int prog_tenth = -1;
/* The in-place line on a terminal, as last drawn ("" when none is). */
static char prog_line[128];

void tb_case_progress_hide(void)
{
	if (prog_line[0])
		fputs("\r\033[K", stderr);
}

void tb_case_progress_show(void)
{
	if (prog_line[0])
		fputs(prog_line, stderr);
}

static void progress(const struct tb_case *c)
{
	static int tty = -1;
	struct timespec now;
	double spent, eta;
	int tenth;

	if (!prog_total)
		return;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	prog_done++;
	clock_gettime(CLOCK_MONOTONIC, &now);
	spent = (double)(now.tv_sec - prog_start.tv_sec) +
		(double)(now.tv_nsec - prog_start.tv_nsec) / 1e9;
	eta = spent / (double)prog_done * (double)(prog_total - prog_done);
	if (tty) {
		snprintf(prog_line, sizeof(prog_line),
			 "\r\033[K[%3lu%%] %lu/%lu, ETA %um%02us: %.50s",
			 prog_done * 100 / prog_total, prog_done, prog_total,
			 (unsigned int)eta / 60, (unsigned int)eta % 60,
			 c->name);
		fputs(prog_line, stderr);
		if (prog_done == prog_total) {
			fputc('\n', stderr);
			prog_line[0] = '\0';
		}
		return;
	}
	tenth = (int)(prog_done * 10 / prog_total);
	if (tenth != prog_tenth) {
		prog_tenth = tenth;
		fprintf(stderr,
			"trampbench: %3lu%% of %lu repetitions, ETA %um%02us\n",
			prog_done * 100 / prog_total, prog_total,
			(unsigned int)eta / 60, (unsigned int)eta % 60);
	}
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

/* A case that cannot run here: listed, with the reason, not measured. */
static void skip_body(struct tb_bench_state *st, void *arg)
{
	const struct tb_case *c = arg;

	tb_bench_skip(st, c->skip);
	progress(c);
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
	if (tb_cold_measure(meter, &c->cold, &b->rec, 0,
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
		if (tb_cold_measure(meter, &c->cold, &b->rec, i, to, redone) ||
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

/* case_body() for a cold case: repetitions of pairs, not batches. */
static void cold_body(struct tb_bench_state *st, struct tb_case *c)
{
	int cyc = tb_meter_cycles_event(meter);
	size_t n = tb_bench_max_iterations(st);
	unsigned int max = tb_contention_max_tries(saturated), tries = 0;
	unsigned long redone = 0;
	struct tb_cpu_load l0, l1;
	struct tb_cold_est est;
	struct cold_buf b;
	struct tb_rep rep;
	const char *err;
	bool load;

	if (cold_alloc(&b, n, meter->nevents)) {
		tb_bench_skip_with_error(st, "out of memory for the pairs");
		return;
	}
	while (tb_bench_keep_running(st))
		;
	if (setup(c)) {
		tb_bench_skip_with_error(st, "set-up failed: see stderr");
		cold_free(&b);
		progress(c);
		return;
	}
	do {
		load = !tb_cpu_load_read("", sched_getcpu(), &l0);
		err = run_cold(c, &b, n, &redone);
		load = load && !tb_cpu_load_read("", sched_getcpu(), &l1);
		if (!err && !reduce_cold(c, &b, cyc, &rep, &est))
			err = "the add chain measured no time: is the timer running?";
	} while (!err && contended(rep.probe) && ++tries < max);
	if (!err) {
		saturated = tb_contention_next(saturated, tries, max);
		cold_record(c, &b, &rep);
	}
	teardown(c);
	if (err)
		tb_bench_skip_with_error(st, err);
	else
		report(st, c, &rep, b.counted, cyc, redone, tries,
		       load ? &l0 : NULL, load ? &l1 : NULL, &est);
	cold_free(&b);
	progress(c);
}

static void case_body(struct tb_bench_state *st, void *arg)
{
	struct tb_case *c = arg;
	int cyc = tb_meter_cycles_event(meter);
	size_t n = tb_bench_max_iterations(st);
	unsigned long redone = 0;
	unsigned int tries = 0;
	struct tb_batches r;
	struct tb_rep rep;
	struct tb_cpu_load l0, l1;
	double total[TB_MAX_EVENTS];
	const char *err;
	unsigned int max = tb_contention_max_tries(saturated);
	bool load;

	if (c->cold.one) {
		cold_body(st, c);
		return;
	}
	if (tb_batches_alloc(&r, n, meter->nevents)) {
		tb_bench_skip_with_error(st, "out of memory for the batches");
		return;
	}
	/* Google Benchmark counts the batches; they run below. */
	while (tb_bench_keep_running(st))
		;
	/* Each repetition: others may have run between, interleaved. */
	if (setup(c)) {
		tb_bench_skip_with_error(st, "set-up failed: see stderr");
		tb_batches_free(&r);
		progress(c);
		return;
	}
	do {
		load = !tb_cpu_load_read("", sched_getcpu(), &l0);
		err = run_batches(c, &r, n, cyc, &redone);
		load = load && !tb_cpu_load_read("", sched_getcpu(), &l1);
		if (!err)
			tb_batches_reduce(&r, cyc, meter->nevents,
					  (double)tb_timer_freq(), &rep);
	} while (!err && contended(rep.probe) && ++tries < max);
	if (!err) {
		saturated = tb_contention_next(saturated, tries, max);
		if (saturated == TB_CONTENTION_SATURATED)
			fprintf(stderr,
				"\ntrampbench: warning: contention in %d repetitions in a row, each measured %d times: measuring once each until one passes; see contention_pct\n",
				TB_CONTENTION_SATURATED, TB_CONTENTION_TRIES);
	}
	teardown(c);
	for (int i = 0; i < meter->nevents; i++)
		total[i] = (double)r.counted[i];
	if (err)
		tb_bench_skip_with_error(st, err);
	else
		report(st, c, &rep, total, cyc, redone, tries,
		       load ? &l0 : NULL, load ? &l1 : NULL, NULL);
	tb_batches_free(&r);
	progress(c);
}

/*
 * The quietest probe reading before any case runs, so the first cases are
 * judged against a good reference too: a few short repetitions of it.
 */
static void seed_probe(void)
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

/* Remember @c and its repetitions for the progress total. */
static int count_in(struct tb_case *c, unsigned int reps)
{
	struct tb_case **r;

	r = realloc(registered, (nregistered + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	registered = r;
	registered[nregistered++] = c;
	c->reps = reps;
	prog_total += reps;
	return 0;
}

int tb_case_register(struct tb_case *c, const struct tb_run_opts *o)
{
	struct tb_bench_opts b = {
		.manual_time = true,
		.repetitions = o->repetitions,
		.iterations = o->batches,
	};
	int err;

	if (c->skip) {
		b.repetitions = 1;
		b.iterations = 1;
		err = tb_bench_register(c->name, skip_body, c, &b);
		return err ? err : count_in(c, 1);
	}
	/* A cold repetition is pairs of samples: nothing to size. */
	if (c->cold.one) {
		/* a walk takes a few hundred microseconds: fewer pairs */
		if (c->cold.evict.walk)
			b.iterations = o->batches / TB_COLD_PAIRS_DIV ?
					       o->batches / TB_COLD_PAIRS_DIV :
					       1;
		err = tb_bench_register(c->name, case_body, c, &b);
		return err ? err : count_in(c, (unsigned int)o->repetitions);
	}
	/* Sized in the case's state: a NULL call is quicker than a call. */
	err = setup(c);
	if (err)
		return err;
	c->passes = tb_meter_passes(&c->loops);
	teardown(c);
	err = tb_bench_register(c->name, case_body, c, &b);
	return err ? err : count_in(c, (unsigned int)o->repetitions);
}

/*
 * A benchmark the filter selects: add its case's repetitions.  Both come
 * in the order of registration, so the search goes on from the last
 * case found; a name of no case (the clock drift row) finds none.
 */
struct selection {
	unsigned long total;
	unsigned int from;
};

static void count_selected(const char *name, void *arg)
{
	struct selection *sel = arg;

	for (unsigned int i = sel->from; i < nregistered; i++)
		if (!strcmp(registered[i]->name, name)) {
			sel->total += registered[i]->reps;
			sel->from = i + 1;
			return;
		}
}

void tb_case_prepare(void)
{
	struct selection sel = { 0, 0 };

	/* --benchmark_filter: count only what will run */
	if (tb_bench_for_each_selected(count_selected, &sel) >= 0)
		prog_total = sel.total;
	clock_gettime(CLOCK_MONOTONIC, &prog_start);
	seed_probe();
}
