// SPDX-License-Identifier: GPL-2.0
/*
 * The compact terminal table, one per scenario.  See display.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"

#define WIDTH 80
#define CYC_W 9		/* "  1234.56" */
#define SPREAD_W 17	/* "  1234.56..1240.00" */
#define MIS_W 9
#define L1I_W 12

struct row {
	unsigned int seq;	/* order of selection */
	char name[192];		/* the benchmark's, as registered */
	char variant[96], params[96];
	bool done;
	unsigned int nreps;	/* repetitions measured */
	double median, min, max; /* cycles per call; NAN if none */
	double mispred, l1i;	/* per call, medians; NAN if not counted */
	char *text;		/* in place of the numbers, or NULL */
	char *note;		/* a line under the row, or NULL */
	bool printed;
};

struct scenario {
	char name[64];
	struct row *rows;
	unsigned int nrows, cap;
	bool printed;		/* its table was printed once */
};

static struct tb_display_opts opts;
static struct scenario *scns;
static unsigned int nscns;
static unsigned int seq;

static void drop_all(void)
{
	for (unsigned int i = 0; i < nscns; i++) {
		for (unsigned int j = 0; j < scns[i].nrows; j++) {
			free(scns[i].rows[j].text);
			free(scns[i].rows[j].note);
		}
		free(scns[i].rows);
	}
	free(scns);
	scns = NULL;
	nscns = 0;
	seq = 0;
}

static struct scenario *scenario_of(const char *scn, bool add)
{
	struct scenario *s;

	for (unsigned int i = 0; i < nscns; i++)
		if (!strcmp(scns[i].name, scn))
			return &scns[i];
	if (!add)
		return NULL;
	s = realloc(scns, (nscns + 1) * sizeof(*scns));
	if (!s)
		return NULL;
	scns = s;
	s = &scns[nscns++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", scn);
	return s;
}

/*
 * The parts of benchmark @name: @id, or for one without (never in
 * trampbench, whose benchmarks all have theirs) a table of its own
 * under its full name.
 */
static const struct tb_gb_id *parts(const char *name, const struct tb_gb_id *id,
				    struct tb_gb_id *none)
{
	if (id)
		return id;
	*none = (struct tb_gb_id){ .scenario = name,
				   .variant = "",
				   .variant_short = "" };
	return none;
}

/* The row's variant and parameters, as its table shows them. */
static void print_parts(const struct tb_gb_id *id, struct row *r)
{
	size_t n = 0;

	snprintf(r->variant, sizeof(r->variant), "%s", id->variant_short);
	r->params[0] = '\0';
	for (unsigned int i = 0; i < id->nparams && n < sizeof(r->params);
	     i++) {
		const struct tb_gb_param *p = &id->params[i];

		n += snprintf(r->params + n, sizeof(r->params) - n, "%s%s%s%s",
			      i ? "/" : "", p->name, p->value ? ":" : "",
			      p->value ? p->value : "");
	}
}

static struct row *row_add(struct scenario *s, const char *name,
			   const struct tb_gb_id *id)
{
	struct row *r;

	if (s->nrows == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 16;

		r = realloc(s->rows, cap * sizeof(*r));
		if (!r)
			return NULL;
		s->rows = r;
		s->cap = cap;
	}
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof(*r));
	r->seq = seq++;
	r->median = r->min = r->max = r->mispred = r->l1i = NAN;
	snprintf(r->name, sizeof(r->name), "%s", name);
	print_parts(id, r);
	return r;
}

static void on_selected(const char *name, const struct tb_gb_id *id, void *arg)
{
	struct tb_gb_id none;
	struct scenario *s;

	(void)arg;
	id = parts(name, id, &none);
	s = scenario_of(id->scenario, true);
	if (s)
		row_add(s, name, id);
}

