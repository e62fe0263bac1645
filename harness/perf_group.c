// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event_open() groups, their reads, and the errors a user can act on.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu_model.h"
#include "perf_group.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define READ_FORMAT							\
	(PERF_FORMAT_GROUP | PERF_FORMAT_ID |				\
	 PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING)

/* arm64 attr.config1: bit 0 64-bit counter, bit 1 user access */
/* (Linux Documentation/arch/arm64/perf.rst; commit 83a7a4d643d3) */
#define ARM64_CONFIG1_LONG	(1ULL << 0)
#define ARM64_CONFIG1_RDPMC	(1ULL << 1)

/* read_format GROUP | ID | TOTAL_TIME_*: include/uapi/linux/perf_event.h */
struct group_read {
	uint64_t nr;
	uint64_t time_enabled;
	uint64_t time_running;
	struct {
		uint64_t value;
		uint64_t id;
	} v[TB_GROUP_MAX];
};

static int sys_perf_event_open(struct perf_event_attr *attr, int group_fd)
{
	/* the calling thread, on whatever CPU it runs */
	return (int)syscall(SYS_perf_event_open, attr, 0, -1, group_fd,
			    PERF_FLAG_FD_CLOEXEC);
}

/* ---- errors ----------------------------------------------------------- */

enum tb_perf_error tb_perf_classify(int err, bool hw, bool pmu_present)
{
	switch (err) {
	case 0:
		return TB_PERF_OK;
	case EACCES:
	case EPERM:
		return TB_PERF_ERR_PERMISSION;
	case ENOSYS:
		return TB_PERF_ERR_NO_SYSCALL;
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return hw && !pmu_present ? TB_PERF_ERR_NO_PMU :
					    TB_PERF_ERR_EVENT;
	case EINVAL:
		return TB_PERF_ERR_EVENT;
	case EBUSY:
	case ENOSPC:
		return TB_PERF_ERR_BUSY;
	default:
		return TB_PERF_ERR_OTHER;
	}
}

bool tb_perf_timer_mode(enum tb_perf_error e)
{
	return e == TB_PERF_ERR_NO_PMU || e == TB_PERF_ERR_NO_SYSCALL;
}

const char *tb_perf_error_name(enum tb_perf_error e)
{
	static const char *const names[] = {
		[TB_PERF_OK] = "ok",
		[TB_PERF_ERR_PERMISSION] = "permission",
		[TB_PERF_ERR_NO_PMU] = "no-pmu",
		[TB_PERF_ERR_NO_SYSCALL] = "no-syscall",
		[TB_PERF_ERR_EVENT] = "no-event",
		[TB_PERF_ERR_BUSY] = "busy",
		[TB_PERF_ERR_OTHER] = "other",
	};

	return (unsigned int)e < ARRAY_SIZE(names) ? names[e] : "?";
}

/* "ENOENT" rather than a sentence: the message has one already */
static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : strerror(err);
}

const char *tb_perf_strerror(int err, bool hw, bool pmu_present,
			     const char *event, const char *hint, char *buf,
			     size_t len)
{
	char level[32];
	const char *ev = event ? event : "?";

	switch (tb_perf_classify(err, hw, pmu_present)) {
	case TB_PERF_OK:
		snprintf(buf, len, "ok");
		break;
	case TB_PERF_ERR_PERMISSION:
		if (tb_read_line("", "/proc/sys/kernel/perf_event_paranoid",
				 level, sizeof(level)))
			snprintf(level, sizeof(level), "unknown");
		snprintf(buf, len,
			 "perf_event_paranoid is %s: run `sysctl kernel.perf_event_paranoid=1` (or run as root)",
			 level);
		break;
	case TB_PERF_ERR_NO_PMU:
		snprintf(buf, len,
			 "no hardware PMU (%s; e.g. a VM without a virtual PMU): no hardware counters, timer mode only",
			 errno_name(err));
		break;
	case TB_PERF_ERR_NO_SYSCALL:
		snprintf(buf, len,
			 "perf_event_open is not available (ENOSYS: an emulator such as qemu-user, or seccomp): timer mode only");
		break;
	case TB_PERF_ERR_EVENT:
		if (!hint)
			hint = "";
		snprintf(buf, len, "this PMU lacks event %s (%s)%s%s", ev,
			 errno_name(err), *hint ? "; close names: " : "", hint);
		break;
	case TB_PERF_ERR_BUSY:
		snprintf(buf, len,
			 "event %s never got a counter: all busy (NMI watchdog or another perf user? try `sysctl kernel.nmi_watchdog=0`)",
			 ev);
		break;
	default:
		snprintf(buf, len, "perf_event_open of %s: %s (%s)", ev,
			 strerror(err), errno_name(err));
		break;
	}
	return buf;
}

