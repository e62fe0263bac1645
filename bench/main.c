// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench: prove every static-call variant works on this CPU, then
 * measure the selected ones through Google Benchmark, with hardware
 * counters where the kernel gives them and the architectural timer where
 * it does not, and write Google Benchmark's JSON with where and how the
 * numbers were made.  The steps of a run, in order; the command line is
 * bench/options.c's, the results' context bench/context.c's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "context.h"
#include "kernel.h"
#include "cpu_hygiene.h"
#include "cpu_model.h"
#include "display.h"
#include "engine.h"
#include "gbench.h"
#include "machine.h"
#include "meter.h"
#include "options.h"
#include "perf_group.h"
#include "perfcheck.h"
#include "pmu_force.h"
#include "progress.h"
#include "results.h"
#include "scenario.h"
#include "selftest.h"
#include "static_call.h"

#ifndef TB_VERSION
#define TB_VERSION "unknown"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* results/ if this run made it: removed at exit unless a file is in it. */
static bool made_results;

static void remove_empty_results(void)
{
	if (made_results)
		rmdir("results");
}

/*
 * What the default results file's name says ran: the core, as a slug
 * ("amd-zen-5"; the architecture for a core no table row knows), and
 * "-emulated" under qemu-user: the core of --cpu, else the one a run
 * takes by default (a --cpu that is no CPU is refused later, when the
 * run pins itself to it).
 */
static void default_tag(const struct tb_options *o, char *tag, size_t len)
{
	struct tb_cpu_model m;
	struct tb_emulation emu;
	char slug[64];
	int cpu = o->cpu_num >= 0 ? o->cpu_num : tb_cpu_default("");

	if (tb_cpu_identify("", cpu, &m))
		tb_cpu_model_unknown(&m);
	tb_emulation_detect("", &m, &emu);
	snprintf(tag, len, "%s%s%s%s", tb_cpu_core_slug(&m, slug, sizeof(slug)),
		 o->kernel ? "-kernel" : "", emu.kind != TB_EMU_NONE ? "-emulated" : "",
		 emu.kind == TB_EMU_QEMU_SYSTEM ? "-tcg" : "");
}

/* The core clock at the end of the run, against the start. */
static struct tb_core_freq freq_start;

static void clock_drift_body(struct tb_gb_state *st, void *arg)
{
	struct tb_core_freq end;
	char msg[200] = "";

	(void)arg;
	while (tb_gb_keep_running(st)) {
		if (tb_core_freq_calibrate(&end)) {
			tb_gb_skip_with_error(st, "timer frequency unknown");
			return;
		}
		tb_gb_set_iteration_time(st,
					 1e-9 * end.ticks * 1e9 / end.timer_hz);
	}
	tb_gb_set_counter(st, "core_ghz_start", freq_start.ghz,
			  TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "core_ghz_end", end.ghz, TB_COUNTER_TOTAL);
	tb_gb_set_counter(st, "drift_pct",
			  tb_core_freq_drift_pct(&freq_start, &end),
			  TB_COUNTER_TOTAL);
	if (tb_core_freq_drifted(&freq_start, &end, TB_CORE_FREQ_DRIFT_PCT,
				 msg, sizeof(msg))) {
		fprintf(stderr, "trampbench: warning: %s\n", msg);
		tb_gb_set_label(st, msg);
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
		.hide = tb_progress_hide,
		.show = tb_progress_show,
	};

	tb_gb_set_display(tb_display_setup(&d));
}

/*
 * A case's parameters, from its parameter string: "n:512/order:rr" as
 * n = 512, order = rr; a word ("tput") is a parameter without a value.
 * Pointers into @buf.
 */
static unsigned int case_params(const struct tb_case *c, char *buf, size_t len,
				struct tb_gb_param *p, unsigned int max)
{
	unsigned int n = 0;
	char *save = NULL;

	snprintf(buf, len, "%s", c->params);
	for (char *t = strtok_r(buf, "/", &save); t && n < max;
	     t = strtok_r(NULL, "/", &save)) {
		char *colon = strchr(t, ':');

		if (colon)
			*colon = '\0';
		p[n++] = (struct tb_gb_param){ t, colon ? colon + 1 : NULL };
	}
	return n;
}

