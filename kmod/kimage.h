/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TB_KIMAGE_H
#define TB_KIMAGE_H

#include "core/measure.h"
#include "image_desc.h"
#include "tb_kmod.h"

struct tb_image;

/* The generated image's header, linked into the module. */
extern const struct tb_image_header tb_image_header;

struct tb_image *tb_kimage(void);

/* Is addr in the module's read-only part (text, rodata)? */
bool tb_kimage_in_text(const void *addr);

/* The kernel's own static_call (ksc.c). */
extern const char tb_ksc_kind[];
int tb_ksc_selftest(char *err, size_t len);
/* point it at 0: its target, 1: RET0, 2: the second target */
int tb_ksc_point(unsigned int what);
void tb_ksc_restore(void);
uint64_t tb_ksc_loop(unsigned int which, uint64_t passes, uint64_t x);
extern const tb_loop_fn tb_ksc_loops[];

#endif