bool tb_perf_pmu_present(void)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_CPU_CYCLES;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	fd = sys_perf_event_open(&a, -1);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

const char *tb_read_path_name(enum tb_read_path p)
{
	switch (p) {
	case TB_READ_RDPMC:
		return "rdpmc";
	case TB_READ_MRS:
		return "mrs";
	default:
		return "read";
	}
}

/* ---- user-space counter reads ----------------------------------------- */

#if defined(__x86_64__)
#define USER_PATH TB_READ_RDPMC
static bool read_counter(uint32_t idx, uint64_t *v)
{
	uint32_t lo, hi;

	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(idx));
	*v = (uint64_t)hi << 32 | lo;
	return true;
}
#elif defined(__aarch64__)
#define USER_PATH TB_READ_MRS
#define PMEV(n)								\
	case n:								\
		asm volatile("mrs %0, pmevcntr" #n "_el0" : "=r"(*v));	\
		return true
/* mrs names its register in the instruction: one case per counter */
static bool read_counter(uint32_t idx, uint64_t *v)
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
#else
#define USER_PATH TB_READ_SYSCALL
static bool read_counter(uint32_t idx, uint64_t *v)
{
	(void)idx;
	(void)v;
	return false;
}
#endif

#define barrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)

/*
 * One counter through its mmap page, under the page's seqlock; the
 * sequence after Linux tools/lib/perf/mmap.c perf_mmap__read_self().
 */
bool tb_perf_user_read(const struct perf_event_mmap_page *pc,
		       bool (*read)(uint32_t idx, uint64_t *v), uint64_t *out)
{
	uint32_t seq, idx;
	uint64_t count, raw;
	unsigned int width;

	if (!pc)
		return false;
	do {
		seq = __atomic_load_n(&pc->lock, __ATOMIC_RELAXED);
		barrier();
		idx = __atomic_load_n(&pc->index, __ATOMIC_RELAXED);
		count = __atomic_load_n(&pc->offset, __ATOMIC_RELAXED);
		if (!pc->cap_user_rdpmc || !idx)
			return false;
		if (!read(idx - 1, &raw))
			return false;
		width = pc->pmc_width;
		if (width && width < 64) {
			/* sign-extend the counter's valid bits */
			raw <<= 64 - width;
			raw = (uint64_t)((int64_t)raw >> (64 - width));
		}
		count += raw;
		barrier();
	} while (__atomic_load_n(&pc->lock, __ATOMIC_RELAXED) != seq);
	*out = count;
	return true;
}

static bool user_read_all(const struct tb_perf_group *g, uint64_t *v)
{
	int i;

	if (g->path == TB_READ_SYSCALL)
		return false;
	for (i = 0; i < g->nr; i++)
		if (!tb_perf_user_read(g->m[i].page, read_counter, &v[i]))
			return false;
	return true;
}

/* ---- groups ----------------------------------------------------------- */

static bool arm64_user_read_wanted(const struct tb_event *ev)
{
#if defined(__aarch64__)
	char v[8];

	/* the Apple PMU has no user access; software events have no counter */
	if (!tb_event_is_hw(&ev->attr) || !strncmp(ev->pmu, "apple_", 6))
		return false;
	return !tb_read_line("", "/proc/sys/kernel/perf_user_access", v,
			     sizeof(v)) && atoi(v) == 1;
#else
	(void)ev;
	return false;
#endif
}

static int open_member(struct tb_perf_member *mb, const struct tb_event *ev,
		       int group_fd)
{
	static const uint64_t arm_tries[] = {
		ARM64_CONFIG1_RDPMC | ARM64_CONFIG1_LONG, ARM64_CONFIG1_RDPMC,
	};
	struct perf_event_attr a = ev->attr;
	size_t t;
	int fd = -1;

	a.size = sizeof(a);
	a.disabled = group_fd == -1;	/* members follow their leader */
	a.read_format = READ_FORMAT;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.inherit = 0;
	a.pinned = 0;
	if (arm64_user_read_wanted(ev)) {
		/* a 64-bit counter if the PMU has one, else 32-bit */
		for (t = 0; fd < 0 && t < ARRAY_SIZE(arm_tries); t++) {
			a.config1 = ev->attr.config1 | arm_tries[t];
			fd = sys_perf_event_open(&a, group_fd);
		}
		if (fd < 0)
			a.config1 = ev->attr.config1;
	}
	if (fd < 0)
		fd = sys_perf_event_open(&a, group_fd);
	if (fd < 0)
		return -errno;
	mb->ev = *ev;
	mb->ev.attr = a;
	mb->fd = fd;
	mb->page = NULL;
	mb->id = 0;
	if (ioctl(fd, PERF_EVENT_IOC_ID, &mb->id) < 0) {
		int err = errno;

		close(fd);
		mb->fd = -1;
		return -err;
	}
	return 0;
}

static void close_group(struct tb_perf_group *g)
{
	long page = sysconf(_SC_PAGESIZE);
	int i;

	/* members before the leader */
	for (i = g->nr - 1; i >= 0; i--) {
		if (g->m[i].page)
			munmap(g->m[i].page, (size_t)page);
		if (g->m[i].fd >= 0)
			close(g->m[i].fd);
		g->m[i].page = NULL;
		g->m[i].fd = -1;
	}
	g->nr = 0;
}

void tb_perf_close(struct tb_perf_set *set)
{
	int i;

	for (i = 0; i < set->nr_groups; i++)
		close_group(&set->g[i]);
	set->nr_groups = 0;
}

static bool group_is_hw(const struct tb_perf_group *g)
{
	int i;

	for (i = 0; i < g->nr; i++)
		if (tb_event_is_hw(&g->m[i].ev.attr))
			return true;
	return false;
}

static void set_error(struct tb_perf_set *set, int err,
		      const struct tb_event *ev,
		      const struct tb_cpu_model *cpu)
{
	bool hw = tb_event_is_hw(&ev->attr);
	bool present = false;
	char hint[200] = "";

	if (hw && (err == ENOENT || err == EOPNOTSUPP || err == ENODEV))
		present = tb_perf_pmu_present();
	set->err = tb_perf_classify(err, hw, present);
	set->err_errno = err;
	if (set->err == TB_PERF_ERR_EVENT)
		tb_event_suggest(cpu, ev->pmu, ev->name, hint, sizeof(hint));
	tb_perf_strerror(err, hw, present, ev->name, hint, set->msg,
			 sizeof(set->msg));
}

static void note_dropped(struct tb_perf_set *set, const char *name)
{
	size_t off = strlen(set->dropped);

	snprintf(set->dropped + off, sizeof(set->dropped) - off, "%s%s",
		 off ? ", " : "", name);
}

/* Spin a little with the group enabled: did it get its counters? */
static bool group_runs(struct tb_perf_group *g)
{
	struct tb_perf_sample s;
	volatile unsigned long spin;
	bool user = false;
	uint64_t v[TB_GROUP_MAX];

	tb_perf_reset(g);
	tb_perf_enable(g);
	for (spin = 0; spin < 200000; spin++)
		;
	if (g->path != TB_READ_SYSCALL)
		user = user_read_all(g, v);
	tb_perf_disable(g);
	if (tb_perf_read(g, &s))
		return false;
	if (!user)
		g->path = TB_READ_SYSCALL;
	tb_perf_reset(g);
	return !(s.time_enabled && !s.time_running);
}

static void map_pages(struct tb_perf_group *g)
{
	long page = sysconf(_SC_PAGESIZE);
	int i;

	g->path = USER_PATH;
	for (i = 0; i < g->nr; i++) {
		void *p = MAP_FAILED;

		if (tb_event_is_hw(&g->m[i].ev.attr))
			p = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED,
				 g->m[i].fd, 0);
		g->m[i].page = p == MAP_FAILED ? NULL : p;
		if (!g->m[i].page)
			g->path = TB_READ_SYSCALL;
	}
}

