/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf_event_open() groups for the calling thread, read together.
 *
 * An event list is opened as one or more groups (leader + members, all
 * PERF_FORMAT_GROUP | ID | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING,
 * pid 0, cpu -1, at the privilege levels asked for: enum tb_level).
 * Groups are measured one after another, never at once, so each has the
 * counters to itself.
 *
 * Splitting: events are added to the current group in list order until
 * it holds TB_GROUP_MAX events or the kernel refuses a member (PMU
 * drivers validate that a group fits their counters at open time); the
 * refused event then leads a new group.  Some limits only show when the
 * group is scheduled (a counter held by the NMI watchdog or another
 * user), so each new hardware group is test-enabled once: if it never
 * ran (time_running == 0) it is split in two and tried again.
 *
 * Multiplexing: a batch whose time_running differs from time_enabled
 * shared the counters with someone else.  Values are never scaled: the
 * batch is flagged multiplexed and the caller measures it again.
 *
 * Reads: where the kernel allows it (cap_user_rdpmc and a counter index
 * on the perf mmap page), counters are read in user space with the
 * page's seqlock: rdpmc on x86, mrs of PMEVCNTR<n>_EL0 / PMCCNTR_EL0 on
 * arm64 (attr.config1 bit 1; sysctl kernel.perf_user_access=1).
 * Otherwise read() on the leader.  The path used is reported.
 *
 * The groups are the user-space counter backend of the measuring core
 * (tb_perf_counter_ops, core/counters.h).
 */
#ifndef TB_PERF_GROUP_H
#define TB_PERF_GROUP_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/counters.h"
#include "perf_error.h"
#include "pmu_events.h"

/* TB_GROUP_MAX events per group: core/counters.h */
#define TB_MAX_GROUPS TB_MAX_EVENTS

struct tb_perf_member {
	struct tb_event ev;
	int fd;
	uint64_t id;
	struct perf_event_mmap_page *page;	/* NULL if not mapped */
};

struct tb_perf_group {
	int nr;
	struct tb_perf_member m[TB_GROUP_MAX];
	enum tb_read_path path;		/* best path all members allow */
};

struct tb_perf_set {
	int nr_groups;
	struct tb_perf_group g[TB_MAX_GROUPS];
	enum tb_level level;		/* what the events count */
	enum tb_perf_error err;		/* of the last failure */
	int err_errno;
	char msg[TB_PERF_MSG_MAX];	/* one line, with the fix */
	char dropped[TB_PERF_MSG_MAX];	/* optional events left out */
};

/*
 * perf_event_open() for the calling thread on any CPU, close-on-exec;
 * the fd, or -1 with errno set.
 */
int tb_perf_event_open(struct perf_event_attr *attr, int group_fd);

/*
 * Set @a's exclude_* bits to count at @level only (exclude_hv always:
 * no hypervisor is ours to count).
 */
void tb_perf_attr_level(struct perf_event_attr *a, enum tb_level level);

/* Can a hardware cycles event be opened here, at @level? */
bool tb_perf_pmu_present(enum tb_level level);

/* Name of a read path: "read", "rdpmc", "mrs". */
const char *tb_read_path_name(enum tb_read_path p);

/*
 * Open @evs as groups (see the top of this file), counting at @level.
 * Returns 0, or a negative errno with set->err / set->msg explaining;
 * nothing is left open on failure.  @cpu, if not NULL, supplies close
 * names in messages.
 */
int tb_perf_open(struct tb_perf_set *set, const struct tb_event *evs, int nr,
		 const struct tb_cpu_model *cpu, enum tb_level level);
void tb_perf_close(struct tb_perf_set *set);

/* ioctl on the whole group (PERF_IOC_FLAG_GROUP). */
int tb_perf_enable(struct tb_perf_group *g);
int tb_perf_disable(struct tb_perf_group *g);
int tb_perf_reset(struct tb_perf_group *g);

/* read() of the group: values and times together. */
int tb_perf_read(const struct tb_perf_group *g, struct tb_counts *s);

/*
 * One counter read from user space through its perf mmap page, under the
 * page's seqlock, with read() the instruction that reads counter idx
 * (rdpmc, mrs): offset plus the sign-extended pmc_width bits.  False when
 * the page offers no user access.  Exposed so tests can stand in for the
 * instruction on machines without a PMU.
 */
bool tb_perf_user_read(const struct perf_event_mmap_page *pc,
		       bool (*read)(uint32_t idx, uint64_t *v), uint64_t *out);

/*
 * Around a batch of an enabled group: begin reads times, then values
 * (user space when possible); end reads values first, then times, and
 * fills @d, flagging multiplexing.
 */
int tb_perf_begin(const struct tb_perf_group *g, struct tb_counts *s);
int tb_perf_end(const struct tb_perf_group *g, const struct tb_counts *begin,
		struct tb_counts *d);

/*
 * The groups as the core's counter backend: @pc holds the set and what
 * it is to open (@evs, kept, not copied; @cpu for messages, may be
 * NULL); @c is made to use it, at @level.  Then c->ops->open(c), and
 * pc->set says why if it fails.
 */
struct tb_perf_counters {
	struct tb_perf_set set;
	const struct tb_event *evs;
	int nr;
	const struct tb_cpu_model *cpu;
};

extern const struct tb_counter_ops tb_perf_counter_ops;

void tb_perf_counters_init(struct tb_counters *c, struct tb_perf_counters *pc,
			   const struct tb_event *evs, int nr,
			   const struct tb_cpu_model *cpu, enum tb_level level);

#endif /* TB_PERF_GROUP_H */
