// SPDX-License-Identifier: GPL-2.0
/* arm64: the generic timer's rate, CNTFRQ_EL0. */
#include <stdint.h>

#include "clock.h"
#include "harness_arch.h"

uint64_t tb_arch_timer_hz(void)
{
	uint64_t frq;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	/* Only the low 32 bits are defined (Arm ARM, CNTFRQ_EL0). */
	return frq & 0xffffffffULL;
}

const char *tb_timer_name(void)
{
	return "cntvct_el0";
}
