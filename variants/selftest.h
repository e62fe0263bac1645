/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TB_SELFTEST_H
#define TB_SELFTEST_H

#include <stdio.h>

/*
 * Drive every variant instance through target, NULL (conditional call),
 * RET0 and back, on this machine, and check what ran.  Prints one line
 * per variant to out; returns the number of failed checks.
 */
unsigned int tb_selftest(FILE *out);

#endif
