// SPDX-License-Identifier: GPL-2.0
/*
 * The shared benchmark body.  A repetition: in timer mode, the core clock
 * measured first; warm-up batches, dropped; `batches` batches of the
 * case's loop pair, each kept whole (timer total, per-call ticks and
 * counts); the clock measured again.  Then the estimator keeps the
 * quickest quarter of the batches and every figure (cycles, each
 * counter, the baseline) is the mean over those same batches.  Timer
 * ticks become cycles with the clock of this repetition (the mean of its
 * two measurements), not one taken at start-up, so a clock that moves
 * during the run does not move the results.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "cpu_hygiene.h"
#include "estimator.h"
#include "gbench.h"
#include "metrics.h"

static struct tb_meter *meter;
static unsigned int mismatches;

void tb_case_set_meter(struct tb_meter *m)
{
	meter = m;
}

unsigned int tb_case_mismatches(void)
{
	return mismatches;
}

/* What one repetition records, batch by batch. */
struct record {
	size_t n;
	double *total, *ticks, *base;
	double *value[TB_MAX_EVENTS];
	size_t *idx;
};

static void record_free(struct record *r)
{
	free(r->total);
	free(r->ticks);
	free(r->base);
	free(r->idx);
	for (int i = 0; i < TB_MAX_EVENTS; i++)
		free(r->value[i]);
}

static int record_alloc(struct record *r, size_t n, int nevents)
{
	bool ok;

	memset(r, 0, sizeof(*r));
	r->total = calloc(n, sizeof(double));
	r->ticks = calloc(n, sizeof(double));
	r->base = calloc(n, sizeof(double));
	r->idx = calloc(n, sizeof(size_t));
	ok = r->total && r->ticks && r->base && r->idx;
	for (int i = 0; ok && i < nevents; i++)
		ok = (r->value[i] = calloc(n, sizeof(double)));
	if (!ok)
		record_free(r);
	return ok ? 0 : -1;
}

/* Cycles of a sample: the PMU's where counted, else timer ticks. */
static double raw_cycles(const struct tb_sample *s, int cyc)
{
	return cyc >= 0 ? s->value[cyc] : s->ticks;
}

/* One batch of c (and its baseline) into slot i; 0 or -EAGAIN. */
static int run_batch(struct tb_case *c, struct record *r, size_t i, int cyc,
		     unsigned long *redone)
{
	struct tb_sample s, b;

	if (tb_meter_measure(meter, &c->loops, c->passes, &s))
		return -1;
	r->total[i] = s.total;
	r->ticks[i] = s.ticks;
	for (int j = 0; j < meter->nevents; j++)
		r->value[j][i] = s.value[j];
	*redone += s.redone;
	if (!c->baseline.one)
		return 0;
	if (tb_meter_measure(meter, &c->baseline, c->passes, &b))
		return -1;
	r->total[i] += b.total;
	r->base[i] = raw_cycles(&b, cyc);
	return 0;
}