/* Open @n events as one group at @g; -errno of the failing event. */
static int open_group(struct tb_perf_group *g, const struct tb_event *evs,
		      int n)
{
	int i, ret;

	g->nr = 0;
	for (i = 0; i < n; i++) {
		ret = open_member(&g->m[i], &evs[i],
				  i ? g->m[0].fd : -1);
		if (ret) {
			close_group(g);
			return ret;
		}
		g->nr++;
	}
	map_pages(g);
	return 0;
}

/*
 * Make group @gi run: split it in halves, in place, until every part
 * gets its counters.  Returns 0 or -EBUSY with @bad set.
 */
static int settle_group(struct tb_perf_set *set, int gi, int *bad_group)
{
	struct tb_event evs[TB_GROUP_MAX];
	struct tb_perf_group *g = &set->g[gi];
	int n = g->nr, half, i, ret;

	if (!group_is_hw(g) || group_runs(g))
		return 0;
	if (n == 1) {
		*bad_group = gi;
		return -EBUSY;
	}
	if (set->nr_groups == TB_MAX_GROUPS)
		return -E2BIG;
	for (i = 0; i < n; i++)
		evs[i] = g->m[i].ev;
	close_group(g);
	memmove(&set->g[gi + 2], &set->g[gi + 1],
		(size_t)(set->nr_groups - gi - 1) * sizeof(set->g[0]));
	set->nr_groups++;
	set->g[gi + 1].nr = 0;
	half = n / 2;
	ret = open_group(&set->g[gi], evs, half);
	if (!ret)
		ret = open_group(&set->g[gi + 1], evs + half, n - half);
	if (ret)	/* opened before, so unlikely; the set is closed */
		return ret;
	ret = settle_group(set, gi + 1, bad_group);
	if (!ret)
		ret = settle_group(set, gi, bad_group);
	return ret;
}

