// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency stress, every instance: two threads call through a static
 * call while a third updates it among several targets, near and far (a
 * far target differs from a near one in both 32-bit halves, so a torn
 * literal points nowhere valid).  Every call must land in a valid
 * target, each target's own call counter must equal the calls that
 * returned its value, and every target must be reached.  Now and then
 * (and on the first updates, which visit every candidate) the updater
 * waits until both callers have completed calls started after the
 * update, so each target is called however the threads are scheduled:
 * no timing luck.  Transitions the architecture does not
 * allow under concurrent execution (the variant's concurrent_safe rule)
 * are left out, and the test says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "static_call.h"
#include "tb_test.h"

/* Updates per default instance, and per other knob combination. */
#define TB_STRESS_UPDATES 100000
#define TB_STRESS_UPDATES_KNOBS 5000
/* Updates between two waits for the callers (see wait_for_calls()). */
#define TB_STRESS_WAIT_EVERY 256
#define TB_STRESS_CALLERS 2
#define MAX_CAND 8

struct stress {
	struct tb_static_call *sc;
	const void *cand[MAX_CAND];
	unsigned int ncand;
	bool cond;
	long expect[MAX_CAND];
	int started, done;
};

struct caller {
	struct stress *s;
	pthread_t thread;
	uint64_t calls, nothing, bad, during;
	uint64_t count[MAX_CAND];
};

static void *caller(void *arg)
{
	struct caller *c = arg;
	struct stress *s = c->s;

	__atomic_add_fetch(&s->started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) {
		long r = s->cond ? tb_static_call_cond(s->sc, A) :
				   tb_static_call(s->sc, A);
		unsigned int i;

		/* Read while running by the updater: make the store atomic. */
		__atomic_store_n(&c->calls, c->calls + 1, __ATOMIC_RELAXED);
		for (i = 0; i < s->ncand; i++)
			if (s->expect[i] == r)
				break;
		if (i < s->ncand)
			c->count[i]++;
		else if (r == 0 || r == 0x11) /* NULL, RET0 */
			c->nothing++;
		else
			c->bad++;
	}
	return NULL;
}

static const char *cand_name(const void *f, char *buf)
{
	struct tb_image *img = tb_image_current();

	if (!f)
		return "NULL";
	if (f == tb_ret0())
		return "RET0";
	for (unsigned int i = 0; i < tb_ntargets(); i++) {
		if (f == tb_target(i))
			return sprintf(buf, "t%u", i), buf;
		if (f == tb_image_far(img, tb_target(i)))
			return sprintf(buf, "far-t%u", i), buf;
	}
	return "?";
}

static bool safe(const struct tb_static_call *sc, enum tb_target_kind a,
		 enum tb_target_kind b)
{
	const struct tb_variant_ops *ops = sc->inst->ops;

	return !ops->concurrent_safe || ops->concurrent_safe(sc->inst, a, b);
}

/* Choose the targets this variant may switch among while called. */
static void pick(struct stress *s)
{
	struct tb_image *img = tb_image_current();
	const void *all[] = { tb_target(0), tb_image_far(img, tb_target(1)),
			      tb_target(2), tb_image_far(img, tb_target(3)),
			      NULL, tb_ret0() };
	char buf[16];

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		enum tb_target_kind k = tb_target_kind(s->sc, all[i]);

		if (tb_static_call_traps(s->sc, all[i])) {
			print_message("  %s: traps under kCFI (its type id differs), not used\n",
				      cand_name(all[i], buf));
			continue;
		}
		if (tb_static_call_update(s->sc, all[i]) == -ERANGE) {
			print_message("  %s: out of reach of %s, not used\n",
				      cand_name(all[i], buf), s->sc->inst->name);
			continue;
		}
		if (!safe(s->sc, k, TB_KIND_NEAR) ||
		    !safe(s->sc, TB_KIND_NEAR, k)) {
			print_message("  %s (%s) left out: not safe under concurrent calls: %s\n",
				      cand_name(all[i], buf),
				      tb_target_kind_name(k),
				      s->sc->inst->ops->unsafe_why);
			continue;
		}
		s->cand[s->ncand++] = all[i];
		s->cond |= !all[i];
	}
	for (unsigned int i = 0; i < s->ncand; i++) {
		s->expect[i] = 1; /* never returned: no target matches */
		for (unsigned int t = 0; t < tb_ntargets(); t++)
			if (s->cand[i] == tb_target(t) ||
			    s->cand[i] == tb_image_far(img, tb_target(t)))
				s->expect[i] = tb_target_expect(t, A);
	}
}

static unsigned int target_index(const void *f)
{
	struct tb_image *img = tb_image_current();

	for (unsigned int t = 0; t < tb_ntargets(); t++)
		if (f == tb_target(t) || f == tb_image_far(img, tb_target(t)))
			return t;
	return ~0u;
}

