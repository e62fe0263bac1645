/* SPDX-License-Identifier: GPL-2.0 */
/* Stub of the kernel's linux/limits.h (vdso/limits.h). */
#ifndef _KSTUB_LINUX_LIMITS_H
#define _KSTUB_LINUX_LIMITS_H

#define U64_MAX ((u64)~0ULL)

#endif
