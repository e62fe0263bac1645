/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine as trampbench sees it: the --check screen, --list-cpus and
 * --list-events, what a user runs first on a new machine.  Each takes a
 * root prefix ("" for this machine, or a recorded tree such as
 * tests/fixtures/<machine>) and needs no PMU access to print.
 */
#ifndef TB_MACHINE_H
#define TB_MACHINE_H

#include <stdio.h>

/*
 * Is @root a recorded tree of /sys and /proc (its CPUs online and their
 * cpuinfo)?  0, or -1 with one line on stderr naming what is missing.
 */
int tb_root_verify(const char *root);

/*
 * One screen on @cpu_arg (NULL: the default CPU): core and MIDR, its PMU
 * and the event of each role, counter access, governor, SMT, isolation,
 * patch mode, BTI, timer, and the counter mode a run will use.  Returns
 * 0 when a pmu-mode run is possible, 1 when not, 2 on bad input.
 */
int tb_machine_show(const char *root, const char *cpu_arg, FILE *out);

/* The core types, their CPUs and PMU; 0 or 1. */
int tb_list_cpus(const char *root, FILE *out);

/*
 * What @events (NULL: the core's default set) encode to on @cpu_arg's
 * core, and which the PMU lacks; 0, or 2 on a bad list.
 */
int tb_list_events(const char *root, const char *cpu_arg, const char *events,
		   FILE *out);

#endif
