/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Is this an emulator?  An emulator's numbers are never a core's: every
 * output of a run that one made says so, and which one.
 *
 *   qemu-user     the program is translated, the kernel is the host's:
 *                 /proc/cpuinfo describes the other architecture.
 *   qemu-system   a whole guest under TCG, with qemu's PMU model: on
 *                 arm64 a MIDR or a PMU no silicon has, on x86 qemu's own
 *                 CPUID hypervisor signature (harness/<arch>/emulation.c).
 *
 * A guest under KVM on real silicon is not an emulator: its counts are
 * the core's, and none of these signals fires there.
 */
#ifndef TB_EMULATION_H
#define TB_EMULATION_H

#include <stdbool.h>
#include <stddef.h>

struct tb_cpu_model;

enum tb_emulator {
	TB_EMU_NONE,
	TB_EMU_QEMU_USER,
	TB_EMU_QEMU_SYSTEM,
};

struct tb_emulation {
	enum tb_emulator kind;
	char why[192];		/* the signal that told, one line */
};

/*
 * Detect the emulator of the system at @root ("" or NULL the running one; a
 * recorded tree of /sys and /proc otherwise, where only what the tree
 * records can tell) whose CPU @m describes.
 */
void tb_emulation_detect(const char *root, const struct tb_cpu_model *m,
			 struct tb_emulation *e);

/* "qemu-user", "qemu-system TCG", or "" for none. */
const char *tb_emulator_name(enum tb_emulator kind);

/* Is this process running under qemu-user? */
bool tb_running_emulated(void);

/*
 * The architecture's own signal of system emulation (harness/<arch>/):
 * true, with the reason in @why, when @root's CPU @m cannot be silicon.
 */
bool tb_arch_system_emulated(const char *root, const struct tb_cpu_model *m,
			     char *why, size_t len);

#endif /* TB_EMULATION_H */
