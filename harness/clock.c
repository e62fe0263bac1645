// SPDX-License-Identifier: GPL-2.0
/*
 * Timer frequency, and the core clock estimated with a dependent add chain.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"

/* x86 TSC calibration window: 50 ms gives ~20 ppm with a 1 us pair error. */
#define TSC_CAL_NS 50000000ULL
/* Pairs read per calibration point; the tightest one is kept. */
#define TSC_CAL_TRIES 5

/*
 * Many short runs, keep the fastest: in a VM most 2 ms runs lose a few
 * percent to the host, while the best of 100 runs of 0.25 ms repeats
 * within 0.5% (measured on the Zen 4 VMs).
 */
#define CHAIN_RUN_NS 250000.0
#define CHAIN_RUNS 100

static uint64_t timer_hz;
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;

#if defined(__x86_64__)
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

static void timer_init(void)
{
	struct timespec wait = { 0, TSC_CAL_NS };
	uint64_t tsc0, ns0, tsc1, ns1;

	if (tsc_point(&tsc0, &ns0))
		return;
	/* The TSC is invariant: sleeping does not stop it. */
	while (nanosleep(&wait, &wait) && errno == EINTR)
		;
	if (tsc_point(&tsc1, &ns1) || ns1 <= ns0 || tsc1 <= tsc0)
		return;
	timer_hz = (uint64_t)((double)(tsc1 - tsc0) * 1e9 /
			      (double)(ns1 - ns0) + 0.5);
}

const char *tb_timer_name(void)
{
	return "tsc";
}
#elif defined(__aarch64__)
static void timer_init(void)
{
	uint64_t frq;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	/* Only the low 32 bits are defined (Arm ARM, CNTFRQ_EL0). */
	timer_hz = frq & 0xffffffffULL;
}

const char *tb_timer_name(void)
{
	return "cntvct_el0";
}
#endif

uint64_t tb_timer_freq(void)
{
	pthread_once(&timer_once, timer_init);
	return timer_hz;
}

double tb_timer_ns(uint64_t ticks)
{
	uint64_t hz = tb_timer_freq();

	return hz ? (double)ticks * 1e9 / (double)hz : NAN;
}

static uint64_t time_chain(uint64_t n)
{
	uint64_t t0 = tb_timer_read();

	tb_add_chain(n);
	return tb_timer_read() - t0;
}

int tb_core_freq_calibrate(struct tb_core_freq *f)
{
	uint64_t hz = tb_timer_freq();
	uint64_t n = 16, best = UINT64_MAX;

	if (!hz)
		return -EIO;
	/* Grow the run to CHAIN_RUN_NS; this also ramps the clock up. */
	while (tb_timer_ns(time_chain(n)) < CHAIN_RUN_NS && n < (1ULL << 40))
		n *= 2;
	for (int i = 0; i < CHAIN_RUNS; i++) {
		uint64_t t = time_chain(n);

		if (t && t < best)
			best = t;
	}
	if (best == UINT64_MAX)
		return -EIO;

	f->timer_hz = hz;
	f->adds = n * TB_ADD_CHAIN_UNROLL;
	f->ticks = best;
	f->cycles_per_tick = (double)f->adds / (double)best;
	f->ghz = f->cycles_per_tick * (double)hz / 1e9;
	return 0;
}

double tb_core_freq_drift_pct(const struct tb_core_freq *start,
			      const struct tb_core_freq *end)
{
	return 100.0 * (end->ghz - start->ghz) / start->ghz;
}

bool tb_core_freq_drifted(const struct tb_core_freq *start,
			  const struct tb_core_freq *end, double threshold_pct,
			  char *msg, size_t len)
{
	double pct = tb_core_freq_drift_pct(start, end);

	/* A NaN (unset or zero start) counts as drift: nothing to trust. */
	if (fabs(pct) <= threshold_pct)
		return false;
	if (msg && len)
		snprintf(msg, len,
			 "core clock drifted by %+.1f%% during the run (%.3f -> %.3f GHz)",
			 pct, start->ghz, end->ghz);
	return true;
}
