// SPDX-License-Identifier: GPL-2.0
/*
 * Self-calibration, run and saved with every run: cases that check the
 * instrument itself.  A reader judges the machine from these first:
 *   empty        two identical loops: about 0 per item, or the noise floor
 *   add_chain    dependent adds: 1 cycle each on every core we target.
 *                Without a PMU it is the clock's definition (timer ticks
 *                become cycles by its ticks), so it reads 1 by
 *                construction there and checks nothing; its label says so
 *   mul_chain    dependent 64-bit multiplies: the latency the core's
 *                vendor or compiler model states (harness/data/
 *                latency.tsv), counter expect_cycles; a check on the
 *                cycles in either mode, since the stated value owes
 *                nothing to the add chain
 *   call_ret     a direct call to a `ret`: the cheapest call there is
 *   branch       a branch on a pseudo-random bit minus the same work with
 *                the branch always taken, over the 50% mispredict rate:
 *                the mispredict penalty
 */
#include <stdio.h>
#include <string.h>

#include "calibration.h"
#include "case.h"
#include "estimator.h"
#include "harness_arch.h"

#define PAIR(name)                                                       \
	{ .one = tb_cal_##name##_1, .two = tb_cal_##name##_2,                \
	  .items = TB_CAL_UNROLL }

/* arm64 and x86: the same counts (calibration.S). */
static struct tb_case cases[] = {
	{ .name = "calibration/empty", .loops = PAIR(empty) },
	{ .name = "calibration/add_chain", .loops = PAIR(add_chain),
	  .expect = { 1, 0 } },
	{ .name = "calibration/mul_chain", .loops = PAIR(mul_chain),
	  .expect = { 1, 0 } },
	{ .name = "calibration/call_ret", .loops = PAIR(call_ret),
	  .expect = { 2, 2 } },
	{ .name = "calibration/branch_random",
	  .loops = PAIR(branch_random),
	  .baseline = PAIR(branch_fixed),
	  .baseline_scale = 2.0, /* one mispredict per two branches */
	  .baseline_counter = "mispredict_penalty" },
};

const struct tb_latency_row *tb_calibration_latency(const char *arch,
						    const char *core)
{
	for (size_t i = 0; core && i < tb_nr_latency_rows; i++)
		if (!strcmp(tb_latency_rows[i].arch, arch) &&
		    !strcmp(tb_latency_rows[i].core, core))
			return &tb_latency_rows[i];
	return NULL;
}

const char *tb_calibration_add_label(bool timer_cycles)
{
	return timer_cycles ?
		       "the clock's definition, no check: cycles are timer ticks over this chain's ticks" :
		       NULL;
}

double tb_calibration_mul_label(const char *arch, const char *core,
				bool emulated, char *buf, size_t len)
{
	const char *insn = strcmp(arch, "x86") ? "mul x2, x2, x5" :
						 "imul %rcx, %rdx";
	const struct tb_latency_row *r = tb_calibration_latency(arch, core);

	/* An emulator's timing is no core's: nothing to hold it to. */
	if (emulated) {
		snprintf(buf, len, "%s chain; emulated: no latency to check it against",
			 insn);
		return 0;
	}
	if (r && r->cycles > 0) {
		snprintf(buf, len, "%s chain: %g cycles each on %s, per %s",
			 insn, r->cycles, core, r->source);
		return r->cycles;
	}
	snprintf(buf, len, "%s chain: no stated latency for this core (%s)%s%s",
		 insn, core ? core : "unknown", r ? ": " : "",
		 r ? r->source : "");
	return 0;
}

int tb_calibration_register(const struct tb_run_opts *o, struct tb_meter *m)
{
	static char mul_label[192];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tb_case *c = &cases[i];

		if (c->loops.one == tb_cal_add_chain_1)
			c->label = tb_calibration_add_label(
				tb_meter_cycles_event(m) < 0);
		if (c->loops.one == tb_cal_mul_chain_1) {
			c->expect_cycles = tb_calibration_mul_label(
				tb_harness_arch, m->cpu->name,
				m->emu.kind != TB_EMU_NONE, mul_label,
				sizeof(mul_label));
			c->label = mul_label;
		}
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = tb_case_register(&cases[i], o);

		if (err)
			return err;
	}
	return 0;
}

/* cycles per item of @lp: the quiet batches of a short sample of them */
static double quick_cycles(struct tb_meter *m, const struct tb_loop_pair *lp)
{
	enum { N = 64 };
	double total[N], v[N];
	size_t idx[N], n = 0;
	int cyc = tb_meter_cycles_event(m);
	uint64_t passes = tb_meter_passes(lp);
	struct tb_estimate e;
	struct tb_sample s;

	for (int i = 0; i < N; i++) {
		if (tb_meter_measure(m, lp, passes, &s))
			continue;
		total[n] = s.total;
		v[n++] = cyc >= 0 ? s.value[cyc] :
				    s.ticks * m->freq.cycles_per_tick;
	}
	if (tb_estimate(total, v, n, TB_EST_KEEP, idx, &e))
		return 0;
	return e.value;
}

int tb_calibration_sanity(struct tb_meter *m, char *note, size_t len)
{
	const struct tb_loop_pair add = PAIR(add_chain), call = PAIR(call_ret);
	double a, c;

	note[0] = '\0';
	if (m->icount) {
		snprintf(note, len,
			 "qemu -icount counts instructions, not cycles");
		return 1;
	}
	a = quick_cycles(m, &add);
	c = quick_cycles(m, &call);
	/*
	 * Every core takes at least a cycle per dependent add (the
	 * optimisation guides of every core we target; 20% kept for the
	 * clock's own error) and at least one, at most a few tens, per
	 * call of a bare ret.  In timer mode the add chain is the clock's
	 * definition, and only the call can contradict it here (the
	 * multiply chain's row is the finer check, against its stated
	 * latency, for the reader to judge).
	 */
	if (tb_meter_cycles_event(m) >= 0 && a < 0.8)
		snprintf(note, len,
			 "the add chain read %.2f cycles per dependent add: under 1, impossible on any core",
			 a);
	else if (c < 1.0 || c > 50.0)
		snprintf(note, len,
			 "a call of a bare ret read %.1f cycles: outside 1 to 50, impossible on any core",
			 c);
	return note[0] ? 1 : 0;
}
