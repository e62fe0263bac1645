/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON parser for tests (RFC 8259: objects, arrays, strings with
 * escapes, numbers, true, false, null), so tests read JSON as JSON and
 * not by searching its text.  Tested by tests/test_json.c.  \u escapes
 * outside ASCII are kept as '?': tests compare ASCII names.
 */
#ifndef TB_JSON_H
#define TB_JSON_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tb_json_type {
	TB_JSON_NULL,
	TB_JSON_FALSE,
	TB_JSON_TRUE,
	TB_JSON_NUMBER,
	TB_JSON_STRING,
	TB_JSON_ARRAY,
	TB_JSON_OBJECT,
};

struct tb_json {
	enum tb_json_type type;
	double num;
	char *str;		/* string value */
	size_t n;		/* array / object members */
	char **keys;		/* object keys, n of them */
	struct tb_json **v;	/* members */
};

struct tb_json_parser {
	const char *p;
	const char *err;
	int depth;
};

static inline void tb_json_free(struct tb_json *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++) {
		tb_json_free(j->v[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->v);
	free(j->keys);
	free(j->str);
	free(j);
}

static inline void tb_json_ws(struct tb_json_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	       *ps->p == '\r')
		ps->p++;
}

static inline char *tb_json_string(struct tb_json_parser *ps)
{
	size_t cap = 16, len = 0;
	char *s;

	if (*ps->p != '"') {
		ps->err = "expected a string";
		return NULL;
	}
	s = malloc(cap);
	for (ps->p++; s && *ps->p != '"'; ps->p++) {
		char c = *ps->p;

		if (!c || (unsigned char)c < 0x20) {
			ps->err = "unterminated string or control character";
			free(s);
			return NULL;
		}
		if (c == '\\') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *e = strchr(from, *++ps->p);

			if (*ps->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)ps->p[i])) {
						ps->err = "bad \\u escape";
						free(s);
						return NULL;
					}
				c = (char)strtol((char[]){ ps->p[1], ps->p[2],
							   ps->p[3], ps->p[4],
							   0 },
						 NULL, 16);
				if (strncmp(ps->p + 1, "00", 2) || c & 0x80)
					c = '?';
				ps->p += 4;
			} else if (*ps->p && e) {
				c = to[e - from];
			} else {
				ps->err = "bad escape";
				free(s);
				return NULL;
			}
		}
		if (len + 2 > cap) {
			char *t = realloc(s, cap *= 2);

			if (!t)
				free(s);
			s = t;
			if (!s)
				break;
		}
		s[len++] = c;
	}
	if (!s) {
		ps->err = "out of memory";
		return NULL;
	}
	s[len] = '\0';
	ps->p++;
	return s;
}

static inline struct tb_json *tb_json_value(struct tb_json_parser *ps);

/* Members of an array or object, after its opening bracket. */
static inline bool tb_json_members(struct tb_json_parser *ps,
				   struct tb_json *j, char close)
{
	size_t cap = 0;

	tb_json_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		struct tb_json *v;

		tb_json_ws(ps);
		if (close == '}') {
			key = tb_json_string(ps);
			if (!key)
				return false;
			tb_json_ws(ps);
			if (*ps->p++ != ':') {
				ps->err = "expected ':'";
				free(key);
				return false;
			}
		}
		v = tb_json_value(ps);
		if (!v) {
			free(key);
			return false;
		}
		if (j->n == cap) {
			cap = cap ? 2 * cap : 8;
			j->v = realloc(j->v, cap * sizeof(*j->v));
			if (close == '}')
				j->keys = realloc(j->keys,
						  cap * sizeof(*j->keys));
			if (!j->v || (close == '}' && !j->keys))
				abort(); /* a test: out of memory ends it */
		}
		if (j->keys)
			j->keys[j->n] = key;
		j->v[j->n++] = v;
		tb_json_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p++ == close)
			return true;
		ps->err = close == '}' ? "expected ',' or '}'" :
					 "expected ',' or ']'";
		return false;
	}
}

static inline struct tb_json *tb_json_value(struct tb_json_parser *ps)
{
	struct tb_json *j = calloc(1, sizeof(*j));
	const char *q;

	if (!j) {
		ps->err = "out of memory";
		return NULL;
	}
	if (++ps->depth > 64) {
		ps->err = "nested too deep";
		goto fail;
	}
	tb_json_ws(ps);
	q = ps->p;
	if (*q == '{' || *q == '[') {
		j->type = *q == '{' ? TB_JSON_OBJECT : TB_JSON_ARRAY;
		ps->p++;
		if (!tb_json_members(ps, j, *q == '{' ? '}' : ']'))
			goto fail;
	} else if (*q == '"') {
		j->type = TB_JSON_STRING;
		j->str = tb_json_string(ps);
		if (!j->str)
			goto fail;
	} else if (!strncmp(q, "true", 4)) {
		j->type = TB_JSON_TRUE;
		ps->p += 4;
	} else if (!strncmp(q, "false", 5)) {
		j->type = TB_JSON_FALSE;
		ps->p += 5;
	} else if (!strncmp(q, "null", 4)) {
		j->type = TB_JSON_NULL;
		ps->p += 4;
	} else if (*q == '-' || isdigit((unsigned char)*q)) {
		/* JSON's grammar: no leading '+', '.', hex, inf or nan */
		const char *d = q + (*q == '-');
		char *end;

		if (!isdigit((unsigned char)*d) ||
		    (d[0] == '0' && isdigit((unsigned char)d[1]))) {
			ps->err = "bad number";
			goto fail;
		}
		while (isdigit((unsigned char)*d))
			d++;
		if (*d == '.' && !isdigit((unsigned char)*++d)) {
			ps->err = "bad number";
			goto fail;
		}
		j->type = TB_JSON_NUMBER;
		j->num = strtod(q, &end);
		ps->p = end;
	} else {
		ps->err = "unexpected character";
		goto fail;
	}
	ps->depth--;
	return j;
fail:
	tb_json_free(j);
	return NULL;
}

/*
 * Parse @text, one value and nothing but white space after it.  NULL on
 * error, with @err (if not NULL) saying what and at which offset.
 */
static inline struct tb_json *tb_json_parse(const char *text, char *err,
					    size_t errlen)
{
	struct tb_json_parser ps = { .p = text };
	struct tb_json *j = tb_json_value(&ps);

	if (j) {
		tb_json_ws(&ps);
		if (*ps.p) {
			ps.err = "text after the value";
			tb_json_free(j);
			j = NULL;
		}
	}
	if (!j && err && errlen)
		snprintf(err, errlen, "%s at offset %zu", ps.err,
			 (size_t)(ps.p - text));
	return j;
}

/* Member @key of object @j, or NULL (also when @j is not an object). */
static inline const struct tb_json *tb_json_get(const struct tb_json *j,
						const char *key)
{
	if (!j || j->type != TB_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		if (!strcmp(j->keys[i], key))
			return j->v[i];
	return NULL;
}

/* String member @key of @j, or NULL if absent or not a string. */
static inline const char *tb_json_str(const struct tb_json *j,
				      const char *key)
{
	const struct tb_json *v = tb_json_get(j, key);

	return v && v->type == TB_JSON_STRING ? v->str : NULL;
}

#endif
