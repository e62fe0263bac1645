// SPDX-License-Identifier: GPL-2.0
/*
 * The compact table per scenario (bench/display.c), fed with results as
 * Google Benchmark hands them over: in mixed order, with and without
 * aggregates, skipped, and with counters of the mispredict and L1I
 * roles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"

static char *text;
static size_t text_len;
static FILE *out;
static int hidden, shown;

static void hide(void)
{
	hidden++;
}

static void show(void)
{
	shown++;
}

/* "cbz:pad=on,align=8,lit=rodata" as "cbz", as trampbench shortens it */
static const char *shorten(const char *spec, char *buf, size_t len)
{
	if (!strcmp(spec, "cbz:pad=on,align=8,lit=rodata"))
		snprintf(buf, len, "cbz");
	else
		snprintf(buf, len, "%s", spec);
	return buf;
}

static const struct tb_bench_display *setup(const char *mode,
					    const char *mis, const char *l1i)
{
	struct tb_display_opts o = {
		.mode = mode, .mispredicts = mis, .l1i_refill = l1i,
		.short_spec = shorten, .hide = hide, .show = show,
	};

	free(text);
	text = NULL;
	out = open_memstream(&text, &text_len);
	assert_non_null(out);
	o.out = out;
	hidden = shown = 0;
	return tb_display_setup(&o);
}

static const char *output(void)
{
	fflush(out);
	return text ? text : "";
}

/* A measured benchmark: @n repetitions of cycles v[i], the aggregates. */
static void finish(const struct tb_bench_display *d, const char *name,
		   const double *v, unsigned int n, const char *label,
		   const char *mis, const char *l1i)
{
	struct tb_bench_counter c[16][3];
	struct tb_bench_row rows[16];
	struct tb_bench_result r = { .name = name, .rows = rows };
	static const char *const aggs[] = { "mean", "median", "stddev",
					    "cv" };

	memset(rows, 0, sizeof(rows));
	for (unsigned int i = 0; i < n + (n > 1 ? 4 : 0); i++) {
		/* aggregates: nonsense but for the median */
		double x = i < n ? v[i] : i == n + 1 ? v[0] : 1e6;
		unsigned int k = 0;

		c[i][k++] = (struct tb_bench_counter){ "cycles", x };
		if (mis)
			c[i][k++] = (struct tb_bench_counter){ mis, x / 100 };
		if (l1i)
			c[i][k++] = (struct tb_bench_counter){ l1i, x / 1000 };
		rows[i] = (struct tb_bench_row){
			.aggregate = i < n ? NULL : aggs[i - n],
			.label = label ? label : "timer",
			.error_message = "",
			.counters = c[i],
			.ncounters = k,
		};
		r.nrows++;
	}
	d->finished(&r, d->arg);
}

static void skipped(const struct tb_bench_display *d, const char *name,
		    const char *why)
{
	struct tb_bench_row row = { .error = true, .error_message = why,
				    .label = "" };
	struct tb_bench_result r = { .name = name, .rows = &row, .nrows = 1 };

	d->finished(&r, d->arg);
}

static void assert_within_80(const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n > 80)
			fail_msg("line over 80 columns: %.*s", (int)n, s);
		s += n + (s[n] == '\n');
	}
}

