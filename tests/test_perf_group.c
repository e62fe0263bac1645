// SPDX-License-Identifier: GPL-2.0
/*
 * perf_group: groups of events, their reads, and the error messages.
 *
 * Natively (x86 VM, no hardware PMU) software events open and hardware
 * events give "no PMU"; under qemu-user perf_event_open is ENOSYS.  A
 * host with a PMU opens hardware events too: the tests accept each of
 * these and check that the classification matches what happened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "cpu_model.h"
#include "disturb.h"
#include "perf_group.h"
#include "pmu_events.h"

static struct tb_perf_set set;	/* large: keep it off the stack */

static void busy(void)
{
	volatile unsigned long i;

	for (i = 0; i < 3000000; i++)
		;
}

static int encode(const char *list, struct tb_event *evs)
{
	struct tb_cpu_model m;
	char err[256];
	int n;

	tb_cpu_model_unknown(&m);
	n = tb_events_encode(&m, list, evs, TB_MAX_EVENTS, err, sizeof(err));
	if (n < 0)
		fail_msg("%s", err);
	return n;
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(tb_perf_classify(0, true, true), TB_PERF_OK);
	assert_int_equal(tb_perf_classify(EACCES, true, true),
			 TB_PERF_ERR_PERMISSION);
	assert_int_equal(tb_perf_classify(EPERM, false, false),
			 TB_PERF_ERR_PERMISSION);
	/* ENOENT for a hardware event: no PMU, unless a probe found one */
	assert_int_equal(tb_perf_classify(ENOENT, true, false),
			 TB_PERF_ERR_NO_PMU);
	assert_int_equal(tb_perf_classify(EOPNOTSUPP, true, false),
			 TB_PERF_ERR_NO_PMU);
	assert_int_equal(tb_perf_classify(ENOENT, true, true),
			 TB_PERF_ERR_EVENT);
	assert_int_equal(tb_perf_classify(ENOENT, false, false),
			 TB_PERF_ERR_EVENT);
	assert_int_equal(tb_perf_classify(EINVAL, true, true),
			 TB_PERF_ERR_EVENT);
	assert_int_equal(tb_perf_classify(ENOSYS, true, false),
			 TB_PERF_ERR_NO_SYSCALL);
	assert_int_equal(tb_perf_classify(EBUSY, true, true),
			 TB_PERF_ERR_BUSY);
	assert_int_equal(tb_perf_classify(EMFILE, true, true),
			 TB_PERF_ERR_OTHER);

	assert_true(tb_perf_timer_mode(TB_PERF_ERR_NO_PMU));
	assert_true(tb_perf_timer_mode(TB_PERF_ERR_NO_SYSCALL));
	assert_false(tb_perf_timer_mode(TB_PERF_ERR_PERMISSION));
	assert_false(tb_perf_timer_mode(TB_PERF_ERR_EVENT));
	assert_string_equal(tb_perf_error_name(TB_PERF_ERR_NO_PMU), "no-pmu");
}

static void one_line(const char *msg)
{
	print_message("%s\n", msg);
	assert_null(strchr(msg, '\n'));
	assert_true(strlen(msg) > 20);
}

