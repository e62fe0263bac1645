/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A C shim over Google Benchmark 1.7.1, which chooses iteration counts,
 * repeats runs, computes the aggregates (mean, median, stddev, cv),
 * filters (--benchmark_filter) and writes JSON/CSV (--benchmark_out,
 * --benchmark_out_format).  The benchmark bodies stay C.
 *
 * One Google Benchmark iteration is one call of the code under test.  A
 * body times a batch of calls itself, with the timer or the PMU, and
 * hands Google Benchmark the batch's time; per-call figures follow:
 *
 *	static void bm(struct tb_gb_state *st, void *arg)
 *	{
 *		uint64_t ticks = 0;
 *
 *		while (tb_gb_keep_running_batch(st, BATCH)) {
 *			uint64_t t0 = tb_timer_read();
 *
 *			for (int i = 0; i < BATCH; i++)
 *				call_under_test(arg);
 *			t0 = tb_timer_read() - t0;
 *			tb_gb_set_iteration_time(st, tb_timer_ns(t0) / 1e9);
 *			ticks += t0;
 *		}
 *		tb_gb_set_counter(st, "cycles",
 *				     ticks * core.cycles_per_tick,
 *				     TB_COUNTER_PER_CALL);
 *	}
 *	...
 *	tb_gb_register("bm", bm, NULL,
 *			  &(struct tb_gb_opts){ .manual_time = true });
 *
 * With .manual_time, the reported time per iteration ("real_time") is the
 * sum of the batch times divided by the iterations run, i.e. the time per
 * call.  The loop bookkeeping stays outside it; one timer read per batch
 * (tens of cycles with its fences) is inside, so make batches long enough
 * for it not to matter, or subtract an empty batch's time.  Its
 * "cpu_time" is Google Benchmark's thread CPU clock over the whole loop,
 * bookkeeping included: an upper bound, not a per-call figure.  Counters
 * are set once, after the loop, as totals with TB_COUNTER_PER_CALL:
 * Google Benchmark divides them by the iterations actually run (a last
 * batch may overshoot the count it asked for), and the aggregates over
 * repetitions are computed from those per-call values.
 *
 * The JSON that --benchmark_out writes is Google Benchmark's own, so
 * /usr/share/benchmark/compare.py reads it.  The shim makes the file
 * appear atomically and never over an existing one (see
 * tb_gb_initialize() and results.h), and gives the rows of each
 * benchmark with a struct tb_gb_id its parts as fields of their own
 * (tb_gb_set_id(); compare.py ignores fields it does not know).
 */
#ifndef TB_GBENCH_H
#define TB_GBENCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A running benchmark (wraps benchmark::State); valid during the body. */
struct tb_gb_state;

/* A benchmark body: run the loop, report time and counters. */
typedef void (*tb_gb_fn)(struct tb_gb_state *st, void *arg);

/* Unit of the reported times (benchmark::TimeUnit). */
enum tb_time_unit {
	TB_UNIT_NS,		/* default */
	TB_UNIT_US,
	TB_UNIT_MS,
	TB_UNIT_S,
};

/* Per-benchmark settings; zero means "the command line decides". */
struct tb_gb_opts {
	bool manual_time; /* time from tb_gb_set_iteration_time() */
	enum tb_time_unit unit;
	int repetitions;	/* else --benchmark_repetitions */
	double min_time;	/* seconds; else --benchmark_min_time */
	double min_warmup_time;	/* seconds; else --benchmark_min_warmup_time */
	uint64_t iterations;	/* exact count, excludes min_time */
};

/* A parameter of a benchmark: "n" and "512"; @value NULL for a word. */
struct tb_gb_param {
	const char *name;
	const char *value;
};

/*
 * A benchmark's name as its parts, kept apart until printed (as Google
 * Benchmark's BenchmarkName is): what it measures (@scenario, "sites"),
 * on which instance (@variant, the full spec, and @variant_short, the
 * shortest spec naming it), with which parameters, in order.
 */
