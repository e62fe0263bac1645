// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench: prove every static-call variant works on this CPU, then
 * measure the selected ones through Google Benchmark, with hardware
 * counters where the kernel gives them and the architectural timer where
 * it does not, and write Google Benchmark's JSON with where and how the
 * numbers were made.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <perfmon/pfmlib.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "case.h"
#include "check.h"
#include "clock.h"
#include "cpu_hygiene.h"
#include "cpu_model.h"
#include "display.h"
#include "estimator.h"
#include "gbench.h"
#include "meter.h"
#include "perfcheck.h"
#include "results.h"
#include "scenario.h"
#include "selftest.h"
#include "static_call.h"

#ifndef TB_VERSION
#define TB_VERSION "unknown"
#endif

#define MAX_VARIANTS 128
/*
 * The results' layout as report/ knows it (context "results_format"):
 * raise it when a key report/ reads changes meaning or goes away.
 */
#define TB_RESULTS_FORMAT "1"
#define MAX_SCENARIOS 32
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void usage(void)
{
	printf("usage: trampbench [options] [--benchmark_... flags]\n"
	       "\n"
	       "Static-call trampoline designs as real code: checked on this CPU, then\n"
	       "measured per call (N and 2N unrolled calls, the difference reported).\n"
	       "\n"
	       "  --variant SPEC     measure this instance; repeatable.  SPEC is\n"
	       "                     variant[:knob=value,...], e.g. cbz, tail:null=nop,\n"
	       "                     indirect:kcfi=on; unnamed knobs take the design's\n"
	       "                     defaults.  Default: each variant as posted.\n"
	       "  --all-variants     measure every instance (every knob combination)\n"
	       "  --scenario NAME    run this scenario; repeatable (default: all;\n"
	       "                     see --list-scenarios)\n"
	       "  --quick            a small matrix for a first look: fewer\n"
	       "                     parameters, 3 repetitions of 200 batches\n"
	       "  --full             every parameter at every size (sites: every\n"
	       "                     N from 1 to 4096 with each order and spacing)\n"
	       "  --list             list the instances and exit\n"
	       "  --list-scenarios   list the scenarios and exit\n"
	       "  --self-test        only check every variant (target, NULL, RET0\n"
	       "                     updates) on this CPU, then exit\n"
	       "  --cpu N            pin to CPU N (default: the last CPU of the fastest\n"
	       "                     core type); run once per core type on big.LITTLE\n"
	       "  --list-cpus        list the core types, their CPUs and PMU, and exit\n"
	       "  --check            one screen to read first on a new machine: core,\n"
	       "                     PMU and its events per role, counter access and\n"
	       "                     the fix, governor, SMT, isolation, patch mode,\n"
	       "                     BTI, timer, the counter mode a run will use; exit\n"
	       "                     status 0 when a pmu-mode run is possible\n"
	       "  --root DIR         --check, --list-cpus, --list-events of a recorded\n"
	       "                     tree of /sys and /proc (tests/fixtures/<machine>)\n"
	       "  --events LIST      comma-separated events: perf generic names\n"
	       "                     (cycles, instructions, branch-misses), libpfm4\n"
	       "                     names (BR_MIS_PRED, arm_n1::L1I_CACHE_REFILL) or\n"
	       "                     raw codes (r22); default: the core's set; none:\n"
	       "                     timer only\n"
	       "  --list-events      show what the events (--events, else the core's\n"
	       "                     default set) encode to, and exit\n"
	       "  --out FILE         results file (Google Benchmark JSON), once; never\n"
	       "                     overwritten; default\n"
	       "                     results/<host>-<core>-<date>.json (-2, -3...\n"
	       "                     if taken; <core>-emulated under qemu-user)\n"
	       "  --no-out           write no results file\n"
	       "  --repetitions N    repetitions per benchmark, for the spread (10)\n"
	       "  --batches N        batches per repetition (1000); a batch is one\n"
	       "                     run of the N-call and the 2N-call loop, a few\n"
	       "                     microseconds; the quickest quarter is kept\n"
	       "  --site-shift LIST  hot: call sites this many bytes\n"
	       "                     past a 64-byte line: comma-separated multiples\n"
	       "                     of 4 up to 60, or all (default 0)\n"
	       "  --perf-control CTL,ACK\n"
	       "                     linux-perf cross-check (scripts/perfcheck.sh): count\n"
	       "                     the first selected variant's hot loop in-process\n"
	       "                     while perf stat, driven through these FIFOs, counts\n"
	       "                     the same span; print the in-process totals\n"
	       "  --raw-console      Google Benchmark's own console rows instead of\n"
	       "                     the table per scenario\n"
	       "  -h, --help         this text, then Google Benchmark's own flags\n"
	       "\n"
	       "Benchmarks are named scenario/<variant spec>/<parameters>; one that\n"
	       "cannot run here is listed as skipped, with the reason.  Progress and\n"
	       "an ETA go to stderr.\n"
	       "\n"
	       "Several variants run their repetitions interleaved in random order\n"
	       "(--benchmark_enable_random_interleaving=false to turn it off).\n"
	       "\n"
	       "Counter modes, named in every output: pmu (hardware counters), timer\n"
	       "(architectural timer; cycles from a dependent-add calibration), emulated\n"
	       "(timer under qemu-user: not this CPU's timing).\n"
	       "\n"
	       "Of Google Benchmark's flags below, those trampbench sets itself are\n"
	       "refused, on the command line or in the environment (BENCHMARK_OUT,\n"
	       "...): --benchmark_repetitions (use --repetitions), --benchmark_min_time\n"
	       "and --benchmark_min_warmup_time (--batches), --benchmark_out (--out),\n"
	       "--benchmark_out_format other than json, and --benchmark_context keys\n"
	       "that trampbench writes.  A --benchmark_filter that selects nothing is\n"
	       "an error.\n");
}

