// SPDX-License-Identifier: GPL-2.0
/*
 * The cold scenario's instrument: its estimator (harness/cold_est.h) and
 * its sampler (harness/cold.h), without the image.
 *
 * The estimator: the formula on a hand-worked example; Student's t
 * against the table; series recorded on the development VM
 * (tests/fixtures/cold/: a code-cold call, its control, a data-cold
 * call), each reproduced to the value the fixture pins (the whole
 * series, as docs/cold.md quotes it), and each showing what the
 * estimator was chosen for: the control's median and interquartile mean
 * stick to 0 on the timer's 52-tick steps while the estimate's interval
 * has a width and holds 0 in nearly every 250-pair window; the calls'
 * interrupts fall outside the fences.  A synthetic series with a known
 * answer below the quantum: the estimate finds it and its intervals
 * cover it, the median and the interquartile mean do not, and
 * interrupts do not move it.
 *
 * The sampler, on stand-ins for the walk, the eviction and the stubs:
 * every sample evicted first, the same way, through one function; the
 * order within a pair alternating; a pair disturbed by a context switch
 * measured again; counted values taken per sample (page faults, a
 * software event).  Its line list and the nops decoder of this
 * architecture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cold.h"
#include "cold_est.h"
#include "disturb.h"
#include "perf_group.h"
#include "tb_fixture.h"

/* ---- the estimator ---------------------------------------------------- */

static void test_formula(void **state)
{
	const double d[] = { 7, 3, 10, 1, 100, 5, 8, 2, 9, 4, 6 };
	double scratch[11], sd = sqrt(82.5 / 9);
	struct tb_cold_est e;

	(void)state;
	/* quartiles 3.5 and 8.5: fences -11.5 and 23.5 keep 1..10 */
	assert_int_equal(tb_cold_estimate(d, 11, 3, 1, scratch, &e), 0);
	assert_int_equal(e.n, 11);
	assert_int_equal(e.kept, 10);
	assert_true(fabs(e.fence_lo + 11.5) < 1e-12);
	assert_true(fabs(e.fence_hi - 23.5) < 1e-12);
	assert_true(fabs(e.value - 5.5) < 1e-12);
	assert_true(fabs(e.median - 6) < 1e-12);
	assert_true(fabs(e.sd - sd) < 1e-12);
	assert_true(fabs(e.se - sd / sqrt(10)) < 1e-12);
	assert_true(fabs(e.lo - (5.5 - tb_cold_t95(9) * sd / sqrt(10))) <
		    1e-12);
	assert_true(fabs(e.hi - (5.5 + tb_cold_t95(9) * sd / sqrt(10))) <
		    1e-12);
	/* all on one step: the fences are a quantum wide, 99 is out */
	const double flat[] = { 4, 4, 4, 4, 4, 4, 5, 99 };
	assert_int_equal(tb_cold_estimate(flat, 8, 3, 1, scratch, &e), 0);
	assert_int_equal(e.kept, 7);
	assert_true(fabs(e.value - 29.0 / 7) < 1e-12);
	/* nothing to estimate, or no fence */
	assert_int_equal(tb_cold_estimate(d, 0, 3, 1, scratch, &e), -1);
	assert_int_equal(tb_cold_estimate(d, 11, 0, 1, scratch, &e), -1);
	assert_true(e.value == 0 && e.n == 0);
}

static void test_t95(void **state)
{
	/* two-sided 95% quantiles of Student's t (any statistics table) */
	static const struct {
		double df, t;
	} table[] = { { 10, 2.2281 }, { 12, 2.1788 }, { 30, 2.0423 },
		      { 60, 2.0003 }, { 120, 1.9799 }, { 1e6, 1.9600 } };

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		double t = tb_cold_t95(table[i].df);

		print_message("t95(%g) = %.4f (table %.4f)\n", table[i].df, t,
			      table[i].t);
		assert_true(fabs(t - table[i].t) < 0.005);
	}
	assert_true(isnan(tb_cold_t95(0)));
}

/*
 * The mean of the middle half: what the estimator is not, to show the
 * series it would get wrong.
 */
static double interquartile_mean(const double *d, size_t n, double *scratch)
{
	size_t g = n / 4;
	double sum = 0;

	memcpy(scratch, d, n * sizeof(*d));
	for (size_t i = 1; i < n; i++) /* insertion sort: small n */
		for (size_t j = i; j > 0 && scratch[j - 1] > scratch[j]; j--) {
			double t = scratch[j];

			scratch[j] = scratch[j - 1];
			scratch[j - 1] = t;
		}
	for (size_t i = g; i < n - g; i++)
		sum += scratch[i];
	return sum / (double)(n - 2 * g);
}

