// SPDX-License-Identifier: GPL-2.0
/* x86: what the host's /proc/cpuinfo shows when it is an arm64 one. */
#include <string.h>

#include "harness_arch.h"

const char tb_harness_arch[] = "x86";

bool tb_arch_cpuinfo_foreign(const char *line)
{
	return !strncmp(line, "CPU implementer", 15);
}
