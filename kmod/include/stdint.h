/* SPDX-License-Identifier: GPL-2.0 */
/* A module's <stdint.h>: the shared variants code's types, from the kernel. */
#include <linux/types.h>

typedef long intptr_t;
#include <linux/limits.h>
#define INT32_MIN S32_MIN
#define INT32_MAX S32_MAX
#define UINT64_MAX U64_MAX
