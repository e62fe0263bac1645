/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cold sampler as user space uses it: the core's sampler
 * (core/cold.h) and this architecture's decoder of a control's nops.
 */
#ifndef TB_COLD_H
#define TB_COLD_H

#include "core/cold.h"

/*
 * The instructions of the nops at @p, up to the first instruction that is
 * not one or @max bytes (the control's site; harness/<arch>/cold_nops.c);
 * their bytes in *@len if @len is not NULL.
 */
unsigned int tb_cold_nops(const void *p, size_t max, size_t *len);

#endif
