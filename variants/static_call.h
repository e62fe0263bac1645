/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static calls, with the kernel's API (include/linux/static_call.h) over
 * the generated variants: call one, call it conditionally, update it to
 * a function, NULL or RET0 (tb_ret0(), the image's __static_call_return0).
 *
 * A variant instance is named by a spec, "variant[:knob=value,...]", e.g.
 * "cbz", "tail:null=nop,align=64", "indirect:kcfi=on"; knobs not given
 * take the design's defaults.  Each instance holds a few static calls
 * ("keys"), starting at a target, NULL and RET0 (see enum tb_key_init),
 * and two bench keys with unrolled loops: throughput (independent calls
 * of tb_bench_target()) and latency (each call passes its result on to
 * the next through tb_lat_target(), x + 1).
 */
#ifndef TB_STATIC_CALL_H
#define TB_STATIC_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "image.h"

typedef long (*tb_call_fn)(long, long, long, long, long, long);
/*
 * A bench loop: passes times unroll (or 2 * unroll) calls.  A latency
 * loop returns x plus one per call; the others ignore x.
 */
typedef uint64_t (*tb_loop_fn)(uint64_t passes, uint64_t x);

/* Bench loops are generated with the body at these offsets mod 64. */
#define TB_SITE_SHIFT_MAX 60
#define TB_SITE_SHIFT_STEP 4

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
	const struct tb_variant_ops *ops;
	struct tb_knob knobs[TB_MAX_KNOBS];
	unsigned int nknobs;
	bool is_default; /* the design as posted */
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

/* Load the image and index its instances; 0 or -errno (message printed). */
int tb_static_calls_init(void);
void tb_static_calls_exit(void);

/* All instances, in image order. */
struct tb_instance *tb_instances(unsigned int *n);

/*
 * Find the instance a spec names.  On a bad spec returns NULL and writes
 * a one-line message listing the valid variants, knobs or values.
 */
struct tb_instance *tb_instance_find(const char *spec, char *err,
				     size_t errlen);

/*
 * The shortest spec that names @inst: its variant and the knobs that
 * differ from the design as posted ("cbz", "tail:pad=off,null=nop").
 * Returns @buf.
 */
char *tb_instance_short_name(const struct tb_instance *inst, char *buf,
			     size_t len);

/* The value of knob name in inst, or NULL if the variant lacks it. */
const char *tb_knob(const struct tb_instance *inst, const char *name);
/* Does inst have knob set to value? */
bool tb_knob_is(const struct tb_instance *inst, const char *knob,
		const char *value);

/* Update methods every architecture shares (the literal designs). */
int tb_update_literal(struct tb_image *img, struct tb_static_call *sc,
		      const void *func);
int tb_update_indirect(struct tb_image *img, struct tb_static_call *sc,
		       const void *func);
int tb_update_tail(struct tb_image *img, struct tb_static_call *sc,
		   const void *func);

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

/*
 * Would a call through sc trap if it pointed at func?  indirect:kcfi=on
 * checks the target's type id, and __static_call_return0 and
 * __static_call_nop have types of their own: the kernel traps there.
 */
bool tb_static_call_traps(const struct tb_static_call *sc, const void *func);

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

/*
 * What one call of inst's bench key executes: ops->cost(), plus what a
 * latency call adds (tb_arch_lat_cost).
 */
struct tb_call_cost tb_call_cost(const struct tb_instance *inst, bool lat);

/*
 * What one call of inst executes when its key points at a function of
 * this kind (NULL: from a static_call_cond() site); see ops->cost.
 */
struct tb_call_cost tb_path_cost(const struct tb_instance *inst,
				 enum tb_target_kind kind);

/* For the cost models: a + b, and the function a literal design ends in. */
struct tb_call_cost tb_cost_add(struct tb_call_cost a, struct tb_call_cost b);
struct tb_call_cost tb_cost_callee(const struct tb_instance *inst,
				   enum tb_target_kind kind);

static inline long tb_static_call(const struct tb_static_call *sc, long a,
				  long b, long c, long d, long e, long f)
{
	return sc->call(a, b, c, d, e, f);
}

static inline long tb_static_call_cond(const struct tb_static_call *sc,
				       long a, long b, long c, long d, long e,
				       long f)
{
	return sc->cond(a, b, c, d, e, f);
}

/* Point sc at func: a function, NULL, or tb_ret0().  0 or -errno. */
int tb_static_call_update(struct tb_static_call *sc, const void *func);

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

/* Classify func for the patching rules. */
enum tb_target_kind tb_target_kind(const struct tb_static_call *sc,
				   const void *func);
const char *tb_target_kind_name(enum tb_target_kind kind);

#endif