#define MAX_PAIRS 8192

struct series {
	size_t n;
	double quantum, expect;
	char check[32]; /* what the series shows: control, tail */
	double d[MAX_PAIRS], scratch[MAX_PAIRS];
};

/*
 * "# quantum Q", "# expect X" (the estimate over all of it, ticks),
 * "# check WHAT", other "#" lines, then "control call" ticks per line.
 */
static void load(struct series *s, const char *name)
{
	char path[600], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s", fixture(name));
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	memset(s, 0, sizeof(*s));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (sscanf(line, "# quantum %lf", &s->quantum) == 1 ||
		    sscanf(line, "# expect %lf", &s->expect) == 1 ||
		    sscanf(line, "# check %31s", s->check) == 1 ||
		    line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%llu %llu", &a, &b), 2);
		assert_true(s->n < MAX_PAIRS);
		s->d[s->n++] = (double)b - (double)a;
	}
	fclose(f);
	assert_true(s->n >= 1000 && s->quantum > 0 && s->check[0]);
}

static double mean(const double *d, size_t n)
{
	double m = 0;

	for (size_t i = 0; i < n; i++)
		m += d[i] / (double)n;
	return m;
}

static void check_recorded(const char *name)
{
	struct series *s = malloc(sizeof(*s));
	struct tb_cold_est all, w;
	size_t windows = 0, cover = 0;
	double iqm;

	assert_non_null(s);
	load(s, name);
	assert_int_equal(tb_cold_estimate(s->d, s->n, TB_COLD_FENCE,
					  s->quantum, s->scratch, &all),
			 0);
	iqm = interquartile_mean(s->d, s->n, s->scratch);
	print_message("%s: %zu pairs: estimate %.3f ticks [%.3f, %.3f] (pinned %.3f), %zu kept, mean %.3f, median %.1f, interquartile mean %.3f\n",
		      name, s->n, all.value, all.lo, all.hi, s->expect,
		      all.kept, mean(s->d, s->n), all.median, iqm);
	/* the estimator as docs/cold.md quotes it */
	assert_true(fabs(all.value - s->expect) < 1e-3);
	assert_true(all.hi > all.lo);
	for (size_t i = 0; i + 250 <= s->n; i += 250) {
		tb_cold_estimate(s->d + i, 250, TB_COLD_FENCE, s->quantum,
				 s->scratch, &w);
		windows++;
		cover += w.lo <= 0 && w.hi >= 0;
		assert_true(w.hi > w.lo);
	}
	if (!strcmp(s->check, "control")) {
		/* on the timer's steps: the median and the middle say 0 */
		assert_true(all.median == 0 && iqm == 0);
		assert_true(all.lo < 0 && all.hi > 0);
		print_message("  0 in %zu of %zu windows' intervals\n", cover,
			      windows);
		assert_true(cover * 10 >= windows * 9);
	} else if (!strcmp(s->check, "tail")) {
		/* a cold call: interrupts far out, which the fences drop */
		assert_true(all.kept < all.n);
		assert_true(mean(s->d, s->n) > all.hi);
		assert_true(all.lo > 0);
	} else {
		fail_msg("%s: unknown check %s", name, s->check);
	}
	free(s);
}

static void test_recorded(void **state)
{
	(void)state;
	check_recorded("cold/x86-zen4-cbz-code.txt");
	check_recorded("cold/x86-zen4-cbz-code-control.txt");
	check_recorded("cold/x86-zen4-cbz-data.txt");
}

/* A deterministic uniform draw in [0, 1). */
static double uniform(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*x >> 11) / 9007199254740992.0;
}

/* One timer read's worth of ticks over @span: its phase at random. */
static double quantise(double span, double q, uint64_t *x)
{
	return q * floor((span + q * uniform(x)) / q);
}

/*
 * A call 10 ticks longer than its control, each span jittered by a tick
 * or two, on a 52-tick timer; 2% of the samples hit by a 5000-tick
 * interrupt in one of the two when @irq.
 */
static void synthetic(double *d, size_t n, bool irq)
{
	uint64_t x = 12345;

	for (size_t i = 0; i < n; i++) {
		double a = quantise(40 + 2 * uniform(&x), 52, &x);
		double b = quantise(50 + 2 * uniform(&x), 52, &x);

		if (irq && uniform(&x) < 0.02)
			*(uniform(&x) < 0.5 ? &a : &b) += 5000;
		d[i] = b - a;
	}
}

