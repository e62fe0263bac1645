// SPDX-License-Identifier: GPL-2.0
/* Telling an emulator; see emulation.h. */
#include <stdio.h>
#include <string.h>

#include "emulation.h"
#include "harness_arch.h"

const char *tb_emulator_name(enum tb_emulator kind)
{
	static const char *const names[] = {
		[TB_EMU_NONE] = "",
		[TB_EMU_QEMU_USER] = "qemu-user",
		[TB_EMU_QEMU_SYSTEM] = "qemu-system TCG",
	};
	return names[kind];
}

/*
 * qemu-user shows the host's /proc/cpuinfo: an arm64 program that sees x86
 * fields there (or the reverse) is emulated.
 */
bool tb_running_emulated(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	bool foreign = false;

	if (!f)
		return false;
	while (!foreign && fgets(line, sizeof(line), f))
		foreign = tb_arch_cpuinfo_foreign(line);
	fclose(f);
	return foreign;
}

void tb_emulation_detect(const char *root, const struct tb_cpu_model *m,
			 struct tb_emulation *e)
{
	memset(e, 0, sizeof(*e));
	if (!root)
		root = "";
	if (!*root && tb_running_emulated()) {
		e->kind = TB_EMU_QEMU_USER;
		snprintf(e->why, sizeof(e->why),
			 "/proc/cpuinfo describes another architecture than this program's: qemu-user");
		return;
	}
	if (tb_arch_system_emulated(root, m, e->why, sizeof(e->why)))
		e->kind = TB_EMU_QEMU_SYSTEM;
}
