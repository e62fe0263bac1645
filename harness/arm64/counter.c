// SPDX-License-Identifier: GPL-2.0
/*
 * arm64: a counter read from user space is mrs of PMEVCNTR<n>_EL0 or
 * PMCCNTR_EL0, allowed per event with attr.config1 bit 1 when
 * kernel.perf_user_access=1 (Linux Documentation/arch/arm64/perf.rst).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_model.h"
#include "harness_arch.h"
#include "perf_group.h"

/* attr.config1: bit 0 64-bit counter, bit 1 user access (83a7a4d643d3) */
#define ARM64_CONFIG1_LONG	(1ULL << 0)
#define ARM64_CONFIG1_RDPMC	(1ULL << 1)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const int tb_arch_read_path = TB_READ_MRS;

#define PMEV(n)								\
	case n:								\
		asm volatile("mrs %0, pmevcntr" #n "_el0" : "=r"(*v));	\
		return true
/* mrs names its register in the instruction: one case per counter */
bool tb_arch_read_counter(uint32_t idx, uint64_t *v)
{
	switch (idx) {
	PMEV(0);
	PMEV(1);
	PMEV(2);
	PMEV(3);
	PMEV(4);
	PMEV(5);
	PMEV(6);
	PMEV(7);
	PMEV(8);
	PMEV(9);
	PMEV(10);
	PMEV(11);
	PMEV(12);
	PMEV(13);
	PMEV(14);
	PMEV(15);
	PMEV(16);
	PMEV(17);
	PMEV(18);
	PMEV(19);
	PMEV(20);
	PMEV(21);
	PMEV(22);
	PMEV(23);
	PMEV(24);
	PMEV(25);
	PMEV(26);
	PMEV(27);
	PMEV(28);
	PMEV(29);
	PMEV(30);
	case 31:	/* the cycle counter (ARMV8_PMU_CYCLE_IDX) */
		asm volatile("mrs %0, pmccntr_el0" : "=r"(*v));
		return true;
	default:	/* e.g. 32, PMICNTR_EL0: leave it to read() */
		return false;
	}
}

static bool user_read_wanted(const struct tb_event *ev)
{
	char v[8];

	/* the Apple PMU has no user access; software events have no counter */
	if (!tb_event_is_hw(&ev->attr) || !strncmp(ev->pmu, "apple_", 6))
		return false;
	return !tb_read_line("", "/proc/sys/kernel/perf_user_access", v,
			     sizeof(v)) && atoi(v) == 1;
}

int tb_arch_open_user_readable(struct perf_event_attr *a,
			       const struct tb_event *ev, int group_fd)
{
	static const uint64_t tries[] = {
		ARM64_CONFIG1_RDPMC | ARM64_CONFIG1_LONG, ARM64_CONFIG1_RDPMC,
	};
	int fd = -1;

	if (!user_read_wanted(ev))
		return -1;
	/* a 64-bit counter if the PMU has one, else 32-bit */
	for (size_t t = 0; fd < 0 && t < ARRAY_SIZE(tries); t++) {
		a->config1 = ev->attr.config1 | tries[t];
		fd = tb_perf_event_open(a, group_fd);
	}
	if (fd < 0)
		a->config1 = ev->attr.config1;
	return fd;
}
