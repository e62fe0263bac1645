// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench --kernel; see kernel.h.  The module's image is the same
 * generated code, so a case's loops are named to it by where their
 * descriptor fields are (kmod/tb_kmod.h), the calibration loops by
 * index, and the state a scenario's set-up gave the case's key is
 * mirrored into the module's key before each batch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "calibration.h"
#include "engine.h"
#include "gbench.h"
#include "kernel.h"
#include "scenario.h"
#include "tb_kmod.h"

static int ctl = -1;
static bool loaded;
static struct tb_kinfo info;
static struct tb_meter *meter;

#define kfail(...) (fprintf(stderr, "trampbench: " __VA_ARGS__), -1)

static void module_path(const struct tb_options *o, char *out, size_t len)
{
	char exe[4096];
	ssize_t n;

	if (o->kmod) {
		snprintf(out, len, "%s", o->kmod);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = '\0';
	snprintf(out, len, "%s/kmod/trampbench.ko", n > 0 ? exe : ".");
}

/* The first word of the module's vermagic, from its .modinfo. */
static int vermagic(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "rb");
	const char *key = "vermagic=";
	size_t k = 0;
	int c;

	out[0] = '\0';
	if (!f)
		return -1;
	while ((c = getc(f)) != EOF) {
		k = c == key[k] ? k + 1 : (c == key[0] ? 1 : 0);
		if (!key[k]) {
			size_t i = 0;

			while ((c = getc(f)) != EOF && c && c != ' ' &&
			       i + 1 < len)
				out[i++] = (char)c;
			out[i] = '\0';
			break;
		}
	}
	fclose(f);
	return out[0] ? 0 : -1;
}

int tb_kernel_check(const struct tb_options *o)
{
	char path[4200], magic[128];
	struct utsname u;
	struct stat st;
	FILE *f;
	int off = 0;

	if (geteuid())
		return kfail("--kernel loads a kernel module: run it as root (sudo trampbench --kernel ...)\n");
	f = fopen("/proc/sys/kernel/modules_disabled", "r");
	if (f) {
		if (fscanf(f, "%d", &off) != 1)
			off = 0;
		fclose(f);
	}
	if (off)
		return kfail("--kernel: module loading is disabled on this kernel (/proc/sys/kernel/modules_disabled is 1 until reboot)\n");
	uname(&u);
	module_path(o, path, sizeof(path));
	if (access(path, R_OK))
		return kfail("--kernel: no module at %s: build it for this kernel with make kmod KDIR=/lib/modules/%s/build\n",
			     path, u.release);
	if (vermagic(path, magic, sizeof(magic)) || strcmp(magic, u.release))
		return kfail("--kernel: %s was built for kernel %s, this is %s: rebuild it with make kmod KDIR=/lib/modules/%s/build\n",
			     path, magic[0] ? magic : "(none)", u.release,
			     u.release);
	if (!stat("/sys/module/" TB_KMOD_NAME, &st))
		return kfail("--kernel: the module is loaded already (another trampbench --kernel?); rmmod " TB_KMOD_NAME " if none runs\n");
	return 0;
}

void tb_kernel_unload(void)
{
	if (ctl >= 0)
		close(ctl);
	ctl = -1;
	if (loaded && syscall(SYS_delete_module, TB_KMOD_NAME, O_NONBLOCK))
		fprintf(stderr, "trampbench: cannot unload the module: %s; rmmod " TB_KMOD_NAME "\n",
			strerror(errno));
	loaded = false;
}

