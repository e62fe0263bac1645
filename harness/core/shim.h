/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the measuring core (harness/core/) takes from its surroundings,
 * the one place it does: fixed-width types, bool, size_t, memset/memcpy/
 * memmove, errno values, and the inlining attributes its spans depend on.
 * In a kernel module (__KERNEL__) these come from the kernel's headers,
 * in user space from libc's.  A core file includes this and nothing else
 * from outside harness/core/ (but the architecture's timer read,
 * harness/<arch>/arch_timer.h); `make check` compiles the core against
 * stub kernel headers (tests/kstub/, tests/test_core_kernel.sh) to keep
 * it so.  No printf, no malloc, no floating point: a kernel has none.
 */
#ifndef TB_CORE_SHIM_H
#define TB_CORE_SHIM_H

#ifdef __KERNEL__
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>

#define UINT64_MAX U64_MAX
#define tb_noinline noinline
#define tb_always_inline __always_inline
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define tb_noinline __attribute__((noinline))
#define tb_always_inline inline __attribute__((always_inline))
#endif

#define TB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* TB_CORE_SHIM_H */
