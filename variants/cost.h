/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cost model: what one call of an instance executes, site to return,
 * in instructions and branches, so that measured counts are checked
 * against what the code is meant to be (bench/metrics.h) and the code
 * against its model (tests/test_cost.c).  Each design's own model is in
 * variants/<arch>/cost.c.
 */
#ifndef TB_COST_H
#define TB_COST_H

#include <stdbool.h>

#include "registry.h"

/*
 * What one call of inst's bench key executes: its design's model of a
 * NEAR call, plus what a latency call adds (tb_arch_lat_cost).
 */
struct tb_call_cost tb_call_cost(const struct tb_instance *inst, bool lat);

/*
 * What one call of inst executes when its key points at a function of
 * this kind (NULL: from a static_call_cond() site); see
 * struct tb_variant_cost.
 */
struct tb_call_cost tb_path_cost(const struct tb_instance *inst,
				 enum tb_target_kind kind);

/* For the cost models: a + b, and the function a literal design ends in. */
struct tb_call_cost tb_cost_add(struct tb_call_cost a, struct tb_call_cost b);
struct tb_call_cost tb_cost_callee(const struct tb_instance *inst,
				   enum tb_target_kind kind);

#endif
