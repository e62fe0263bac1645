/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results files: published whole or not at all, and never over an existing
 * file.  The data goes to a temporary file in the destination's directory
 * (".NAME.PID.N.tmp"), is fsync()ed, then link(2)ed to its final name:
 * link fails with EEXIST instead of replacing, so an earlier result is
 * never lost, and a reader never sees a half-written file.
 *
 * Every function prints its own one-line error (program name first, as
 * warn(3)) and returns 0 or a negative errno.
 */
#ifndef TB_RESULTS_H
#define TB_RESULTS_H

#include <stddef.h>

#include "gbench.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * tb_results_check_dest - before a run: @path must not exist and its
 * directory must accept a new file (tried for real with a temporary file,
 * which is removed).  -EEXIST prints "results file X exists; choose another
 * --out or remove it".
 */
int tb_results_check_dest(const char *path);

/*
 * tb_results_write - write @len bytes of @buf to @path atomically, never
 * replacing an existing file.  On any error nothing is left behind.
 */
int tb_results_write(const char *path, const void *buf, size_t len);

/*
 * tb_results_tmp_create - create an empty temporary file next to @path
 * and put its name in @tmp (@len bytes).  For writers that need a path
 * rather than a buffer (Google Benchmark's --benchmark_out).  Returns an
 * fd open for writing, or a negative errno.
 */
int tb_results_tmp_create(const char *path, char *tmp, size_t len);

/*
 * tb_results_publish - fsync @tmp, link it to @path, remove @tmp and
 * fsync the directory.  If @path exists (-EEXIST) or on another error,
 * @tmp is left in place so no data is lost: the caller removes it or says
 * where it is.
 */
int tb_results_publish(const char *tmp, const char *path);

/*
 * tb_results_add_ids - give every row of the Google Benchmark JSON file
 * @path the parts of its benchmark: @id_of(its "run_name", @arg), or
 * none when that returns NULL.  Each such row gets, after Google
 * Benchmark's fields:
 *
 *	"scenario": "sites",
 *	"variant": "cbz:pad=on,align=8,lit=rodata",
 *	"variant_short": "cbz",
 *	"params": { "n": "512", "order": "rr", "spacing": "packed" }
 *
 * (a parameter without a value, as hot's "tput", is true).  Everything
 * else keeps its value, its type and its place, numbers their digits
 * and NaN its spelling (Google Benchmark writes NaN, which strict JSON
 * readers refuse).  @path is replaced by rename(2) from a temporary
 * file beside it, so it holds the old data or the new, never half;
 * on any error it is left as it was.
 */
int tb_results_add_ids(const char *path,
		       const struct tb_gb_id *(*id_of)(const char *run_name,
						       void *arg),
		       void *arg);

/*
 * tb_results_default_path - a fresh name "DIR/HOST-TAG-YYYYmmdd.EXT"
 * (local date; "-2", "-3", ... appended if taken) in @buf.  @dir NULL
 * means "results", @ext NULL "json"; @tag says what ran, e.g. the core
 * (tb_cpu_core_slug(): "amd-zen-5"), "-emulated" added under qemu-user;
 * NULL means the build's architecture ("x86", "arm64").
 */
int tb_results_default_path(char *buf, size_t len, const char *dir,
			    const char *tag, const char *ext);

#ifdef __cplusplus
}
#endif

#endif /* TB_RESULTS_H */