static void test_messages(void **state)
{
	char buf[TB_PERF_MSG_MAX], level[32], want[64];

	(void)state;
	tb_perf_strerror(EACCES, true, true, "cycles", NULL, buf, sizeof(buf));
	one_line(buf);
	assert_int_equal(tb_read_line("",
				      "/proc/sys/kernel/perf_event_paranoid",
				      level, sizeof(level)), 0);
	snprintf(want, sizeof(want), "perf_event_paranoid is %s", level);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "sysctl kernel.perf_event_paranoid=1"));
	assert_non_null(strstr(buf, "root"));

	tb_perf_strerror(ENOENT, true, false, "cycles", NULL, buf,
			 sizeof(buf));
	one_line(buf);
	assert_non_null(strstr(buf, "no hardware PMU"));
	assert_non_null(strstr(buf, "timer mode"));

	tb_perf_strerror(ENOSYS, true, false, "cycles", NULL, buf,
			 sizeof(buf));
	one_line(buf);
	assert_non_null(strstr(buf, "not available"));
	assert_non_null(strstr(buf, "qemu-user"));
	assert_non_null(strstr(buf, "timer mode"));

	tb_perf_strerror(EINVAL, true, true, "BR_MIS_PREDX",
			 "BR_MIS_PRED, BR_MIS_PRED_RETIRED", buf, sizeof(buf));
	one_line(buf);
	assert_non_null(strstr(buf, "this PMU lacks event BR_MIS_PREDX"));
	assert_non_null(strstr(buf, "close names: BR_MIS_PRED, "));

	tb_perf_strerror(ENOENT, true, true, "STALL_SLOT", NULL, buf,
			 sizeof(buf));
	one_line(buf);
	assert_non_null(strstr(buf, "lacks event STALL_SLOT"));

	tb_perf_strerror(EBUSY, true, true, "cycles", NULL, buf, sizeof(buf));
	one_line(buf);
	assert_non_null(strstr(buf, "nmi_watchdog"));

	assert_string_equal(tb_read_path_name(TB_READ_SYSCALL), "read");
	assert_string_equal(tb_read_path_name(TB_READ_RDPMC), "rdpmc");
	assert_string_equal(tb_read_path_name(TB_READ_MRS), "mrs");
}

static void test_software_group(void **state)
{
	struct tb_event evs[TB_MAX_EVENTS];
	struct tb_counts b, d;
	int n, ret;

	(void)state;
	n = encode("task-clock,context-switches,cpu-migrations", evs);
	assert_int_equal(n, 3);
	ret = tb_perf_open(&set, evs, n, NULL, TB_LEVEL_USER);
	if (ret) {
		one_line(set.msg);
		/* only an emulator or seccomp stops software events */
		assert_int_equal(ret, -ENOSYS);
		assert_int_equal(set.err, TB_PERF_ERR_NO_SYSCALL);
		assert_true(tb_perf_timer_mode(set.err));
		assert_non_null(strstr(set.msg, "not available"));
		assert_int_equal(set.nr_groups, 0);
		return;
	}
	assert_int_equal(set.nr_groups, 1);
	assert_int_equal(set.g[0].nr, 3);
	assert_string_equal(set.g[0].m[0].ev.name, "task-clock");
	assert_int_equal(tb_perf_enable(&set.g[0]), 0);
	assert_int_equal(tb_perf_begin(&set.g[0], &b), 0);
	busy();
	assert_int_equal(tb_perf_end(&set.g[0], &b, &d), 0);
	assert_int_equal(tb_perf_disable(&set.g[0]), 0);
	print_message("task-clock %llu ns, %llu switches, %llu migrations, enabled %llu running %llu, via %s\n",
		      (unsigned long long)d.value[0],
		      (unsigned long long)d.value[1],
		      (unsigned long long)d.value[2],
		      (unsigned long long)d.time_enabled,
		      (unsigned long long)d.time_running,
		      tb_read_path_name(d.path));
	assert_true(d.value[0] > 0);
	assert_true(d.time_enabled > 0);
	assert_true(d.time_enabled == d.time_running);
	assert_false(d.multiplexed);
	/* software events have no counter to read in user space */
	assert_int_equal(d.path, TB_READ_SYSCALL);
	assert_int_equal(tb_perf_reset(&set.g[0]), 0);
	tb_perf_close(&set);
	assert_int_equal(set.nr_groups, 0);
}

/* More events than a group holds: split into groups read one by one. */
static void test_split(void **state)
{
	struct tb_event evs[TB_MAX_EVENTS];
	struct tb_counts b, d;
	int n, i;

	(void)state;
	n = encode("task-clock,cs,migrations,page-faults,minor-faults,"
		   "major-faults,cpu-clock,task-clock,context-switches,"
		   "cpu-migrations", evs);
	assert_int_equal(n, 10);
	if (tb_perf_open(&set, evs, n, NULL, TB_LEVEL_USER)) {
		assert_int_equal(set.err, TB_PERF_ERR_NO_SYSCALL);
		return;
	}
	assert_int_equal(set.nr_groups, 2);
	assert_int_equal(set.g[0].nr, TB_GROUP_MAX);
	assert_int_equal(set.g[1].nr, n - TB_GROUP_MAX);
	assert_string_equal(set.g[1].m[0].ev.name, "context-switches");
	for (i = 0; i < set.nr_groups; i++) {
		assert_int_equal(tb_perf_enable(&set.g[i]), 0);
		assert_int_equal(tb_perf_begin(&set.g[i], &b), 0);
		busy();
		assert_int_equal(tb_perf_end(&set.g[i], &b, &d), 0);
		assert_int_equal(tb_perf_disable(&set.g[i]), 0);
		assert_false(d.multiplexed);
		assert_true(d.time_running > 0);
	}
	tb_perf_close(&set);
}

