// SPDX-License-Identifier: GPL-2.0
/*
 * The Google Benchmark shim: a C body timed in batches, its JSON (runs,
 * aggregates, context, per-call counters), our own flags left alone, the
 * results file published whole and never over another.
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

#include "clock.h"
#include "gbench.h"
#include "tb_tmpdir.h"

#define BATCH 64
#define FILTER "--benchmark_filter=^tb_test/(batch|loop)"

static char dir[PATH_MAX - 64];
static char out[PATH_MAX];
static char *json;
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
static void bm_batch(struct tb_bench_state *st, void *arg)
{
	uint64_t calls = 0, ticks = 0;

	(void)arg;
	while (tb_bench_keep_running_batch(st, BATCH)) {
		uint64_t t = tb_timer_read();

		for (int i = 0; i < BATCH; i++)
			call();
		t = tb_timer_read() - t;
		tb_bench_set_iteration_time(st, tb_timer_ns(t) / 1e9);
		calls += BATCH;
		ticks += t;
	}
	/* Exactly 1 if the iterations Google Benchmark counts are calls. */
	tb_bench_set_counter(st, "calls", (double)calls, TB_COUNTER_PER_CALL);
	tb_bench_set_counter(st, "ticks", (double)ticks, TB_COUNTER_PER_CALL);
	tb_bench_set_counter(st, "batch", BATCH, TB_COUNTER_TOTAL);
}

/* One call per iteration, Google Benchmark's own clock. */
static void bm_loop(struct tb_bench_state *st, void *arg)
{
	(void)arg;
	while (tb_bench_keep_running(st))
		call();
	tb_bench_set_label(st, "auto-timed");
}

static void bm_error(struct tb_bench_state *st, void *arg)
{
	(void)arg;
	tb_bench_skip_with_error(st, "tb test error");
}

/* Forgets its loop: must become an error, not an abort. */
static void bm_early(struct tb_bench_state *st, void *arg)
{
	(void)st;
	(void)arg;
}

/* Outside any test: plain checks, a message and exit status 1. */
static int register_all(void)
{
	int bad = 0;

	bad |= tb_bench_register("tb_test/batch", bm_batch, NULL,
		&(struct tb_bench_opts){ .manual_time = true });
	bad |= tb_bench_register("tb_test/loop", bm_loop, NULL,
		&(struct tb_bench_opts){ .unit = TB_UNIT_US,
					 .repetitions = 2 });
	bad |= tb_bench_register("tb_test/error", bm_error, NULL, NULL);
	bad |= tb_bench_register("tb_test/early", bm_early, NULL, NULL);
	/* Settings Google Benchmark would abort on are refused. */
	bad |= tb_bench_register("tb_test/bad", bm_loop, NULL,
		&(struct tb_bench_opts){ .iterations = 10, .min_time = 1 }) !=
	       -EINVAL;
	bad |= tb_bench_register("tb_test/bad", bm_loop, NULL,
		&(struct tb_bench_opts){ .repetitions = -1 }) != -EINVAL;
	if (bad)
		fprintf(stderr, "test_gbench: tb_bench_register failed\n");
	return bad;
}

static void add_context(void)
{
	tb_bench_add_context("tb_test_key", "hello");
	tb_bench_add_context("tb_timer", tb_timer_name());
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

/*
 * The @nth (from 0) JSON object in @j whose "name" is @name; Google
 * Benchmark's run objects are flat, so it ends at the next '}'.
 */
static const char *bench(const char *j, const char *name, int nth,
			 const char **end)
{
	char key[256];
	const char *p = j;

	*end = NULL;
	snprintf(key, sizeof(key), "\"name\": \"%s\",", name);
	while ((p = strstr(p, key))) {
		if (nth-- == 0) {
			*end = strchr(p, '}');
			while (p > j && *p != '{')
				p--;
			return *end ? p : NULL;
		}
		p++;
	}
	return NULL;
}

static const char *field(const char *obj, const char *end, const char *k)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "\"%s\": ", k);
	p = strstr(obj, key);
	return p && p < end ? p + strlen(key) : NULL;
}

static double num(const char *obj, const char *end, const char *k)
{
	const char *p = field(obj, end, k);

	if (!p)
		fail_msg("no \"%s\" in %.*s", k, (int)(end - obj), obj);
	return strtod(p, NULL);
}

static void assert_str(const char *obj, const char *end, const char *k,
		       const char *want)
{
	const char *p = field(obj, end, k);
	size_t n = strlen(want);

	if (!p || *p != '"' || strncmp(p + 1, want, n) || p[n + 1] != '"')
		fail_msg("\"%s\" is not \"%s\" in %.*s", k, want,
			 (int)(end - obj), obj);
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
	init_ret = tb_bench_initialize(&argc, argv, NULL, NULL);
	left_argc = argc;
	for (int i = 0; i <= argc && i < 16; i++)
		left_argv[i] = argv[i];
	if (init_ret)
		return 0;
	run_ret = tb_bench_run();
	json = slurp(out);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(json);
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
	assert_false(tb_bench_report_unrecognized(1, left_argv));
}

static void test_run_published(void **state)
{
	(void)state;
	/* tb_test/batch and tb_test/loop; no errors. */
	assert_int_equal(run_ret, 2);
	assert_non_null(json);
	assert_string_equal(tb_bench_out_path(), out);
	/* run.json only: the temporary file is gone. */
	assert_int_equal(entries(dir, 1), 1);
}

