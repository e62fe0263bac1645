// SPDX-License-Identifier: GPL-2.0
/*
 * CPU identification from MIDR_EL1 or /proc/cpuinfo, driven by the core
 * table of harness/data/cores.tsv.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_model.h"
#include "harness_arch.h"

uint64_t tb_midr_make(unsigned int implementer, unsigned int variant,
		      unsigned int part, unsigned int revision)
{
	/* architecture field 0xf: "defined by ID registers" */
	return (uint64_t)(implementer & 0xff) << 24 | (variant & 0xf) << 20 |
	       0xfu << 16 | (part & 0xfff) << 4 | (revision & 0xf);
}

static void fill(const struct tb_core_row *r, struct tb_cpu_model *out)
{
	out->name = r->name;
	out->core_type = r->core_type;
	out->found_in = r->found_in;
	out->pfm_pmu = r->pfm_pmu;
	out->table = r->table;
	out->base = r->base;
	out->pmu_kind = r->kind;
	out->rank = r->rank;
	out->default_events = r->defaults;
	out->known = !r->fallback;
	out->pmu.type = -1;
	out->pmu.ncodes = -1;
}

static const struct tb_core_row *fallback(bool x86)
{
	for (size_t i = 0; i < tb_nr_core_rows; i++)
		if (tb_core_rows[i].fallback && tb_core_rows[i].x86 == x86)
			return &tb_core_rows[i];
	return &tb_core_rows[0];	/* gen-tables.py keeps one per arch */
}

void tb_cpu_model_from_midr(uint64_t midr, struct tb_cpu_model *out)
{
	const struct tb_core_row *r = fallback(false);

	memset(out, 0, sizeof(*out));
	out->midr = midr;
	out->implementer = (midr >> 24) & 0xff;
	out->variant = (midr >> 20) & 0xf;
	out->part = (midr >> 4) & 0xfff;
	out->revision = midr & 0xf;
	for (size_t i = 0; i < tb_nr_core_rows; i++) {
		const struct tb_core_row *c = &tb_core_rows[i];

		if (!c->x86 && !c->fallback &&
		    c->implementer == out->implementer && c->part == out->part) {
			r = c;
			break;
		}
	}
	fill(r, out);
}

/* @pmu: the CPU's perf PMU, for rows that hold on one PMU only */
static void from_x86(const char *vendor, unsigned int family,
		     unsigned int model, const char *pmu,
		     struct tb_cpu_model *out)
{
	const struct tb_core_row *r = fallback(true);

	memset(out, 0, sizeof(*out));
	snprintf(out->vendor, sizeof(out->vendor), "%s", vendor);
	out->family = family;
	out->model = model;
	for (size_t i = 0; i < tb_nr_core_rows; i++) {
		const struct tb_core_row *c = &tb_core_rows[i];

		if (c->x86 && !c->fallback && !strcmp(c->vendor, vendor) &&
		    c->family == family && model >= c->model_lo &&
		    model <= c->model_hi &&
		    (!c->pmu || (pmu && !strcmp(c->pmu, pmu)))) {
			r = c;
			break;
		}
	}
	fill(r, out);
}

void tb_cpu_model_from_x86(const char *vendor, unsigned int family,
			   unsigned int model, struct tb_cpu_model *out)
{
	from_x86(vendor, family, model, NULL, out);
}

int tb_cpu_model_from_pfm(const char *pfm_pmu, struct tb_cpu_model *out)
{
	for (size_t i = 0; pfm_pmu && i < tb_nr_core_rows; i++) {
		const struct tb_core_row *r = &tb_core_rows[i];

		if (!r->x86 && r->pfm_pmu && !strcmp(r->pfm_pmu, pfm_pmu)) {
			tb_cpu_model_from_midr(tb_midr_make(r->implementer, 0,
							    r->part, 0), out);
			out->source = "libpfm4 PMU name";
			out->cpu = -1;
			return 0;
		}
	}
	return -ENOENT;
}

void tb_cpu_model_unknown(struct tb_cpu_model *out)
{
	tb_arch_cpu_model_unknown(out);
}

