// SPDX-License-Identifier: GPL-2.0
/*
 * The context keys: one table, each row a key and the function that
 * writes it.  See context.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "case.h"
#include "clock.h"
#include "context.h"
#include "cpu_hygiene.h"
#include "engine.h"
#include "estimator.h"
#include "gbench.h"
#include "meter.h"
#include "options.h"
#include "perf_group.h"
#include "static_call.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct key;
typedef void (*key_fn)(const struct key *k, const struct tb_context_facts *f);

/*
 * A key, or a family of keys: @name followed by a number ("warning" +
 * "0", "1"... ; NUMBERED) or by a scenario's name ("scenario_about." +
 * "hot"; NAMED).  @write puts it (zero or more times); NULL for Google
 * Benchmark's own keys, listed so that none is given to it.
 */
enum key_kind { EXACT, NUMBERED, NAMED };

struct key {
	const char *name;
	key_fn write;
	enum key_kind kind;
};

static void put(const struct key *k, const char *suffix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Key @k (with @suffix, for a family) set to the formatted value. */
static void put(const struct key *k, const char *suffix, const char *fmt, ...)
{
	char *key = NULL, *value = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&value, fmt, ap) < 0)
		value = NULL;
	va_end(ap);
	if (asprintf(&key, "%s%s", k->name, suffix ? suffix : "") < 0)
		key = NULL;
	if (key && value)
		tb_gb_add_context(key, value);
	else
		fprintf(stderr, "trampbench: out of memory for context %s\n",
			k->name);
	free(key);
	free(value);
}

static void results_format(const struct key *k,
			   const struct tb_context_facts *f)
{
	/* What report/ reads: it refuses another results format. */
	(void)f;
	put(k, NULL, "%s", TB_RESULTS_FORMAT);
}

static void version(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s", f->version);
}

static void arch(const struct key *k, const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL, "%s", tb_arch_name);
}

static void kernel(const struct key *k, const struct tb_context_facts *f)
{
	struct utsname u;

	(void)f;
	uname(&u);
	put(k, NULL, "%s %s", u.sysname, u.release);
}

static void host(const struct key *k, const struct tb_context_facts *f)
{
	struct utsname u;

	(void)f;
	uname(&u);
	put(k, NULL, "%s", u.nodename);
}

static void compiler(const struct key *k, const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL, "%s", __VERSION__);
}

static void cpu(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%d", f->h->cpu);
}

static void core_name(const struct key *k, const struct tb_context_facts *f)
{
	const char *n = f->m->cpu->name;

	put(k, NULL, "%s", n ? n : "unknown");
}

static void core_type(const struct key *k, const struct tb_context_facts *f)
{
	const char *t = f->m->cpu->core_type;

	put(k, NULL, "%s", t ? t : "unknown");
}

static void midr(const struct key *k, const struct tb_context_facts *f)
{
	if (f->m->cpu->midr)
		put(k, NULL, "0x%08llx", (unsigned long long)f->m->cpu->midr);
}

static void model_name(const struct key *k, const struct tb_context_facts *f)
{
	if (f->m->cpu->model_name[0])
		put(k, NULL, "%s", f->m->cpu->model_name);
}

static void core_slug(const struct key *k, const struct tb_context_facts *f)
{
	char buf[128];

	put(k, NULL, "%s", tb_cpu_core_slug(f->m->cpu, buf, sizeof(buf)));
}

static void counter_mode(const struct key *k,
			 const struct tb_context_facts *f)
{
	put(k, NULL, "%s", tb_counter_mode_name(f->m->mode));
}

/* report/ marks every output of such a run EMULATED */
static void emulation(const struct key *k, const struct tb_context_facts *f)
{
	char buf[256];

	if (f->m->emu.kind != TB_EMU_NONE)
		put(k, NULL, "%s", tb_meter_emulation(f->m, buf, sizeof(buf)));
}

static void emulation_why(const struct key *k,
			  const struct tb_context_facts *f)
{
	if (f->m->emu.kind != TB_EMU_NONE)
		put(k, NULL, "%s", f->m->emu.why);
}

static void event_roles(const struct key *k, const struct tb_context_facts *f)
{
	char buf[512];

	tb_meter_event_roles(f->m, buf, sizeof(buf));
	put(k, NULL, "%s", buf);
}

static void counter_mode_why(const struct key *k,
			     const struct tb_context_facts *f)
{
	if (f->m->mode != TB_MODE_PMU)
		put(k, NULL, "%s", f->m->why);
}

static void counter_read(const struct key *k,
			 const struct tb_context_facts *f)
{
	if (f->m->counting)
		put(k, NULL, "%s",
		    tb_read_path_name(tb_meter_read_path(f->m)));
}

static void method(const struct key *k, const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL, "%s", TB_METHOD);
}