struct options {
	const char *specs[MAX_VARIANTS];
	unsigned int nspecs;
	const struct tb_scenario *scns[MAX_SCENARIOS];
	unsigned int nscns;
	bool all, list, list_cpus, list_events, self_test, no_out, interleave;
	bool quick, full, list_scenarios, reps_given, batches_given;
	bool check, raw_console;
	const char *cpu, *events, *perf_control, *root;
	int repetitions;
	unsigned int batches;
	unsigned int shifts[TB_SITE_SHIFT_MAX / TB_SITE_SHIFT_STEP + 1];
	unsigned int nshifts;
};

/* "0,12,60" or "all" into o->shifts; -1 with a message if bad. */
static int parse_shifts(const char *arg, struct options *o)
{
	const unsigned int max = TB_SITE_SHIFT_MAX / TB_SITE_SHIFT_STEP + 1;
	const char *p = arg;
	char *end;

	o->nshifts = 0;
	if (!strcmp(arg, "all")) {
		for (unsigned int i = 0; i < max; i++)
			o->shifts[o->nshifts++] = i * TB_SITE_SHIFT_STEP;
		return 0;
	}
	while (*p) {
		long v = strtol(p, &end, 10);

		if (end == p || (*end && *end != ',') || v < 0 ||
		    v > TB_SITE_SHIFT_MAX || v % TB_SITE_SHIFT_STEP ||
		    o->nshifts == max) {
			fprintf(stderr,
				"trampbench: --site-shift takes multiples of %d from 0 to %d, comma-separated, or all; not '%s'\n",
				TB_SITE_SHIFT_STEP, TB_SITE_SHIFT_MAX, arg);
			return -1;
		}
		for (unsigned int i = 0; i < o->nshifts; i++)
			if (o->shifts[i] == (unsigned int)v) {
				fprintf(stderr,
					"trampbench: --site-shift names %ld twice\n",
					v);
				return -1;
			}
		o->shifts[o->nshifts++] = (unsigned int)v;
		p = *end ? end + 1 : end;
	}
	if (!o->nshifts) {
		fprintf(stderr, "trampbench: --site-shift needs a value\n");
		return -1;
	}
	return 0;
}

static bool wants(const struct options *o, const struct tb_scenario *scn)
{
	for (unsigned int i = 0; i < o->nscns; i++)
		if (o->scns[i] == scn)
			return true;
	return false;
}

/*
 * getopt_long() takes any unambiguous prefix of a long option, so --ou
 * would be --out here while find_out() (and the user) saw no --out, and
 * the results went to the default file.  Only whole names are options.
 */
static int whole_names(int argc, char **argv, const struct option *opts)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i] + 2, *guess = NULL;
		size_t len = strcspn(a, "=");
		const struct option *op;

		if (strncmp(argv[i], "--", 2))
			continue;
		for (op = opts; op->name; op++) {
			if (strlen(op->name) == len && !strncmp(op->name, a, len))
				break;
			if (len && !strncmp(op->name, a, len))
				guess = op->name;
		}
		if (!op->name) {
			fprintf(stderr,
				"trampbench: unknown option '--%.*s'%s%s%s; see --help\n",
				(int)len, a, guess ? " (options are not abbreviated: --" : "",
				guess ? guess : "", guess ? "?)" : "");
			return -1;
		}
		if (op->has_arg == required_argument && !a[len])
			i++; /* its value, whatever it looks like */
	}
	return 0;
}

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "variant", required_argument, NULL, 'v' },
		{ "all-variants", no_argument, NULL, 'a' },
		{ "list", no_argument, NULL, 'l' },
		{ "self-test", no_argument, NULL, 's' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "list-cpus", no_argument, NULL, 'C' },
		{ "list-events", no_argument, NULL, 'E' },
		{ "events", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "no-out", no_argument, NULL, 'O' },
		{ "repetitions", required_argument, NULL, 'r' },
		{ "batches", required_argument, NULL, 'b' },
		{ "site-shift", required_argument, NULL, 'S' },
		{ "perf-control", required_argument, NULL, 'p' },
		{ "scenario", required_argument, NULL, 'n' },
		{ "quick", no_argument, NULL, 'q' },
		{ "full", no_argument, NULL, 'F' },
		{ "list-scenarios", no_argument, NULL, 'L' },
		{ "check", no_argument, NULL, 'K' },
		{ "root", required_argument, NULL, 'R' },
		{ "raw-console", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	o->repetitions = 10;
	o->batches = 1000;
	o->nshifts = 1; /* shift 0 */
	if (whole_names(argc, argv, opts))
		return -1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (o->nspecs == MAX_VARIANTS) {
				fprintf(stderr,
					"trampbench: at most %d --variant options; use --all-variants\n",
					MAX_VARIANTS);
				return -1;
			}
			o->specs[o->nspecs++] = optarg;
			break;
		case 'a':
			o->all = true;
			break;
		case 'n': {
			const struct tb_scenario *scn = tb_scenario_find(optarg);

			if (!scn) {
				fprintf(stderr,
					"trampbench: unknown scenario '%s'; --list-scenarios shows them\n",
					optarg);
				return -1;
			}
			for (unsigned int i = 0; i < o->nscns; i++)
				if (o->scns[i] == scn) {
					fprintf(stderr,
						"trampbench: --scenario %s given twice\n",
						optarg);
					return -1;
				}
			o->scns[o->nscns++] = scn;
			break;
		}
		case 'q':
			o->quick = true;
			break;
		case 'F':
			o->full = true;
			break;
		case 'L':
			o->list_scenarios = true;
			break;
		case 'l':
			o->list = true;
			break;
		case 's':
			o->self_test = true;
			break;
		case 'c':
			o->cpu = optarg;
			break;
		case 'C':
			o->list_cpus = true;
			break;
		case 'E':
			o->list_events = true;
			break;
		case 'e':
			if (!*optarg) {
				fprintf(stderr,
					"trampbench: --events needs a list of events; --events none measures on the timer alone\n");
				return -1;
			}
			o->events = optarg;
			break;
		case 'o': /* taken by find_out(), before Google Benchmark */
			if (!*optarg) {
				fprintf(stderr,
					"trampbench: --out needs a file name; --no-out writes no results file\n");
				return -1;
			}
			break;
		case 'O':
			o->no_out = true;
			break;
		case 'p':
			o->perf_control = optarg;
			break;
		case 'K':
			o->check = true;
			break;
		case 'R':
			o->root = optarg;
			break;
		case 'W':
			o->raw_console = true;
			break;
		case 'r':
			o->repetitions = strtol(optarg, &end, 10);
			if (*end || o->repetitions < 1 || o->repetitions > 1000) {
				fprintf(stderr,
					"trampbench: --repetitions takes 1 to 1000, not '%s'\n",
					optarg);
				return -1;
			}
			o->reps_given = true;
			break;
		case 'b': {
			long v = strtol(optarg, &end, 10);

			if (*end || v < 16 || v > 1000000) {
				fprintf(stderr,
					"trampbench: --batches takes 16 to 1000000, not '%s'\n",
					optarg);
				return -1;
			}
			o->batches = (unsigned int)v;
			o->batches_given = true;
			break;
		}
		case 'S':
			if (parse_shifts(optarg, o))
				return -1;
			break;
		default:
			fprintf(stderr, "trampbench: see --help\n");
			return -1;
		}
	}
	if (optind < argc) {
		tb_bench_report_unrecognized(argc - optind + 1,
					     argv + optind - 1);
		return -1;
	}
	if (!o->nscns)
		for (unsigned int i = 0; i < tb_nscenarios; i++)
			o->scns[o->nscns++] = tb_scenarios[i];
	if ((o->nshifts > 1 || o->shifts[0]) && !wants(o, &tb_scenario_hot)) {
		fprintf(stderr,
			"trampbench: --site-shift applies to the hot scenario; add --scenario hot\n");
		return -1;
	}
	if (o->quick && o->full) {
		fprintf(stderr,
			"trampbench: --quick and --full contradict each other; give one\n");
		return -1;
	}
	if (o->quick && !o->reps_given)
		o->repetitions = 3;
	if (o->quick && !o->batches_given)
		o->batches = 200;
	return 0;
}

