// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench's options: the table, its one pass over argv, and --help
 * made from it.  See options.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "context.h"
#include "options.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* --help: option text from this column, every line within WIDTH */
#define HELP_COL 21
#define WIDTH 72

/*
 * The first error of a parse, printed once the whole command line was
 * read: --help anywhere wins over it.
 */
static char first_error[512];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	if (first_error[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(first_error, sizeof(first_error), fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole number from @s in [@min, @max], or -1 with *@ok false. */
static long number(const char *s, long min, long max, bool *ok)
{
	char *end;
	long v = strtol(s, &end, 10);

	*ok = *s && !*end && v >= min && v <= max;
	return *ok ? v : -1;
}

static int set_variant(struct tb_options *o, const char *v)
{
	if (o->nspecs == TB_MAX_VARIANTS)
		return fail("at most %d --variant options; use --all-variants",
			    TB_MAX_VARIANTS);
	o->specs[o->nspecs++] = v;
	return 0;
}

static int set_scenario(struct tb_options *o, const char *v)
{
	const struct tb_scenario *scn = tb_scenario_find(v);

	if (!scn)
		return fail("unknown scenario '%s'; --list-scenarios shows them",
			    v);
	for (unsigned int i = 0; i < o->nscns; i++)
		if (o->scns[i] == scn)
			return fail("--scenario %s given twice", v);
	o->scns[o->nscns++] = scn;
	return 0;
}

static int set_cpu(struct tb_options *o, const char *v)
{
	bool ok;

	/* checked when pinned: the message names the CPUs there are */
	o->cpu = v;
	o->cpu_num = (int)number(v, 0, 1 << 20, &ok);
	return 0;
}

static int set_root(struct tb_options *o, const char *v)
{
	o->root = v;
	return 0;
}

static int set_events(struct tb_options *o, const char *v)
{
	if (!*v)
		return fail("--events needs a list of events; --events none measures on the timer alone");
	o->events = v;
	return 0;
}

static int set_out(struct tb_options *o, const char *v)
{
	if (o->out)
		return fail("--out given twice (%s, %s); give one", o->out, v);
	o->out = v;
	if (!*v)
		return fail("--out needs a file name; --no-out writes no results file");
	return 0;
}

static int set_kmod(struct tb_options *o, const char *v)
{
	if (o->kmod)
		return fail("--kmod given twice (%s, %s); give one", o->kmod, v);
	if (!*v)
		return fail("--kmod needs the module's file (make kmod builds it)");
	o->kmod = v;
	return 0;
}

static int set_repetitions(struct tb_options *o, const char *v)
{
	bool ok;

	o->repetitions = (int)number(v, 1, 1000, &ok);
	if (!ok)
		return fail("--repetitions takes 1 to 1000, not '%s'", v);
	o->reps_given = true;
	return 0;
}

static int set_batches(struct tb_options *o, const char *v)
{
	bool ok;
	long n = number(v, 16, 1000000, &ok);

	if (!ok)
		return fail("--batches takes 16 to 1000000, not '%s'", v);
	o->batches = (unsigned int)n;
	o->batches_given = true;
	return 0;
}

/* "0,12,60" or "all" into o->shifts. */
static int set_shifts(struct tb_options *o, const char *v)
{
	const char *p = v;
	char *end;

	o->nshifts = 0;
	if (!strcmp(v, "all")) {
		for (unsigned int i = 0; i < TB_MAX_SHIFTS; i++)
			o->shifts[o->nshifts++] = i * TB_SITE_SHIFT_STEP;
		return 0;
	}
	while (*p) {
		long s = strtol(p, &end, 10);

		if (end == p || (*end && *end != ',') || s < 0 ||
		    s > TB_SITE_SHIFT_MAX || s % TB_SITE_SHIFT_STEP ||
		    o->nshifts == TB_MAX_SHIFTS)
			return fail("--site-shift takes multiples of %d from 0 to %d, comma-separated, or all; not '%s'",
				    TB_SITE_SHIFT_STEP, TB_SITE_SHIFT_MAX, v);
		for (unsigned int i = 0; i < o->nshifts; i++)
			if (o->shifts[i] == (unsigned int)s)
				return fail("--site-shift names %ld twice", s);
		o->shifts[o->nshifts++] = (unsigned int)s;
		p = *end ? end + 1 : end;
	}
	if (!o->nshifts)
		return fail("--site-shift needs a value");
	return 0;
}

static int set_perf_control(struct tb_options *o, const char *v)
{
	o->perf_control = v;
	return 0;
}

/*
 * The options, in --help's order.  An option takes a value (@arg, given
 * to @set) or none (it sets the bool at offset @flag of struct
 * tb_options); @lists marks a mode that lists or checks rather than
 * measures, so the run writes no results file.
 */
struct option_row {
	const char *name;
	char short_name; /* -h; 0 for none */
	const char *arg;
	int (*set)(struct tb_options *o, const char *v);
	size_t flag;
	bool lists;
	const char *help;
};

#define FLAG(field) .flag = offsetof(struct tb_options, field)

static const struct option_row options[] = {
	{ "variant", 0, "SPEC", set_variant, 0, false,
	  "measure this instance; repeatable.  SPEC is variant[:knob=value,...], e.g. cbz, tail:null=nop, indirect:kcfi=on; unnamed knobs take the design's defaults.  Default: each variant as posted." },
	{ "all-variants", 0, NULL, NULL, FLAG(all), false,
	  "measure every instance (every knob combination)" },
	{ "scenario", 0, "NAME", set_scenario, 0, false,
	  "run this scenario; repeatable (default: all; see --list-scenarios)" },
	{ "quick", 0, NULL, NULL, FLAG(quick), false,
	  "a small matrix for a first look: fewer parameters, 3 repetitions of 200 batches" },
	{ "kernel", 0, NULL, NULL, FLAG(kernel), false,
	  "measure in the kernel: load trampbench.ko (make kmod), run its self-test, measure there, unload; needs root" },
	{ "kmod", 0, "FILE", set_kmod, 0, false,
	  "with --kernel: the module to load (default: kmod/trampbench.ko beside the program)" },
	{ "full", 0, NULL, NULL, FLAG(full), false,
	  "every parameter at every size (sites: every N from 1 to 4096 with each order and spacing)" },
	{ "list", 0, NULL, NULL, FLAG(list), true,
	  "list the instances and exit" },
	{ "list-scenarios", 0, NULL, NULL, FLAG(list_scenarios), true,
	  "list the scenarios and exit" },
	{ "self-test", 0, NULL, NULL, FLAG(self_test), true,
	  "only check every variant (target, NULL, RET0 updates) on this CPU, then exit" },
	{ "cpu", 0, "N", set_cpu, 0, false,
	  "pin to CPU N (default: the last CPU of the fastest core type); run once per core type on big.LITTLE" },
	{ "list-cpus", 0, NULL, NULL, FLAG(list_cpus), true,
	  "list the core types, their CPUs and PMU, and exit" },
	{ "check", 0, NULL, NULL, FLAG(check), true,
	  "one screen to read first on a new machine: core, PMU and its events per role, counter access and the fix, governor, SMT, isolation, patch mode, BTI, timer, the counter mode a run will use; exit status 0 when a pmu-mode run is possible" },
	{ "root", 0, "DIR", set_root, 0, true,
	  "--check, --list-cpus, --list-events of a recorded tree of /sys and /proc (tests/fixtures/<machine>)" },
	{ "events", 0, "LIST", set_events, 0, false,
	  "comma-separated events: perf generic names (cycles, instructions, branch-misses), libpfm4 names (BR_MIS_PRED, arm_n1::L1I_CACHE_REFILL) or raw codes (r22); default: the core's set; none: timer only" },
	{ "list-events", 0, NULL, NULL, FLAG(list_events), true,
	  "show what the events (--events, else the core's default set) encode to, and exit" },
	{ "out", 0, "FILE", set_out, 0, false,
	  "results file (Google Benchmark JSON), once; never overwritten; default results/<host>-<core>-<date>.json (-2, -3... if taken; <core>-emulated under qemu-user)" },
	{ "no-out", 0, NULL, NULL, FLAG(no_out), false,
	  "write no results file" },
	{ "repetitions", 0, "N", set_repetitions, 0, false,
	  "repetitions per benchmark, for the spread (10)" },
	{ "batches", 0, "N", set_batches, 0, false,
	  "batches per repetition (1000); a batch is one run of the N-call and the 2N-call loop, a few microseconds; the quickest quarter is kept" },
	{ "site-shift", 0, "LIST", set_shifts, 0, false,
	  "hot: call sites this many bytes past a 64-byte line: comma-separated multiples of 4 up to 60, or all (default 0)" },
	{ "perf-control", 0, "CTL,ACK", set_perf_control, 0, true,
	  "linux-perf cross-check (scripts/perfcheck.sh): count the first selected variant's hot loop in-process while perf stat, driven through these FIFOs, counts the same span; print the in-process totals" },
	{ "raw-console", 0, NULL, NULL, FLAG(raw_console), false,
	  "Google Benchmark's own console rows instead of the table per scenario" },
	{ "help", 'h', NULL, NULL, FLAG(help), true,
	  "this text, then Google Benchmark's own flags" },
};

/*
 * Google Benchmark's flags that trampbench sets itself: passed through,
 * each would be overridden without a word (every benchmark has its own
 * repetitions and iteration count), not end (a warm-up time beside that
 * count: 1.7.1 had not finished a one-variant hot run after ten minutes)
 * or send the results elsewhere than --out says.  Refused on the
 * command line and as Google Benchmark's environment variables.
 */
static const struct {
	const char *flag, *why, *use;
} gb_managed[] = {
	{ "benchmark_repetitions", "is trampbench's --repetitions",
	  "--repetitions" },
	{ "benchmark_min_time",
	  "is trampbench's --batches (batches per repetition)", "--batches" },
	{ "benchmark_min_warmup_time",
	  "does not apply: trampbench warms each repetition up itself; --batches sets its length",
	  "--batches" },
	{ "benchmark_out", "is trampbench's --out", "--out" },
};

/* Google Benchmark's flags: benchmark_*, and its logging level v. */
static bool is_gb_flag(const char *arg)
{
	return !strncmp(arg, "--benchmark_", 12) || !strcmp(arg, "--v") ||
	       !strncmp(arg, "--v=", 4);
}

/* The value of --@flag=VALUE in @arg ("" for --@flag), or NULL. */
static const char *gb_value(const char *arg, const char *flag)
{
	size_t n = strlen(flag);

	if (strncmp(arg, "--", 2) || strncmp(arg + 2, flag, n))
		return NULL;
	if (!arg[2 + n])
		return "";
	return arg[2 + n] == '=' ? arg + 3 + n : NULL;
}

/*
 * The environment variable that Google Benchmark reads as @flag's
 * default (BENCHMARK_OUT for benchmark_out): its value, its name in @name.
 */
static const char *gb_env(const char *flag, char *name, size_t len)
{
	size_t i;

	for (i = 0; flag[i] && i + 1 < len; i++)
		name[i] = (char)toupper((unsigned char)flag[i]);
	name[i] = '\0';
	return getenv(name);
}

/* A boolean flag's value as Google Benchmark 1.7.1 reads it. */
static bool gb_truthy(const char *v)
{
	static const char *const no[] = { "false", "no", "off" };

	if (!v[0])
		return true;
	if (!v[1])
		return isalnum((unsigned char)v[0]) && !strchr("0fFnN", v[0]);
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (!strcasecmp(v, no[i]))
			return false;
	return true;
}

static int check_out_format(const char *what, const char *v)
{
	if (!strcmp(v, "json"))
		return 0;
	return fail("%s%s: the results file (--out) is Google Benchmark JSON, which report/ reads; --benchmark_format=csv prints CSV on stdout",
		    what, v);
}

/* "k=v,k=v" of --benchmark_context (or $BENCHMARK_CONTEXT): -1 if ours. */
static int check_context(const char *what, const char *kv)
{
	for (const char *p = kv; *p;) {
		size_t len = strcspn(p, "=,");

		if (tb_context_key_ours(p, len))
			return fail("%s: '%.*s' is a context key trampbench writes itself; name yours otherwise",
				    what, (int)len, p);
		p += strcspn(p, ",");
		p += *p == ',';
	}
	return 0;
}

/* The last value of each of Google Benchmark's flags trampbench reads. */
struct gb_seen {
	const char *format, *interleave;
};

/*
 * One of Google Benchmark's flags: refused if trampbench sets it, else
 * noted where trampbench must know it, and passed on.
 */
static int gb_flag(struct tb_options *o, const char *arg, struct gb_seen *seen)
{
	const char *v;

	for (size_t f = 0; f < ARRAY_SIZE(gb_managed); f++)
		if (gb_value(arg, gb_managed[f].flag))
			return fail("--%s %s", gb_managed[f].flag,
				    gb_managed[f].why);
	if ((v = gb_value(arg, "benchmark_out_format")) &&
	    check_out_format("--benchmark_out_format=", v))
		return -1;
	if ((v = gb_value(arg, "benchmark_context")) &&
	    check_context("--benchmark_context", v))
		return -1;
	if (!strncmp(arg, "--benchmark_format=", 19))
		seen->format = arg + 19;
	if ((v = gb_value(arg, "benchmark_enable_random_interleaving")))
		seen->interleave = v;
	o->gb_argv[o->gb_argc++] = (char *)arg;
	return 0;
}

/*
 * Google Benchmark's environment variables, which its flags override:
 * those of flags trampbench sets are refused, the others read.
 */
static int gb_environment(struct gb_seen *seen)
{
	char env[64];
	const char *v;

	for (size_t f = 0; f < ARRAY_SIZE(gb_managed); f++) {
		v = gb_env(gb_managed[f].flag, env, sizeof(env));
		if (v && *v)
			return fail("%s is set: --%s %s; unset it", env,
				    gb_managed[f].flag, gb_managed[f].why);
	}
	v = gb_env("benchmark_out_format", env, sizeof(env));
	if (v && *v && check_out_format("BENCHMARK_OUT_FORMAT=", v))
		return -1;
	v = gb_env("benchmark_context", env, sizeof(env));
	if (v && *v && check_context("BENCHMARK_CONTEXT", v))
		return -1;
	v = gb_env("benchmark_format", env, sizeof(env));
	if (!seen->format && v && *v)
		seen->format = v;
	v = gb_env("benchmark_enable_random_interleaving", env, sizeof(env));
	if (!seen->interleave && v && *v)
		seen->interleave = v;
	return 0;
}

/*
 * The row named by the @len characters at @name; NULL, and in *@guess
 * a row @name begins (getopt_long would take it for that one: only
 * whole names are options), if none.
 */
static const struct option_row *find(const char *name, size_t len,
				     const char **guess)
{
	*guess = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		const char *n = options[i].name;

		if (strlen(n) == len && !strncmp(n, name, len))
			return &options[i];
		if (len && !strncmp(n, name, len))
			*guess = n;
	}
	return NULL;
}

/* The row of short option @c ("-h"), or NULL. */
static const struct option_row *find_short(char c)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (c && options[i].short_name == c)
			return &options[i];
	return NULL;
}

/* What the whole command line says, once every option is known. */
static int cross_checks(struct tb_options *o)
{
	bool hot = false;

	if (o->out && o->no_out)
		return fail("--out %s and --no-out contradict each other; give one",
			    o->out);
	if (!o->nscns)
		for (unsigned int i = 0; i < tb_nscenarios; i++)
			o->scns[o->nscns++] = tb_scenarios[i];
	for (unsigned int i = 0; i < o->nscns; i++)
		hot |= o->scns[i] == &tb_scenario_hot;
	if ((o->nshifts > 1 || o->shifts[0]) && !hot)
		return fail("--site-shift applies to the hot scenario; add --scenario hot");
	if (o->quick && o->full)
		return fail("--quick and --full contradict each other; give one");
	if (o->quick && !o->reps_given)
		o->repetitions = 3;
	if (o->quick && !o->batches_given)
		o->batches = 200;
	return 0;
}

int tb_options_parse(int argc, char **argv, struct tb_options *o)
{
	struct gb_seen seen = { NULL, NULL };
	int i;

	first_error[0] = '\0';
	*o = (struct tb_options){
		.cpu_num = -1,
		.repetitions = 10,
		.batches = 1000,
		.nshifts = 1, /* shift 0 */
	};
	/* argv[0], the interleaving flag, Google Benchmark's, NULL */
	o->gb_argv = calloc((size_t)argc + 3, sizeof(*o->gb_argv));
	if (!o->gb_argv) {
		fprintf(stderr, "trampbench: out of memory\n");
		return -1;
	}
	o->gb_argv[0] = argv[0];
	o->gb_argc = 2;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *value, *guess;
		const struct option_row *row;
		size_t len;

		if (!strcmp(a, "--")) {
			if (i + 1 < argc)
				fail("unrecognized argument '%s' after --; see --help",
				     argv[i + 1]);
			break;
		}
		if (a[0] != '-' || !a[1]) {
			fail("unrecognized argument '%s'; see --help", a);
			continue;
		}
		if (is_gb_flag(a)) {
			gb_flag(o, a, &seen);
			continue;
		}
		if (a[1] != '-') {
			row = a[2] ? NULL : find_short(a[1]);
			if (!row) {
				fail("unknown option '%s'; see --help", a);
				continue;
			}
			value = NULL;
		} else {
			name = a + 2;
			len = strcspn(name, "=");
			value = name[len] ? name + len + 1 : NULL;
			row = find(name, len, &guess);
			if (!row) {
				fail("unknown option '--%.*s'%s%s%s; see --help",
				     (int)len, name,
				     guess ? " (options are not abbreviated: --" : "",
				     guess ? guess : "", guess ? "?)" : "");
				continue;
			}
		}
		if (row->arg) {
			/* its value, whatever it looks like */
			if (!value && i + 1 < argc)
				value = argv[++i];
			if (!value)
				fail("--%s needs a value (%s); see --help",
				     row->name, row->arg);
			else
				row->set(o, value);
		} else if (value && row->short_name != 'h') {
			/* --help=... is help, as Google Benchmark has it */
			fail("--%s takes no value, not '%s'; see --help",
			     row->name, value);
		} else {
			*(bool *)((char *)o + row->flag) = true;
		}
		o->quiet |= row->lists;
	}
	if (o->help) {
		/* Google Benchmark's shim prints the help, then its flags */
		o->gb_argv[o->gb_argc++] = "--help";
	} else {
		gb_environment(&seen);
		cross_checks(o);
		if (first_error[0]) {
			fprintf(stderr, "trampbench: %s\n", first_error);
			return -1;
		}
	}
	o->quiet |= o->no_out;
	if (o->quiet)
		o->out = NULL;
	/* JSON or CSV on stdout must stay parseable: the banner to stderr */
	o->info = seen.format && strcmp(seen.format, "console") ? stderr :
								   stdout;
	/*
	 * Random interleaving of repetitions (Google Benchmark's) is the
	 * default when more than one variant is measured: each variant's
	 * repetitions then see the same stretch of machine weather, A/B by
	 * design.  Exactly one --variant leaves it off.  The user's own
	 * flag (or BENCHMARK_ENABLE_RANDOM_INTERLEAVING) wins.
	 */
	o->interleave = seen.interleave ? gb_truthy(seen.interleave) :
					  o->nspecs != 1;
	/* put first, so that a user's own flag, parsed later, wins */
	if (o->interleave) {
		o->gb_argv[1] = "--benchmark_enable_random_interleaving=true";
	} else {
		memmove(o->gb_argv + 1, o->gb_argv + 2,
			(size_t)(o->gb_argc - 2) * sizeof(*o->gb_argv));
		o->gb_argc--;
	}
	o->gb_argv[o->gb_argc] = NULL;
	return 0;
}

