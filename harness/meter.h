/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The meter: the measuring core (harness/core/) as user space runs it.
 * The core runs a pair of generated loops that differ only in how many
 * calls one pass makes (N and 2N) and records integer ticks and counts
 * of each; the meter reports per call the difference of the two, so the
 * loop, the harness and the timer or counter reads cancel out (the
 * method of nanoBench and llvm-exegesis).  Counts come from the PMU
 * where the kernel gives one (perf_event_open() groups, the core's
 * user-space counter backend), else from the architectural timer with
 * core cycles estimated by the add-chain calibration; every result says
 * which.
 */
#ifndef TB_METER_H
#define TB_METER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "core/measure.h"
#include "cpu_model.h"
#include "emulation.h"
#include "perf_error.h"
#include "pmu_events.h"

/*
 * How the numbers were produced; printed and saved with every result.
 * Under an emulator (m->emu) every mode is the emulator's, not a core's:
 * qemu-system gives a guest a PMU, so its runs can be pmu mode too.
 */
enum tb_counter_mode {
	TB_MODE_PMU,      /* hardware counters (or an emulator's model) */
	TB_MODE_TIMER,    /* architectural timer, cycles from calibration */
	TB_MODE_EMULATED, /* timer under an emulator: not the CPU's timing */
};

const char *tb_counter_mode_name(enum tb_counter_mode mode);

/* tb_loop_fn, struct tb_loop_pair: core/measure.h */

/* How the difference of the loops is taken, for the results. */
#define TB_METHOD "difference of N and 2N unrolled calls per pass, " \
		  "in short batches; mean of the quickest quarter"

/*
 * Batch sizing (TB_BATCH_*), the warm-up (TB_WARMUP_BATCHES) and the
 * tries of a disturbed batch (TB_CORE_TRIES): core/measure.h.
 */

/* What the meter counts, and on which core. */
struct tb_meter_opts {
	const struct tb_cpu_model *cpu; /* kept, not copied */
	/* NULL: the core's default set; "none": the timer only */
	const char *events;
	enum tb_level level; /* the privilege levels counted */
};

struct tb_meter_state; /* the backends' own: perf fds, disturbance fds */

struct tb_meter {
	/* the spans, the counter backend, batches redone */
	struct tb_core core;
	enum tb_counter_mode mode;
	enum tb_level level;
	char why[TB_PERF_MSG_MAX]; /* why not PMU mode, one line */
	/* events the PMU lacks, left out: one line each, for the caller */
	char notes[TB_EVENT_NOTES_MAX];
	const struct tb_cpu_model *cpu;
	struct tb_event events[TB_MAX_EVENTS]; /* in the groups' order */
	int nevents;
	bool counting; /* perf groups open (hardware or software events) */
	bool hw;       /* ... and at least one is a hardware event */
	struct tb_meter_state *st;
	struct tb_core_freq freq; /* calibration at start */
	struct tb_emulation emu; /* what emulates this CPU, if anything */
	/*
	 * Under qemu-system -icount the cycle counter counts instructions:
	 * cycles and instructions agree exactly over any code.
	 */
	bool icount;
	/*
	 * Why the cycles measured are no core's ("" if they can be one's):
	 * the run's rows, its context and its report say so (set by
	 * tb_calibration_sanity()).
	 */
	char not_cycles[160];
};

/* One batch, per call. */
struct tb_sample {
	double total;                 /* ticks of the whole batch, as run */
	double ticks;                 /* timer ticks */
	double value[TB_MAX_EVENTS];  /* PMU mode: each event */
	/* ... and what it counted in all, both loops: 0 if it never did */
	uint64_t counted[TB_MAX_EVENTS];
	enum tb_read_path path;       /* how the counters were read */
	unsigned int redone;          /* times measured again */
};

/*
 * Set up for o->cpu: calibrate the core clock, encode the events and
 * open them at o->level.  An unknown event is an error (-EINVAL, message
 * in m->why); no PMU (VM, emulator, permissions) falls back to timer
 * mode with m->why saying why.  Events left out are in m->notes.
 * Prints nothing.  Returns 0 or -errno.
 */