char *tb_cpu_core_slug(const struct tb_cpu_model *m, char *buf, size_t len)
{
	const char *s = m->known && m->name ? m->name : NULL;
	size_t n = 0;

	if (!len)
		return buf;
	if (!s) {
		snprintf(buf, len, "%s",
			 m->pmu_kind == TB_PMU_GENERIC ? "x86" : "arm64");
		return buf;
	}
	for (; *s && n + 1 < len; s++) {
		if (isalnum((unsigned char)*s))
			buf[n++] = (char)tolower((unsigned char)*s);
		else if (n && buf[n - 1] != '-')
			buf[n++] = '-';
	}
	while (n && buf[n - 1] == '-')
		n--;
	buf[n] = '\0';
	return buf;
}

/* ---- /proc/cpuinfo ------------------------------------------------ */

/* Whole /proc/cpuinfo, NUL-terminated, or NULL. */
static char *read_cpuinfo(const char *root)
{
	char full[512];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f;

	tb_root_path(root, "/proc/cpuinfo", full, sizeof(full));
	f = fopen(full, "re");
	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *nb;

			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/*
 * Value of @key in the "processor : @cpu" block, or in every block's
 * processor numbers when @cpu < 0 and @set is given.
 */
static int cpuinfo_scan(const char *info, int cpu, const char *key,
			char *val, size_t len, cpu_set_t *set)
{
	const char *line = info;
	int cur = -1;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *colon = memchr(line, ':', n);

		if (colon) {
			size_t klen = (size_t)(colon - line);
			const char *v = colon + 1;

			while (klen && isspace((unsigned char)line[klen - 1]))
				klen--;
			while (v < line + n && isspace((unsigned char)*v))
				v++;
			if (klen == 9 && !strncmp(line, "processor", 9)) {
				cur = atoi(v);
				if (set && cur >= 0 && cur < CPU_SETSIZE)
					CPU_SET(cur, set);
			} else if (key && cur == cpu && strlen(key) == klen &&
				   !strncmp(line, key, klen)) {
				snprintf(val, len, "%.*s",
					 (int)(line + n - v), v);
				return 0;
			}
		}
		line = end ? end + 1 : NULL;
	}
	return -ENOENT;
}

static int cpuinfo_uint(const char *info, int cpu, const char *key,
			unsigned int *out)
{
	char val[32], *end;
	unsigned long v;

	if (cpuinfo_scan(info, cpu, key, val, sizeof(val), NULL))
		return -ENOENT;
	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || end == val)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static void identify(const char *root, int cpu, const char *info,
		     struct tb_cpu_model *out)
{
	char path[96], line[64], *end;
	unsigned int imp, part, var = 0, rev = 0, fam, model;
	char vendor[16];
	struct tb_pmu_dev pmu;
	int ncore = tb_pmu_dev_for_cpu(root, cpu, &pmu);

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/regs/identification/midr_el1",
		 cpu);
	if (!tb_read_line(root, path, line, sizeof(line))) {
		uint64_t midr = strtoull(line, &end, 16);

		if (end != line) {
			tb_cpu_model_from_midr(midr, out);
			out->source = "sysfs midr_el1";
			goto found;
		}
	}
	if (info && !cpuinfo_uint(info, cpu, "CPU implementer", &imp) &&
	    !cpuinfo_uint(info, cpu, "CPU part", &part)) {
		cpuinfo_uint(info, cpu, "CPU variant", &var);
		cpuinfo_uint(info, cpu, "CPU revision", &rev);
		tb_cpu_model_from_midr(tb_midr_make(imp, var, part, rev), out);
		out->source = "/proc/cpuinfo";
		goto found;
	}
	if (info && !cpuinfo_scan(info, cpu, "vendor_id", vendor,
				  sizeof(vendor), NULL) &&
	    !cpuinfo_uint(info, cpu, "cpu family", &fam) &&
	    !cpuinfo_uint(info, cpu, "model", &model)) {
		from_x86(vendor, fam, model, pmu.name, out);
		cpuinfo_uint(info, cpu, "stepping", &out->stepping);
		cpuinfo_scan(info, cpu, "model name", out->model_name,
			     sizeof(out->model_name), NULL);
		out->source = "/proc/cpuinfo";
		goto found;
	}
	tb_cpu_model_unknown(out);
	out->source = "none";
