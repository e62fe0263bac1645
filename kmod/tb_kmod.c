// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench's module: the same generated code image and the same
 * measuring core (harness/core/) as user space, run in the kernel.  It
 * serves trampbench --kernel (bench/kernel.c) through ioctls on
 * debugfs's trampbench/ctl (kmod/tb_kmod.h): what it is and its
 * self-test's verdict, counters to open, one batch at a time (raw
 * integer ticks and counts, reduced in user space), a key to point.
 * Every pair of a batch runs with preemption and interrupts off, sized
 * by the core's rules (TB_BATCH_MAX_NS), on the CPU the counters count.
 * Bad requests get -EINVAL and one line in the kernel log.  It writes
 * no kernel text: designs whose update patches code are measured as
 * they stand, never updated (kimage.c).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif

#include "core/counters_kernel.h"
#include "core/measure.h"
#include "kimage.h"
#include "registry.h"
#include "static_call.h"
#include "tb_kmod.h"

#define TB_CAL_LOOPS(name)                                       \
	uint64_t tb_cal_##name##_1(uint64_t passes, uint64_t x); \
	uint64_t tb_cal_##name##_2(uint64_t passes, uint64_t x)
TB_CAL_LOOPS(empty);
TB_CAL_LOOPS(add_chain);
TB_CAL_LOOPS(mul_chain);
TB_CAL_LOOPS(call_ret);
TB_CAL_LOOPS(branch_random);
TB_CAL_LOOPS(branch_fixed);

/* bench/<arch>/calibration.S's loops, by index: name_1, name_2, ... */
static const tb_loop_fn cal_loops[] = {
	tb_cal_empty_1,		tb_cal_empty_2,	    tb_cal_add_chain_1,
	tb_cal_add_chain_2,	tb_cal_mul_chain_1, tb_cal_mul_chain_2,
	tb_cal_call_ret_1,	tb_cal_call_ret_2,  tb_cal_branch_random_1,
	tb_cal_branch_random_2, tb_cal_branch_fixed_1, tb_cal_branch_fixed_2,
};

static char *selftest_break;
module_param(selftest_break, charp, 0444);
MODULE_PARM_DESC(selftest_break,
		 "tests only: the instance whose self-test is made to fail");

static struct tb_core core;
static struct tb_kcounters kc;
static uint64_t timer_hz;
static struct dentry *dir;
static DEFINE_MUTEX(lock);
static int selftest_err;
static char selftest_msg[128];

#define tb_bad(fmt, ...) \
	pr_warn_ratelimited("trampbench: " fmt "\n", ##__VA_ARGS__)

static const int64_t *desc_base(void)
{
	return tb_rel(&tb_image_header.targets);
}

/* Is @f one of the descriptors' code pointers (a loop, a wrapper)? */
static bool desc_is_fn(const int64_t *f)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int k = 0; k < in[i].nkeys; k++) {
			const struct tb_image_key *d = in[i].keys[k].desc;

			if (f == &d->call || f == &d->cond)
				return true;
			for (unsigned int l = 0; l < in[i].keys[k].nloops; l++)
				if (f == &in[i].keys[k].loops[l].loop1 ||
				    f == &in[i].keys[k].loops[l].loop2)
					return true;
		}
		for (unsigned int s = 0; s < in[i].nshapes; s++)
			if ((f == &in[i].shapes[s].one ||
			     f == &in[i].shapes[s].two) && *f)
				return true;
	}
	return false;
}

/* The key whose descriptor is at @off in .tb.desc, or NULL. */
static struct tb_static_call *desc_key(uint32_t off)
{
	const void *d = (const char *)desc_base() + off;
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int k = 0; k < in[i].nkeys; k++)
			if (in[i].keys[k].desc == d)
				return &in[i].keys[k];
	return NULL;
}