void tb_options_free(struct tb_options *o)
{
	free(o->gb_argv);
	o->gb_argv = NULL;
}

bool tb_options_unknown(int argc, char **argv)
{
	if (argc < 2)
		return false;
	/* what Google Benchmark did not know among its own flags */
	fprintf(stderr, "trampbench: unknown option '%.*s'; see --help\n",
		(int)strcspn(argv[1], "="), argv[1]);
	return true;
}

/*
 * @text from column @col, wrapped within WIDTH at spaces, later lines
 * from column @indent; two spaces after a full stop are kept.
 */
static void wrap(const char *text, int col, int indent)
{
	while (*text) {
		int room = WIDTH - col, n = (int)strlen(text), m;

		if (n > room) {
			int cut = room;

			while (cut > 0 && text[cut] != ' ')
				cut--;
			n = cut ? cut : room;
		}
		m = n;
		/* no spaces at the end of a line */
		while (m > 0 && text[m - 1] == ' ')
			m--;
		printf("%.*s\n", m, text);
		text += n;
		text += strspn(text, " ");
		if (*text)
			printf("%*s", indent, "");
		col = indent;
	}
}

void tb_options_usage(void)
{
	char buf[1024];
	size_t n = 0;

	printf("usage: trampbench [options] [--benchmark_... flags]\n\n");
	wrap("Static-call trampoline designs as real code: checked on this CPU, then measured per call (N and 2N unrolled calls, the difference reported).",
	     0, 0);
	printf("\n");
	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		const struct option_row *r = &options[i];
		char label[64];
		int len;

		if (r->short_name)
			len = snprintf(label, sizeof(label), "-%c, --%s",
				       r->short_name, r->name);
		else
			len = snprintf(label, sizeof(label), "--%s%s%s",
				       r->name, r->arg ? " " : "",
				       r->arg ? r->arg : "");
		/* a label too long for its column: the text under it */
		if (2 + len + 2 > HELP_COL)
			printf("  %s\n%*s", label, HELP_COL, "");
		else
			printf("  %-*s", HELP_COL - 2, label);
		wrap(r->help, HELP_COL, HELP_COL);
	}
	printf("\n");
	wrap("Benchmarks are named scenario/<variant spec>/<parameters>; one that cannot run here is listed as skipped, with the reason.  Progress and an ETA go to stderr.",
	     0, 0);
	printf("\n");
	wrap("Several variants run their repetitions interleaved in random order (--benchmark_enable_random_interleaving=false to turn it off).",
	     0, 0);
	printf("\n");
	wrap("Counter modes, named in every output: pmu (hardware counters), timer (architectural timer; cycles from a dependent-add calibration), emulated (timer under qemu-user: not this CPU's timing).",
	     0, 0);
	printf("\n");
	n += snprintf(buf + n, sizeof(buf) - n,
		      "Of Google Benchmark's flags below, those trampbench sets itself are refused, on the command line or in the environment (BENCHMARK_OUT, ...): ");
	for (size_t i = 0; i < ARRAY_SIZE(gb_managed) && n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "--%s (use %s), ",
			      gb_managed[i].flag, gb_managed[i].use);
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n,
			 "--benchmark_out_format other than json, and --benchmark_context keys that trampbench writes.  A --benchmark_filter that selects nothing is an error.");
	wrap(buf, 0, 0);
}