/*
 * Google Benchmark's flags that trampbench sets itself: passed through,
 * each would be overridden without a word (every benchmark has its own
 * repetitions and iteration count), not end (a warm-up time beside that
 * count: 1.7.1 had not finished a one-variant hot run after ten minutes)
 * or send the results elsewhere than --out says.  Refused on the
 * command line and as Google Benchmark's environment variables.
 */
static const struct {
	const char *flag, *why;
} gb_managed[] = {
	{ "benchmark_repetitions", "is trampbench's --repetitions" },
	{ "benchmark_min_time",
	  "is trampbench's --batches (batches per repetition)" },
	{ "benchmark_min_warmup_time",
	  "does not apply: trampbench warms each repetition up itself; --batches sets its length" },
	{ "benchmark_out", "is trampbench's --out" },
};

/*
 * The context keys trampbench writes (describe()), and Google
 * Benchmark's own: a --benchmark_context key among them would stand in
 * for the real value (or repeat a key in the JSON).
 */
static const char *const own_context[] = {
	"results_format", "trampbench_version", "arch", "kernel", "host",
	"compiler", "cpu", "core_name", "core_type", "midr", "model_name",
	"core_slug", "counter_mode", "event_roles", "counter_mode_why",
	"counter_read", "method", "estimator", "batch_sizing", "cycles_from",
	"contention_gate", "random_interleaving", "scenarios", "timer",
	"core_ghz_calibrated", "patch_mode", "image_base", "bti_guarded",
	"governor", "disturbance_counters", "emulation", "emulation_why",
	"core_cycles",
	/* Google Benchmark 1.7.1's */
	"date", "host_name", "executable", "num_cpus", "mhz_per_cpu",
	"cpu_scaling_enabled", "caches", "load_avg", "library_build_type",
	NULL
};

static bool own_context_key(const char *key, size_t len)
{
	if (len > 7 && !strncmp(key, "warning", 7) &&
	    strspn(key + 7, "0123456789") == len - 7)
		return true; /* warning0, warning1, ... */
	for (const char *const *k = own_context; *k; k++)
		if (strlen(*k) == len && !strncmp(*k, key, len))
			return true;
	return false;
}

/* "k=v,k=v" of --benchmark_context (or $BENCHMARK_CONTEXT): -1 if ours. */
static int check_context(const char *what, const char *kv)
{
	for (const char *p = kv; *p;) {
		size_t len = strcspn(p, "=,");

		if (own_context_key(p, len)) {
			fprintf(stderr,
				"trampbench: %s: '%.*s' is a context key trampbench writes itself; name yours otherwise\n",
				what, (int)len, p);
			return -1;
		}
		p += strcspn(p, ",");
		p += *p == ',';
	}
	return 0;
}

/* The value of --@flag=VALUE in @arg, or NULL if @arg is another. */
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
	fprintf(stderr,
		"trampbench: %s%s: the results file (--out) is Google Benchmark JSON, which report/ reads; --benchmark_format=csv prints CSV on stdout\n",
		what, v);
	return -1;
}

