// SPDX-License-Identifier: GPL-2.0
/*
 * flip: a static call whose target alternates between two functions
 * every K calls, K = 1, 16, 1024, through the real update path.  What a
 * call costs here is its share of one update (a literal store, or an
 * instruction write with its cache maintenance or, on x86, the int3
 * protocol) plus the mispredicts that follow each change of target.
 * The two targets are alike (`ret`) but sit apart, so a predictor that
 * kept the old target mispredicts.  One pass: one update, then K calls,
 * each through the key's C-callable wrapper from a C loop (the same
 * wrapper and loop for every design).  The key is the instance's plain
 * static call, with two sites, as inline rewrites every site.
 */
#include <stdio.h>

#include "scenario.h"

/* The case being measured: the meter hands loops only (passes, x). */
static struct tb_case *cur;

uint64_t tb_flip_run(struct tb_static_call *sc, const void *a, const void *b,
		     unsigned long k, uint64_t passes)
{
	uint64_t calls = 0;

	for (uint64_t p = 0; p < passes; p++) {
		tb_static_call_update(sc, sc->func == a ? b : a);
		for (unsigned long i = 0; i < k; i++)
			tb_static_call(sc, 0, 0, 0, 0, 0, 0);
		calls += k;
	}
	return calls;
}

static uint64_t flip_one(uint64_t passes, uint64_t x)
{
	(void)x;
	return tb_flip_run(cur->sc, tb_bench_target(), tb_bench_target_b(),
			   cur->arg, passes);
}

static uint64_t flip_two(uint64_t passes, uint64_t x)
{
	return flip_one(2 * passes, x);
}

static unsigned int flip_params(const struct tb_instance *inst,
				const struct tb_scenario_opts *o,
				struct tb_params *out)
{
	static const unsigned int ks[] = { 1, 16, 1024 };
	unsigned int n = 0;

	(void)inst;
	for (unsigned int i = 0; i < 3; i++)
		if (!o->quick || ks[i] != 16)
			out[n++] = (struct tb_params){
				1, { { .name = "k", .num = ks[i] } }
			};
	return n;
}

static const char *flip_loops(struct tb_case *c)
{
	const char *err = tb_case_use_check_key(c);

	if (err)
		return err;
	c->arg = tb_params_num(&c->param_values, "k", 0);
	c->loops = (struct tb_loop_pair){ .one = flip_one,
					  .two = flip_two,
					  .items = (unsigned int)c->arg };
	snprintf(c->label_buf, sizeof(c->label_buf),
		 "one update per %lu calls%s", c->arg,
		 c->sc->nsites ? "; the update rewrites 2 call sites" : "");
	c->label = c->label_buf;
	return NULL;
}

static int flip_setup(struct tb_case *c)
{
	cur = c;
	return tb_case_point(c, tb_bench_target());
}

/* Every batch starts from the same target. */
static void flip_before_batch(struct tb_case *c)
{
	tb_static_call_update(c->sc, tb_bench_target());
}

const struct tb_scenario tb_scenario_flip = {
	.name = "flip",
	.about = "target alternating every K calls through the update path",
	.unit = "cycles per call: one update's cost shared by k calls, plus "
		"the mispredicts after each change",
	.describe = "the target alternates every k calls through the real "
		    "update path.",
	.params = flip_params,
	.loops = flip_loops,
	.setup = flip_setup,
	.teardown = tb_case_restore,
	.before_batch = flip_before_batch,
};
