// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario: a hot loop of calls through one static call pointing at a
 * function that returns at once.  Everything is predicted and cached: the
 * cost left is the call sequence itself, the best case each design has.
 */
#include <stdio.h>

#include "case.h"
#include "static_call.h"

#define MAX_CASES 128

static struct tb_case cases[MAX_CASES];

int tb_hotloop_register(struct tb_instance *const *insts, unsigned int n,
			int repetitions, double min_time)
{
	if (n > MAX_CASES)
		n = MAX_CASES;
	for (unsigned int i = 0; i < n; i++) {
		struct tb_static_call *sc = tb_key(insts[i], TB_INIT_TARGET,
						   true);
		struct tb_case *c = &cases[i];
		int err;

		snprintf(c->name, sizeof(c->name), "hot/%s", insts[i]->name);
		c->loops = (struct tb_loop_pair){ sc->loop1, sc->loop2,
						  sc->unroll };
		c->expect = insts[i]->ops->cost(insts[i]);
		err = tb_case_register(c, repetitions, min_time);
		if (err)
			return err;
	}
	return 0;
}