/* A module may update a key only where that is a store to its data. */
static const char *no_update(const struct tb_static_call *sc)
{
	if (sc->slot || sc->nsites)
		return "its update patches code";
	if (sc->lit && tb_kimage_in_text(sc->lit))
		return "its literal is in the module's read-only text";
	return NULL;
}

static struct tb_static_call *upd_key;

static uint64_t update_loop(uint64_t passes, uint64_t x)
{
	const void *a = tb_bench_target(), *b = tb_bench_target_b();

	for (uint64_t p = 0; p < passes; p++)
		tb_static_call_update(upd_key, upd_key->func == a ? b : a);
	return x;
}

static uint64_t update_loop2(uint64_t passes, uint64_t x)
{
	return update_loop(2 * passes, x);
}

static int resolve(const struct tb_kfn *f, tb_loop_fn *out, bool two)
{
	const int64_t *field;

	*out = NULL;
	switch (f->kind) {
	case TB_KFN_NONE:
		return 0;
	case TB_KFN_DESC:
		field = (const int64_t *)((const char *)desc_base() + f->index);
		if (f->index % 8 || !desc_is_fn(field)) {
			tb_bad("no loop at descriptor offset %u", f->index);
			return -EINVAL;
		}
		*out = tb_rel(field);
		return 0;
	case TB_KFN_CAL:
		if (f->index >= ARRAY_SIZE(cal_loops)) {
			tb_bad("no calibration loop %u", f->index);
			return -EINVAL;
		}
		*out = cal_loops[f->index];
		return 0;
	case TB_KFN_KSC:
		if (f->index >= TB_KSC_NR) {
			tb_bad("no static_call loop %u", f->index);
			return -EINVAL;
		}
		/* it takes a mutex and patches text where not generic */
		if (f->index == TB_KSC_UPDATE && strcmp(tb_ksc_kind, "generic")) {
			tb_bad("static_call_update() patches text here (%s): not run with interrupts off",
			       tb_ksc_kind);
			return -EPERM;
		}
		*out = tb_ksc_loops[f->index];
		return 0;
	case TB_KFN_UPDATE:
		*out = two ? update_loop2 : update_loop;
		return 0;
	}
	tb_bad("unknown function kind %u", f->kind);
	return -EINVAL;
}


static int pair(const struct tb_kpair *p, struct tb_loop_pair *lp)
{
	int err;

	memset(lp, 0, sizeof(*lp));
	if (p->one.kind == TB_KFN_UPDATE || p->two.kind == TB_KFN_UPDATE) {
		const char *why;

		upd_key = p->arg.kind == TB_KFN_DESC ? desc_key(p->arg.index) :
						       NULL;
		if (!upd_key) {
			tb_bad("no key at descriptor offset %u", p->arg.index);
			return -EINVAL;
		}
		why = no_update(upd_key);
		if (why) {
			tb_bad("%s: not updated: %s", upd_key->inst->name, why);
			return -EPERM;
		}
	}
	err = resolve(&p->one, &lp->one, false);
	if (!err)
		err = resolve(&p->two, &lp->two, true);
	if (err)
		return err;
	if (!lp->one || !p->items || p->items > 1 << 16 || p->warm > 1 << 16) {
		tb_bad("a loop pair needs loop one and 1 to 65536 items");
		return -EINVAL;
	}
	lp->items = p->items;
	lp->warm = p->warm;
	return 0;
}

/* Passes per batch of each loop one, sized once (its state matters less). */
#define SIZED_MAX 1024
static struct {
	tb_loop_fn fn;
	uint64_t passes;
} sized[SIZED_MAX];

/* With preemption and interrupts off: nothing else runs on this CPU. */
#define ATOMIC(stmt)                          \
	do {                                  \
		unsigned long flags;          \
		preempt_disable();            \
		local_irq_save(flags);        \
		stmt;                         \
		local_irq_restore(flags);     \
		preempt_enable();             \
	} while (0)

