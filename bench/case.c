// SPDX-License-Identifier: GPL-2.0
/*
 * The shared benchmark body: measure a case's loop pair in batches, give
 * Google Benchmark each batch's time (manual time, per call), and report
 * every counter per call, with the derived metrics and a check of the
 * measured instruction and branch counts against the expected ones.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "gbench.h"
#include "metrics.h"

/* Aim for batches this long: long against timer resolution, short enough
 * that a disturbed one is cheap to redo. */
#define TB_BATCH_SECONDS 100e-6

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

/* Passes of the pair that take about TB_BATCH_SECONDS. */
static uint64_t size_batch(struct tb_case *c)
{
	double hz = tb_timer_freq();
	uint64_t passes = 16;

	for (int i = 0; i < 20; i++) {
		uint64_t t0 = tb_timer_read();

		c->loops.one(passes);
		c->loops.two(passes);
		if ((tb_timer_read() - t0) / hz >= TB_BATCH_SECONDS)
			break;
		passes *= 2;
	}
	return passes;
}

static void case_body(struct tb_bench_state *st, void *arg)
{
	struct tb_case *c = arg;
	double sum[TB_MAX_EVENTS] = { 0 }, cycles = 0, base = 0, ns_tick;
	unsigned long redone = 0;
	char label[256];
	uint64_t items, calls = 0;
	struct tb_sample s, b;

	if (!c->passes)
		c->passes = size_batch(c);
	items = c->passes * c->loops.items;
	ns_tick = 1e9 / tb_timer_freq();
	while (tb_bench_keep_running_batch(st, items)) {
		if (tb_meter_measure(meter, &c->loops, c->passes, &s) ||
		    (c->baseline.one &&
		     tb_meter_measure(meter, &c->baseline, c->passes, &b))) {
			tb_bench_skip_with_error(st,
				"disturbed (context switches or migrations) in every try; is the CPU isolated?");
			return;
		}
		/* Google Benchmark takes no negative time; counters keep sign. */
		tb_bench_set_iteration_time(st, fmax(s.ticks, 0) * ns_tick *
							items * 1e-9);
		for (int i = 0; i < meter->nevents; i++)
			sum[i] += s.value[i] * items;
		cycles += tb_sample_cycles(meter, &s) * items;
		if (c->baseline.one)
			base += tb_sample_cycles(meter, &b) * items;
		redone += s.redone;
		calls += items;
	}
	tb_bench_set_counter(st, "cycles", cycles, TB_COUNTER_PER_CALL);
	for (int i = 0; i < meter->nevents; i++)
		if (strcmp(meter->events[i].name, "cycles"))
			tb_bench_set_counter(st, meter->events[i].name, sum[i],
					     TB_COUNTER_PER_CALL);
	if (c->baseline.one)
		tb_bench_set_counter(st, c->baseline_counter,
				     (cycles - base) * c->baseline_scale,
				     TB_COUNTER_PER_CALL);
	tb_bench_set_counter(st, "redone_batches", redone, TB_COUNTER_TOTAL);
	snprintf(label, sizeof(label), "%s",
		 tb_counter_mode_name(meter->mode));
	if (meter->counting && calls) {
		const char *names[TB_MAX_EVENTS];
		struct tb_metric d[TB_MAX_METRICS];
		bool bad;
		int n;

		for (int i = 0; i < meter->nevents; i++) {
			names[i] = meter->events[i].name;
			sum[i] /= calls;
		}
		n = tb_derived_metrics(names, sum, meter->nevents, d);
		for (int i = 0; i < n; i++)
			tb_bench_set_counter(st, d[i].name, d[i].value,
					     TB_COUNTER_TOTAL);
		if (tb_check_cost(names, sum, meter->nevents, c->expect, &bad,
				  label, sizeof(label))) {
			tb_bench_set_counter(st, "expect_mismatch", bad,
					     TB_COUNTER_TOTAL);
			mismatches += bad;
		}
	}
	tb_bench_set_label(st, label);
}

int tb_case_register(struct tb_case *c, int repetitions, double min_time)
{
	struct tb_bench_opts o = {
		.manual_time = true,
		.repetitions = repetitions,
		.min_time = min_time,
	};

	return tb_bench_register(c->name, case_body, c, &o);
}