static uint64_t calls_of(const struct caller *c)
{
	return __atomic_load_n(&c->calls, __ATOMIC_RELAXED);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Wait until every caller has completed two calls after the update (the
 * second started after it): yield, so callers run on a busy machine too.
 */
static void wait_for_calls(struct caller *c)
{
	uint64_t want[TB_STRESS_CALLERS];
	double t0 = 0;

	for (int i = 0; i < TB_STRESS_CALLERS; i++)
		want[i] = calls_of(&c[i]) + 2;
	for (int i = 0; i < TB_STRESS_CALLERS; i++) {
		for (unsigned int n = 0; calls_of(&c[i]) < want[i]; n++) {
			if (n < 64)
				continue;
			sched_yield();
			if (!t0)
				t0 = now_s();
			else if (!(n & 1023) && now_s() - t0 > 30)
				fail_msg("caller %d made no call for 30 s", i);
		}
	}
}

static void stress_one(struct tb_instance *inst, int updates)
{
	struct stress s = { .sc = tb_key(inst, TB_INIT_TARGET, false) };
	struct caller c[TB_STRESS_CALLERS];
	uint64_t hits0[8], calls = 0, nothing = 0, bad = 0;
	unsigned int seen = 0, targets = 0; /* targets reached, candidates */
	uint32_t rnd = 12345;
	unsigned int cur = 0;
	char buf[16], list[128] = "";

	print_message("%s:\n", inst->name);
	pick(&s);
	assert_true(s.ncand >= 3);
	for (unsigned int i = 0; i < s.ncand; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? " " : "", cand_name(s.cand[i], buf));
	assert_int_equal(tb_static_call_update(s.sc, s.cand[0]), 0);
	for (unsigned int t = 0; t < tb_ntargets(); t++)
		hits0[t] = tb_target_hits(t);

	memset(c, 0, sizeof(c));
	for (int i = 0; i < TB_STRESS_CALLERS; i++) {
		c[i].s = &s;
		assert_int_equal(pthread_create(&c[i].thread, NULL, caller,
						&c[i]),
				 0);
	}
	while (__atomic_load_n(&s.started, __ATOMIC_ACQUIRE) <
	       TB_STRESS_CALLERS)
		;
	for (int u = 0; u < updates; u++) {
		unsigned int next;

		/* A different candidate each time: every update changes code. */
		rnd = rnd * 1103515245 + 12345;
		next = (cur + 1 + (rnd >> 16) % (s.ncand - 1)) % s.ncand;
		if (u < (int)s.ncand) /* first, every candidate in turn */
			next = (cur + 1) % s.ncand;
		assert_int_equal(tb_static_call_update(s.sc, s.cand[next]), 0);
		cur = next;
		if (u < (int)s.ncand || !(u % TB_STRESS_WAIT_EVERY))
			wait_for_calls(c);
	}
	for (int i = 0; i < TB_STRESS_CALLERS; i++)
		c[i].during = __atomic_load_n(&c[i].calls, __ATOMIC_RELAXED);
	__atomic_store_n(&s.done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < TB_STRESS_CALLERS; i++)
		assert_int_equal(pthread_join(c[i].thread, NULL), 0);

	for (int i = 0; i < TB_STRESS_CALLERS; i++) {
		calls += c[i].calls;
		nothing += c[i].nothing;
		bad += c[i].bad;
	}
	print_message("  %d updates among {%s}, %d callers: %llu calls (%llu, %llu while updating), %llu to no target, %llu bad\n",
		      updates, list, TB_STRESS_CALLERS,
		      (unsigned long long)calls,
		      (unsigned long long)c[0].during,
		      (unsigned long long)c[1].during,
		      (unsigned long long)nothing, (unsigned long long)bad);
	assert_int_equal(bad, 0);
	/* Each target counted its own calls: they must match ours. */
	for (unsigned int i = 0; i < s.ncand; i++) {
		unsigned int t = target_index(s.cand[i]);
		uint64_t ours = 0;

		if (t == ~0u)
			continue;
		for (int k = 0; k < TB_STRESS_CALLERS; k++)
			ours += c[k].count[i];
		print_message("  %s: %llu calls returned its value, it counted %llu\n",
			      cand_name(s.cand[i], buf),
			      (unsigned long long)ours,
			      (unsigned long long)(tb_target_hits(t) -
						   hits0[t]));
		assert_int_equal(tb_target_hits(t) - hits0[t], ours);
		nothing += ours;
		seen += ours > 0;
		/* every state was held until both callers had called it */
		assert_true(ours > 0);
		targets++;
	}
	assert_int_equal(nothing, calls);
	assert_true(c[0].during > 0 && c[1].during > 0);
	assert_int_equal(seen, targets);
}

static void test_stress(void **state)
{
	unsigned int n, done = 0;
	struct tb_instance *in = tb_instances(&n);

	(void)state;
	print_message("patch mode %s\n",
		      tb_patch_mode_name(tb_image_current()->mode));
	for (unsigned int i = 0; i < n; i++) {
		stress_one(&in[i], in[i].is_default ? TB_STRESS_UPDATES :
						      TB_STRESS_UPDATES_KNOBS);
		done++;
	}
	assert_int_equal(done, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress),
	};

	return cmocka_run_group_tests_name("stress", tests, tb_test_setup,
					   tb_test_teardown);
}
