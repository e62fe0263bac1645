// SPDX-License-Identifier: GPL-2.0
/* Disturbance counters: context switches and migrations; see disturb.h. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "disturb.h"
#include "perf_group.h"

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
		tb_perf_attr_level(&a, TB_LEVEL_USER | TB_LEVEL_KERNEL);
		d->fd[i] = tb_perf_event_open(&a, i ? d->fd[0] : -1);
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

void tb_disturb_hook(void *d, struct tb_disturb_sample *s)
{
	tb_disturb_read(d, s);
}

const char *tb_disturb_method_name(const struct tb_disturb *d)
{
	return d->method == TB_DISTURB_PERF ? "perf software events" :
					      "getrusage + sched_getcpu";
}