struct tb_gb_id {
	const char *scenario;
	const char *variant;
	const char *variant_short;
	const struct tb_gb_param *params;
	unsigned int nparams;
};

/*
 * tb_gb_register - add benchmark @name running @fn(st, @arg); @opts may
 * be NULL.  @name is copied.  Returns 0, or -EINVAL for bad settings.
 */
int tb_gb_register(const char *name, tb_gb_fn fn, void *arg,
		   const struct tb_gb_opts *opts);

/*
 * tb_gb_set_id - the parts of benchmark @name, registered before
 * (@id and its strings are copied): handed to the display, and written
 * into each of its rows of the results file (results.h).  Returns 0,
 * -ENOENT if no benchmark is called @name, or -ENOMEM.
 */
int tb_gb_set_id(const char *name, const struct tb_gb_id *id);

/*
 * tb_gb_for_each_registered - call @fn with the name and the parts
 * (NULL if none were set) of every registered benchmark, in the order
 * of registration.
 */
void tb_gb_for_each_registered(void (*fn)(const char *name,
					  const struct tb_gb_id *id, void *arg),
			       void *arg);

/*
 * tb_gb_keep_running_batch - true while the body should run @n more
 * calls (@n > 0); the last batch may run past the iteration count
 * Google Benchmark asked for, and is counted.  The body must loop until
 * it returns false.
 */
bool tb_gb_keep_running_batch(struct tb_gb_state *st, uint64_t n);

/* tb_gb_keep_running - tb_gb_keep_running_batch(st, 1). */
bool tb_gb_keep_running(struct tb_gb_state *st);

/*
 * tb_gb_max_iterations - iterations Google Benchmark asked for in this
 * run (to size a batch); tb_gb_iterations - iterations handed out so
 * far, all of them once the loop has ended.
 */
uint64_t tb_gb_max_iterations(const struct tb_gb_state *st);
uint64_t tb_gb_iterations(const struct tb_gb_state *st);

/*
 * tb_gb_set_iteration_time - with .manual_time: @seconds spent in the
 * batch just run.  Call it once per batch; the values add up.
 */
void tb_gb_set_iteration_time(struct tb_gb_state *st, double seconds);

/* How a counter is reported (benchmark::Counter::Flags). */
enum tb_counter_flags {
	TB_COUNTER_TOTAL = 0,		/* as set */
	TB_COUNTER_PER_CALL = 1 << 0,	/* divided by the iterations run */
};

/*
 * tb_gb_set_counter - report @value under @name (a JSON key next to
 * real_time), with @flags from enum tb_counter_flags.  Set it after the
 * loop; setting a name again replaces the value.
 */
void tb_gb_set_counter(struct tb_gb_state *st, const char *name, double value,
		       unsigned int flags);

/* tb_gb_set_label - a free-text label shown with this result. */
void tb_gb_set_label(struct tb_gb_state *st, const char *label);

/*
 * tb_gb_skip - list this benchmark as not run here, with @why (Google
 * Benchmark's error_message), without failing the run: for a case that
 * cannot run on this machine or configuration, not for one that broke.
 */
void tb_gb_skip(struct tb_gb_state *st, const char *why);

/*
 * tb_gb_skip_with_error - this benchmark failed: @msg goes to the
 * output in place of its numbers.  The body then returns (the next
 * tb_gb_keep_running*() returns false) and tb_gb_run() returns -1.
 */
void tb_gb_skip_with_error(struct tb_gb_state *st, const char *msg);

/*
 * tb_gb_add_context - @key: @value in the JSON "context" object (and
 * the console header).  Before tb_gb_run(); a key is added once.
 */
void tb_gb_add_context(const char *key, const char *value);

/*
 * tb_gb_initialize - parse and remove Google Benchmark's flags from
 * @argc/@argv (--help or -h prints @help's usage if not NULL, then
 * Google Benchmark's flags under a heading, and exits 0), leaving the
 * caller's own flags in order.  The results file is
 * the last --benchmark_out=FILE, else $BENCHMARK_OUT, else @default_out
 * (NULL: none).  It is checked now (must not exist, directory writable:
 * one error line and -EEXIST or another -errno), and Google Benchmark
 * writes to a temporary file next to it, which tb_gb_run() links into
 * place when the run is complete.
 */
