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
#include "harness_arch.h"

/*
 * Many short runs, keep the fastest: in a VM most 2 ms runs lose a few
 * percent to the host, while the best of 100 runs of 0.25 ms repeats
 * within 0.5% (measured on the Zen 4 VMs).
 */
#define CHAIN_RUN_NS 250000.0
#define CHAIN_RUNS 100

static uint64_t timer_hz;
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;

static void timer_init(void)
{
	timer_hz = tb_arch_timer_hz();
}

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