static uint64_t passes_of(const struct tb_loop_pair *lp)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < SIZED_MAX && sized[i].fn; i++)
		if (sized[i].fn == lp->one)
			return sized[i].passes;
	ATOMIC(n = tb_core_passes(lp, timer_hz));
	if (i < SIZED_MAX) {
		sized[i].fn = lp->one;
		sized[i].passes = n;
	}
	return n;
}

static int measure(const struct tb_loop_pair *lp, uint64_t passes,
		   bool count, struct tb_raw *r)
{
	int err = 0;

	ATOMIC(err = tb_core_measure(&core, lp, passes, count, r));
	return err;
}

static int do_batch(struct tb_kbatch *b)
{
	struct tb_loop_pair lp, base;
	const struct tb_loop_pair *clock, *probe;
	int err;

	if (core.counters.ngroups && raw_smp_processor_id() != kc.cpu) {
		tb_bad("batch on CPU %d, counters on CPU %d: pin the caller",
		       raw_smp_processor_id(), kc.cpu);
		return -EINVAL;
	}
	err = pair(&b->loops, &lp);
	if (!err && b->baseline.one.kind != TB_KFN_NONE)
		err = pair(&b->baseline, &base);
	if (err)
		return err;
	ATOMIC(clock = tb_core_clock(timer_hz, &b->clock_passes);
	       probe = tb_core_probe(timer_hz, &b->probe_passes));
	b->passes = passes_of(&lp);
	memset(&b->raw, 0, sizeof(b->raw));
	if (measure(&lp, b->passes, b->count, &b->raw.loops) ||
	    (b->baseline.one.kind != TB_KFN_NONE &&
	     measure(&base, b->passes, b->count, &b->raw.baseline)) ||
	    measure(clock, b->clock_passes, false, &b->raw.clock) ||
	    measure(probe, b->probe_passes, false, &b->raw.probe))
		return -EAGAIN;
	return 0;
}

static int do_open(const struct tb_kopen *o)
{
	int n = 0, err;

	if (o->ngroups > TB_COUNTERS_MAX || o->nevents > TB_COUNTERS_MAX) {
		tb_bad("%u events in %u groups: at most %d", o->nevents,
		       o->ngroups, TB_COUNTERS_MAX);
		return -EINVAL;
	}
	for (unsigned int g = 0; g < o->ngroups; g++) {
		if (!o->nr[g] || o->nr[g] > TB_GROUP_MAX) {
			tb_bad("group %u of %u events: 1 to %d", g, o->nr[g],
			       TB_GROUP_MAX);
			return -EINVAL;
		}
		n += o->nr[g];
	}
	if (n != (int)o->nevents) {
		tb_bad("groups of %d events, %u given", n, o->nevents);
		return -EINVAL;
	}
	core.counters.ops->close(&core.counters);
	memset(&kc, 0, sizeof(kc));
	kc.cpu = raw_smp_processor_id();
	kc.ngroups = o->ngroups;
	for (unsigned int i = 0; i < o->ngroups; i++)
		kc.nr[i] = o->nr[i];
	for (unsigned int i = 0; i < o->nevents; i++) {
		kc.type[i] = o->type[i];
		kc.config[i] = o->config[i];
		kc.config1[i] = o->config1[i];
	}
	core.counters.ops = &tb_kernel_counter_ops;
	core.counters.state = &kc;
	core.counters.level = TB_LEVEL_KERNEL;
	err = core.counters.ops->open(&core.counters);
	if (err) {
		tb_bad("event %d (type %u, config %#llx) did not open: %d",
		       kc.failed, kc.type[kc.failed],
		       (unsigned long long)kc.config[kc.failed], err);
		core.counters.ops = &tb_timer_counter_ops;
	}
	return err;
}

