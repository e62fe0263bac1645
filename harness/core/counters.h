/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counter backend interface: how the measuring core reads counters
 * without knowing who provides them.  A backend opens its events as one
 * or more groups (each measured on its own, so each has the counters to
 * itself) and reads a group around a span of code.  Implementations:
 * tb_timer_counter_ops here (no counters: the timer alone),
 * perf_event_open() groups in user space (harness/perf_group.c), and, in
 * a kernel module, the kernel's perf API.  What a backend was asked to
 * count (its events) is given to it before open, in its own state.
 */
#ifndef TB_CORE_COUNTERS_H
#define TB_CORE_COUNTERS_H

#include "core/shim.h"

#define TB_GROUP_MAX 8 /* events per group */
#define TB_COUNTERS_MAX 32 /* events in all, and groups */

/*
 * The privilege levels counted, a mask: user space's loops count at
 * TB_LEVEL_USER, a module's at TB_LEVEL_KERNEL; the scheduler's software
 * events (context switches) count where the scheduler runs, both.
 */
enum tb_level {
	TB_LEVEL_USER = 1 << 0,
	TB_LEVEL_KERNEL = 1 << 1,
};

/* How a group's counters were read. */
enum tb_read_path {
	TB_READ_SYSCALL, /* read() on the group leader */
	TB_READ_RDPMC, /* x86 rdpmc */
	TB_READ_MRS, /* arm64 mrs of the counter register */
};

/*
 * A group's counters at one instant (begin), or what changed between two
 * instants (end): each member's count, in member order, and how long the
 * group was enabled and running.  A change whose group ran for less time
 * than it was enabled shared its counters (multiplexed): its values are
 * partial, never scaled, and the span is measured again.
 */
struct tb_counts {
	uint64_t time_enabled, time_running;
	uint64_t value[TB_GROUP_MAX];
	bool multiplexed;
	enum tb_read_path path;
};

struct tb_counters;

/* Each returns 0 or -errno; begin and end run inside the measured spans. */
struct tb_counter_ops {
	/* open the events (in ->state) at ->level: fills ngroups, nr[] */
	int (*open)(struct tb_counters *c);
	void (*close)(struct tb_counters *c);
	int (*enable)(struct tb_counters *c, int group);
	int (*disable)(struct tb_counters *c, int group);
	int (*begin)(struct tb_counters *c, int group, struct tb_counts *at);
	int (*end)(struct tb_counters *c, int group,
		   const struct tb_counts *begin, struct tb_counts *change);
};

struct tb_counters {
	const struct tb_counter_ops *ops;
	void *state; /* the backend's: its events, fds or perf_events */
	enum tb_level level; /* what to count, set before open */
	int ngroups; /* after open; 0: nothing counted, the timer alone */
	int nr[TB_COUNTERS_MAX]; /* events of each group */
	int nevents; /* in all: samples list them group by group */
};

/* No counters: open gives no group, so the core times with the timer. */
extern const struct tb_counter_ops tb_timer_counter_ops;

/*
 * The change from @begin to @end of a group of @nr events, flagged
 * multiplexed when it ran for less time than it was enabled; the path is
 * the syscall's unless both reads took the same one.
 */
void tb_counts_delta(const struct tb_counts *begin,
		     const struct tb_counts *end, int nr,
		     struct tb_counts *change);

#endif /* TB_CORE_COUNTERS_H */
