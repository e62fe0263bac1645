/* SPDX-License-Identifier: GPL-2.0 */
/* Stub of the kernel's linux/stddef.h. */
#ifndef _KSTUB_LINUX_STDDEF_H
#define _KSTUB_LINUX_STDDEF_H

#undef NULL
#define NULL ((void *)0)

enum {
	false = 0,
	true = 1
};

#endif
