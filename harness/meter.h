/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measuring core: runs a pair of generated loops that differ only in
 * how many calls one pass makes (N and 2N), and reports per call the
 * difference of the two, so the loop, the harness and the timer or
 * counter reads cancel out (the method of nanoBench and llvm-exegesis).
 * Counts come from the PMU where the kernel gives one, else from the
 * architectural timer with core cycles estimated by the add-chain
 * calibration; every result says which.
 *
 * Nothing here needs more than the loops and a way to read counters, so
 * the same core can later run inside a kernel module.
 */
#ifndef TB_METER_H
#define TB_METER_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "cpu_model.h"
#include "perf_group.h"
#include "pmu_events.h"

/* How the numbers were produced; printed and saved with every result. */
enum tb_counter_mode {
	TB_MODE_PMU,      /* hardware counters */
	TB_MODE_TIMER,    /* architectural timer, cycles from calibration */
	TB_MODE_EMULATED, /* timer under an emulator: not the CPU's timing */
};

const char *tb_counter_mode_name(enum tb_counter_mode mode);

/* Two loops, `items` and 2 * `items` calls per pass: void f(passes). */
struct tb_loop_pair {
	void (*one)(uint64_t passes);
	void (*two)(uint64_t passes);
	unsigned int items;
};

/* How the difference of the loops is taken, for the results. */
#define TB_METHOD "difference of N and 2N unrolled calls per pass"

/* A batch is measured again this often at most when disturbed. */
#define TB_METER_TRIES 50

struct tb_meter {
	enum tb_counter_mode mode;
	char why[TB_PERF_MSG_MAX]; /* why not PMU mode, one line */
	struct tb_cpu_model cpu;
	struct tb_event events[TB_MAX_EVENTS];
	int nevents;
	struct tb_perf_set perf;
	bool counting; /* perf groups open (hardware or software events) */
	bool hw;       /* ... and at least one is a hardware event */
	struct tb_disturb disturb;
	struct tb_core_freq freq; /* calibration at start */
	unsigned long redone_disturbed, redone_multiplexed;
};

/* One batch, per call. */
struct tb_sample {
	double ticks;                 /* timer ticks */
	double value[TB_MAX_EVENTS];  /* PMU mode: each event */
	enum tb_read_path path;       /* how the counters were read */
	unsigned int redone;          /* times measured again */
};

/*
 * Set up for cpu: calibrate the core clock, encode events (NULL: the
 * core's default set; "none": timer only) and open them.  An unknown event is an error
 * (-EINVAL, message in m->why); no PMU (VM, emulator, permissions) falls
 * back to timer mode with m->why saying why.  Returns 0 or -errno.
 */
int tb_meter_init(struct tb_meter *m, const struct tb_cpu_model *cpu,
		  const char *events);
void tb_meter_exit(struct tb_meter *m);

/*
 * Measure passes of both loops, with each counter group in turn; redo a
 * batch that was multiplexed, or disturbed by a context switch or
 * migration.  Returns 0, or -EAGAIN after TB_METER_TRIES disturbed tries.
 */
int tb_meter_measure(struct tb_meter *m, const struct tb_loop_pair *lp,
		     uint64_t passes, struct tb_sample *s);

/* Cycles per call of a sample: the PMU's, else from the timer. */
double tb_sample_cycles(const struct tb_meter *m, const struct tb_sample *s);

/* Index of the event counting name (e.g. "cycles", "CPU_CYCLES"), or -1. */
int tb_meter_event(const struct tb_meter *m, const char *const *names);

/* Is this process running under an emulator (qemu-user)? */
bool tb_running_emulated(void);

#endif
