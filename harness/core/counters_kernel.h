/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's counter backend (counters_kernel.c): the kernel's perf
 * API.  Its state: the events asked for, by perf type and config, in
 * groups as user space splits them, and the CPU they count on.
 */
#ifndef TB_CORE_COUNTERS_KERNEL_H
#define TB_CORE_COUNTERS_KERNEL_H

#include "core/counters.h"

struct perf_event;

struct tb_kcounters {
	int cpu;
	int ngroups;
	int nr[TB_COUNTERS_MAX];
	uint32_t type[TB_COUNTERS_MAX];
	uint64_t config[TB_COUNTERS_MAX], config1[TB_COUNTERS_MAX];
	struct perf_event *ev[TB_COUNTERS_MAX];
	int failed; /* the event that did not open */
	uint64_t reads; /* a clock for the reads: enabled, running */
};

extern const struct tb_counter_ops tb_kernel_counter_ops;

#endif /* TB_CORE_COUNTERS_KERNEL_H */
