/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the static-call tests share: group set-up over the code image, and
 * running a call that is expected to crash in a child process.  Include
 * after <cmocka.h>.
 */
#ifndef TB_TEST_H
#define TB_TEST_H

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selftest.h"
#include "static_call.h"

/* The six arguments every test call passes; targets mix them all. */
#define A 0x11, 0x22, 0x33, 0x44, 0x55, 0x66

static inline int tb_test_setup(void **state)
{
	(void)state;
	return tb_static_calls_init() ? -1 : 0;
}

static inline int tb_test_teardown(void **state)
{
	(void)state;
	tb_static_calls_exit();
	return 0;
}

static inline void tb_call_a(void *fn)
{
	(*(tb_call_fn *)fn)(A);
}

/*
 * Call fn(A) in a child (no core file, no cmocka handler); the trap
 * signal it raised, or 0.
 */
static inline int tb_child_signal(tb_call_fn fn)
{
	int sig = tb_trap_child(tb_call_a, &fn);

	assert_true(sig >= 0);
	return sig;
}

#endif
