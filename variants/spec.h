/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Specs: the names users give instances, "variant[:knob=value,...]"
 * ("cbz", "tail:null=nop,align=64"), resolved against the registry;
 * knobs not given take the design's defaults.
 */
#ifndef TB_SPEC_H
#define TB_SPEC_H

#include <stddef.h>

#include "registry.h"

/*
 * Find the instance a spec names.  On a bad spec returns NULL and writes
 * a one-line message listing the valid variants, knobs or values.
 */
struct tb_instance *tb_instance_find(const char *spec, char *err,
				     size_t errlen);

/*
 * The shortest spec that names @inst: its variant and the knobs that
 * differ from the design as posted ("cbz", "tail:pad=off,null=nop").
 * Returns @buf.
 */
char *tb_instance_short_name(const struct tb_instance *inst, char *buf,
			     size_t len);

#endif
