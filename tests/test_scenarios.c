// SPDX-License-Identifier: GPL-2.0
/*
 * The scenarios' code holds what it claims.
 *
 * sites: for every default instance and every generated sites loop
 * (every N, order and spacing), the loop body is decoded from its first
 * site: exactly N call sites (arm64 `bl`, indirect's `adrp x9; ldr x9;
 * blr x9`; x86 `call rel32`, indirect's `call *disp32(%rip)`), then the
 * loop's tail, so no more.  The trampolines they call are decoded too,
 * down to their literals: N distinct trampolines (where the design has
 * them), N distinct literals (where it has them), every call ending at
 * the bench target.  Round-robin calls the trampolines in ascending
 * order, random in an order that is not sorted (N >= 8) over the same
 * set; packed trampolines sit less than 64 bytes apart, line ones each
 * on a 64-byte line of its own.  Each loop then runs one pass.
 *
 * cold: for every default instance, the call stub is the timer reads
 * around exactly one call site (decoded down to the bench target through
 * the scenario key's trampoline and literal), and both controls are the
 * same bytes with that site's length of nops; each stub runs once.  Each
 * cold case evicts what its name says, by address: for code, the walk
 * and every line of the three stubs, of the trampoline's instructions
 * that run and of the target from its kCFI preamble, the literal loaded
 * warm (or flushed where it shares a line with code); for data, the
 * literal's line and nothing else; both; a control row exactly as its
 * call row; designs without a literal have no data or both case.
 *
 * flip: tb_flip_run() between two check targets, which count their
 * calls, changes the target once per pass and makes k calls after each
 * change: the targets' counts are exactly the passes' share of calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "tb_test.h"

/* The sites shape's N: 1, 2, 4 ... 4096 (variants/gen-image.py). */
#define SITES_LOG2_MAX 12
#define SITES_MAX (1u << SITES_LOG2_MAX)

/* What one call site of a sites loop was decoded to. */
struct site {
	uintptr_t tramp; /* the trampoline it calls, or 0 */
	uintptr_t tramp_end; /* past its last instruction that runs */
	uintptr_t lit; /* the literal (or pointer) it reads, or 0 */
	uintptr_t target; /* the function the call ends in */
};

struct decoded {
	struct site s[SITES_MAX];
	unsigned int n;
	char err[256];
};

static bool has_tramp(const struct tb_instance *inst)
{
	return strcmp(inst->variant, "indirect") &&
	       strcmp(inst->variant, "inline");
}

/* Has the design a literal (or pointer) per static call? */
static bool has_lit(const struct tb_instance *inst)
{
	return strcmp(inst->variant, "inline") && strcmp(inst->variant, "jmp");
}

static uint64_t read_u64(uintptr_t p)
{
	uint64_t v;

	memcpy(&v, (const void *)p, sizeof(v));
	return v;
}

#if defined(__aarch64__)
#define INSN_BTI_C 0xd503245fu
#define INSN_SUBS_X19 0xf1000673u /* subs x19, x19, #1: the loop tail */

static uint32_t insn(uintptr_t p)
{
	uint32_t w;

	memcpy(&w, (const void *)p, sizeof(w));
	return w;
}