/* A hardware event opens (a PMU), or fails with a matching class. */
static void test_hardware_event(void **state)
{
	struct tb_event evs[TB_MAX_EVENTS];
	struct tb_counts b, d;
	bool present = tb_perf_pmu_present(TB_LEVEL_USER);
	int n, ret;

	(void)state;
	n = encode("cycles", evs);
	ret = tb_perf_open(&set, evs, n, NULL, TB_LEVEL_USER);
	print_message("cycles: %s (%s)\n", ret ? set.msg : "opened",
		      tb_perf_error_name(set.err));
	if (ret) {
		one_line(set.msg);
		assert_int_equal(set.err_errno, -ret);
		assert_int_equal(set.err,
				 tb_perf_classify(-ret, true, present));
		assert_false(present);
		assert_true(set.err == TB_PERF_ERR_NO_PMU ||
			    set.err == TB_PERF_ERR_NO_SYSCALL ||
			    set.err == TB_PERF_ERR_PERMISSION);
		if (set.err == TB_PERF_ERR_NO_PMU)
			assert_true(ret == -ENOENT || ret == -EOPNOTSUPP ||
				    ret == -ENODEV);
		if (set.err == TB_PERF_ERR_NO_SYSCALL)
			assert_int_equal(ret, -ENOSYS);
		return;
	}
	assert_true(present);
	assert_int_equal(tb_perf_enable(&set.g[0]), 0);
	assert_int_equal(tb_perf_begin(&set.g[0], &b), 0);
	busy();
	assert_int_equal(tb_perf_end(&set.g[0], &b, &d), 0);
	tb_perf_disable(&set.g[0]);
	print_message("cycles %llu via %s%s\n", (unsigned long long)d.value[0],
		      tb_read_path_name(d.path),
		      d.multiplexed ? " (multiplexed)" : "");
	if (!d.multiplexed)
		assert_true(d.value[0] > 0);
	tb_perf_close(&set);
}

/* An optional event the machine lacks is dropped, not fatal. */
static void test_optional_dropped(void **state)
{
	struct tb_event evs[TB_MAX_EVENTS];
	int n, ret;

	(void)state;
	n = encode("task-clock,cycles?", evs);
	assert_int_equal(n, 2);
	ret = tb_perf_open(&set, evs, n, NULL, TB_LEVEL_USER);
	if (ret) {
		assert_int_equal(set.err, TB_PERF_ERR_NO_SYSCALL);
		return;
	}
	if (tb_perf_pmu_present(TB_LEVEL_USER)) {
		assert_string_equal(set.dropped, "");
	} else {
		print_message("dropped: %s\n", set.dropped);
		assert_string_equal(set.dropped, "cycles");
		assert_int_equal(set.nr_groups, 1);
		assert_int_equal(set.g[0].nr, 1);
	}
	tb_perf_close(&set);
}

