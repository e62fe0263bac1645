/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TB_X86_TEXT_POKE_H
#define TB_X86_TEXT_POKE_H

#include <stddef.h>
#include <stdint.h>

struct tb_image;

/* Install the int3 handler and register for membarrier core sync. */
int tb_text_poke_init(void);

/* Replace the instruction at addr under concurrent execution. */
void tb_text_poke_bp(struct tb_image *img, void *addr, const uint8_t *insn,
		     size_t len);

#endif
