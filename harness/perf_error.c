// SPDX-License-Identifier: GPL-2.0
/*
 * Why perf_event_open() failed, in words a user can act on.  See
 * perf_error.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cpu_model.h"
#include "perf_error.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
