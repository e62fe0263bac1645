// SPDX-License-Identifier: GPL-2.0
/*
 * The architecture-independent half of static calls: index the image's
 * instances, resolve specs, dispatch updates to the variant's method.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "static_call.h"

static struct tb_image image;
static struct tb_instance *insts;
static unsigned int ninsts;

struct tb_instance *tb_instances(unsigned int *n)
{
	*n = ninsts;
	return insts;
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

int tb_static_calls_init(void)
{
	const struct tb_image_instance *d;
	int err = tb_image_load(&image);

	if (err)
		return err;
	d = tb_rel(&image.hdr->instances);
	ninsts = image.hdr->ninstances;
	insts = calloc(ninsts, sizeof(*insts));
	if (!insts)
		return -ENOMEM;
	for (unsigned int i = 0; i < ninsts; i++) {
		struct tb_instance *inst = &insts[i];
		const struct tb_image_key *kd = tb_rel(&d[i].keys);

		inst->name = tb_rel(&d[i].name);
		inst->variant = tb_rel(&d[i].variant);
		inst->is_default = d[i].is_default;
		inst->ops = tb_arch_variant(inst->variant);
		if (!inst->ops) {
			fprintf(stderr,
				"trampbench: image variant '%s' has no update method on %s\n",
				inst->variant, tb_arch_name);
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

void tb_static_calls_exit(void)
{
	for (unsigned int i = 0; i < ninsts; i++)
		free(insts[i].keys);
	free(insts);
	insts = NULL;
	ninsts = 0;
	tb_image_unload(&image);
}

const char *tb_knob(const struct tb_instance *inst, const char *name)
{
	for (unsigned int i = 0; i < inst->nknobs; i++)
		if (!strcmp(inst->knobs[i].name, name))
			return inst->knobs[i].value;
	return NULL;
}

/* Append s to a ", "-separated list unless it is there already. */
static void list_add(char *list, size_t len, const char *s)
{
	char *p = list;
	size_t n = strlen(s);

	while ((p = strstr(p, s))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || !p[n]))
			return;
		p += n;
	}
	snprintf(list + strlen(list), len - strlen(list), "%s%s",
		 *list ? ", " : "", s);
}

static struct tb_instance *default_of(const char *variant)
{
	for (unsigned int i = 0; i < ninsts; i++)
		if (insts[i].is_default && !strcmp(insts[i].variant, variant))
			return &insts[i];
	return NULL;
}

char *tb_instance_short_name(const struct tb_instance *inst, char *buf,
			     size_t len)
{
	const struct tb_instance *def = default_of(inst->variant);
	size_t off;

	off = (size_t)snprintf(buf, len, "%s", inst->variant);
	for (unsigned int i = 0; i < inst->nknobs && off < len; i++) {
		const struct tb_knob *k = &inst->knobs[i];
		const char *d = def ? tb_knob(def, k->name) : NULL;

		if (d && !strcmp(d, k->value))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%c%s=%s",
					strchr(buf, ':') ? ',' : ':', k->name,
					k->value);
	}
	return buf;
}

static bool has_value(const char *variant, const char *knob,
		      const char *value, char *valid, size_t len)
{
	bool found = false;

	for (unsigned int i = 0; i < ninsts; i++) {
		const char *v;

		if (strcmp(insts[i].variant, variant))
			continue;
		v = tb_knob(&insts[i], knob);
		if (!v)
			continue;
		list_add(valid, len, v);
		found |= !strcmp(v, value);
	}
	return found;
}

