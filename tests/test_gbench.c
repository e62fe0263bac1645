// SPDX-License-Identifier: GPL-2.0
/*
 * The Google Benchmark shim: a C body timed in batches, its JSON (runs,
 * aggregates, context, per-call counters, a benchmark's parts in its
 * rows), our own flags left alone, the results file published whole
 * and never over another.
 *
 * With TB_GBENCH_JSON_OUT=FILE set, it instead runs the clean benchmarks
 * once and writes their JSON to FILE (for tests/test_compare_py.sh).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "clock.h"
#include "gbench.h"
#include "tb_tmpdir.h"

#define BATCH 64
#define FILTER "--benchmark_filter=^tb_test/(batch|loop)"

static char dir[PATH_MAX - 64];
static char out[PATH_MAX];
static json_object *json;
static int run_ret, init_ret;
static int left_argc;
static char *left_argv[16];

/* The code under test: a call the compiler cannot remove. */
static __attribute__((noinline)) void nop(void)
{
	asm volatile("" ::: "memory");
}

static void (*volatile call)(void) = nop;

/* The documented pattern: time a batch, report per-call counters. */
static void bm_batch(struct tb_gb_state *st, void *arg)
{
	uint64_t calls = 0, ticks = 0;

	(void)arg;
	while (tb_gb_keep_running_batch(st, BATCH)) {
		uint64_t t = tb_timer_read();

		for (int i = 0; i < BATCH; i++)
			call();
		t = tb_timer_read() - t;
		tb_gb_set_iteration_time(st, tb_timer_ns(t) / 1e9);
		calls += BATCH;
		ticks += t;
	}
	/* Exactly 1 if the iterations Google Benchmark counts are calls. */
	tb_gb_set_counter(st, "calls", (double)calls, TB_COUNTER_PER_CALL);
	tb_gb_set_counter(st, "ticks", (double)ticks, TB_COUNTER_PER_CALL);
	tb_gb_set_counter(st, "batch", BATCH, TB_COUNTER_TOTAL);
}

/* One call per iteration, Google Benchmark's own clock. */
static void bm_loop(struct tb_gb_state *st, void *arg)
{
	(void)arg;
	while (tb_gb_keep_running(st))
		call();
	tb_gb_set_label(st, "auto-timed");
}

static void bm_error(struct tb_gb_state *st, void *arg)
{
	(void)arg;
	tb_gb_skip_with_error(st, "tb test error");
}

/* Forgets its loop: must become an error, not an abort. */
static void bm_early(struct tb_gb_state *st, void *arg)
{
	(void)st;
	(void)arg;
}

/* tb_test/batch's parts: written into each of its rows. */
static const struct tb_gb_param batch_params[] = { { "n", "64" },
						   { "tput", NULL } };
static const struct tb_gb_id batch_id = {
	.scenario = "tb_scenario",
	.variant = "batch:knob=on",
	.variant_short = "batch",
	.params = batch_params,
	.nparams = 2,
};

/* What tb_gb_for_each_registered() hands over, in order. */
static char registered[256];

static void note_registered(const char *name, const struct tb_gb_id *id,
			    void *arg)
{
	size_t n = strlen(registered);

	(void)arg;
	snprintf(registered + n, sizeof(registered) - n, "%s%s%s ", name,
		 id ? "=" : "", id ? id->scenario : "");
}

/* Outside any test: plain checks, a message and exit status 1. */
static int register_all(void)
{
	int bad = 0;

	bad |= tb_gb_register("tb_test/batch", bm_batch, NULL,
			      &(struct tb_gb_opts){ .manual_time = true });
	bad |= tb_gb_register(
		"tb_test/loop", bm_loop, NULL,
		&(struct tb_gb_opts){ .unit = TB_UNIT_US, .repetitions = 2 });
	bad |= tb_gb_register("tb_test/error", bm_error, NULL, NULL);
	bad |= tb_gb_register("tb_test/early", bm_early, NULL, NULL);
	/* Settings Google Benchmark would abort on are refused. */
	bad |= tb_gb_register("tb_test/bad", bm_loop, NULL,
			      &(struct tb_gb_opts){ .iterations = 10,
						    .min_time = 1 }) != -EINVAL;
	bad |= tb_gb_register("tb_test/bad", bm_loop, NULL,
			      &(struct tb_gb_opts){ .repetitions = -1 }) !=
	       -EINVAL;
	bad |= tb_gb_set_id("tb_test/batch", &batch_id);
	/* only a registered benchmark has parts */
	bad |= tb_gb_set_id("tb_test/nosuch", &batch_id) != -ENOENT;
	if (bad)
		fprintf(stderr, "test_gbench: tb_gb_register failed\n");
	return bad;
}

