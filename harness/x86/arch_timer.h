/* SPDX-License-Identifier: GPL-2.0 */
/* x86: the TSC, read in order (harness/clock.h, and the core: kernel-safe) */
#ifndef TB_X86_ARCH_TIMER_H
#define TB_X86_ARCH_TIMER_H

#include "core/shim.h"

/*
 * tb_timer_read - read the architectural timer, ordered against the code
 * around it: everything before has completed, nothing after has started.
 */
static inline uint64_t tb_timer_read(void)
{
	uint32_t lo, hi;

	/*
	 * LFENCE before: older instructions have completed; after: younger
	 * ones wait for the read (Intel SDM Vol. 2B, RDTSC).  AMD's LFENCE is
	 * dispatch-serialising too, which Linux relies on in rdtsc_ordered()
	 * (arch/x86/include/asm/msr.h).  CPUID would trap to the hypervisor.
	 */
	asm volatile("lfence\n\trdtsc\n\tlfence"
		     : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

#endif