static int64_t sext(uint64_t v, unsigned int bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* b/bl imm26; false if w is not that one (link says which). */
static bool dec_branch(uintptr_t pc, uint32_t w, bool link, uintptr_t *to)
{
	if ((w & 0xfc000000u) != (link ? 0x94000000u : 0x14000000u))
		return false;
	*to = pc + 4 * sext(w & 0x3ffffff, 26);
	return true;
}

/* adrp xd, page: the page address; false if not adrp xd. */
static bool dec_adrp(uintptr_t pc, uint32_t w, unsigned int rd, uintptr_t *to)
{
	uint64_t imm;

	if ((w & 0x9f00001fu) != (0x90000000u | rd))
		return false;
	imm = ((w >> 29) & 3) | (((w >> 5) & 0x7ffff) << 2);
	*to = (pc & ~(uintptr_t)0xfff) + (sext(imm, 21) << 12);
	return true;
}

/* ldr xt, [xn, #imm]: the offset; false if not that, with xt, xn. */
static bool dec_ldr_imm(uint32_t w, unsigned int rt, unsigned int rn,
			uintptr_t *off)
{
	if ((w & 0xffc003ffu) != (0xf9400000u | rn << 5 | rt))
		return false;
	*off = ((w >> 10) & 0xfff) * 8;
	return true;
}

/* ldr xt, <literal>: its address; false if not that. */
static bool dec_ldr_lit(uintptr_t pc, uint32_t w, unsigned int rt,
			uintptr_t *to)
{
	if ((w & 0xff00001fu) != (0x58000000u | rt))
		return false;
	*to = pc + 4 * sext((w >> 5) & 0x7ffff, 19);
	return true;
}

/* Load of x16 from the literal (cbz, tail): adrp + ldr, or ldr literal. */
static bool dec_load_x16(uintptr_t pc, uintptr_t *lit)
{
	uintptr_t page, off;

	if (dec_ldr_lit(pc, insn(pc), 16, lit))
		return true;
	if (!dec_adrp(pc, insn(pc), 16, &page) ||
	    !dec_ldr_imm(insn(pc + 4), 16, 16, &off))
		return false;
	*lit = page + off;
	return true;
}

/* A trampoline's literal and where it ends; false with err if unknown. */
static bool dec_tramp(const struct tb_instance *inst, uintptr_t t,
		      struct site *s, char *err, size_t len)
{
	uintptr_t p = t, slot;

	s->tramp = t;
	if (insn(p) == INSN_BTI_C)
		p += 4;
	if (!strcmp(inst->variant, "direct")) {
		/* <b f | nop>; ldr x16, lit: the slot must agree. */
		s->tramp_end = p + 4; /* a near call: the slot's b alone */
		if (!dec_ldr_lit(p + 4, insn(p + 4), 16, &s->lit)) {
			snprintf(err, len, "direct trampoline %#lx: no ldr x16, <lit> after the slot",
				 (unsigned long)t);
			return false;
		}
		s->target = read_u64(s->lit);
		if (dec_branch(p, insn(p), false, &slot) && slot != s->target) {
			snprintf(err, len, "direct trampoline %#lx: slot branches to %#lx, literal holds %#lx",
				 (unsigned long)t, (unsigned long)slot,
				 (unsigned long)s->target);
			return false;
		}
		return true;
	}
	if (!dec_load_x16(p, &s->lit)) {
		snprintf(err, len, "%s trampoline %#lx: no literal load (%08x)",
			 inst->variant, (unsigned long)t, insn(p));
		return false;
	}
	/* the load (one word or two), cbz's cbz, br x16 */
	s->tramp_end = p + (dec_ldr_lit(p, insn(p), 16, &slot) ? 4 : 8) +
		       (strcmp(inst->variant, "cbz") ? 4 : 8);
	s->target = read_u64(s->lit);
	return true;
}

/* One call site at p: its length, or 0 with err. */
static size_t dec_site(const struct tb_instance *inst, uintptr_t p,
		       struct site *s, char *err, size_t len)
{
	uintptr_t to, page, off;

	memset(s, 0, sizeof(*s));
	if (!strcmp(inst->variant, "indirect")) {
		/* adrp x9, ptr; ldr x9, [x9, :lo12:ptr]; blr x9 */
		if (!dec_adrp(p, insn(p), 9, &page) ||
		    !dec_ldr_imm(insn(p + 4), 9, 9, &off) ||
		    insn(p + 8) != 0xd63f0120u) {
			snprintf(err, len, "no adrp x9; ldr x9; blr x9 at %#lx",
				 (unsigned long)p);
			return 0;
		}
		s->lit = page + off;
		s->target = read_u64(s->lit);
		return 12;
	}
	if (!dec_branch(p, insn(p), true, &to)) {
		snprintf(err, len, "no bl at %#lx (%08x)", (unsigned long)p,
			 insn(p));
		return 0;
	}
	if (!strcmp(inst->variant, "inline")) {
		s->target = to;
		return 4;
	}
	return dec_tramp(inst, to, s, err, len) ? 4 : 0;
}

/* The loop's tail follows: subs x19, x19, #1; b.ne body. */
static bool loop_tail(uintptr_t p, uintptr_t body)
{
	uint32_t w = insn(p + 4);

	return insn(p) == INSN_SUBS_X19 && (w & 0xff00001fu) == 0x54000001u &&
	       p + 4 + 4 * sext((w >> 5) & 0x7ffff, 19) == body;
}
#elif defined(__x86_64__)
static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };

static int32_t rel32(uintptr_t p)
{
	int32_t v;

	memcpy(&v, (const void *)p, sizeof(v));
	return v;
}

static const uint8_t *bytes(uintptr_t p)
{
	return (const uint8_t *)p;
}

static bool dec_tramp(const struct tb_instance *inst, uintptr_t t,
		      struct site *s, char *err, size_t len)
{
	const uint8_t *b;
	uintptr_t p = t;

