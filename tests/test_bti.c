// SPDX-License-Identifier: GPL-2.0
/*
 * BTI: with the landing-pad knob on, every entry reached indirectly has
 * its `bti c`.  Two ways, both enforced by qemu-aarch64 (or a BTI core):
 *
 *  1. The image as the suite maps it, text guarded with PROT_BTI: call
 *     each trampoline through a pointer, in every state (so targets,
 *     __static_call_return0 and the nop are reached by `br x16` too).
 *  2. The image linked as a shared object from BTI-marked input only
 *     (GNU property note, -nostartfiles), run in place: ld.so guards it
 *     because of the note.  Variants whose literal lives in the text
 *     (lit=adjacent, direct) would need text writes to set up there, so
 *     they are covered by 1 only.
 *
 * Negative controls prove enforcement is on: an entry without a pad, and
 * every pad=off trampoline, must raise SIGILL when called indirectly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "static_call.h"
#include "tb_test.h"

#ifndef HWCAP2_BTI
#define HWCAP2_BTI (1 << 17)
#endif
#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#ifndef GNU_PROPERTY_AARCH64_FEATURE_1_AND
#define GNU_PROPERTY_AARCH64_FEATURE_1_AND 0xc0000000
#define GNU_PROPERTY_AARCH64_FEATURE_1_BTI 1
#endif

/* What a call returns in a key's initial state (see enum tb_key_init). */
static void expect_init(enum tb_key_init init, long r)
{
	if (init == TB_INIT_TARGET || init == TB_INIT_LITPATH)
		assert_int_equal(r, tb_target_expect(0, A));
	else if (init == TB_INIT_RET0)
		assert_int_equal(r, 0);
	else
		assert_true(r == 0 || r == 0x11);
}

static bool bti_cpu(void)
{
#ifdef __aarch64__
	return getauxval(AT_HWCAP2) & HWCAP2_BTI;
#else
	return false;
#endif
}

static void test_mapped_image(void **state)
{
	struct tb_image *img = tb_image_current();
	unsigned int n, padded = 0, faulted = 0;
	struct tb_instance *in = tb_instances(&n);
	static const enum tb_key_init inits[] = { TB_INIT_TARGET, TB_INIT_NULL,
						  TB_INIT_RET0 };

	(void)state;
	if (!bti_cpu() || !img->bti) {
		print_message("skip: BTI is not available here (%s)\n",
			      bti_cpu() ? "PROT_BTI refused" :
					  "no BTI in this CPU");
		skip();
	}
	for (unsigned int i = 0; i < n; i++) {
		const char *pad = tb_knob(&in[i], "pad");
		struct tb_static_call *sc = tb_key(&in[i], TB_INIT_TARGET,
						   false);
		tb_call_fn entry = (tb_call_fn)sc->tramp;

		if (!pad)
			continue;
		if (!strcmp(pad, "off")) {
			assert_int_equal(tb_child_signal(entry), SIGILL);
			faulted++;
			continue;
		}
		for (size_t s = 0; s < sizeof(inits) / sizeof(*inits); s++) {
			const void *f[] = { tb_target(0), NULL, tb_ret0() };

			assert_int_equal(tb_static_call_update(sc, f[s]), 0);
			expect_init(inits[s], entry(A));
			padded++;
		}
	}
	print_message("PROT_BTI image: %u pad=on trampoline calls through a pointer ran, %u pad=off entries raised SIGILL\n",
		      padded, faulted);
	assert_true(padded > 0 && faulted > 0);
}

/* The GNU property note of the loaded object, if it has BTI. */
static int find_bti_note(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *want = arg;

	(void)size;
	if (!strstr(info->dlpi_name, want))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint32_t *w;

		if (ph->p_type != PT_GNU_PROPERTY)
			continue;
		/* Elf64_Nhdr, "GNU\0", then (pr_type, pr_datasz, data) pairs */
		w = (const uint32_t *)(info->dlpi_addr + ph->p_vaddr);
		for (const uint8_t *p = (const uint8_t *)&w[4],
				   *end = p + w[1];
		     p + 12 <= end;
		     p += 8 + ((((const uint32_t *)p)[1] + 7) & ~7u)) {
			const uint32_t *prop = (const uint32_t *)p;

			if (prop[0] == GNU_PROPERTY_AARCH64_FEATURE_1_AND)
				return prop[2] &
				       GNU_PROPERTY_AARCH64_FEATURE_1_BTI;
		}
	}
	return 0;
}

struct seg_query {
	const char *name;
	uintptr_t addr;
	int prot; /* -1: not found */
};