int tb_perf_open(struct tb_perf_set *set, const struct tb_event *evs, int nr,
		 const struct tb_cpu_model *cpu)
{
	struct tb_perf_group *g = NULL;
	int i, ret, bad;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < nr; i++) {
		const struct tb_event *ev = &evs[i];

		if (g && g->nr < TB_GROUP_MAX &&
		    !open_member(&g->m[g->nr], ev, g->m[0].fd)) {
			g->nr++;
			continue;
		}
		/* refused as a member: lead a group of its own */
		if (set->nr_groups == TB_MAX_GROUPS) {
			ret = -E2BIG;
			snprintf(set->msg, sizeof(set->msg),
				 "more than %d event groups", TB_MAX_GROUPS);
			set->err = TB_PERF_ERR_OTHER;
			goto fail;
		}
		g = &set->g[set->nr_groups];
		g->nr = 0;
		ret = open_member(&g->m[0], ev, -1);
		if (!ret) {
			g->nr = 1;
			set->nr_groups++;
			continue;
		}
		set_error(set, -ret, ev, cpu);
		g = set->nr_groups ? &set->g[set->nr_groups - 1] : NULL;
		if (ev->optional && (set->err == TB_PERF_ERR_EVENT ||
				     set->err == TB_PERF_ERR_NO_PMU)) {
			note_dropped(set, ev->name);
			set->err = TB_PERF_OK;
			set->msg[0] = '\0';
			continue;
		}
		goto fail;
	}
	for (i = 0; i < set->nr_groups; i++)
		map_pages(&set->g[i]);
	for (i = 0; i < set->nr_groups; i++) {
		bad = -1;
		ret = settle_group(set, i, &bad);
		if (ret == -EBUSY && bad >= 0 && set->g[bad].m[0].ev.optional) {
			note_dropped(set, set->g[bad].m[0].ev.name);
			close_group(&set->g[bad]);
			memmove(&set->g[bad], &set->g[bad + 1],
				(size_t)(set->nr_groups - bad - 1) *
					sizeof(set->g[0]));
			set->nr_groups--;
			i = -1;	/* positions moved: check again */
			continue;
		}
		if (ret) {
			const struct tb_event *ev = bad >= 0 ?
				&set->g[bad].m[0].ev : &evs[0];

			set->err = tb_perf_classify(-ret, true, true);
			set->err_errno = -ret;
			tb_perf_strerror(-ret, true, true, ev->name, NULL,
					 set->msg, sizeof(set->msg));
			goto fail;
		}
	}
	return 0;
