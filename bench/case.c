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

static int event_index(const char *const *names)
{
	return tb_meter_event(meter, names);
}

static double ratio(const double *v, int num, int den, double scale)
{
	return num >= 0 && den >= 0 && v[den] != 0 ? v[num] / v[den] * scale :
						     NAN;
}

/*
 * Derived metrics as Arm defines them (Arm telemetry-solution,
 * data/pmu/cpu/neoverse/), with x86 generic events in their place.
 */
static void set_derived(struct tb_bench_state *st, const double *v)
{
	static const char *const mis[] = { "BR_MIS_PRED_RETIRED",
					   "branch-misses", NULL };
	static const char *const ins[] = { "INST_RETIRED", "instructions",
					   NULL };
	static const char *const br[] = { "BR_RETIRED", "branches",
					  "branch-instructions", NULL };
	static const char *const l1i[] = { "L1I_CACHE_REFILL",
					   "L1-icache-load-misses", NULL };
	static const char *const fe[] = { "STALL_FRONTEND", NULL };
	static const char *const cyc[] = { "CPU_CYCLES", "cycles", NULL };
	const struct {
		const char *name;
		double value;
	} d[] = {
		{ "branch_mpki",
		  ratio(v, event_index(mis), event_index(ins), 1000) },
		{ "mispredict_ratio",
		  ratio(v, event_index(mis), event_index(br), 1) },
		{ "l1i_mpki", ratio(v, event_index(l1i), event_index(ins), 1000) },
		{ "frontend_stalled",
		  ratio(v, event_index(fe), event_index(cyc), 1) },
	};

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!isnan(d[i].value))
			tb_bench_set_counter(st, d[i].name, d[i].value,
					     TB_COUNTER_TOTAL);
}

/* Measured instructions/branches per call against the expected ones. */
static void check_expected(struct tb_bench_state *st, struct tb_case *c,
			   const double *v, char *label, size_t len)
{
	static const char *const ins[] = { "INST_RETIRED", "instructions",
					   NULL };
	static const char *const br[] = { "BR_RETIRED", "branches",
					  "branch-instructions", NULL };
	const struct {
		const char *what;
		int idx;
		unsigned int want;
	} k[] = {
		{ "instructions", event_index(ins), c->expect.insns },
		{ "branches", event_index(br), c->expect.branches },
	};
	bool bad = false, checked = false;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		if (k[i].idx < 0 || !k[i].want)
			continue;
		checked = true;
		/* Counts are exact up to rare interrupts: allow 2%. */
		if (fabs(v[k[i].idx] - k[i].want) > 0.02 * k[i].want + 0.05) {
			snprintf(label + strlen(label), len - strlen(label),
				 " MISMATCH: %.2f %s/call, the code has %u",
				 v[k[i].idx], k[i].what, k[i].want);
			bad = true;
		}
	}
	if (checked)
		tb_bench_set_counter(st, "expect_mismatch", bad,
				     TB_COUNTER_TOTAL);
	if (bad)
		mismatches++;
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
		for (int i = 0; i < meter->nevents; i++)
			sum[i] /= calls;
		set_derived(st, sum);
		check_expected(st, c, sum, label, sizeof(label));
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