static int find_segment(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct seg_query *q = arg;

	(void)size;
	if (!strstr(info->dlpi_name, q->name))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || q->addr < start ||
		    q->addr >= start + ph->p_memsz)
			continue;
		q->prot = (ph->p_flags & PF_X ? PROT_EXEC : 0) |
			  (ph->p_flags & PF_W ? PROT_WRITE : 0) | PROT_READ;
		return 1;
	}
	return 0;
}

/* Apply the image's pointer table where it is data; 1 if not text. */
static bool set_pointer(uint8_t *where, uint64_t v)
{
	struct seg_query q = { "variants.so", (uintptr_t)where, -1 };
	long page = sysconf(_SC_PAGESIZE);
	void *p = (void *)((uintptr_t)where & ~(page - 1));

	dl_iterate_phdr(find_segment, &q);
	assert_int_not_equal(q.prot, -1);
	if (q.prot & PROT_EXEC)
		return false;
	/* RELRO made .data.rel.ro read-only after loading. */
	assert_int_equal(mprotect(p, page, PROT_READ | PROT_WRITE), 0);
	memcpy(where, &v, sizeof(v));
	return true;
}

static void test_gnu_property_object(void **state)
{
	char path[4096];
	const char *build = getenv("TB_BUILD");
	const struct tb_image_header *h;
	const struct tb_image_instance *inst;
	const int64_t *e;
	unsigned int padded = 0, faulted = 0, skipped = 0;
	void *dl;

	(void)state;
	if (!bti_cpu()) {
		print_message("skip: no BTI in this CPU\n");
		skip();
	}
	assert_non_null(build);
	snprintf(path, sizeof(path), "%s/image/variants.so", build);
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		fail_msg("dlopen %s: %s", path, dlerror());
	assert_true(dl_iterate_phdr(find_bti_note, "variants.so"));
	h = dlsym(dl, "tb_image_header");
	assert_non_null(h);
	assert_int_equal(tb_child_signal((tb_call_fn)tb_rel(&h->nopad_probe)),
			 SIGILL);
	print_message("%s: GNU property BTI; an entry without `bti c` raises SIGILL\n",
		      path);

	/* Pointers in data: the literals of lit=rodata, indirect's pointers. */
	e = tb_rel(&h->init);
	for (int64_t i = 0; i < h->init_size / 8; i += 2)
		set_pointer(tb_rel(&e[i]), (uintptr_t)tb_rel(&e[i + 1]));

	inst = tb_rel(&h->instances);
	for (int64_t i = 0; i < h->ninstances; i++) {
		const struct tb_image_key *k = tb_rel(&inst[i].keys);
		const char *name = tb_rel(&inst[i].name);
		bool pad = !strstr(name, "pad=off");

		if (strstr(name, "lit=adjacent") || strstr(name, "direct")) {
			skipped++;
			continue;
		}
		for (int64_t j = 0; j < inst[i].nkeys; j++) {
			tb_call_fn call = (tb_call_fn)tb_rel(&k[j].call);
			tb_call_fn cond = (tb_call_fn)tb_rel(&k[j].cond);
			tb_call_fn tramp = (tb_call_fn)tb_rel(&k[j].tramp);

			if (k[j].flags & (TB_KEY_BENCH | TB_KEY_SCN))
				continue;
			/* kCFI: RET0's and the nop's type ids are their own. */
			if (strstr(name, "kcfi=on") &&
			    (k[j].init == TB_INIT_RET0 ||
			     (k[j].init == TB_INIT_NULL &&
			      strstr(name, "null=nop")))) {
				int sig = tb_child_signal(call);

				assert_true(sig == SIGTRAP || sig == SIGILL);
				continue;
			}
			expect_init(k[j].init, call(A));
			expect_init(k[j].init, cond(A));
			if (!tramp)
				continue;
			if (pad) {
				expect_init(k[j].init, tramp(A));
				padded++;
			} else if (j == 0) {
				assert_int_equal(tb_child_signal(tramp), SIGILL);
				faulted++;
			}
		}
	}
	print_message("in place: %u pad=on trampolines called through a pointer, %u pad=off raised SIGILL; %u instances with literals in text left to the PROT_BTI test\n",
		      padded, faulted, skipped);
	assert_true(padded > 0 && faulted > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapped_image),
		cmocka_unit_test(test_gnu_property_object),
	};

	if (strcmp(tb_arch_name, "arm64")) {
		/* BTI is arm64's; endbr64 presence is checked by test_static_call. */
		printf("test_bti: BTI is an arm64 feature; nothing to run on %s\n",
		       tb_arch_name);
		return 0;
	}
	return cmocka_run_group_tests_name("bti", tests, tb_test_setup,
					   tb_test_teardown);
}
