// SPDX-License-Identifier: GPL-2.0
/* trampbench --check, --list-cpus, --list-events; see machine.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cpu_hygiene.h"
#include "cpu_model.h"
#include "machine.h"
#include "meter.h"
#include "perf_group.h"
#include "pmu_events.h"
#include "static_call.h"
#include "sysfs.h"

static bool live(const char *root)
{
	return !root || !*root;
}

int tb_root_verify(const char *root)
{
	static const char *const need[] = { "sys/devices/system/cpu/online",
					    "proc/cpuinfo" };
	char path[4096], missing[128] = "";

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, need[i]);
		if (access(path, R_OK))
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), "%sno %s",
				 missing[0] ? ", " : "", need[i]);
	}
	if (!missing[0])
		return 0;
	fprintf(stderr,
		"trampbench: --root %s: %s: not a recorded tree of /sys and /proc (see tests/fixtures/)\n",
		root, missing);
	return -1;
}

/* --cpu of @root: given and online, else the default CPU; -1 if bad. */
static int pick_cpu(const char *root, const char *arg)
{
	cpu_set_t online;
	char *end;
	long cpu;

	if (!arg)
		return tb_cpu_default(root);
	cpu = strtol(arg, &end, 10);
	if (*end || end == arg || cpu < 0 || cpu >= CPU_SETSIZE ||
	    tb_cpus_online(root, &online) < 0 || !CPU_ISSET(cpu, &online)) {
		char list[128] = "?";

		if (tb_cpus_online(root, &online) > 0)
			tb_cpulist_format(&online, list, sizeof(list));
		fprintf(stderr,
			"trampbench: --cpu %s: not an online CPU (valid: %s)\n",
			arg, list);
		return -1;
	}
	return (int)cpu;
}

static void pmu_line(const struct tb_cpu_model *m, FILE *out)
{
	if (!m->pmu.name[0]) {
		fprintf(out,
			"pmu:           none in /sys/bus/event_source/devices\n");
		return;
	}
	fprintf(out, "pmu:           %s (type %d, cpus %s)", m->pmu.name,
		m->pmu.type, m->pmu.cpus[0] ? m->pmu.cpus : "all");
	if (m->nr_core_pmus > 1)
		fprintf(out, ", one of %d core PMUs", m->nr_core_pmus);
	fprintf(out, "\n");
	if (m->pmu.ncodes >= 0)
		fprintf(out, "pmu events:    %d raw events listed in sysfs\n",
			m->pmu.ncodes);
	if (m->pmu.caps[0])
		fprintf(out, "pmu caps:      %s\n", m->pmu.caps);
}

/* Each role: the event that counts it here, or why none does. */
static int roles(const struct tb_cpu_model *m, FILE *out)
{
	int missing = 0;

	fprintf(out, "roles:\n");
	for (int r = TB_ROLE_NONE + 1; r < TB_NR_ROLES; r++) {
		const struct tb_event_row *e = tb_event_row_role(m, r, false);
		const struct tb_event_row *any = tb_event_row_role(m, r, true);

		fprintf(out, "  %-20s ", tb_role_name(r));
		if (e && e->has_code && !tb_event_supported(m, e->code)) {
			fprintf(out, "unavailable: no %s on PMU %s", e->name,
				m->pmu.name);
			if (e->instead)
				fprintf(out, "; use %s", e->instead);
			missing += r == TB_ROLE_CYCLES;
		} else if (e) {
			fprintf(out, "%s", e->name);
			if (e->has_code)
				fprintf(out, " (0x%02llx)",
					(unsigned long long)e->code);
		} else if (any) {
			fprintf(out, "unavailable: %s: %s", any->name,
				any->notes ? any->notes : "avoid");
		} else {
			fprintf(out, "unavailable: no event in table %s",
				m->table);
			missing += r == TB_ROLE_CYCLES;
		}
		fprintf(out, "\n");
	}
	return missing;
}

/* 0..2 lets a user count their own user-space code (perf_event_open(2)) */
static int paranoid(const char *root, FILE *out)
{
	char line[32];
	int v;

	if (tb_read_line(root, "/proc/sys/kernel/perf_event_paranoid", line,
			 sizeof(line))) {
		fprintf(out,
			"perf_event_paranoid: unknown (no /proc/sys/kernel/perf_event_paranoid)\n");
		return 0;
	}
	v = atoi(line);
	if (v <= 2)
		fprintf(out,
			"perf_event_paranoid: %d (user-space counting allowed)\n",
			v);
	else if (live(root) && geteuid() == 0)
		/* Debian's CONFIG_SECURITY_PERF_EVENTS_RESTRICT: 3 by default */
		fprintf(out,
			"perf_event_paranoid: %d (counting allowed to root only, which this is; for other users: sudo sysctl kernel.perf_event_paranoid=2)\n",
			v);
	else
		fprintf(out,
			"perf_event_paranoid: %d (counting refused; fix: sudo sysctl kernel.perf_event_paranoid=2)\n",
			v);
	return v <= 2 || (live(root) && geteuid() == 0) ? 0 : -EACCES;
}

