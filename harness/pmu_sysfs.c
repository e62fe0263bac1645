// SPDX-License-Identifier: GPL-2.0
/* The CPU's perf PMU from sysfs; see pmu_sysfs.h. */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmu_sysfs.h"
#include "sysfs.h"

#define DEVICES "/sys/bus/event_source/devices"

/* events/<name> holds "event=0x0011" (arm_pmuv3.c's sysfs format) */
static void read_codes(const char *root, const char *name, struct tb_pmu_dev *d)
{
	struct dirent **ents;
	char dir[512];
	int n;

	snprintf(dir, sizeof(dir), "%s" DEVICES "/%s/events",
		 root ? root : "", name); /* NULL: the running system */
	d->ncodes = -1;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return;
	d->ncodes = 0;
	for (int i = 0; i < n; i++) {
		char path[768], line[64], *end;
		unsigned long code;

		snprintf(path, sizeof(path), DEVICES "/%s/events/%s", name,
			 ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' &&
		    !tb_read_line(root, path, line, sizeof(line)) &&
		    !strncmp(line, "event=", 6)) {
			code = strtoul(line + 6, &end, 16);
			if (end != line + 6 && (!*end || *end == '\n') &&
			    code <= 0xffff && d->ncodes < TB_PMU_MAX_CODES)
				d->codes[d->ncodes++] = (uint16_t)code;
		}
		free(ents[i]);
	}
	free(ents);
}

static void read_caps(const char *root, const char *name, struct tb_pmu_dev *d)
{
	struct dirent **ents;
	char dir[512];
	size_t off = 0;
	int n;

	d->caps[0] = '\0';
	snprintf(dir, sizeof(dir), "%s" DEVICES "/%s/caps",
		 root ? root : "", name); /* NULL: the running system */
	n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char path[768], line[64];

		snprintf(path, sizeof(path), DEVICES "/%s/caps/%s", name,
			 ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' &&
		    !tb_read_line(root, path, line, sizeof(line)) &&
		    off < sizeof(d->caps))
			off += snprintf(d->caps + off, sizeof(d->caps) - off,
					"%s%s=%s", off ? ", " : "",
					ents[i]->d_name, line);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

int tb_pmu_dev_read(const char *root, const char *name, struct tb_pmu_dev *d)
{
	char path[256], line[64];

	memset(d, 0, sizeof(*d));
	d->type = -1;
	d->ncodes = -1;
	snprintf(path, sizeof(path), DEVICES "/%s/type", name);
	if (tb_read_line(root, path, line, sizeof(line)))
		return -ENOENT;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->type = atoi(line);
	snprintf(path, sizeof(path), DEVICES "/%s/cpus", name);
	if (tb_read_line(root, path, d->cpus, sizeof(d->cpus)))
		d->cpus[0] = '\0';
	read_codes(root, name, d);
	read_caps(root, name, d);
	return 0;
}

int tb_pmu_dev_for_cpu(const char *root, int cpu, struct tb_pmu_dev *out)
{
	struct dirent **ents;
	char dir[512];
	int n, ncore = 0;
	bool found = false;

	memset(out, 0, sizeof(*out));
	out->type = -1;
	out->ncodes = -1;
	snprintf(dir, sizeof(dir), "%s" DEVICES, root ? root : "");
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		struct tb_pmu_dev d;
		cpu_set_t set;

		if (ents[i]->d_name[0] != '.' &&
		    !tb_pmu_dev_read(root, ents[i]->d_name, &d) && d.cpus[0] &&
		    tb_cpulist_parse(d.cpus, &set) > 0) {
			ncore++;
			if (!found && cpu >= 0 && cpu < CPU_SETSIZE &&
			    CPU_ISSET(cpu, &set)) {
				*out = d;
				found = true;
			}
		}
		free(ents[i]);
	}
	free(ents);
	/* x86 without hybrid: one "cpu" PMU for every CPU, no cpus file */
	if (!found && !ncore && !tb_pmu_dev_read(root, "cpu", out))
		ncore = 1;
	return ncore;
}

bool tb_pmu_dev_has(const struct tb_pmu_dev *d, uint64_t code)
{
	for (int i = 0; i < d->ncodes; i++)
		if (d->codes[i] == code)
			return true;
	return false;
}