static void test_json_runs(void **state)
{
	double hz = (double)tb_timer_freq();
	const char *o, *e;

	(void)state;
	assert_non_null(json);
	for (int r = 0; r < 3; r++) {
		double ticks, ns;

		o = bench(json, "tb_test/batch/manual_time", r, &e);
		assert_non_null(o);
		assert_str(o, e, "run_type", "iteration");
		assert_str(o, e, "time_unit", "ns");
		assert_int_equal(num(o, e, "repetition_index"), r);
		assert_true(num(o, e, "iterations") >= BATCH);
		/* Counters: per call, and as set. */
		assert_true(num(o, e, "calls") == 1.0);
		assert_true(num(o, e, "batch") == BATCH);
		/* The time per iteration is the batches' time per call. */
		ticks = num(o, e, "ticks");
		ns = num(o, e, "real_time");
		assert_true(ticks > 0 && ns > 0);
		assert_true(fabs(ns / (ticks * 1e9 / hz) - 1) < 1e-6);
	}
	assert_null(bench(json, "tb_test/batch/manual_time", 3, &e));
}

static void test_json_aggregates(void **state)
{
	static const char *const aggr[] = { "mean", "median", "stddev", "cv" };
	char name[128];
	const char *o, *e;

	(void)state;
	assert_non_null(json);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "tb_test/batch/manual_time_%s",
			 aggr[i]);
		o = bench(json, name, 0, &e);
		assert_non_null(o);
		assert_str(o, e, "run_type", "aggregate");
		assert_str(o, e, "aggregate_name", aggr[i]);
		assert_int_equal(num(o, e, "repetitions"), 3);
		/* Aggregates of the per-call values. */
		if (i < 2)
			assert_true(num(o, e, "calls") == 1.0);
		else
			assert_true(num(o, e, "calls") == 0.0);
	}
	o = bench(json, "tb_test/batch/manual_time_cv", 0, &e);
	assert_str(o, e, "aggregate_unit", "percentage");
}

/*
 * The '}' that closes the object opening at the first '{' from p, past
 * nested objects (the context's "caches" list holds some on hosts whose
 * caches Google Benchmark can read) and strings; NULL if none.
 */
static const char *object_end(const char *p)
{
	int depth = 0;
	bool in_string = false;

	for (p = strchr(p, '{'); p && *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = false;
		} else if (*p == '"') {
			in_string = true;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && !--depth) {
			return p;
		}
	}
	return NULL;
}

static void test_json_context(void **state)
{
	const char *ctx, *end;

	(void)state;
	assert_non_null(json);
	ctx = strstr(json, "\"context\": {");
	assert_non_null(ctx);
	end = object_end(ctx);
	assert_non_null(end);
	/* Nested objects do not end it: on any host. */
	assert_true(object_end("{\"a\": [{\"b\": \"}\"}], \"c\": 1}") != NULL);
	assert_string_equal(
		object_end("{\"a\": [{\"b\": \"}\"}], \"c\": 1} x"), "} x");
	assert_str(ctx, end, "tb_test_key", "hello");
	assert_str(ctx, end, "tb_timer", tb_timer_name());
}

static void test_json_options(void **state)
{
	const char *o, *e;

	(void)state;
	assert_non_null(json);
	/* .repetitions = 2 beats --benchmark_repetitions=3. */
	for (int r = 0; r < 2; r++) {
		o = bench(json, "tb_test/loop/repeats:2", r, &e);
		assert_non_null(o);
		assert_str(o, e, "time_unit", "us");
		assert_str(o, e, "label", "auto-timed");
	}
	assert_null(bench(json, "tb_test/loop/repeats:2", 2, &e));
	assert_non_null(bench(json, "tb_test/loop/repeats:2_mean", 0, &e));
	/* Not selected by the filter. */
	assert_null(strstr(json, "tb_test/error"));
}

static void test_errors(void **state)
{
	char p[PATH_MAX], arg[PATH_MAX + 32];
	char *argv[] = { "test_gbench", arg,
			 "--benchmark_filter=^tb_test/(error|early)$",
			 "--benchmark_repetitions=1", NULL };
	int argc = 4;
	const char *o, *e;
	char *j;

	(void)state;
	snprintf(p, sizeof(p), "%s/err.json", dir);
	snprintf(arg, sizeof(arg), "--benchmark_out=%s", p);
	assert_int_equal(tb_bench_initialize(&argc, argv, NULL, NULL), 0);
	assert_int_equal(argc, 1);
	assert_int_equal(tb_bench_run(), -1);
	j = slurp(p);
	assert_non_null(j);
	o = bench(j, "tb_test/error", 0, &e);
	assert_non_null(o);
	assert_true(strstr(o, "\"error_occurred\": true") < e);
	assert_str(o, e, "error_message", "tb test error");
	o = bench(j, "tb_test/early", 0, &e);
	assert_non_null(o);
	assert_str(o, e, "error_message",
		   "body returned before tb_bench_keep_running() returned false");
	free(j);
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
	assert_int_equal(tb_bench_initialize(&argc, argv, NULL, NULL),
			 -EEXIST);
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
	assert_int_equal(tb_bench_initialize(&argc, argv, p, NULL), 0);
	assert_string_equal(tb_bench_out_path(), p);
	assert_int_equal(tb_bench_run(), 2);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(entries(dir, 1), 1);
}

/* For test_compare_py.sh: the clean benchmarks' JSON into @path. */
static int emit_json(const char *path)
{
	char *argv[] = { "test_gbench", "--benchmark_min_time=0.01",
			 "--benchmark_repetitions=5", FILTER, NULL };
	int argc = 4;

	add_context();
	if (tb_bench_initialize(&argc, argv, path, NULL))
		return 1;
	return tb_bench_run() == 2 ? 0 : 1;
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
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_existing_out_refused),
		cmocka_unit_test(test_list_writes_nothing),
	};
	const char *emit = getenv("TB_GBENCH_JSON_OUT");

	if (register_all())
		return 1;
	if (emit)
		return emit_json(emit);
	return cmocka_run_group_tests(tests, setup, teardown);
}
