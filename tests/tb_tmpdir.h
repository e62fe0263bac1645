/* SPDX-License-Identifier: GPL-2.0 */
/* A private temporary folder for a test, and its removal. */
#ifndef TB_TMPDIR_H
#define TB_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Make $TMPDIR/tb-<name>-XXXXXX (or under /tmp) in dir; 0 or -1. */
static inline int tb_tmpdir_make(char *dir, size_t len, const char *name)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, len, "%s/tb-%s-XXXXXX", t ? t : "/tmp", name);
	return mkdtemp(dir) ? 0 : -1;
}

static inline int tb_tmpdir_rm_entry(const char *p, const struct stat *sb,
				     int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(p);
}

/* Remove dir and everything in it. */
static inline int tb_tmpdir_remove(const char *dir)
{
	return nftw(dir, tb_tmpdir_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