static void test_synthetic(void **state)
{
	const size_t n = 20000;
	double *d = calloc(n, sizeof(*d)), *scratch = calloc(n, sizeof(*d));
	struct tb_cold_est e, w;
	size_t cover = 0, windows = 0;
	double iqm;

	(void)state;
	assert_non_null(d);
	assert_non_null(scratch);
	synthetic(d, n, false);
	tb_cold_estimate(d, n, TB_COLD_FENCE, 52, scratch, &e);
	iqm = interquartile_mean(d, 2000, scratch);
	print_message("10 ticks on a 52-tick timer: estimate %.2f [%.2f, %.2f], median %.1f, interquartile mean of 2000 %.2f\n",
		      e.value, e.lo, e.hi, e.median, iqm);
	assert_true(fabs(e.value - 10) < 1.5);
	assert_true(e.median == 0);
	assert_true(fabs(iqm - 10) > 5);
	for (size_t i = 0; i + 250 <= n; i += 250) {
		tb_cold_estimate(d + i, 250, TB_COLD_FENCE, 52, scratch, &w);
		windows++;
		cover += w.lo <= 10 && w.hi >= 10;
	}
	print_message("  10 in %zu of %zu windows' intervals\n", cover,
		      windows);
	assert_true(cover * 100 >= windows * 88);
	synthetic(d, n, true);
	tb_cold_estimate(d, n, TB_COLD_FENCE, 52, scratch, &e);
	/* per 250-pair window: within 10 ticks, the estimate and the mean */
	cover = 0;
	size_t mean_near = 0;
	for (size_t i = 0; i + 250 <= n; i += 250) {
		tb_cold_estimate(d + i, 250, TB_COLD_FENCE, 52, scratch, &w);
		cover += fabs(w.value - 10) < 10;
		mean_near += fabs(mean(d + i, 250) - 10) < 10;
	}
	print_message("with 2%% interrupts: estimate %.2f; within 10 ticks in %zu of %zu windows, the mean in %zu\n",
		      e.value, cover, windows, mean_near);
	assert_true(fabs(e.value - 10) < 1.5);
	assert_true(cover == windows && mean_near * 2 < windows);
	free(d);
	free(scratch);
}

/* ---- the sampler -------------------------------------------------------- */

/* What the stand-ins saw, in order: 'w'alk, 'e'vict, control, call. */
static char trace[256];
static size_t ntrace;
static const uint64_t *evicted_lines;
static uint64_t evicted_counts[3];
static unsigned int calls_made;
static int sleep_on_call = -1; /* the call that sleeps: a switch */
static char *fault_pages;      /* the call touches 3 new pages */
static size_t fault_next, page_size;

static void log_event(char c)
{
	if (ntrace < sizeof(trace) - 1)
		trace[ntrace++] = c;
}

static void fake_walk(void)
{
	log_event('w');
}

static void fake_evict(const uint64_t *lines, uint64_t nwarm, uint64_t ndata,
		       uint64_t ncode)
{
	log_event('e');
	evicted_lines = lines;
	evicted_counts[0] = nwarm;
	evicted_counts[1] = ndata;
	evicted_counts[2] = ncode;
}

static uint64_t fake_control(void)
{
	log_event('c');
	return 100;
}

static uint64_t fake_call(void)
{
	log_event('C');
	if ((int)calls_made++ == sleep_on_call)
		usleep(2000);
	if (fault_pages)
		for (int i = 0; i < 3; i++)
			fault_pages[page_size * fault_next++] = 1;
	return 130;
}

/*
 * A core seeing disturbances through getrusage (the fallback, no perf
 * events needed), on the timer alone until a test opens counters.
 */
static void rusage_core(struct tb_core *c, struct tb_disturb *d)
{
	memset(c, 0, sizeof(*c));
	memset(d, 0, sizeof(*d));
	d->method = TB_DISTURB_RUSAGE;
	d->fd[0] = d->fd[1] = -1;
	c->counters.ops = &tb_timer_counter_ops;
	c->disturb_read = tb_disturb_hook;
	c->disturb_arg = d;
}

static struct tb_cold_spec fake_spec(void)
{
	struct tb_cold_spec s = { .one = fake_control, .two = fake_call };

