/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architectural timer, and an estimate of the core clock for when no
 * PMU cycle counter is available.
 *
 * The timer is not a cycle counter: x86's TSC runs at a fixed nominal rate
 * (2.596 GHz on the Zen 4 VMs, whose cores run near 3.6 GHz) and arm64's
 * CNTVCT_EL0 at CNTFRQ_EL0 (often 25 MHz to 1 GHz).  To state a time in
 * core cycles, multiply timer ticks by tb_core_freq.cycles_per_tick, which
 * tb_core_freq_calibrate() measures with a chain of dependent adds.
 *
 * Under qemu-user the timer is the host's clock scaled, and the add chain
 * runs as translated code: the values are real numbers but not cycles of
 * any core.  The caller knows it is emulated and says so in its output.
 */
#ifndef TB_CLOCK_H
#define TB_CLOCK_H

/* tb_add_chain(), tb_call_probe() and their unrolling, for clock.S too */
#include "core/chain.h"

#ifndef __ASSEMBLY__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* tb_timer_read(): harness/<arch>/arch_timer.h, inline */
#include "arch_timer.h"

/*
 * tb_timer_freq - timer ticks per second.  arm64: CNTFRQ_EL0.  x86: the
 * TSC measured against CLOCK_MONOTONIC_RAW over 50 ms on the first call
 * (CPUID leaf 0x15 is absent on AMD and in many VMs).  Returns 0 if it
 * cannot be determined.
 */
uint64_t tb_timer_freq(void);

/* tb_timer_name - "tsc" or "cntvct_el0", for labelling output. */
const char *tb_timer_name(void);

/* tb_timer_ns - @ticks of the timer in nanoseconds. */
double tb_timer_ns(uint64_t ticks);

/* The core clock as the add chain measured it. */
struct tb_core_freq {
	double ghz;		/* core cycles per ns (adds per ns) */
	double cycles_per_tick;	/* core cycles per timer tick */
	uint64_t timer_hz;	/* tb_timer_freq() used */
	uint64_t adds;		/* adds in the timed run */
	uint64_t ticks;		/* timer ticks of the fastest run */
};

/*
 * tb_core_freq_calibrate - time the add chain 100 times (runs of at least
 * 0.25 ms) and keep the fastest run, the one least disturbed by interrupts,
 * the hypervisor and frequency ramp-up.  About 30 ms.  Call it at the start
 * and the end of a run and compare with tb_core_freq_drifted().
 * Returns 0, or -EIO if the timer frequency is unknown.
 */
int tb_core_freq_calibrate(struct tb_core_freq *f);

/* Default threshold for tb_core_freq_drifted(), in percent. */
#define TB_CORE_FREQ_DRIFT_PCT 2.0

/* tb_core_freq_drift_pct - change from @start to @end, in percent. */
double tb_core_freq_drift_pct(const struct tb_core_freq *start,
			      const struct tb_core_freq *end);

/*
 * tb_core_freq_drifted - true if the core clock changed by more than
 * @threshold_pct percent between @start and @end; then @msg (if not NULL)
 * holds one line such as "core clock drifted by +10.0% during the run
 * (3.000 -> 3.300 GHz)".
 */
bool tb_core_freq_drifted(const struct tb_core_freq *start,
			  const struct tb_core_freq *end, double threshold_pct,
			  char *msg, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* __ASSEMBLY__ */
#endif /* TB_CLOCK_H */