int tb_kernel_load(const struct tb_options *o, FILE *out)
{
	const char *params = getenv("TB_KMOD_PARAMS");
	char path[4200];
	int fd;

	module_path(o, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kfail("--kernel: cannot open %s: %s\n", path,
			     strerror(errno));
	if (syscall(SYS_finit_module, fd, params ? params : "", 0)) {
		int e = errno;

		close(fd);
		return kfail("--kernel: the kernel refused %s: %s (its log says why: dmesg | tail)\n",
			     path, strerror(e));
	}
	close(fd);
	loaded = true;
	atexit(tb_kernel_unload);
	ctl = open(TB_KMOD_CTL, O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		tb_kernel_unload();
		return kfail("--kernel: no %s: is debugfs mounted? (mount -t debugfs none /sys/kernel/debug)\n",
			     TB_KMOD_CTL);
	}
	if (ioctl(ctl, TB_KIOC_INFO, &info) || info.abi != TB_KMOD_ABI ||
	    info.size != sizeof(info)) {
		tb_kernel_unload();
		return kfail("--kernel: %s is of another build of trampbench: rebuild both (make, make kmod)\n",
			     path);
	}
	if (info.selftest_err) {
		tb_kernel_unload();
		return kfail("--kernel: the kernel self-test failed, module unloaded: %s\n",
			     info.selftest);
	}
	fprintf(out, "kernel: module %s loaded, self-test of %u instances ok; the kernel's static_call is %s\n",
		path, info.ninstances, info.ksc);
	return 0;
}

/* ---- naming the user image's functions to the module ------------------ */

static const int64_t *desc_base(void)
{
	return tb_rel(&tb_image_current()->hdr->targets);
}

static uint32_t desc_off(const void *field)
{
	return (uint32_t)((const char *)field - (const char *)desc_base());
}

/* The descriptor field of the image pointing at fn, or NULL. */
static const int64_t *desc_field(const void *fn)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int k = 0; k < in[i].nkeys; k++) {
			const struct tb_static_call *sc = &in[i].keys[k];

			if (tb_rel(&sc->desc->call) == fn)
				return &sc->desc->call;
			if (tb_rel(&sc->desc->cond) == fn)
				return &sc->desc->cond;
			for (unsigned int l = 0; l < sc->nloops; l++) {
				if (tb_rel(&sc->loops[l].loop1) == fn)
					return &sc->loops[l].loop1;
				if (tb_rel(&sc->loops[l].loop2) == fn)
					return &sc->loops[l].loop2;
			}
		}
		for (unsigned int s = 0; s < in[i].nshapes; s++) {
			if (tb_rel(&in[i].shapes[s].one) == fn)
				return &in[i].shapes[s].one;
			if (in[i].shapes[s].two && tb_rel(&in[i].shapes[s].two) == fn)
				return &in[i].shapes[s].two;
		}
	}
	return NULL;
}

static const tb_loop_fn cal_loops[] = {
	tb_cal_empty_1,		tb_cal_empty_2,	    tb_cal_add_chain_1,
	tb_cal_add_chain_2,	tb_cal_mul_chain_1, tb_cal_mul_chain_2,
	tb_cal_call_ret_1,	tb_cal_call_ret_2,  tb_cal_branch_random_1,
	tb_cal_branch_random_2, tb_cal_branch_fixed_1, tb_cal_branch_fixed_2,
};

/* The module's own static_call loops stand for these in user space. */
static uint64_t ksc_stand_in(uint64_t passes, uint64_t x)
{
	(void)passes;
	return x;
}

static int kfn(tb_loop_fn fn, struct tb_kfn *out)
{
	const int64_t *f;

	*out = (struct tb_kfn){ TB_KFN_NONE, 0 };
	if (!fn)
		return 0;
	for (uint32_t i = 0; i < TB_ARRAY_SIZE(cal_loops); i++)
		if (cal_loops[i] == fn) {
			*out = (struct tb_kfn){ TB_KFN_CAL, i };
			return 0;
		}
	f = desc_field((const void *)fn);
	if (!f)
		return -1;
	*out = (struct tb_kfn){ TB_KFN_DESC, desc_off(f) };
	return 0;
}

static int kpair(const struct tb_loop_pair *lp, struct tb_kpair *out)
{
	memset(out, 0, sizeof(*out));
	out->items = lp->items;
	out->warm = lp->warm;
	return kfn(lp->one, &out->one) || kfn(lp->two, &out->two) ? -1 : 0;
}

/* ---- cases -------------------------------------------------------------- */

struct kcase {
	const struct tb_case *c;
	struct tb_kbatch req;
	int ksc; /* the kernel's static_call: its state, else -1 */
	bool mirror; /* point the module's key as c->sc is */
};

/*
 * What each of the module's keys was last pointed at: cases of the same
 * key take turns (repetitions are interleaved), so each batch checks.
 */
static struct {
	uint32_t key;
	const void *func;
} pointed[64];
static size_t npointed;

static struct kcase *kcases;
static size_t nkcases;

static struct kcase *kcase_new(const struct tb_case *c)
{
	struct kcase *k = realloc(kcases, (nkcases + 1) * sizeof(*k));

	if (!k)
		return NULL;
	kcases = k;
	k = &kcases[nkcases++];
	memset(k, 0, sizeof(*k));
	k->c = c;
	k->ksc = -1;
	k->req.size = sizeof(k->req);
	return k;
}

static struct kcase *kcase_find(const struct tb_case *c)
{
	for (size_t i = 0; i < nkcases; i++)
		if (kcases[i].c == c)
			return &kcases[i];
	return NULL;
}

/* Why a module cannot update sc, or NULL: as kmod/tb_kmod.c decides. */
static const char *no_update(const struct tb_static_call *sc)
{
	if (sc->slot || sc->nsites)
		return "its update patches code, and a module writes no kernel text (only the kernel's own static_call patches it)";
	if (sc->lit && tb_image_in_text(tb_image_current(), sc->lit))
		return "its literal is in text, read-only in a module";
	return NULL;
}

