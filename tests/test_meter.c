// SPDX-License-Identifier: GPL-2.0
/*
 * The meter's differencing with known loop counts: a loop pair whose
 * cost per item is known exactly, through the timer path (a stand-in
 * clock the loops advance), the core's counter backend interface (a
 * stand-in backend of two groups counting the items, on any host) and
 * the counter-group path (page faults, a software event the loops cause
 * one per item).  Per item must come out as that cost, not half or
 * twice it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "disturb.h"
#include "meter.h"
#include "perf_group.h"

#define ITEMS 4
#define TICKS_PER_ITEM 7
#define PASSES 8

static uint64_t fake_clock, items_done;
static uint8_t *pages, *next_page;
static size_t page_size, npages;

static uint64_t fake_now(void)
{
	return fake_clock;
}

/* n items: n * TICKS_PER_ITEM on the clock, one fresh page touched each. */
static void items(uint64_t n)
{
	fake_clock += n * TICKS_PER_ITEM;
	items_done += n;
	for (uint64_t i = 0; pages && i < n; i++) {
		assert_true(next_page + page_size <= pages + npages * page_size);
		*(volatile uint8_t *)next_page = 1;
		next_page += page_size;
	}
}

static uint64_t one(uint64_t passes, uint64_t x)
{
	items(passes * ITEMS);
	return x;
}

static uint64_t two(uint64_t passes, uint64_t x)
{
	items(2 * passes * ITEMS);
	return x;
}

static const struct tb_loop_pair pair = {
	.one = one, .two = two, .items = ITEMS
};

/* The doubled pair: loop two is loop one at twice the passes. */
static const struct tb_loop_pair doubled = { .one = one, .items = ITEMS };

/*
 * A stand-in counter backend: group 0 counts the items once and twice,
 * group 1 three times; its next @multiplex_left spans lose their
 * counters (time_running short of time_enabled).
 */
static const int standin_nr[] = { 2, 1 };
static int multiplex_left, enabled;

static uint64_t standin_factor(int g, int j)
{
	return g ? 3 : (uint64_t)j + 1;
}

static int standin_open(struct tb_counters *c)
{
	c->ngroups = 2;
	c->nevents = 0;
	for (int g = 0; g < 2; g++)
		c->nevents += c->nr[g] = standin_nr[g];
	return 0;
}

static void standin_close(struct tb_counters *c)
{
	c->ngroups = c->nevents = 0;
}

static int standin_enable(struct tb_counters *c, int g)
{
	(void)c;
	(void)g;
	assert_int_equal(enabled++, 0);
	return 0;
}

static int standin_disable(struct tb_counters *c, int g)
{
	(void)c;
	(void)g;
	assert_int_equal(--enabled, 0);
	return 0;
}

static int standin_begin(struct tb_counters *c, int g, struct tb_counts *at)
{
	memset(at, 0, sizeof(*at));
	assert_int_equal(enabled, 1);
	for (int j = 0; j < c->nr[g]; j++)
		at->value[j] = standin_factor(g, j) * items_done;
	at->time_enabled = at->time_running = fake_clock;
	return 0;
}

static int standin_end(struct tb_counters *c, int g,
		       const struct tb_counts *begin, struct tb_counts *change)
{
	struct tb_counts at;

	standin_begin(c, g, &at);
	if (multiplex_left > 0 && multiplex_left--)
		at.time_running--;
	tb_counts_delta(begin, &at, c->nr[g], change);
	return 0;
}

static const struct tb_counter_ops standin_ops = {
	.open = standin_open,
	.close = standin_close,
	.enable = standin_enable,
	.disable = standin_disable,
	.begin = standin_begin,
	.end = standin_end,
};

static void test_per_item(void **state)
{
	(void)state;
	/* 10 passes of 4 and 8 items: 40 ticks apart, 1 per item */
	assert_true(tb_meter_per_item(100, 140, &pair, 10) == 1.0);
	assert_true(tb_meter_per_item(5, 5 + 3 * ITEMS * 9, &pair, 9) == 3.0);
}

