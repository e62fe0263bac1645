/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each architecture gives the harness (harness/<arch>/): the timer
 * (arch_timer.h, inline, and timer.c), the instruction that reads a
 * counter from user space (counter.c), and how to tell an emulator
 * (emulation.c).  Generic harness code uses these and no #ifdef.
 */
#ifndef TB_HARNESS_ARCH_H
#define TB_HARNESS_ARCH_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch_timer.h" /* tb_timer_read(): harness/<arch>/ */

#ifdef __cplusplus
extern "C" {
#endif

struct tb_cpu_model;
struct tb_event;

/* "x86" or "arm64", as in ARCH=. */
extern const char tb_harness_arch[];

/* Timer ticks per second, measured or read once; 0 if unknown. */
uint64_t tb_arch_timer_hz(void);

/* Read counter @idx (the perf mmap page's index - 1); false if it can't. */
bool tb_arch_read_counter(uint32_t idx, uint64_t *v);

/* The read path tb_arch_read_counter() is (enum tb_read_path). */
extern const int tb_arch_read_path;

/*
 * Open @a (for @ev) asking for what user-space reads of it need on this
 * architecture (arm64: config1 user access, where the sysctl allows);
 * the fd, or -1 to open it as it is.
 */
int tb_arch_open_user_readable(struct perf_event_attr *a,
			       const struct tb_event *ev, int group_fd);

/*
 * Does this /proc/cpuinfo line describe the other architecture?  qemu-user
 * shows the host's cpuinfo, so an emulated program sees such lines.
 */
bool tb_arch_cpuinfo_foreign(const char *line);

/* The description of a core nothing is known of, on this architecture. */
void tb_arch_cpu_model_unknown(struct tb_cpu_model *out);

/*
 * Does @m describe a core of this architecture?  (Under qemu-user the
 * host's cpuinfo describes the other one.)
 */
bool tb_arch_cpu_model_native(const struct tb_cpu_model *m);

#ifdef __cplusplus
}
#endif

#endif /* TB_HARNESS_ARCH_H */
