// SPDX-License-Identifier: GPL-2.0
/*
 * The bench loops, where they sit and what they compute: for every
 * instance, both bench keys (throughput, latency) and every site shift,
 * the loop bodies start exactly that many bytes past a 64-byte boundary;
 * a latency loop returns x plus one per call, so every call ran and each
 * took the previous one's result; a throughput loop runs and returns;
 * tb_bench_loops() finds the generated shifts and no others.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>

#include "static_call.h"
#include "tb_test.h"

#define NSHIFTS (TB_SITE_SHIFT_MAX / TB_SITE_SHIFT_STEP + 1)

static const char *mode(const struct tb_static_call *sc)
{
	return sc->lat ? "lat" : "tput";
}

/* The bench key of inst, checked to be what it claims. */
static struct tb_static_call *bench_key(const struct tb_instance *inst,
					bool lat)
{
	struct tb_static_call *sc = tb_bench_key(inst, lat);

	if (!sc)
		fail_msg("%s: no %s bench key", inst->name,
			 lat ? "lat" : "tput");
	assert_true(sc->bench);
	assert_int_equal(sc->lat, lat);
	assert_int_equal(sc->init, TB_INIT_TARGET);
	assert_int_equal(sc->nloops, NSHIFTS);
	assert_true(sc->unroll > 0);
	return sc;
}

/* Code the tests call: in the executable mapping, so it really runs. */
static void expect_text(const struct tb_static_call *sc, const char *what,
			unsigned int shift, const void *p)
{
	const struct tb_image *img = tb_image_current();

	if ((const uint8_t *)p < img->exec ||
	    (const uint8_t *)p >= img->exec + img->text_size)
		fail_msg("%s %s shift %u: %s at %p is not in the image text",
			 sc->inst->name, mode(sc), shift, what, p);
}

/* A loop body: in the text, at the shift claimed. */
static void expect_at(const struct tb_static_call *sc, const char *what,
		      unsigned int shift, const void *p)
{
	expect_text(sc, what, shift, p);
	if ((uintptr_t)p % 64 != shift)
		fail_msg(
			"%s %s: %s at %p is %u bytes past a 64-byte boundary, not %u",
			sc->inst->name, mode(sc), what, p,
			(unsigned int)((uintptr_t)p % 64), shift);
}

/*
 * A bench key has the shifts 0, 4, ..., 60 in order, and both loop
 * bodies of each sit at theirs; shift 0 is also loop1/loop2.
 */
static void check_shifts(const struct tb_static_call *sc)
{
	for (unsigned int s = 0; s < sc->nloops; s++) {
		const struct tb_image_loop *l = &sc->loops[s];
		unsigned int want = s * TB_SITE_SHIFT_STEP;

		if (l->shift != want)
			fail_msg("%s %s: loop entry %u has shift %" PRId64
				 ", not %u",
				 sc->inst->name, mode(sc), s, l->shift, want);
		expect_at(sc, "loop1 body", want, tb_rel(&l->site1));
		expect_at(sc, "loop2 body", want, tb_rel(&l->site2));
	}
	assert_ptr_equal(sc->loop1, tb_rel(&sc->loops[0].loop1));
	assert_ptr_equal(sc->loop2, tb_rel(&sc->loops[0].loop2));
}

static void test_shifts(void **state)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	assert_true(n > 0);
	for (unsigned int i = 0; i < n; i++) {
		check_shifts(bench_key(&in[i], false));
		check_shifts(bench_key(&in[i], true));
	}
	print_message(
		"%u loop pairs: every body at its shift, 0 to %u step %u\n",
		2 * n * NSHIFTS, TB_SITE_SHIFT_MAX, TB_SITE_SHIFT_STEP);
}

/*
 * The bench keys start at their targets, and tb_key() still finds the
 * throughput one.
 */
static void test_bench_keys(void **state)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		struct tb_static_call *tput = bench_key(&in[i], false);
		struct tb_static_call *lat = bench_key(&in[i], true);

		assert_ptr_not_equal(tput, lat);
		assert_ptr_equal(tb_key(&in[i], TB_INIT_TARGET, true), tput);
		assert_ptr_equal(tput->func, tb_bench_target());
		assert_ptr_equal(lat->func, tb_lat_target());
		assert_int_equal(tput->unroll, lat->unroll);
	}
}

/* A latency loop's result: x plus one per call made. */
static void expect_chain(const struct tb_static_call *sc, unsigned int shift,
			 const char *which, tb_loop_fn loop, uint64_t calls)
{
	static const uint64_t args[][2] = { { 3, 1000 }, { 1, 0 } };

	for (size_t a = 0; a < sizeof(args) / sizeof(args[0]); a++) {
		uint64_t p = args[a][0], x = args[a][1];
		uint64_t want = x + p * calls, got = loop(p, x);

		if (got != want)
			fail_msg("%s lat shift %u: %s(%" PRIu64 ", %" PRIu64
				 ") returned %" PRIu64 ", not %" PRIu64,
				 sc->inst->name, shift, which, p, x, got, want);
	}
}

