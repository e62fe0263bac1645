/* SPDX-License-Identifier: GPL-2.0 */
/* Stub of the kernel's linux/types.h: what harness/core/ uses. */
#ifndef _KSTUB_LINUX_TYPES_H
#define _KSTUB_LINUX_TYPES_H

typedef __UINT8_TYPE__ u8;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT64_TYPE__ s64;

typedef u8 uint8_t;
typedef u32 uint32_t;
typedef u64 uint64_t;
typedef s64 int64_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__ size_t;
typedef _Bool bool;

#endif
