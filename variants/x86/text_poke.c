// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's int3 protocol for patching code other CPUs may be running
 * (arch/x86/kernel/alternative.c, text_poke_bp()): write int3 over the
 * first byte, sync every core, write the rest, sync, write the first
 * byte, sync.  A CPU that meets the int3 meanwhile traps; where the
 * kernel emulates the new instruction, this handler waits until the
 * first byte is written and runs the new instruction itself.
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "image.h"
#include "insn.h"
#include "text_poke.h"

static int sync_cmd;
static void *poke_addr; /* the site being patched, for the handler */
/* Odd while a poke is in progress; lets the handler tell a foreign int3. */
static unsigned long poke_seq;

static int membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/* Serialise every core running this process (the IPI of text_poke_sync). */
static void sync_core(void)
{
	if (sync_cmd)
		membarrier(sync_cmd);
}

static void int3_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uint8_t *ip = (uint8_t *)uc->uc_mcontext.gregs[REG_RIP] - 1;

	(void)si;
	for (;;) {
		unsigned long seq = __atomic_load_n(&poke_seq, __ATOMIC_ACQUIRE);
		void *at = __atomic_load_n(&poke_addr, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(ip, __ATOMIC_ACQUIRE) != X86_INT3_OPCODE)
			break;
		/*
		 * An int3 while no poke of ip runs, and none started since
		 * seq was read: not ours, die as an int3 would.  Reading the
		 * sequence again matters: a next poke of the same site may
		 * have written its int3 right after the last one ended.
		 */
		if (at != ip && !(seq & 1) &&
		    __atomic_load_n(&poke_seq, __ATOMIC_ACQUIRE) == seq) {
			signal(sig, SIG_DFL);
			raise(sig);
			return;
		}
		sched_yield();
	}
	/* Returning from the signal serialises; run the new instruction. */
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)ip;
}

int tb_text_poke_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = int3_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTRAP, &sa, NULL))
		return -errno;
	if (!membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE))
		sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE;
	else if (!membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
		/* IPIs still serialise x86 cores on return (IRET). */
		sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED;
	else
		fprintf(stderr,
			"trampbench: membarrier unavailable (%s): patching x86 code under concurrent calls is not serialised\n",
			strerror(errno));
	return 0;
}

void tb_text_poke_bp(struct tb_image *img, void *addr, const uint8_t *insn,
		     size_t len)
{
	const uint8_t int3 = X86_INT3_OPCODE;

	if (!memcmp(addr, insn, len))
		return;
	__atomic_add_fetch(&poke_seq, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&poke_addr, addr, __ATOMIC_RELEASE);
	tb_image_write_text(img, addr, &int3, 1);
	sync_core();
	if (len > 1) {
		tb_image_write_text(img, (uint8_t *)addr + 1, insn + 1,
				    len - 1);
		sync_core();
	}
	tb_image_write_text(img, addr, insn, 1);
	sync_core();
	__atomic_store_n(&poke_addr, NULL, __ATOMIC_RELEASE);
	__atomic_add_fetch(&poke_seq, 1, __ATOMIC_ACQ_REL);
}
