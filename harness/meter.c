// SPDX-License-Identifier: GPL-2.0
/* The measuring core; see meter.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emulation.h"
#include "harness_arch.h"
#include "meter.h"

const char *tb_counter_mode_name(enum tb_counter_mode mode)
{
	static const char *const names[] = {
		[TB_MODE_PMU] = "pmu",
		[TB_MODE_TIMER] = "timer",
		[TB_MODE_EMULATED] = "emulated",
	};
	return names[mode];
}

static enum tb_counter_mode timer_mode(struct tb_meter *m)
{
	if (!m->why[0])
		snprintf(m->why, sizeof(m->why), "no hardware events selected");
	return m->emu.kind != TB_EMU_NONE ? TB_MODE_EMULATED : TB_MODE_TIMER;
}

/*
 * Do cycles and instructions per add agree exactly over the add chain,
 * as only an emulator counting instructions as cycles makes them?  (On a
 * core the chain's cycles per add vary from batch to batch.)
 */
static bool counts_exact(struct tb_meter *m)
{
	int cyc = tb_meter_role(m, TB_ROLE_CYCLES);
	int ins = tb_meter_role(m, TB_ROLE_INSTRUCTIONS);
	const struct tb_loop_pair *chain;
	uint64_t passes;
	struct tb_sample s;

	if (cyc < 0 || ins < 0)
		return false;
	chain = tb_meter_clock(&passes);
	for (int i = 0; i < 3; i++)
		if (tb_meter_measure(m, chain, passes, &s) || !s.counted[ins] ||
		    s.value[cyc] != s.value[ins])
			return false;
	return true;
}

int tb_meter_init(struct tb_meter *m, const struct tb_cpu_model *cpu,
		  const char *events)
{
	char err[TB_PERF_MSG_MAX], notes[TB_EVENT_NOTES_MAX];
	int n;

	memset(m, 0, sizeof(*m));
	m->cpu = *cpu;
	tb_emulation_detect("", cpu, &m->emu);
	if (tb_core_freq_calibrate(&m->freq)) {
		snprintf(m->why, sizeof(m->why),
			 "the %s timer frequency is unknown", tb_timer_name());
		return -EIO;
	}
	tb_disturb_open(&m->disturb);
	tb_pmu_init(); /* without libpfm4, generic and raw names still work */
	if (events && !strcmp(events, "none"))
		n = 0;
	else
		n = tb_events_select(cpu,
				     events ? events : tb_events_default(cpu),
				     m->events, TB_MAX_EVENTS, notes,
				     sizeof(notes), err, sizeof(err));
	if (n >= 0 && notes[0]) /* events the PMU lacks: one line each */
		for (char *l = strtok(notes, "\n"); l; l = strtok(NULL, "\n"))
			fprintf(stderr, "trampbench: %s\n", l);
	if (n < 0) {
		snprintf(m->why, sizeof(m->why), "%s", err);
		return -EINVAL;
	}
	m->nevents = n;
	if (n > 0 && !tb_perf_open(&m->perf, m->events, n, cpu)) {
		/* Samples follow the groups' order: list the events so. */
		m->nevents = 0;
		for (int g = 0; g < m->perf.nr_groups; g++)
			for (int j = 0; j < m->perf.g[g].nr; j++) {
				m->events[m->nevents] = m->perf.g[g].m[j].ev;
				m->hw |= tb_event_is_hw(
					&m->events[m->nevents++].attr);
			}
		m->counting = true;
		/* Software events alone leave time to the timer. */
		m->mode = m->hw ? TB_MODE_PMU : timer_mode(m);
		m->icount = m->emu.kind == TB_EMU_QEMU_SYSTEM && counts_exact(m);
		return 0;
	}
	/* Counters unavailable: say why, continue on the timer. */
	if (n > 0 && !tb_perf_timer_mode(m->perf.err)) {
		snprintf(m->why, sizeof(m->why), "%s", m->perf.msg);
		return -EINVAL;
	}
	if (n > 0)
		snprintf(m->why, sizeof(m->why), "%s", m->perf.msg);
	m->nevents = 0;
	m->mode = timer_mode(m);
	return 0;
}

void tb_meter_exit(struct tb_meter *m)
{
	if (m->counting)
		tb_perf_close(&m->perf);
	tb_disturb_close(&m->disturb);
}

double tb_meter_per_item(double one, double two, const struct tb_loop_pair *lp,
			 uint64_t passes)
{
	/* loop two makes lp->items more calls a pass than loop one */
	return (two - one) / ((double)lp->items * (double)passes);
}

