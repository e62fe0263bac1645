// SPDX-License-Identifier: GPL-2.0
/*
 * The variant self-test: before anything is measured, prove that each
 * variant's code and update method work on this CPU with this patch
 * mode.  Measuring code that does not do what it claims is worse than
 * not measuring.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selftest.h"
#include "static_call.h"

#define A 0x11, 0x22, 0x33, 0x44, 0x55, 0x66

/*
 * Does a conditional call through sc die of a trap (kCFI: SIGILL from
 * ud2, SIGTRAP from brk)?  Tried in a child, which is all it may kill.
 */
static bool call_traps(struct tb_static_call *sc)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (!pid) {
		signal(SIGILL, SIG_DFL);
		signal(SIGTRAP, SIG_DFL);
		tb_static_call_cond(sc, A);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) &&
	       (WTERMSIG(status) == SIGILL || WTERMSIG(status) == SIGTRAP);
}

/* One key: each state in turn, then back to where it was. */
static unsigned int check_key(struct tb_static_call *sc)
{
	const void *start = sc->func;
	const void *seq[] = { tb_target(1), NULL, tb_ret0(), tb_target(2),
			      start };
	unsigned int bad = 0;

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		const void *f = seq[i];
		long r;

		if (tb_static_call_update(sc, f)) {
			bad++;
			continue;
		}
		/* As in the kernel, where kCFI checks the RET0 and nop types. */
		if (tb_static_call_traps(sc, f)) {
			bad += !call_traps(sc);
			continue;
		}
		r = tb_static_call_cond(sc, A);
		if (f == tb_target(1) || f == tb_target(2))
			bad += r != tb_target_expect(f == tb_target(1) ? 1 : 2,
						     A);
		else if (f == tb_ret0())
			bad += r != 0 || tb_static_call(sc, A) != 0;
		else if (!f)
			bad += r != 0 && r != 0x11;
	}
	return bad;
}

unsigned int tb_selftest(FILE *out)
{
	unsigned int n, bad = 0;
	struct tb_instance *in = tb_instances(&n);

	for (unsigned int i = 0; i < n;) {
		const char *variant = in[i].variant;
		unsigned int count = 0, vbad = 0;

		for (; i < n && !strcmp(in[i].variant, variant); i++, count++)
			for (unsigned int k = 0; k < in[i].nkeys; k++)
				if (!in[i].keys[k].bench)
					vbad += check_key(&in[i].keys[k]);
		fprintf(out, "  %-9s %2u instance%s: %s\n", variant, count,
			count == 1 ? " " : "s", vbad ? "FAILED" : "ok");
		bad += vbad;
	}
	return bad;
}