/* The timer path: exactly TICKS_PER_ITEM per item. */
static void test_timer_path(void **state)
{
	struct tb_disturb d;
	struct tb_meter m;
	struct tb_sample s;

	(void)state;
	memset(&m, 0, sizeof(m));
	tb_disturb_open(&d);
	m.core.disturb_read = tb_disturb_hook;
	m.core.disturb_arg = &d;
	assert_int_equal(tb_meter_measure_on(&m, &pair, PASSES, fake_now, &s),
			 0);
	tb_disturb_close(&d);
	print_message("timer path: %.3f ticks per item (want %d), batch %.0f\n",
		      s.ticks, TICKS_PER_ITEM, s.total);
	assert_true(s.ticks == TICKS_PER_ITEM);
	assert_true(s.total == 3 * PASSES * ITEMS * TICKS_PER_ITEM);
}

/*
 * Through the backend interface, both pairs: each event's count per item
 * in group order, what it counted in all, and a multiplexed span
 * measured again; no disturbance hook (as in a module).
 */
static void test_backend_path(void **state)
{
	const struct tb_loop_pair *pairs[] = { &pair, &doubled };
	struct tb_meter m;
	struct tb_sample s;

	(void)state;
	for (int p = 0; p < 2; p++) {
		memset(&m, 0, sizeof(m));
		m.core.counters.ops = &standin_ops;
		assert_int_equal(m.core.counters.ops->open(&m.core.counters),
				 0);
		m.counting = true;
		m.nevents = m.core.counters.nevents;
		multiplex_left = 1;
		assert_int_equal(tb_meter_measure_on(&m, pairs[p], PASSES,
						     fake_now, &s),
				 0);
		print_message("backend path, %s pair: %.3f %.3f %.3f per item, %.3f ticks, redone %u\n",
			      p ? "doubled" : "N/2N", s.value[0], s.value[1],
			      s.value[2], s.ticks, s.redone);
		assert_true(s.ticks == TICKS_PER_ITEM);
		for (int j = 0; j < 3; j++) {
			assert_true(s.value[j] == j + 1);
			assert_true(s.counted[j] ==
				    (uint64_t)(j + 1) * 3 * PASSES * ITEMS);
		}
		assert_int_equal(s.redone, 1);
		assert_int_equal(m.core.redone_multiplexed, 1);
		assert_int_equal(m.core.redone_disturbed, 0);
		/* the timer alone: loops timed, nothing counted */
		s.value[0] = -1;
		assert_int_equal(tb_meter_time(&m, pairs[p], PASSES, &s), 0);
		assert_true(s.value[0] == 0 && s.counted[0] == 0);
		m.core.counters.ops->close(&m.core.counters);
		assert_int_equal(enabled, 0);
	}
}

/* What ran, in order: a letter per loop run, 'h' for the hook. */
static char trace[64];
static unsigned int ntrace;

static void mark(char c)
{
	if (ntrace < sizeof(trace) - 1)
		trace[ntrace++] = c;
}

static void hook(void *arg)
{
	assert_ptr_equal(arg, trace);
	mark('h');
}

#define TRACED(name, letter, factor)                               \
	static uint64_t name(uint64_t passes, uint64_t x)          \
	{                                                          \
		mark(letter);                                      \
		items(factor * passes * ITEMS);                    \
		return x;                                          \
	}
TRACED(case_one, 'c', 1)
TRACED(case_two, 'C', 2)
TRACED(base_one, 'b', 1)
TRACED(clock_one, 'k', 1)
TRACED(probe_one, 'p', 1)

/*
 * A case's batch: the hook, the case's pair and its baseline counted,
 * then the clock and the probe (doubled pairs) on the timer alone.
 */
static void test_batch(void **state)
{
	const struct tb_loop_pair lp = { case_one, case_two, ITEMS, 0 },
				  base = { base_one, NULL, ITEMS, 0 },
				  clock = { clock_one, NULL, ITEMS, 0 },
				  probe = { probe_one, NULL, ITEMS, 0 };
	const struct tb_batch_spec b = {
		.loops = &lp, .baseline = &base, .passes = PASSES,
		.clock = &clock, .probe = &probe,
		.clock_passes = 1, .probe_passes = 3,
		.before = hook, .arg = trace,
	};
	struct tb_raw_batch raw;
	struct tb_core c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.counters.ops = &standin_ops;
	c.counters.ops->open(&c.counters);
	ntrace = 0;
	assert_int_equal(tb_core_batch(&c, true, &b, &raw), 0);
	trace[ntrace] = '\0';
	print_message("batch: %s\n", trace);
	/* each counted pair runs on the timer, then under each group */
	assert_string_equal(trace, "h" "cCcCcC" "bbbbbb" "kk" "pp");
	for (int j = 0; j < 3; j++) {
		uint64_t f = j + 1;

		assert_true(raw.loops.count[0][j] == f * PASSES * ITEMS);
		assert_true(raw.loops.count[1][j] == 2 * f * PASSES * ITEMS);
		assert_true(raw.baseline.count[1][j] ==
			    2 * f * PASSES * ITEMS);
		assert_true(raw.clock.count[0][j] == 0 &&
			    raw.probe.count[1][j] == 0);
	}
	c.counters.ops->close(&c.counters);
}