	s->tramp = t;
	if (!memcmp(bytes(p), endbr64, sizeof(endbr64)))
		p += sizeof(endbr64);
	b = bytes(p);
	if (!strcmp(inst->variant, "jmp") && b[0] == 0xe9) {
		s->target = p + 5 + rel32(p + 1); /* jmp.d32: no literal */
		s->tramp_end = p + 5;
		return true;
	}
	if (!strcmp(inst->variant, "cbz") && b[0] == 0x48 && b[1] == 0x8b &&
	    b[2] == 0x05) { /* movq lit(%rip), %rax */
		s->lit = p + 7 + rel32(p + 3);
		s->target = read_u64(s->lit);
		/* then testq (3), jz (2), jmp *%rax (2) */
		s->tramp_end = p + 14;
		return true;
	}
	if (!strcmp(inst->variant, "tail") && b[0] == 0xff && b[1] == 0x25) {
		s->lit = p + 6 + rel32(p + 2); /* jmp *lit(%rip) */
		s->target = read_u64(s->lit);
		s->tramp_end = p + 6;
		return true;
	}
	snprintf(err, len, "%s trampoline %#lx: unknown sequence %02x %02x %02x",
		 inst->variant, (unsigned long)t, b[0], b[1], b[2]);
	return false;
}

static size_t dec_site(const struct tb_instance *inst, uintptr_t p,
		       struct site *s, char *err, size_t len)
{
	const uint8_t *b = bytes(p);
	uintptr_t to;

	memset(s, 0, sizeof(*s));
	if (!strcmp(inst->variant, "indirect")) {
		if (b[0] != 0xff || b[1] != 0x15) { /* call *ptr(%rip) */
			snprintf(err, len, "no call *disp32(%%rip) at %#lx",
				 (unsigned long)p);
			return 0;
		}
		s->lit = p + 6 + rel32(p + 2);
		s->target = read_u64(s->lit);
		return 6;
	}
	if (b[0] != 0xe8) {
		snprintf(err, len, "no call rel32 at %#lx (%02x)",
			 (unsigned long)p, b[0]);
		return 0;
	}
	to = p + 5 + rel32(p + 1);
	if (!strcmp(inst->variant, "inline")) {
		s->target = to;
		return 5;
	}
	return dec_tramp(inst, to, s, err, len) ? 5 : 0;
}

/* The loop's tail follows: subq $1, %rbx; jnz body. */
static bool loop_tail(uintptr_t p, uintptr_t body)
{
	const uint8_t *b = bytes(p);

	if (b[0] != 0x48 || b[1] != 0x83 || b[2] != 0xeb || b[3] != 0x01)
		return false;
	if (b[4] == 0x75)
		return p + 6 + (int8_t)b[5] == body;
	return b[4] == 0x0f && b[5] == 0x85 && p + 10 + rel32(p + 6) == body;
}

/*
 * A cold stub around its site: push; lfence; rdtsc; shl; or; mov; then
 * the fetch fence: and $0, %eax; lea site(%rip), %rcx; add; jmp *%rcx ...
 */
static const uint8_t cold_head[] = { 0x53, 0x0f, 0xae, 0xe8, 0x0f, 0x31,
				     0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09,
				     0xd0, 0x48, 0x89, 0xc3, 0x83, 0xe0,
				     0x00, 0x48, 0x8d, 0x0d, 0x05, 0x00,
				     0x00, 0x00, 0x48, 0x01, 0xc1, 0xff,
				     0xe1 };
/* ... rdtscp; lfence; shl; or; sub %rbx, %rax; pop; ret */
static const uint8_t cold_tail[] = { 0x0f, 0x01, 0xf9, 0x0f, 0xae, 0xe8,
				     0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09,
				     0xd0, 0x48, 0x29, 0xd8, 0x5b, 0xc3 };
/* The bench target: endbr64; ret. */
#define TARGET_BYTES 5
#else
#error "test_scenarios: no decoder for this architecture"
#endif

#if defined(__aarch64__)
/* bti c; stp x29, x30, [sp, #-32]!; mov x29, sp; str x19, [sp, #16];
 * isb; mrs x19, cntvct_el0; isb ... */
static const uint32_t cold_head_w[] = { 0xd503245f, 0xa9be7bfd, 0x910003fd,
					0xf9000bf3, 0xd5033fdf, 0xd53be053,
					0xd5033fdf };
/* ... isb; mrs x0, cntvct_el0; isb; sub x0, x0, x19;
 * ldr x19, [sp, #16]; ldp x29, x30, [sp], #32; ret */
static const uint32_t cold_tail_w[] = { 0xd5033fdf, 0xd53be040, 0xd5033fdf,
					0xcb130000, 0xf9400bf3, 0xa8c27bfd,
					0xd65f03c0 };
#define cold_head cold_head_w
#define cold_tail cold_tail_w
/* The bench target: bti c; ret. */
#define TARGET_BYTES 8
#endif

