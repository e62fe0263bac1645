// SPDX-License-Identifier: GPL-2.0
/*
 * Event names -> perf_event_attr: perf's generic names, raw codes,
 * libpfm4, and the event tables of harness/data/ for cores libpfm4 4.13
 * does not model; each event's role from those tables.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the kernel's header first: libpfm4's own copy then steps aside */
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>

#include "pmu_events.h"

#ifndef PERF_PMU_TYPE_SHIFT
#define PERF_PMU_TYPE_SHIFT 32	/* Linux 6.0, commit 55bcf6ef314a */
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_SUGGEST 5

struct named_event {
	const char *name;
	uint32_t type;
	uint64_t config;
};

#define HW(n, c) { n, PERF_TYPE_HARDWARE, PERF_COUNT_HW_##c }
#define SW(n, c) { n, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_##c }
#define HWC(n, cache, op, res)						\
	{ n, PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_##cache |		\
	  PERF_COUNT_HW_CACHE_OP_##op << 8 |				\
	  PERF_COUNT_HW_CACHE_RESULT_##res << 16 }

/* perf's symbolic names: Linux tools/perf/util/parse-events.c */
static const struct named_event generic_events[] = {
	HW("cycles", CPU_CYCLES),
	HW("cpu-cycles", CPU_CYCLES),
	HW("instructions", INSTRUCTIONS),
	HW("branches", BRANCH_INSTRUCTIONS),
	HW("branch-instructions", BRANCH_INSTRUCTIONS),
	HW("branch-misses", BRANCH_MISSES),
	HW("cache-references", CACHE_REFERENCES),
	HW("cache-misses", CACHE_MISSES),
	HW("ref-cycles", REF_CPU_CYCLES),
	HW("stalled-cycles-frontend", STALLED_CYCLES_FRONTEND),
	HW("stalled-cycles-backend", STALLED_CYCLES_BACKEND),
	HWC("L1-icache-loads", L1I, READ, ACCESS),
	HWC("L1-icache-load-misses", L1I, READ, MISS),
	HWC("L1-dcache-loads", L1D, READ, ACCESS),
	HWC("L1-dcache-load-misses", L1D, READ, MISS),
	HWC("iTLB-loads", ITLB, READ, ACCESS),
	HWC("iTLB-load-misses", ITLB, READ, MISS),
	HWC("branch-loads", BPU, READ, ACCESS),
	HWC("branch-load-misses", BPU, READ, MISS),
	SW("task-clock", TASK_CLOCK),
	SW("cpu-clock", CPU_CLOCK),
	SW("context-switches", CONTEXT_SWITCHES),
	SW("cs", CONTEXT_SWITCHES),
	SW("cpu-migrations", CPU_MIGRATIONS),
	SW("migrations", CPU_MIGRATIONS),
	SW("page-faults", PAGE_FAULTS),
	SW("faults", PAGE_FAULTS),
	SW("minor-faults", PAGE_FAULTS_MIN),
	SW("major-faults", PAGE_FAULTS_MAJ),
};

/* ---- libpfm4 state ---------------------------------------------------- */

static int pfm_state;		/* 0: not tried, 1: up, <0: failed */
static char pfm_core_name[32];
/*
 * libpfm4 4.13 cannot forget a PMU: after pfm_terminate() one that was
 * active because it was forced still reads as present.  Remember those,
 * and trust them again only when forced.
 */
static char pfm_was_forced[8][32];

static bool was_forced(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pfm_was_forced); i++)
		if (!strcmp(pfm_was_forced[i], name))
			return true;
	return false;
}

static void remember_forced(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pfm_was_forced); i++) {
		if (!strcmp(pfm_was_forced[i], name))
			return;
		if (!pfm_was_forced[i][0]) {
			snprintf(pfm_was_forced[i], sizeof(pfm_was_forced[i]),
				 "%s", name);
			return;
		}
	}
}

int tb_pmu_init(void)
{
	const char *forced = getenv("LIBPFM_FORCE_PMU");
	int i;

	if (pfm_state)
		return pfm_state > 0 ? 0 : pfm_state;
	if (pfm_initialize() != PFM_SUCCESS) {
		pfm_state = -EIO;
		return pfm_state;
	}
	pfm_state = 1;
	pfm_core_name[0] = '\0';
	if (forced && !*forced)
		forced = NULL;
	pfm_for_all_pmus(i) {
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(i, &info) != PFM_SUCCESS ||
		    !info.is_present || info.type != PFM_PMU_TYPE_CORE)
			continue;
		if (forced ? strcmp(info.name, forced) : was_forced(info.name))
			continue;
		snprintf(pfm_core_name, sizeof(pfm_core_name), "%s",
			 info.name);
		if (forced)
			remember_forced(info.name);
		break;
	}
	return 0;
}