static void estimator(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL,
	    "per repetition: %u batches after %d warm-up batches; the quickest %.0f%% by total time kept, per-call values averaged over them",
	    f->o->batches, TB_WARMUP_BATCHES, TB_EST_KEEP * 100);
}

static void batch_sizing(const struct key *k,
			 const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL,
	    "loop one >= %d timer quanta and >= %d ns; a batch <= %d ns; timer quantum %.0f ticks",
	    TB_BATCH_QUANTA, TB_BATCH_MIN_NS, TB_BATCH_MAX_NS,
	    tb_meter_quantum());
}

static void cycles_from(const struct key *k, const struct tb_context_facts *f)
{
	if (tb_meter_cycles_event(f->m) < 0)
		put(k, NULL, "%s",
		    "timer ticks over the ticks of a dependent add (one per cycle), both timed in every batch; averaged over the kept batches. So calibration/add_chain is this clock's definition and reads 1 by construction; calibration/mul_chain is the check, against a stated latency (expect_cycles)");
}

static void contention_gate(const struct key *k,
			    const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL,
	    "each batch also times calls of a bare ret; a repetition whose probe reads over %.0f%% above the run's quietest is measured again, up to %d times, or once after %d repetitions in a row stayed contended, until one passes (rows: probe_cycles, contention_pct, contention_retries)",
	    TB_CONTENTION_PCT, TB_CONTENTION_TRIES, TB_CONTENTION_SATURATED);
}

/* The gate's bound alone, for a reader that judges rows by it. */
static void contention_pct_max(const struct key *k,
			       const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL, "%g", TB_CONTENTION_PCT);
}

static void random_interleaving(const struct key *k,
				const struct tb_context_facts *f)
{
	put(k, NULL, "%s", f->o->interleave ? "on" : "off");
}

/* The scenarios this run measured, in order, and the matrix. */
static void scenarios(const struct key *k, const struct tb_context_facts *f)
{
	char list[512] = "";
	size_t n = 0;

	for (unsigned int i = 0; i < f->o->nscns && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? "," : "",
			      f->o->scns[i]->name);
	put(k, NULL, "%s%s", list,
	    f->o->quick ? " (--quick matrix)" :
	    f->o->full  ? " (--full matrix)" :
			  "");
}

/* Every scenario of the program, in the table's order, run or not. */
static void scenario_order(const struct key *k,
			   const struct tb_context_facts *f)
{
	char list[512] = "";
	size_t n = 0;

	(void)f;
	for (unsigned int i = 0; i < tb_nscenarios && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? "," : "",
			      tb_scenarios[i]->name);
	put(k, NULL, "%s", list);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void scenario_about(const struct key *k,
			   const struct tb_context_facts *f)
{
	(void)f;
	for (unsigned int i = 0; i < tb_nscenarios; i++)
		put(k, tb_scenarios[i]->name, "%s",
		    or_empty(tb_scenarios[i]->about));
}

static void scenario_unit(const struct key *k,
			  const struct tb_context_facts *f)
{
	(void)f;
	for (unsigned int i = 0; i < tb_nscenarios; i++)
		put(k, tb_scenarios[i]->name, "%s",
		    or_empty(tb_scenarios[i]->unit));
}

static void scenario_describe(const struct key *k,
			      const struct tb_context_facts *f)
{
	(void)f;
	for (unsigned int i = 0; i < tb_nscenarios; i++)
		put(k, tb_scenarios[i]->name, "%s",
		    or_empty(tb_scenarios[i]->describe));
}

/* The designs of this architecture, in the generator's order. */
static void designs(const struct key *k, const struct tb_context_facts *f)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);
	char list[256] = "";
	size_t len = 0;

	(void)f;
	for (unsigned int i = 0; i < n && len < sizeof(list); i++)
		if (!i || strcmp(in[i].variant, in[i - 1].variant))
			len += snprintf(list + len, sizeof(list) - len, "%s%s",
					len ? "," : "", in[i].variant);
	put(k, NULL, "%s", list);
}

static void baseline(const struct key *k, const struct tb_context_facts *f)
{
	/* marked by variants/gen-image.py: the v7 patch's cbz as posted */
	const struct tb_instance *b = tb_baseline_instance();

	(void)f;
	put(k, NULL, "%s", b ? b->name : "");
}

/*
 * The instances as posted (what a run measures by default), separated
 * by spaces: a spec holds commas.
 */
static void as_posted(const struct key *k, const struct tb_context_facts *f)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);
	char *list = NULL;
	size_t len = 0;
	FILE *s = open_memstream(&list, &len);

	(void)f;
	if (!s)
		return;
	for (unsigned int i = 0; i < n; i++)
		if (in[i].is_default)
			fprintf(s, "%s%s", ftell(s) ? " " : "", in[i].name);
	if (!fclose(s))
		put(k, NULL, "%s", list);
	free(list);
}

