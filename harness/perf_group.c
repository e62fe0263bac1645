// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event_open() groups and their reads; see perf_group.h.  Errors and
 * their messages are in perf_error.c, disturbance counters in disturb.c,
 * the counter-read instruction in harness/<arch>/counter.c.
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
#include "harness_arch.h"
#include "perf_group.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define READ_FORMAT							\
	(PERF_FORMAT_GROUP | PERF_FORMAT_ID |				\
	 PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING)

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

int tb_perf_event_open(struct perf_event_attr *attr, int group_fd)
{
	/* the calling thread, on whatever CPU it runs */
	return (int)syscall(SYS_perf_event_open, attr, 0, -1, group_fd,
			    PERF_FLAG_FD_CLOEXEC);
}

/* ---- user-space counter reads ----------------------------------------- */

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
		if (!tb_perf_user_read(g->m[i].page, tb_arch_read_counter,
				       &v[i]))
			return false;
	return true;
}

/* ---- groups ----------------------------------------------------------- */

void tb_perf_attr_level(struct perf_event_attr *a, enum tb_level level)
{
	a->exclude_user = !(level & TB_LEVEL_USER);
	a->exclude_kernel = !(level & TB_LEVEL_KERNEL);
	a->exclude_hv = 1;
}

bool tb_perf_pmu_present(enum tb_level level)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_CPU_CYCLES;
	a.disabled = 1;
	tb_perf_attr_level(&a, level);
	fd = tb_perf_event_open(&a, -1);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int open_member(struct tb_perf_member *mb, const struct tb_event *ev,
		       int group_fd, enum tb_level level)
{
	struct perf_event_attr a = ev->attr;
	int fd;

	a.size = sizeof(a);
	a.disabled = group_fd == -1;	/* members follow their leader */
	a.read_format = READ_FORMAT;
	tb_perf_attr_level(&a, level);
	a.inherit = 0;
	a.pinned = 0;
	/* with what user-space reads need, where the architecture asks */
	fd = tb_arch_open_user_readable(&a, ev, group_fd);
	if (fd < 0)
		fd = tb_perf_event_open(&a, group_fd);
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
		present = tb_perf_pmu_present(set->level);
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
	struct tb_counts s;
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

	g->path = tb_arch_read_path;
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
		      int n, enum tb_level level)
{
	int i, ret;

	g->nr = 0;
	for (i = 0; i < n; i++) {
		ret = open_member(&g->m[i], &evs[i],
				  i ? g->m[0].fd : -1, level);
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
	ret = open_group(&set->g[gi], evs, half, set->level);
	if (!ret)
		ret = open_group(&set->g[gi + 1], evs + half, n - half,
				 set->level);
	if (ret)	/* opened before, so unlikely; the set is closed */
		return ret;
	ret = settle_group(set, gi + 1, bad_group);
	if (!ret)
		ret = settle_group(set, gi, bad_group);
	return ret;
}

int tb_perf_open(struct tb_perf_set *set, const struct tb_event *evs, int nr,
		 const struct tb_cpu_model *cpu, enum tb_level level)
{
	struct tb_perf_group *g = NULL;
	int i, ret, bad;

	memset(set, 0, sizeof(*set));
	set->level = level;
	for (i = 0; i < nr; i++) {
		const struct tb_event *ev = &evs[i];

		if (g && g->nr < TB_GROUP_MAX &&
		    !open_member(&g->m[g->nr], ev, g->m[0].fd, level)) {
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
		ret = open_member(&g->m[0], ev, -1, level);
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

int tb_perf_read(const struct tb_perf_group *g, struct tb_counts *s)
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

int tb_perf_begin(const struct tb_perf_group *g, struct tb_counts *s)
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

int tb_perf_end(const struct tb_perf_group *g, const struct tb_counts *begin,
		struct tb_counts *d)
{
	struct tb_counts e;
	uint64_t v[TB_GROUP_MAX];
	bool user = user_read_all(g, v);
	int ret = tb_perf_read(g, &e);

	if (ret)
		return ret;
	if (user) {
		memcpy(e.value, v, sizeof(v[0]) * (size_t)g->nr);
		e.path = g->path;
	}
	tb_counts_delta(begin, &e, g->nr, d);
	return 0;
}

/* ---- the core's counter backend ---------------------------------------- */

static int counters_open(struct tb_counters *c)
{
	struct tb_perf_counters *pc = c->state;
	int ret = tb_perf_open(&pc->set, pc->evs, pc->nr, pc->cpu, c->level);

	c->ngroups = c->nevents = 0;
	if (ret)
		return ret;
	c->ngroups = pc->set.nr_groups;
	for (int g = 0; g < c->ngroups; g++) {
		c->nr[g] = pc->set.g[g].nr;
		c->nevents += c->nr[g];
	}
	return 0;
}

static void counters_close(struct tb_counters *c)
{
	struct tb_perf_counters *pc = c->state;

	tb_perf_close(&pc->set);
	c->ngroups = c->nevents = 0;
}

static struct tb_perf_group *group_of(struct tb_counters *c, int g)
{
	return &((struct tb_perf_counters *)c->state)->set.g[g];
}

static int counters_enable(struct tb_counters *c, int g)
{
	return tb_perf_enable(group_of(c, g));
}

static int counters_disable(struct tb_counters *c, int g)
{
	return tb_perf_disable(group_of(c, g));
}

static int counters_begin(struct tb_counters *c, int g, struct tb_counts *at)
{
	return tb_perf_begin(group_of(c, g), at);
}

static int counters_end(struct tb_counters *c, int g,
			const struct tb_counts *begin, struct tb_counts *change)
{
	return tb_perf_end(group_of(c, g), begin, change);
}

const struct tb_counter_ops tb_perf_counter_ops = {
	.open = counters_open,
	.close = counters_close,
	.enable = counters_enable,
	.disable = counters_disable,
	.begin = counters_begin,
	.end = counters_end,
};

void tb_perf_counters_init(struct tb_counters *c, struct tb_perf_counters *pc,
			   const struct tb_event *evs, int nr,
			   const struct tb_cpu_model *cpu, enum tb_level level)
{
	memset(c, 0, sizeof(*c));
	memset(pc, 0, sizeof(*pc));
	pc->evs = evs;
	pc->nr = nr;
	pc->cpu = cpu;
	c->ops = &tb_perf_counter_ops;
	c->state = pc;
	c->level = level;
}