/* A scenario's case, registered under its name, given its parts. */
static int name_case(const struct tb_case *c)
{
	char buf[TB_PARAMS_LEN], short_name[192];
	struct tb_gb_param p[TB_PARAMS_LEN / 2];
	struct tb_gb_id id = {
		.scenario = c->scn->name,
		.variant = c->inst->name,
		.variant_short = tb_instance_short_name(c->inst, short_name,
							sizeof(short_name)),
		.params = p,
		.nparams = case_params(c, buf, sizeof(buf), p, ARRAY_SIZE(p)),
	};
	int err = tb_gb_set_id(c->name, &id);

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

static void name_calibration(const char *name, const struct tb_gb_id *id,
			     void *arg)
{
	size_t n = strlen(CALIBRATION);

	(void)arg;
	if (id || strncmp(name, CALIBRATION "/", n + 1))
		return;
	id = &(struct tb_gb_id){ .scenario = CALIBRATION,
				 .variant = name + n + 1,
				 .variant_short = name + n + 1 };
	if (tb_gb_set_id(name, id))
		fprintf(stderr, "trampbench: out of memory for %s\n", name);
}

static int select_instances(const struct tb_options *o,
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
	for (unsigned int i = 0; i < n && *nsel < TB_MAX_VARIANTS; i++)
		if (o->all || (!o->nspecs && in[i].is_default))
			sel[(*nsel)++] = &in[i];
	return 0;
}

/* The selected scenarios over the selected instances. */
static int register_scenarios(const struct tb_options *o,
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
		if (o->kernel)
			tb_kernel_case(&cases[i]);
		if (cases[i].skip)
			skipped++;
		if (tb_case_register(&cases[i], run) || name_case(&cases[i]))
			return -1;
	}
	if (o->kernel && tb_kernel_register_own(o, run))
		return -1;
	if (skipped)
		fprintf(stderr,
			"trampbench: %u of %u benchmarks cannot run here and are listed as skipped, with the reason\n",
			skipped, n);
	return 0;
}

/*
 * Until Google Benchmark's shim handles them (and removes a results/
 * made here through remove_empty_results()), a stop signal waits.
 */
static void block_stops(sigset_t *old)
{
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, old);
	tb_gb_set_signal_hook(remove_empty_results);
}

/*
 * The results file of a measuring run: --out, else a new file in
 * results/, made if need be.  0, or -1 with a message.
 */
static int results_path(const struct tb_options *o, char *out, size_t len)
{
	char tag[80];

	out[0] = '\0';
	if (o->quiet)
		return 0;
	if (o->out) {
		snprintf(out, len, "%s", o->out);
		return 0;
	}
	made_results = !mkdir("results", 0777);
	/* registered before Google Benchmark's temporary file's clean-up,
	 * so it runs after it */
	atexit(remove_empty_results);
	if (!made_results && errno != EEXIST) {
		fprintf(stderr,
			"trampbench: cannot create results/: %s; give --out FILE or --no-out\n",
			strerror(errno));
		return -1;
	}
	default_tag(o, tag, sizeof(tag));
	return tb_results_default_path(out, len, "results", tag, "json") ? -1 :
									    0;
}