/*
 * One counted span: @fn between the group's two reads.  Never inlined, so
 * loop one and loop two run through the same instructions around the
 * call: inlined, the compiler scheduled one more instruction into the
 * first span than into the second (seen as 1/512 instruction per call
 * short under qemu-system's exact counts), which the difference of the
 * two loops kept.
 */
static __attribute__((noinline)) void
group_span(const struct tb_perf_group *g, tb_loop_fn fn, uint64_t passes,
	   struct tb_perf_sample *b, struct tb_perf_delta *d)
{
	tb_perf_begin(g, b);
	fn(passes, 0);
	tb_perf_end(g, b, d);
}

/* Both loops under one counter group; false if it was multiplexed. */
static bool measure_group(struct tb_meter *m, struct tb_perf_group *g,
			  const struct tb_loop_pair *lp, uint64_t passes,
			  int first, struct tb_sample *s)
{
	struct tb_perf_sample b;
	struct tb_perf_delta d1, d2;
	bool ok;

	if (lp->warm)
		lp->one(lp->warm, 0);
	tb_perf_enable(g);
	group_span(g, lp->one, passes, &b, &d1);
	if (lp->two)
		group_span(g, lp->two, passes, &b, &d2);
	else
		group_span(g, lp->one, 2 * passes, &b, &d2);
	tb_perf_disable(g);
	ok = !d1.multiplexed && !d2.multiplexed;
	if (!ok)
		m->redone_multiplexed++;
	for (int j = 0; ok && j < g->nr; j++) {
		s->value[first + j] = tb_meter_per_item(
			(double)d1.value[j], (double)d2.value[j], lp, passes);
		s->counted[first + j] = d1.value[j] + d2.value[j];
	}
	s->path = d2.path;
	return ok;
}

/*
 * One timed span, the timer read inline (@now is a constant where this is
 * expanded), the same instructions around either loop.
 */
static inline __attribute__((always_inline)) uint64_t
timed(tb_loop_fn fn, uint64_t passes, uint64_t (*now)(void))
{
	uint64_t t0 = now();

	fn(passes, 0);
	return now() - t0;
}

static __attribute__((noinline)) uint64_t
timer_span(tb_loop_fn fn, uint64_t passes)
{
	return timed(fn, passes, tb_timer_read);
}

static __attribute__((noinline)) uint64_t
clock_span(tb_loop_fn fn, uint64_t passes, uint64_t (*now)(void))
{
	return timed(fn, passes, now);
}

/*
 * Both loops on the timer (@now, NULL: the timer itself), then under each
 * counter group if groups.
 */
static int measure(struct tb_meter *m, const struct tb_loop_pair *lp,
		   uint64_t passes, bool groups, uint64_t (*now)(void),
		   struct tb_sample *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned int t = 0; t < TB_METER_TRIES; t++) {
		struct tb_disturb_sample d0, d1;
		uint64_t a, one, two;
		bool ok = true;
		int first = 0;

		tb_disturb_read(&m->disturb, &d0);
		if (lp->warm)
			lp->one(lp->warm, 0);
		a = now ? now() : tb_timer_read();
		one = now ? clock_span(lp->one, passes, now) :
			    timer_span(lp->one, passes);
		if (lp->two)
			two = now ? clock_span(lp->two, passes, now) :
				    timer_span(lp->two, passes);
		else
			two = now ? clock_span(lp->one, 2 * passes, now) :
				    timer_span(lp->one, 2 * passes);
		s->ticks = tb_meter_per_item((double)one, (double)two, lp,
					     passes);
		for (int g = 0; ok && groups && g < m->perf.nr_groups; g++) {
			ok = measure_group(m, &m->perf.g[g], lp, passes, first,
					   s);
			first += m->perf.g[g].nr;
		}
		s->total = (double)((now ? now() : tb_timer_read()) - a);
		tb_disturb_read(&m->disturb, &d1);
		/*
		 * Under an emulator its own threads switch in and out of
		 * every long batch, and the timing describes the emulator
		 * anyway: the last try is kept there, not failed.
		 */
		if (tb_disturb_delta(&d0, &d1, NULL, NULL) &&
		    !(m->emu.kind != TB_EMU_NONE && t == TB_METER_TRIES - 1)) {
			m->redone_disturbed++;
			ok = false;
		}
		if (ok) {
			s->redone = t;
			return 0;
		}
	}
	return -EAGAIN;
}

int tb_meter_measure(struct tb_meter *m, const struct tb_loop_pair *lp,
		     uint64_t passes, struct tb_sample *s)
{
	return measure(m, lp, passes, m->counting, NULL, s);
}

int tb_meter_measure_on(struct tb_meter *m, const struct tb_loop_pair *lp,
			uint64_t passes, uint64_t (*now)(void),
			struct tb_sample *s)
{
	return measure(m, lp, passes, m->counting, now, s);
}

