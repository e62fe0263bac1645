/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each architecture provides: its variants' update methods and
 * rules, and the probe patch (variants/<arch>/static_call.c); what each
 * variant's call executes (variants/<arch>/cost.c).
 */
#ifndef TB_ARCH_H
#define TB_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tb_image;
struct tb_instance;
struct tb_static_call;

/* What one call executes, site to return, with the bench target. */
struct tb_call_cost {
	unsigned int insns, branches;
};

/*
 * What the functions a call can end in execute: the bench target and
 * __static_call_nop (a landing pad and `ret`), __static_call_return0.
 */
extern const struct tb_call_cost tb_arch_nop_cost, tb_arch_ret0_cost;
/* A bench loop's tail, once a pass: its decrement and branch back. */
extern const struct tb_call_cost tb_arch_loop_tail_cost;

/*
 * What a latency call executes on top (handing x to the call, the lat
 * target's add; variants/<arch>/cost.c).
 */
extern const struct tb_call_cost tb_arch_lat_cost;

/* What a static call points at, as far as patching is concerned. */
enum tb_target_kind {
	TB_KIND_NEAR, /* a function in direct-branch range */
	TB_KIND_FAR,  /* a function out of direct-branch range */
	TB_KIND_NULL,
	TB_KIND_RET0,
	TB_NR_KINDS,
};

struct tb_variant_ops {
	const char *name;
	/* Point sc at func (a function, NULL or the image's RET0). */
	int (*update)(struct tb_image *img, struct tb_static_call *sc,
		      const void *func);
	/*
	 * May the update from one kind to another race with calls on other
	 * CPUs, by this architecture's rules for modifying code?  NULL: all
	 * transitions may.
	 */
	bool (*concurrent_safe)(const struct tb_instance *inst,
				enum tb_target_kind from,
				enum tb_target_kind to);
	/* Why some transitions are not safe (printed by the stress test). */
	const char *unsafe_why;
};

/* This architecture's variants (variants/<arch>/static_call.c). */
extern const struct tb_variant_ops tb_arch_variants[];
extern const unsigned int tb_arch_nvariants;

/* The variant called name on this architecture, or NULL. */
const struct tb_variant_ops *tb_arch_variant(const char *name);

struct tb_variant_cost {
	const char *name;
	/*
	 * Instructions and branches one call executes (call site,
	 * trampoline, the function it ends in), so measured counts can be
	 * checked against what the code is meant to be: kind NEAR is the
	 * bench target, FAR its copy in the far mapping, RET0 the image's
	 * __static_call_return0, NULL a static_call_cond() of a NULL call.
	 * tb_call_cost() adds what a latency call does on top.
	 */
	struct tb_call_cost (*path)(const struct tb_instance *inst,
				    enum tb_target_kind kind);
};

/* This architecture's cost models, one per variant (variants/<arch>/cost.c). */
extern const struct tb_variant_cost tb_arch_costs[];
extern const unsigned int tb_arch_ncosts;

/* The cost model of the variant called name, or NULL. */
const struct tb_variant_cost *tb_arch_cost(const char *name);

/* The architecture name, as in ARCH= ("arm64", "x86"). */
extern const char tb_arch_name[];

/*
 * Fill buf with the probe's patch for return value v; returns its length
 * and sets *offset to where it goes from the probe's entry.
 */
size_t tb_arch_probe_patch(uint8_t *buf, unsigned int v, size_t *offset);

/* Can a direct branch at from reach to? */
bool tb_arch_in_branch_range(const void *from, const void *to);

/* Set up what patching needs (x86: int3 handler, core sync); 0 or -errno. */
int tb_arch_patch_init(struct tb_image *img);

#endif
