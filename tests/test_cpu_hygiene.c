// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_hygiene: pinning, the default CPU, governor warnings.
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
#include <cmocka.h>

#include "cpu_hygiene.h"
#include "cpu_model.h"
#include "tb_fixture.h"

static cpu_set_t saved;

static int save_affinity(void **state)
{
	(void)state;
	return sched_getaffinity(0, sizeof(saved), &saved);
}

static int restore_affinity(void **state)
{
	(void)state;
	return sched_setaffinity(0, sizeof(saved), &saved);
}

static void test_pin(void **state)
{
	char err[256];
	int cpu, last = -1;

	(void)state;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &saved))
			last = cpu;
	assert_true(last >= 0);
	assert_int_equal(tb_cpu_pin(last, err, sizeof(err)), 0);
	assert_int_equal(sched_getcpu(), last);

	/* back to the whole mask, then through the --cpu text form */
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
	snprintf(err, sizeof(err), "%d", last);
	assert_int_equal(tb_cpu_pin_arg(err, err, sizeof(err)), 0);
	assert_int_equal(sched_getcpu(), last);
}

static void test_pin_invalid(void **state)
{
	char err[256], list[128];
	cpu_set_t online;

	(void)state;
	assert_int_equal(tb_cpu_pin(4000, err, sizeof(err)), -EINVAL);
	print_message("%s\n", err);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "--cpu 4000"));
	/* the message names the CPUs that would do */
	assert_true(tb_cpus_online("", &online) > 0);
	CPU_AND(&online, &online, &saved);
	tb_cpulist_format(&online, list, sizeof(list));
	assert_non_null(strstr(err, "valid: "));
	assert_non_null(strstr(err, list));

	assert_int_equal(tb_cpu_pin(-1, err, sizeof(err)), -EINVAL);
	assert_int_equal(tb_cpu_pin_arg("abc", err, sizeof(err)), -EINVAL);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "not a CPU number"));
	assert_non_null(strstr(err, "valid: "));
	assert_int_equal(tb_cpu_pin_arg("", err, sizeof(err)), -EINVAL);
	assert_int_equal(tb_cpu_pin_arg("1x", err, sizeof(err)), -EINVAL);
}

static void test_governor(void **state)
{
	struct tb_hygiene h;
	char gov[32];

	(void)state;
	assert_int_equal(tb_cpu_governor(fixture("ampere-altra"), 1, gov,
					 sizeof(gov)), 0);
	assert_string_equal(gov, "schedutil");
	assert_int_equal(tb_hygiene_check(fixture("ampere-altra"), 1, &h), 1);
	print_message("%s\n", h.warn[0]);
	assert_non_null(strstr(h.warn[0], "'schedutil'"));
	assert_non_null(strstr(h.warn[0], "performance"));
	assert_null(strchr(h.warn[0], '\n'));

	assert_int_equal(tb_hygiene_check(fixture("ampereone"), 2, &h), 0);
	assert_string_equal(h.governor, "performance");

	/* no cpufreq, as in a VM */
	assert_int_equal(tb_cpu_governor(fixture("graviton2"), 0, gov,
					 sizeof(gov)), -ENOENT);
	assert_string_equal(gov, "unknown (no cpufreq)");
	assert_int_equal(tb_hygiene_check(fixture("graviton2"), 0, &h), 1);
	assert_string_equal(h.governor, "unknown (no cpufreq)");
	assert_non_null(strstr(h.warn[0], "no cpufreq"));

	/* the running system: whatever it is, it says so */
	tb_hygiene_check("", 0, &h);
	print_message("this machine, cpu0: governor %s, %d warning(s)\n",
		      h.governor, h.nr_warn);
	assert_true(h.governor[0] != '\0');
}

static void test_default_cpu(void **state)
{
	int cpu;

	(void)state;
	/* the last P-core, by cpu_capacity */
	assert_int_equal(tb_cpu_default(fixture("apple-m1")), 7);
	/* one core type: the last CPU, not CPU 0 */
	assert_int_equal(tb_cpu_default(fixture("graviton2")), 3);
	assert_int_equal(tb_cpu_default(fixture("x86-zen4")), 1);
	assert_true(tb_cpu_default("/nonexistent") < 0);

	cpu = tb_cpu_default("");
	print_message("default CPU here: %d\n", cpu);
	assert_true(cpu >= 0 && cpu < CPU_SETSIZE);
	assert_true(CPU_ISSET(cpu, &saved));
}

/*
 * /proc/stat before and after (tests/fixtures/load/: this VM's format,
 * with a third CPU and numbers chosen so the answer is known): cpu1 is
 * measured; cpu0 was busy 60 of 130 jiffies, cpu2 60 of 100 (10 more
 * waiting on I/O, which is idle); cpu1 lost 10 of 40 to the hypervisor.
 * The aggregate "cpu " line must not count.
 */
static void test_cpu_load(void **state)
{
	struct tb_cpu_load a, b;
	double busy, steal;

	(void)state;
	assert_int_equal(tb_cpu_load_read(fixture("load/before"), 1, &a), 0);
	assert_int_equal(tb_cpu_load_read(fixture("load/after"), 1, &b), 0);
	tb_cpu_load_delta(&a, &b, &busy, &steal);
	assert_float_equal(busy, 120.0 / 230.0, 1e-12);
	assert_float_equal(steal, 10.0 / 40.0, 1e-12);
	/* No time passed: no load, not a division by zero. */
	tb_cpu_load_delta(&a, &a, &busy, &steal);
	assert_float_equal(busy, 0, 0);
	assert_float_equal(steal, 0, 0);
	assert_int_equal(tb_cpu_load_read(fixture("no-such-machine"), 1, &a),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pin, save_affinity,
						restore_affinity),
		cmocka_unit_test_setup_teardown(test_pin_invalid, save_affinity,
						restore_affinity),
		cmocka_unit_test(test_governor),
		cmocka_unit_test(test_cpu_load),
		cmocka_unit_test_setup_teardown(test_default_cpu,
						save_affinity,
						restore_affinity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
