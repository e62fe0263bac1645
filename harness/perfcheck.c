// SPDX-License-Identifier: GPL-2.0
/* The in-process half of the linux-perf cross-check; see perfcheck.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "perf_group.h"
#include "perfcheck.h"

/* Send a command to perf stat and wait for its "ack". */
static int perf_command(int ctl, int ack, const char *cmd)
{
	char buf[16];
	ssize_t n;

	if (write(ctl, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return -errno;
	n = read(ack, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n ? -errno : -EPIPE;
	buf[n] = '\0';
	return strstr(buf, "ack") ? 0 : -EPROTO;
}

int tb_perfcheck(const char *fifos, const struct tb_event *evs, int n,
		 enum tb_level level, const struct tb_loop_pair *lp,
		 double seconds)
{
	char ctl_path[256], *ack_path;
	struct tb_perf_set set;
	struct tb_counts b, d;
	uint64_t passes = 1, end;
	int ctl, ack, err;

	snprintf(ctl_path, sizeof(ctl_path), "%s", fifos);
	ack_path = strchr(ctl_path, ',');
	if (!ack_path) {
		fprintf(stderr,
			"trampbench: --perf-control takes CTL_FIFO,ACK_FIFO, not '%s'\n",
			fifos);
		return -EINVAL;
	}
	*ack_path++ = '\0';
	err = tb_perf_open(&set, evs, n, NULL, level);
	if (err) {
		fprintf(stderr, "trampbench: perfcheck: %s\n", set.msg);
		return err;
	}
	if (set.nr_groups != 1) {
		fprintf(stderr,
			"trampbench: perfcheck: the events need %d counter groups; give at most one group's worth, counted at once\n",
			set.nr_groups);
		tb_perf_close(&set);
		return -E2BIG;
	}
	ctl = open(ctl_path, O_WRONLY | O_CLOEXEC);
	ack = open(ack_path, O_RDONLY | O_CLOEXEC);
	if (ctl < 0 || ack < 0) {
		err = -errno;
		fprintf(stderr, "trampbench: perfcheck: cannot open %s: %s\n",
			fifos, strerror(-err));
		goto out;
	}
	/* Size the run first, outside both counting spans. */
	end = tb_timer_read() + (uint64_t)(seconds / 10 * tb_timer_freq());
	while (tb_timer_read() < end) {
		lp->two(passes, 0);
		passes *= 2;
	}
	passes *= 10;
	err = perf_command(ctl, ack, "enable\n");
	if (err)
		goto out;
	tb_perf_enable(&set.g[0]);
	tb_perf_begin(&set.g[0], &b);
	lp->two(passes, 0);
	tb_perf_end(&set.g[0], &b, &d);
	tb_perf_disable(&set.g[0]);
	err = perf_command(ctl, ack, "disable\n");
	if (err)
		goto out;
	for (int i = 0; i < set.g[0].nr; i++)
		printf("perfcheck,%s,%llu\n", set.g[0].m[i].ev.name,
		       (unsigned long long)d.value[i]);
	printf("perfcheck,calls,%llu\n",
	       (unsigned long long)(passes * 2 * lp->items));
out:
	if (err)
		fprintf(stderr, "trampbench: perfcheck: perf stat control: %s\n",
			strerror(-err));
	if (ctl >= 0)
		close(ctl);
	if (ack >= 0)
		close(ack);
	tb_perf_close(&set);
	return err;
}
