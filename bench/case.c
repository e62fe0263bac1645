// SPDX-License-Identifier: GPL-2.0
/*
 * The shared benchmark body: a case registered with Google Benchmark,
 * each repetition measured by the engine (bench/engine.c) and reported
 * here as the row's counters and label, per call; and the progress of
 * the run (bench/progress.c) as cases finish.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "engine.h"
#include "gbench.h"
#include "metrics.h"
#include "progress.h"

static struct tb_meter *meter;
static unsigned int mismatches;
static unsigned int invalid; /* rows where cycles or instructions read 0 */

void tb_case_set_meter(struct tb_meter *m)
{
	meter = m;
	tb_engine_set_meter(m);
}

unsigned int tb_case_mismatches(void)
{
	return mismatches;
}

unsigned int tb_case_invalid(void)
{
	return invalid;
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
 * One repetition's row.  The zero-count check reads what each counter
 * counted (r->counted), not the per-call differences, which are 0 by
 * design where two loops cost the same (calibration/empty) and for a
 * cold case's controls.
 */
static void report(struct tb_gb_state *st, struct tb_case *c,
		   const struct tb_repetition *r, int cyc)
{
	const struct tb_rep *rep = &r->rep;
	const double *counted = r->counted;
	const struct tb_cold_est *cold = r->cold ? &r->est : NULL;
	const char *names[TB_MAX_EVENTS];
	enum tb_role roles[TB_MAX_EVENTS];
	char label[256];
	struct tb_cost_model model = cost_model(c);
	bool bad;
	int n;

	/* Google Benchmark's time: per call, as the batches' ticks say. */
	tb_gb_set_iteration_time(st, rep->ticks / (double)tb_timer_freq() *
					     (double)tb_gb_iterations(st));
	tb_gb_set_counter(st, "cycles", rep->cycles, TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "cycles_sd", rep->cycles_sd, TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "core_ghz", rep->ghz, TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "probe_cycles", rep->probe, TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "contention_pct", r->contention_pct,
			  TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "contention_retries", r->tries, TB_COUNTER_TOTAL);
	for (int i = 0; i < meter->nevents; i++) {
		names[i] = meter->events[i].name;
		roles[i] = meter->events[i].role;
		if (i != cyc)
			tb_gb_set_counter(st, names[i], rep->value[i],
					  TB_COUNTER_TOTAL);
	}
	if (c->baseline.one)
		tb_gb_set_counter(st, c->baseline_counter,
				  (rep->cycles - rep->base_cycles) *
					  c->baseline_scale,
				  TB_COUNTER_TOTAL);
	/* what the cost model says, beside what was counted */
	if (model.insns) {
		tb_gb_set_counter(st, "expect_instructions", model.insns,
				  TB_COUNTER_TOTAL);
		tb_gb_set_counter(st, "expect_branches", model.branches,
				  TB_COUNTER_TOTAL);
	}
	if (c->expect_cycles > 0)
		tb_gb_set_counter(st, "expect_cycles", c->expect_cycles,
				  TB_COUNTER_TOTAL);
	if (c->layout.known && c->layout.site_offset >= 0)
		tb_gb_set_counter(st, "site_offset", c->layout.site_offset,
				  TB_COUNTER_TOTAL);
	if (c->layout.known && c->layout.tramp_offset >= 0)
		tb_gb_set_counter(st, "tramp_offset", c->layout.tramp_offset,
				  TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "redone_batches", r->redone, TB_COUNTER_TOTAL);
	if (cold) {
		tb_gb_set_counter(st, "ci_lo", cold->lo, TB_COUNTER_TOTAL);
		tb_gb_set_counter(st, "ci_hi", cold->hi, TB_COUNTER_TOTAL);
		tb_gb_set_counter(st, "median_cycles", cold->median,
				  TB_COUNTER_TOTAL);
		tb_gb_set_counter(st, "samples", (double)cold->n,
				  TB_COUNTER_TOTAL);
		tb_gb_set_counter(st, "control_nops", c->cold_nops,
				  TB_COUNTER_TOTAL);
	}
	if (r->load) {
		double busy, steal;

		tb_cpu_load_delta(&r->l0, &r->l1, &busy, &steal);
		tb_gb_set_counter(st, "others_busy", busy, TB_COUNTER_TOTAL);
		tb_gb_set_counter(st, "steal", steal, TB_COUNTER_TOTAL);
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
			tb_gb_set_counter(st, d[i].name, d[i].value,
					  TB_COUNTER_TOTAL);
		/* whether each counter counts at all (see above) */
		n = tb_zero_counts(names, roles, counted, meter->nevents,
				   label, sizeof(label));
		tb_gb_set_counter(st, "invalid", n > 0, TB_COUNTER_TOTAL);
		invalid += n > 0;
		if (model.insns &&
		    tb_cost_verify(roles, rep->value, meter->nevents, model,
				   &bad, label, sizeof(label))) {
			tb_gb_set_counter(st, "expect_mismatch", bad,
					  TB_COUNTER_TOTAL);
			mismatches += bad;
		}
	}
	tb_gb_set_label(st, label);
}

/* A case that cannot run here: listed, with the reason, not measured. */
static void skip_body(struct tb_gb_state *st, void *arg)
{
	const struct tb_case *c = arg;

	tb_gb_skip(st, c->skip);
	tb_progress_step(c->name);
}

/* A repetition: Google Benchmark counts the batches, the engine runs them. */
static void case_body(struct tb_gb_state *st, void *arg)
{
	struct tb_case *c = arg;
	size_t n = tb_gb_max_iterations(st);
	struct tb_repetition r;
	const char *err;

	while (tb_gb_keep_running(st))
		;
	err = tb_engine_run(c, n, &r);
	if (!err && r.saturated)
		fprintf(stderr,
			"\ntrampbench: warning: contention in %d repetitions in a row, each measured %d times: measuring once each until one passes; see contention_pct\n",
			TB_CONTENTION_SATURATED, TB_CONTENTION_TRIES);
	if (err)
		tb_gb_skip_with_error(st, err);
	else
		report(st, c, &r, tb_meter_cycles_event(meter));
	tb_progress_step(c->name);
}

/*
 * Progress: repetitions done of those the run will do (each case adds its
 * own at registration; tb_case_prepare() leaves out those the filter
 * does not select).
 */
static unsigned long prog_total;
static struct tb_case **registered;
static unsigned int nregistered;

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
	struct tb_gb_opts b = {
		.manual_time = true,
		.repetitions = o->repetitions,
		.iterations = o->batches,
	};
	int err;

	if (c->skip) {
		b.repetitions = 1;
		b.iterations = 1;
		err = tb_gb_register(c->name, skip_body, c, &b);
		return err ? err : count_in(c, 1);
	}
	/* A cold repetition is pairs of samples: nothing to size. */
	if (c->cold.one) {
		/* a walk takes a few hundred microseconds: fewer pairs */
		if (c->cold.evict.walk)
			b.iterations = o->batches / TB_COLD_PAIRS_DIV ?
					       o->batches / TB_COLD_PAIRS_DIV :
					       1;
		err = tb_gb_register(c->name, case_body, c, &b);
		return err ? err : count_in(c, (unsigned int)o->repetitions);
	}
	err = tb_engine_size(c);
	if (err)
		return err;
	err = tb_gb_register(c->name, case_body, c, &b);
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
	if (tb_gb_for_each_selected(count_selected, &sel) >= 0)
		prog_total = sel.total;
	tb_progress_start(prog_total);
	tb_engine_seed_probe();
}
