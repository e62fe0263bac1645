// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario table, and what every scenario shares: expanding it over
 * the instances into named cases, finding a case's generated loops, and
 * setting its static call's state up and back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* One row per scenario, in the order they run. */
const struct tb_scenario *const tb_scenarios[] = {
	&tb_scenario_hot,  &tb_scenario_null,	&tb_scenario_ret0,
	&tb_scenario_far,  &tb_scenario_sites,	&tb_scenario_flip,
	&tb_scenario_update, &tb_scenario_cold,
};

const unsigned int tb_nscenarios =
	sizeof(tb_scenarios) / sizeof(tb_scenarios[0]);

const struct tb_scenario *tb_scenario_find(const char *name)
{
	for (unsigned int i = 0; i < tb_nscenarios; i++)
		if (!strcmp(tb_scenarios[i]->name, name))
			return tb_scenarios[i];
	return NULL;
}

static void make_case(struct tb_case *c, const struct tb_scenario *scn,
		      struct tb_instance *inst, const struct tb_params *params)
{
	c->scn = scn;
	c->inst = inst;
	c->param_values = *params;
	tb_params_format(params, c->params, sizeof(c->params));
	snprintf(c->name, sizeof(c->name), "%s/%s%s%s", scn->name, inst->name,
		 *c->params ? "/" : "", c->params);
	c->skip = scn->loops(c);
}

struct tb_case *tb_scenario_cases(const struct tb_scenario *const *scns,
				  unsigned int nscns,
				  struct tb_instance *const *insts,
				  unsigned int ninsts,
				  const struct tb_scenario_opts *o,
				  unsigned int *ncases)
{
	struct tb_params *params = calloc(TB_MAX_PARAMS, sizeof(*params));
	struct tb_case *cases = NULL;
	size_t n = 0;

	*ncases = 0;
	if (!params)
		return NULL;
	/*
	 * Count, then fill: a case may point into itself (its label and skip
	 * buffers), so the array must never move once filled.
	 */
	for (unsigned int s = 0; s < nscns; s++)
		for (unsigned int i = 0; i < ninsts; i++)
			n += scns[s]->params(insts[i], o, params);
	cases = calloc(n ? n : 1, sizeof(*cases));
	if (!cases) {
		free(params);
		return NULL;
	}
	n = 0;
	for (unsigned int s = 0; s < nscns; s++) {
		for (unsigned int i = 0; i < ninsts; i++) {
			unsigned int np = scns[s]->params(insts[i], o, params);

			for (unsigned int p = 0; p < np; p++)
				make_case(&cases[n++], scns[s], insts[i],
					  &params[p]);
		}
	}
	free(params);
	*ncases = (unsigned int)n;
	return cases;
}

unsigned int tb_params_none(const struct tb_instance *inst,
			    const struct tb_scenario_opts *o,
			    struct tb_params *out)
{
	(void)inst;
	(void)o;
	out[0] = (struct tb_params){ 0 };
	return 1;
}

const char *tb_case_use_shape(struct tb_case *c, const char *name,
			      const char *params)
{
	struct tb_shape sh;

	if (!tb_shape_find(c->inst, name, params, &sh)) {
		snprintf(c->skip_buf, sizeof(c->skip_buf),
			 "the image has no %s%s%s loops for %s", name,
			 *params ? " " : "", params, c->inst->name);
		return c->skip_buf;
	}
	c->loops = (struct tb_loop_pair){ .one = sh.one,
					  .two = sh.two,
					  .items = sh.items };
	c->sc = sh.sc;
	c->restore = tb_bench_target();
	c->layout = (struct tb_case_layout){
		.known = true,
		.site_offset = (int)((uintptr_t)sh.site1 % 64),
		.tramp_offset = sh.sc && sh.sc->tramp ?
					(int)((uintptr_t)sh.sc->tramp % 64) :
					-1,
	};
	return NULL;
}

int tb_case_point(struct tb_case *c, const void *func)
{
	int err = tb_static_call_update(c->sc, func);

	if (err)
		fprintf(stderr, "trampbench: %s: cannot point %s at %p: %s\n",
			c->name, c->inst->name, func, strerror(-err));
	return err;
}

void tb_case_restore(struct tb_case *c)
{
	tb_static_call_update(c->sc, c->restore);
}

const char *tb_case_use_check_key(struct tb_case *c)
{
	c->sc = tb_key(c->inst, TB_INIT_TARGET, false);
	if (!c->sc)
		return "the image has no plain key for this instance";
	c->restore = c->sc->func;
	c->layout = (struct tb_case_layout){
		.known = true,
		.site_offset = -1,
		.tramp_offset = c->sc->tramp ?
					(int)((uintptr_t)c->sc->tramp % 64) :
					-1,
	};
	return NULL;
}
