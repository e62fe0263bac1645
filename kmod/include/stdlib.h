/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A module's <stdlib.h>: what the shared variants code (the registry)
 * allocates, from the kernel's allocator.
 */
#include <linux/slab.h>

#define calloc(n, size) kcalloc(n, size, GFP_KERNEL)
#define free(p) kfree(p)
