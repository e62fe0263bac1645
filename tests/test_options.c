// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench's command line (bench/options.c) and its context keys
 * (bench/context.c), without running the program: one pass over argv,
 * whole names only, values in both spellings, --help over any error,
 * Google Benchmark's flags passed on in order (the interleaving flag
 * first, so that the user's own wins) or refused where trampbench sets
 * them, one line for each error; --help made from the table; the keys
 * --benchmark_context may not name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "options.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A file descriptor's output captured in a temporary file. */
static FILE *cap;
static int saved = -1;

static void capture_start(int fd)
{
	fflush(fd == 1 ? stdout : stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(cap), fd) >= 0);
}

static const char *capture_end(int fd)
{
	static char buf[16384];
	size_t n;

	fflush(fd == 1 ? stdout : stderr);
	dup2(saved, fd);
	close(saved);
	rewind(cap);
	n = fread(buf, 1, sizeof(buf) - 1, cap);
	buf[n] = '\0';
	fclose(cap);
	return buf;
}

static struct tb_options o;
static char err[4096];

/* Parse the NULL-terminated words, stderr into err; returns the result. */
static int parse_v(const char *first, va_list ap)
{
	char *argv[32] = { "trampbench" };
	int argc = 1, ret;

	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
	tb_options_free(&o);
	capture_start(2);
	ret = tb_options_parse(argc, argv, &o);
	snprintf(err, sizeof(err), "%s", capture_end(2));
	return ret;
}

static int parse(const char *first, ...)
{
	va_list ap;
	int ret;

	va_start(ap, first);
	ret = parse_v(first, ap);
	va_end(ap);
	return ret;
}