static int check_gbench_flags(int argc, char **argv)
{
	char env[64];
	const char *v;

	for (size_t f = 0; f < ARRAY_SIZE(gb_managed); f++) {
		for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
			if (gb_value(argv[i], gb_managed[f].flag)) {
				fprintf(stderr, "trampbench: --%s %s\n",
					gb_managed[f].flag, gb_managed[f].why);
				return -1;
			}
		v = gb_env(gb_managed[f].flag, env, sizeof(env));
		if (v && *v) {
			fprintf(stderr,
				"trampbench: %s is set: --%s %s; unset it\n",
				env, gb_managed[f].flag, gb_managed[f].why);
			return -1;
		}
	}
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		v = gb_value(argv[i], "benchmark_out_format");
		if (v && check_out_format("--benchmark_out_format=", v))
			return -1;
		v = gb_value(argv[i], "benchmark_context");
		if (v && check_context("--benchmark_context", v))
			return -1;
	}
	v = gb_env("benchmark_out_format", env, sizeof(env));
	if (v && *v && check_out_format("BENCHMARK_OUT_FORMAT=", v))
		return -1;
	v = gb_env("benchmark_context", env, sizeof(env));
	if (v && *v && check_context("BENCHMARK_CONTEXT", v))
		return -1;
	return 0;
}

/*
 * --out is needed before Google Benchmark's flags are parsed.  The modes
 * that measure nothing write no results file.  --out twice, or beside
 * --no-out, is refused (*bad): which one was meant?
 */
static const char *find_out(int argc, char **argv, bool *no_out, bool *bad)
{
	static const char *const quiet[] = { "--no-out", "--list",
					     "--list-cpus", "--list-events",
					     "--list-scenarios",
					     "--self-test", "--perf-control",
					     "--check", "--root",
					     "--help", "-h", NULL };
	const char *out = NULL, *prev = NULL;
	bool given_no_out = false;

	*bad = false;
	for (int i = 1; i < argc; i++) {
		for (const char *const *q = quiet; *q; q++)
			if (!strcmp(argv[i], *q) ||
			    (!strncmp(argv[i], *q, strlen(*q)) &&
			     argv[i][strlen(*q)] == '='))
				*no_out = true;
		given_no_out |= !strcmp(argv[i], "--no-out");
		prev = out;
		if (!strncmp(argv[i], "--out=", 6))
			out = argv[i] + 6;
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		if (prev && out != prev) {
			fprintf(stderr,
				"trampbench: --out given twice (%s, %s); give one\n",
				prev, out);
			*bad = true;
			return NULL;
		}
	}
	if (out && *out && given_no_out) {
		fprintf(stderr,
			"trampbench: --out %s and --no-out contradict each other; give one\n",
			out);
		*bad = true;
		return NULL;
	}
	return *no_out ? NULL : out;
}

/*
 * What the default results file's name says ran: the core, as a slug
 * ("amd-zen-5"; the architecture for a core no table row knows), and
 * "-emulated" under qemu-user.  Before the options are parsed: the CPU
 * of --cpu, else the one a run takes by default.
 */
static void default_tag(int argc, char **argv, char *tag, size_t len)
{
	struct tb_cpu_model m;
	struct tb_emulation emu;
	const char *cpu = NULL;
	char slug[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpu") && i + 1 < argc)
			cpu = argv[i + 1];
		else if (!strncmp(argv[i], "--cpu=", 6))
			cpu = argv[i] + 6;
	}
	if (tb_cpu_identify("", cpu ? atoi(cpu) : tb_cpu_default(""), &m))
		tb_cpu_model_unknown(&m);
	tb_emulation_detect("", &m, &emu);
	snprintf(tag, len, "%s%s%s", tb_cpu_core_slug(&m, slug, sizeof(slug)),
		 emu.kind != TB_EMU_NONE ? "-emulated" : "",
		 emu.kind == TB_EMU_QEMU_SYSTEM ? "-tcg" : "");
}

/* results/ if this run made it: removed at exit unless a file is in it. */
static bool made_results;

static void remove_empty_results(void)
{
	if (made_results)
		rmdir("results");
}

/*
 * Where the banner and the self-test go: stdout, unless Google
 * Benchmark writes JSON or CSV there (--benchmark_format), which must
 * stay parseable.
 */
static FILE *info_stream(int argc, char **argv)
{
	const char *flag = "--benchmark_format=";
	const char *env = getenv("BENCHMARK_FORMAT"); /* under the flag */
	FILE *f = env && *env && strcmp(env, "console") ? stderr : stdout;

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], flag, strlen(flag)))
			f = strcmp(argv[i] + strlen(flag), "console") ? stderr :
								       stdout;
	return f;
}

/*
 * The core PMUs libpfm4 can be forced to, ", "-separated, each at most
 * once: @first ones (this host's) ahead of the rest.
 */
static void pmu_names(FILE *f, const char *const *first, int nfirst)
{
	int i, n = 0;

	for (int k = 0; k < nfirst; k++)
		fprintf(f, "%s%s (this host's)", n++ ? ", " : "", first[k]);
	pfm_for_all_pmus(i) {
		pfm_pmu_info_t info;
		bool dup = false;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(i, &info) != PFM_SUCCESS || !info.name ||
		    info.type != PFM_PMU_TYPE_CORE)
			continue;
		for (int k = 0; k < nfirst; k++)
			dup |= !strcmp(first[k], info.name);
		if (!dup)
			fprintf(f, "%s%s", n++ ? ", " : "", info.name);
	}
}

/*
 * libpfm4 ignores a LIBPFM_FORCE_PMU it does not know and detects the
 * host's PMU, so events would be encoded for another PMU than asked; an
 * empty one forces none at all.  The names it could be, this host's
 * first, whatever their number.
 */