/*
 * Run every loop pair of the lat or tput bench keys, in the image text:
 * a latency loop must make every call, each on the previous result; a
 * throughput loop must run and come back (its result means nothing).
 */
static unsigned int run_loops(bool lat)
{
	unsigned int n, ran = 0;
	struct tb_instance *in = tb_instances(&n);

	for (unsigned int i = 0; i < n; i++) {
		struct tb_static_call *sc = bench_key(&in[i], lat);

		for (unsigned int s = 0; s < sc->nloops; s++) {
			const struct tb_image_loop *l = &sc->loops[s];
			tb_loop_fn one = (tb_loop_fn)tb_rel(&l->loop1);
			tb_loop_fn two = (tb_loop_fn)tb_rel(&l->loop2);

			expect_text(sc, "loop1", l->shift, one);
			expect_text(sc, "loop2", l->shift, two);
			if (lat) {
				expect_chain(sc, l->shift, "loop1", one,
					     sc->unroll);
				expect_chain(sc, l->shift, "loop2", two,
					     2 * sc->unroll);
			} else {
				one(3, 1000);
				two(3, 1000);
				one(1, 0);
				two(1, 0);
			}
			ran++;
		}
	}
	return ran;
}

static void test_latency_results(void **state)
{
	(void)state;
	print_message("%u latency loop pairs: x + passes * calls\n",
		      run_loops(true));
}

static void test_throughput_runs(void **state)
{
	(void)state;
	print_message("%u throughput loop pairs ran\n", run_loops(false));
}

/* tb_bench_loops(): the table's entry at each shift, nothing between. */
static void check_lookup(const struct tb_static_call *sc)
{
	static const unsigned int missing[] = { 2, 62, 64, 68, 1000 };
	struct tb_bench_loops bl;

	for (size_t m = 0; m < sizeof(missing) / sizeof(*missing); m++)
		assert_false(tb_bench_loops(sc, missing[m], &bl));
	for (unsigned int s = 0; s < NSHIFTS; s++) {
		const struct tb_image_loop *l = &sc->loops[s];
		unsigned int shift = s * TB_SITE_SHIFT_STEP;

		assert_true(tb_bench_loops(sc, shift, &bl));
		assert_int_equal(bl.shift, shift);
		assert_int_equal(bl.unroll, sc->unroll);
		assert_ptr_equal(bl.one, tb_rel(&l->loop1));
		assert_ptr_equal(bl.two, tb_rel(&l->loop2));
		assert_ptr_equal(bl.site1, tb_rel(&l->site1));
		assert_ptr_equal(bl.site2, tb_rel(&l->site2));
	}
}

static void test_bench_loops_lookup(void **state)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		struct tb_static_call *check =
			tb_key(&in[i], TB_INIT_TARGET, false);
		struct tb_bench_loops bl;

		check_lookup(bench_key(&in[i], false));
		check_lookup(bench_key(&in[i], true));
		/* A check key has no loops at all. */
		assert_false(tb_bench_loops(check, 0, &bl));
	}
}

/* What a latency call adds to the throughput cost. */
/*
 * The image sits at the same address in every run (the predictors index
 * by address), so every run measures the same placement.
 */
static void test_fixed_base(void **state)
{
	const struct tb_image *img = tb_image_current();

	(void)state;
	assert_non_null(img);
	assert_true(img->fixed);
	assert_ptr_equal(img->exec, (void *)TB_IMAGE_BASE);
	assert_ptr_equal(img->far, (void *)(TB_IMAGE_BASE + TB_FAR_DISTANCE));
}

static void test_call_cost(void **state)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		struct tb_call_cost t = tb_call_cost(&in[i], false);
		struct tb_call_cost l = tb_call_cost(&in[i], true);
		struct tb_call_cost o = in[i].cost->path(&in[i], TB_KIND_NEAR);

		assert_int_equal(t.insns, o.insns);
		assert_int_equal(t.branches, o.branches);
		assert_int_equal(l.insns, t.insns + tb_arch_lat_cost.insns);
		assert_int_equal(l.branches,
				 t.branches + tb_arch_lat_cost.branches);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shifts),
		cmocka_unit_test(test_bench_keys),
		cmocka_unit_test(test_latency_results),
		cmocka_unit_test(test_throughput_runs),
		cmocka_unit_test(test_bench_loops_lookup),
		cmocka_unit_test(test_call_cost),
		cmocka_unit_test(test_fixed_base),
	};

	return cmocka_run_group_tests_name("layout", tests, tb_test_setup,
					   tb_test_teardown);
}
