// SPDX-License-Identifier: GPL-2.0
/* The cold sampler; see cold.h. */
#include "core/cold.h"

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
tb_noinline uint64_t tb_cold_time(const struct tb_cold_evict *e,
				  tb_cold_stub stub)
{
	evict(e);
	return stub();
}

/* The same under an enabled counter group; false if multiplexed. */
static tb_noinline bool cold_count(const struct tb_cold_evict *e,
				   tb_cold_stub stub, struct tb_counters *k,
				   int g, uint64_t *ticks,
				   struct tb_counts *d)
{
	struct tb_counts b;

	evict(e);
	k->ops->begin(k, g, &b);
	*ticks = stub();
	k->ops->end(k, g, &b, d);
	return !d->multiplexed;
}

/* Both samples of pair @i; false if a group was multiplexed. */
static bool pair(struct tb_core *c, bool count, const struct tb_cold_spec *s,
		 struct tb_cold_record *r, size_t i)
{
	/* even pairs run the control first, odd ones the call */
	const int first = (int)(i & 1);
	const tb_cold_stub stub[2] = { s->one, s->two };
	struct tb_counters *k = &c->counters;
	int ev = 0;

	if (!count) {
		for (int j = 0; j < 2; j++) {
			int w = j ^ first;

			r->ticks[w][i] = tb_cold_time(&s->evict, stub[w]);
		}
		return true;
	}
	for (int g = 0; g < k->ngroups; g++) {
		bool ok = true;

		k->ops->enable(k, g);
		for (int j = 0; j < 2 && ok; j++) {
			int w = j ^ first;
			struct tb_counts d;
			uint64_t t;

			ok = cold_count(&s->evict, stub[w], k, g, &t, &d);
			if (!g)
				r->ticks[w][i] = t;
			for (int m = 0; m < k->nr[g]; m++)
				r->value[w][ev + m][i] = d.value[m];
		}
		k->ops->disable(k, g);
		if (!ok) {
			c->redone_multiplexed++;
			return false;
		}
		ev += k->nr[g];
	}
	return true;
}

int tb_cold_measure(struct tb_core *c, bool count,
		    const struct tb_cold_spec *s, struct tb_cold_record *r,
		    size_t from, size_t to, unsigned long *redone)
{
	for (size_t i = from; i < to; i++) {
		unsigned int t;

		/*
		 * An emulator's own threads switch in and out of nearly
		 * every pair, and its timing describes the emulator anyway:
		 * there the first try is kept.
		 */
		bool watch = c->disturb_read && !c->keep_disturbed_pairs;

		for (t = 0; t < TB_CORE_TRIES; t++) {
			struct tb_disturb_sample d0, d1;
			bool ok;

			if (watch)
				c->disturb_read(c->disturb_arg, &d0);
			ok = pair(c, count, s, r, i);
			if (watch) {
				c->disturb_read(c->disturb_arg, &d1);
				if (tb_disturb_delta(&d0, &d1, NULL, NULL)) {
					c->redone_disturbed++;
					ok = false;
				}
			}
			if (ok)
				break;
		}
		if (t == TB_CORE_TRIES)
			return -EAGAIN;
		*redone += t;
		if (i >= r->n)
			r->n = i + 1;
	}
	return 0;
}
