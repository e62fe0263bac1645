// SPDX-License-Identifier: GPL-2.0
/*
 * cold: one static call at a time, with what the parameter names cold,
 * as most kernel static calls run (tracepoints, scheduler and security
 * hooks, called once in a while):
 *
 *   code  the call's code lines (call site, trampoline, target) flushed
 *         by address and the branch predictors walked (direct, indirect
 *         and return: TB_PWALK); the literal or pointer kept warm
 *   data  the literal's or pointer's line flushed; code and predictors
 *         warm from the call before
 *   both  all of it
 *
 * Each sample is one call between two serialising timer reads, paired
 * with its control: the same stub with the call site's bytes as nops,
 * evicted the same way (the same lines, the same walk, the same loads).
 * The row is the estimate of call minus control over a repetition's
 * pairs, with its 95% interval; the params "<what>/control" rows are a
 * second control minus the control, which must read 0 within theirs.
 * Where a literal shares a line with the code (lit=adjacent, direct's
 * literal before its entry), code-cold makes it cold too: that is what
 * the layout costs.
 */
#include <stdio.h>
#include <string.h>

#include "scenario.h"

static const char *const what[] = { "code", "data", "both" };
#define NWHAT (sizeof(what) / sizeof(what[0]))

/*
 * What the eviction covers of each piece, in bytes from its address: a
 * stub (every one fits in two lines; tests/test_cold.c checks), a
 * trampoline (32 bytes at most, direct's literal included), a target
 * from its kCFI preamble, 16 bytes before the entry, to its `ret`.
 */
#define STUB_BYTES 128
#define TRAMP_BYTES 32
#define TARGET_BEFORE 16
#define TARGET_BYTES 16
/* Lines are flushed at this granularity (the fleet's is 64 bytes). */
#define LINE 64

/*
 * cold: what is cold; sample: the call (not in the name) or the second
 * control; both named by their values alone ("code/control").
 */
static unsigned int cold_params(const struct tb_instance *inst,
				const struct tb_scenario_opts *o,
				struct tb_params *out)
{
	unsigned int n = 0;

	(void)inst;
	(void)o;
	for (unsigned int w = 0; w < NWHAT; w++)
		for (int ctl = 0; ctl < 2; ctl++)
			out[n++] = (struct tb_params){
				2,
				{ { .name = "cold",
				    .word = what[w],
				    .bare = true },
				  { .name = "sample",
				    .word = ctl ? "control" : "call",
				    .bare = true,
				    .hidden = !ctl } },
			};
	return n;
}

static const char *const label[NWHAT][2] = {
	{ "call, trampoline, target lines flushed, predictors walked; call minus control",
	  "code-cold control minus control: 0 within ci_lo..ci_hi" },
	{ "the literal's line flushed, code warm; call minus control",
	  "data-cold control minus control: 0 within ci_lo..ci_hi" },
	{ "code and literal lines flushed, predictors walked; call minus control",
	  "code- and data-cold control minus control: 0 within ci_lo..ci_hi" },
};

/*
 * The lines every sample of @c evicts, the same for the call and the
 * controls: all three stubs', the trampoline's, the target's as code;
 * the literal's as data (or, code-cold only, loaded to keep it warm).
 */
static const char *cold_lines(struct tb_case *c, unsigned int w,
			      const struct tb_shape *call,
			      const struct tb_shape *ctl)
{
	struct tb_cold_evict *e = &c->cold.evict;
	const struct tb_image_header *hdr = tb_image_current()->hdr;
	const uintptr_t stubs[] = { (uintptr_t)call->one, (uintptr_t)call->two,
				    (uintptr_t)ctl->two };
	uintptr_t target = (uintptr_t)tb_bench_target();
	const struct tb_static_call *sc = call->sc;
	bool code = w != 1, data = w != 0, ok = true;

	memset(e, 0, sizeof(*e));
	e->evict = tb_rel(&hdr->cold_evict);
	e->walk = code ? tb_rel(&hdr->pwalk) : NULL;
	if (sc->lit)
		ok &= tb_cold_add_line(e, (uintptr_t)sc->lit, data ? 1 : 0,
				       LINE);
	for (unsigned int i = 0; code && i < 3; i++)
		ok &= tb_cold_add_range(e, stubs[i], stubs[i] + STUB_BYTES, 2,
					LINE);
	if (code && sc->tramp)
		ok &= tb_cold_add_range(e, (uintptr_t)sc->tramp,
					(uintptr_t)sc->tramp + TRAMP_BYTES, 2,
					LINE);
	if (code && !strcmp(c->inst->variant, "direct"))
		ok &= tb_cold_add_line(e, (uintptr_t)sc->lit, 2, LINE);
	if (code)
		ok &= tb_cold_add_range(e, target - TARGET_BEFORE,
					target + TARGET_BYTES, 2, LINE);
	return ok ? NULL : "more lines to evict than the sampler holds";
}

static const char *cold_loops(struct tb_case *c)
{
	struct tb_shape call, ctl;
	bool control = tb_params_is(&c->param_values, "sample", "control");
	unsigned int w = 0;
	const char *err;

	while (w < NWHAT - 1 &&
	       !tb_params_is(&c->param_values, "cold", what[w]))
		w++;
	if (!tb_shape_find(c->inst, "cold", "", &call) ||
	    !tb_shape_find(c->inst, "cold", "control", &ctl)) {
		snprintf(c->skip_buf, sizeof(c->skip_buf),
			 "the image has no cold samples for %s", c->inst->name);
		return c->skip_buf;
	}
	/* without a literal, data-cold is nothing and both-cold is code */
	if (w && !call.sc->lit) {
		snprintf(c->skip_buf, sizeof(c->skip_buf),
			 "%s loads no literal or pointer: %s", c->inst->variant,
			 w == 1 ? "nothing of it can be data-cold" :
				  "both-cold is code-cold");
		return c->skip_buf;
	}
	err = cold_lines(c, w, &call, &ctl);
	if (err)
		return err;
	c->cold.one = (tb_cold_stub)(uintptr_t)call.one;
	c->cold.two = (tb_cold_stub)(uintptr_t)(control ? ctl.two : call.two);
	c->sc = call.sc;
	c->restore = tb_bench_target();
	c->layout = (struct tb_case_layout){
		.known = true,
		.site_offset = (int)((uintptr_t)call.site1 % 64),
		.tramp_offset = c->sc->tramp ?
					(int)((uintptr_t)c->sc->tramp % 64) :
					-1,
	};
	/* a control row runs no call: nothing to count against a model */
	if (!control) {
		c->expect = tb_path_cost(c->inst, TB_KIND_NEAR);
		c->cold_nops = tb_cold_nops(
			(const char *)call.one +
				((uintptr_t)call.site1 - (uintptr_t)call.two),
			STUB_BYTES, NULL);
	}
	c->label = label[w][control];
	return NULL;
}

const struct tb_scenario tb_scenario_cold = {
	.name = "cold",
	.about = "one call with its code, its literal or both cold, against a control",
	.unit = "cycles per call",
	.describe = "one call after a walk that evicts the L1I and the branch "
		    "predictors; the walk alone is subtracted.",
	.params = cold_params,
	.loops = cold_loops,
};
