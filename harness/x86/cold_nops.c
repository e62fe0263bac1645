// SPDX-License-Identifier: GPL-2.0
/* x86: the nops of a cold control's site (see harness/cold.h). */
#include <stddef.h>
#include <stdint.h>

#include "cold.h"

/*
 * The length of the nop at @b (0 if none): prefixes 66 and 2e, then 90,
 * or 0f 1f /0 with its ModRM, SIB and displacement: the forms `.nops`
 * assembles (Intel SDM Vol. 2B, NOP, "Recommended Multi-Byte Sequence").
 */
static size_t nop_len(const uint8_t *b, size_t max)
{
	size_t i = 0, len;
	unsigned int mod, rm;

	while (i < max && (b[i] == 0x66 || b[i] == 0x2e))
		i++;
	if (i < max && b[i] == 0x90)
		return i + 1;
	if (i + 2 >= max || b[i] != 0x0f || b[i + 1] != 0x1f ||
	    (b[i + 2] & 0x38))
		return 0;
	mod = b[i + 2] >> 6;
	rm = b[i + 2] & 7;
	if (mod == 3)
		return 0;
	len = i + 3 + (rm == 4) + (mod == 1 ? 1 : mod == 2 ? 4 : 0) +
	      (mod == 0 && rm == 5 ? 4 : 0);
	return len <= max ? len : 0;
}

unsigned int tb_cold_nops(const void *p, size_t max, size_t *len)
{
	const uint8_t *b = p;
	unsigned int n = 0;
	size_t off = 0, l;

	while ((l = nop_len(b + off, max - off))) {
		off += l;
		n++;
	}
	if (len)
		*len = off;
	return n;
}