static int check_forced_pmu(void)
{
	const char *env = getenv("LIBPFM_FORCE_PMU");
	char want[128], *names = NULL, host[4][64];
	const char *first[4];
	int i, nhost = 0;
	size_t len;
	FILE *f;

	if (!env)
		return 0;
	snprintf(want, sizeof(want), "%s", env); /* env changes below */
	if (*want) {
		tb_pmu_init();
		pfm_for_all_pmus(i) {
			pfm_pmu_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (pfm_get_pmu_info(i, &info) == PFM_SUCCESS &&
			    info.name && info.type == PFM_PMU_TYPE_CORE &&
			    info.is_present && !strcmp(info.name, want))
				return 0;
		}
	}
	/* What libpfm4 detects here with nothing forced. */
	unsetenv("LIBPFM_FORCE_PMU");
	tb_pmu_exit();
	if (!tb_pmu_init())
		pfm_for_all_pmus(i) {
			pfm_pmu_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (nhost < 4 &&
			    pfm_get_pmu_info(i, &info) == PFM_SUCCESS &&
			    info.name && info.type == PFM_PMU_TYPE_CORE &&
			    info.is_present) {
				snprintf(host[nhost], sizeof(host[0]), "%s",
					 info.name);
				first[nhost] = host[nhost];
				nhost++;
			}
		}
	f = open_memstream(&names, &len);
	if (f) {
		pmu_names(f, first, nhost);
		fclose(f);
	}
	tb_pmu_exit();
	setenv("LIBPFM_FORCE_PMU", want, 1);
	if (!*want)
		fprintf(stderr,
			"trampbench: LIBPFM_FORCE_PMU is empty, which forces no PMU at all: unset it or use one of %s\n",
			names && *names ? names : "none");
	else
		fprintf(stderr,
			"trampbench: LIBPFM_FORCE_PMU=%s is no core PMU this libpfm4 can force (it would silently detect the host's): unset it or use one of %s\n",
			want, names && *names ? names : "none");
	free(names);
	return -1;
}

/*
 * Random interleaving of repetitions (Google Benchmark's) is the default
 * when more than one variant is measured: each variant's repetitions
 * then see the same stretch of machine weather, A/B by design.  Exactly
 * one --variant leaves it off.  The user's own flag, later on the
 * command line, wins; returns whether it ends up on.
 */
static bool interleave_default(int argc, char **argv)
{
	const char *flag = "benchmark_enable_random_interleaving", *v;
	char env[64];
	bool on;
	int variants = 0;

	for (int i = 1; i < argc; i++)
		variants += !strcmp(argv[i], "--variant") ||
			    !strncmp(argv[i], "--variant=", 10);
	on = variants != 1;
	v = gb_env(flag, env, sizeof(env));
	if (v && *v) /* Google Benchmark's default, under the flag */
		on = gb_truthy(v);
	for (int i = 1; i < argc; i++)
		if ((v = gb_value(argv[i], flag)))
			on = gb_truthy(v);
	return on;
}

/*
 * argv with Google Benchmark's random-interleaving flag put first, so a
 * user's own flag, parsed later, wins; NULL if out of memory.
 */
static char **with_interleaving(int *argc, char **argv)
{
	static char flag[] = "--benchmark_enable_random_interleaving=true";
	char **args = calloc((size_t)*argc + 2, sizeof(*args));

	if (!args)
		return NULL;
	args[0] = argv[0];
	args[1] = flag;
	/* argv[1 .. argc], its NULL included. */
	memcpy(args + 2, argv + 1, (size_t)*argc * sizeof(*args));
	(*argc)++;
	return args;
}

