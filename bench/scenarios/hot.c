// SPDX-License-Identifier: GPL-2.0
/*
 * hot: a hot loop of calls through one static call.  Everything is
 * predicted and cached: the cost left is the call sequence itself, the
 * best case each design has.  Two shapes, which answer different
 * questions:
 *   tput  independent calls (a function that returns at once): what a
 *         tight run of calls costs, overlapped as the core allows;
 *   lat   each call takes the previous one's result and adds 1: the
 *         calls serialise, as a call on a critical path does.
 * The call sites start at a stated offset in a 64-byte line (shift, 0
 * unless asked), so two designs never differ by where the linker put
 * them; the offsets are recorded with every result.
 */
#include <stdio.h>

#include "scenario.h"

/* shift (not in the name at 0), then the loop: tput or lat */
static unsigned int hot_params(const struct tb_instance *inst,
			       const struct tb_scenario_opts *o,
			       struct tb_params *out)
{
	unsigned int n = 0;

	(void)inst;
	for (unsigned int s = 0; s < o->nshifts; s++)
		for (int lat = 0; lat < 2; lat++)
			out[n++] = (struct tb_params){
				2,
				{ { .name = "shift",
				    .num = o->shifts[s],
				    .hidden = !o->shifts[s] },
				  { .name = "loop",
				    .word = lat ? "lat" : "tput",
				    .bare = true } },
			};
	return n;
}

static const char *hot_loops(struct tb_case *c)
{
	bool lat = tb_params_is(&c->param_values, "loop", "lat");
	struct tb_static_call *sc = tb_bench_key(c->inst, lat);
	unsigned int shift = tb_params_num(&c->param_values, "shift", 0);
	struct tb_bench_loops bl;

	if (!sc || !tb_bench_loops(sc, shift, &bl)) {
		snprintf(c->skip_buf, sizeof(c->skip_buf),
			 "%s has no %s loops at shift %u", c->inst->name,
			 lat ? "latency" : "throughput", shift);
		return c->skip_buf;
	}
	c->loops = (struct tb_loop_pair){ .one = bl.one,
					  .two = bl.two,
					  .items = bl.unroll };
	c->expect = tb_call_cost(c->inst, lat);
	c->layout = (struct tb_case_layout){
		.known = true,
		.site_offset = (int)((uintptr_t)bl.site1 % 64),
		.tramp_offset =
			sc->tramp ? (int)((uintptr_t)sc->tramp % 64) : -1,
	};
	return NULL;
}

const struct tb_scenario tb_scenario_hot = {
	.name = "hot",
	.about = "one static call in a hot loop: throughput and latency",
	.unit = "cycles per call",
	.describe = "one static call in a hot loop, everything predicted and "
		    "cached: the call sequence itself. tput: independent "
		    "calls; lat: each call takes the previous one's result.",
	.params = hot_params,
	.loops = hot_loops,
};