/* Decode n sites from site1 and the tail after them; false with d->err. */
static bool decode_loop(const struct tb_instance *inst, const void *site1,
			unsigned int n, struct decoded *d)
{
	uintptr_t p = (uintptr_t)site1;

	d->n = 0;
	for (unsigned int i = 0; i < n; i++) {
		size_t len = dec_site(inst, p, &d->s[i], d->err,
				      sizeof(d->err));

		if (!len)
			return false;
		p += len;
		d->n++;
	}
	if (!loop_tail(p, (uintptr_t)site1)) {
		snprintf(d->err, sizeof(d->err),
			 "no loop tail after site %u, at %#lx: more sites than N?",
			 n, (unsigned long)p);
		return false;
	}
	return true;
}

static int cmp_uptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* The field of every site, sorted; how many are distinct. */
static unsigned int distinct(const struct decoded *d, size_t field,
			     uintptr_t *sorted)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < d->n; i++)
		memcpy(&sorted[i], (const char *)&d->s[i] + field,
		       sizeof(uintptr_t));
	qsort(sorted, d->n, sizeof(*sorted), cmp_uptr);
	for (unsigned int i = 0; i < d->n; i++)
		k += !i || sorted[i] != sorted[i - 1];
	return k;
}

/* In site order, is the field ascending (strictly)? */
static bool ascending(const struct decoded *d, size_t field)
{
	for (unsigned int i = 1; i < d->n; i++) {
		uintptr_t a, b;

		memcpy(&a, (const char *)&d->s[i - 1] + field, sizeof(a));
		memcpy(&b, (const char *)&d->s[i] + field, sizeof(b));
		if (b <= a)
			return false;
	}
	return true;
}

struct sites_check {
	const struct tb_instance *inst;
	struct decoded d;
	uintptr_t sorted[SITES_MAX], rr_set[SITES_MAX];
	unsigned int loops, calls;
};

/* One sites loop: what it calls, in which order, how spaced; then run. */
static void check_sites_loop(struct sites_check *c, unsigned int n,
			     const char *order, const char *spacing)
{
	const struct tb_instance *inst = c->inst;
	bool tramp = has_tramp(inst), lit = has_lit(inst);
	/* Order is visible in the trampolines, else in the literals. */
	size_t key = tramp ? offsetof(struct site, tramp) :
			     offsetof(struct site, lit);
	bool rr = !strcmp(order, "rr");
	struct decoded *d = &c->d;
	char params[TB_PARAMS_LEN];
	struct tb_shape sh;
	unsigned int k;

	snprintf(params, sizeof(params), "n:%u/order:%s/spacing:%s", n, order,
		 spacing);
	if (!tb_shape_find(inst, "sites", params, &sh))
		fail_msg("%s: no sites loop %s", inst->name, params);
	/* no loop two: loop one at twice the passes */
	if (sh.items != n || sh.sc || !sh.one || sh.two)
		fail_msg("%s %s: items %u, key %p, loops %p %p", inst->name,
			 params, sh.items, (void *)sh.sc, (void *)sh.one,
			 (void *)sh.two);
	if (!decode_loop(inst, sh.site1, n, d))
		fail_msg("%s %s: %s", inst->name, params, d->err);
	for (unsigned int i = 0; i < n; i++)
		if (d->s[i].target != (uintptr_t)tb_bench_target())
			fail_msg("%s %s: site %u ends at %#lx, not the bench target",
				 inst->name, params, i,
				 (unsigned long)d->s[i].target);
	if (tramp) {
		k = distinct(d, offsetof(struct site, tramp), c->sorted);
		if (k != n)
			fail_msg("%s %s: %u distinct trampolines", inst->name,
				 params, k);
		/* Spacing, in address order. */
		for (unsigned int i = 1; i < n; i++) {
			uintptr_t a = c->sorted[i - 1], b = c->sorted[i];

			if (!strcmp(spacing, "packed") && b - a >= 64)
				fail_msg("%s %s: trampolines %#lx and %#lx are %lu bytes apart, packed",
					 inst->name, params, (unsigned long)a,
					 (unsigned long)b,
					 (unsigned long)(b - a));
			if (!strcmp(spacing, "line") && a / 64 == b / 64)
				fail_msg("%s %s: trampolines %#lx and %#lx share a 64-byte line",
					 inst->name, params, (unsigned long)a,
					 (unsigned long)b);
		}
	}
	if (lit) {
		k = distinct(d, offsetof(struct site, lit), c->sorted);
		if (k != n)
			fail_msg("%s %s: %u distinct literals", inst->name,
				 params, k);
	}
	if (tramp || lit) {
		/* rr ascending; random the same set, not sorted. */
		distinct(d, key, c->sorted);
		if (rr) {
			if (!ascending(d, key))
				fail_msg("%s %s: round-robin calls out of address order",
					 inst->name, params);
			memcpy(c->rr_set, c->sorted, n * sizeof(*c->sorted));
		} else {
			if (memcmp(c->rr_set, c->sorted,
				   n * sizeof(*c->sorted)))
				fail_msg("%s %s: not a permutation of the round-robin loop's calls",
					 inst->name, params);
			if (n >= 8 && ascending(d, key))
				fail_msg("%s %s: random order is sorted",
					 inst->name, params);
		}
	}
	/* One pass of each loop returns. */
	sh.one(1, 0);
	sh.one(2, 0);
	c->loops++;
	c->calls += n;
}

