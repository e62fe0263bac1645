// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: index the image's instances and keys from its
 * descriptors, and find them; see registry.h.  Descriptors only: no
 * mapping, no printing (the caller prints what tb_registry_init() says).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

static struct tb_image *image;
static const struct tb_image_header *hdr;
static struct tb_instance *insts;
static unsigned int ninsts;

struct tb_image *tb_registry_image(void)
{
	return image;
}

struct tb_instance *tb_instances(unsigned int *n)
{
	*n = ninsts;
	return insts;
}

const struct tb_variant_ops *tb_arch_variant(const char *name)
{
	for (unsigned int i = 0; i < tb_arch_nvariants; i++)
		if (!strcmp(tb_arch_variants[i].name, name))
			return &tb_arch_variants[i];
	return NULL;
}

const struct tb_variant_cost *tb_arch_cost(const char *name)
{
	for (unsigned int i = 0; i < tb_arch_ncosts; i++)
		if (!strcmp(tb_arch_costs[i].name, name))
			return &tb_arch_costs[i];
	return NULL;
}

/* "cbz:pad=on,align=8" -> knobs; the image's names are well formed. */
static void parse_knobs(struct tb_instance *inst)
{
	const char *p = strchr(inst->name, ':');

	while (p && *p && inst->nknobs < TB_MAX_KNOBS) {
		struct tb_knob *k = &inst->knobs[inst->nknobs++];

		sscanf(p + 1, "%15[^=]=%15[^,]", k->name, k->value);
		p = strchr(p + 1, ',');
	}
}

static void index_key(struct tb_static_call *sc,
		      const struct tb_image_key *d)
{
	sc->desc = d;
	sc->init = d->init;
	sc->bench = d->flags & TB_KEY_BENCH;
	sc->lat = d->flags & TB_KEY_LAT;
	sc->scn = d->flags & TB_KEY_SCN;
	sc->tramp = tb_rel(&d->tramp);
	sc->lit = tb_rel(&d->lit);
	sc->slot = tb_rel(&d->slot);
	sc->call = (tb_call_fn)tb_rel(&d->call);
	sc->cond = (tb_call_fn)tb_rel(&d->cond);
	sc->loops = tb_rel(&d->loops);
	sc->nloops = d->nloops;
	if (sc->nloops) {
		sc->loop1 = (tb_loop_fn)tb_rel(&sc->loops[0].loop1);
		sc->loop2 = (tb_loop_fn)tb_rel(&sc->loops[0].loop2);
	}
	sc->unroll = d->unroll;
	sc->sites = tb_rel(&d->sites);
	sc->nsites = d->nsites;
	switch (sc->init) {
	case TB_INIT_NULL:
		sc->func = NULL;
		break;
	case TB_INIT_RET0:
		sc->func = tb_ret0();
		break;
	default:
		if (sc->lat)
			sc->func = tb_lat_target();
		else if (sc->bench || sc->scn)
			sc->func = tb_bench_target();
		else
			sc->func = tb_target(0);
	}
}

int tb_registry_init(struct tb_image *img, const struct tb_image_header *h,
		     char *err, size_t errlen)
{
	const struct tb_image_instance *d = tb_rel(&h->instances);

	*err = '\0';
	image = img;
	hdr = h;
	ninsts = h->ninstances;
	insts = calloc(ninsts, sizeof(*insts));
	if (!insts)
		return -ENOMEM;
	for (unsigned int i = 0; i < ninsts; i++) {
		struct tb_instance *inst = &insts[i];
		const struct tb_image_key *kd = tb_rel(&d[i].keys);

		inst->name = tb_rel(&d[i].name);
		inst->variant = tb_rel(&d[i].variant);
		inst->is_default = d[i].is_default;
		inst->is_baseline = d[i].is_baseline;
		inst->ops = tb_arch_variant(inst->variant);
		inst->cost = tb_arch_cost(inst->variant);
		if (!inst->ops || !inst->cost) {
			snprintf(err, errlen,
				 "image variant '%s' has no %s on %s",
				 inst->variant,
				 inst->ops ? "cost model" : "update method",
				 tb_arch_name);
			return -ENOEXEC;
		}
		parse_knobs(inst);
		inst->shapes = tb_rel(&d[i].shapes);
		inst->nshapes = d[i].nshapes;
		inst->nkeys = d[i].nkeys;
		inst->keys = calloc(inst->nkeys, sizeof(*inst->keys));
		if (!inst->keys)
			return -ENOMEM;
		for (unsigned int k = 0; k < inst->nkeys; k++) {
			inst->keys[k].inst = inst;
			inst->keys[k].index = k;
			index_key(&inst->keys[k], &kd[k]);
		}
	}
	return 0;
}

void tb_registry_exit(void)
{
	for (unsigned int i = 0; i < ninsts; i++)
		free(insts[i].keys);
	free(insts);
	insts = NULL;
	ninsts = 0;
	hdr = NULL;
	image = NULL;
}

struct tb_instance *tb_instance_posted(const char *variant)
{
	for (unsigned int i = 0; i < ninsts; i++)
		if (insts[i].is_default && !strcmp(insts[i].variant, variant))
			return &insts[i];
	return NULL;
}

