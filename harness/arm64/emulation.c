// SPDX-License-Identifier: GPL-2.0
/* arm64: what the host's /proc/cpuinfo shows when it is an x86 one. */
#include <string.h>

#include "harness_arch.h"

const char tb_harness_arch[] = "arm64";

bool tb_arch_cpuinfo_foreign(const char *line)
{
	return !strncmp(line, "vendor_id", 9);
}