static void test_sites(void **state)
{
	static const char *const spacings[] = { "packed", "line" };
	unsigned int ninst, ninsts = 0;
	struct tb_instance *insts = tb_instances(&ninst);
	struct sites_check *c = calloc(1, sizeof(*c));

	(void)state;
	assert_non_null(c);
	for (unsigned int i = 0; i < ninst; i++) {
		struct tb_shape sh;

		c->inst = &insts[i];
		if (!insts[i].is_default) {
			if (tb_shape_find(c->inst, "sites",
					  "n:1/order:rr/spacing:packed", &sh))
				fail_msg("%s: sites loops for a non-default instance",
					 c->inst->name);
			continue;
		}
		ninsts++;
		for (unsigned int s = 0; s < 2; s++) {
			/* Spacing only where there are trampolines to space. */
			if (s && !has_tramp(c->inst) &&
			    !tb_shape_find(c->inst, "sites",
					   "n:1/order:rr/spacing:line", &sh))
				continue;
			for (unsigned int l = 0; l <= SITES_LOG2_MAX; l++) {
				/* rr first: random is checked against it. */
				check_sites_loop(c, 1u << l, "rr", spacings[s]);
				check_sites_loop(c, 1u << l, "random",
						 spacings[s]);
			}
		}
	}
	print_message("sites: %u loops of %u default instances decoded and run once, %u call sites\n",
		      c->loops, ninsts, c->calls);
	assert_true(ninsts > 0);
	free(c);
}


/* The cold scenario's stubs and what its cases evict. */

/* Is addr's 64-byte line in e's lines of this kind (0 warm, 1, 2)? */
static bool has_line(const struct tb_cold_evict *e, int kind, uintptr_t addr)
{
	unsigned int from = kind == 0 ? 0 :
			    kind == 1 ? e->nwarm :
					e->nwarm + e->ndata;
	unsigned int n = kind == 0 ? e->nwarm : kind == 1 ? e->ndata : e->ncode;

	for (unsigned int i = from; i < from + n; i++)
		if (e->line[i] == (addr & ~(uintptr_t)63))
			return true;
	return false;
}

/* Are all lines of [start, end) there? */
static bool has_range(const struct tb_cold_evict *e, int kind, uintptr_t start,
		      uintptr_t end)
{
	for (uintptr_t p = start & ~(uintptr_t)63; p < end; p += 64)
		if (!has_line(e, kind, p))
			return false;
	return true;
}

/* What one instance's cold stubs were decoded to. */
struct cold_stubs {
	uintptr_t stub[3]; /* control, call, second control */
	uintptr_t end[3]; /* past each one's ret */
	size_t site_off, site_len;
	struct site path; /* what the call's site calls */
};

/*
 * The stubs of inst: the same frame, the timer reads right around the
 * site; in the call exactly one call site, in the controls nops of the
 * same length, every other byte the same.  Each stub runs once.
 */