/* A case's batch request; NULL with why it cannot be one in *why. */
static struct kcase *kcase_map(struct tb_case *c, const char **why)
{
	struct kcase *k = kcase_find(c);

	*why = NULL;
	if (k)
		return k;
	if (c->cold.one) {
		*why = "cold: its sampler runs in user space only, not yet in the module";
		return NULL;
	}
	if (c->aux) {
		*why = "its driver is user-space C, not in the module";
		return NULL;
	}
	if (c->scn == &tb_scenario_far) {
		*why = "far: a module has no mapping 4 GiB away";
		return NULL;
	}
	if (c->scn == &tb_scenario_update && c->arg) {
		*why = "concurrent: the caller on another CPU is user space's, not yet the module's";
		return NULL;
	}
	if (c->sc && (c->scn && (c->scn->setup || c->scn == &tb_scenario_update)) &&
	    (*why = no_update(c->sc)))
		return NULL;
	k = kcase_new(c);
	if (!k) {
		*why = "out of memory";
		return NULL;
	}
	if (c->scn == &tb_scenario_update) {
		k->req.loops = (struct tb_kpair){
			.one = { TB_KFN_UPDATE, 0 }, .two = { TB_KFN_UPDATE, 1 },
			.items = 1, .arg = { TB_KFN_DESC, desc_off(c->sc->desc) },
		};
	} else if (kpair(&c->loops, &k->req.loops)) {
		nkcases--;
		*why = "its loops are not in the module's image";
		return NULL;
	}
	if (c->baseline.one && kpair(&c->baseline, &k->req.baseline)) {
		nkcases--;
		*why = "its baseline loops are not in the module's image";
		return NULL;
	}
	k->mirror = c->sc && c->scn && c->scn->setup;
	return k;
}

void tb_kernel_case(struct tb_case *c)
{
	const char *why;
	size_t n = strlen(c->name), pre = strlen("kernel/");

	/* names fit: the longest scenario name is far from sizeof(name) */
	if (n + pre < sizeof(c->name)) {
		memmove(c->name + pre, c->name, n + 1);
		memcpy(c->name, "kernel/", pre);
	}
	if (c->skip)
		return;
	if (!kcase_map(c, &why)) {
		snprintf(c->skip_buf, sizeof(c->skip_buf), "in the kernel: %s",
			 why);
		c->skip = c->skip_buf;
	}
}

static const void *(*const head_funcs[])(void) = {
	tb_bench_target, tb_ret0, tb_bench_target_b, tb_nop,
};

static int mirror(struct kcase *k)
{
	struct tb_kpoint p = { .size = sizeof(p) };
	const void *func = k->c->sc->func;

	size_t i;

	for (i = 0; i < npointed; i++)
		if (pointed[i].key == desc_off(k->c->sc->desc))
			break;
	if (i < npointed && pointed[i].func == func)
		return 0;
	p.key = (struct tb_kfn){ TB_KFN_DESC, desc_off(k->c->sc->desc) };
	p.func.kind = TB_KFN_NONE;
	for (uint32_t j = 0; func && j < TB_ARRAY_SIZE(head_funcs); j++)
		if (head_funcs[j]() == func)
			p.func = (struct tb_kfn){ TB_KFN_HEAD, j };
	if (func && p.func.kind == TB_KFN_NONE)
		return kfail("%s: its key points at a function the module does not know\n",
			     k->c->name);
	if (ioctl(ctl, TB_KIOC_POINT, &p))
		return kfail("%s: the module did not point its key: %s\n",
			     k->c->name, strerror(errno));
	if (i == npointed && npointed < TB_ARRAY_SIZE(pointed))
		npointed++;
	if (i < npointed)
		pointed[i] = (typeof(pointed[0])){ p.key.index, func };
	return 0;
}

static int kbatch(struct tb_case *c, struct tb_batch_spec *spec,
		  struct tb_raw_batch *raw)
{
	const char *why;
	struct kcase *k = kcase_map(c, &why);

	if (!k)
		return kfail("%s: %s\n", c->name, why);
	if (k->ksc >= 0) {
		struct tb_kpoint p = { .size = sizeof(p),
				       .key = { TB_KFN_KSC, 0 },
				       .func = { TB_KFN_HEAD, (uint32_t)k->ksc } };

		if (ioctl(ctl, TB_KIOC_POINT, &p))
			return kfail("%s: %s\n", c->name, strerror(errno));
	} else if (k->mirror && mirror(k)) {
		return -1;
	}
	k->req.count = meter->counting;
	if (ioctl(ctl, TB_KIOC_BATCH, &k->req))
		return errno == EAGAIN ? -1 :
			kfail("%s: the module's batch failed: %s (dmesg | tail)\n",
			      c->name, strerror(errno));
	*raw = k->req.raw;
	spec->passes = k->req.passes;
	spec->clock_passes = k->req.clock_passes;
	spec->probe_passes = k->req.probe_passes;
	return 0;
}