int tb_meter_time(struct tb_meter *m, const struct tb_loop_pair *lp,
		  uint64_t passes, struct tb_sample *s)
{
	return measure(m, lp, passes, false, NULL, s);
}

const char *tb_meter_emulation(const struct tb_meter *m, char *buf,
			       size_t len)
{
	const char *icount = "";

	if (m->emu.kind == TB_EMU_QEMU_SYSTEM)
		icount = m->icount ? ", -icount: cycles count instructions" :
		     m->hw ? ", no -icount: cycles are qemu's virtual clock" :
			     "";
	snprintf(buf, len, "%s%s", tb_emulator_name(m->emu.kind), icount);
	return buf;
}

int tb_meter_event(const struct tb_meter *m, const char *const *names)
{
	for (int i = 0; i < m->nevents; i++)
		for (const char *const *n = names; *n; n++)
			if (!strcmp(m->events[i].name, *n))
				return i;
	return -1;
}

int tb_meter_role(const struct tb_meter *m, enum tb_role role)
{
	for (int i = 0; i < m->nevents; i++)
		if (m->events[i].role == role)
			return i;
	return -1;
}

int tb_meter_cycles_event(const struct tb_meter *m)
{
	return m->hw ? tb_meter_role(m, TB_ROLE_CYCLES) : -1;
}

const char *tb_meter_role_key(const struct tb_meter *m, enum tb_role role)
{
	int i = tb_meter_role(m, role);

	if (m->mode != TB_MODE_PMU || i < 0)
		return NULL;
	return i == tb_meter_cycles_event(m) ? "cycles" : m->events[i].name;
}

void tb_meter_event_roles(const struct tb_meter *m, char *buf, size_t len)
{
	size_t off = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (int r = TB_ROLE_NONE + 1; r <= TB_ROLE_FRONTEND_STALL; r++) {
		const char *key = tb_meter_role_key(m, (enum tb_role)r);

		if (key && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s=%s",
						off ? "," : "",
						tb_role_name((enum tb_role)r),
						key);
	}
}

static double quantum;

double tb_meter_quantum(void)
{
	uint64_t prev, best = UINT64_MAX;

	if (quantum)
		return quantum;
	prev = tb_timer_read();
	for (int i = 0; i < 10000; i++) {
		uint64_t t = tb_timer_read();

		if (t != prev && t - prev < best)
			best = t - prev;
		prev = t;
	}
	quantum = best == UINT64_MAX ? 1 : (double)best;
	return quantum;
}

uint64_t tb_meter_passes(const struct tb_loop_pair *lp)
{
	double ns_tick = 1e9 / (double)tb_timer_freq();
	double want = fmax(TB_BATCH_QUANTA * tb_meter_quantum(),
			   TB_BATCH_MIN_NS / ns_tick);
	uint64_t passes = 1;

	for (int i = 0; i < 40; i++) {
		uint64_t t0, t1;

		lp->one(passes, 0);
		t0 = tb_timer_read();
		lp->one(passes, 0);
		t1 = tb_timer_read();
		/* Stop at the wanted length, or before the batch gets long. */
		if ((double)(t1 - t0) >= want ||
		    6 * (double)(t1 - t0) * ns_tick > TB_BATCH_MAX_NS)
			break;
		passes *= 2;
	}
	return passes;
}

/* The add chain of clock.S as a loop pair: 256 adds an item. */
static uint64_t chain_one(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_add_chain(passes);
}

static uint64_t chain_two(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_add_chain(2 * passes);
}

/* lp with its passes per batch, sized on first use into *cache. */
static const struct tb_loop_pair *sized(const struct tb_loop_pair *lp,
					uint64_t *cache, uint64_t *passes)
{
	if (!*cache)
		*cache = tb_meter_passes(lp);
	*passes = *cache;
	return lp;
}

const struct tb_loop_pair *tb_meter_clock(uint64_t *passes)
{
	static const struct tb_loop_pair chain = {
		.one = chain_one, .two = chain_two, .items = TB_ADD_CHAIN_UNROLL
	};
	static uint64_t cache;

	return sized(&chain, &cache, passes);
}

static uint64_t probe_one(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_call_probe(passes);
}

static uint64_t probe_two(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_call_probe(2 * passes);
}

const struct tb_loop_pair *tb_meter_probe(uint64_t *passes)
{
	static const struct tb_loop_pair probe = {
		.one = probe_one, .two = probe_two, .items = TB_PROBE_UNROLL
	};
	static uint64_t cache;

	return sized(&probe, &cache, passes);
}