int tb_gb_initialize(int *argc, char **argv, const char *default_out,
		     void (*help)(void));

/*
 * tb_gb_report_unrecognized - after the caller has consumed its own
 * flags: print an error for each argument left in @argv[1..] and return
 * true if there was any.
 */
bool tb_gb_report_unrecognized(int argc, char **argv);

/*
 * tb_gb_out_path - the results file being written, or NULL; after a
 * run that wrote none (nothing selected, --benchmark_list_tests), NULL.
 */
const char *tb_gb_out_path(void);

/* tb_gb_filter - --benchmark_filter as Google Benchmark read it. */
const char *tb_gb_filter(void);

/*
 * tb_gb_set_signal_hook - call @fn from the handler that, on SIGINT,
 * SIGTERM, SIGHUP or SIGPIPE, removes the unfinished results file before
 * the process dies of the signal: @fn must be async-signal-safe.
 */
void tb_gb_set_signal_hook(void (*fn)(void));

/* One counter of a result, as Google Benchmark reports it. */
struct tb_gb_counter {
	const char *name;
	double value;
};

/* One row of a finished benchmark: a repetition, or an aggregate. */
struct tb_gb_row {
	const char *aggregate;	/* NULL for a repetition; else "mean",
				 * "median", "stddev", "cv" */
	bool error; /* skipped (tb_gb_skip()) or failed */
	const char *error_message;
	const char *label;	/* "" if none */
	const struct tb_gb_counter *counters;
	unsigned int ncounters;
};

/* A finished benchmark: its repetitions, then its aggregates, if any. */
struct tb_gb_result {
	const char *name;	/* as registered */
	const struct tb_gb_id *id; /* its parts, NULL if none were set */
	const struct tb_gb_row *rows;
	unsigned int nrows;
};

/*
 * A display of the results as they come, in place of Google Benchmark's
 * console (what it shows with --benchmark_format=console).  The
 * pointers passed are valid during the call.
 */
struct tb_gb_display {
	/*
	 * Before the run: each registered benchmark that the filter
	 * (--benchmark_filter) selects, in the order of registration, with
	 * its parts (NULL if none were set).
	 */
	void (*selected)(const char *name, const struct tb_gb_id *id,
			 void *arg);
	/* Each benchmark, once all its repetitions ran. */
	void (*finished)(const struct tb_gb_result *r, void *arg);
	/* After the last one. */
	void (*done)(void *arg);
	void *arg;
};

/*
 * tb_gb_set_display - show the next runs through @d (copied), or
 * through Google Benchmark's own display reporter (@d NULL: the default).
 */
void tb_gb_set_display(const struct tb_gb_display *d);

/*
 * tb_gb_for_each_selected - call @fn (if not NULL) with the name of
 * each registered benchmark that --benchmark_filter selects, in the order
 * of registration.  Returns how many, or -1 if the filter is no regular
 * expression (Google Benchmark says so when it runs).
 */
long tb_gb_for_each_selected(void (*fn)(const char *name, void *arg),
			     void *arg);

/*
 * tb_gb_run - run the benchmarks the filter selects, then give the
 * results file's rows their parts (tb_gb_set_id()) and publish it.
 * Returns how many benchmarks were selected (0: none, and
 * Google Benchmark said why), or -1 if a body called
 * tb_gb_skip_with_error() or the results file could not be completed
 * or published (its data is then kept in the temporary file, named on stderr).
 * It may run again after another tb_gb_initialize(); Google Benchmark is shut
 * down at exit (its 1.7.1 Shutdown() does not survive a later run).
 */
int tb_gb_run(void);

#ifdef __cplusplus
}
#endif

#endif /* TB_GBENCH_H */