void tb_pmu_exit(void)
{
	if (pfm_state > 0)
		pfm_terminate();
	pfm_state = 0;
	pfm_core_name[0] = '\0';
}

const char *tb_pmu_core(void)
{
	tb_pmu_init();
	return pfm_core_name[0] ? pfm_core_name : NULL;
}

static const char *forced_pmu(void)
{
	const char *forced = getenv("LIBPFM_FORCE_PMU");

	return forced && *forced ? forced : NULL;
}

/* Is @name an active libpfm4 PMU (and not a leftover of forcing)? */
static bool pfm_active(const char *name)
{
	int i;

	if (tb_pmu_init() || (!forced_pmu() && was_forced(name)))
		return false;
	pfm_for_all_pmus(i) {
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(i, &info) == PFM_SUCCESS &&
		    info.is_present && !strcmp(info.name, name))
			return true;
	}
	return false;
}

/*
 * The libpfm4 PMU to look a plain name up in: the forced one, else the
 * core's own when active; NULL lets libpfm4 search all it detected
 * (e.g. x86 "ix86arch" beside the model-specific PMU).
 */
static const char *pfm_prefix(const struct tb_cpu_model *m)
{
	if (forced_pmu())
		return tb_pmu_core();
	if (m && m->pfm_pmu && pfm_active(m->pfm_pmu))
		return m->pfm_pmu;
	return NULL;
}

/* The model whose events we encode: LIBPFM_FORCE_PMU's row for a stranger. */
static const struct tb_cpu_model *effective(const struct tb_cpu_model *cpu,
					    struct tb_cpu_model *tmp)
{
	const char *forced = forced_pmu();

	/* a core identified by its MIDR keeps its own tables */
	if (forced && (!cpu || !cpu->known) &&
	    !tb_cpu_model_from_pfm(forced, tmp)) {
		if (cpu) {	/* what sysfs said still holds */
			tmp->pmu = cpu->pmu;
			tmp->nr_core_pmus = cpu->nr_core_pmus;
			tmp->recorded = cpu->recorded;
			tmp->cpu = cpu->cpu;
		}
		return tmp;
	}
	return cpu;
}

const char *tb_events_default(const struct tb_cpu_model *cpu)
{
	struct tb_cpu_model tmp;
	const struct tb_cpu_model *m = effective(cpu, &tmp);

	if (!m) {
		tb_cpu_model_unknown(&tmp);
		m = &tmp;
	}
	return m->default_events;	/* a string literal of the table */
}

bool tb_event_is_hw(const struct perf_event_attr *attr)
{
	return attr->type != PERF_TYPE_SOFTWARE &&
	       attr->type != PERF_TYPE_TRACEPOINT;
}

/* ---- lookups ---------------------------------------------------------- */

static const struct named_event *find(const struct named_event *tab,
				      size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(tab[i].name, name))
			return &tab[i];
	return NULL;
}

/* Is row @r in @m's tables, and not shadowed by a row of its own? */
static bool visible(const struct tb_cpu_model *m, const struct tb_event_row *r)
{
	if (!m || !m->table)
		return !strcmp(r->table, TB_GENERIC_TABLE);
	if (!strcmp(r->table, m->table))
		return true;
	if (!m->base || strcmp(r->table, m->base))
		return false;
	for (size_t i = 0; i < tb_nr_event_rows; i++)
		if (!strcmp(tb_event_rows[i].table, m->table) &&
		    !strcasecmp(tb_event_rows[i].name, r->name))
			return false;
	return true;
}

const struct tb_event_row *tb_event_row(const struct tb_cpu_model *m,
					const char *name)
{
	const char *sep = strstr(name, "::");

	if (sep)		/* "arm_n1::BR_MIS_PRED": the event's name */
		name = sep + 2;
	for (size_t i = 0; i < tb_nr_event_rows; i++)
		if (!strcasecmp(tb_event_rows[i].name, name) &&
		    (visible(m, &tb_event_rows[i]) ||
		     !strcmp(tb_event_rows[i].table, TB_GENERIC_TABLE)))
			return &tb_event_rows[i];
	return NULL;
}