static void timer(const struct key *k, const struct tb_context_facts *f)
{
	(void)f;
	put(k, NULL, "%s at %.6f MHz", tb_timer_name(), tb_timer_freq() / 1e6);
}

static void core_ghz(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%.3f", f->m->freq.ghz);
}

/* report/ boxes a run whose cycles cannot be a core's */
static void core_cycles(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s%s", f->m->not_cycles[0] ? "no: " : "yes",
	    f->m->not_cycles);
}

static void patch_mode(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s", tb_patch_mode_name(f->img->mode));
}

static void image_base(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%p (%s)", (void *)f->img->exec,
	    f->img->fixed ? "fixed: the same in every run" :
			    "the kernel's choice: the fixed base was taken");
}

static void bti_guarded(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s", f->img->bti ? "yes" : "no");
}

static void governor(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s", f->h->governor);
}

/* Where the loops ran: user space, or the kernel (bench/kernel.c). */
static void level(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s", f->o->kernel ? "kernel" : "user");
}

static void disturbance(const struct key *k, const struct tb_context_facts *f)
{
	put(k, NULL, "%s", tb_meter_disturb_method(f->m));
}

static void warnings(const struct key *k, const struct tb_context_facts *f)
{
	for (int i = 0; i < f->h->nr_warn; i++) {
		char n[16];

		snprintf(n, sizeof(n), "%d", i);
		put(k, n, "%s", f->h->warn[i]);
	}
}

#define KEY(n, fn) { .name = n, .write = fn, .kind = EXACT }
#define FAMILY(n, fn, k) { .name = n, .write = fn, .kind = k }
#define GB_KEY(n) { .name = n, .kind = EXACT }

/* In the order they are written. */
static const struct key keys[] = {
	KEY("results_format", results_format),
	KEY("trampbench_version", version),
	KEY("arch", arch),
	KEY("kernel", kernel),
	KEY("host", host),
	KEY("compiler", compiler),
	KEY("cpu", cpu),
	KEY("core_name", core_name),
	KEY("core_type", core_type),
	KEY("midr", midr),
	KEY("model_name", model_name),
	KEY("core_slug", core_slug),
	KEY("level", level),
	KEY("counter_mode", counter_mode),
	KEY("emulation", emulation),
	KEY("emulation_why", emulation_why),
	KEY("event_roles", event_roles),
	KEY("counter_mode_why", counter_mode_why),
	KEY("counter_read", counter_read),
	KEY("method", method),
	KEY("estimator", estimator),
	KEY("batch_sizing", batch_sizing),
	KEY("cycles_from", cycles_from),
	KEY("contention_gate", contention_gate),
	KEY("contention_pct_max", contention_pct_max),
	KEY("random_interleaving", random_interleaving),
	KEY("scenarios", scenarios),
	KEY("scenario_order", scenario_order),
	FAMILY("scenario_about.", scenario_about, NAMED),
	FAMILY("scenario_unit.", scenario_unit, NAMED),
	FAMILY("scenario_describe.", scenario_describe, NAMED),
	KEY("designs", designs),
	KEY("baseline", baseline),
	KEY("as_posted", as_posted),
	KEY("timer", timer),
	KEY("core_ghz_calibrated", core_ghz),
	KEY("core_cycles", core_cycles),
	KEY("patch_mode", patch_mode),
	KEY("image_base", image_base),
	KEY("bti_guarded", bti_guarded),
	KEY("governor", governor),
	KEY("disturbance_counters", disturbance),
	FAMILY("warning", warnings, NUMBERED),
	/* Google Benchmark 1.7.1's */
	GB_KEY("date"),
	GB_KEY("host_name"),
	GB_KEY("executable"),
	GB_KEY("num_cpus"),
	GB_KEY("mhz_per_cpu"),
	GB_KEY("cpu_scaling_enabled"),
	GB_KEY("caches"),
	GB_KEY("load_avg"),
	GB_KEY("library_build_type"),
};

void tb_context_write(const struct tb_context_facts *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].write)
			keys[i].write(&keys[i], f);
}

bool tb_context_key_ours(const char *key, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct key *k = &keys[i];
		size_t n = strlen(k->name);

		switch (k->kind) {
		case EXACT:
			if (len == n && !strncmp(key, k->name, n))
				return true;
			break;
		case NUMBERED: /* warning0, warning1, ... */
			if (len > n && !strncmp(key, k->name, n) &&
			    strspn(key + n, "0123456789") == len - n)
				return true;
			break;
		case NAMED: /* scenario_about.<any name> */
			if (len > n && !strncmp(key, k->name, n))
				return true;
			break;
		}
	}
	return false;
}

void tb_context_for_each_key(void (*fn)(const char *key, bool ours,
					void *arg),
			     void *arg)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s", keys[i].name,
			 keys[i].kind == NUMBERED ? "#" : "");
		fn(name, keys[i].write != NULL, arg);
	}
}
