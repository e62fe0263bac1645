// SPDX-License-Identifier: GPL-2.0
/* The counter backend interface's shared parts; see counters.h. */
#include "core/counters.h"

static int timer_open(struct tb_counters *c)
{
	c->ngroups = 0;
	c->nevents = 0;
	return 0;
}

static void timer_close(struct tb_counters *c)
{
	c->ngroups = 0;
	c->nevents = 0;
}

/* Never called: the core reads no group of a backend that has none. */
static int timer_group(struct tb_counters *c, int group)
{
	(void)c;
	(void)group;
	return -ENODEV;
}

static int timer_begin(struct tb_counters *c, int group, struct tb_counts *at)
{
	(void)at;
	return timer_group(c, group);
}

static int timer_end(struct tb_counters *c, int group,
		     const struct tb_counts *begin, struct tb_counts *change)
{
	(void)begin;
	(void)change;
	return timer_group(c, group);
}

const struct tb_counter_ops tb_timer_counter_ops = {
	.open = timer_open,
	.close = timer_close,
	.enable = timer_group,
	.disable = timer_group,
	.begin = timer_begin,
	.end = timer_end,
};

void tb_counts_delta(const struct tb_counts *begin,
		     const struct tb_counts *end, int nr,
		     struct tb_counts *change)
{
	memset(change, 0, sizeof(*change));
	change->time_enabled = end->time_enabled - begin->time_enabled;
	change->time_running = end->time_running - begin->time_running;
	/* never scaled: a group that lost its counters is measured again */
	change->multiplexed = change->time_enabled != change->time_running;
	change->path = end->path == begin->path ? end->path : TB_READ_SYSCALL;
	for (int i = 0; i < nr; i++)
		change->value[i] = end->value[i] - begin->value[i];
}
