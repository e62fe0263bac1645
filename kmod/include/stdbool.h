/* SPDX-License-Identifier: GPL-2.0 */
/* A module's <stdbool.h>: the shared variants code's types, from the kernel. */
#include <linux/types.h>
