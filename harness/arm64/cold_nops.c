// SPDX-License-Identifier: GPL-2.0
/* arm64: the nops of a cold control's site (see harness/cold.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cold.h"

#define INSN_NOP 0xd503201fu

unsigned int tb_cold_nops(const void *p, size_t max, size_t *len)
{
	unsigned int n = 0;

	for (size_t off = 0; off + 4 <= max; off += 4, n++) {
		uint32_t w;

		memcpy(&w, (const uint8_t *)p + off, sizeof(w));
		if (w != INSN_NOP)
			break;
	}
	if (len)
		*len = 4 * (size_t)n;
	return n;
}