static void decode_cold(const struct tb_instance *inst, struct cold_stubs *cs)
{
	struct tb_shape call, ctl;
	char err[256];
	size_t nop_len;
	unsigned int nops;

	if (!tb_shape_find(inst, "cold", "", &call) ||
	    !tb_shape_find(inst, "cold", "control", &ctl))
		fail_msg("%s: no cold shapes", inst->name);
	if (call.one != ctl.one || call.two == ctl.two ||
	    call.one == call.two || call.items != 1 || call.sc == NULL ||
	    call.sc != tb_scenario_key(inst))
		fail_msg("%s: cold shapes do not share one control, or call another key",
			 inst->name);
	cs->stub[0] = (uintptr_t)call.one;
	cs->stub[1] = (uintptr_t)call.two;
	cs->stub[2] = (uintptr_t)ctl.two;
	cs->site_off = (uintptr_t)call.site1 - cs->stub[1];
	if ((uintptr_t)ctl.site1 - cs->stub[2] != cs->site_off ||
	    cs->site_off != sizeof(cold_head))
		fail_msg("%s: the cold sites sit at %zu and %zu, not right after the timer read (%zu)",
			 inst->name, cs->site_off,
			 (size_t)((uintptr_t)ctl.site1 - cs->stub[2]),
			 sizeof(cold_head));
	/* one call site, and nothing else, between the timer reads */
	cs->site_len = dec_site(inst, cs->stub[1] + cs->site_off, &cs->path,
				err, sizeof(err));
	if (!cs->site_len)
		fail_msg("%s: cold call stub: %s", inst->name, err);
	for (int i = 0; i < 3; i++) {
		uintptr_t s = cs->stub[i], t = s + cs->site_off + cs->site_len;

		if (memcmp((const void *)s, cold_head, sizeof(cold_head)) ||
		    memcmp((const void *)t, cold_tail, sizeof(cold_tail)))
			fail_msg("%s: cold stub %d: not the timer reads around one site of %zu bytes",
				 inst->name, i, cs->site_len);
		cs->end[i] = t + sizeof(cold_tail);
		if (s % 64 || cs->end[i] - s > 128)
			fail_msg("%s: cold stub %d is not 64-byte aligned, or longer than the 128 bytes evicted",
				 inst->name, i);
	}
	for (int i = 0; i < 3; i += 2) {
		nops = tb_cold_nops((const void *)(cs->stub[i] + cs->site_off),
				    cs->site_len + 16, &nop_len);
		if (!nops || nop_len != cs->site_len)
			fail_msg("%s: cold control %d: %zu bytes of nops where the call has %zu",
				 inst->name, i, nop_len, cs->site_len);
	}
	if (cs->path.target != (uintptr_t)tb_bench_target() ||
	    cs->path.tramp != (uintptr_t)call.sc->tramp ||
	    cs->path.lit != (uintptr_t)call.sc->lit)
		fail_msg("%s: the cold call does not go through the scenario key to the bench target",
			 inst->name);
	for (int i = 0; i < 3; i++)
		((uint64_t (*)(void))cs->stub[i])();
}

/*
 * One case's eviction: what its name says is cold, evicted by address;
 * the same for the call and the control row.
 */
static void check_cold_case(const struct tb_instance *inst,
			    const struct cold_stubs *cs,
			    const struct tb_case *c, bool code, bool data)
{
	const struct tb_cold_evict *e = &c->cold.evict;
	const struct site *p = &cs->path;
	uintptr_t target = p->target;
	bool lit_in_code = p->lit && (!strcmp(inst->variant, "direct") ||
				      (p->tramp && p->lit / 64 == p->tramp / 64));
	const char *bad = NULL;

	if ((uintptr_t)c->cold.one != cs->stub[0] ||
	    (uintptr_t)c->cold.two !=
		    cs->stub[strstr(c->params, "control") ? 2 : 1])
		bad = "its samples are not the control and the call (or the second control)";
	else if (!e->evict || (e->walk != NULL) != code)
		bad = "the predictor walk is not there just when code is cold";
	else if (code && !(has_range(e, 2, cs->stub[0], cs->end[0]) &&
			   has_range(e, 2, cs->stub[1], cs->end[1]) &&
			   has_range(e, 2, cs->stub[2], cs->end[2])))
		bad = "a stub's line (the call site's) is not flushed";
	else if (code && p->tramp &&
		 !has_range(e, 2, p->tramp, p->tramp_end))
		bad = "a trampoline line is not flushed";
	else if (code && !has_range(e, 2, target - 16, target + TARGET_BYTES))
		bad = "the target's lines (and its kCFI preamble) are not flushed";
	else if (code && lit_in_code && !has_line(e, 2, p->lit))
		bad = "the literal's line, which is code, is not flushed";
	else if (code && !data && p->lit && !lit_in_code &&
		 !has_line(e, 0, p->lit))
		bad = "the literal is not kept warm";
	else if (data && !has_line(e, 1, p->lit) &&
		 !(lit_in_code && has_line(e, 2, p->lit)))
		bad = "the literal's line is not flushed as data (or code)";
	else if (!code && e->ncode)
		bad = "code lines are flushed where only data is cold";
	else if (!data && e->ndata)
		bad = "data lines are flushed where only code is cold";
	if (bad)
		fail_msg("%s: %s: %s", inst->name, c->name, bad);
}

