// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario: a hot loop of calls through one static call.  Everything is
 * predicted and cached: the cost left is the call sequence itself, the
 * best case each design has.  Two shapes, which answer different
 * questions:
 *   tput  independent calls (a function that returns at once): what a
 *         tight run of calls costs, overlapped as the core allows;
 *   lat   each call takes the previous one's result and adds 1: the
 *         calls serialise, as a call on a critical path does.
 * The call sites start at a stated offset in a 64-byte line (`shift`,
 * 0 unless asked), so two designs never differ by where the linker put
 * them; the offsets are recorded with every result.
 */
#include <stdio.h>
#include <stdlib.h>

#include "case.h"
#include "static_call.h"

static struct tb_case *cases;
static unsigned int ncases;

static int add_case(struct tb_instance *inst, bool lat, unsigned int shift,
		    const struct tb_run_opts *o)
{
	struct tb_static_call *sc = tb_bench_key(inst, lat);
	struct tb_bench_loops bl;
	struct tb_case *c = &cases[ncases++];
	char where[24] = "";

	if (!sc || !tb_bench_loops(sc, shift, &bl)) {
		fprintf(stderr, "trampbench: %s has no %s loops at shift %u\n",
			inst->name, lat ? "latency" : "throughput", shift);
		return -1;
	}
	if (shift)
		snprintf(where, sizeof(where), "/shift:%u", shift);
	snprintf(c->name, sizeof(c->name), "hot/%s%s/%s", inst->name, where,
		 lat ? "lat" : "tput");
	c->loops = (struct tb_loop_pair){ bl.one, bl.two, bl.unroll };
	c->expect = tb_call_cost(inst, lat);
	c->layout = (struct tb_case_layout){
		.known = true,
		.site_offset = (int)((uintptr_t)bl.site1 % 64),
		.tramp_offset =
			sc->tramp ? (int)((uintptr_t)sc->tramp % 64) : -1,
	};
	return tb_case_register(c, o);
}

int tb_hotloop_register(struct tb_instance *const *insts, unsigned int n,
			const unsigned int *shifts, unsigned int nshifts,
			const struct tb_run_opts *o)
{
	cases = calloc((size_t)n * nshifts * 2, sizeof(*cases));
	if (!cases)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int s = 0; s < nshifts; s++)
			for (int lat = 0; lat < 2; lat++)
				if (add_case(insts[i], lat, shifts[s], o))
					return -1;
	return 0;
}
