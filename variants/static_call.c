// SPDX-License-Identifier: GPL-2.0
/*
 * static_call_update(): point a static call at a function, NULL or RET0
 * through its variant's method (variants/<arch>/static_call.c), the
 * literal designs' methods every architecture shares, and the rules the
 * methods and the callers need (what traps under kCFI, what kind of
 * target a function is).
 */
#include <errno.h>
#include <string.h>

#include "static_call.h"

/* indirect's pointer for func: NULL is __static_call_nop with null=nop. */
static const void *indirect_pointer(const struct tb_static_call *sc,
				    const void *func)
{
	return !func && tb_knob_is(sc->inst, "null", "nop") ? tb_nop() : func;
}

bool tb_static_call_traps(const struct tb_static_call *sc, const void *func)
{
	if (strcmp(sc->inst->variant, "indirect") ||
	    !tb_knob_is(sc->inst, "kcfi", "on"))
		return false;
	func = indirect_pointer(sc, func);
	return func && (func == tb_ret0() || func == tb_nop());
}

/*
 * The literal designs update the same way on every architecture: one
 * 64-bit store (cbz, indirect: 0 for NULL).
 */
int tb_update_literal(struct tb_image *img, struct tb_static_call *sc,
		      const void *func)
{
	tb_image_write_u64(img, sc->lit, (uintptr_t)func);
	return 0;
}

/*
 * indirect: the pointer; NULL stays NULL with null=test (the site tests
 * it), else it becomes __static_call_nop, which the kernel's generic
 * static_call_cond() calls instead of testing.
 */
int tb_update_indirect(struct tb_image *img, struct tb_static_call *sc,
		       const void *func)
{
	return tb_update_literal(img, sc, indirect_pointer(sc, func));
}

/* tail: never NULL; NULL runs __static_call_return0 (or the nop knob). */
int tb_update_tail(struct tb_image *img, struct tb_static_call *sc,
		   const void *func)
{
	if (!func)
		func = tb_knob_is(sc->inst, "null", "nop") ? tb_nop() :
							     tb_ret0();
	return tb_update_literal(img, sc, func);
}

int tb_static_call_update(struct tb_static_call *sc, const void *func)
{
	int err = sc->inst->ops->update(tb_registry_image(), sc, func);

	if (!err)
		sc->func = func;
	return err;
}

enum tb_target_kind tb_target_kind(const struct tb_static_call *sc,
				   const void *func)
{
	const void *from = sc->slot ? sc->slot : sc->tramp;

	if (!func)
		return TB_KIND_NULL;
	if (func == tb_ret0())
		return TB_KIND_RET0;
	if (sc->nsites)
		from = tb_rel(&sc->sites[0]);
	if (from && !tb_arch_in_branch_range(from, func))
		return TB_KIND_FAR;
	return TB_KIND_NEAR;
}

const char *tb_target_kind_name(enum tb_target_kind kind)
{
	static const char *const names[] = {
		[TB_KIND_NEAR] = "near",
		[TB_KIND_FAR] = "far",
		[TB_KIND_NULL] = "NULL",
		[TB_KIND_RET0] = "RET0",
	};
	return names[kind];
}