static void user_access(const char *root, const struct tb_cpu_model *m,
			FILE *out)
{
	char line[32], rdpmc[128];

	/* arm64: a sysctl (Linux 5.17); x86: the PMU's rdpmc file */
	snprintf(rdpmc, sizeof(rdpmc), "/sys/bus/event_source/devices/%s/rdpmc",
		 m->pmu.name);
	if (!tb_read_line(root, "/proc/sys/kernel/perf_user_access", line,
			  sizeof(line)))
		fprintf(out, "perf_user_access: %s (%s)\n", line,
			atoi(line)
				? "counters read from user space with mrs"
				: "counters read with read(); sudo sysctl kernel.perf_user_access=1 lets mrs read them");
	else if (m->pmu.name[0] &&
		 !tb_read_line(root, rdpmc, line, sizeof(line)))
		fprintf(out, "rdpmc:         %s (%s)\n", line,
			atoi(line)
				? "counters read from user space with rdpmc"
				: "counters read with read(); echo 1 | sudo tee the PMU's rdpmc file");
	else
		fprintf(out,
			"perf_user_access: not offered (counters read with read())\n");
}

static void topology(const char *root, int cpu, FILE *out)
{
	char path[128], line[128];

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list",
		 cpu);
	if (tb_read_line(root, path, line, sizeof(line)))
		snprintf(line, sizeof(line), "unknown");
	fprintf(out, "smt siblings:  %s%s\n", line,
		strchr(line, ',') || strchr(line, '-')
			? " (keep the sibling idle while measuring)"
			: "");
	if (tb_read_line(root, "/sys/devices/system/cpu/isolated", line,
			 sizeof(line)) ||
	    !line[0])
		snprintf(line, sizeof(line), "none");
	fprintf(out, "isolated cpus: %s\n", line);
}

/* Patch mode, BTI and timer belong to this process, not to a tree. */
static void process(const char *root, FILE *out)
{
	struct tb_image *img;

	if (!live(root)) {
		fprintf(out,
			"patch mode, bti, timer: of this process, not of %s: run --check there\n",
			root);
		return;
	}
	if (tb_static_calls_init()) {
		fprintf(out,
			"patch mode:    none: the code image could not be set up\n");
	} else {
		img = tb_image_current();
		fprintf(out, "patch mode:    %s\n",
			tb_patch_mode_name(img->mode));
		fprintf(out, "bti:           %s\n",
			img->bti ? "text BTI-guarded" : "not BTI-guarded");
	}
	fprintf(out, "timer:         %s at %.6f MHz\n", tb_timer_name(),
		tb_timer_freq() / 1e6);
}

