// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning, the choice of CPU, and frequency-governor warnings.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_hygiene.h"
#include "cpu_model.h"

/* CPUs this thread may run on: online and in its affinity mask. */
static int usable_cpus(cpu_set_t *set)
{
	cpu_set_t allowed;
	int ret = tb_cpus_online("", set);

	if (ret < 0)
		CPU_ZERO(set);
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return ret < 0 ? -errno : CPU_COUNT(set);
	if (ret < 0)
		*set = allowed;	/* no online list: trust the mask */
	else
		CPU_AND(set, set, &allowed);
	return CPU_COUNT(set);
}

int tb_cpu_pin(int cpu, char *err, size_t errlen)
{
	cpu_set_t usable, one;
	char list[128];

	if (usable_cpus(&usable) <= 0) {
		snprintf(err, errlen, "--cpu %d: cannot list usable CPUs",
			 cpu);
		return -ENODEV;
	}
	if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &usable)) {
		tb_cpulist_format(&usable, list, sizeof(list));
		snprintf(err, errlen,
			 "--cpu %d: not an online CPU this process may use (valid: %s)",
			 cpu, list);
		return -EINVAL;
	}
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		int e = errno;

		snprintf(err, errlen, "--cpu %d: sched_setaffinity: %s", cpu,
			 strerror(e));
		return -e;
	}
	return 0;
}

int tb_cpu_pin_arg(const char *arg, char *err, size_t errlen)
{
	cpu_set_t usable;
	char list[128], *end;
	long cpu;

	errno = 0;
	cpu = arg ? strtol(arg, &end, 10) : 0;
	if (!arg || !*arg || *end || errno || cpu < 0 || cpu > 1 << 20) {
		if (usable_cpus(&usable) > 0)
			tb_cpulist_format(&usable, list, sizeof(list));
		else
			snprintf(list, sizeof(list), "?");
		snprintf(err, errlen,
			 "--cpu '%s': not a CPU number (valid: %s)",
			 arg ? arg : "", list);
		return -EINVAL;
	}
	return tb_cpu_pin((int)cpu, err, errlen);
}

static long capacity(const char *root, int cpu)
{
	char path[80], line[32];

	/* arm64 and hybrid x86 export it; 1024 for the largest core */
	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/cpu_capacity", cpu);
	if (tb_read_line(root, path, line, sizeof(line)))
		return -1;
	return atol(line);
}

int tb_cpu_default(const char *root)
{
	struct tb_core_type types[TB_MAX_CORE_TYPES];
	cpu_set_t set;
	long best_cap = -1;
	int best = -1, best_rank = -1, ntypes, cpu, i;

	if (!root || !*root) {
		if (usable_cpus(&set) <= 0)
			return -ENODEV;
	} else if (tb_cpus_online(root, &set) <= 0) {
		return -ENODEV;
	}
	ntypes = tb_cpu_core_types(root, types, TB_MAX_CORE_TYPES);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		cpu_set_t members;
		long cap;
		int rank = 0;

		if (!CPU_ISSET(cpu, &set))
			continue;
		cap = capacity(root, cpu);
		for (i = 0; i < ntypes; i++) {
			if (tb_cpulist_parse(types[i].cpus, &members) > 0 &&
			    CPU_ISSET(cpu, &members))
				rank = types[i].model.rank;
		}
		/* ">=" keeps the last CPU among equals */
		if (cap > best_cap || (cap == best_cap && rank >= best_rank)) {
			best_cap = cap;
			best_rank = rank;
			best = cpu;
		}
	}
	return best >= 0 ? best : -ENODEV;
}

int tb_cpu_governor(const char *root, int cpu, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
	if (tb_read_line(root, path, buf, len)) {
		snprintf(buf, len, "unknown (no cpufreq)");
		return -ENOENT;
	}
	return 0;
}

static void warn(struct tb_hygiene *h, const char *fmt, ...)
{
	va_list ap;

	if (h->nr_warn == TB_HYGIENE_MAX_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(h->warn[h->nr_warn++], TB_HYGIENE_WARN_LEN, fmt, ap);
	va_end(ap);
}

int tb_hygiene_check(const char *root, int cpu, struct tb_hygiene *h)
{
	char boost[16];

	memset(h, 0, sizeof(*h));
	h->cpu = cpu;
	if (tb_cpu_governor(root, cpu, h->governor, sizeof(h->governor)))
		warn(h, "cpu%d: no cpufreq (a VM?): the clock may change under the benchmark; cycles are the trustworthy unit",
		     cpu);
	else if (strcmp(h->governor, "performance"))
		warn(h, "cpu%d: cpufreq governor is '%s', not 'performance': run `cpupower -c %d frequency-set -g performance`",
		     cpu, h->governor, cpu);
	/* acpi-cpufreq / cpufreq core global boost switch */
	if (!tb_read_line(root, "/sys/devices/system/cpu/cpufreq/boost", boost,
			  sizeof(boost)) && atoi(boost) == 1)
		warn(h, "frequency boost is on: run `echo 0 > /sys/devices/system/cpu/cpufreq/boost` for steadier clocks");
	return h->nr_warn;
}

int tb_cpu_load_read(const char *root, int cpu, struct tb_cpu_load *l)
{
	char path[512], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/stat", root);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	memset(l, 0, sizeof(*l));
	while (fgets(line, sizeof(line), f)) {
		/* cpuN user nice system idle iowait irq softirq steal ... */
		unsigned long long v[8] = { 0 }, all = 0;
		int n;

		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu",
			   &n, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) < 5)
			continue;
		for (int i = 0; i < 8; i++)
			all += v[i];
		if (n == cpu) {
			l->steal = v[7];
			l->own = all;
		} else {
			l->busy += all - v[3] - v[4]; /* not idle, not iowait */
			l->total += all;
		}
	}
	fclose(f);
	return 0;
}

void tb_cpu_load_delta(const struct tb_cpu_load *a,
		       const struct tb_cpu_load *b, double *others_busy,
		       double *steal)
{
	unsigned long long total = b->total - a->total, own = b->own - a->own;

	*others_busy = total ? (double)(b->busy - a->busy) / (double)total : 0;
	*steal = own ? (double)(b->steal - a->steal) / (double)own : 0;
}
