// SPDX-License-Identifier: GPL-2.0
/*
 * CPU identification from MIDR_EL1 or /proc/cpuinfo, driven by one table.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_model.h"

/*
 * Default event lists.  Names resolve through libpfm4 when it models the
 * core, else through the built-in tables of pmu_events.c.  Mispredicts
 * are counted both speculatively (BR_MIS_PRED) and at retirement
 * (BR_MIS_PRED_RETIRED), since the two differ on wrong-path branches.
 */
#define PMUV3_EVENTS							\
	"CPU_CYCLES,INST_RETIRED,BR_RETIRED,BR_MIS_PRED_RETIRED,"	\
	"BR_PRED,BR_MIS_PRED,L1I_CACHE_REFILL,L1I_TLB_REFILL,STALL_FRONTEND"
/* 0x7a is IMPLEMENTATION DEFINED: listed only where libpfm4 has it. */
#define NEOVERSE_EVENTS PMUV3_EVENTS ",BR_INDIRECT_SPEC"
/* Linux drivers/perf/apple_m1_cpu_pmu.c event names */
#define APPLE_EVENTS							\
	"CORE_ACTIVE_CYCLE,INST_ALL,BRANCH_MISPRED_NONSPEC,INST_BRANCH,"\
	"L1I_CACHE_MISS_DEMAND"
/* perf's generic names; '?' marks an event that may be missing */
#define X86_EVENTS							\
	"cycles,instructions,branches,branch-misses,L1-icache-load-misses?"

struct arm_row {
	unsigned int implementer, part;
	const char *name, *core_type, *found_in;
	const char *pfm_pmu, *perf_pmu;
	enum tb_pmu_kind kind;
	int rank;
	const char *events;
};

/* a core libpfm4 models, and one it does not */
#define ARM(imp, part, name, found, pfm)				\
	{ imp, part, name, name, found, pfm, NULL, TB_PMU_ARMV8, 1,	\
	  NEOVERSE_EVENTS }
#define ARM_RAW(imp, part, name, found)					\
	{ imp, part, name, name, found, NULL, NULL, TB_PMU_ARMV8, 1,	\
	  PMUV3_EVENTS }
#define APPLE(part, name, type, found, pmu, rank)			\
	{ 0x61, part, name, type, found, NULL, pmu, TB_PMU_APPLE, rank,	\
	  APPLE_EVENTS }

/*
 * Part numbers: Linux arch/arm64/include/asm/cputype.h.  libpfm4 PMU
 * names: those of libpfm4 4.13 (pfm_get_pmu_info()); NULL where it has
 * no model of the core.
 */
static const struct arm_row arm_rows[] = {
	ARM(0x41, 0xd0c, "Neoverse N1", "Graviton2, Ampere Altra", "arm_n1"),
	ARM(0x41, 0xd40, "Neoverse V1", "Graviton3", "arm_v1"),
	ARM(0x41, 0xd49, "Neoverse N2", "Azure Cobalt 100", "arm_n2"),
	ARM(0x41, 0xd4f, "Neoverse V2", "Graviton4, Grace", "arm_v2"),
	ARM_RAW(0x41, 0xd84, "Neoverse V3", ""),
	ARM_RAW(0x41, 0xd8e, "Neoverse N3", ""),
	ARM_RAW(0x41, 0xd08, "Cortex-A72", "Graviton (A1), Raspberry Pi 4"),
	ARM_RAW(0x41, 0xd0b, "Cortex-A76", "Raspberry Pi 5"),
	ARM_RAW(0xc0, 0xac3, "AmpereOne", "AmpereOne"),
	ARM_RAW(0xc0, 0xac4, "AmpereOne A", "AmpereOne"),
	APPLE(0x022, "Apple M1 Icestorm", "Icestorm (E-core)", "Apple M1",
	      "apple_icestorm_pmu", 1),
	APPLE(0x023, "Apple M1 Firestorm", "Firestorm (P-core)", "Apple M1",
	      "apple_firestorm_pmu", 2),
	APPLE(0x024, "Apple M1 Pro Icestorm", "Icestorm (E-core)",
	      "Apple M1 Pro", "apple_icestorm_pmu", 1),
	APPLE(0x025, "Apple M1 Pro Firestorm", "Firestorm (P-core)",
	      "Apple M1 Pro", "apple_firestorm_pmu", 2),
	APPLE(0x028, "Apple M1 Max Icestorm", "Icestorm (E-core)",
	      "Apple M1 Max", "apple_icestorm_pmu", 1),
	APPLE(0x029, "Apple M1 Max Firestorm", "Firestorm (P-core)",
	      "Apple M1 Max", "apple_firestorm_pmu", 2),
	APPLE(0x032, "Apple M2 Blizzard", "Blizzard (E-core)", "Apple M2",
	      "apple_blizzard_pmu", 1),
	APPLE(0x033, "Apple M2 Avalanche", "Avalanche (P-core)", "Apple M2",
	      "apple_avalanche_pmu", 2),
	APPLE(0x034, "Apple M2 Pro Blizzard", "Blizzard (E-core)",
	      "Apple M2 Pro", "apple_blizzard_pmu", 1),
	APPLE(0x035, "Apple M2 Pro Avalanche", "Avalanche (P-core)",
	      "Apple M2 Pro", "apple_avalanche_pmu", 2),
	APPLE(0x038, "Apple M2 Max Blizzard", "Blizzard (E-core)",
	      "Apple M2 Max", "apple_blizzard_pmu", 1),
	APPLE(0x039, "Apple M2 Max Avalanche", "Avalanche (P-core)",
	      "Apple M2 Max", "apple_avalanche_pmu", 2),
};

