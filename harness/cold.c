// SPDX-License-Identifier: GPL-2.0
/* The cold sampler; see cold.h. */
#include <errno.h>
#include <string.h>

#include "cold.h"

/* The kind of entry @i: 0 warm, 1 data, 2 code. */
static int kind_of(const struct tb_cold_evict *e, unsigned int i)
{
	return i < e->nwarm ? 0 : i < e->nwarm + e->ndata ? 1 : 2;
}

/* Take entry @i out of @e's list. */
static void remove_line(struct tb_cold_evict *e, unsigned int i)
{
	unsigned int n = e->nwarm + e->ndata + e->ncode;
	int kind = kind_of(e, i);

	memmove(&e->line[i], &e->line[i + 1], (n - i - 1) * sizeof(e->line[0]));
	if (kind == 0)
		e->nwarm--;
	else if (kind == 1)
		e->ndata--;
	else
		e->ncode--;
}

bool tb_cold_add_line(struct tb_cold_evict *e, uintptr_t addr, int kind,
		      unsigned int size)
{
	uint64_t line = addr & ~(uint64_t)(size - 1);
	unsigned int n = e->nwarm + e->ndata + e->ncode, at;

	/*
	 * A line named twice takes the stronger kind: flushed beats kept
	 * warm, and a code flush is a data flush and more (a literal in
	 * its trampoline's line is flushed with the code).
	 */
	for (unsigned int i = 0; i < n; i++) {
		if (e->line[i] != line)
			continue;
		if (kind_of(e, i) >= kind)
			return true;
		remove_line(e, i);
		n--;
		break;
	}
	if (n == TB_COLD_MAX_LINES)
		return false;
	/* the end of its kind's stretch: later kinds move up by one */
	at = e->nwarm + (kind > 0 ? e->ndata : 0) + (kind > 1 ? e->ncode : 0);
	memmove(&e->line[at + 1], &e->line[at], (n - at) * sizeof(e->line[0]));
	e->line[at] = line;
	if (kind == 0)
		e->nwarm++;
	else if (kind == 1)
		e->ndata++;
	else
		e->ncode++;
	return true;
}

bool tb_cold_add_range(struct tb_cold_evict *e, uintptr_t start, uintptr_t end,
		       int kind, unsigned int size)
{
	for (uintptr_t p = start & ~(uintptr_t)(size - 1); p < end; p += size)
		if (!tb_cold_add_line(e, p, kind, size))
			return false;
	return true;
}

static void evict(const struct tb_cold_evict *e)
{
	if (e->walk)
		e->walk();
	e->evict(e->line, e->nwarm, e->ndata, e->ncode);
}

/*
 * Never inlined, and the only way a sample is taken on the timer: the
 * call and its control run through the same instructions around the
 * stub, so their difference is the stub's site alone.
 */
__attribute__((noinline)) uint64_t tb_cold_time(const struct tb_cold_evict *e,
						tb_cold_stub stub)
{
	evict(e);
	return stub();
}

/* The same under an enabled counter group; false if multiplexed. */
static __attribute__((noinline)) bool
cold_count(const struct tb_cold_evict *e, tb_cold_stub stub,
	   const struct tb_perf_group *g, uint64_t *ticks,
	   struct tb_perf_delta *d)
{
	struct tb_perf_sample b;

	evict(e);
	tb_perf_begin(g, &b);
	*ticks = stub();
	tb_perf_end(g, &b, d);
	return !d->multiplexed;
}

/* Both samples of pair @i; false if a group was multiplexed. */
static bool pair(struct tb_meter *m, const struct tb_cold_spec *s,
		 struct tb_cold_record *r, size_t i)
{
	/* even pairs run the control first, odd ones the call */
	const int first = (int)(i & 1);
	const tb_cold_stub stub[2] = { s->one, s->two };
	int ev = 0;

	if (!m->counting) {
		for (int k = 0; k < 2; k++) {
			int w = k ^ first;

			r->ticks[w][i] = tb_cold_time(&s->evict, stub[w]);
		}
		return true;
	}
	for (int g = 0; g < m->perf.nr_groups; g++) {
		struct tb_perf_group *grp = &m->perf.g[g];
		bool ok = true;

		tb_perf_enable(grp);
		for (int k = 0; k < 2 && ok; k++) {
			int w = k ^ first;
			struct tb_perf_delta d;
			uint64_t t;

			ok = cold_count(&s->evict, stub[w], grp, &t, &d);
			if (!g)
				r->ticks[w][i] = t;
			for (int j = 0; j < grp->nr; j++)
				r->value[w][ev + j][i] = d.value[j];
		}
		tb_perf_disable(grp);
		if (!ok) {
			m->redone_multiplexed++;
			return false;
		}
		ev += grp->nr;
	}
	return true;
}

int tb_cold_measure(struct tb_meter *m, const struct tb_cold_spec *s,
		    struct tb_cold_record *r, size_t from, size_t to,
		    unsigned long *redone)
{
	for (size_t i = from; i < to; i++) {
		unsigned int t;

		for (t = 0; t < TB_METER_TRIES; t++) {
			struct tb_disturb_sample d0, d1;
			bool ok;

			tb_disturb_read(&m->disturb, &d0);
			ok = pair(m, s, r, i);
			tb_disturb_read(&m->disturb, &d1);
			/*
			 * An emulator's own threads switch in and out of
			 * nearly every pair, and its timing describes the
			 * emulator anyway: there the first try is kept.
			 */
			if (tb_disturb_delta(&d0, &d1, NULL, NULL) &&
			    m->mode != TB_MODE_EMULATED) {
				m->redone_disturbed++;
				ok = false;
			}
			if (ok)
				break;
		}
		if (t == TB_METER_TRIES)
			return -EAGAIN;
		*redone += t;
		if (i >= r->n)
			r->n = i + 1;
	}
	return 0;
}
