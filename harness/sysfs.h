/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading /sys and /proc under a root prefix: "" (or NULL) for the running
 * system, or a directory that mirrors them (tests/fixtures/<machine>);
 * and the kernel's cpulist format ("0-3,6") both ways.  The layer below
 * CPU identification (cpu_model.h) and the PMU's sysfs (pmu_sysfs.h).
 */
#ifndef TB_SYSFS_H
#define TB_SYSFS_H

#include <sched.h>
#include <stddef.h>

/* @root then @path into @buf ("" root: @path itself). */
void tb_root_path(const char *root, const char *path, char *buf, size_t len);

/* Read the first line of root/path into @buf; 0 or a negative errno. */
int tb_read_line(const char *root, const char *path, char *buf, size_t len);

/* Parse a kernel cpulist ("0-3,6"); returns the CPU count or -EINVAL. */
int tb_cpulist_parse(const char *s, cpu_set_t *set);
/* Format @set as a cpulist into @buf. */
void tb_cpulist_format(const cpu_set_t *set, char *buf, size_t len);

#endif /* TB_SYSFS_H */
