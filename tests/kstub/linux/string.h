/* SPDX-License-Identifier: GPL-2.0 */
/* Stub of the kernel's linux/string.h: what a module may call. */
#ifndef _KSTUB_LINUX_STRING_H
#define _KSTUB_LINUX_STRING_H

#include <linux/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);

#endif
