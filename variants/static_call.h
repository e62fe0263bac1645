/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static calls, with the kernel's API (include/linux/static_call.h) over
 * the generated variants: call one, call it conditionally, update it to
 * a function, NULL or RET0 (tb_ret0(), the image's __static_call_return0).
 *
 * The one header a user of the variants includes: the registry of
 * instances and keys (registry.h), specs (spec.h), the cost model
 * (cost.h) and the image (image.h) come with it.
 */
#ifndef TB_STATIC_CALL_H
#define TB_STATIC_CALL_H

#include <stdbool.h>

#include "arch.h"
#include "cost.h"
#include "image.h"
#include "registry.h"
#include "spec.h"

/* Update methods every architecture shares (the literal designs). */
int tb_update_literal(struct tb_image *img, struct tb_static_call *sc,
		      const void *func);
int tb_update_indirect(struct tb_image *img, struct tb_static_call *sc,
		       const void *func);
int tb_update_tail(struct tb_image *img, struct tb_static_call *sc,
		   const void *func);

/*
 * Would a call through sc trap if it pointed at func?  indirect:kcfi=on
 * checks the target's type id, and __static_call_return0 and
 * __static_call_nop have types of their own: the kernel traps there.
 */
bool tb_static_call_traps(const struct tb_static_call *sc, const void *func);

static inline long tb_static_call(const struct tb_static_call *sc, long a,
				  long b, long c, long d, long e, long f)
{
	return sc->call(a, b, c, d, e, f);
}

static inline long tb_static_call_cond(const struct tb_static_call *sc,
				       long a, long b, long c, long d, long e,
				       long f)
{
	return sc->cond(a, b, c, d, e, f);
}

/* Point sc at func: a function, NULL, or tb_ret0().  0 or -errno. */
int tb_static_call_update(struct tb_static_call *sc, const void *func);

/* Classify func for the patching rules. */
enum tb_target_kind tb_target_kind(const struct tb_static_call *sc,
				   const void *func);
const char *tb_target_kind_name(enum tb_target_kind kind);

#endif