/* The timer-only backend: no group, so nothing counted, ticks kept. */
static void test_timer_backend(void **state)
{
	struct tb_core c;
	struct tb_raw r;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.counters.ops = &tb_timer_counter_ops;
	assert_int_equal(c.counters.ops->open(&c.counters), 0);
	assert_int_equal(c.counters.ngroups, 0);
	assert_int_equal(tb_core_measure_on(&c, &doubled, PASSES, true,
					    fake_now, &r),
			 0);
	assert_true(r.ticks[0] == PASSES * ITEMS * TICKS_PER_ITEM);
	assert_true(r.ticks[1] == 2 * PASSES * ITEMS * TICKS_PER_ITEM);
	assert_true(r.total == r.ticks[0] + r.ticks[1]);
	assert_true(r.count[0][0] == 0 && r.count[1][0] == 0);
	assert_int_equal(c.counters.ops->enable(&c.counters, 0), -ENODEV);
	c.counters.ops->close(&c.counters);
}

/* The counter-group path: one page fault per item. */
static void test_group_path(void **state)
{
	struct tb_perf_counters pc;
	struct tb_disturb d;
	struct tb_event ev;
	struct tb_meter m;
	struct tb_sample s;
	int ret;

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.name, sizeof(ev.name), "page-faults");
	snprintf(ev.pmu, sizeof(ev.pmu), "perf");
	ev.attr.type = PERF_TYPE_SOFTWARE;
	ev.attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	/* through the core's counter backend, as the meter opens it */
	tb_perf_counters_init(&m.core.counters, &pc, &ev, 1, NULL,
			      TB_LEVEL_USER);
	ret = m.core.counters.ops->open(&m.core.counters);
	if (ret) {
		print_message("skip: no software events here: %s\n",
			      pc.set.msg);
		skip();
	}
	m.events[0] = ev;
	m.nevents = 1;
	m.counting = true;
	/* every try runs both loops twice (timer, then the group) */
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	npages = (size_t)TB_CORE_TRIES * 6 * PASSES * ITEMS;
	pages = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(pages != MAP_FAILED);
	/* one fault per page: no transparent huge pages */
	madvise(pages, npages * page_size, MADV_NOHUGEPAGE);
	next_page = pages;
	/*
	 * The meter redoes a batch that a switch or migration disturbed:
	 * stay on one CPU, and on a very busy machine try a few times.
	 */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	tb_disturb_open(&d);
	m.core.disturb_read = tb_disturb_hook;
	m.core.disturb_arg = &d;
	for (int t = 0; t < 5; t++) {
		next_page = pages;
		ret = tb_meter_measure_on(&m, &pair, PASSES, fake_now, &s);
		if (ret != -EAGAIN)
			break;
		munmap(pages, npages * page_size);
		pages = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			     0);
		assert_true(pages != MAP_FAILED);
		madvise(pages, npages * page_size, MADV_NOHUGEPAGE);
	}
	tb_disturb_close(&d);
	m.core.counters.ops->close(&m.core.counters);
	munmap(pages, npages * page_size);
	pages = NULL;
	assert_int_equal(ret, 0);
	print_message("group path: %.3f page faults per item (want 1), %.3f ticks\n",
		      s.value[0], s.ticks);
	/* a stray fault (a stack page) is 1/32: halving is not */
	assert_true(s.value[0] > 0.95 && s.value[0] < 1.05);
	assert_true(s.ticks == TICKS_PER_ITEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_item),
		cmocka_unit_test(test_timer_path),
		cmocka_unit_test(test_backend_path),
		cmocka_unit_test(test_timer_backend),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_group_path),
	};

	return cmocka_run_group_tests_name("meter", tests, NULL, NULL);
}
