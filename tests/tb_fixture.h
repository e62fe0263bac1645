/* SPDX-License-Identifier: GPL-2.0 */
/* The recorded machines of tests/fixtures/, found through $TB_SRC. */
#ifndef TB_FIXTURE_H
#define TB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

static inline const char *fixture(const char *machine)
{
	static char buf[512];
	const char *src = getenv("TB_SRC");

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/%s",
		 src && *src ? src : ".", machine);
	return buf;
}

#endif
