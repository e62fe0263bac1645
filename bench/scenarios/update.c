// SPDX-License-Identifier: GPL-2.0
/*
 * update: what one static_call_update() costs per design, alone: a
 * 64-bit literal store (cbz, tail, indirect), or an instruction write
 * with its cache maintenance (arm64 direct and inline: DC CVAU, DSB, IC
 * IVAU, DSB, ISB), or x86's int3 protocol (text_poke_bp: three writes,
 * three core syncs).  Two parameter sets:
 *   alone       single-threaded, nothing else calls the key;
 *   concurrent  while a thread on another CPU calls through the key in a
 *               loop: the cost of writing code, and of the cache line,
 *               that another core is running.
 * Each update switches between two near targets, which every design may
 * do under concurrent calls.  The key is the instance's plain static
 * call, with two sites (inline rewrites both), called by the other
 * thread through its C-callable wrapper.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "scenario.h"

static struct tb_case *cur;

static uint64_t update_one(uint64_t passes, uint64_t x)
{
	const void *a = tb_bench_target(), *b = tb_bench_target_b();
	struct tb_static_call *sc = cur->sc;

	(void)x;
	for (uint64_t p = 0; p < passes; p++)
		tb_static_call_update(sc, sc->func == a ? b : a);
	return passes;
}

static uint64_t update_two(uint64_t passes, uint64_t x)
{
	return update_one(2 * passes, x);
}

/* The caller on another CPU. */
static pthread_t caller;
static volatile int stop, started;
static int caller_cpu = -1;

static void *caller_main(void *arg)
{
	struct tb_case *c = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(caller_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		started = -1;
		return NULL;
	}
	started = 1;
	while (!stop)
		tb_static_call(c->sc, 0, 0, 0, 0, 0, 0);
	return NULL;
}

/* Another CPU this process may run on, or -1. */
static int other_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int me = sched_getcpu();

	for (long i = 1; i < n; i++) {
		cpu_set_t set;
		int cpu = (int)((me + i) % n);

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		/* Ask the kernel: the cpuset may leave some out. */
		if (!sched_setaffinity(0, sizeof(set), &set)) {
			CPU_ZERO(&set);
			CPU_SET(me, &set);
			sched_setaffinity(0, sizeof(set), &set);
			return cpu;
		}
	}
	return -1;
}

/* mode: alone or concurrent, named by its value alone */
static unsigned int update_params(const struct tb_instance *inst,
				  const struct tb_scenario_opts *o,
				  struct tb_params *out)
{
	static const char *const modes[] = { "alone", "concurrent" };
	unsigned int n = o->quick ? 1 : 2;

	(void)inst;
	for (unsigned int i = 0; i < n; i++)
		out[i] = (struct tb_params){
			1, { { .name = "mode", .word = modes[i], .bare = true } }
		};
	return n;
}

static const char *update_loops(struct tb_case *c)
{
	const char *err = tb_case_use_check_key(c);

	if (err)
		return err;
	c->arg = tb_params_is(&c->param_values, "mode", "concurrent");
	c->loops = (struct tb_loop_pair){ .one = update_one,
					  .two = update_two,
					  .items = 1 };
	if (c->arg && caller_cpu < 0 && (caller_cpu = other_cpu()) < 0)
		return "needs a second CPU for the caller, and this process may use one only";
	c->label = c->sc->nsites ? "per update; it rewrites 2 call sites" :
				   "per update";
	return NULL;
}

static int update_setup(struct tb_case *c)
{
	int err;

	cur = c;
	err = tb_case_point(c, tb_bench_target());
	if (err || !c->arg)
		return err;
	stop = 0;
	started = 0;
	if (pthread_create(&caller, NULL, caller_main, c)) {
		fprintf(stderr, "trampbench: %s: cannot start the caller thread\n",
			c->name);
		return -EAGAIN;
	}
	while (!started)
		sched_yield();
	if (started < 0) {
		pthread_join(caller, NULL);
		fprintf(stderr, "trampbench: %s: cannot run the caller on CPU %d\n",
			c->name, caller_cpu);
		return -EPERM;
	}
	return 0;
}

static void update_teardown(struct tb_case *c)
{
	if (c->arg) {
		stop = 1;
		pthread_join(caller, NULL);
	}
	tb_case_restore(c);
}

const struct tb_scenario tb_scenario_update = {
	.name = "update",
	.about = "one static_call_update(), alone and while another CPU calls",
	.unit = "cycles per update (not per call)",
	.describe = "one static_call_update(): alone, or concurrent (another "
		    "CPU calls through the key meanwhile).",
	.params = update_params,
	.loops = update_loops,
	.setup = update_setup,
	.teardown = update_teardown,
};