int main(int argc, char **argv)
{
	struct tb_options o;
	struct tb_instance *sel[TB_MAX_VARIANTS];
	char out[512], err[256];
	struct tb_hygiene h;
	struct tb_cpu_model model;
	struct tb_meter m;
	struct tb_run_opts run;
	unsigned int nsel, bad;
	sigset_t old;
	int cpu, ret;
	long nrun;
	FILE *info;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tb_pmu_force_check() || tb_options_parse(argc, argv, &o))
		return 2;
	info = o.info;
	/* refused before anything is made or written */
	if (o.kernel && tb_kernel_check(&o))
		return 2;
	block_stops(&old);
	if (results_path(&o, out, sizeof(out)))
		return 2;
	ret = tb_gb_initialize(&o.gb_argc, o.gb_argv, out[0] ? out : NULL,
			       tb_options_usage);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (ret || tb_options_unknown(o.gb_argc, o.gb_argv))
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
	if (o.root && tb_root_verify(o.root))
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
		return tb_machine_show(o.root, o.cpu, stdout);
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
	cpu = o.cpu ? o.cpu_num : tb_cpu_default("");
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
	if (o.kernel && tb_kernel_load(&o, info))
		return 1;

	tb_hygiene_check("", cpu, &h);
	for (int i = 0; i < h.nr_warn; i++)
		fprintf(stderr, "trampbench: warning: %s\n", h.warn[i]);
	ret = tb_meter_init(&m, &(struct tb_meter_opts){ .cpu = &model,
						       .events = o.events,
						       .level = TB_LEVEL_USER });
	/* events the PMU lacks, left out: one line each */
	for (char *l = strtok(m.notes, "\n"); l; l = strtok(NULL, "\n"))
		fprintf(stderr, "trampbench: %s\n", l);
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

		ret = tb_perfcheck(o.perf_control, m.events, m.nevents,
				   m.level, &lp, 0.5);
		return ret ? 1 : 0;
	}
	freq_start = m.freq;
	if (tb_calibration_sanity(&m, m.not_cycles, sizeof(m.not_cycles)))
		fprintf(stderr,
			"trampbench: warning: these cycles are no core's: %s\n",
			m.not_cycles);
	tb_context_write(&(struct tb_context_facts){
		.version = TB_VERSION,
		.o = &o,
		.m = &m,
		.h = &h,
		.img = tb_image_current(),
	});
	tb_case_set_meter(&m);
	if (o.kernel && tb_kernel_start(&m))
		return 1;

	run = (struct tb_run_opts){ o.repetitions, o.batches };
	if (tb_calibration_register(&run, &m) ||
	    register_scenarios(&o, sel, nsel, &run) ||
	    tb_gb_register(CALIBRATION "/core_clock_drift", clock_drift_body,
			   NULL,
			   &(struct tb_gb_opts){ .manual_time = true,
						 .iterations = 1,
						 .repetitions = 1 }) ||
	    tb_gb_set_id(
		    CALIBRATION "/core_clock_drift",
		    &(struct tb_gb_id){ .scenario = CALIBRATION,
					.variant = "core_clock_drift",
					.variant_short = "core_clock_drift" }))
		return 1;
	tb_gb_for_each_registered(name_calibration, NULL);
	nrun = tb_gb_for_each_selected(NULL, NULL);
	if (nrun <= 0) {
		fprintf(stderr, "trampbench: --benchmark_filter=%s %s\n",
			tb_gb_filter(),
			nrun ? "is no regular expression (POSIX extended)"
			     : "selects no benchmark; --benchmark_list_tests=true lists them");
		return 2;
	}
	if (!o.raw_console && info == stdout)
		set_display(&m);
	tb_case_prepare();
	ret = tb_gb_run();
	if (tb_case_mismatches())
		fprintf(stderr,
			"trampbench: warning: %u benchmark(s) ran other instruction or branch counts than their code has: see MISMATCH labels\n",
			tb_case_mismatches());
	if (tb_case_invalid())
		fprintf(stderr,
			"trampbench: warning: %u benchmark(s) counted 0 cycles or instructions: the PMU did not count; see INVALID labels\n",
			tb_case_invalid());
	if (m.core.redone_disturbed || m.core.redone_multiplexed)
		fprintf(stderr,
			"trampbench: %lu batch(es) redone after a context switch or migration, %lu after multiplexing\n",
			m.core.redone_disturbed, m.core.redone_multiplexed);
	if (tb_gb_out_path() && ret >= 0)
		fprintf(info, "results: %s (%s mode)\n", tb_gb_out_path(),
			tb_counter_mode_name(m.mode));
	tb_meter_exit(&m);
	tb_static_calls_exit();
	tb_options_free(&o);
	return ret < 0 ? 1 : 0;
}
