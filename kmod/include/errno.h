/* SPDX-License-Identifier: GPL-2.0 */
/* A module's <errno.h>: the kernel's error numbers. */
#include <linux/errno.h>