int tb_machine_show(const char *root, const char *cpu_arg, FILE *out)
{
	struct tb_cpu_model m;
	struct tb_emulation emu;
	char gov[64], notes[TB_EVENT_NOTES_MAX], err[TB_PERF_MSG_MAX];
	struct tb_event evs[TB_MAX_EVENTS];
	const char *mode, *why = "";
	int cpu = pick_cpu(root, cpu_arg), n, nocycles, perm;

	if (cpu < 0)
		return 2;
	tb_pmu_init();
	tb_cpu_identify(root, cpu, &m);
	tb_emulation_detect(root, &m, &emu);
	fprintf(out, "machine:       %s\n", live(root) ? "this one" : root);
	if (emu.kind != TB_EMU_NONE)
		fprintf(out, "emulated:      %s: %s\n",
			tb_emulator_name(emu.kind), emu.why);
	fprintf(out, "cpu:           %d%s\n", cpu,
		cpu_arg ? "" : " (the last of the fastest core type)");
	fprintf(out, "core:          %s (%s)%s", m.name, m.core_type,
		m.known ? "" : ": not in harness/data/cores.tsv");
	if (m.midr)
		fprintf(out, ", MIDR 0x%08llx", (unsigned long long)m.midr);
	else if (m.vendor[0])
		fprintf(out, ", %s family 0x%x model 0x%x", m.vendor, m.family,
			m.model);
	fprintf(out, " from %s\n", m.source);
	pmu_line(&m, out);
	fprintf(out, "libpfm4 model: %s\n",
		m.pfm_pmu ? m.pfm_pmu
			  : "none (names from harness/data/events.tsv)");
	nocycles = roles(&m, out);
	n = tb_events_select(&m, tb_events_default(&m), evs, TB_MAX_EVENTS,
			     notes, sizeof(notes), err, sizeof(err));
	fprintf(out, "default events:");
	for (int i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : " ", evs[i].name);
	fprintf(out, "%s%s\n", n < 0 ? " none: " : "", n < 0 ? err : "");
	for (char *l = strtok(notes, "\n"); l; l = strtok(NULL, "\n"))
		fprintf(out, "  %s\n", l);
	perm = paranoid(root, out);
	user_access(root, &m, out);
	tb_cpu_governor(root, cpu, gov, sizeof(gov));
	fprintf(out, "governor:      %s%s\n", gov,
		strcmp(gov, "performance") && strncmp(gov, "unknown", 7)
			? " (fix: sudo cpupower -c all frequency-set -g performance)"
			: "");
	topology(root, cpu, out);
	process(root, out);

	/* the counter mode a run will take */
	if (emu.kind == TB_EMU_QEMU_USER) {
		mode = "emulated";
		why = "under qemu-user: the emulator, not a CPU, is timed";
	} else if (live(root) && !tb_perf_pmu_present(TB_LEVEL_USER)) {
		mode = "timer";
		why = perm ? "perf_event_paranoid refuses counting"
			   : "no hardware PMU here (a VM?)";
	} else if (!m.pmu.name[0] && !live(root)) {
		mode = "timer";
		why = "no core PMU in sysfs";
	} else if (perm) {
		mode = "timer";
		why = "perf_event_paranoid refuses counting";
	} else if (nocycles || n <= 0) {
		mode = "timer";
		why = "the PMU counts no cycles event trampbench knows";
	} else {
		mode = "pmu";
	}
	fprintf(out, "counter mode:  %s%s%s\n", mode, *why ? ": " : "", why);
	fprintf(out, "verdict:       %s%s\n",
		strcmp(mode, "pmu") ? "not ready for a pmu-mode run (see above)"
				    : "ready for a pmu-mode run",
		emu.kind == TB_EMU_NONE ? "" :
		", EMULATED: the emulator's counts and times, not a core's");
	return strcmp(mode, "pmu") ? 1 : 0;
}

int tb_list_cpus(const char *root, FILE *out)
{
	struct tb_core_type t[TB_MAX_CORE_TYPES];
	int n = tb_cpu_core_types(root, t, TB_MAX_CORE_TYPES);

	if (n < 0) {
		fprintf(stderr,
			"trampbench: cannot read the CPU topology: %s\n",
			strerror(-n));
		return 1;
	}
	for (int i = 0; i < n; i++)
		fprintf(out, "%-28s cpus %-12s pmu %-22s (--cpu %d)\n",
			t[i].model.core_type, t[i].cpus,
			t[i].model.pmu.name[0] ? t[i].model.pmu.name : "none",
			t[i].cpu);
	return 0;
}

int tb_list_events(const char *root, const char *cpu_arg, const char *events,
		   FILE *out)
{
	struct tb_cpu_model m;
	struct tb_event evs[TB_MAX_EVENTS];
	char err[TB_PERF_MSG_MAX], notes[TB_EVENT_NOTES_MAX];
	int cpu = live(root) && !cpu_arg ? sched_getcpu()
					 : pick_cpu(root, cpu_arg),
	    n;

	if (cpu < 0)
		return 2;
	tb_pmu_init();
	tb_cpu_identify(root, cpu, &m);
	n = tb_events_select(&m, events ? events : tb_events_default(&m), evs,
			     TB_MAX_EVENTS, notes, sizeof(notes), err,
			     sizeof(err));
	if (n < 0) {
		fprintf(stderr, "trampbench: %s\n", err);
		return 2;
	}
	fprintf(out, "core: %s (%s) on cpu %d; PMU %s", m.name, m.core_type,
		cpu, m.pmu.name[0] ? m.pmu.name : "none");
	if (m.pmu.type >= 0)
		fprintf(out, " (type %d)", m.pmu.type);
	/* on this machine, say which model libpfm4 runs; a tree has none */
	fprintf(out, "; libpfm4 PMU: %s\n",
		live(root) && tb_pmu_core() ? tb_pmu_core() : "none");
	for (int i = 0; i < n; i++)
		fprintf(out, "  %-24s %-14s type %u config 0x%llx\n",
			evs[i].name, evs[i].pmu, evs[i].attr.type,
			(unsigned long long)evs[i].attr.config);
	fprintf(out, "roles:");
	for (int i = 0; i < n; i++)
		if (evs[i].role != TB_ROLE_NONE)
			fprintf(out, " %s=%s", tb_role_name(evs[i].role),
				evs[i].name);
	fprintf(out, "\n");
	for (char *l = strtok(notes, "\n"); l; l = strtok(NULL, "\n"))
		fprintf(out, "%s\n", l);
	return 0;
}
