// SPDX-License-Identifier: GPL-2.0
/* A repetition's batches and their reduction; see batches.h. */
#include <stdlib.h>
#include <string.h>

#include "batches.h"
#include "estimator.h"

/* The per-batch arrays of doubles, for allocating and freeing. */
#define NR_FIELDS 9
static void fields(struct tb_batches *b, double **f[NR_FIELDS])
{
	double **all[NR_FIELDS] = {
		&b->total,	 &b->ticks,	  &b->base,
		&b->clock,	 &b->clock_total, &b->probe,
		&b->probe_total, &b->cycles,	  &b->base_cycles,
	};

	memcpy(f, all, sizeof(all));
}

void tb_batches_free(struct tb_batches *b)
{
	double **f[NR_FIELDS];

	fields(b, f);
	for (int i = 0; i < NR_FIELDS; i++)
		free(*f[i]);
	for (int i = 0; i < TB_MAX_EVENTS; i++)
		free(b->value[i]);
	free(b->idx);
	memset(b, 0, sizeof(*b));
}

int tb_batches_alloc(struct tb_batches *b, size_t n, int nevents)
{
	double **f[NR_FIELDS];
	bool ok;

	memset(b, 0, sizeof(*b));
	fields(b, f);
	b->idx = calloc(n, sizeof(size_t));
	ok = b->idx;
	for (int i = 0; i < NR_FIELDS; i++)
		ok &= !!(*f[i] = calloc(n, sizeof(double)));
	for (int i = 0; ok && i < nevents; i++)
		ok = (b->value[i] = calloc(n, sizeof(double)));
	if (!ok)
		tb_batches_free(b);
	return ok ? 0 : -1;
}

bool tb_batches_clock(struct tb_batches *b)
{
	struct tb_estimate all;

	/* The whole repetition's clock: for a stretch that measured none. */
	if (!b->n || tb_estimate(b->clock_total, b->clock, b->n, TB_EST_KEEP,
				 b->idx, &all) ||
	    !(all.value > 0))
		return false;
	for (size_t s = 0; s < b->n;) {
		size_t len = b->n - s;
		struct tb_estimate e;

		/* A remainder shorter than half a stretch joins this one. */
		if (len >= TB_CLOCK_SEGMENT + TB_CLOCK_SEGMENT / 2)
			len = TB_CLOCK_SEGMENT;
		if (tb_estimate(b->clock_total + s, b->clock + s, len,
				TB_EST_KEEP, b->idx, &e) ||
		    !(e.value > 0))
			e.value = all.value;
		for (size_t i = s; i < s + len; i++)
			b->clock[i] = e.value;
		s += len;
	}
	return true;
}

void tb_batches_reduce(struct tb_batches *b, int cyc, int nevents,
		       double timer_hz, struct tb_rep *rep)
{
	struct tb_estimate e;
	size_t k;

	memset(rep, 0, sizeof(*rep));
	/* The probe: its own quiet batches, in cycles by the clock. */
	for (size_t i = 0; i < b->n; i++)
		b->cycles[i] = b->probe[i] / b->clock[i];
	tb_estimate(b->probe_total, b->cycles, b->n, TB_EST_KEEP, b->idx, &e);
	rep->probe = e.value;

	/* Each batch's cycles: counted, or its ticks over ticks per add. */
	for (size_t i = 0; i < b->n; i++) {
		b->cycles[i] =
			cyc >= 0 ? b->value[cyc][i] : b->ticks[i] / b->clock[i];
		b->base_cycles[i] =
			cyc >= 0 ? b->base[i] : b->base[i] / b->clock[i];
	}
	k = tb_quiet_batches(b->total, b->n, TB_EST_KEEP, b->idx);
	rep->kept = k;
	tb_estimate_over(b->ticks, b->idx, k, &e);
	rep->ticks = e.value;
	tb_estimate_over(b->cycles, b->idx, k, &e);
	rep->cycles = e.value;
	rep->cycles_sd = e.sd;
	tb_estimate_over(b->base_cycles, b->idx, k, &e);
	rep->base_cycles = e.value;
	for (size_t i = 0; i < k; i++)
		rep->ghz += timer_hz / b->clock[b->idx[i]];
	rep->ghz = k ? rep->ghz / (double)k / 1e9 : 0;
	for (int j = 0; j < nevents; j++) {
		tb_estimate_over(b->value[j], b->idx, k, &e);
		rep->value[j] = e.value;
	}
}