fail:
	tb_perf_close(set);
	return ret;
}

/* ---- control and reads ------------------------------------------------ */

static int group_ioctl(struct tb_perf_group *g, unsigned long req)
{
	if (!g->nr)
		return -EBADF;
	return ioctl(g->m[0].fd, req, PERF_IOC_FLAG_GROUP) < 0 ? -errno : 0;
}

int tb_perf_enable(struct tb_perf_group *g)
{
	return group_ioctl(g, PERF_EVENT_IOC_ENABLE);
}

int tb_perf_disable(struct tb_perf_group *g)
{
	return group_ioctl(g, PERF_EVENT_IOC_DISABLE);
}

int tb_perf_reset(struct tb_perf_group *g)
{
	return group_ioctl(g, PERF_EVENT_IOC_RESET);
}

int tb_perf_read(const struct tb_perf_group *g, struct tb_perf_sample *s)
{
	struct group_read r;
	ssize_t got;
	uint64_t k;
	int i;

	if (!g->nr)
		return -EBADF;
	got = read(g->m[0].fd, &r, sizeof(r));
	if (got < 0)
		return -errno;
	if ((size_t)got < 3 * sizeof(uint64_t) || r.nr > TB_GROUP_MAX)
		return -EIO;
	memset(s, 0, sizeof(*s));
	s->time_enabled = r.time_enabled;
	s->time_running = r.time_running;
	s->path = TB_READ_SYSCALL;
	/* match by id: the kernel's order need not be ours */
	for (k = 0; k < r.nr; k++)
		for (i = 0; i < g->nr; i++)
			if (g->m[i].id == r.v[k].id)
				s->value[i] = r.v[k].value;
	return 0;
}

int tb_perf_begin(const struct tb_perf_group *g, struct tb_perf_sample *s)
{
	uint64_t v[TB_GROUP_MAX];
	int ret = tb_perf_read(g, s);

	if (ret)
		return ret;
	if (user_read_all(g, v)) {
		memcpy(s->value, v, sizeof(v[0]) * (size_t)g->nr);
		s->path = g->path;
	}
	return 0;
}