/* The words must be refused with one line holding @want. */
static void refused(const char *want, const char *first, ...)
{
	va_list ap;
	int ret;

	va_start(ap, first);
	ret = parse_v(first, ap);
	va_end(ap);
	print_message("%s", err);
	if (ret != -1 || strncmp(err, "trampbench: ", 12) ||
	    !strstr(err, want) || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("%s...: %d, '%s', not one line with '%s'", first, ret,
			 err, want);
}

static void test_values(void **state)
{
	(void)state;
	assert_int_equal(parse("--repetitions=5", "--batches", "64",
			       "--variant", "cbz", "--variant=tail", "--cpu",
			       "1", "--site-shift", "0,12", "--scenario", "hot",
			       NULL),
			 0);
	assert_string_equal(err, "");
	assert_int_equal(o.repetitions, 5);
	assert_int_equal(o.batches, 64);
	assert_int_equal(o.nspecs, 2);
	assert_string_equal(o.specs[1], "tail");
	assert_int_equal(o.cpu_num, 1);
	assert_int_equal(o.nshifts, 2);
	assert_int_equal(o.shifts[1], 12);
	assert_int_equal(o.nscns, 1);
	assert_false(o.quiet);
	/* a value is the next word, whatever it looks like */
	assert_int_equal(parse("--cpu", "--list", NULL), 0);
	assert_string_equal(o.cpu, "--list");
	assert_int_equal(o.cpu_num, -1);
	assert_false(o.list);
	/* the defaults, and --quick's */
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(o.repetitions, 10);
	assert_int_equal(o.batches, 1000);
	assert_int_equal(o.nscns, tb_nscenarios);
	assert_int_equal(parse("--quick", "--batches", "32", NULL), 0);
	assert_int_equal(o.repetitions, 3);
	assert_int_equal(o.batches, 32);
}

static void test_refused(void **state)
{
	(void)state;
	refused("not abbreviated: --out?", "--ou", "x.json", NULL);
	refused("not abbreviated: --no-out?", "--no-o", NULL);
	refused("unknown option '--bogus'", "--bogus", NULL);
	refused("unknown option '-x'", "-x", NULL);
	refused("unrecognized argument 'positional'", "positional", NULL);
	refused("unrecognized argument '--list' after --", "--", "--list",
		NULL);
	refused("--list takes no value", "--list=3", NULL);
	refused("--out needs a value (FILE)", "--out", NULL);
	refused("--repetitions takes 1 to 1000, not '0'", "--repetitions", "0",
		NULL);
	refused("--batches takes 16 to 1000000, not '3'", "--batches=3", NULL);
	refused("names 12 twice", "--site-shift", "12,0,12", NULL);
	refused("--scenario null given twice", "--scenario", "null",
		"--scenario", "null", NULL);
	refused("applies to the hot scenario", "--scenario", "null",
		"--site-shift", "4", NULL);
	refused("--out given twice (A.json, B.json)", "--out", "A.json",
		"--out=B.json", NULL);
	refused("--out X.json and --no-out contradict", "--no-out", "--out",
		"X.json", NULL);
	refused("--out needs a file name", "--out=", NULL);
	refused("--quick and --full contradict", "--quick", "--full", NULL);
	refused("--events needs a list", "--events", "", NULL);
	refused("--benchmark_repetitions is trampbench's --repetitions",
		"--benchmark_repetitions=2", NULL);
	refused("--benchmark_out is trampbench's --out", "--out", "A.json",
		"--benchmark_out=B.json", NULL);
	refused("is Google Benchmark JSON", "--benchmark_out_format=csv",
		NULL);
	refused("'counter_mode' is a context key trampbench writes",
		"--benchmark_context=board=rpi,counter_mode=pmu", NULL);
	/* the first error of several, in the order given */
	refused("--repetitions takes", "--repetitions", "0", "--bogus", NULL);
}

/* Google Benchmark's variables, as its flags' defaults, refused too. */
static void test_environment(void **state)
{
	(void)state;
	setenv("BENCHMARK_OUT", "B.json", 1);
	refused("BENCHMARK_OUT is set: --benchmark_out is trampbench's --out; unset it",
		"--out", "A.json", NULL);
	unsetenv("BENCHMARK_OUT");
	setenv("BENCHMARK_CONTEXT", "scenario_about.hot=x", 1);
	refused("BENCHMARK_CONTEXT: 'scenario_about.hot' is a context key",
		"--list", NULL);
	unsetenv("BENCHMARK_CONTEXT");
	setenv("BENCHMARK_FORMAT", "json", 1);
	assert_int_equal(parse("--list", NULL), 0);
	assert_ptr_equal(o.info, stderr);
	/* the flag over the variable */
	assert_int_equal(parse("--benchmark_format=console", NULL), 0);
	assert_ptr_equal(o.info, stdout);
	unsetenv("BENCHMARK_FORMAT");
	setenv("BENCHMARK_ENABLE_RANDOM_INTERLEAVING", "false", 1);
	assert_int_equal(parse(NULL), 0);
	assert_false(o.interleave);
	unsetenv("BENCHMARK_ENABLE_RANDOM_INTERLEAVING");
}

/* --help anywhere: no error, the help (Google Benchmark's shim prints). */
static void test_help_wins(void **state)
{
	static const char *const helps[] = { "--help", "-h", "--help=x" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(helps); i++) {
		assert_int_equal(parse("--repetitions", "0", helps[i], "--bogus",
				       NULL),
				 0);
		assert_string_equal(err, "");
		assert_true(o.help && o.quiet);
		assert_string_equal(o.gb_argv[o.gb_argc - 1], "--help");
	}
}

/* What Google Benchmark gets: its flags in order, ours taken out. */
static void test_gb_argv(void **state)
{
	(void)state;
	/* two variants: interleaved, the flag first, the user's later */
	assert_int_equal(parse("--variant", "cbz", "--benchmark_filter=hot",
			       "--variant", "tail", "--v=1",
			       "--benchmark_enable_random_interleaving=false",
			       NULL),
			 0);
	assert_false(o.interleave);
	assert_int_equal(o.gb_argc, 4);
	assert_string_equal(o.gb_argv[0], "trampbench");
	assert_string_equal(o.gb_argv[1], "--benchmark_filter=hot");
	assert_string_equal(o.gb_argv[2], "--v=1");
	assert_string_equal(o.gb_argv[3],
			    "--benchmark_enable_random_interleaving=false");
	assert_null(o.gb_argv[4]);
	assert_int_equal(parse("--variant", "cbz", "--variant", "tail",
			       "--benchmark_bogus=1", NULL),
			 0);
	assert_true(o.interleave);
	assert_int_equal(o.gb_argc, 3);
	assert_string_equal(o.gb_argv[1],
			    "--benchmark_enable_random_interleaving=true");
	assert_string_equal(o.gb_argv[2], "--benchmark_bogus=1");
	/* one variant: not interleaved */
	assert_int_equal(parse("--variant", "cbz", NULL), 0);
	assert_false(o.interleave);
	assert_int_equal(o.gb_argc, 1);
	/* what Google Benchmark leaves of them is an unknown option */
	capture_start(2);
	assert_true(tb_options_unknown(3, (char *[]){ "trampbench",
						      "--benchmark_bogus=1",
						      "x", NULL }));
	assert_string_equal(capture_end(2),
			    "trampbench: unknown option '--benchmark_bogus'; see --help\n");
	assert_false(tb_options_unknown(1, (char *[]){ "trampbench", NULL }));
}

/* Modes that list or check write no results file; --out then ignored. */
static void test_quiet(void **state)
{
	static const char *const quiet[] = {
		"--list", "--list-scenarios", "--list-cpus", "--list-events",
		"--self-test", "--check", "--no-out",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(quiet); i++) {
		bool no_out = !strcmp(quiet[i], "--no-out");

		assert_int_equal(parse(quiet[i], no_out ? NULL : "--out",
				       "x.json", NULL),
				 0);
		assert_true(o.quiet);
		assert_null(o.out);
	}
	assert_int_equal(parse("--root", "d", "--check", NULL), 0);
	assert_true(o.quiet);
	assert_int_equal(parse("--perf-control", "a,b", NULL), 0);
	assert_true(o.quiet);
	assert_int_equal(parse("--out", "x.json", NULL), 0);
	assert_false(o.quiet);
	assert_string_equal(o.out, "x.json");
}

/* --help: each option of the table, within 80 columns. */
static void test_usage(void **state)
{
	static const char *const want[] = {
		"\n  --variant SPEC     measure this instance",
		"\n  --all-variants     ", "\n  --scenario NAME    ",
		"\n  --perf-control CTL,ACK\n                     linux-perf",
		"\n  -h, --help         this text",
		"--benchmark_min_warmup_time (use --batches)",
	};
	const char *s, *p;

	(void)state;
	capture_start(1);
	tb_options_usage();
	s = capture_end(1);
	assert_true(!strncmp(s, "usage: trampbench [options] ", 28));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(s, want[i]))
			fail_msg("--help has no '%s'", want[i]);
	for (p = s; *p; p += strcspn(p, "\n") + 1)
		if (strcspn(p, "\n") > 80)
			fail_msg("over 80 columns: %.*s", (int)strcspn(p, "\n"),
				 p);
}

