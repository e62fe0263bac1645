// SPDX-License-Identifier: GPL-2.0
/*
 * Self-calibration, run and saved with every run: cases that check the
 * instrument itself.  A reader judges the machine from these first:
 *   empty        two identical loops: about 0 per item, or the noise floor
 *   add_chain    dependent adds: 1 cycle each on every core we target
 *   call_ret     a direct call to a `ret`: the cheapest call there is
 *   branch       a branch on a pseudo-random bit minus the same work with
 *                the branch always taken, over the 50% mispredict rate:
 *                the mispredict penalty
 */
#include "calibration.h"
#include "case.h"

#define PAIR(name)                                                       \
	{ .one = tb_cal_##name##_1, .two = tb_cal_##name##_2,                \
	  .items = TB_CAL_UNROLL }

/* arm64 and x86: the same counts (calibration.S). */
static struct tb_case cases[] = {
	{ .name = "calibration/empty", .loops = PAIR(empty) },
	{ .name = "calibration/add_chain", .loops = PAIR(add_chain),
	  .expect = { 1, 0 } },
	{ .name = "calibration/call_ret", .loops = PAIR(call_ret),
	  .expect = { 2, 2 } },
	{ .name = "calibration/branch_random",
	  .loops = PAIR(branch_random),
	  .baseline = PAIR(branch_fixed),
	  .baseline_scale = 2.0, /* one mispredict per two branches */
	  .baseline_counter = "mispredict_penalty" },
};

int tb_calibration_register(const struct tb_run_opts *o)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = tb_case_register(&cases[i], o);

		if (err)
			return err;
	}
	return 0;
}
