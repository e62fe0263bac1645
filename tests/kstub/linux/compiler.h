/* SPDX-License-Identifier: GPL-2.0 */
/* Stub of the kernel's linux/compiler.h (compiler_types.h). */
#ifndef _KSTUB_LINUX_COMPILER_H
#define _KSTUB_LINUX_COMPILER_H

#define noinline __attribute__((__noinline__))
#define __always_inline inline __attribute__((__always_inline__))

#endif
