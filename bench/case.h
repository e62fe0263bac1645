/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A benchmark case: one loop pair measured through Google Benchmark, with
 * every counter reported per call.  Scenarios (one file each in bench/)
 * build cases; the engine that measures them (bench/engine.c) and the
 * body that reports them (bench/case.c) are shared.
 *
 * One Google Benchmark iteration is one batch (a run of the N-call loop
 * and of the 2N-call loop); a repetition is `batches` of them, reduced
 * to one per-call value by the estimator (harness/estimator.h).  Times
 * and counters are reported per call.
 */
#ifndef TB_CASE_H
#define TB_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cold.h"
#include "meter.h"
#include "params.h"

/* Where a case's code sits, recorded with its results. */
struct tb_case_layout {
	bool known;
	int site_offset; /* first call site, bytes past a 64-byte line */
	int tramp_offset; /* trampoline entry, the same; -1 if none */
};

struct tb_scenario;
struct tb_instance;
struct tb_static_call;

#define TB_PARAMS_LEN 64

struct tb_case {
	char name[192];
	struct tb_loop_pair loops;
	/* What one call should execute; zero when not known. */
	struct tb_call_cost expect;
	/*
	 * ... and what a pass of a doubled pair (no loop two) adds beyond
	 * its calls, shared by the pass's items: the loop's own branch.
	 */
	struct tb_call_cost expect_pass;
	/* Stated cycles per call (counter expect_cycles); 0 when none. */
	double expect_cycles;
	/*
	 * Optional: a loop pair measured beside this one, whose cycles are
	 * subtracted and the difference multiplied by baseline_scale, into
	 * the counter baseline_counter (e.g. the mispredict penalty: a
	 * random branch minus a taken one, over the mispredict rate).
	 */
	struct tb_loop_pair baseline;
	double baseline_scale;
	const char *baseline_counter;
	struct tb_case_layout layout;
	uint64_t passes; /* per batch, sized at registration */
	unsigned int reps; /* repetitions registered, for the progress */
	/* Set by the scenario table (bench/scenario.h); NULL otherwise. */
	const struct tb_scenario *scn;
	struct tb_instance *inst;
	struct tb_static_call *sc; /* the key the case sets up, if any */
	char params[TB_PARAMS_LEN]; /* param_values, printed */
	struct tb_params param_values; /* as the scenario made them */
	const char *skip; /* why it cannot run here: listed, not measured */
	char skip_buf[160]; /* room for a skip reason made up on the spot */
	const char *label; /* appended to the row's label: what it shows */
	char label_buf[96];
	const void *func; /* what set-up points the key at */
	const void *restore; /* what teardown points it back at */
	unsigned long arg; /* the scenario's own parameter (flip's K...) */
	uint64_t (*aux)(uint64_t passes, uint64_t x); /* a loop it drives */
	/*
	 * A cold case (cold.one set) is measured in pairs of single samples
	 * (harness/cold.h), not in batches of loops: each iteration is one
	 * pair, and the row is the estimate over a repetition's pairs
	 * (harness/cold_est.h) with its confidence interval.  cold_nops:
	 * the instructions the control's site runs instead of the call,
	 * added back to the counted instructions so that they compare with
	 * the call path's cost model.
	 */
	struct tb_cold_spec cold;
	unsigned int cold_nops;
};

/*
 * Pairs in a cold repetition: as many as a batched one has batches, a
 * tenth of that where each sample walks the predictors first (a walk
 * takes about 200 us on the development VM).
 */
#define TB_COLD_PAIRS_DIV 10
/* How every case is run; set before registering. */
struct tb_run_opts {
	int repetitions;
	unsigned int batches; /* per repetition */
};

/* The meter every case uses; set before tb_gb_run(). */
void tb_case_set_meter(struct tb_meter *m);

/*
 * Before the run: measure the contention probe on its own, so that the
 * first cases are judged against the quietest reading too; and start the
 * progress line (bench/progress.h) for the benchmarks the filter
 * selects.
 */
void tb_case_prepare(void);

/* Register c (kept, not copied) with Google Benchmark. */
int tb_case_register(struct tb_case *c, const struct tb_run_opts *o);

/* Cases whose measured counts disagreed with what the code should run. */
unsigned int tb_case_mismatches(void);
/* Rows whose cycles or instructions counted 0 (labelled INVALID). */
unsigned int tb_case_invalid(void);

/* The instrument's own rows (bench/calibration.c). */
int tb_calibration_register(const struct tb_run_opts *o, struct tb_meter *m);

/*
 * Before the run: can the cycles @m measures be a core's?  A quick add
 * chain and call of a ret, against what any core takes (an emulator, or
 * a cycle counter a hypervisor scales, reads what none can).  Returns 0,
 * or 1 with why not in @note ("" otherwise).
 */
int tb_calibration_sanity(struct tb_meter *m, char *note, size_t len);

#endif