/* The row of @m's tables for raw @code, or NULL. */
static const struct tb_event_row *row_by_code(const struct tb_cpu_model *m,
					      uint64_t code)
{
	for (size_t i = 0; i < tb_nr_event_rows; i++)
		if (tb_event_rows[i].has_code &&
		    tb_event_rows[i].code == code &&
		    visible(m, &tb_event_rows[i]))
			return &tb_event_rows[i];
	return NULL;
}

const struct tb_event_row *tb_event_row_role(const struct tb_cpu_model *m,
					     enum tb_role role, bool any)
{
	for (size_t i = 0; i < tb_nr_event_rows; i++) {
		const struct tb_event_row *r = &tb_event_rows[i];

		if (r->role == role && (any || !r->avoid) && visible(m, r))
			return r;
	}
	return NULL;
}

/* The core's raw events from its tables: perf's names are not raw. */
static const struct tb_event_row *raw_row(const struct tb_cpu_model *m,
					  const char *name)
{
	const struct tb_event_row *r = tb_event_row(m, name);

	return r && r->has_code && visible(m, r) ? r : NULL;
}

static const char *table_label(const struct tb_cpu_model *m)
{
	if (m && m->pmu.name[0])
		return m->pmu.name;
	return m && m->table ? m->table : TB_GENERIC_TABLE;
}

/* "r1b" or "0x1b"; perf reads both as hex */
static bool parse_raw(const char *name, uint64_t *code)
{
	const char *p = name;
	char *end;

	if (p[0] == 'r' || p[0] == 'R')
		p++;
	else if (!(p[0] == '0' && (p[1] == 'x' || p[1] == 'X')))
		return false;
	if (!isxdigit((unsigned char)*p))
		return false;
	errno = 0;
	*code = strtoull(p, &end, 16);
	return !errno && !*end;
}

/*
 * Fix the fields every event shares.  Raw events go to the CPU's own
 * PMU type where sysfs names one (big.LITTLE: perf.rst); generic ones
 * too, through the extended type (Linux 6.0), where there is more than
 * one core PMU or the PMU is Apple's.
 */
static int finish(const struct tb_cpu_model *m, struct tb_event *ev)
{
	struct perf_event_attr *a = &ev->attr;
	bool apple = m && m->pmu_kind == TB_PMU_APPLE;

	a->size = sizeof(*a);
	a->exclude_kernel = 1;
	a->exclude_hv = 1;
	if (!m || !tb_event_is_hw(a))
		return 0;
	/* the M1 driver refuses events without it (apple_m1_cpu_pmu.c) */
	if (apple)
		a->exclude_guest = 1;
	if (m->pmu.type < 0)
		return apple ? -ENODEV : 0;
	if (a->type == PERF_TYPE_RAW) {
		a->type = (uint32_t)m->pmu.type;
		if (!strcmp(ev->pmu, "raw"))
			snprintf(ev->pmu, sizeof(ev->pmu), "%s", m->pmu.name);
	} else if ((a->type == PERF_TYPE_HARDWARE ||
		    a->type == PERF_TYPE_HW_CACHE) &&
		   (apple || m->nr_core_pmus > 1)) {
		a->config |= (uint64_t)m->pmu.type << PERF_PMU_TYPE_SHIFT;
	}
	return 0;
}

static void set_event(struct tb_event *ev, const char *name, const char *pmu,
		      uint32_t type, uint64_t config)
{
	memset(&ev->attr, 0, sizeof(ev->attr));
	ev->attr.type = type;
	ev->attr.config = config;
	snprintf(ev->name, sizeof(ev->name), "%s", name);
	snprintf(ev->pmu, sizeof(ev->pmu), "%s", pmu);
}

