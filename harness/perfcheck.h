/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cross-check with linux-perf: count a loop in-process while `perf stat`
 * counts the same span, switched on and off through its control FIFOs
 * (perf stat --delay=-1 --control fifo:CTL,ACK), so the two totals can be
 * compared (scripts/perfcheck.sh, `make perfcheck`).
 */
#ifndef TB_PERFCHECK_H
#define TB_PERFCHECK_H

#include "meter.h"

/*
 * fifos is "CTL,ACK".  Opens evs as one group counting at @level (the
 * meter's, as perf stat's events are told), enables perf's counters,
 * runs lp for about seconds, disables them, and prints one line per
 * event: "perfcheck,<name>,<count>".  Returns 0 or -errno (message
 * printed).
 */
int tb_perfcheck(const char *fifos, const struct tb_event *evs, int n,
		 enum tb_level level, const struct tb_loop_pair *lp,
		 double seconds);

#endif