static void report(struct tb_bench_state *st, struct tb_case *c,
		   struct record *r, int cyc, double cpt, unsigned long redone,
		   const struct tb_cpu_load *l0, const struct tb_cpu_load *l1)
{
	size_t k = tb_quiet_batches(r->total, r->n, TB_EST_KEEP, r->idx);
	double per_call[TB_MAX_EVENTS], scale = cyc >= 0 ? 1 : cpt;
	const char *names[TB_MAX_EVENTS];
	struct tb_estimate t, e;
	char label[256];
	bool bad;
	int n;

	tb_estimate_over(r->ticks, r->idx, k, &t);
	/* Google Benchmark's time: per call, as the batches' ticks say. */
	tb_bench_set_iteration_time(st, t.value / (double)tb_timer_freq() *
						(double)r->n);
	if (cyc >= 0)
		tb_estimate_over(r->value[cyc], r->idx, k, &e);
	else
		e = t;
	tb_bench_set_counter(st, "cycles", e.value * scale, TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "cycles_sd", e.sd * scale, TB_COUNTER_TOTAL);
	if (cyc < 0)
		tb_bench_set_counter(st, "core_ghz",
				     cpt * (double)tb_timer_freq() / 1e9,
				     TB_COUNTER_TOTAL);
	for (int i = 0; i < meter->nevents; i++) {
		tb_estimate_over(r->value[i], r->idx, k, &e);
		per_call[i] = e.value;
		names[i] = meter->events[i].name;
		if (i != cyc)
			tb_bench_set_counter(st, names[i], e.value,
					     TB_COUNTER_TOTAL);
	}
	if (c->baseline.one) {
		struct tb_estimate b;
		double cycles = cyc >= 0 ? per_call[cyc] : t.value * cpt;

		tb_estimate_over(r->base, r->idx, k, &b);
		tb_bench_set_counter(st, c->baseline_counter,
				     (cycles - b.value * scale) *
					     c->baseline_scale,
				     TB_COUNTER_TOTAL);
	}
	if (c->layout.known)
		tb_bench_set_counter(st, "site_offset", c->layout.site_offset,
				     TB_COUNTER_TOTAL);
	if (c->layout.known && c->layout.tramp_offset >= 0)
		tb_bench_set_counter(st, "tramp_offset", c->layout.tramp_offset,
				     TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "redone_batches", redone, TB_COUNTER_TOTAL);
	if (l0 && l1) {
		double busy, steal;

		tb_cpu_load_delta(l0, l1, &busy, &steal);
		tb_bench_set_counter(st, "others_busy", busy, TB_COUNTER_TOTAL);
		tb_bench_set_counter(st, "steal", steal, TB_COUNTER_TOTAL);
	}
	snprintf(label, sizeof(label), "%s", tb_counter_mode_name(meter->mode));
	if (meter->counting) {
		struct tb_metric d[TB_MAX_METRICS];

		n = tb_derived_metrics(names, per_call, meter->nevents, d);
		for (int i = 0; i < n; i++)
			tb_bench_set_counter(st, d[i].name, d[i].value,
					     TB_COUNTER_TOTAL);
		if (tb_check_cost(names, per_call, meter->nevents, c->expect,
				  &bad, label, sizeof(label))) {
			tb_bench_set_counter(st, "expect_mismatch", bad,
					     TB_COUNTER_TOTAL);
			mismatches += bad;
		}
	}
	tb_bench_set_label(st, label);
}

static void case_body(struct tb_bench_state *st, void *arg)
{
	struct tb_case *c = arg;
	int cyc = tb_meter_cycles_event(meter);
	unsigned long redone = 0;
	double cpt = 0;
	struct record r;
	struct tb_cpu_load l0, l1;
	bool load;
	const char *err = NULL;

	if (record_alloc(&r, tb_bench_max_iterations(st), meter->nevents)) {
		tb_bench_skip_with_error(st, "out of memory for the batches");
		return;
	}
	load = !tb_cpu_load_read("", sched_getcpu(), &l0);
	if (cyc < 0)
		cpt = tb_meter_cycles_per_tick(meter);
	for (size_t i = 0; i < TB_WARMUP_BATCHES; i++)
		run_batch(c, &r, 0, cyc, &redone);
	redone = 0;
	while (tb_bench_keep_running(st)) {
		if (!err && run_batch(c, &r, r.n++, cyc, &redone))
			err = "disturbed (context switches or migrations) in every try; is the CPU isolated?";
	}
	if (cyc < 0 && !err) {
		double end = tb_meter_cycles_per_tick(meter);

		if (!(cpt > 0 && end > 0))
			err = "the core clock could not be measured";
		cpt = (cpt + end) / 2;
	}
	load = load && !tb_cpu_load_read("", sched_getcpu(), &l1);
	if (err)
		tb_bench_skip_with_error(st, err);
	else
		report(st, c, &r, cyc, cpt, redone, load ? &l0 : NULL,
		       load ? &l1 : NULL);
	record_free(&r);
}

int tb_case_register(struct tb_case *c, const struct tb_run_opts *o)
{
	struct tb_bench_opts b = {
		.manual_time = true,
		.repetitions = o->repetitions,
		.iterations = o->batches,
	};

	c->passes = tb_meter_passes(&c->loops);
	return tb_bench_register(c->name, case_body, c, &b);
}
