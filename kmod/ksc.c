// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's own static_call, as a variant beside the image's
 * designs: DEFINE_STATIC_CALL in this module, static_call_update(),
 * static_call_cond() of a NULL key, __static_call_return0 for RET0.
 * What the kernel makes of it is read from its configuration when the
 * module is built (the build's autoconf.h), never assumed:
 *   inline      HAVE_STATIC_CALL_INLINE: each call site is patched
 *               (x86: a direct call to the function, a nop for NULL)
 *   trampoline  HAVE_STATIC_CALL: a call to a patched trampoline
 *   generic     neither: an indirect call through the key (arm64 6.1:
 *               ldr, blr) and a plain store to update it
 */
#include <linux/compiler.h>
#include <linux/static_call.h>

#include "core/measure.h"
#include "kimage.h"

#if defined(CONFIG_HAVE_STATIC_CALL_INLINE)
const char tb_ksc_kind[] = "inline";
#elif defined(CONFIG_HAVE_STATIC_CALL)
const char tb_ksc_kind[] = "trampoline";
#else
const char tb_ksc_kind[] = "generic";
#endif

/* Targets that return at once, each its own value for the self-test. */
static noinline long ksc_target(void)
{
	barrier();
	return 1;
}

static noinline long ksc_target_b(void)
{
	barrier();
	return 2;
}

static noinline void ksc_void(void)
{
	barrier();
}

DEFINE_STATIC_CALL(tb_ksc, ksc_target);
DEFINE_STATIC_CALL_NULL(tb_ksc_null, ksc_void);

#define R4(x) x x x x
#define R16(x) R4(R4(x))

/* A pass: 16 sites (or 32); the result is ignored, as the image's tput. */
#define KSC_LOOP(name, body)                                           \
	static noinline uint64_t name(uint64_t passes, uint64_t x)     \
	{                                                              \
		for (uint64_t p = 0; p < passes; p++) {                \
			body                                           \
		}                                                      \
		return x;                                              \
	}

KSC_LOOP(ksc_call16, R16(static_call(tb_ksc)();))
KSC_LOOP(ksc_call32, R16(static_call(tb_ksc)(); static_call(tb_ksc)();))
KSC_LOOP(ksc_cond16, R16(static_call_cond(tb_ksc_null)();))
KSC_LOOP(ksc_cond32, R16(static_call_cond(tb_ksc_null)();
			 static_call_cond(tb_ksc_null)();))

static const void *ksc_now = ksc_target;

/* One static_call_update() an item, between the two targets. */
static noinline uint64_t ksc_update(uint64_t passes, uint64_t x)
{
	for (uint64_t p = 0; p < passes; p++) {
		if (ksc_now == ksc_target) {
			static_call_update(tb_ksc, ksc_target_b);
			ksc_now = ksc_target_b;
		} else {
			static_call_update(tb_ksc, ksc_target);
			ksc_now = ksc_target;
		}
	}
	return x;
}

const tb_loop_fn tb_ksc_loops[] = {
	[TB_KSC_CALL16] = ksc_call16, [TB_KSC_CALL32] = ksc_call32,
	[TB_KSC_COND16] = ksc_cond16, [TB_KSC_COND32] = ksc_cond32,
	[TB_KSC_UPDATE] = ksc_update,
};

int tb_ksc_point(unsigned int what)
{
	switch (what) {
	case 0:
		static_call_update(tb_ksc, ksc_target);
		ksc_now = ksc_target;
		return 0;
	case 1:
		static_call_update(tb_ksc, &__static_call_return0);
		ksc_now = NULL;
		return 0;
	case 2:
		static_call_update(tb_ksc, ksc_target_b);
		ksc_now = ksc_target_b;
		return 0;
	}
	return -EINVAL;
}

void tb_ksc_restore(void)
{
	tb_ksc_point(0);
}

/* Each state called once: the value its target returns. */
int tb_ksc_selftest(char *err, size_t len)
{
	static const long want[] = { 1, 0, 2 };
	long got;

	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		tb_ksc_point(i);
		got = static_call(tb_ksc)();
		if (got != want[i]) {
			snprintf(err, len,
				 "kernel:static_call=%s: state %u returned %ld, not %ld",
				 tb_ksc_kind, i, got, want[i]);
			tb_ksc_restore();
			return -EIO;
		}
	}
	tb_ksc_restore();
	/* NULL: static_call_cond() of the NULL key runs nothing */
	static_call_cond(tb_ksc_null)();
	return 0;
}