static void add_context(void)
{
	tb_gb_add_context("tb_test_key", "hello");
	tb_gb_add_context("tb_timer", tb_timer_name());
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* @path parsed as JSON; fails the test if it is not. */
static json_object *parse_file(const char *path)
{
	json_object *j = json_object_from_file(path);

	if (!j)
		fail_msg("%s is not JSON: %s", path, json_util_get_last_err());
	return j;
}

/* Member @k of object @o, or NULL. */
static json_object *get(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

/* String @k of object @o, or NULL if missing or not a string. */
static const char *str(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) : NULL;
}

/* The @nth (from 0) entry of "benchmarks" in @j named @name, or NULL. */
static json_object *bench(json_object *j, const char *name, int nth)
{
	json_object *b = get(j, "benchmarks");

	assert_non_null(b);
	assert_true(json_object_is_type(b, json_type_array));
	for (size_t i = 0; i < json_object_array_length(b); i++) {
		json_object *row = json_object_array_get_idx(b, i);
		const char *n = str(row, "name");

		if (n && !strcmp(n, name) && nth-- == 0)
			return row;
	}
	return NULL;
}

/* Number @k of object @o: it must be there, and a number. */
static double num(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		fail_msg("\"%s\" is missing or not a number", k);
	return json_object_get_double(v);
}

static void assert_str(json_object *o, const char *k, const char *want)
{
	const char *v = str(o, k);

	if (!v || strcmp(v, want))
		fail_msg("\"%s\" is %s%s%s, not \"%s\"", k, v ? "\"" : "",
			 v ? v : "missing or not a string", v ? "\"" : "",
			 want);
}

/* Entries in @d other than . and ..; listed if not @want. */
static int entries(const char *d, int want)
{
	DIR *dp;
	struct dirent *de;
	int n = 0;

	for (int pass = 0; pass < 2; pass++) {
		dp = opendir(d);
		assert_non_null(dp);
		n = 0;
		while ((de = readdir(dp))) {
			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			if (pass)
				print_message("  %s/%s\n", d, de->d_name);
			n++;
		}
		closedir(dp);
		if (n == want)
			break;
	}
	return n;
}

/* One run for all the checks below: 3 repetitions, JSON to @out. */
static int setup(void **state)
{
	char out_arg[PATH_MAX + 32];
	char *argv[] = {
		"test_gbench", "--tb-own=1", out_arg,
		"--benchmark_min_time=0.01", "positional",
		"--benchmark_repetitions=3", FILTER, NULL,
	};
	int argc = 7;

	(void)state;
	if (tb_tmpdir_make(dir, sizeof(dir), "gbench"))
		return -1;
	snprintf(out, sizeof(out), "%s/run.json", dir);
	snprintf(out_arg, sizeof(out_arg), "--benchmark_out=%s", out);

	add_context();
	init_ret = tb_gb_initialize(&argc, argv, NULL, NULL);
	left_argc = argc;
	for (int i = 0; i <= argc && i < 16; i++)
		left_argv[i] = argv[i];
	if (init_ret)
		return 0;
	run_ret = tb_gb_run();
	json = json_object_from_file(out);
	if (!json)
		fprintf(stderr, "test_gbench: %s is not JSON: %s\n", out,
			json_util_get_last_err());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_object_put(json);
	return tb_tmpdir_remove(dir);
}

static void test_own_flags_kept(void **state)
{
	(void)state;
	assert_int_equal(init_ret, 0);
	assert_int_equal(left_argc, 3);
	assert_string_equal(left_argv[0], "test_gbench");
	assert_string_equal(left_argv[1], "--tb-own=1");
	assert_string_equal(left_argv[2], "positional");
	assert_null(left_argv[3]);
	assert_false(tb_gb_report_unrecognized(1, left_argv));
}

static void test_run_published(void **state)
{
	(void)state;
	/* tb_test/batch and tb_test/loop; no errors. */
	assert_int_equal(run_ret, 2);
	assert_non_null(json);
	assert_string_equal(tb_gb_out_path(), out);
	/* run.json only: the temporary file is gone. */
	assert_int_equal(entries(dir, 1), 1);
}

static void test_json_runs(void **state)
{
	double hz = (double)tb_timer_freq();
	json_object *o;

	(void)state;
	assert_non_null(json);
	for (int r = 0; r < 3; r++) {
		double ticks, ns;

		o = bench(json, "tb_test/batch/manual_time", r);
		assert_non_null(o);
		assert_str(o, "run_type", "iteration");
		assert_str(o, "time_unit", "ns");
		assert_int_equal(num(o, "repetition_index"), r);
		assert_true(num(o, "iterations") >= BATCH);
		/* Counters: per call, and as set. */
		assert_true(num(o, "calls") == 1.0);
		assert_true(num(o, "batch") == BATCH);
		/* The time per iteration is the batches' time per call. */
		ticks = num(o, "ticks");
		ns = num(o, "real_time");
		assert_true(ticks > 0 && ns > 0);
		assert_true(fabs(ns / (ticks * 1e9 / hz) - 1) < 1e-6);
	}
	assert_null(bench(json, "tb_test/batch/manual_time", 3));
}

static void test_json_aggregates(void **state)
{
	static const char *const aggr[] = { "mean", "median", "stddev", "cv" };
	char name[128];
	json_object *o;

	(void)state;
	assert_non_null(json);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "tb_test/batch/manual_time_%s",
			 aggr[i]);
		o = bench(json, name, 0);
		assert_non_null(o);
		assert_str(o, "run_type", "aggregate");
		assert_str(o, "aggregate_name", aggr[i]);
		assert_int_equal(num(o, "repetitions"), 3);
		/* Aggregates of the per-call values. */
		if (i < 2)
			assert_true(num(o, "calls") == 1.0);
		else
			assert_true(num(o, "calls") == 0.0);
	}
	o = bench(json, "tb_test/batch/manual_time_cv", 0);
	assert_str(o, "aggregate_unit", "percentage");
}

