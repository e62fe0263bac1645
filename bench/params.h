/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A case's parameters as values: what its scenario made it with (n = 64,
 * order rr, ...), kept as fields until printed into its name
 * ("n:64/order:rr/spacing:packed"), so that no one parses them back.
 */
#ifndef TB_PARAMS_H
#define TB_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#define TB_MAX_PARAM_FIELDS 4

struct tb_param {
	const char *name;  /* "n", "order", "loop" */
	const char *word;  /* the value as a word ("rr"); NULL: num is */
	unsigned long num; /* the value as a number */
	/* Printed as the value alone ("lat"), not as name:value. */
	bool bare;
	/* Left out of the printed form (hot's shift 0, cold's call sample). */
	bool hidden;
};

struct tb_params {
	unsigned int n;
	struct tb_param p[TB_MAX_PARAM_FIELDS];
};

/*
 * The printed form: the fields not hidden, '/'-separated, each
 * name:value or (bare) value alone; "" for none.  Returns @buf.
 */
char *tb_params_format(const struct tb_params *ps, char *buf, size_t len);

/* The field called @name, or NULL. */
const struct tb_param *tb_params_get(const struct tb_params *ps,
				     const char *name);

/* Field @name's number, or @dflt where there is none. */
unsigned long tb_params_num(const struct tb_params *ps, const char *name,
			    unsigned long dflt);

/* Is field @name the word @word? */
bool tb_params_is(const struct tb_params *ps, const char *name,
		  const char *word);

#endif
