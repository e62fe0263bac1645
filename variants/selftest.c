// SPDX-License-Identifier: GPL-2.0
/*
 * The variant self-test: before anything is measured, prove that each
 * variant's code and update method work on this CPU with this patch
 * mode.  Measuring code that does not do what it claims is worse than
 * not measuring.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selftest.h"
#include "static_call.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define A 0x11, 0x22, 0x33, 0x44, 0x55, 0x66

/*
 * A trap child's exit status for the signal it caught: the child exits
 * from its handler instead of dying of the signal, so no core is dumped
 * whatever the user's ulimit -c, and qemu-user, which writes its own
 * qemu_*.core and says "core dumped" even where RLIMIT_CORE is 0, has
 * no uncaught signal to handle.
 */
#define TRAP_EXIT 64

static const int trap_sigs[] = { SIGILL, SIGTRAP, SIGSEGV, SIGBUS };

static void trapped(int sig)
{
	_exit(TRAP_EXIT + sig);
}

int tb_trap_child(void (*fn)(void *arg), void *arg)
{
	struct sigaction sa = { .sa_handler = trapped };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		/* Should another signal kill it: still no core. */
		setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < ARRAY_SIZE(trap_sigs); i++)
			sigaction(trap_sigs[i], &sa, NULL);
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(trap_sigs); i++)
		if (WIFEXITED(status) &&
		    WEXITSTATUS(status) == TRAP_EXIT + trap_sigs[i])
			return trap_sigs[i];
	return -1;
}

static void cond_call(void *sc)
{
	tb_static_call_cond(sc, A);
}

/*
 * Does a conditional call through sc die of a trap (kCFI: SIGILL from
 * ud2, SIGTRAP from brk)?  Tried in a child, which is all it may kill.
 */
static bool call_traps(struct tb_static_call *sc)
{
	int sig = tb_trap_child(cond_call, sc);

	return sig == SIGILL || sig == SIGTRAP;
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