static void test_json_context(void **state)
{
	json_object *ctx;

	(void)state;
	assert_non_null(json);
	/* whatever else the host puts there (a "caches" list of objects) */
	ctx = get(json, "context");
	assert_true(json_object_is_type(ctx, json_type_object));
	assert_str(ctx, "tb_test_key", "hello");
	assert_str(ctx, "tb_timer", tb_timer_name());
}

static void test_json_options(void **state)
{
	json_object *o;

	(void)state;
	assert_non_null(json);
	/* .repetitions = 2 beats --benchmark_repetitions=3. */
	for (int r = 0; r < 2; r++) {
		o = bench(json, "tb_test/loop/repeats:2", r);
		assert_non_null(o);
		assert_str(o, "time_unit", "us");
		assert_str(o, "label", "auto-timed");
	}
	assert_null(bench(json, "tb_test/loop/repeats:2", 2));
	assert_non_null(bench(json, "tb_test/loop/repeats:2_mean", 0));
	/* Not selected by the filter. */
	assert_null(bench(json, "tb_test/error", 0));
}

/*
 * Every row of tb_test/batch, repetitions and aggregates, carries its
 * parts as fields beside Google Benchmark's; tb_test/loop, which has
 * none, carries none.
 */
static void test_json_ids(void **state)
{
	static const char *const rows[] = {
		"tb_test/batch/manual_time", "tb_test/batch/manual_time_mean",
		"tb_test/batch/manual_time_cv",
	};
	json_object *o, *p;

	(void)state;
	assert_non_null(json);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		o = bench(json, rows[i], 0);
		assert_non_null(o);
		assert_str(o, "scenario", "tb_scenario");
		assert_str(o, "variant", "batch:knob=on");
		assert_str(o, "variant_short", "batch");
		p = get(o, "params");
		assert_true(json_object_is_type(p, json_type_object));
		assert_int_equal(json_object_object_length(p), 2);
		assert_str(p, "n", "64");
		assert_true(json_object_is_type(get(p, "tput"),
						json_type_boolean));
		/* Google Benchmark's own fields as they were */
		assert_str(o, "run_name", "tb_test/batch/manual_time");
		assert_str(o, "time_unit", "ns");
	}
	o = bench(json, "tb_test/loop/repeats:2", 0);
	assert_non_null(o);
	assert_null(get(o, "scenario"));
	assert_null(get(o, "params"));
	/* in the order of registration, each with its parts or none */
	assert_string_equal(registered,
			    "tb_test/batch=tb_scenario tb_test/loop "
			    "tb_test/error tb_test/early ");
}