static const double *counter(const struct tb_gb_row *r, const char *key)
{
	if (!key)
		return NULL;
	for (unsigned int i = 0; i < r->ncounters; i++)
		if (!strcmp(r->counters[i].name, key))
			return &r->counters[i].value;
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorted in place), NAN for none. */
static double median(double *v, unsigned int n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The median over the repetitions of counter @key, or, with none, the
 * aggregate median's; NAN if not there.  *@min, *@max when not NULL.
 */
static double over_reps(const struct tb_gb_result *res, const char *key,
			double *v, double *min, double *max)
{
	unsigned int n = 0;
	double m = NAN;

	for (unsigned int i = 0; i < res->nrows; i++) {
		const struct tb_gb_row *r = &res->rows[i];
		const double *c = counter(r, key);

		if (!c)
			continue;
		if (!r->aggregate && !r->error)
			v[n++] = *c;
		else if (r->aggregate && !strcmp(r->aggregate, "median"))
			m = *c;
	}
	if (n) {
		m = median(v, n);
		if (min)
			*min = v[0];
		if (max)
			*max = v[n - 1];
	}
	return m;
}

static char *dup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *dup_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

/* A row's figures from a finished benchmark. */
static void fill(struct row *w, const struct tb_gb_result *res)
{
	double *v = calloc(res->nrows + 1, sizeof(*v));
	const struct tb_gb_row *first = NULL, *err = NULL;
	unsigned int nerr = 0;
	const double *a, *b, *d;
	const char *bad;
	double pen;

	w->done = true;
	if (!v)
		return;
	for (unsigned int i = 0; i < res->nrows; i++) {
		const struct tb_gb_row *r = &res->rows[i];

		if (r->aggregate)
			continue;
		if (r->error) {
			nerr++;
			err = err ? err : r;
		} else {
			w->nreps++;
			first = first ? first : r;
		}
	}
	if (!first && err) {
		w->text = dup_printf("skipped: %s", err->error_message);
		goto out;
	}
	if (!first) /* aggregates alone (--benchmark_display_aggregates_only) */
		for (unsigned int i = 0; i < res->nrows && !first; i++)
			if (res->rows[i].aggregate &&
			    !strcmp(res->rows[i].aggregate, "median"))
				first = &res->rows[i];
	if (!first)
		goto out;
	w->median = over_reps(res, "cycles", v, &w->min, &w->max);
	w->mispred = over_reps(res, opts.mispredicts, v, NULL, NULL);
	w->l1i = over_reps(res, opts.l1i_refill, v, NULL, NULL);
	a = counter(first, "core_ghz_start");
	b = counter(first, "core_ghz_end");
	d = counter(first, "drift_pct");
	if (isnan(w->median) && a && b && d)
		w->text = dup_printf("core clock %.3f -> %.3f GHz (%+.2f%%)",
				     *a, *b, *d);
	/* What the label flags: a count the code cannot have, a dead PMU. */
	bad = strstr(first->label, "MISMATCH");
	if (!bad)
		bad = strstr(first->label, "INVALID");
	if (bad)
		w->note = strdup(bad);
	else if (!isnan(pen = over_reps(res, "mispredict_penalty", v, NULL,
					 NULL)))
		w->note = dup_printf("mispredict penalty %.1f cycles", pen);
	else if (nerr)
		w->note = dup_printf("%u of %u repetitions failed: %s", nerr,
				     nerr + w->nreps, err->error_message);
out:
	free(v);
}

/* Up to 9 characters: 2 decimals, none from 10000 on. */
static void fmt_num(char *buf, size_t len, double v, int decimals)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 10000)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 100)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.*f", decimals, v);
}

/* Rank of a row: parameters in the order first seen, then variants. */
static struct scenario *sort_scn;

