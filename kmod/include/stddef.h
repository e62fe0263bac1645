/* SPDX-License-Identifier: GPL-2.0 */
/* A module's <stddef.h>: the shared variants code's types, from the kernel. */
#include <linux/types.h>
