/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trampbench's command line: one table of options (bench/options.c),
 * parsed once, in one pass over argv.  Each row says its name, its
 * argument, what it sets, whether it measures or only lists (a listing
 * mode writes no results file) and its --help text, from which --help
 * is made.  Google Benchmark's flags (--benchmark_*, --v) pass through
 * to it, but for those trampbench sets itself, which are refused
 * (gb_managed), and the few whose values trampbench must know first:
 * --benchmark_format (where the banner goes), --benchmark_out_format,
 * --benchmark_context (keys of ours, bench/context.h) and
 * --benchmark_enable_random_interleaving.
 */
#ifndef TB_OPTIONS_H
#define TB_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"

#define TB_MAX_VARIANTS 128
#define TB_MAX_SCENARIOS 32
#define TB_MAX_SHIFTS (TB_SITE_SHIFT_MAX / TB_SITE_SHIFT_STEP + 1)

struct tb_options {
	const char *specs[TB_MAX_VARIANTS]; /* --variant, in order */
	unsigned int nspecs;
	/* --scenario, in order; all of tb_scenarios[] when none given */
	const struct tb_scenario *scns[TB_MAX_SCENARIOS];
	unsigned int nscns;
	bool all, list, list_cpus, list_events, self_test, no_out;
	bool quick, full, list_scenarios, check, raw_console, help;
	bool kernel; /* --kernel: measured in the kernel (bench/kernel.c) */
	const char *kmod; /* --kmod FILE: the module (default: the build's) */
	const char *cpu, *events, *perf_control, *root;
	int cpu_num; /* --cpu as a number; -1 if none, or not a number */
	const char *out; /* --out, NULL if not given */
	int repetitions;
	unsigned int batches;
	bool reps_given, batches_given;
	unsigned int shifts[TB_MAX_SHIFTS];
	unsigned int nshifts;

	/* Decided from the command line and the environment: */
	bool quiet; /* a mode that measures nothing: no results file */
	bool interleave; /* random interleaving of repetitions */
	FILE *info; /* the banner and the self-test: stdout or stderr */

	/*
	 * What goes on to Google Benchmark: argv[0], then its own flags
	 * (and what no option of ours is, for it to refuse), in order.
	 */
	char **gb_argv;
	int gb_argc;
};

/*
 * tb_options_parse - fill @o from @argv and the environment (Google
 * Benchmark's BENCHMARK_* variables).  Returns 0, or -1 after one line
 * on stderr saying what is wrong and what to do; --help (or -h) wins
 * over any error (o->help).  @o->gb_argv is allocated; free it with
 * tb_options_free().
 */
int tb_options_parse(int argc, char **argv, struct tb_options *o);
void tb_options_free(struct tb_options *o);

/*
 * tb_options_unknown - after Google Benchmark took its flags: each
 * argument it left in @argv[1..@argc) is an error (one line on stderr
 * for the first); returns true if there was any.
 */
bool tb_options_unknown(int argc, char **argv);

/* tb_options_usage - --help's text, from the table, on stdout. */
void tb_options_usage(void);

#endif /* TB_OPTIONS_H */