static int do_point(const struct tb_kpoint *p)
{
	static const void *(*const funcs[])(void) = {
		tb_bench_target, tb_ret0, tb_bench_target_b, tb_nop,
	};
	struct tb_static_call *sc;
	const char *why;

	if (p->key.kind == TB_KFN_KSC)
		return tb_ksc_point(p->func.index);
	sc = p->key.kind == TB_KFN_DESC ? desc_key(p->key.index) : NULL;
	if (!sc) {
		tb_bad("no key at descriptor offset %u", p->key.index);
		return -EINVAL;
	}
	why = no_update(sc);
	if (why) {
		tb_bad("%s: not updated: %s", sc->inst->name, why);
		return -EPERM;
	}
	if (p->func.kind == TB_KFN_NONE)
		return tb_static_call_update(sc, NULL);
	if (p->func.kind != TB_KFN_HEAD || p->func.index >= ARRAY_SIZE(funcs)) {
		tb_bad("no function %u:%u to point at", p->func.kind,
		       p->func.index);
		return -EINVAL;
	}
	return tb_static_call_update(sc, funcs[p->func.index]());
}

static long ctl_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;
	union {
		struct tb_kinfo info;
		struct tb_kopen open;
		struct tb_kbatch batch;
		struct tb_kpoint point;
	} *r;
	size_t size = _IOC_SIZE(cmd);
	long err = 0;

	(void)f;
	if (_IOC_TYPE(cmd) != 'T' || size > sizeof(*r)) {
		tb_bad("unknown ioctl %#x", cmd);
		return -ENOTTY;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	if (cmd != TB_KIOC_INFO && copy_from_user(r, u, size)) {
		kfree(r);
		return -EFAULT;
	}
	if (cmd != TB_KIOC_INFO && *(uint32_t *)r != size) {
		tb_bad("request %#x of %u bytes, not %zu: a module of another build?",
		       cmd, *(uint32_t *)r, size);
		kfree(r);
		return -EINVAL;
	}
	mutex_lock(&lock);
	switch (cmd) {
	case TB_KIOC_INFO:
		r->info.size = sizeof(r->info);
		r->info.abi = TB_KMOD_ABI;
		memcpy(r->info.arch, tb_image_header.arch, 8);
		strscpy(r->info.ksc, tb_ksc_kind, sizeof(r->info.ksc));
		r->info.timer_hz = timer_hz;
		tb_instances(&r->info.ninstances);
		r->info.ncal = ARRAY_SIZE(cal_loops);
		r->info.selftest_err = selftest_err;
		strscpy(r->info.selftest, selftest_msg,
			sizeof(r->info.selftest));
		break;
	case TB_KIOC_OPEN:
		err = do_open(&r->open);
		break;
	case TB_KIOC_BATCH:
		err = do_batch(&r->batch);
		break;
	case TB_KIOC_POINT:
		err = do_point(&r->point);
		break;
	default:
		tb_bad("unknown ioctl %#x", cmd);
		err = -ENOTTY;
	}
	mutex_unlock(&lock);
	if (!err && (cmd == TB_KIOC_INFO || cmd == TB_KIOC_BATCH) &&
	    copy_to_user(u, r, size))
		err = -EFAULT;
	kfree(r);
	return err;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ctl_ioctl,
};

/*
 * Every instance called through its plain key (the target's value with
 * six arguments), its RET0 key (0) where that does not trap under kCFI,
 * and, where a module may update it, pointed at another target and
 * back; then the kernel's own static_call.  The first failure is kept.
 */