found:
	/*
	 * qemu-user shows the host's /proc/cpuinfo: on the running system
	 * only a description of the architecture we run on counts.
	 */
	if ((!root || !*root) && !tb_arch_cpu_model_native(out)) {
		tb_cpu_model_unknown(out);
		out->source = "none (cpuinfo is of another architecture)";
		/* ... and so is sysfs: its PMUs count the host's CPUs */
		memset(&pmu, 0, sizeof(pmu));
		pmu.type = -1;
		pmu.ncodes = -1;
		ncore = 0;
	}
	out->cpu = cpu;
	out->pmu = pmu;
	out->nr_core_pmus = ncore > 0 ? ncore : 0;
	out->recorded = root && *root;
}

int tb_cpu_identify(const char *root, int cpu, struct tb_cpu_model *out)
{
	char *info;

	if (!out || cpu < 0)
		return -EINVAL;
	info = read_cpuinfo(root);
	identify(root, cpu, info, out);
	free(info);
	return 0;
}

/* ---- CPUs online --------------------------------------------------- */

static int online_from(const char *root, const char *info, cpu_set_t *set)
{
	char line[256];

	if (!tb_read_line(root, "/sys/devices/system/cpu/online", line,
			  sizeof(line)))
		return tb_cpulist_parse(line, set);
	CPU_ZERO(set);
	if (info)
		cpuinfo_scan(info, -1, NULL, NULL, 0, set);
	return CPU_COUNT(set) ? CPU_COUNT(set) : -ENOENT;
}

int tb_cpus_online(const char *root, cpu_set_t *set)
{
	char *info = read_cpuinfo(root);
	int ret = online_from(root, info, set);

	free(info);
	return ret;
}

static bool same_type(const struct tb_cpu_model *a,
		      const struct tb_cpu_model *b)
{
	if (a->pmu_kind == TB_PMU_GENERIC || b->pmu_kind == TB_PMU_GENERIC)
		return a->pmu_kind == b->pmu_kind &&
		       !strcmp(a->vendor, b->vendor) &&
		       a->family == b->family && a->model == b->model &&
		       !strcmp(a->core_type, b->core_type);
	return a->implementer == b->implementer && a->part == b->part;
}

int tb_cpu_core_types(const char *root, struct tb_core_type *types, int max)
{
	cpu_set_t online, members[TB_MAX_CORE_TYPES];
	struct tb_core_type found[TB_MAX_CORE_TYPES];
	char *info = read_cpuinfo(root);
	int n = 0, cpu, i, j;

	if (online_from(root, info, &online) < 0) {
		/* a tree without CPUs has no core types to invent */
		if (root && *root) {
			free(info);
			return -ENOENT;
		}
		/* nothing to enumerate: describe the CPU we run on */
		CPU_ZERO(&online);
		CPU_SET(0, &online);
	}
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		struct tb_cpu_model m;

		if (!CPU_ISSET(cpu, &online))
			continue;
		identify(root, cpu, info, &m);
		for (i = 0; i < n; i++)
			if (same_type(&found[i].model, &m))
				break;
		if (i == n) {
			if (n == TB_MAX_CORE_TYPES)
				continue;
			CPU_ZERO(&members[n]);
			found[n].ncpus = 0;
			n++;
		}
		found[i].model = m;	/* the last CPU represents the type */
		found[i].cpu = cpu;
		found[i].ncpus++;
		CPU_SET(cpu, &members[i]);
	}
	free(info);
	for (i = 0; i < n; i++)
		tb_cpulist_format(&members[i], found[i].cpus,
				  sizeof(found[i].cpus));
	/* fastest first; insertion sort keeps CPU order within a rank */
	for (i = 1; i < n; i++) {
		struct tb_core_type t = found[i];

		for (j = i; j > 0 && found[j - 1].model.rank < t.model.rank;
		     j--)
			found[j] = found[j - 1];
		found[j] = t;
	}
	for (i = 0; i < n && i < max; i++)
		types[i] = found[i];
	return i;
}
