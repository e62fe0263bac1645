// SPDX-License-Identifier: GPL-2.0
/*
 * The meter's differencing with known loop counts: a loop pair whose
 * cost per item is known exactly, through the timer path (a stand-in
 * clock the loops advance) and the counter-group path (page faults, a
 * software event the loops cause one per item).  Per item must come out
 * as that cost, not half or twice it.
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

static uint64_t fake_clock;
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
		cmocka_unit_test(test_group_path),
	};

	return cmocka_run_group_tests_name("meter", tests, NULL, NULL);
}
