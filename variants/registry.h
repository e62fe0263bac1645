/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry: the image's descriptors (image_desc.h) indexed as
 * instances and their static calls, and the functions every instance
 * shares.  It reads descriptors only, wherever the image is, so user
 * space (image.c maps the image) and a kernel module can both use it.
 *
 * A variant instance is named by a spec, "variant[:knob=value,...]", e.g.
 * "cbz", "tail:null=nop,align=64", "indirect:kcfi=on"; knobs not given
 * take the design's defaults (spec.h).  Each instance holds a few static
 * calls ("keys"), starting at a target, NULL and RET0 (see enum
 * tb_key_init), and two bench keys with unrolled loops: throughput
 * (independent calls of tb_bench_target()) and latency (each call passes
 * its result on to the next through tb_lat_target(), x + 1).
 */
#ifndef TB_REGISTRY_H
#define TB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "image_desc.h"

typedef long (*tb_call_fn)(long, long, long, long, long, long);
/*
 * A bench loop: passes times unroll (or 2 * unroll) calls.  A latency
 * loop returns x plus one per call; the others ignore x.
 */
typedef uint64_t (*tb_loop_fn)(uint64_t passes, uint64_t x);

struct tb_instance;

struct tb_static_call {
	const struct tb_instance *inst;
	const struct tb_image_key *desc;
	unsigned int index;
	enum tb_key_init init;
	bool bench;
	bool lat; /* bench key of the latency loops */
	bool scn; /* the scenario key */
	void *tramp;   /* trampoline entry, or NULL (indirect, inline) */
	uint64_t *lit; /* literal, or indirect's function pointer */
	void *slot;    /* patched instruction of direct, x86 jmp */
	tb_call_fn call, cond; /* wrappers around one call site each */
	tb_loop_fn loop1, loop2; /* unroll and 2 * unroll sites, shift 0 */
	unsigned int unroll;
	const struct tb_image_loop *loops; /* every shift, ascending */
	unsigned int nloops;
	const int64_t *sites; /* inline: every site (self-relative) */
	unsigned int nsites;
	const void *func; /* what it points at now */
};

#define TB_MAX_KNOBS 4

struct tb_knob {
	char name[16], value[16];
};

struct tb_instance {
	const char *name;    /* canonical spec, every knob spelled out */
	const char *variant; /* "cbz" */
	const struct tb_variant_ops *ops;     /* its update method */
	const struct tb_variant_cost *cost;   /* its cost model */
	struct tb_knob knobs[TB_MAX_KNOBS];
	unsigned int nknobs;
	bool is_default; /* the design as posted */
	bool is_baseline; /* what differences are taken against (one) */
	struct tb_static_call *keys;
	unsigned int nkeys;
	const struct tb_image_shape *shapes;
	unsigned int nshapes;
};

/* A generated loop pair of a scenario shape, as the meter runs it. */
struct tb_shape {
	const char *name, *params;
	struct tb_static_call *sc; /* the key its sites call, or NULL */
	unsigned int shift, items;
	tb_loop_fn one, two;
	const void *site1;
};

/*
 * Index the image whose descriptors start at @hdr; @img is what its
 * update methods write through (struct tb_image, opaque here).  Returns
 * 0, or -errno with a one-line message in @err (-ENOEXEC: a variant this
 * architecture has no update method or cost model for).
 */
int tb_registry_init(struct tb_image *img, const struct tb_image_header *hdr,
		     char *err, size_t errlen);
void tb_registry_exit(void);

/* The image the registry indexes, as handed to tb_registry_init(). */
struct tb_image *tb_registry_image(void);

/* All instances, in image order. */
struct tb_instance *tb_instances(unsigned int *n);

/* The instance of @variant as posted (is_default), or NULL. */
struct tb_instance *tb_instance_posted(const char *variant);

/*
 * The baseline: the instance every difference is taken against, the v7
 * patch's cbz as posted (gen-image.py BASELINE), "cbz:pad=on,align=8,
 * lit=rodata"; NULL before tb_registry_init().
 */
struct tb_instance *tb_baseline_instance(void);

/* The value of knob name in inst, or NULL if the variant lacks it. */
const char *tb_knob(const struct tb_instance *inst, const char *name);
/* Does inst have knob set to value? */
bool tb_knob_is(const struct tb_instance *inst, const char *knob,
		const char *value);

/*
 * The key of inst that started with init (and is/isn't a bench key); of
 * the bench keys, the throughput one.
 */
struct tb_static_call *tb_key(const struct tb_instance *inst,
			      enum tb_key_init init, bool bench);

/* The scenario key of inst (starts at tb_bench_target()). */
struct tb_static_call *tb_scenario_key(const struct tb_instance *inst);

/*
 * The shape of inst called name with these parameters ("" for none);
 * false if the image has none (e.g. sites, generated for the designs as
 * posted only).
 */
bool tb_shape_find(const struct tb_instance *inst, const char *name,
		   const char *params, struct tb_shape *out);

/* The bench key of inst: throughput (lat false) or latency. */
struct tb_static_call *tb_bench_key(const struct tb_instance *inst, bool lat);

/* A bench key's loop pair at one site shift. */
struct tb_bench_loops {
	unsigned int shift, unroll;
	tb_loop_fn one, two; /* unroll and 2 * unroll calls per pass */
	const void *site1, *site2; /* their bodies: the first call sites */
};

/* The loops of a bench key at this site shift; false if not generated. */
bool tb_bench_loops(const struct tb_static_call *sc, unsigned int shift,
		    struct tb_bench_loops *out);

/* Functions in the image. */
const void *tb_ret0(void);
const void *tb_nop(void);
const void *tb_target(unsigned int i); /* check target i (NULL if none) */
unsigned int tb_ntargets(void);
const void *tb_bench_target(void);
const void *tb_bench_target_b(void); /* the same, elsewhere: for flips */
const void *tb_lat_target(void); /* returns its first argument + 1 */
const void *tb_badtype_target(void); /* a target with a wrong kCFI id */
/* How often check target i ran (badtype is i == tb_ntargets()). */
uint64_t tb_target_hits(unsigned int i);
void tb_target_hits_reset(void);

/* What check target i returns for these arguments. */
long tb_target_expect(unsigned int i, long a, long b, long c, long d, long e,
		      long f);

#endif
