/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The code image's descriptors, as variants/gen-image.py emits them: what
 * the registry (registry.h) reads, wherever the image is (mapped by
 * image.c in user space, or linked into a module).
 */
#ifndef TB_IMAGE_DESC_H
#define TB_IMAGE_DESC_H

#include <stddef.h>
#include <stdint.h>

#define TB_IMAGE_MAGIC "TBIMG01"

/*
 * Descriptor layouts, as gen-image.py emits them.  Pointers are
 * self-relative (".quad sym - .") so they hold wherever the image lives;
 * tb_rel() turns one into an address.
 */
struct tb_image_header {
	char magic[8];
	char arch[8];
	int64_t text_end, rodata_end, image_end;
	int64_t instances, ninstances;
	int64_t targets, ntargets;
	int64_t hits, ret0, nop, bench_target, lat_target, badtype_target;
	int64_t probe, nopad_probe;
	int64_t init, init_size;
	int64_t bench_target_b; /* a second bench target, for flips */
	/*
	 * cold: the predictor walk (void f(void)), the eviction by address
	 * (void f(const u64 *lines, u64 nwarm, u64 ndata, u64 ncode)), and
	 * the walk's taken direct branches, indirect sites, call depth.
	 */
	int64_t pwalk, cold_evict;
	int64_t pwalk_direct, pwalk_indirect, pwalk_depth;
};

struct tb_image_instance {
	int64_t name, variant, keys, nkeys, is_default;
	int64_t shapes, nshapes; /* struct tb_image_shape[] */
};

/*
 * A loop pair generated for the scenarios, found by name and parameters
 * (e.g. "sites", "n:64/order:rr/spacing:packed"): `one` makes `items`
 * calls per pass and `two` twice as many, or (cold) `one` is the control
 * sample and `two` the call sample (or, params "control", a second
 * control): functions `u64 f(void)` returning the ticks of their site.
 */
struct tb_image_shape {
	int64_t name, params; /* strings */
	int64_t key;          /* index of the key its sites call; -1: many */
	int64_t shift;        /* bytes from a 64-byte boundary to site1 */
	int64_t one, two;
	int64_t site1;        /* the first call site of one (two's for cold) */
	int64_t items;
};

struct tb_image_key {
	int64_t init, flags;
	int64_t tramp, lit, slot, call, cond;
	int64_t loops, nloops; /* bench keys: struct tb_image_loop[] */
	int64_t unroll;
	int64_t sites, nsites;
};

/* A bench key's loop pair at one site shift; nloops of them, ascending. */
struct tb_image_loop {
	int64_t shift;        /* bytes from a 64-byte boundary to the body */
	int64_t loop1, loop2; /* unroll and 2 * unroll sites per pass */
	int64_t site1, site2; /* the first call site (body start) of each */
};

/* How a key starts out (gen-image.py INIT_*). */
enum tb_key_init {
	TB_INIT_TARGET,
	TB_INIT_NULL,
	TB_INIT_RET0,
	TB_INIT_LITPATH, /* direct: target reached through the literal */
};

#define TB_KEY_BENCH 1 /* key has the unrolled benchmark loops */
#define TB_KEY_LAT 2   /* bench key calling tb_lat_target, calls chained */
#define TB_KEY_SCN 4   /* the scenario key: scenarios set its state up */

static inline void *tb_rel(const int64_t *field)
{
	return *field ? (char *)field + *field : NULL;
}

#endif