static void add_context(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_context(const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tb_bench_add_context(key, buf);
}

/* Where and how the numbers were made, in the JSON "context". */
static void describe(const struct tb_meter *m, const struct tb_hygiene *h,
		     const struct options *o)
{
	const struct tb_cpu_model *c = &m->cpu;
	struct tb_image *img = tb_image_current();
	char buf[512];
	struct utsname u;

	uname(&u);
	/* What report/ reads: it refuses another results format. */
	add_context("results_format", "%s", TB_RESULTS_FORMAT);
	add_context("trampbench_version", "%s", TB_VERSION);
	add_context("arch", "%s", tb_arch_name);
	add_context("kernel", "%s %s", u.sysname, u.release);
	add_context("host", "%s", u.nodename);
	add_context("compiler", "%s", __VERSION__);
	add_context("cpu", "%d", h->cpu);
	add_context("core_name", "%s", c->name ? c->name : "unknown");
	add_context("core_type", "%s", c->core_type ? c->core_type : "unknown");
	if (c->midr)
		add_context("midr", "0x%08llx", (unsigned long long)c->midr);
	if (c->model_name[0])
		add_context("model_name", "%s", c->model_name);
	add_context("core_slug", "%s", tb_cpu_core_slug(c, buf, sizeof(buf)));
	add_context("counter_mode", "%s", tb_counter_mode_name(m->mode));
	if (m->emu.kind != TB_EMU_NONE) {
		/* report/ marks every output of such a run EMULATED */
		add_context("emulation", "%s",
			    tb_meter_emulation(m, buf, sizeof(buf)));
		add_context("emulation_why", "%s", m->emu.why);
	}
	tb_meter_event_roles(m, buf, sizeof(buf));
	add_context("event_roles", "%s", buf);
	if (m->mode != TB_MODE_PMU)
		add_context("counter_mode_why", "%s", m->why);
	if (m->counting)
		add_context("counter_read", "%s",
			    tb_read_path_name(m->perf.g[0].path));
	add_context("method", "%s", TB_METHOD);
	add_context("estimator",
		    "per repetition: %u batches after %d warm-up batches; the quickest %.0f%% by total time kept, per-call values averaged over them",
		    o->batches, TB_WARMUP_BATCHES, TB_EST_KEEP * 100);
	add_context("batch_sizing",
		    "loop one >= %d timer quanta and >= %.0f ns; a batch <= %.0f ns; timer quantum %.0f ticks",
		    TB_BATCH_QUANTA, TB_BATCH_MIN_NS, TB_BATCH_MAX_NS,
		    tb_meter_quantum());
	if (tb_meter_cycles_event(m) < 0)
		add_context("cycles_from", "%s",
			    "timer ticks over the ticks of a dependent add (one per cycle), both timed in every batch; averaged over the kept batches. So calibration/add_chain is this clock's definition and reads 1 by construction; calibration/mul_chain is the check, against a stated latency (expect_cycles)");
	add_context("contention_gate",
		    "each batch also times calls of a bare ret; a repetition whose probe reads over %.0f%% above the run's quietest is measured again, up to %d times, or once after %d repetitions in a row stayed contended, until one passes (rows: probe_cycles, contention_pct, contention_retries)",
		    TB_CONTENTION_PCT, TB_CONTENTION_TRIES,
		    TB_CONTENTION_SATURATED);
	add_context("random_interleaving", "%s",
		    o->interleave ? "on" : "off");
	{
		char list[256] = "";

		for (unsigned int i = 0; i < o->nscns; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", i ? "," : "", o->scns[i]->name);
		add_context("scenarios", "%s%s", list,
			    o->quick ? " (--quick matrix)" :
			    o->full  ? " (--full matrix)" :
				       "");
	}
	add_context("timer", "%s at %.6f MHz", tb_timer_name(),
		    tb_timer_freq() / 1e6);
	add_context("core_ghz_calibrated", "%.3f", m->freq.ghz);
	/* report/ boxes a run whose cycles cannot be a core's */
	add_context("core_cycles", "%s%s",
		    m->not_cycles[0] ? "no: " : "yes", m->not_cycles);
	add_context("patch_mode", "%s", tb_patch_mode_name(img->mode));
	add_context("image_base", "%p (%s)", (void *)img->exec,
		    img->fixed ? "fixed: the same in every run" :
				 "the kernel's choice: the fixed base was taken");
	add_context("bti_guarded", "%s", img->bti ? "yes" : "no");
	add_context("governor", "%s", h->governor);
	add_context("disturbance_counters", "%s",
		    tb_disturb_method_name(&m->disturb));
	for (int i = 0; i < h->nr_warn; i++) {
		char key[24];

		snprintf(key, sizeof(key), "warning%d", i);
		tb_bench_add_context(key, h->warn[i]);
	}
}

/* The core clock at the end of the run, against the start. */
static struct tb_core_freq freq_start;

static void clock_drift_body(struct tb_bench_state *st, void *arg)
{
	struct tb_core_freq end;
	char msg[200] = "";

	(void)arg;
	while (tb_bench_keep_running(st)) {
		if (tb_core_freq_calibrate(&end)) {
			tb_bench_skip_with_error(st, "timer frequency unknown");
			return;
		}
		tb_bench_set_iteration_time(st, 1e-9 * end.ticks * 1e9 /
							end.timer_hz);
	}
	tb_bench_set_counter(st, "core_ghz_start", freq_start.ghz,
			     TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "core_ghz_end", end.ghz, TB_COUNTER_TOTAL);
	tb_bench_set_counter(st, "drift_pct",
			     tb_core_freq_drift_pct(&freq_start, &end),
			     TB_COUNTER_TOTAL);
	if (tb_core_freq_drifted(&freq_start, &end, TB_CORE_FREQ_DRIFT_PCT,
				 msg, sizeof(msg))) {
		fprintf(stderr, "trampbench: warning: %s\n", msg);
		tb_bench_set_label(st, msg);
	}
}

/* An --events list this core cannot encode is refused now, not later. */
static int check_events(const struct tb_cpu_model *model, const char *events)
{
	struct tb_event evs[TB_MAX_EVENTS];
	char err[TB_PERF_MSG_MAX];

	if (!events || !strcmp(events, "none"))
		return 0;
	tb_pmu_init();
	if (tb_events_encode(model, events, evs, TB_MAX_EVENTS, err,
			     sizeof(err)) >= 0)
		return 0;
	fprintf(stderr, "trampbench: %s\n", err);
	return -1;
}

/*
 * The compact table per scenario on stdout, unless Google Benchmark's
 * console was asked for (--raw-console) or stdout carries JSON or CSV.
 */
static void set_display(const struct tb_meter *m)
{
	static char emu[128];
	const char *mis = tb_meter_role_key(m, TB_ROLE_MISPREDICTS);
	struct tb_display_opts d = {
		.out = stdout,
		.mode = tb_counter_mode_name(m->mode),
		.emulator = tb_meter_emulation(m, emu, sizeof(emu)),
		.mispredicts = mis ? mis :
			tb_meter_role_key(m, TB_ROLE_RETIRED_MISPREDICTS),
		.l1i_refill = tb_meter_role_key(m, TB_ROLE_L1I_REFILL),
		.hide = tb_case_progress_hide,
		.show = tb_case_progress_show,
	};

	tb_bench_set_display(tb_display_setup(&d));
}

/*
 * A case's parameters, from its parameter string: "n:512/order:rr" as
 * n = 512, order = rr; a word ("tput") is a parameter without a value.
 * Pointers into @buf.
 */
static unsigned int case_params(const struct tb_case *c, char *buf,
				size_t len, struct tb_bench_param *p,
				unsigned int max)
{
	unsigned int n = 0;
	char *save = NULL;

	snprintf(buf, len, "%s", c->params);
	for (char *t = strtok_r(buf, "/", &save); t && n < max;
	     t = strtok_r(NULL, "/", &save)) {
		char *colon = strchr(t, ':');

		if (colon)
			*colon = '\0';
		p[n++] = (struct tb_bench_param){ t, colon ? colon + 1 : NULL };
	}
	return n;
}

/* A scenario's case, registered under its name, given its parts. */
static int name_case(const struct tb_case *c)
{
	char buf[TB_PARAMS_LEN], short_name[192];
	struct tb_bench_param p[TB_PARAMS_LEN / 2];
	struct tb_bench_id id = {
		.scenario = c->scn->name,
		.variant = c->inst->name,
		.variant_short = tb_instance_short_name(c->inst, short_name,
							sizeof(short_name)),
		.params = p,
		.nparams = case_params(c, buf, sizeof(buf), p, ARRAY_SIZE(p)),
	};
	int err = tb_bench_set_id(c->name, &id);

	if (err)
		fprintf(stderr, "trampbench: %s: %s\n", c->name, strerror(-err));
	return err;
}

/*
 * The instrument's own rows, which bench/calibration.c registers by name
 * ("calibration/add_chain"): the scenario "calibration", the row's own
 * name in the variant's place, as the display and report/ show them.
 */
#define CALIBRATION "calibration"

static void name_calibration(const char *name, const struct tb_bench_id *id,
			     void *arg)
{
	size_t n = strlen(CALIBRATION);

	(void)arg;
	if (id || strncmp(name, CALIBRATION "/", n + 1))
		return;
	id = &(struct tb_bench_id){ .scenario = CALIBRATION,
				    .variant = name + n + 1,
				    .variant_short = name + n + 1 };
	if (tb_bench_set_id(name, id))
		fprintf(stderr, "trampbench: out of memory for %s\n", name);
}

static int select_instances(const struct options *o,
			    struct tb_instance **sel, unsigned int *nsel)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	*nsel = 0;
	for (unsigned int i = 0; i < o->nspecs; i++) {
		char err[256];

		sel[*nsel] = tb_instance_find(o->specs[i], err, sizeof(err));
		if (!sel[*nsel]) {
			fprintf(stderr, "trampbench: %s\n", err);
			return -1;
		}
		/* As --scenario twice: the same instance measured twice. */
		for (unsigned int j = 0; j < *nsel; j++)
			if (sel[j] == sel[*nsel]) {
				if (!strcmp(o->specs[j], o->specs[i]))
					fprintf(stderr,
						"trampbench: --variant %s given twice\n",
						o->specs[i]);
				else
					fprintf(stderr,
						"trampbench: --variant %s and --variant %s name the same instance (%s); give it once\n",
						o->specs[j], o->specs[i],
						sel[j]->name);
				return -1;
			}
		(*nsel)++;
	}
	if (o->all && o->nspecs) {
		fprintf(stderr,
			"trampbench: --all-variants measures every instance: drop --variant %s, or --all-variants\n",
			o->specs[0]);
		return -1;
	}
	for (unsigned int i = 0; i < n && *nsel < MAX_VARIANTS; i++)
		if (o->all || (!o->nspecs && in[i].is_default))
			sel[(*nsel)++] = &in[i];
	return 0;
}

/* The selected scenarios over the selected instances. */
static int register_scenarios(const struct options *o,
			      struct tb_instance *const *sel, unsigned int nsel,
			      const struct tb_run_opts *run)
{
	struct tb_scenario_opts so = {
		.quick = o->quick,
		.full = o->full,
		.shifts = o->shifts,
		.nshifts = o->nshifts,
	};
	unsigned int n, skipped = 0;
	struct tb_case *cases =
		tb_scenario_cases(o->scns, o->nscns, sel, nsel, &so, &n);

	if (!cases) {
		fprintf(stderr, "trampbench: out of memory for the cases\n");
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (cases[i].skip)
			skipped++;
		if (tb_case_register(&cases[i], run) || name_case(&cases[i]))
			return -1;
	}
	if (skipped)
		fprintf(stderr,
			"trampbench: %u of %u benchmarks cannot run here and are listed as skipped, with the reason\n",
			skipped, n);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct tb_instance *sel[MAX_VARIANTS];
	char out[512] = "", err[256];
	const char *given;
	struct tb_hygiene h;
	struct tb_cpu_model model;
	struct tb_meter m;
	struct tb_run_opts run;
	unsigned int nsel, bad;
	bool bad_out;
	sigset_t stop, old;
	int cpu, ret;
	long nrun;
	FILE *info;

	setvbuf(stdout, NULL, _IOLBF, 0);
	info = info_stream(argc, argv);
	if (check_forced_pmu() || check_gbench_flags(argc, argv))
		return 2;
	given = find_out(argc, argv, &o.no_out, &bad_out);
	if (bad_out)
		return 2;
	if (given && !*given) {
		fprintf(stderr,
			"trampbench: --out needs a file name; --no-out writes no results file\n");
		return 2;
	}
	if (given)
		snprintf(out, sizeof(out), "%s", given);
	/*
	 * Until Google Benchmark's shim handles them (and removes a results/
	 * made here through remove_empty_results()), a stop signal waits.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	tb_bench_set_signal_hook(remove_empty_results);
	if (!given && !o.no_out) {
		char tag[80];

		/* The default: a new file in results/, made if need be. */
		made_results = !mkdir("results", 0777);
		/* registered before Google Benchmark's temporary file's
		 * clean-up, so it runs after it */
		atexit(remove_empty_results);
		if (!made_results && errno != EEXIST) {
			fprintf(stderr,
				"trampbench: cannot create results/: %s; give --out FILE or --no-out\n",
				strerror(errno));
			return 2;
		}
		default_tag(argc, argv, tag, sizeof(tag));
		if (tb_results_default_path(out, sizeof(out), "results", tag,
					    "json"))
			return 2;
	}
	o.interleave = interleave_default(argc, argv);
	if (o.interleave && !(argv = with_interleaving(&argc, argv)))
		return 2;
	ret = tb_bench_initialize(&argc, argv,
				  o.no_out || !out[0] ? NULL : out, usage);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return 2;
	if (parse(argc, argv, &o))
		return 2;
	if (o.root && (!*o.root || access(o.root, R_OK | X_OK))) {
		fprintf(stderr,
			"trampbench: --root '%s': not a readable folder; give a tree of /sys and /proc such as tests/fixtures/graviton3\n",
			o.root);
		return 2;
	}
	if (o.root && !o.check && !o.list_cpus && !o.list_events) {
		fprintf(stderr,
			"trampbench: --root goes with --check, --list-cpus or --list-events\n");
		return 2;
	}
	if (o.root && tb_root_check(o.root))
		return 2;
	if (o.list_cpus)
		return tb_list_cpus(o.root, stdout);
	if (o.list_scenarios) {
		for (unsigned int i = 0; i < tb_nscenarios; i++)
			printf("%-8s %s\n", tb_scenarios[i]->name,
			       tb_scenarios[i]->about);
		return 0;
	}
	if (o.check)
		return tb_check(o.root, o.cpu, stdout);
	if (o.list_events && o.root)
		return tb_list_events(o.root, o.cpu, o.events, stdout);
	if (tb_static_calls_init())
		return 1;
	if (select_instances(&o, sel, &nsel))
		return 2;
	if (o.list) {
		unsigned int n;
		struct tb_instance *in = tb_instances(&n);

		for (unsigned int i = 0; i < n; i++)
			printf("%s%s\n", in[i].name,
			       in[i].is_default ? "  (as posted)" : "");
		return 0;
	}

	/* Usage errors before the self-test: the CPU, then its events. */
	cpu = o.cpu ? atoi(o.cpu) : tb_cpu_default("");
	ret = o.cpu ? tb_cpu_pin_arg(o.cpu, err, sizeof(err)) :
		      tb_cpu_pin(cpu, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "trampbench: %s\n", err);
		return 2;
	}
	tb_cpu_identify("", cpu, &model);
	if (o.list_events)
		return tb_list_events("", o.cpu, o.events, stdout);
	if (check_events(&model, o.events))
		return 2;

	/* Never measure code that does not do what it claims. */
	fprintf(info, "trampbench %s on %s: patch mode %s, text %s\n",
		TB_VERSION, tb_arch_name,
		tb_patch_mode_name(tb_image_current()->mode),
		tb_image_current()->bti ? "BTI-guarded" : "not BTI-guarded");
	bad = tb_selftest(info);
	fprintf(info, "self-test: %s\n", bad ? "FAILED" : "all variants ok");
	if (bad || o.self_test)
		return bad ? 1 : 0;

	tb_hygiene_check("", cpu, &h);
	for (int i = 0; i < h.nr_warn; i++)
		fprintf(stderr, "trampbench: warning: %s\n", h.warn[i]);
	ret = tb_meter_init(&m, &model, o.events);
	if (ret) {
		fprintf(stderr, "trampbench: %s\n", m.why);
		return 2;
	}
	if (m.mode != TB_MODE_PMU)
		fprintf(stderr, "trampbench: %s mode: %s\n",
			tb_counter_mode_name(m.mode), m.why);
	if (o.perf_control) {
		struct tb_static_call *sc = tb_key(sel[0], TB_INIT_TARGET, true);
		struct tb_loop_pair lp = { .one = sc->loop1,
					   .two = sc->loop2,
					   .items = sc->unroll };

		ret = tb_perfcheck(o.perf_control, m.events, m.nevents, &lp, 0.5);
		return ret ? 1 : 0;
	}
	freq_start = m.freq;
	if (tb_calibration_sanity(&m, m.not_cycles, sizeof(m.not_cycles)))
		fprintf(stderr,
			"trampbench: warning: these cycles are no core's: %s\n",
			m.not_cycles);
	describe(&m, &h, &o);
	tb_case_set_meter(&m);

	run = (struct tb_run_opts){ o.repetitions, o.batches };
	if (tb_calibration_register(&run, &m) ||
	    register_scenarios(&o, sel, nsel, &run) ||
	    tb_bench_register(CALIBRATION "/core_clock_drift",
			      clock_drift_body, NULL,
			      &(struct tb_bench_opts){ .manual_time = true,
						       .iterations = 1,
						       .repetitions = 1 }) ||
	    tb_bench_set_id(CALIBRATION "/core_clock_drift",
			    &(struct tb_bench_id){
				    .scenario = CALIBRATION,
				    .variant = "core_clock_drift",
				    .variant_short = "core_clock_drift" }))
		return 1;
	tb_bench_for_each_registered(name_calibration, NULL);
	nrun = tb_bench_for_each_selected(NULL, NULL);
	if (nrun <= 0) {
		fprintf(stderr, "trampbench: --benchmark_filter=%s %s\n",
			tb_bench_filter(),
			nrun ? "is no regular expression (POSIX extended)" :
			       "selects no benchmark; --benchmark_list_tests=true lists them");
		return 2;
	}
	if (!o.raw_console && info == stdout)
		set_display(&m);
	tb_case_prepare();
	ret = tb_bench_run();
	if (tb_case_mismatches())
		fprintf(stderr,
			"trampbench: warning: %u benchmark(s) ran other instruction or branch counts than their code has: see MISMATCH labels\n",
			tb_case_mismatches());
	if (tb_case_invalid())
		fprintf(stderr,
			"trampbench: warning: %u benchmark(s) counted 0 cycles or instructions: the PMU did not count; see INVALID labels\n",
			tb_case_invalid());
	if (m.redone_disturbed || m.redone_multiplexed)
		fprintf(stderr,
			"trampbench: %lu batch(es) redone after a context switch or migration, %lu after multiplexing\n",
			m.redone_disturbed, m.redone_multiplexed);
	if (tb_bench_out_path() && ret >= 0)
		fprintf(info, "results: %s (%s mode)\n", tb_bench_out_path(),
			tb_counter_mode_name(m.mode));
	tb_meter_exit(&m);
	tb_static_calls_exit();
	return ret < 0 ? 1 : 0;
}