int tb_kernel_start(struct tb_meter *m)
{
	struct tb_kopen op = { .size = sizeof(op) };

	meter = m;
	tb_engine_batch = kbatch;
	if (!m->counting)
		return 0;
	op.ngroups = (uint32_t)m->core.counters.ngroups;
	op.nevents = (uint32_t)m->nevents;
	for (int g = 0; g < m->core.counters.ngroups; g++)
		op.nr[g] = (uint32_t)m->core.counters.nr[g];
	for (int i = 0; i < m->nevents; i++) {
		op.type[i] = m->events[i].attr.type;
		op.config[i] = m->events[i].attr.config;
		op.config1[i] = m->events[i].attr.config1;
	}
	if (ioctl(ctl, TB_KIOC_OPEN, &op))
		return kfail("--kernel: the module could not open the events (%s): dmesg | tail says which\n",
			     strerror(errno));
	return 0;
}

/* ---- the kernel's own static_call ---------------------------------------- */

int tb_kernel_register_own(const struct tb_options *o,
			   const struct tb_run_opts *run)
{
	static const struct {
		const struct tb_scenario *scn;
		const char *params;
		struct tb_kpair loops;
		int state;
	} rows[] = {
		{ &tb_scenario_hot, "tput",
		  { { TB_KFN_KSC, TB_KSC_CALL16 }, { TB_KFN_KSC, TB_KSC_CALL32 },
		    16, 0, { 0, 0 } }, 0 },
		{ &tb_scenario_null, "",
		  { { TB_KFN_KSC, TB_KSC_COND16 }, { TB_KFN_KSC, TB_KSC_COND32 },
		    16, 0, { 0, 0 } }, 0 },
		{ &tb_scenario_ret0, "",
		  { { TB_KFN_KSC, TB_KSC_CALL16 }, { TB_KFN_KSC, TB_KSC_CALL32 },
		    16, 0, { 0, 0 } }, 1 },
		{ &tb_scenario_update, "alone",
		  { { TB_KFN_KSC, TB_KSC_UPDATE }, { TB_KFN_NONE, 0 },
		    1, 0, { 0, 0 } }, 0 },
	};
	char variant[48];

	snprintf(variant, sizeof(variant), "static_call:kind=%s", info.ksc);
	for (size_t r = 0; r < TB_ARRAY_SIZE(rows); r++) {
		struct tb_gb_param p = { rows[r].params, NULL };
		struct tb_case *c;
		struct kcase *k;
		bool want = !o->nscns;

		for (unsigned int s = 0; s < o->nscns; s++)
			want |= o->scns[s] == rows[r].scn;
		if (!want)
			continue;
		c = calloc(1, sizeof(*c));
		if (!c || !(k = kcase_new(c)))
			return kfail("out of memory for the kernel's cases\n");
		snprintf(c->name, sizeof(c->name), "kernel/%s/%s%s%s",
			 rows[r].scn->name, variant,
			 *rows[r].params ? "/" : "", rows[r].params);
		snprintf(c->params, sizeof(c->params), "%s", rows[r].params);
		c->loops = (struct tb_loop_pair){ .one = ksc_stand_in,
						  .two = ksc_stand_in,
						  .items = rows[r].loops.items };
		if (rows[r].scn == &tb_scenario_update)
			c->loops.two = NULL;
		snprintf(c->label_buf, sizeof(c->label_buf),
			 "the kernel's own static_call: %s", info.ksc);
		c->label = c->label_buf;
		k->req.loops = rows[r].loops;
		k->ksc = rows[r].state;
		/* patched code is written under a mutex, with IPIs: not atomic */
		if (rows[r].scn == &tb_scenario_update &&
		    strcmp(info.ksc, "generic")) {
			snprintf(c->skip_buf, sizeof(c->skip_buf),
				 "the kernel's static_call_update() patches text here (%s: mutex, text_poke_bp's IPIs), which cannot run with interrupts off",
				 info.ksc);
			c->skip = c->skip_buf;
		}
		if (tb_case_register(c, run) ||
		    tb_gb_set_id(c->name, &(struct tb_gb_id){
				 .scenario = rows[r].scn->name,
				 .variant = variant,
				 .variant_short = variant,
				 .params = *rows[r].params ? &p : NULL,
				 .nparams = *rows[r].params ? 1 : 0 }))
			return kfail("%s: cannot register it\n", c->name);
	}
	return 0;
}
