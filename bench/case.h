/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A benchmark case: one loop pair measured through Google Benchmark, with
 * every counter reported per call.  Scenarios (one file each in bench/)
 * build cases; the body that measures them is shared (bench/case.c).
 */
#ifndef TB_CASE_H
#define TB_CASE_H

#include <stdint.h>

#include "arch.h"
#include "meter.h"

struct tb_case {
	char name[128];
	struct tb_loop_pair loops;
	/* What one call should execute; zero when not known. */
	struct tb_call_cost expect;
	/*
	 * Optional: a loop pair measured beside this one, whose cycles are
	 * subtracted and the difference multiplied by baseline_scale, into
	 * the counter baseline_counter (e.g. the mispredict penalty: a
	 * random branch minus a taken one, over the mispredict rate).
	 */
	struct tb_loop_pair baseline;
	double baseline_scale;
	const char *baseline_counter;
	uint64_t passes; /* sized on the first batch */
};

/* The meter every case uses; set before tb_bench_run(). */
void tb_case_set_meter(struct tb_meter *m);

/* Register c (kept, not copied) with Google Benchmark. */
int tb_case_register(struct tb_case *c, int repetitions, double min_time);

/* Cases whose measured counts disagreed with what the code should run. */
unsigned int tb_case_mismatches(void);

/* Scenarios. */
int tb_calibration_register(int repetitions, double min_time);
int tb_hotloop_register(struct tb_instance *const *insts, unsigned int n,
			int repetitions, double min_time);

#endif