	s.evict.walk = fake_walk;
	s.evict.evict = fake_evict;
	assert_true(tb_cold_add_line(&s.evict, 0x1000, 1, 64));
	assert_true(tb_cold_add_line(&s.evict, 0x2000, 2, 64));
	return s;
}

struct record {
	struct tb_cold_record r;
	uint64_t t[2][8], v[2][8];
};

static void record_init(struct record *rec)
{
	memset(rec, 0, sizeof(*rec));
	for (int w = 0; w < 2; w++) {
		rec->r.ticks[w] = rec->t[w];
		rec->r.value[w][0] = rec->v[w];
	}
}

static void test_sampler_order(void **state)
{
	struct tb_cold_spec s = fake_spec();
	struct tb_disturb d;
	struct tb_core c;
	struct record rec;
	unsigned long redone = 0;

	(void)state;
	rusage_core(&c, &d);
	c.keep_disturbed_pairs = true; /* keeps every pair: a fixed trace */
	record_init(&rec);
	ntrace = 0;
	assert_int_equal(tb_cold_measure(&c, false, &s, &rec.r, 0, 4, &redone),
			 0);
	trace[ntrace] = '\0';
	print_message("trace: %s\n", trace);
	/* every sample walked and evicted first; the first turns each pair */
	assert_string_equal(trace, "wecweC" "weCwec" "wecweC" "weCwec");
	assert_ptr_equal(evicted_lines, s.evict.line);
	assert_true(evicted_counts[0] == 0 && evicted_counts[1] == 1 &&
		    evicted_counts[2] == 1);
	assert_int_equal(rec.r.n, 4);
	for (int i = 0; i < 4; i++)
		assert_true(rec.t[0][i] == 100 && rec.t[1][i] == 130);
	/* without the walk (data-cold), only the eviction */
	s.evict.walk = NULL;
	ntrace = 0;
	assert_int_equal(tb_cold_measure(&c, false, &s, &rec.r, 4, 5, &redone),
			 0);
	trace[ntrace] = '\0';
	assert_string_equal(trace, "eceC");
	assert_int_equal(rec.r.n, 5);
}

static void test_sampler_redo(void **state)
{
	struct tb_cold_spec s = fake_spec();
	struct tb_disturb d;
	struct tb_core c;
	struct record rec;
	unsigned long redone = 0;
	cpu_set_t one;

	(void)state;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	rusage_core(&c, &d);
	record_init(&rec);
	calls_made = 0;
	sleep_on_call = 2; /* in the third pair: a voluntary switch */
	assert_int_equal(tb_cold_measure(&c, false, &s, &rec.r, 0, 6, &redone),
			 0);
	sleep_on_call = -1;
	print_message("%lu pair(s) redone, %u calls for 6 pairs\n", redone,
		      calls_made);
	assert_true(redone >= 1 && c.redone_disturbed >= 1);
	assert_true(calls_made >= 7);
	assert_int_equal(rec.r.n, 6);
}

/* Counted per sample: the call's 3 page faults, the control's none. */
static void test_sampler_group(void **state)
{
	struct tb_cold_spec s = fake_spec();
	struct tb_perf_counters pc;
	struct tb_disturb d;
	struct tb_event ev;
	struct tb_core c;
	struct record rec;
	unsigned long redone = 0;
	size_t npages = (size_t)TB_CORE_TRIES * 3 * 8;
	unsigned int exact = 0;
	int ret;

	(void)state;
	rusage_core(&c, &d);
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.name, sizeof(ev.name), "page-faults");
	snprintf(ev.pmu, sizeof(ev.pmu), "perf");
	ev.attr.type = PERF_TYPE_SOFTWARE;
	ev.attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	tb_perf_counters_init(&c.counters, &pc, &ev, 1, NULL, TB_LEVEL_USER);
	ret = c.counters.ops->open(&c.counters);
	if (ret) {
		print_message("skip: no software events here: %s\n",
			      pc.set.msg);
		skip();
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	fault_pages = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(fault_pages != MAP_FAILED);
	madvise(fault_pages, npages * page_size, MADV_NOHUGEPAGE);
	fault_next = 0;
	record_init(&rec);
	ret = tb_cold_measure(&c, true, &s, &rec.r, 0, 8, &redone);
	munmap(fault_pages, npages * page_size);
	fault_pages = NULL;
	c.counters.ops->close(&c.counters);
	assert_int_equal(ret, 0);
	for (int i = 0; i < 8; i++) {
		print_message("pair %d: control %llu, call %llu faults\n", i,
			      (unsigned long long)rec.v[0][i],
			      (unsigned long long)rec.v[1][i]);
		assert_true(rec.t[0][i] == 100 && rec.t[1][i] == 130);
		exact += rec.v[1][i] - rec.v[0][i] == 3;
	}
	/* a stray fault (a stack page) may add one now and then */
	assert_true(exact >= 6);
}

