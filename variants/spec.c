// SPDX-License-Identifier: GPL-2.0
/* Specs resolved against the registry, and their short form; see spec.h. */
#include <stdio.h>
#include <string.h>

#include "spec.h"

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

static bool has_value(const char *variant, const char *knob,
		      const char *value, char *valid, size_t len)
{
	unsigned int ninsts;
	struct tb_instance *insts = tb_instances(&ninsts);
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
	unsigned int nwant = 0, ninsts;
	struct tb_instance *insts = tb_instances(&ninsts);

	for (unsigned int i = 0; i < ninsts; i++)
		list_add(valid, sizeof(valid), insts[i].variant);
	if (vlen >= sizeof(variant))
		vlen = sizeof(variant) - 1;
	memcpy(variant, spec, vlen);
	variant[vlen] = '\0';
	def = tb_instance_posted(variant);
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

char *tb_instance_short_name(const struct tb_instance *inst, char *buf,
			     size_t len)
{
	const struct tb_instance *def = tb_instance_posted(inst->variant);
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
