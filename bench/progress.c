// SPDX-License-Identifier: GPL-2.0
/* The progress line; see progress.h. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static unsigned long prog_total, prog_done;
static struct timespec prog_start;
static int prog_tenth = -1;
/* The in-place line on a terminal, as last drawn ("" when none is). */
static char prog_line[128];

void tb_progress_start(unsigned long total)
{
	prog_total = total;
	clock_gettime(CLOCK_MONOTONIC, &prog_start);
}

void tb_progress_hide(void)
{
	if (prog_line[0])
		fputs("\r\033[K", stderr);
}

void tb_progress_show(void)
{
	if (prog_line[0])
		fputs(prog_line, stderr);
}

void tb_progress_step(const char *name)
{
	static int tty = -1;
	struct timespec now;
	double spent, eta;
	int tenth;

	if (!prog_total)
		return;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	prog_done++;
	clock_gettime(CLOCK_MONOTONIC, &now);
	spent = (double)(now.tv_sec - prog_start.tv_sec) +
		(double)(now.tv_nsec - prog_start.tv_nsec) / 1e9;
	eta = spent / (double)prog_done * (double)(prog_total - prog_done);
	if (tty) {
		snprintf(prog_line, sizeof(prog_line),
			 "\r\033[K[%3lu%%] %lu/%lu, ETA %um%02us: %.50s",
			 prog_done * 100 / prog_total, prog_done, prog_total,
			 (unsigned int)eta / 60, (unsigned int)eta % 60, name);
		fputs(prog_line, stderr);
		if (prog_done == prog_total) {
			fputc('\n', stderr);
			prog_line[0] = '\0';
		}
		return;
	}
	tenth = (int)(prog_done * 10 / prog_total);
	if (tenth != prog_tenth) {
		prog_tenth = tenth;
		fprintf(stderr,
			"trampbench: %3lu%% of %lu repetitions, ETA %um%02us\n",
			prog_done * 100 / prog_total, prog_total,
			(unsigned int)eta / 60, (unsigned int)eta % 60);
	}
}
