// SPDX-License-Identifier: GPL-2.0
/*
 * The counter backend of a kernel module (core/counters.h): each event
 * a perf_event of the kernel's API, pinned to the CPU the module's
 * batches run on and counting the kernel only (TB_LEVEL_KERNEL), read
 * with perf_event_read_local(), which takes no lock and may run with
 * interrupts off, as the batches do.  The kernel API makes no groups:
 * a "group" here is the events read together around one span, the same
 * split as user space's, each event enabled from open to close so that
 * nothing sleeps inside a batch.  Built only into the module (MODULE):
 * the user-space build and the stub-header check see an empty file.
 */
#ifdef MODULE
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "core/counters_kernel.h"

static int kc_open(struct tb_counters *c)
{
	struct tb_kcounters *k = c->state;
	int first = 0;

	c->ngroups = 0;
	c->nevents = 0;
	for (int g = 0; g < k->ngroups; g++) {
		for (int j = 0; j < k->nr[g]; j++) {
			struct perf_event_attr attr = {
				.type = k->type[first + j],
				.size = sizeof(attr),
				.config = k->config[first + j],
				.config1 = k->config1[first + j],
				.pinned = 1,
				.exclude_user = !(c->level & TB_LEVEL_USER),
				.exclude_kernel = !(c->level & TB_LEVEL_KERNEL),
				.exclude_hv = 1,
				.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
					       PERF_FORMAT_TOTAL_TIME_RUNNING,
			};
			struct perf_event *ev;

			ev = perf_event_create_kernel_counter(&attr, k->cpu,
							      NULL, NULL, NULL);
			if (IS_ERR(ev)) {
				k->failed = first + j;
				c->ops->close(c);
				return PTR_ERR(ev);
			}
			k->ev[first + j] = ev;
		}
		first += k->nr[g];
		c->nr[g] = k->nr[g];
		c->ngroups++;
	}
	c->nevents = first;
	return 0;
}

static void kc_close(struct tb_counters *c)
{
	struct tb_kcounters *k = c->state;

	for (int i = 0; i < TB_COUNTERS_MAX; i++) {
		if (k->ev[i])
			perf_event_release_kernel(k->ev[i]);
		k->ev[i] = NULL;
	}
	c->ngroups = 0;
	c->nevents = 0;
}

/* Enabled from open on: enabling takes a mutex, and batches run atomic. */
static int kc_nothing(struct tb_counters *c, int group)
{
	(void)c;
	(void)group;
	return 0;
}

static int kc_first(const struct tb_counters *c, int group)
{
	int first = 0;

	for (int g = 0; g < group; g++)
		first += c->nr[g];
	return first;
}

/*
 * The count of an event active on this CPU, read from its PMU, with
 * interrupts off: what perf_event_read_local() does, which 6.1 does not
 * export to modules.  A pinned CPU event is never multiplexed; one that
 * is not active here (it could not be scheduled) reads as having run
 * for none of the time it was enabled, so its span is measured again
 * and then failed.
 */
static bool kc_read(struct perf_event *ev, u64 *v)
{
	if (ev->state != PERF_EVENT_STATE_ACTIVE ||
	    ev->oncpu != smp_processor_id())
		return false;
	ev->pmu->read(ev);
	*v = local64_read(&ev->count);
	return true;
}

static int kc_begin(struct tb_counters *c, int group, struct tb_counts *at)
{
	struct tb_kcounters *k = c->state;
	int first = kc_first(c, group);
	bool ok = true;

	for (int j = 0; j < c->nr[group]; j++) {
		u64 v = 0;

		ok &= kc_read(k->ev[first + j], &v);
		at->value[j] = v;
	}
	at->time_enabled = ++k->reads;
	at->time_running = ok ? at->time_enabled : 0;
	at->path = TB_READ_SYSCALL;
	return 0;
}

static int kc_end(struct tb_counters *c, int group,
		  const struct tb_counts *begin, struct tb_counts *change)
{
	struct tb_counts end;
	int err = kc_begin(c, group, &end);

	tb_counts_delta(begin, &end, c->nr[group], change);
	return err;
}

const struct tb_counter_ops tb_kernel_counter_ops = {
	.open = kc_open,
	.close = kc_close,
	.enable = kc_nothing,
	.disable = kc_nothing,
	.begin = kc_begin,
	.end = kc_end,
};
#endif /* MODULE */