int tb_meter_init(struct tb_meter *m, const struct tb_meter_opts *o);
void tb_meter_exit(struct tb_meter *m);

/*
 * Measure passes of both loops, with each counter group in turn; redo a
 * batch that was multiplexed, or disturbed by a context switch or
 * migration.  Returns 0, or -EAGAIN after TB_CORE_TRIES disturbed tries
 * (under an emulator the last try is kept).
 */
int tb_meter_measure(struct tb_meter *m, const struct tb_loop_pair *lp,
		     uint64_t passes, struct tb_sample *s);

/*
 * @r, a raw batch of @lp at @passes (measured here by the core, or in a
 * kernel module), per call: its ticks and, if @counted, each event of
 * the meter's; what each counted in all.
 */
void tb_meter_sample(const struct tb_meter *m, const struct tb_raw *r,
		     const struct tb_loop_pair *lp, uint64_t passes,
		     bool counted, struct tb_sample *s);

/*
 * The per-item difference of the two loops: (@two - @one) / (items x
 * passes), for timer ticks and counts alike.
 */
double tb_meter_per_item(double one, double two, const struct tb_loop_pair *lp,
			 uint64_t passes);

/* tb_meter_measure() on a stand-in for the timer (tests). */
int tb_meter_measure_on(struct tb_meter *m, const struct tb_loop_pair *lp,
			uint64_t passes, uint64_t (*now)(void),
			struct tb_sample *s);

/*
 * The same on the timer alone, for the helper pairs (clock, probe) that
 * the counter groups would only lengthen.
 */
int tb_meter_time(struct tb_meter *m, const struct tb_loop_pair *lp,
		  uint64_t passes, struct tb_sample *s);

/*
 * Passes of lp per batch, by the core's sizing rules (runs the loops).
 * The timer's quantum is measured once, on the first call.
 */
uint64_t tb_meter_passes(const struct tb_loop_pair *lp);

/* The timer's resolution in ticks: the smallest step seen between reads. */
double tb_meter_quantum(void);

/*
 * Timer-mode clock: the dependent add chain (one add per core cycle) as a
 * loop pair, and its passes per batch.  Run inside every batch, its ticks
 * per add turn that batch's ticks into cycles, so the clock is measured
 * where and when the case ran, and reduced by the same estimator.
 */
const struct tb_loop_pair *tb_meter_clock(uint64_t *passes);

/*
 * The contention probe: calls of a bare `ret` (tb_call_probe()) as a loop
 * pair, and its passes per batch.  Its cycles per call are the same on a
 * quiet core every time; more means something shares the core.
 */
const struct tb_loop_pair *tb_meter_probe(uint64_t *passes);

/*
 * What emulates this CPU, as every output names it: "qemu-user",
 * "qemu-system TCG, -icount: cycles count instructions", ...; "" for
 * none.  Returns @buf.
 */
const char *tb_meter_emulation(const struct tb_meter *m, char *buf,
			       size_t len);

/* How the counters are read (the first group's path), "read" if none. */
enum tb_read_path tb_meter_read_path(const struct tb_meter *m);

/* How disturbances are seen: tb_disturb_method_name(). */
const char *tb_meter_disturb_method(const struct tb_meter *m);

/* Index of the PMU cycles event when cycles are counted, else -1. */
int tb_meter_cycles_event(const struct tb_meter *m);

/* Index of the event of @role (from the data tables), or -1. */
int tb_meter_role(const struct tb_meter *m, enum tb_role role);

/*
 * In pmu mode, the key of @role's counter in every measured row: the
 * cycles event's is "cycles" (the cycles column), every other event's
 * its name (bench/case.c reports them so); NULL if no event has the
 * role, or outside pmu mode.
 */
const char *tb_meter_role_key(const struct tb_meter *m, enum tb_role role);

/*
 * "role=key,..." (tb_meter_role_key()) for every role an event counts,
 * in the order of enum tb_role, into @buf: the results' "event_roles";
 * "" outside pmu mode.
 */
void tb_meter_event_roles(const struct tb_meter *m, char *buf, size_t len);

/* Index of the event counting name (e.g. "cycles", "CPU_CYCLES"), or -1. */
int tb_meter_event(const struct tb_meter *m, const char *const *names);

#endif
