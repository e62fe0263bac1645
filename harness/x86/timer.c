// SPDX-License-Identifier: GPL-2.0
/*
 * x86: the TSC's rate, measured against CLOCK_MONOTONIC_RAW (CPUID leaf
 * 0x15 is absent on AMD and in many VMs).
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "harness_arch.h"

/* Calibration window: 50 ms gives ~20 ppm with a 1 us pair error. */
#define TSC_CAL_NS 50000000ULL
/* Pairs read per calibration point; the tightest one is kept. */
#define TSC_CAL_TRIES 5

static uint64_t mono_raw_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_RAW, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * One (TSC, ns) point: the clock read bracketed by two TSC reads, the
 * tightest bracket of a few, the TSC taken at its middle.
 */
static int tsc_point(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < TSC_CAL_TRIES; i++) {
		uint64_t t0 = tb_timer_read();
		uint64_t n = mono_raw_ns();
		uint64_t t1 = tb_timer_read();

		if (!n)
			return -1;
		if (t1 - t0 < best) {
			best = t1 - t0;
			*tsc = t0 + (t1 - t0) / 2;
			*ns = n;
		}
	}
	return 0;
}

uint64_t tb_arch_timer_hz(void)
{
	struct timespec wait = { 0, TSC_CAL_NS };
	uint64_t tsc0, ns0, tsc1, ns1;

	if (tsc_point(&tsc0, &ns0))
		return 0;
	/* The TSC is invariant: sleeping does not stop it. */
	while (nanosleep(&wait, &wait) && errno == EINTR)
		;
	if (tsc_point(&tsc1, &ns1) || ns1 <= ns0 || tsc1 <= tsc0)
		return 0;
	return (uint64_t)((double)(tsc1 - tsc0) * 1e9 /
			  (double)(ns1 - ns0) + 0.5);
}

const char *tb_timer_name(void)
{
	return "tsc";
}
