/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TB_DISTURB_H
#define TB_DISTURB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/measure.h"
#include "perf_error.h"

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

/* struct tb_disturb_sample, tb_disturb_delta(): core/measure.h */

void tb_disturb_open(struct tb_disturb *d);
void tb_disturb_close(struct tb_disturb *d);
void tb_disturb_read(const struct tb_disturb *d, struct tb_disturb_sample *s);
/* tb_disturb_read() as the core's disturb_read hook; @d a tb_disturb. */
void tb_disturb_hook(void *d, struct tb_disturb_sample *s);
/* "perf software events" or "getrusage + sched_getcpu" */
const char *tb_disturb_method_name(const struct tb_disturb *d);

#endif /* TB_DISTURB_H */
