/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trampbench --kernel: the same scenarios measured in the kernel, by the
 * module of kmod/ (make kmod), through the engine's batch hook: every
 * batch runs in the module and comes back raw, then goes through the
 * same reduction and into the same results as a user-space run.
 */
#ifndef TB_KERNEL_H
#define TB_KERNEL_H

#include <stdio.h>

#include "case.h"
#include "meter.h"
#include "options.h"

/*
 * Before anything is written: root, module loading allowed, a module
 * built for the running kernel.  0, or -1 with one line on stderr.
 */
int tb_kernel_check(const struct tb_options *o);

/*
 * Load the module and read its self-test's verdict (a failure unloads
 * it and names the variant); 0, or -1 (2: a usage error) with one line.
 */
int tb_kernel_load(const struct tb_options *o, FILE *info);

/* Open the meter's events in the module, and take over the batches. */
int tb_kernel_start(struct tb_meter *m);

/*
 * A case as the module runs it: named as kernel's, or skipped with why
 * the module cannot run it.  Call before registering it.
 */
void tb_kernel_case(struct tb_case *c);

/*
 * The kernel's own static_call's cases for these scenarios (hot, null,
 * ret0, update), registered and named; 0 or -1.
 */
int tb_kernel_register_own(const struct tb_options *o,
			   const struct tb_run_opts *run);

/* Unload the module (also at exit). */
void tb_kernel_unload(void);

#endif
