/* SPDX-License-Identifier: GPL-2.0 */
/* Stub of the kernel's linux/errno.h: the values the core returns. */
#ifndef _KSTUB_LINUX_ERRNO_H
#define _KSTUB_LINUX_ERRNO_H

#define EAGAIN 11
#define ENODEV 19

#endif