static void test_cold(void **state)
{
	static const struct tb_scenario *const scn[] = { &tb_scenario_cold };
	static const char *const what[] = { "code", "data", "both" };
	struct tb_scenario_opts o = { 0 };
	unsigned int ninst, ndecoded = 0, ncases = 0;
	struct tb_instance *insts = tb_instances(&ninst);

	(void)state;
	for (unsigned int i = 0; i < ninst; i++) {
		struct tb_instance *inst = &insts[i];
		struct cold_stubs cs;
		struct tb_case *cases;
		unsigned int n;

		if (!inst->is_default)
			continue;
		decode_cold(inst, &cs);
		ndecoded++;
		cases = tb_scenario_cases(scn, 1, &inst, 1, &o, &n);
		assert_non_null(cases);
		assert_int_equal(n, 6);
		for (unsigned int k = 0; k < n; k++) {
			struct tb_case *c = &cases[k], *ctl = &cases[k | 1];
			unsigned int w = k / 2;
			char want[TB_PARAMS_LEN];

			snprintf(want, sizeof(want), "%s%s", what[w],
				 k % 2 ? "/control" : "");
			if (strcmp(c->params, want))
				fail_msg("%s: cold case %u is %s, not %s",
					 inst->name, k, c->params, want);
			/* no literal: only code can be cold */
			if (w && !cs.path.lit) {
				if (!c->skip)
					fail_msg("%s: %s measured with nothing to evict",
						 inst->name, c->name);
				continue;
			}
			if (c->skip)
				fail_msg("%s: %s skipped: %s", inst->name,
					 c->name, c->skip);
			check_cold_case(inst, &cs, c, w != 1, w != 0);
			if (memcmp(&c->cold.evict, &ctl->cold.evict,
				   sizeof(c->cold.evict)))
				fail_msg("%s: %s evicts otherwise than its control row",
					 inst->name, c->name);
			ncases++;
		}
		free(cases);
	}
	print_message("cold: %u default instances' stubs decoded and run, %u cases' evictions checked\n",
		      ndecoded, ncases);
	assert_true(ndecoded > 0);
}

/* flip on each instance's plain key: exact counts per target. */
static void test_flip(void **state)
{
	static const unsigned long ks[] = { 1, 16 };
	static const uint64_t passes[] = { 3, 5 };
	unsigned int ninst, runs = 0;
	struct tb_instance *insts = tb_instances(&ninst);
	const void *a = tb_target(1), *b = tb_target(2);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (unsigned int i = 0; i < ninst; i++) {
		struct tb_static_call *sc =
			tb_key(&insts[i], TB_INIT_TARGET, false);
		const void *was;

		if (!sc)
			fail_msg("%s: no plain key", insts[i].name);
		was = sc->func;
		for (unsigned int ki = 0; ki < 2; ki++) {
			for (unsigned int pi = 0; pi < 2; pi++) {
				unsigned long k = ks[ki];
				uint64_t p = passes[pi], calls;
				/* From target 0: a, b, a, ... one per pass. */
				uint64_t want_a = (p + 1) / 2 * k;
				uint64_t want_b = p / 2 * k;

				uint64_t got_a, got_b, other;

				assert_int_equal(
					tb_static_call_update(sc, tb_target(0)),
					0);
				tb_target_hits_reset();
				calls = tb_flip_run(sc, a, b, k, p);
				got_a = tb_target_hits(1);
				got_b = tb_target_hits(2);
				other = tb_target_hits(0);
				if (calls != k * p || got_a != want_a ||
				    got_b != want_b || other || sc->func != a)
					fail_msg("%s: flip k %lu, %lu passes: %lu calls, target a %lu (want %lu), b %lu (want %lu), other %lu",
						 insts[i].name, k,
						 (unsigned long)p,
						 (unsigned long)calls,
						 (unsigned long)got_a,
						 (unsigned long)want_a,
						 (unsigned long)got_b,
						 (unsigned long)want_b,
						 (unsigned long)other);
				runs++;
			}
		}
		assert_int_equal(tb_static_call_update(sc, was), 0);
		assert_ptr_equal(sc->func, was);
	}
	print_message("flip: %u runs over %u instances, every target's calls exact\n",
		      runs, ninst);
}

/*
 * The table says what each scenario is, in its own words: a name found
 * by tb_scenario_find(), a line for --list-scenarios, what its cycles
 * are per and a paragraph, for the results and the report.
 */
static void test_table(void **state)
{
	(void)state;
	assert_true(tb_nscenarios > 0);
	for (unsigned int i = 0; i < tb_nscenarios; i++) {
		const struct tb_scenario *t = tb_scenarios[i];
		const char *text[] = { t->name, t->about, t->unit,
				       t->describe };

		for (size_t k = 0; k < sizeof(text) / sizeof(text[0]); k++)
			if (!text[k] || !*text[k] || strchr(text[k], '\n'))
				fail_msg("scenario %u (%s): field %zu is not one line of text",
					 i, t->name ? t->name : "?", k);
		assert_ptr_equal(tb_scenario_find(t->name), t);
		if (strncmp(t->unit, "cycles per ", 11))
			fail_msg("%s: unit '%s' is not cycles per something",
				 t->name, t->unit);
	}
}

