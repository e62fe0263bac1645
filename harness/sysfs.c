// SPDX-License-Identifier: GPL-2.0
/* /sys and /proc under a root prefix, and cpulists; see sysfs.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs.h"

void tb_root_path(const char *root, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", root ? root : "", path);
}
int tb_read_line(const char *root, const char *path, char *buf, size_t len)
{
	char full[512];
	FILE *f;
	char *nl;

	tb_root_path(root, path, full, sizeof(full));
	f = fopen(full, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}


int tb_cpulist_parse(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (s && *s && *s != '\n') {
		char *end;
		long lo, hi;

		lo = strtol(s, &end, 10);
		if (end == s || lo < 0)
			return -EINVAL;
		hi = lo;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1 || hi < lo)
				return -EINVAL;
			s = end;
		}
		if (hi >= CPU_SETSIZE)
			return -EINVAL;
		for (; lo <= hi; lo++)
			CPU_SET((int)lo, set);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	return CPU_COUNT(set);
}

void tb_cpulist_format(const cpu_set_t *set, char *buf, size_t len)
{
	size_t off = 0;
	int cpu = 0;

	if (len)
		buf[0] = '\0';
	while (cpu < CPU_SETSIZE && off < len) {
		int end;

		if (!CPU_ISSET(cpu, set)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < CPU_SETSIZE &&
				CPU_ISSET(end + 1, set); end++)
			;
		if (end == cpu)
			off += snprintf(buf + off, len - off, "%s%d",
					off ? "," : "", cpu);
		else
			off += snprintf(buf + off, len - off, "%s%d-%d",
					off ? "," : "", cpu, end);
		cpu = end + 1;
	}
}
