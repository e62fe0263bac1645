/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf_event_open() groups for the calling thread, read together.
 *
 * An event list is opened as one or more groups (leader + members, all
 * PERF_FORMAT_GROUP | ID | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING,
 * pid 0, cpu -1, user level only).  Groups are measured one after
 * another, never at once, so each has the counters to itself.
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
 */
#ifndef TB_PERF_GROUP_H
#define TB_PERF_GROUP_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pmu_events.h"

#define TB_GROUP_MAX 8		/* events per group */
#define TB_MAX_GROUPS TB_MAX_EVENTS
#define TB_PERF_MSG_MAX 320

/* Why perf_event_open() failed, and what the caller can do about it. */
enum tb_perf_error {
	TB_PERF_OK,
	TB_PERF_ERR_PERMISSION,	/* EACCES/EPERM: perf_event_paranoid */
	TB_PERF_ERR_NO_PMU,	/* no hardware PMU (a VM): timer mode */
	TB_PERF_ERR_NO_SYSCALL,	/* ENOSYS (qemu-user, seccomp): timer mode */
	TB_PERF_ERR_EVENT,	/* this PMU lacks the event */
	TB_PERF_ERR_BUSY,	/* the event never got a counter */
	TB_PERF_ERR_OTHER,
};

enum tb_read_path {
	TB_READ_SYSCALL,	/* read() on the group leader */
	TB_READ_RDPMC,		/* x86 rdpmc */
	TB_READ_MRS,		/* arm64 mrs of the counter register */
};

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
	enum tb_perf_error err;		/* of the last failure */
	int err_errno;
	char msg[TB_PERF_MSG_MAX];	/* one line, with the fix */
	char dropped[TB_PERF_MSG_MAX];	/* optional events left out */
};

/* Counter values of one group at one instant, in member order. */
struct tb_perf_sample {
	uint64_t time_enabled, time_running;
	uint64_t value[TB_GROUP_MAX];
	enum tb_read_path path;
};

/* What happened in one group between two samples. */
struct tb_perf_delta {
	uint64_t time_enabled, time_running;
	uint64_t value[TB_GROUP_MAX];
	bool multiplexed;		/* re-measure: values are partial */
	enum tb_read_path path;
};

/*
 * Classify errno @err from perf_event_open() of an event; @hw: the event
 * needs a PMU counter; @pmu_present: the probe tb_perf_pmu_present() of
 * the same PMU succeeded (ENOENT then means "no such event").
 */
enum tb_perf_error tb_perf_classify(int err, bool hw, bool pmu_present);
/* True where the caller can go on without counters (timer mode). */
bool tb_perf_timer_mode(enum tb_perf_error e);
/* Short name of a classification ("no-pmu", "permission", ...). */
const char *tb_perf_error_name(enum tb_perf_error e);

/*
 * One line for errno @err that says what to do.  @event (may be NULL)
 * and @hint (close names, may be NULL) are quoted for event errors;
 * EACCES/EPERM quotes /proc/sys/kernel/perf_event_paranoid.
 */
const char *tb_perf_strerror(int err, bool hw, bool pmu_present,
			     const char *event, const char *hint, char *buf,
			     size_t len);

/* Can a user-level hardware cycles event be opened here? */
bool tb_perf_pmu_present(void);

/* Name of a read path: "read", "rdpmc", "mrs". */
const char *tb_read_path_name(enum tb_read_path p);

/*
 * Open @evs as groups (see the top of this file).  Returns 0, or a
 * negative errno with set->err / set->msg explaining; nothing is left
 * open on failure.  @cpu, if not NULL, supplies close names in messages.
 */
int tb_perf_open(struct tb_perf_set *set, const struct tb_event *evs, int nr,
		 const struct tb_cpu_model *cpu);
void tb_perf_close(struct tb_perf_set *set);

/* ioctl on the whole group (PERF_IOC_FLAG_GROUP). */
int tb_perf_enable(struct tb_perf_group *g);
int tb_perf_disable(struct tb_perf_group *g);
int tb_perf_reset(struct tb_perf_group *g);

/* read() of the group: values and times together. */
int tb_perf_read(const struct tb_perf_group *g, struct tb_perf_sample *s);

/*
 * The change between two samples of a group of nr events; multiplexed
 * when the group ran for less time than it was enabled.
 */
void tb_perf_delta(const struct tb_perf_sample *begin,
		   const struct tb_perf_sample *end, int nr,
		   struct tb_perf_delta *d);

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
int tb_perf_begin(const struct tb_perf_group *g, struct tb_perf_sample *s);
int tb_perf_end(const struct tb_perf_group *g,
		const struct tb_perf_sample *begin, struct tb_perf_delta *d);

/*
 * Disturbance counters for CPU hygiene: context switches and CPU
 * migrations around a batch, to redo a disturbed one.  Software perf
 * events where allowed (they count in the kernel, so they need
 * perf_event_paranoid <= 1 or root); else getrusage(RUSAGE_THREAD)
 * voluntary + involuntary switches and a sched_getcpu() comparison,
 * which misses a migration that came back to the same CPU.
 */
enum tb_disturb_method {
	TB_DISTURB_PERF,
	TB_DISTURB_RUSAGE,
};

struct tb_disturb {
	enum tb_disturb_method method;
	int fd[2];			/* context-switches, cpu-migrations */
	char why[TB_PERF_MSG_MAX];	/* why the fallback was taken */
};

struct tb_disturb_sample {
	uint64_t switches, migrations;
	int cpu;
};

void tb_disturb_open(struct tb_disturb *d);
void tb_disturb_close(struct tb_disturb *d);
void tb_disturb_read(const struct tb_disturb *d, struct tb_disturb_sample *s);
/* Switches and migrations between @a and @b; true if any. */
bool tb_disturb_delta(const struct tb_disturb_sample *a,
		      const struct tb_disturb_sample *b, uint64_t *switches,
		      uint64_t *migrations);
/* "perf software events" or "getrusage + sched_getcpu" */
const char *tb_disturb_method_name(const struct tb_disturb *d);

#endif /* TB_PERF_GROUP_H */