/* A parameter set's printed form: named fields, bare ones, hidden ones. */
static void test_params_format(void **state)
{
	static const struct {
		struct tb_params ps;
		const char *want;
	} t[] = {
		{ { 0 }, "" },
		{ { 2,
		    { { .name = "shift", .num = 0, .hidden = true },
		      { .name = "loop", .word = "lat", .bare = true } } },
		  "lat" },
		{ { 2,
		    { { .name = "shift", .num = 4 },
		      { .name = "loop", .word = "tput", .bare = true } } },
		  "shift:4/tput" },
		{ { 3,
		    { { .name = "n", .num = 64 },
		      { .name = "order", .word = "rr" },
		      { .name = "spacing", .word = "packed" } } },
		  "n:64/order:rr/spacing:packed" },
		{ { 2,
		    { { .name = "cold", .word = "both", .bare = true },
		      { .name = "sample", .word = "control", .bare = true } } },
		  "both/control" },
	};
	char buf[TB_PARAMS_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(tb_params_format(&t[i].ps, buf,
						     sizeof(buf)),
				    t[i].want);
	assert_int_equal(tb_params_num(&t[2].ps, "shift", 99), 4);
	assert_int_equal(tb_params_num(&t[2].ps, "nosuch", 99), 99);
	assert_int_equal(tb_params_num(&t[2].ps, "loop", 99), 99);
	assert_true(tb_params_is(&t[2].ps, "loop", "tput"));
	assert_false(tb_params_is(&t[2].ps, "loop", "lat"));
	assert_false(tb_params_is(&t[2].ps, "shift", "4"));
}

/*
 * Every case of every scenario, for the designs as posted: its name is
 * its values printed, and its loops are what the values say (hot's
 * shift and loop, sites' n, flip's k, update's mode), read as values.
 */
static void test_params_drive_cases(void **state)
{
	static const unsigned int shifts[] = { 0, 8 };
	struct tb_scenario_opts o = { .full = true, .shifts = shifts,
				      .nshifts = 2 };
	unsigned int ninst, n, checked = 0;
	struct tb_instance *insts = tb_instances(&ninst);

	(void)state;
	for (unsigned int i = 0; i < ninst; i++) {
		struct tb_instance *inst = &insts[i];
		struct tb_case *cases;

		if (!inst->is_default)
			continue;
		cases = tb_scenario_cases(tb_scenarios, tb_nscenarios, &inst,
					  1, &o, &n);
		assert_non_null(cases);
		for (unsigned int k = 0; k < n; k++) {
			const struct tb_case *c = &cases[k];
			const struct tb_params *v = &c->param_values;
			const char *scn = c->scn->name;
			char buf[TB_PARAMS_LEN];

			tb_params_format(v, buf, sizeof(buf));
			if (strcmp(buf, c->params))
				fail_msg("%s: params %s printed as %s", c->name,
					 c->params, buf);
			if (c->skip)
				continue;
			if (!strcmp(scn, "hot")) {
				bool lat = tb_params_is(v, "loop", "lat");
				unsigned int sh = tb_params_num(v, "shift", 99);
				struct tb_bench_loops bl;

				assert_true(tb_bench_loops(
					tb_bench_key(inst, lat), sh, &bl));
				if (c->loops.one != bl.one ||
				    c->layout.site_offset != (int)sh)
					fail_msg("%s: not the %s loops at shift %u",
						 c->name, lat ? "lat" : "tput",
						 sh);
			} else if (!strcmp(scn, "sites")) {
				if (c->loops.items != tb_params_num(v, "n", 0))
					fail_msg("%s: %u items", c->name,
						 c->loops.items);
			} else if (!strcmp(scn, "flip")) {
				if (c->arg != tb_params_num(v, "k", 0) ||
				    c->loops.items != c->arg)
					fail_msg("%s: k %lu", c->name, c->arg);
			} else if (!strcmp(scn, "update")) {
				if (c->arg != tb_params_is(v, "mode",
							   "concurrent"))
					fail_msg("%s: arg %lu", c->name,
						 c->arg);
			}
			checked++;
		}
		free(cases);
	}
	print_message("params: %u cases read their values\n", checked);
	assert_true(checked > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_params_format),
		cmocka_unit_test(test_params_drive_cases),
		cmocka_unit_test(test_sites),
		cmocka_unit_test(test_cold),
		cmocka_unit_test(test_flip),
	};

	return cmocka_run_group_tests_name("scenarios", tests, tb_test_setup,
					   tb_test_teardown);
}