static int pfm_encode(const char *pmu, const char *name, struct tb_event *ev)
{
	pfm_perf_encode_arg_t arg;
	struct perf_event_attr attr;
	char full[TB_EVENT_NAME_MAX + 40], *fstr = NULL, *sep;
	int ret;

	if (strstr(name, "::") || !pmu)
		snprintf(full, sizeof(full), "%s", name);
	else
		snprintf(full, sizeof(full), "%s::%s", pmu, name);
	memset(&attr, 0, sizeof(attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &attr;
	arg.fstr = &fstr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(full, PFM_PLM3, PFM_OS_PERF_EVENT_EXT,
					&arg);
	if (ret != PFM_SUCCESS) {
		free(fstr);
		return -ENOENT;
	}
	set_event(ev, name, "libpfm4", attr.type, attr.config);
	/* fstr is "pmu::EVENT:attrs": name the PMU that matched */
	sep = fstr ? strstr(fstr, "::") : NULL;
	if (sep)
		snprintf(ev->pmu, sizeof(ev->pmu), "%.*s", (int)(sep - fstr),
			 fstr);
	free(fstr);
	ev->attr.config1 = attr.config1;
	ev->attr.config2 = attr.config2;
	return 0;
}

/*
 * Does libpfm4 speak for this core?  Where it was forced, or where it
 * models the core on this machine; never for a recorded tree (the host's
 * PMU is not the tree's).
 */
static bool pfm_speaks(const struct tb_cpu_model *m)
{
	if (forced_pmu() && tb_pmu_core() &&
	    (!m || !m->known || (m->pfm_pmu &&
				 !strcmp(m->pfm_pmu, tb_pmu_core()))))
		return true;	/* forced for this core, or for a stranger */
	if (m && (m->recorded || m->pmu_kind == TB_PMU_APPLE))
		return false;
	if (m && m->pfm_pmu)
		return pfm_active(m->pfm_pmu);
	/* cores without a model of their own: x86's generic PMUs */
	return tb_pmu_core() && (!m || m->pmu_kind == TB_PMU_GENERIC);
}

int tb_event_encode(const struct tb_cpu_model *cpu, const char *name,
		    struct tb_event *ev, char *err, size_t errlen)
{
	struct tb_cpu_model tmp;
	const struct tb_cpu_model *m = effective(cpu, &tmp);
	const struct named_event *e;
	const struct tb_event_row *row = NULL;
	const char *label, *plain = name;
	char close[256], pmu[32];
	uint64_t code;

	if (!strncasecmp(plain, "perf::", 6))
		plain += 6;
	e = find(generic_events, ARRAY_SIZE(generic_events), plain);
	if (e) {
		set_event(ev, name, "perf", e->type, e->config);
		row = tb_event_row(m, plain);
		goto done;
	}
	if (parse_raw(name, &code)) {
		set_event(ev, name, "raw", PERF_TYPE_RAW, code);
		row = row_by_code(m, code);
		goto done;
	}
	label = table_label(m);
	if (strstr(name, "::")) {
		if (!pfm_encode(NULL, name, ev))
			goto found;
		snprintf(pmu, sizeof(pmu), "%.*s",
			 (int)(strstr(name, "::") - name), name);
		label = pmu;
	} else if (pfm_speaks(m)) {
		/* libpfm4 models this core: its word on events is final */
		const char *pfx = pfm_prefix(m);

		if (!pfm_encode(pfx, name, ev))
			goto found;
		label = pfx ? pfx : tb_pmu_core();
		/*
		 * An event of the data tables libpfm4's model of this core
		 * does not name (its Cortex-A53 model spells some events its
		 * own way): sysfs, where it lists the PMU's events, decides
		 * (tb_events_select()); without it, the model's word holds.
		 */
		row = raw_row(m, name);
		if (row && m && m->pmu.ncodes > 0) {
			set_event(ev, name, table_label(m), PERF_TYPE_RAW,
				  row->code);
			goto done;
		}
		if (row && m && m->known) {
			if (row->instead)
				snprintf(err, errlen,
					 "no %s on PMU %s (%s): dropped; use %s",
					 name, label, m->name, row->instead);
			else
				snprintf(err, errlen,
					 "no %s on PMU %s (%s): dropped", name,
					 label, m->name);
			return -EOPNOTSUPP;
		}
	} else {
		row = raw_row(m, name);
		if (row) {
			set_event(ev, name, table_label(m), PERF_TYPE_RAW,
				  row->code);
			goto done;
		}
	}
	if (tb_event_suggest(m, label, name, close, sizeof(close)))
		snprintf(err, errlen,
			 "unknown event '%s' on PMU %s; close names: %s",
			 name, label, close);
	else
		snprintf(err, errlen, "unknown event '%s' on PMU %s", name,
			 label);
	return -ENOENT;
found:
	row = tb_event_row(m, name);
done:
	ev->optional = false;
	ev->role = row && !row->avoid ? row->role : TB_ROLE_NONE;
	if (finish(m, ev)) {
		snprintf(err, errlen,
			 "event '%s': CPU %d has no %s PMU in /sys/bus/event_source/devices (is its driver loaded?)",
			 name, m->cpu, m->name);
		return -ENODEV;
	}
	return 0;
}

static void note(char *notes, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The list into @evs; with @notes, an event libpfm4's model of the core
 * lacks (-EOPNOTSUPP) is dropped with a line there, else it is an error.
 */
static int encode_list(const struct tb_cpu_model *cpu, const char *list,
		       struct tb_event *evs, int max, char *notes,
		       size_t noteslen, char *err, size_t errlen)
{
	const char *p = list;
	int nr = 0;

	while (p && *p) {
		char name[TB_EVENT_NAME_MAX];
		size_t len = strcspn(p, ",");
		bool optional = false;
		int ret;

		while (len && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len && p[len - 1] == '?') {
			optional = true;
			len--;
		}
		if (len >= sizeof(name)) {
			snprintf(err, errlen, "event name too long: '%.*s'",
				 (int)len, p);
			return -ENAMETOOLONG;
		}
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += strcspn(p, ",");
		if (*p)
			p++;
		if (!len)
			continue;
		if (nr == max) {
			snprintf(err, errlen, "more than %d events", max);
			return -E2BIG;
		}
		ret = tb_event_encode(cpu, name, &evs[nr], err, errlen);
		if (ret && optional)
			continue;
		if (ret == -EOPNOTSUPP && notes) {
			note(notes, noteslen, "%s", err);
			continue;
		}
		if (ret)
			return ret;
		evs[nr++].optional = optional;
	}
	return nr;
}

int tb_events_encode(const struct tb_cpu_model *cpu, const char *list,
		     struct tb_event *evs, int max, char *err, size_t errlen)
{
	return encode_list(cpu, list, evs, max, NULL, 0, err, errlen);
}

/* PMUv3 common event numbers: the only ones arm_pmuv3.c lists in sysfs */
static bool pmuv3_common(uint64_t code)
{
	return code < 0x40 || (code >= 0x4000 && code < 0x4040);
}

bool tb_event_supported(const struct tb_cpu_model *m, uint64_t code)
{
	if (!m || m->pmu_kind != TB_PMU_ARMV8 || m->pmu.ncodes <= 0 ||
	    !pmuv3_common(code))
		return true;
	return tb_pmu_dev_has(&m->pmu, code);
}

static void note(char *notes, size_t len, const char *fmt, ...)
{
	size_t off = strlen(notes);
	va_list ap;

	if (off + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(notes + off, len - off, fmt, ap);
	va_end(ap);
	off = strlen(notes);
	if (off + 1 < len)
		strcpy(notes + off, "\n");
}

int tb_events_select(const struct tb_cpu_model *cpu, const char *list,
		     struct tb_event *evs, int max, char *notes,
		     size_t noteslen, char *err, size_t errlen)
{
	struct tb_cpu_model tmp;
	const struct tb_cpu_model *m = effective(cpu, &tmp);
	int n, k = 0;

	if (noteslen)
		notes[0] = '\0';
	n = encode_list(cpu, list, evs, max, notes, noteslen, err, errlen);
	for (int i = 0; i < n; i++) {
		const struct tb_event_row *r = tb_event_row(m, evs[i].name);
		bool raw = m && m->pmu.type >= 0 &&
			   evs[i].attr.type == (uint32_t)m->pmu.type;

		if (!r && raw)	/* "r22": the row of its number */
			r = row_by_code(m, evs[i].attr.config);
		if (raw && !tb_event_supported(m, evs[i].attr.config)) {
			if (evs[i].optional)
				continue;
			if (r && r->instead)
				note(notes, noteslen,
				     "no %s on PMU %s (%s): dropped; use %s",
				     evs[i].name, m->pmu.name, m->name,
				     r->instead);
			else
				note(notes, noteslen,
				     "no %s on PMU %s (%s): dropped",
				     evs[i].name, m->pmu.name, m->name);
			continue;
		}
		if (r && r->avoid)
			note(notes, noteslen,
			     "%s on %s: %s; counted, but no metric uses it",
			     evs[i].name, m->name, r->notes ? r->notes : "");
		evs[k++] = evs[i];
	}
	return n < 0 ? n : k;
}

/* ---- close names ------------------------------------------------------ */

static int edit_distance(const char *a, const char *b)
{
	int row[TB_EVENT_NAME_MAX + 1];
	int la = (int)strlen(a), lb = (int)strlen(b), i, j;

	if (la > TB_EVENT_NAME_MAX)
		la = TB_EVENT_NAME_MAX;
	for (j = 0; j <= la; j++)
		row[j] = j;
	for (i = 1; i <= lb; i++) {
		int diag = row[0];

		row[0] = i;
		for (j = 1; j <= la; j++) {
			int up = row[j];
			int sub = diag + (tolower((unsigned char)a[j - 1]) !=
					  tolower((unsigned char)b[i - 1]));
			int best = sub;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[la];
}

static int common_prefix(const char *a, const char *b)
{
	int n = 0;

	while (a[n] && tolower((unsigned char)a[n]) ==
		       tolower((unsigned char)b[n]))
		n++;
	return n;
}

struct suggest {
	const char *name;
	int nr;
	char cand[MAX_SUGGEST][TB_EVENT_NAME_MAX];
	int score[MAX_SUGGEST];
};

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n && hay[i]; i++)
		if (!strncasecmp(hay + i, needle, n))
			return true;
	return false;
}

/* Keep the best MAX_SUGGEST candidates, lowest score first. */
static void consider(struct suggest *s, const char *cand)
{
	int len = (int)strlen(s->name);
	int d = edit_distance(s->name, cand);
	int pre = common_prefix(s->name, cand);
	int score, i, j;

	if (!strcasecmp(cand, s->name))
		return;
	if (d > (len > 6 ? len / 3 : 2) && pre < 4 &&
	    !contains(cand, s->name) && !contains(s->name, cand))
		return;
	score = 2 * d - pre;
	for (i = 0; i < s->nr; i++)
		if (!strcasecmp(s->cand[i], cand))
			return;
	for (i = 0; i < s->nr && s->score[i] <= score; i++)
		;
	if (i == MAX_SUGGEST)
		return;
	if (s->nr < MAX_SUGGEST)
		s->nr++;
	for (j = s->nr - 1; j > i; j--) {
		s->score[j] = s->score[j - 1];
		memcpy(s->cand[j], s->cand[j - 1], sizeof(s->cand[j]));
	}
	s->score[i] = score;
	snprintf(s->cand[i], sizeof(s->cand[i]), "%s", cand);
}

static void consider_pfm(struct suggest *s, const char *pmu)
{
	int i;

	pfm_for_all_pmus(i) {
		pfm_pmu_info_t info;
		int e;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(i, &info) != PFM_SUCCESS ||
		    !info.is_present || strcmp(info.name, pmu))
			continue;
		for (e = info.first_event; e != -1; e = pfm_get_event_next(e)) {
			pfm_event_info_t ei;

			memset(&ei, 0, sizeof(ei));
			ei.size = sizeof(ei);
			if (pfm_get_event_info(e, PFM_OS_NONE, &ei) ==
			    PFM_SUCCESS)
				consider(s, ei.name);
		}
	}
}

int tb_event_suggest(const struct tb_cpu_model *cpu, const char *pmu,
		     const char *name, char *buf, size_t len)
{
	struct tb_cpu_model tmp;
	const struct tb_cpu_model *m = effective(cpu, &tmp);
	struct suggest s = { .name = name };
	size_t i, off = 0;
	int k;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(generic_events); i++)
		consider(&s, generic_events[i].name);
	if (pfm_speaks(m)) {
		if (!pmu && tb_pmu_init() == 0)
			pmu = tb_pmu_core();
		if (pmu && tb_pmu_init() == 0)
			consider_pfm(&s, pmu);
	} else {
		for (i = 0; i < tb_nr_event_rows; i++)
			if (tb_event_rows[i].has_code &&
			    visible(m, &tb_event_rows[i]))
				consider(&s, tb_event_rows[i].name);
	}
	for (k = 0; k < s.nr && off < len; k++)
		off += snprintf(buf + off, len - off, "%s%s", k ? ", " : "",
				s.cand[k]);
	return s.nr;
}
