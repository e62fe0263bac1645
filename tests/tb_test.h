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

/* Call fn(A) in a child; the signal that ended it, or 0. */
static inline int tb_child_signal(tb_call_fn fn)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		/* An expected crash: no core file, no cmocka handler. */
		setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
		signal(SIGILL, SIG_DFL);
		signal(SIGTRAP, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		fn(A);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

#endif
