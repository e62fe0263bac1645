/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why perf_event_open() failed, and one line that says what to do about
 * it: the paranoid level and its sysctl, no PMU (a VM: timer mode), no
 * syscall (an emulator), an event the PMU lacks with close names, busy
 * counters.
 */
#ifndef TB_PERF_ERROR_H
#define TB_PERF_ERROR_H

#include <stdbool.h>
#include <stddef.h>

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

/*
 * Classify errno @err from perf_event_open() of an event; @hw: the event
 * needs a PMU counter; @pmu_present: the probe tb_perf_pmu_present()
 * (perf_group.h) of the same PMU succeeded (ENOENT then means "no such
 * event").
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

#endif /* TB_PERF_ERROR_H */
