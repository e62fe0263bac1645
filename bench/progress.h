/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The progress line on stderr: repetitions done of those the run will
 * do, and an ETA from its start; in place on a terminal, a line per
 * tenth otherwise.
 */
#ifndef TB_PROGRESS_H
#define TB_PROGRESS_H

/* Start the clock: the run will do @total repetitions (0: no line). */
void tb_progress_start(unsigned long total);

/* One repetition (or one skipped benchmark) of @name is done. */
void tb_progress_step(const char *name);

/*
 * Take the in-place line off the terminal before printing something
 * else there, and draw it again after; nothing when there is none
 * (stderr no terminal, or the run over).
 */
void tb_progress_hide(void);
void tb_progress_show(void);

#endif
