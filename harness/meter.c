// SPDX-License-Identifier: GPL-2.0
/* The meter: the measuring core as user space runs it; see meter.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disturb.h"
#include "emulation.h"
#include "harness_arch.h"
#include "meter.h"
#include "perf_group.h"

_Static_assert(TB_MAX_EVENTS <= TB_COUNTERS_MAX,
	       "the core records fewer events than may be selected");

/* What the user-space backends hold: file descriptors, mapped pages. */
struct tb_meter_state {
	struct tb_perf_counters perf;
	struct tb_disturb disturb;
};

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

/* The timer alone: the core's backend without counters. */
static void use_timer(struct tb_meter *m)
{
	m->core.counters = (struct tb_counters){
		.ops = &tb_timer_counter_ops, .level = m->level
	};
	m->core.counters.ops->open(&m->core.counters);
	m->nevents = 0;
	m->mode = timer_mode(m);
	m->core.keep_disturbed_pairs = m->mode == TB_MODE_EMULATED;
}

int tb_meter_init(struct tb_meter *m, const struct tb_meter_opts *o)
{
	const struct tb_cpu_model *cpu = o->cpu;
	struct tb_perf_set *set;
	char err[TB_PERF_MSG_MAX];
	int n;

	memset(m, 0, sizeof(*m));
	m->cpu = cpu;
	m->level = o->level;
	m->st = calloc(1, sizeof(*m->st));
	if (!m->st) {
		snprintf(m->why, sizeof(m->why), "out of memory for the meter");
		return -ENOMEM;
	}
	set = &m->st->perf.set;
	m->st->disturb.fd[0] = m->st->disturb.fd[1] = -1;
	tb_emulation_detect("", cpu, &m->emu);
	m->core.keep_last_try = m->emu.kind != TB_EMU_NONE;
	if (tb_core_freq_calibrate(&m->freq)) {
		snprintf(m->why, sizeof(m->why),
			 "the %s timer frequency is unknown", tb_timer_name());
		return -EIO;
	}
	tb_disturb_open(&m->st->disturb);
	m->core.disturb_read = tb_disturb_hook;
	m->core.disturb_arg = &m->st->disturb;
	tb_pmu_init(); /* without libpfm4, generic and raw names still work */
	if (o->events && !strcmp(o->events, "none"))
		n = 0;
	else
		n = tb_events_select(cpu,
				     o->events ? o->events :
						 tb_events_default(cpu),
				     m->events, TB_MAX_EVENTS, m->notes,
				     sizeof(m->notes), err, sizeof(err));
	if (n < 0) {
		m->notes[0] = '\0';
		snprintf(m->why, sizeof(m->why), "%s", err);
		return -EINVAL;
	}
	m->nevents = n;
	if (n > 0) {
		tb_perf_counters_init(&m->core.counters, &m->st->perf,
				      m->events, n, cpu, m->level);
		if (!m->core.counters.ops->open(&m->core.counters)) {
			/* Samples follow the groups' order: list events so. */
			m->nevents = 0;
			for (int g = 0; g < set->nr_groups; g++)
				for (int j = 0; j < set->g[g].nr; j++) {
					struct tb_event *ev =
						&m->events[m->nevents++];

					*ev = set->g[g].m[j].ev;
					m->hw |= tb_event_is_hw(&ev->attr);
				}
			m->counting = true;
			/* Software events alone leave time to the timer. */
			m->mode = m->hw ? TB_MODE_PMU : timer_mode(m);
			m->core.keep_disturbed_pairs =
				m->mode == TB_MODE_EMULATED;
			m->icount = m->emu.kind == TB_EMU_QEMU_SYSTEM &&
				    counts_exact(m);
			return 0;
		}
		/* Counters unavailable: say why, continue on the timer. */
		snprintf(m->why, sizeof(m->why), "%s", set->msg);
		if (!tb_perf_timer_mode(set->err))
			return -EINVAL;
	}
	use_timer(m);
	return 0;
}

void tb_meter_exit(struct tb_meter *m)
{
	if (!m->st)
		return;
	if (m->core.counters.ops)
		m->core.counters.ops->close(&m->core.counters);
	tb_disturb_close(&m->st->disturb);
	free(m->st);
	m->st = NULL;
}

double tb_meter_per_item(double one, double two, const struct tb_loop_pair *lp,
			 uint64_t passes)
{
	/* loop two makes lp->items more calls a pass than loop one */
	return (two - one) / ((double)lp->items * (double)passes);
}

void tb_meter_sample(const struct tb_meter *m, const struct tb_raw *r,
		     const struct tb_loop_pair *lp, uint64_t passes,
		     bool counted, struct tb_sample *s)
{
	int nev = counted ? m->core.counters.nevents : 0;

	memset(s, 0, sizeof(*s));
	s->total = (double)r->total;
	s->ticks = tb_meter_per_item((double)r->ticks[0], (double)r->ticks[1],
				     lp, passes);
	for (int j = 0; j < nev; j++) {
		s->value[j] = tb_meter_per_item((double)r->count[0][j],
						(double)r->count[1][j], lp,
						passes);
		s->counted[j] = r->count[0][j] + r->count[1][j];
	}
	s->path = (enum tb_read_path)r->path;
	s->redone = r->redone;
}

/* A batch by the core (on @now, NULL: the timer), per call. */
static int measure(struct tb_meter *m, const struct tb_loop_pair *lp,
		   uint64_t passes, bool count, uint64_t (*now)(void),
		   struct tb_sample *s)
{
	struct tb_raw r;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = now ? tb_core_measure_on(&m->core, lp, passes, count, now, &r) :
		    tb_core_measure(&m->core, lp, passes, count, &r);
	if (!ret)
		tb_meter_sample(m, &r, lp, passes, count, s);
	return ret;
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

enum tb_read_path tb_meter_read_path(const struct tb_meter *m)
{
	return m->counting ? m->st->perf.set.g[0].path : TB_READ_SYSCALL;
}

const char *tb_meter_disturb_method(const struct tb_meter *m)
{
	return tb_disturb_method_name(&m->st->disturb);
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

double tb_meter_quantum(void)
{
	return (double)tb_core_quantum();
}

uint64_t tb_meter_passes(const struct tb_loop_pair *lp)
{
	return tb_core_passes(lp, tb_timer_freq());
}

const struct tb_loop_pair *tb_meter_clock(uint64_t *passes)
{
	return tb_core_clock(tb_timer_freq(), passes);
}

const struct tb_loop_pair *tb_meter_probe(uint64_t *passes)
{
	return tb_core_probe(tb_timer_freq(), passes);
}
