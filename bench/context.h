/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results file's "context": where and how the numbers were made, and
 * what the reports need to know of this build (the scenarios, designs,
 * baseline, instances as posted, the contention gate's bound), so that
 * they restate none of it.  One table (bench/context.c) names every key
 * trampbench writes and how; it also tells --benchmark_context which
 * keys are taken, with Google Benchmark's own.
 */
#ifndef TB_CONTEXT_H
#define TB_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

struct tb_options;
struct tb_meter;
struct tb_hygiene;
struct tb_image;

/*
 * The results layout as report/ knows it (key results_format): raise it
 * when a key report/ reads changes meaning or goes away.
 */
#define TB_RESULTS_FORMAT "1"

/* What the context is written from. */
struct tb_context_facts {
	const char *version; /* trampbench's (git describe) */
	const struct tb_options *o;
	const struct tb_meter *m;
	const struct tb_hygiene *h;
	const struct tb_image *img;
};

/*
 * tb_context_write - every key of the table, through
 * tb_gb_add_context(); before the run.
 */
void tb_context_write(const struct tb_context_facts *f);

/*
 * tb_context_key_ours - is the @len-character key at @key one that
 * trampbench or Google Benchmark writes (a --benchmark_context key
 * among them would stand in for the real value, or repeat a key)?
 */
bool tb_context_key_ours(const char *key, size_t len);

/*
 * tb_context_for_each_key - @fn with each key of the table as the table
 * spells it: a family's ends in '.' (scenario_about.hot, ...) or in '#'
 * (warning0, warning1, ...); @ours is false for Google Benchmark's.
 */
void tb_context_for_each_key(void (*fn)(const char *key, bool ours,
					void *arg),
			     void *arg);

#endif /* TB_CONTEXT_H */