int tb_perf_end(const struct tb_perf_group *g,
		const struct tb_perf_sample *begin, struct tb_perf_delta *d)
{
	struct tb_perf_sample e;
	uint64_t v[TB_GROUP_MAX];
	bool user = user_read_all(g, v);
	int ret = tb_perf_read(g, &e);

	if (ret)
		return ret;
	if (user) {
		memcpy(e.value, v, sizeof(v[0]) * (size_t)g->nr);
		e.path = g->path;
	}
	tb_perf_delta(begin, &e, g->nr, d);
	return 0;
}

void tb_perf_delta(const struct tb_perf_sample *begin,
		   const struct tb_perf_sample *end, int nr,
		   struct tb_perf_delta *d)
{
	memset(d, 0, sizeof(*d));
	d->time_enabled = end->time_enabled - begin->time_enabled;
	d->time_running = end->time_running - begin->time_running;
	/* never scaled: a group that lost its counters is measured again */
	d->multiplexed = d->time_enabled != d->time_running;
	d->path = end->path == begin->path ? end->path : TB_READ_SYSCALL;
	for (int i = 0; i < nr; i++)
		d->value[i] = end->value[i] - begin->value[i];
}

/* ---- disturbance counters --------------------------------------------- */

void tb_disturb_open(struct tb_disturb *d)
{
	static const uint64_t cfg[2] = {
		PERF_COUNT_SW_CONTEXT_SWITCHES, PERF_COUNT_SW_CPU_MIGRATIONS,
	};
	struct perf_event_attr a;
	int i;

	memset(d, 0, sizeof(*d));
	d->fd[0] = d->fd[1] = -1;
	for (i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = PERF_TYPE_SOFTWARE;
		a.config = cfg[i];
		a.read_format = PERF_FORMAT_GROUP;
		/* both are counted in the scheduler, in kernel mode */
		a.exclude_kernel = 0;
		a.exclude_hv = 1;
		d->fd[i] = sys_perf_event_open(&a, i ? d->fd[0] : -1);
		if (d->fd[i] < 0) {
			int err = errno;

			char msg[TB_PERF_MSG_MAX - 32];

			tb_perf_strerror(err, false, false, "context-switches",
					 NULL, msg, sizeof(msg));
			snprintf(d->why, sizeof(d->why),
				 "no perf software events: %s", msg);
			tb_disturb_close(d);
			d->method = TB_DISTURB_RUSAGE;
			return;
		}
	}
	d->method = TB_DISTURB_PERF;
}

void tb_disturb_close(struct tb_disturb *d)
{
	int i;

	for (i = 1; i >= 0; i--) {
		if (d->fd[i] >= 0)
			close(d->fd[i]);
		d->fd[i] = -1;
	}
}

void tb_disturb_read(const struct tb_disturb *d, struct tb_disturb_sample *s)
{
	struct rusage ru;
	uint64_t r[3];

	memset(s, 0, sizeof(*s));
	s->cpu = sched_getcpu();
	if (d->method == TB_DISTURB_PERF &&
	    read(d->fd[0], r, sizeof(r)) == (ssize_t)sizeof(r)) {
		s->switches = r[1];
		s->migrations = r[2];
		return;
	}
	if (!getrusage(RUSAGE_THREAD, &ru))
		s->switches = (uint64_t)ru.ru_nvcsw + (uint64_t)ru.ru_nivcsw;
}

bool tb_disturb_delta(const struct tb_disturb_sample *a,
		      const struct tb_disturb_sample *b, uint64_t *switches,
		      uint64_t *migrations)
{
	uint64_t sw = b->switches - a->switches;
	uint64_t mig = b->migrations - a->migrations;

	/* a move seen by CPU number counts even when not counted */
	if (!mig && a->cpu != b->cpu)
		mig = 1;
	if (switches)
		*switches = sw;
	if (migrations)
		*migrations = mig;
	return sw || mig;
}

const char *tb_disturb_method_name(const struct tb_disturb *d)
{
	return d->method == TB_DISTURB_PERF ? "perf software events" :
					      "getrusage + sched_getcpu";
}