static unsigned int first_seen(const struct scenario *s, const char *what,
			       size_t off)
{
	unsigned int best = ~0u;

	for (unsigned int i = 0; i < s->nrows; i++)
		if (!strcmp((const char *)&s->rows[i] + off, what) &&
		    s->rows[i].seq < best)
			best = s->rows[i].seq;
	return best;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	unsigned int x, y;

	x = first_seen(sort_scn, a->params, offsetof(struct row, params));
	y = first_seen(sort_scn, b->params, offsetof(struct row, params));
	if (x != y)
		return x < y ? -1 : 1;
	x = first_seen(sort_scn, a->variant, offsetof(struct row, variant));
	y = first_seen(sort_scn, b->variant, offsetof(struct row, variant));
	if (x != y)
		return x < y ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* @text from column @col, wrapped at WIDTH, later lines from @indent. */
static void put_wrapped(FILE *f, const char *text, int col, int indent)
{
	while (*text) {
		int room = WIDTH - col;
		int n = (int)strlen(text);

		if (n > room) {
			int cut = room;

			while (cut > room / 2 && text[cut] != ' ')
				cut--;
			if (text[cut] != ' ')
				cut = room;
			n = cut;
		}
		fprintf(f, "%.*s\n", n, text);
		text += n;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(f, "%*s", indent, "");
		col = indent;
	}
}

static const char *mode_words(void)
{
	static char buf[128];
	const char *emu = opts.emulator && *opts.emulator ? opts.emulator :
							    "qemu-user";

	if (!strcmp(opts.mode, "emulated")) {
		snprintf(buf, sizeof(buf), "EMULATED under %s", emu);
		return buf;
	}
	if (opts.emulator && *opts.emulator) {
		/* an emulated PMU counts the emulator, not a core */
		snprintf(buf, sizeof(buf), "%s mode, EMULATED under %s",
			 opts.mode, emu);
		return buf;
	}
	return !strcmp(opts.mode, "timer") ? "timer mode, no PMU" :
	       !strcmp(opts.mode, "pmu")   ? "pmu mode" :
					     opts.mode;
}

/* The rows of @s not printed yet that are done, as a table. */
static void print_table(struct scenario *s, bool final)
{
	FILE *f = opts.out;
	unsigned int n = 0, done = 0, reps = 0;
	bool mis = false, l1i = false, spread = false;
	int pw = 0, vw = 7, names, numw;
	char head[256];

	for (unsigned int i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];

		done += r->done;
		if (!r->done || r->printed)
			continue;
		n++;
		if (r->nreps > reps)
			reps = r->nreps;
		spread |= r->nreps > 1 && !isnan(r->min);
		mis |= !isnan(r->mispred);
		l1i |= !isnan(r->l1i);
		if ((int)strlen(r->params) > pw)
			pw = (int)strlen(r->params);
		if ((int)strlen(r->variant) > vw)
			vw = (int)strlen(r->variant);
	}
	if (!n)
		return;
	if (pw && pw < 6)
		pw = 6;
	numw = CYC_W + (spread ? SPREAD_W : 0) + (mis ? MIS_W : 0) +
	       (l1i ? L1I_W : 0);
	/* Too wide: such rows put their names on a line of their own. */
	if (2 + pw + (pw ? 2 : 0) + vw + numw > WIDTH) {
		int room = WIDTH - numw - 2;

		if (pw && pw > room / 2)
			pw = room / 2;
		vw = room - pw - (pw ? 2 : 0);
	}
	names = 2 + pw + (pw ? 2 : 0) + vw;

	sort_scn = s;
	qsort(s->rows, s->nrows, sizeof(*s->rows), cmp_rows);
	if (opts.hide)
		opts.hide();
	snprintf(head, sizeof(head), "%s%s: median cycles per call of %u %s; %s",
		 s->name, s->printed ? ", continued" : "", reps ? reps : 1,
		 reps > 1 ? "repetitions" : "repetition", mode_words());
	fputc('\n', f);
	put_wrapped(f, head, 0, 4);
	if (final && done < s->nrows)
		fprintf(f, "  (only %u of its %u benchmarks ran)\n", done,
			s->nrows);
	fprintf(f, "  %-*s%s%-*s%*s", pw, pw ? "params" : "", pw ? "  " : "",
		vw, "variant", CYC_W, "cycles");
	if (spread)
		fprintf(f, "%*s", SPREAD_W, "min..max");
	if (mis)
		fprintf(f, "%*s", MIS_W, "mispred");
	if (l1i)
		fprintf(f, "%*s", L1I_W, "L1I refill");
	fputc('\n', f);

	for (unsigned int i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		char a[32], b[32], buf[72];

		if (!r->done || r->printed)
			continue;
		r->printed = true;
		if ((int)strlen(r->params) > pw ||
		    (int)strlen(r->variant) > vw) {
			fprintf(f, "  %s%s%s\n%*s", r->params,
				*r->params ? "  " : "", r->variant, names, "");
		} else {
			fprintf(f, "  %-*s%s%-*s", pw, r->params,
				pw ? "  " : "", vw, r->variant);
		}
		if (r->text) {
			fputs("  ", f);
			put_wrapped(f, r->text, names + 2, 6);
		} else {
			fmt_num(a, sizeof(a), r->median, 2);
			fprintf(f, "%*s", CYC_W, a);
			if (spread && r->nreps > 1 && !isnan(r->min)) {
				fmt_num(a, sizeof(a), r->min, 2);
				fmt_num(b, sizeof(b), r->max, 2);
				snprintf(buf, sizeof(buf), "%s..%s", a, b);
				fprintf(f, "%*s", SPREAD_W, buf);
			} else if (spread) {
				fprintf(f, "%*s", SPREAD_W, "");
			}
			if (mis) {
				fmt_num(a, sizeof(a), r->mispred, 3);
				fprintf(f, "%*s", MIS_W, a);
			}
			if (l1i) {
				fmt_num(a, sizeof(a), r->l1i, 3);
				fprintf(f, "%*s", L1I_W, a);
			}
			fputc('\n', f);
		}
		if (r->note) {
			fputs("      ! ", f);
			put_wrapped(f, r->note, 8, 8);
		}
	}
	s->printed = true;
	fflush(f);
	if (opts.show)
		opts.show();
}

static bool complete(const struct scenario *s)
{
	for (unsigned int i = 0; i < s->nrows; i++)
		if (!s->rows[i].done)
			return false;
	return true;
}

static void on_finished(const struct tb_gb_result *res, void *arg)
{
	struct tb_gb_id none;
	const struct tb_gb_id *id = parts(res->name, res->id, &none);
	struct scenario *s = scenario_of(id->scenario, true);
	struct row *w = NULL;

	(void)arg;
	if (!s)
		return;
	for (unsigned int i = 0; i < s->nrows && !w; i++)
		if (!s->rows[i].done && !strcmp(s->rows[i].name, res->name))
			w = &s->rows[i];
	/* One the selection did not foresee: a row of its own. */
	if (!w)
		w = row_add(s, res->name, id);
	if (!w)
		return;
	fill(w, res);
	if (complete(s))
		print_table(s, false);
}

static void on_done(void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < nscns; i++)
		print_table(&scns[i], true);
}

const struct tb_gb_display *tb_display_setup(const struct tb_display_opts *o)
{
	static struct tb_gb_display d = {
		.selected = on_selected,
		.finished = on_finished,
		.done = on_done,
	};

	drop_all();
	opts = *o;
	if (!opts.out)
		opts.out = stdout;
	if (!opts.mode)
		opts.mode = "?";
	return &d;
}
