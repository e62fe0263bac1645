/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU hygiene: run on one chosen CPU and say what could disturb it.
 *
 * Functions that read sysfs take a root prefix ("" for the running
 * system, or a fixture directory); pinning always acts on the calling
 * thread of the running system.
 */
#ifndef TB_CPU_HYGIENE_H
#define TB_CPU_HYGIENE_H

#include <stddef.h>

#define TB_HYGIENE_MAX_WARN 4
#define TB_HYGIENE_WARN_LEN 200

struct tb_hygiene {
	int cpu;
	char governor[32];		/* or "unknown (no cpufreq)" */
	int nr_warn;
	char warn[TB_HYGIENE_MAX_WARN][TB_HYGIENE_WARN_LEN];
};

/*
 * Pin the calling thread to @cpu, which must be online and allowed by
 * the thread's affinity.  Returns 0, or a negative errno with a one-line
 * message in @err naming the valid range.
 */
int tb_cpu_pin(int cpu, char *err, size_t errlen);
/* The same for a --cpu argument given as text. */
int tb_cpu_pin_arg(const char *arg, char *err, size_t errlen);

/*
 * A CPU to measure on: the last online CPU of the most capable core type
 * (sysfs cpu_capacity, else the core table's rank), which on most
 * machines is not CPU 0, where many interrupts land.  On the running
 * system only CPUs the thread may use count.  Returns the CPU, or a
 * negative errno.
 */
int tb_cpu_default(const char *root);

/*
 * cpufreq governor of @cpu into @buf.  Returns 0, or -ENOENT with
 * "unknown (no cpufreq)" in @buf (VMs usually have no cpufreq).
 */
int tb_cpu_governor(const char *root, int cpu, char *buf, size_t len);

/*
 * Look at @cpu's frequency setup and fill @h with warnings for the
 * caller to print and record: a governor other than "performance", or
 * frequency boost left on.  Returns the number of warnings.
 */
int tb_hygiene_check(const char *root, int cpu, struct tb_hygiene *h);

/*
 * What the rest of the machine did meanwhile, from @root/proc/stat: the
 * other CPUs' busy share (on an SMT core or a VM whose vCPUs share host
 * cores, work beside the measured CPU can slow it) and the measured
 * CPU's time stolen by the hypervisor.  Contention from other guests on
 * the host shows in neither; docs/precision.md has what it looks like.
 */
struct tb_cpu_load {
	unsigned long long busy, total; /* jiffies: other CPUs */
	unsigned long long steal, own;  /* jiffies: @cpu's steal, all */
};

/* Read the counters now; 0, or -errno. */
int tb_cpu_load_read(const char *root, int cpu, struct tb_cpu_load *l);

/*
 * Between two reads: the other CPUs' busy share and @cpu's share stolen
 * by the hypervisor, each in [0, 1] (0 when no jiffy passed).
 */
void tb_cpu_load_delta(const struct tb_cpu_load *a,
		       const struct tb_cpu_load *b, double *others_busy,
		       double *steal);

#endif /* TB_CPU_HYGIENE_H */
