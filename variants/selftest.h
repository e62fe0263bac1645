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

/*
 * tb_trap_child - call @fn(@arg) in a child, which is all a trap may
 * kill.  Returns the signal it raised (SIGILL, SIGTRAP, SIGSEGV or
 * SIGBUS), 0 if @fn returned, -1 if the child ended otherwise or none
 * ran.  The child catches the signal and exits: no core file, natively
 * or under qemu-user, and nothing printed about one.
 */
int tb_trap_child(void (*fn)(void *arg), void *arg);

#endif
