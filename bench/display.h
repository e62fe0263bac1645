/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal display while trampbench runs: a compact table per
 * scenario in place of Google Benchmark's console rows.  A scenario's
 * table (header and rows, sorted by parameters, then variant, in the
 * order of registration) is printed once all its selected benchmarks
 * finished, whatever order random interleaving ran them in; a row is
 * the variant spec (knobs left at the design's defaults left out: the
 * id's variant_short), the parameters, the median cycles per call with the
 * min..max over the repetitions, and, where counted, mispredicts and L1I
 * refills per call; or why the benchmark was skipped.  Within 80 columns.
 *
 * Benchmarks are grouped and labelled by their parts (struct
 * tb_gb_id, gbench.h), never by taking their names apart.  Google
 * Benchmark's own console stays behind --raw-console; JSON and CSV on
 * stdout are left to it.
 */
#ifndef TB_DISPLAY_H
#define TB_DISPLAY_H

#include <stddef.h>
#include <stdio.h>

#include "gbench.h"

struct tb_display_opts {
	FILE *out;
	const char *mode;		/* "pmu", "timer", "emulated" */
	/* what emulates the CPU ("qemu-user", ...), NULL or "" for none */
	const char *emulator;
	/* keys of the counters of these roles in each row, or NULL */
	const char *mispredicts;
	const char *l1i_refill;
	/* take the progress line away before printing, draw it after */
	void (*hide)(void);
	void (*show)(void);
};

/*
 * tb_display_setup - the display's hooks, for tb_gb_set_display();
 * @o is copied.  Everything collected before is dropped.
 */
const struct tb_gb_display *tb_display_setup(const struct tb_display_opts *o);

#endif /* TB_DISPLAY_H */