static void test_lines(void **state)
{
	struct tb_cold_evict e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_true(tb_cold_add_line(&e, 0x1008, 2, 64)); /* code */
	assert_true(tb_cold_add_line(&e, 0x2010, 1, 64)); /* data */
	assert_true(tb_cold_add_line(&e, 0x3000, 0, 64)); /* warm */
	assert_true(tb_cold_add_line(&e, 0x1030, 2, 64)); /* same line */
	assert_true(tb_cold_add_range(&e, 0x4030, 0x40c1, 2, 64));
	/* warm, then data, then code, each line once */
	assert_int_equal(e.nwarm, 1);
	assert_int_equal(e.ndata, 1);
	assert_int_equal(e.ncode, 5);
	assert_true(e.line[0] == 0x3000 && e.line[1] == 0x2000 &&
		    e.line[2] == 0x1000 && e.line[3] == 0x4000 &&
		    e.line[4] == 0x4040 && e.line[5] == 0x4080 &&
		    e.line[6] == 0x40c0);
	/* a warm line flushed later, a data line that is code too */
	assert_true(tb_cold_add_line(&e, 0x3010, 2, 64));
	assert_true(tb_cold_add_line(&e, 0x2000, 0, 64)); /* stays data */
	assert_int_equal(e.nwarm, 0);
	assert_int_equal(e.ncode, 6);
	assert_true(e.line[0] == 0x2000 && e.line[6] == 0x3000);
	assert_true(tb_cold_add_line(&e, 0x2000, 2, 64));
	assert_int_equal(e.ndata, 0);
	assert_int_equal(e.ncode, 7);
	assert_true(e.line[6] == 0x2000);
	while (e.nwarm + e.ndata + e.ncode < TB_COLD_MAX_LINES)
		assert_true(tb_cold_add_line(
			&e, 0x10000 + 64 * (e.nwarm + e.ndata + e.ncode), 2,
			64));
	assert_false(tb_cold_add_line(&e, 0x90000, 1, 64));
	assert_true(tb_cold_add_line(&e, 0x1000, 2, 64)); /* already in */
}

static void test_nops(void **state)
{
	size_t len;

	(void)state;
#if defined(__x86_64__)
	/* gas's .nops of 1 to 11 bytes, then rdtscp */
	static const uint8_t code[] = {
		0x90,
		0x66, 0x90,
		0x0f, 0x1f, 0x00,
		0x0f, 0x1f, 0x40, 0x00,
		0x0f, 0x1f, 0x44, 0x00, 0x00,
		0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00,
		0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00,
		0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00,
		0x00,
		0x0f, 0x01, 0xf9,
	};
	static const uint8_t call[] = { 0xe8, 0x00, 0x00, 0x00, 0x00 };

	assert_int_equal(tb_cold_nops(code, sizeof(code), &len), 11);
	assert_int_equal(len, sizeof(code) - 3);
	/* cut inside the last nop: that one is not whole */
	assert_int_equal(tb_cold_nops(code, sizeof(code) - 4, &len), 10);
	assert_int_equal(len, sizeof(code) - 3 - 11);
	assert_int_equal(tb_cold_nops(call, sizeof(call), &len), 0);
	assert_int_equal(len, 0);
#elif defined(__aarch64__)
	/* nop, nop, nop, isb */
	static const uint32_t code[] = { 0xd503201f, 0xd503201f, 0xd503201f,
					 0xd5033fdf };
	static const uint32_t call[] = { 0x94000000 };

	assert_int_equal(tb_cold_nops(code, sizeof(code), &len), 3);
	assert_int_equal(len, 12);
	assert_int_equal(tb_cold_nops(code, 8, &len), 2);
	assert_int_equal(tb_cold_nops(call, sizeof(call), &len), 0);
	assert_int_equal(len, 0);
#else
#error "test_cold: no nops for this architecture"
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula),
		cmocka_unit_test(test_t95),
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_sampler_order),
		cmocka_unit_test(test_sampler_redo),
		cmocka_unit_test(test_sampler_group),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_nops),
	};

	return cmocka_run_group_tests_name("cold", tests, NULL, NULL);
}
