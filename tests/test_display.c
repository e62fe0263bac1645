// SPDX-License-Identifier: GPL-2.0
/*
 * The compact table per scenario (bench/display.c), fed with results as
 * Google Benchmark hands them over: in mixed order, with and without
 * aggregates, skipped, and with counters of the mispredict and L1I
 * roles; grouped and labelled by the benchmarks' parts, not their names.
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

#define CBZ "cbz:pad=on,align=8,lit=rodata"
#define TAIL "tail:pad=on,align=16,lit=rodata,null=ret0"

static const struct tb_gb_param tput[] = { { "tput", NULL } },
				lat[] = { { "lat", NULL } };

/*
 * Benchmarks as trampbench names them, with their parts: the display
 * shows the parts, and must never take the name apart for them.
 */
static const struct {
	const char *name;
	struct tb_gb_id id;
} b[] = {
	{ "calibration/add_chain",
	  { "calibration", "add_chain", "add_chain", NULL, 0 } },
	{ "hot/" CBZ "/tput", { "hot", CBZ, "cbz", tput, 1 } },
	{ "hot/" CBZ "/lat", { "hot", CBZ, "cbz", lat, 1 } },
	{ "hot/" TAIL "/tput", { "hot", TAIL, TAIL, tput, 1 } },
	{ "hot/" TAIL "/lat", { "hot", TAIL, TAIL, lat, 1 } },
	{ "null/" CBZ, { "null", CBZ, "cbz", NULL, 0 } },
	{ "calibration/core_clock_drift",
	  { "calibration", "core_clock_drift", "core_clock_drift", NULL, 0 } },
	{ "far/" CBZ, { "far", CBZ, "cbz", NULL, 0 } },
	{ "far/inline", { "far", "inline", "inline", NULL, 0 } },
	{ "ret0/" CBZ, { "ret0", CBZ, "cbz", NULL, 0 } },
	{ "ret0/other", { "ret0", "other", "other", NULL, 0 } },
	/* a name unlike its parts: the parts decide */
	{ "x/y/z", { "sites", CBZ, "cbz:short", NULL, 0 } },
};

/* The parts of benchmark @name */
static const struct tb_gb_id *id(const char *name)
{
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (!strcmp(b[i].name, name))
			return &b[i].id;
	fail_msg("no parts for %s", name);
	return NULL;
}

static void selected(const struct tb_gb_display *d, const char *name)
{
	d->selected(name, id(name), d->arg);
}

static const struct tb_gb_display *setup(const char *mode, const char *mis,
					 const char *l1i)
{
	struct tb_display_opts o = {
		.mode = mode, .mispredicts = mis, .l1i_refill = l1i,
		.hide = hide, .show = show,
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
static void finish(const struct tb_gb_display *d, const char *name,
		   const double *v, unsigned int n, const char *label,
		   const char *mis, const char *l1i)
{
	struct tb_gb_counter c[16][3];
	struct tb_gb_row rows[16];
	struct tb_gb_result r = { .name = name, .id = id(name), .rows = rows };
	static const char *const aggs[] = { "mean", "median", "stddev",
					    "cv" };

	memset(rows, 0, sizeof(rows));
	for (unsigned int i = 0; i < n + (n > 1 ? 4 : 0); i++) {
		/* aggregates: nonsense but for the median */
		double x = i < n ? v[i] : i == n + 1 ? v[0] : 1e6;
		unsigned int k = 0;

		c[i][k++] = (struct tb_gb_counter){ "cycles", x };
		if (mis)
			c[i][k++] = (struct tb_gb_counter){ mis, x / 100 };
		if (l1i)
			c[i][k++] = (struct tb_gb_counter){ l1i, x / 1000 };
		rows[i] = (struct tb_gb_row){
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

static void skipped(const struct tb_gb_display *d, const char *name,
		    const char *why)
{
	struct tb_gb_row row = { .error = true,
				 .error_message = why,
				 .label = "" };
	struct tb_gb_result r = {
		.name = name, .id = id(name), .rows = &row, .nrows = 1
	};

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
	const struct tb_gb_display *d = setup("timer", NULL, NULL);
	const char *names[] = {
		"calibration/add_chain",
		("hot/" CBZ "/tput"),
		("hot/" CBZ "/lat"),
		("hot/" TAIL "/tput"),
		("hot/" TAIL "/lat"),
		("null/" CBZ),
		"calibration/core_clock_drift",
	};
	const char *s, *t, *c;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		selected(d, names[i]);
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
	const struct tb_gb_display *d =
		setup("pmu", "BR_MIS_PRED", "L1I_CACHE_REFILL");
	const char *s;

	(void)state;
	selected(d, "far/" CBZ);
	selected(d, "far/inline");
	finish(d, "far/" CBZ, (double[]){ 12.5 }, 1,
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
	const struct tb_gb_display *d = setup("emulated", NULL, NULL);
	const char *s;

	(void)state;
	selected(d, "ret0/" CBZ);
	finish(d, "ret0/" CBZ, (double[]){ 80, 90 }, 2, "emulated", NULL,
	       NULL);
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

/* The table comes from the parts, whatever the name says. */
static void test_parts_not_name(void **state)
{
	const struct tb_gb_display *d = setup("timer", NULL, NULL);
	const char *s;

	(void)state;
	selected(d, "x/y/z");
	finish(d, "x/y/z", (double[]){ 3, 4 }, 2, NULL, NULL, NULL);
	s = output();
	print_message("%s", s);
	assert_non_null(strstr(s, "sites: median cycles per call of 2 "
				  "repetitions; timer mode, no PMU\n"));
	assert_non_null(strstr(s, "  cbz:short     3.50       3.00..4.00\n"));
	/* nothing of the name */
	assert_null(strstr(s, "x/"));
	assert_null(strstr(s, "y/z"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_scenario),
		cmocka_unit_test(test_single_and_counters),
		cmocka_unit_test(test_emulated_and_unforeseen),
		cmocka_unit_test(test_parts_not_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