static void test_errors(void **state)
{
	char p[PATH_MAX], arg[PATH_MAX + 32];
	char *argv[] = { "test_gbench", arg,
			 "--benchmark_filter=^tb_test/(error|early)$",
			 "--benchmark_repetitions=1", NULL };
	int argc = 4;
	json_object *o, *e;
	json_object *j;

	(void)state;
	snprintf(p, sizeof(p), "%s/err.json", dir);
	snprintf(arg, sizeof(arg), "--benchmark_out=%s", p);
	assert_int_equal(tb_gb_initialize(&argc, argv, NULL, NULL), 0);
	assert_int_equal(argc, 1);
	assert_int_equal(tb_gb_run(), -1);
	j = parse_file(p);
	o = bench(j, "tb_test/error", 0);
	assert_non_null(o);
	e = get(o, "error_occurred");
	assert_true(json_object_is_type(e, json_type_boolean) &&
		    json_object_get_boolean(e));
	assert_str(o, "error_message", "tb test error");
	o = bench(j, "tb_test/early", 0);
	assert_non_null(o);
	assert_str(o, "error_message",
		   "body returned before tb_gb_keep_running() returned false");
	json_object_put(j);
	assert_int_equal(unlink(p), 0);
}

static void test_existing_out_refused(void **state)
{
	char arg[PATH_MAX + 32];
	char *argv[] = { "test_gbench", arg, NULL };
	int argc = 2;
	char *before = slurp(out), *after;

	(void)state;
	assert_non_null(before);
	snprintf(arg, sizeof(arg), "--benchmark_out=%s", out);
	assert_int_equal(tb_gb_initialize(&argc, argv, NULL, NULL), -EEXIST);
	after = slurp(out);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(entries(dir, 1), 1);
}

/* Listing the benchmarks writes no results file, and leaves nothing. */
static void test_list_writes_nothing(void **state)
{
	char p[PATH_MAX];
	char *argv[] = { "test_gbench", "--benchmark_list_tests=true", FILTER,
			 NULL };
	int argc = 3;

	(void)state;
	snprintf(p, sizeof(p), "%s/list.json", dir);
	/* The default results file, as the trampbench program passes it. */
	assert_int_equal(tb_gb_initialize(&argc, argv, p, NULL), 0);
	assert_string_equal(tb_gb_out_path(), p);
	assert_int_equal(tb_gb_run(), 2);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(entries(dir, 1), 1);
	/* and names none */
	assert_null(tb_gb_out_path());
}

/* For test_compare_py.sh: the clean benchmarks' JSON into @path. */
static int emit_json(const char *path)
{
	char *argv[] = { "test_gbench", "--benchmark_min_time=0.01",
			 "--benchmark_repetitions=5", FILTER, NULL };
	int argc = 4;

	add_context();
	if (tb_gb_initialize(&argc, argv, path, NULL))
		return 1;
	return tb_gb_run() == 2 ? 0 : 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_flags_kept),
		cmocka_unit_test(test_run_published),
		cmocka_unit_test(test_json_runs),
		cmocka_unit_test(test_json_aggregates),
		cmocka_unit_test(test_json_context),
		cmocka_unit_test(test_json_options),
		cmocka_unit_test(test_json_ids),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_existing_out_refused),
		cmocka_unit_test(test_list_writes_nothing),
	};
	const char *emit = getenv("TB_GBENCH_JSON_OUT");

	if (register_all())
		return 1;
	tb_gb_for_each_registered(note_registered, NULL);
	if (emit)
		return emit_json(emit);
	return cmocka_run_group_tests(tests, setup, teardown);
}