static void test_disturbance(void **state)
{
	struct tb_disturb d;
	struct tb_disturb_sample a, b;
	uint64_t sw = 0, mig = 0;
	int i;

	(void)state;
	tb_disturb_open(&d);
	print_message("disturbance counters: %s%s%s\n",
		      tb_disturb_method_name(&d), d.why[0] ? ": " : "", d.why);
	if (d.method == TB_DISTURB_RUSAGE) {
		/* say why: ENOSYS under qemu, or the paranoid level */
		one_line(d.why);
	} else {
		assert_string_equal(tb_disturb_method_name(&d),
				    "perf software events");
	}
	tb_disturb_read(&d, &a);
	assert_true(a.cpu >= 0);
	/* each sleep is a switch, whatever else runs */
	for (i = 0; i < 20; i++)
		nanosleep(&(struct timespec){ 0, 100000 }, NULL);
	busy();
	tb_disturb_read(&d, &b);
	tb_disturb_delta(&a, &b, &sw, &mig);
	print_message("%llu switches (20 sleeps), %llu migrations\n",
		      (unsigned long long)sw, (unsigned long long)mig);
	/* a few preemptions more on a busy machine, never hundreds */
	assert_true(sw >= 20 && sw <= 200);
	assert_true(mig <= sw);

	/* the CPU number alone shows a move */
	b = a;
	b.cpu = a.cpu + 1;
	assert_true(tb_disturb_delta(&a, &b, &sw, &mig));
	assert_true(sw == 0 && mig == 1);
	b = a;
	assert_false(tb_disturb_delta(&a, &b, NULL, NULL));
	tb_disturb_close(&d);
}

/*
 * The user-space read path (rdpmc, mrs) cannot run without a PMU: stand in
 * for the instruction and check what is built around it, on a page laid
 * out as the kernel fills it.
 */
static struct perf_event_mmap_page fake_page;
static uint64_t fake_raw;
static int fake_reads, fake_bump_on;
static uint32_t fake_idx;

static bool fake_counter(uint32_t idx, uint64_t *v)
{
	fake_idx = idx;
	*v = fake_raw;
	/* A concurrent update of the page: the seqlock must retry. */
	if (++fake_reads == fake_bump_on) {
		fake_page.lock += 2;
		fake_page.offset += 100;
	}
	return true;
}

static void test_user_read(void **state)
{
	uint64_t v;

	(void)state;
	memset(&fake_page, 0, sizeof(fake_page));
	fake_page.cap_user_rdpmc = 1;
	fake_page.index = 4; /* counter 3, plus one */
	fake_page.offset = 1000;
	fake_page.pmc_width = 48;
	fake_page.lock = 2;

	fake_raw = 0x0000000000000123; /* positive in 48 bits */
	fake_reads = 0;
	fake_bump_on = 0;
	assert_true(tb_perf_user_read(&fake_page, fake_counter, &v));
	assert_int_equal(fake_idx, 3);
	assert_int_equal(v, 1000 + 0x123);

	fake_raw = 0x0000fffffffffff0; /* -16 in 48 bits: sign-extended */
	assert_true(tb_perf_user_read(&fake_page, fake_counter, &v));
	assert_int_equal(v, 1000 - 16);

	fake_raw = 5;
	fake_reads = 0;
	fake_bump_on = 1; /* the first try races with an update */
	assert_true(tb_perf_user_read(&fake_page, fake_counter, &v));
	assert_int_equal(fake_reads, 2);
	assert_int_equal(v, 1100 + 5);

	fake_page.index = 0; /* not on a counter now: fall back to read() */
	assert_false(tb_perf_user_read(&fake_page, fake_counter, &v));
	fake_page.index = 4;
	fake_page.cap_user_rdpmc = 0; /* the kernel refuses user access */
	assert_false(tb_perf_user_read(&fake_page, fake_counter, &v));
}

/* A group that lost its counter for part of a batch is flagged, not scaled. */
static void test_multiplexed_flag(void **state)
{
	struct tb_counts a = { .time_enabled = 1000, .time_running = 1000,
				    .value = { 10, 20 } };
	struct tb_counts b = { .time_enabled = 3000, .time_running = 3000,
				    .value = { 110, 220 } };
	struct tb_counts d;

	(void)state;
	tb_counts_delta(&a, &b, 2, &d);
	assert_false(d.multiplexed);
	assert_int_equal(d.value[0], 100);
	assert_int_equal(d.value[1], 200);
	b.time_running = 2500; /* descheduled for 500 ns of the 2000 */
	tb_counts_delta(&a, &b, 2, &d);
	assert_true(d.multiplexed);
	assert_int_equal(d.value[0], 100); /* raw, never scaled up */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_software_group),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_hardware_event),
		cmocka_unit_test(test_optional_dropped),
		cmocka_unit_test(test_disturbance),
		cmocka_unit_test(test_user_read),
		cmocka_unit_test(test_multiplexed_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
