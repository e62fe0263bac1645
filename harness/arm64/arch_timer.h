/* SPDX-License-Identifier: GPL-2.0 */
/* arm64: CNTVCT_EL0, read in order (harness/clock.h, and the core) */
#ifndef TB_ARM64_ARCH_TIMER_H
#define TB_ARM64_ARCH_TIMER_H

#include "core/shim.h"

/*
 * tb_timer_read - read the architectural timer, ordered against the code
 * around it: everything before has completed, nothing after has started.
 */
static inline uint64_t tb_timer_read(void)
{
	uint64_t cnt;

	/*
	 * The counter may be read early or late without an ISB before it
	 * (Linux __arch_counter_get_cntvct(), arch/arm64/include/asm/
	 * arch_timer.h); the ISB after keeps younger instructions waiting.
	 */
	asm volatile("isb\n\tmrs %0, cntvct_el0\n\tisb"
		     : "=r"(cnt) : : "memory");
	return cnt;
}

#endif
