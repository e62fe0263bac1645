/* SPDX-License-Identifier: GPL-2.0 */
/* A module's <string.h>: the kernel's. */
#include <linux/string.h>
