/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scenarios: the ways a static call is called, one file each in
 * bench/scenarios/ and one row of the table in bench/scenarios.c.  A
 * scenario is {name, set-up, before-batch hook, loops}: for every
 * variant instance it names its parameter sets, and for each the loop
 * pair to measure (found among the image's generated shapes, or a C
 * driver) or the reason it cannot run here.  The shared body
 * (bench/case.c) does the measuring, so a scenario holds only what is
 * its own.
 *
 * Benchmark names: scenario/<variant spec>/<parameters>, e.g.
 * sites/cbz:pad=on,align=8,lit=rodata/n:512/order:rr/spacing:packed.
 */
#ifndef TB_SCENARIO_H
#define TB_SCENARIO_H

#include <stdbool.h>

#include "case.h"
#include "static_call.h"

#define TB_MAX_PARAMS 128 /* parameter sets of one scenario per instance */

/* What shapes the matrix; set from the command line. */
struct tb_scenario_opts {
	bool quick; /* a small matrix for a first look */
	bool full; /* every parameter at every size */
	const unsigned int *shifts; /* hot: site shifts */
	unsigned int nshifts;
};

struct tb_scenario {
	const char *name;
	const char *about; /* one line, for --list-scenarios */
	/* What its cycles are per ("cycles per call"), and its paragraph. */
	const char *unit, *describe;
	/* The parameter sets for inst, in order; returns how many. */
	unsigned int (*params)(const struct tb_instance *inst,
			       const struct tb_scenario_opts *o,
			       char (*out)[TB_PARAMS_LEN]);
	/*
	 * Fill c's loops (and expect, layout) for c->params; NULL, or why
	 * the case cannot run here (it is then listed as skipped).
	 */
	const char *(*loops)(struct tb_case *c);
	/* Optional: put the static call in the case's state; 0 or -errno. */
	int (*setup)(struct tb_case *c);
	/* Optional: undo setup(), after each repetition. */
	void (*teardown)(struct tb_case *c);
	/* Optional: before every batch (warm-up ones too). */
	void (*before_batch)(struct tb_case *c);
};

/* The table (bench/scenarios.c), in the order they run. */
extern const struct tb_scenario *const tb_scenarios[];
extern const unsigned int tb_nscenarios;

/* The scenario called name, or NULL. */
const struct tb_scenario *tb_scenario_find(const char *name);

/*
 * The cases of these scenarios over these instances, named, with their
 * loops or the reason they cannot run; NULL if out of memory.
 */
struct tb_case *tb_scenario_cases(const struct tb_scenario *const *scns,
				  unsigned int nscns,
				  struct tb_instance *const *insts,
				  unsigned int ninsts,
				  const struct tb_scenario_opts *o,
				  unsigned int *ncases);

/* Scenarios' shared helpers. */

/* The params() of a scenario without parameters: one set, "". */
unsigned int tb_params_none(const struct tb_instance *inst,
			    const struct tb_scenario_opts *o,
			    char (*out)[TB_PARAMS_LEN]);

/* The case's loops from the image's shape; NULL or why it has none. */
const char *tb_case_use_shape(struct tb_case *c, const char *name,
			      const char *params);

/*
 * The case's key: the instance's plain static call (two sites, both in
 * C-callable wrappers), for scenarios that update it (flip, update).
 */
const char *tb_case_use_check_key(struct tb_case *c);

/* Point the case's key at func (its set-up); a message if it cannot. */
int tb_case_point(struct tb_case *c, const void *func);

/* Point it back at what it pointed at before (teardown). */
void tb_case_restore(struct tb_case *c);

/*
 * flip's driver: passes times, point sc at whichever of a and b it is not
 * at, then make k calls through it.  Returns the calls made.
 */
uint64_t tb_flip_run(struct tb_static_call *sc, const void *a, const void *b,
		     unsigned long k, uint64_t passes);

/* The scenarios. */
extern const struct tb_scenario tb_scenario_hot, tb_scenario_null,
	tb_scenario_ret0, tb_scenario_far, tb_scenario_sites,
	tb_scenario_flip, tb_scenario_update, tb_scenario_cold;

#endif