/* Interleaved: a scenario's table comes when its last benchmark does. */
static void test_per_scenario(void **state)
{
	const struct tb_bench_display *d = setup("timer", NULL, NULL);
	const char *names[] = {
		"calibration/add_chain",
		"hot/cbz:pad=on,align=8,lit=rodata/tput",
		"hot/cbz:pad=on,align=8,lit=rodata/lat",
		"hot/tail:pad=on,align=16,lit=rodata,null=ret0/tput",
		"hot/tail:pad=on,align=16,lit=rodata,null=ret0/lat",
		"null/cbz:pad=on,align=8,lit=rodata",
		"calibration/core_clock_drift",
	};
	const char *s, *t, *c;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		d->selected(names[i], d->arg);
	finish(d, names[4], (double[]){ 6, 5, 7 }, 3, NULL, NULL, NULL);
	finish(d, names[0], (double[]){ 1, 1.01, 0.99 }, 3, NULL, NULL, NULL);
	finish(d, names[1], (double[]){ 4.5, 4, 5 }, 3, NULL, NULL, NULL);
	finish(d, names[2], (double[]){ 9, 8, 10 }, 3, NULL, NULL, NULL);
	assert_string_equal(output(), "");
	finish(d, names[3], (double[]){ 3, 2, 2.5 }, 3, NULL, NULL, NULL);
	s = output();
	print_message("%s", s);
	/* hot is complete: its table, and nothing of the others yet */
	assert_non_null(strstr(s, "hot: median cycles per call of 3 "
				  "repetitions; timer mode"));
	assert_null(strstr(s, "calibration"));
	assert_int_equal(hidden, 1);
	assert_int_equal(shown, 1);
	/* by parameters, then variant, in the order of registration */
	t = strstr(s, "  tput    cbz ");
	assert_non_null(t);
	assert_non_null(c = strstr(t, "  tput    tail:pad=on,align=16,"));
	assert_non_null(c = strstr(c, "  lat     cbz "));
	assert_non_null(strstr(c, "  lat     tail:pad=on,align=16,"));
	/* the median and min..max of the repetitions, not an aggregate */
	assert_non_null(strstr(s, "      4.50       4.00..5.00\n"));
	assert_non_null(strstr(s, "     6.00       5.00..7.00\n"));
	assert_non_null(strstr(s, "params"));
	assert_non_null(strstr(s, "min..max"));
	assert_null(strstr(s, "mispred"));

	skipped(d, names[5], "the image has no such loops");
	s = output();
	assert_non_null(strstr(s, "null: median cycles per call"));
	assert_non_null(strstr(s, "  cbz      skipped: the image has no such "
				  "loops\n"));
	/* a scenario without parameters has no params column */
	assert_null(strstr(strstr(s, "null: median"), "params"));
	assert_within_80(s);
	d->done(d->arg);
	/* calibration/core_clock_drift never came: listed at the end */
	s = output();
	assert_non_null(strstr(s, "calibration: median cycles per call of 3 "
				  "repetitions; timer mode, no PMU\n"));
	assert_non_null(strstr(s, "(only 1 of its 2 benchmarks ran)"));
	assert_within_80(s);
	assert_null(strstr(s, "core_clock_drift"));
}

/* One repetition: no aggregates, still a row; pmu counters as columns. */
static void test_single_and_counters(void **state)
{
	const struct tb_bench_display *d =
		setup("pmu", "BR_MIS_PRED", "L1I_CACHE_REFILL");
	const char *s;

	(void)state;
	d->selected("far/cbz:pad=on,align=8,lit=rodata", d->arg);
	d->selected("far/inline", d->arg);
	finish(d, "far/cbz:pad=on,align=8,lit=rodata", (double[]){ 12.5 }, 1,
	       "pmu; MISMATCH: 9.00 instructions/call, the code has 8",
	       "BR_MIS_PRED", "L1I_CACHE_REFILL");
	assert_string_equal(output(), "");
	skipped(d, "far/inline",
	     "rel32 cannot reach it: the kernel keeps x86 modules within "
	     "+-2 GiB of its text, so this design never meets a target "
	     "this far");
	s = output();
	print_message("%s", s);
	assert_non_null(strstr(s, "far: median cycles per call of 1 "
				  "repetition; pmu mode\n"));
	assert_non_null(strstr(s, "mispred"));
	assert_non_null(strstr(s, "L1I refill"));
	assert_null(strstr(s, "min..max"));
	assert_non_null(strstr(s, "  variant   cycles  mispred  L1I refill\n"));
	assert_non_null(strstr(s, "  cbz        12.50    0.125       0.013\n"));
	assert_non_null(strstr(s, "! MISMATCH: 9.00 instructions/call"));
	/* the long reason wrapped, within 80 columns */
	assert_non_null(strstr(s, "  inline   skipped: rel32 cannot reach"));
	assert_non_null(strstr(s, "\n      "));
	assert_within_80(s);
}

/* Under qemu the header says so; an unforeseen benchmark is not lost. */
static void test_emulated_and_unforeseen(void **state)
{
	const struct tb_bench_display *d = setup("emulated", NULL, NULL);
	const char *s;

	(void)state;
	d->selected("ret0/cbz:pad=on,align=8,lit=rodata", d->arg);
	finish(d, "ret0/cbz:pad=on,align=8,lit=rodata", (double[]){ 80, 90 },
	       2, "emulated", NULL, NULL);
	finish(d, "ret0/other", (double[]){ 70, 75 }, 2, "emulated", NULL,
	       NULL);
	s = output();
	print_message("%s", s);
	assert_non_null(strstr(s, "ret0: median cycles per call of 2 "
				  "repetitions; EMULATED under qemu-user\n"));
	assert_non_null(strstr(s, "ret0, continued: "));
	assert_non_null(strstr(s, "  other      72.50     70.00..75.00\n"));
	assert_within_80(s);
	fclose(out);
	out = NULL;
	free(text);
	text = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_scenario),
		cmocka_unit_test(test_single_and_counters),
		cmocka_unit_test(test_emulated_and_unforeseen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