struct tb_instance *tb_baseline_instance(void)
{
	for (unsigned int i = 0; i < ninsts; i++)
		if (insts[i].is_baseline)
			return &insts[i];
	return NULL;
}

const char *tb_knob(const struct tb_instance *inst, const char *name)
{
	for (unsigned int i = 0; i < inst->nknobs; i++)
		if (!strcmp(inst->knobs[i].name, name))
			return inst->knobs[i].value;
	return NULL;
}

bool tb_knob_is(const struct tb_instance *inst, const char *knob,
		const char *value)
{
	const char *v = tb_knob(inst, knob);

	return v && !strcmp(v, value);
}

struct tb_static_call *tb_key(const struct tb_instance *inst,
			      enum tb_key_init init, bool bench)
{
	for (unsigned int k = 0; k < inst->nkeys; k++) {
		const struct tb_static_call *sc = &inst->keys[k];

		if (sc->init == init && sc->bench == bench && !sc->lat)
			return &inst->keys[k];
	}
	return NULL;
}

struct tb_static_call *tb_scenario_key(const struct tb_instance *inst)
{
	for (unsigned int k = 0; k < inst->nkeys; k++)
		if (inst->keys[k].scn)
			return &inst->keys[k];
	return NULL;
}

bool tb_shape_find(const struct tb_instance *inst, const char *name,
		   const char *params, struct tb_shape *out)
{
	for (unsigned int i = 0; i < inst->nshapes; i++) {
		const struct tb_image_shape *d = &inst->shapes[i];

		if (strcmp(tb_rel(&d->name), name) ||
		    strcmp(tb_rel(&d->params), params))
			continue;
		*out = (struct tb_shape){
			.name = tb_rel(&d->name),
			.params = tb_rel(&d->params),
			.sc = d->key >= 0 && d->key < inst->nkeys ?
				      &inst->keys[d->key] :
				      NULL,
			.shift = d->shift,
			.items = d->items,
			.one = (tb_loop_fn)tb_rel(&d->one),
			.two = (tb_loop_fn)tb_rel(&d->two),
			.site1 = tb_rel(&d->site1),
		};
		return true;
	}
	return false;
}

struct tb_static_call *tb_bench_key(const struct tb_instance *inst, bool lat)
{
	for (unsigned int k = 0; k < inst->nkeys; k++)
		if (inst->keys[k].bench && inst->keys[k].lat == lat)
			return &inst->keys[k];
	return NULL;
}

bool tb_bench_loops(const struct tb_static_call *sc, unsigned int shift,
		    struct tb_bench_loops *out)
{
	for (unsigned int i = 0; i < sc->nloops; i++) {
		const struct tb_image_loop *l = &sc->loops[i];

		if (l->shift != shift)
			continue;
		*out = (struct tb_bench_loops){
			.shift = shift,
			.unroll = sc->unroll,
			.one = (tb_loop_fn)tb_rel(&l->loop1),
			.two = (tb_loop_fn)tb_rel(&l->loop2),
			.site1 = tb_rel(&l->site1),
			.site2 = tb_rel(&l->site2),
		};
		return true;
	}
	return false;
}

/* ---- the functions every instance shares ---------------------------- */

const void *tb_ret0(void)
{
	return tb_rel(&hdr->ret0);
}

const void *tb_nop(void)
{
	return tb_rel(&hdr->nop);
}

const void *tb_bench_target(void)
{
	return tb_rel(&hdr->bench_target);
}

const void *tb_bench_target_b(void)
{
	return tb_rel(&hdr->bench_target_b);
}

const void *tb_lat_target(void)
{
	return tb_rel(&hdr->lat_target);
}

const void *tb_badtype_target(void)
{
	return tb_rel(&hdr->badtype_target);
}

unsigned int tb_ntargets(void)
{
	return hdr->ntargets;
}

const void *tb_target(unsigned int i)
{
	const int64_t *t = tb_rel(&hdr->targets);

	return i < tb_ntargets() ? tb_rel(&t[i]) : NULL;
}

uint64_t tb_target_hits(unsigned int i)
{
	const uint64_t *hits = tb_rel(&hdr->hits);

	return __atomic_load_n(&hits[i], __ATOMIC_RELAXED);
}

void tb_target_hits_reset(void)
{
	uint64_t *hits = tb_rel(&hdr->hits);

	for (unsigned int i = 0; i <= tb_ntargets(); i++)
		__atomic_store_n(&hits[i], 0, __ATOMIC_RELAXED);
}

/* The mix in TB_CHECK_TARGET (variants/<arch>/variants.S.inc). */
long tb_target_expect(unsigned int i, long a, long b, long c, long d, long e,
		      long f)
{
	uint64_t r = (uint64_t)a ^ (uint64_t)b << 8 ^ (uint64_t)c << 16 ^
		     (uint64_t)d << 24 ^ (uint64_t)e << 32 ^ (uint64_t)f << 40;

	return (long)(r + ((uint64_t)(i + 1) << 48));
}