struct tb_instance *tb_instance_find(const char *spec, char *err,
				     size_t errlen)
{
	char variant[32], valid[256] = "";
	struct tb_knob want[TB_MAX_KNOBS];
	const char *colon = strchr(spec, ':');
	size_t vlen = colon ? (size_t)(colon - spec) : strlen(spec);
	struct tb_instance *def;
	unsigned int nwant = 0;

	for (unsigned int i = 0; i < ninsts; i++)
		list_add(valid, sizeof(valid), insts[i].variant);
	if (vlen >= sizeof(variant))
		vlen = sizeof(variant) - 1;
	memcpy(variant, spec, vlen);
	variant[vlen] = '\0';
	def = default_of(variant);
	if (!def) {
		snprintf(err, errlen,
			 "unknown variant '%s' for %s (valid: %s)", variant,
			 tb_arch_name, valid);
		return NULL;
	}
	/* Parse "knob=value,..." into want[]. */
	for (const char *p = colon; p && p[1]; p = strchr(p + 1, ',')) {
		struct tb_knob *k = &want[nwant];
		char knobs[128] = "";

		if (nwant == TB_MAX_KNOBS ||
		    sscanf(p + 1, "%15[^=,]=%15[^,]", k->name, k->value) != 2) {
			snprintf(err, errlen,
				 "bad knob list in '%s' (expected variant:knob=value,...)",
				 spec);
			return NULL;
		}
		if (!tb_knob(def, k->name)) {
			for (unsigned int i = 0; i < def->nknobs; i++)
				list_add(knobs, sizeof(knobs),
					 def->knobs[i].name);
			snprintf(err, errlen,
				 "unknown knob '%s' for variant '%s' (valid: %s)",
				 k->name, variant, *knobs ? knobs : "none");
			return NULL;
		}
		for (unsigned int w = 0; w < nwant; w++)
			if (!strcmp(want[w].name, k->name)) {
				snprintf(err, errlen,
					 "knob '%s' given twice in '%s': give each knob once",
					 k->name, spec);
				return NULL;
			}
		*valid = '\0';
		if (!has_value(variant, k->name, k->value, valid,
			       sizeof(valid))) {
			snprintf(err, errlen,
				 "bad value '%s' for knob '%s' of variant '%s' (valid: %s)",
				 k->value, k->name, variant, valid);
			return NULL;
		}
		nwant++;
	}
	/* The instance with the wanted knobs, defaults for the rest. */
	for (unsigned int i = 0; i < ninsts; i++) {
		struct tb_instance *inst = &insts[i];
		bool match = !strcmp(inst->variant, variant);

		for (unsigned int k = 0; match && k < def->nknobs; k++) {
			const char *name = def->knobs[k].name;
			const char *v = def->knobs[k].value;

			for (unsigned int w = 0; w < nwant; w++)
				if (!strcmp(want[w].name, name))
					v = want[w].value;
			match = !strcmp(tb_knob(inst, name), v);
		}
		if (match)
			return inst;
	}
	snprintf(err, errlen, "no instance of '%s' in the image", spec);
	return NULL;
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

/* indirect's pointer for func: NULL is __static_call_nop with null=nop. */
static const void *indirect_pointer(const struct tb_static_call *sc,
				    const void *func)
{
	return !func && tb_knob_is(sc->inst, "null", "nop") ? tb_nop() : func;
}

bool tb_static_call_traps(const struct tb_static_call *sc, const void *func)
{
	if (strcmp(sc->inst->variant, "indirect") ||
	    !tb_knob_is(sc->inst, "kcfi", "on"))
		return false;
	func = indirect_pointer(sc, func);
	return func && (func == tb_ret0() || func == tb_nop());
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

struct tb_call_cost tb_call_cost(const struct tb_instance *inst, bool lat)
{
	struct tb_call_cost c = inst->ops->cost(inst, TB_KIND_NEAR);

	if (lat) {
		c.insns += tb_arch_lat_cost.insns;
		c.branches += tb_arch_lat_cost.branches;
	}
	return c;
}

struct tb_call_cost tb_cost_add(struct tb_call_cost a, struct tb_call_cost b)
{
	return (struct tb_call_cost){ a.insns + b.insns,
				      a.branches + b.branches };
}

/* RET0, or NULL where the design points NULL at return-0 (tail). */
struct tb_call_cost tb_cost_callee(const struct tb_instance *inst,
				   enum tb_target_kind kind)
{
	if (kind == TB_KIND_RET0 ||
	    (kind == TB_KIND_NULL && tb_knob_is(inst, "null", "ret0")))
		return tb_arch_ret0_cost;
	return tb_arch_nop_cost;
}

struct tb_call_cost tb_path_cost(const struct tb_instance *inst,
				 enum tb_target_kind kind)
{
	return inst->ops->cost(inst, kind);
}

bool tb_knob_is(const struct tb_instance *inst, const char *knob,
		const char *value)
{
	const char *v = tb_knob(inst, knob);

	return v && !strcmp(v, value);
}

const struct tb_variant_ops *tb_arch_variant(const char *name)
{
	for (unsigned int i = 0; i < tb_arch_nvariants; i++)
		if (!strcmp(tb_arch_variants[i].name, name))
			return &tb_arch_variants[i];
	return NULL;
}

/*
 * The literal designs update the same way on every architecture: one
 * 64-bit store (cbz, indirect: 0 for NULL).
 */
int tb_update_literal(struct tb_image *img, struct tb_static_call *sc,
		      const void *func)
{
	tb_image_write_u64(img, sc->lit, (uintptr_t)func);
	return 0;
}

/*
 * indirect: the pointer; NULL stays NULL with null=test (the site tests
 * it), else it becomes __static_call_nop, which the kernel's generic
 * static_call_cond() calls instead of testing.
 */
int tb_update_indirect(struct tb_image *img, struct tb_static_call *sc,
		       const void *func)
{
	return tb_update_literal(img, sc, indirect_pointer(sc, func));
}

/* tail: never NULL; NULL runs __static_call_return0 (or the nop knob). */
int tb_update_tail(struct tb_image *img, struct tb_static_call *sc,
		   const void *func)
{
	if (!func)
		func = tb_knob_is(sc->inst, "null", "nop") ? tb_nop() :
							     tb_ret0();
	return tb_update_literal(img, sc, func);
}

int tb_static_call_update(struct tb_static_call *sc, const void *func)
{
	int err = sc->inst->ops->update(&image, sc, func);

	if (!err)
		sc->func = func;
	return err;
}

const void *tb_ret0(void)
{
	return tb_rel(&image.hdr->ret0);
}

const void *tb_nop(void)
{
	return tb_rel(&image.hdr->nop);
}

const void *tb_bench_target(void)
{
	return tb_rel(&image.hdr->bench_target);
}

const void *tb_bench_target_b(void)
{
	return tb_rel(&image.hdr->bench_target_b);
}

const void *tb_lat_target(void)
{
	return tb_rel(&image.hdr->lat_target);
}

const void *tb_badtype_target(void)
{
	return tb_rel(&image.hdr->badtype_target);
}

unsigned int tb_ntargets(void)
{
	return image.hdr->ntargets;
}

const void *tb_target(unsigned int i)
{
	const int64_t *t = tb_rel(&image.hdr->targets);

	return i < tb_ntargets() ? tb_rel(&t[i]) : NULL;
}

uint64_t tb_target_hits(unsigned int i)
{
	const uint64_t *hits = tb_rel(&image.hdr->hits);

	return __atomic_load_n(&hits[i], __ATOMIC_RELAXED);
}

void tb_target_hits_reset(void)
{
	uint64_t *hits = tb_rel(&image.hdr->hits);

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

enum tb_target_kind tb_target_kind(const struct tb_static_call *sc,
				   const void *func)
{
	const void *from = sc->slot ? sc->slot : sc->tramp;

	if (!func)
		return TB_KIND_NULL;
	if (func == tb_ret0())
		return TB_KIND_RET0;
	if (sc->nsites)
		from = tb_rel(&sc->sites[0]);
	if (from && !tb_arch_in_branch_range(from, func))
		return TB_KIND_FAR;
	return TB_KIND_NEAR;
}

const char *tb_target_kind_name(enum tb_target_kind kind)
{
	static const char *const names[] = {
		[TB_KIND_NEAR] = "near",
		[TB_KIND_FAR] = "far",
		[TB_KIND_NULL] = "NULL",
		[TB_KIND_RET0] = "RET0",
	};
	return names[kind];
}