static int selftest(void)
{
	static const long a[6] = { 3, 5, 7, 11, 13, 17 };
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);
	char *m = selftest_msg;
	size_t len = sizeof(selftest_msg);

	for (unsigned int i = 0; i < n; i++) {
		struct tb_static_call *sc = tb_key(&in[i], TB_INIT_TARGET, false);
		struct tb_static_call *r0 = tb_key(&in[i], TB_INIT_RET0, false);
		bool broken = selftest_break &&
			      !strcmp(selftest_break, in[i].name);
		long want = tb_target_expect(0, a[0], a[1], a[2], a[3], a[4],
					     a[5]);
		long got;

		if (!sc || !r0) {
			snprintf(m, len, "%s: no plain or RET0 key", in[i].name);
			return -ENOEXEC;
		}
		got = sc->call(a[0], a[1], a[2], a[3], a[4], a[5]);
		if (got != want || broken) {
			snprintf(m, len, "%s: the call returned %ld, not %ld%s",
				 in[i].name, got, want,
				 broken ? " (selftest_break)" : "");
			return -EIO;
		}
		if (!tb_static_call_traps(r0, tb_ret0()) &&
		    (got = r0->call(a[0], a[1], a[2], a[3], a[4], a[5]))) {
			snprintf(m, len, "%s: RET0 returned %ld", in[i].name,
				 got);
			return -EIO;
		}
		if (no_update(sc) || !tb_target(1))
			continue;
		tb_static_call_update(sc, tb_target(1));
		got = sc->call(a[0], a[1], a[2], a[3], a[4], a[5]);
		tb_static_call_update(sc, tb_target(0));
		want = tb_target_expect(1, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (got != want) {
			snprintf(m, len, "%s: updated, the call returned %ld, not %ld",
				 in[i].name, got, want);
			return -EIO;
		}
	}
	return tb_ksc_selftest(m, len);
}

static int __init tb_kmod_init(void)
{
	char err[128];
	unsigned int n;
	int ret;

	/* a pad-less entry faults where landing pads are enforced */
#if defined(CONFIG_X86_KERNEL_IBT)
	if (cpu_feature_enabled(X86_FEATURE_IBT)) {
		pr_err("trampbench: this kernel enforces IBT, which the image's pad=off entries lack: not loaded\n");
		return -EOPNOTSUPP;
	}
#endif
#if defined(CONFIG_ARM64_BTI_KERNEL)
	if (system_supports_bti()) {
		pr_err("trampbench: this kernel enforces BTI on its text, which the image's pad=off entries lack: not loaded\n");
		return -EOPNOTSUPP;
	}
#endif
#if defined(CONFIG_CFI_CLANG)
	pr_err("trampbench: this kernel checks kCFI types on indirect calls, which the image's loops do not carry: not loaded\n");
	return -EOPNOTSUPP;
#endif
	ret = tb_registry_init(tb_kimage(), &tb_image_header, err, sizeof(err));
	if (ret) {
		pr_err("trampbench: %s\n", err);
		return ret;
	}
	if (selftest_break) {
		struct tb_instance *in = tb_instances(&n);
		unsigned int i;

		for (i = 0; i < n && strcmp(in[i].name, selftest_break); i++)
			;
		if (i == n) {
			pr_err("trampbench: selftest_break=%s: no such instance\n",
			       selftest_break);
			tb_registry_exit();
			return -EINVAL;
		}
	}
#ifdef CONFIG_X86
	timer_hz = (uint64_t)tsc_khz * 1000;
#else
	timer_hz = read_sysreg(cntfrq_el0);
#endif
	core.counters.ops = &tb_timer_counter_ops;
	core.counters.ops->open(&core.counters);
	selftest_err = selftest();
	if (selftest_err)
		pr_err("trampbench: self-test failed: %s\n", selftest_msg);
	dir = debugfs_create_dir("trampbench", NULL);
	debugfs_create_file("ctl", 0600, dir, NULL, &ctl_fops);
	tb_instances(&n);
	pr_info("trampbench: %u instances, kernel static_call %s, timer %llu Hz%s\n",
		n, tb_ksc_kind, (unsigned long long)timer_hz,
		selftest_err ? ", self-test FAILED" : "");
	return 0;
}

static void __exit tb_kmod_exit(void)
{
	debugfs_remove_recursive(dir);
	core.counters.ops->close(&core.counters);
	tb_ksc_restore();
	tb_registry_exit();
}

module_init(tb_kmod_init);
module_exit(tb_kmod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("trampbench: static-call designs measured in the kernel");
