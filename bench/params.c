// SPDX-License-Identifier: GPL-2.0
/* A case's parameters as values; see params.h. */
#include <stdio.h>
#include <string.h>

#include "params.h"

char *tb_params_format(const struct tb_params *ps, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		*buf = '\0';
	for (unsigned int i = 0; i < ps->n && off < len; i++) {
		const struct tb_param *p = &ps->p[i];
		const char *sep = off ? "/" : "";
		int k;

		if (p->hidden)
			continue;
		if (p->word)
			k = snprintf(buf + off, len - off, "%s%s%s%s", sep,
				     p->bare ? "" : p->name,
				     p->bare ? "" : ":", p->word);
		else
			k = snprintf(buf + off, len - off, "%s%s%s%lu", sep,
				     p->bare ? "" : p->name,
				     p->bare ? "" : ":", p->num);
		off += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

const struct tb_param *tb_params_get(const struct tb_params *ps,
				     const char *name)
{
	for (unsigned int i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].name, name))
			return &ps->p[i];
	return NULL;
}

unsigned long tb_params_num(const struct tb_params *ps, const char *name,
			    unsigned long dflt)
{
	const struct tb_param *p = tb_params_get(ps, name);

	return p && !p->word ? p->num : dflt;
}

bool tb_params_is(const struct tb_params *ps, const char *name,
		  const char *word)
{
	const struct tb_param *p = tb_params_get(ps, name);

	return p && p->word && !strcmp(p->word, word);
}
