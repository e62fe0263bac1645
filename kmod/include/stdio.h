/* SPDX-License-Identifier: GPL-2.0 */
/* A module's <stdio.h>: snprintf is the kernel's (linux/kernel.h). */
#include <linux/kernel.h>