static unsigned int nkeys, nours;

static void count_key(const char *key, bool ours, void *arg)
{
	char k[128];
	size_t n = strlen(key);

	(void)arg;
	nkeys++;
	nours += ours;
	/* every key of the table is refused; a family's first of its kind */
	snprintf(k, sizeof(k), "%.*s%s", (int)n - (key[n - 1] == '#'), key,
		 key[n - 1] == '#' ? "0" : key[n - 1] == '.' ? "x" : "");
	if (!tb_context_key_ours(k, strlen(k)))
		fail_msg("context key %s (%s) not refused", key, k);
}

static bool ours(const char *key)
{
	return tb_context_key_ours(key, strlen(key));
}

static void test_context_keys(void **state)
{
	(void)state;
	tb_context_for_each_key(count_key, NULL);
	print_message("%u context keys, %u of them trampbench's\n", nkeys,
		      nours);
	assert_true(nours > 30 && nkeys > nours);
	assert_true(ours("counter_mode") && ours("results_format"));
	assert_true(ours("scenario_order") && ours("designs"));
	assert_true(ours("baseline") && ours("as_posted"));
	assert_true(ours("contention_pct_max"));
	assert_true(ours("warning0") && ours("warning12"));
	assert_true(ours("scenario_about.hot") && ours("scenario_unit.x"));
	assert_true(ours("scenario_describe.cold"));
	/* Google Benchmark's */
	assert_true(ours("date") && ours("caches") && ours("load_avg"));
	/* anyone else's */
	assert_false(ours("warning") || ours("warnings") || ours("warning1x"));
	assert_false(ours("scenario_about.") || ours("scenario_about"));
	assert_false(ours("board") || ours("counter_mod") || ours(""));
	assert_true(tb_context_key_ours("archive", 4)); /* "arch" */
}

static int teardown(void **state)
{
	(void)state;
	tb_options_free(&o);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_help_wins),
		cmocka_unit_test(test_gb_argv),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_context_keys),
	};

	static const char *const env[] = {
		"BENCHMARK_OUT", "BENCHMARK_OUT_FORMAT", "BENCHMARK_FORMAT",
		"BENCHMARK_CONTEXT", "BENCHMARK_REPETITIONS",
		"BENCHMARK_MIN_TIME", "BENCHMARK_MIN_WARMUP_TIME",
		"BENCHMARK_ENABLE_RANDOM_INTERLEAVING",
	};

	/* Google Benchmark's variables of the caller's would change it */
	for (size_t i = 0; i < ARRAY_SIZE(env); i++)
		unsetenv(env[i]);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