static const struct arm_row arm_unknown = {
	0, 0, "unknown arm64 PMUv3 core", "unknown arm64 PMUv3 core", "",
	NULL, NULL, TB_PMU_ARMV8, 0, PMUV3_EVENTS
};

struct x86_row {
	const char *vendor;
	unsigned int family, model_lo, model_hi;
	const char *name, *found_in, *pfm_pmu;
};

#define AMD(fam, lo, hi, gen, found, pfm) \
	{ "AuthenticAMD", fam, lo, hi, "AMD " gen, found, pfm }

/* Zen generations by family/model: Linux arch/x86/kernel/cpu/amd.c */
static const struct x86_row x86_rows[] = {
	AMD(0x17, 0x00, 0x2f, "Zen", "EPYC 7001", "amd64_fam17h_zen1"),
	AMD(0x17, 0x50, 0x5f, "Zen", "", "amd64_fam17h_zen1"),
	AMD(0x17, 0x30, 0x4f, "Zen 2", "EPYC 7002", "amd64_fam17h_zen2"),
	AMD(0x17, 0x60, 0x7f, "Zen 2", "Ryzen 4000", "amd64_fam17h_zen2"),
	AMD(0x17, 0x90, 0x91, "Zen 2", "", "amd64_fam17h_zen2"),
	AMD(0x17, 0xa0, 0xaf, "Zen 2", "", "amd64_fam17h_zen2"),
	AMD(0x19, 0x00, 0x0f, "Zen 3", "EPYC 7003", "amd64_fam19h_zen3"),
	AMD(0x19, 0x20, 0x5f, "Zen 3", "Ryzen 5000", "amd64_fam19h_zen3"),
	AMD(0x19, 0x10, 0x1f, "Zen 4", "EPYC 9004", "amd64_fam19h_zen4"),
	AMD(0x19, 0x60, 0xaf, "Zen 4", "Ryzen 7000", "amd64_fam19h_zen4"),
	AMD(0x1a, 0x00, 0x2f, "Zen 5", "EPYC 9005", NULL),
	AMD(0x1a, 0x40, 0x4f, "Zen 5", "Ryzen 9000", NULL),
	AMD(0x1a, 0x70, 0x7f, "Zen 5", "", NULL),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

uint64_t tb_midr_make(unsigned int implementer, unsigned int variant,
		      unsigned int part, unsigned int revision)
{
	/* architecture field 0xf: "defined by ID registers" */
	return (uint64_t)(implementer & 0xff) << 24 | (variant & 0xf) << 20 |
	       0xfu << 16 | (part & 0xfff) << 4 | (revision & 0xf);
}

static void fill_arm(const struct arm_row *r, struct tb_cpu_model *out)
{
	out->name = r->name;
	out->core_type = r->core_type;
	out->found_in = r->found_in;
	out->pfm_pmu = r->pfm_pmu;
	out->perf_pmu = r->perf_pmu;
	out->perf_pmu_type = -1;
	out->pmu_kind = r->kind;
	out->rank = r->rank;
	out->default_events = r->events;
}

void tb_cpu_model_from_midr(uint64_t midr, struct tb_cpu_model *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->midr = midr;
	out->implementer = (midr >> 24) & 0xff;
	out->variant = (midr >> 20) & 0xf;
	out->part = (midr >> 4) & 0xfff;
	out->revision = midr & 0xf;
	fill_arm(&arm_unknown, out);
	for (i = 0; i < ARRAY_SIZE(arm_rows); i++) {
		if (arm_rows[i].implementer == out->implementer &&
		    arm_rows[i].part == out->part) {
			fill_arm(&arm_rows[i], out);
			out->known = true;
			break;
		}
	}
}

void tb_cpu_model_from_x86(const char *vendor, unsigned int family,
			   unsigned int model, struct tb_cpu_model *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	snprintf(out->vendor, sizeof(out->vendor), "%s", vendor);
	out->family = family;
	out->model = model;
	out->name = "unknown x86-64 core";
	out->core_type = out->name;
	out->found_in = "";
	out->perf_pmu_type = -1;
	out->pmu_kind = TB_PMU_GENERIC;
	out->rank = 1;
	out->default_events = X86_EVENTS;
	for (i = 0; i < ARRAY_SIZE(x86_rows); i++) {
		const struct x86_row *r = &x86_rows[i];

		if (!strcmp(r->vendor, vendor) && r->family == family &&
		    model >= r->model_lo && model <= r->model_hi) {
			out->name = r->name;
			out->core_type = r->name;
			out->found_in = r->found_in;
			out->pfm_pmu = r->pfm_pmu;
			out->known = true;
			break;
		}
	}
}

int tb_cpu_model_from_pfm(const char *pfm_pmu, struct tb_cpu_model *out)
{
	size_t i;

	for (i = 0; pfm_pmu && i < ARRAY_SIZE(arm_rows); i++) {
		if (arm_rows[i].pfm_pmu &&
		    !strcmp(arm_rows[i].pfm_pmu, pfm_pmu)) {
			const struct arm_row *r = &arm_rows[i];

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
#if defined(__aarch64__)
	tb_cpu_model_from_midr(0, out);
#else
	tb_cpu_model_from_x86("", 0, 0, out);
#endif
}

/* ---- files ---------------------------------------------------------- */

static void root_path(const char *root, const char *path, char *buf,
		      size_t len)
{
	snprintf(buf, len, "%s%s", root ? root : "", path);
}

int tb_read_line(const char *root, const char *path, char *buf, size_t len)
{
	char full[512];
	FILE *f;
	char *nl;

	root_path(root, path, full, sizeof(full));
	f = fopen(full, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* Whole /proc/cpuinfo, NUL-terminated, or NULL. */
static char *read_cpuinfo(const char *root)
{
	char full[512];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f;

	root_path(root, "/proc/cpuinfo", full, sizeof(full));
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

static void read_pmu_type(const char *root, struct tb_cpu_model *out)
{
	char path[128], line[32];

	out->perf_pmu_type = -1;
	if (!out->perf_pmu)
		return;
	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type",
		 out->perf_pmu);
	if (!tb_read_line(root, path, line, sizeof(line)))
		out->perf_pmu_type = atoi(line);
}

static void identify(const char *root, int cpu, const char *info,
		     struct tb_cpu_model *out)
{
	char path[96], line[64], *end;
	unsigned int imp, part, var = 0, rev = 0, fam, model;
	char vendor[16];

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
		tb_cpu_model_from_x86(vendor, fam, model, out);
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
#if defined(__aarch64__)
	if ((!root || !*root) && out->pmu_kind == TB_PMU_GENERIC) {
#else
	if ((!root || !*root) && out->pmu_kind != TB_PMU_GENERIC) {
#endif
		tb_cpu_model_unknown(out);
		out->source = "none (cpuinfo is of another architecture)";
	}
	out->cpu = cpu;
	read_pmu_type(root, out);
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

/* ---- CPU lists ------------------------------------------------------ */

int tb_cpulist_parse(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (s && *s && *s != '\n') {
		char *end;
		long lo, hi;

		lo = strtol(s, &end, 10);
		if (end == s || lo < 0)
			return -EINVAL;
		hi = lo;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1 || hi < lo)
				return -EINVAL;
			s = end;
		}
		if (hi >= CPU_SETSIZE)
			return -EINVAL;
		for (; lo <= hi; lo++)
			CPU_SET((int)lo, set);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	return CPU_COUNT(set);
}

void tb_cpulist_format(const cpu_set_t *set, char *buf, size_t len)
{
	size_t off = 0;
	int cpu = 0;

	if (len)
		buf[0] = '\0';
	while (cpu < CPU_SETSIZE && off < len) {
		int end;

		if (!CPU_ISSET(cpu, set)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < CPU_SETSIZE &&
				CPU_ISSET(end + 1, set); end++)
			;
		if (end == cpu)
			off += snprintf(buf + off, len - off, "%s%d",
					off ? "," : "", cpu);
		else
			off += snprintf(buf + off, len - off, "%s%d-%d",
					off ? "," : "", cpu, end);
		cpu = end + 1;
	}
}

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
		       a->family == b->family && a->model == b->model;
	return a->implementer == b->implementer && a->part == b->part;
}

int tb_cpu_core_types(const char *root, struct tb_core_type *types, int max)
{
	cpu_set_t online, members[TB_MAX_CORE_TYPES];
	struct tb_core_type found[TB_MAX_CORE_TYPES];
	char *info = read_cpuinfo(root);
	int n = 0, cpu, i, j;

	if (online_from(root, info, &online) < 0) {
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
