// SPDX-License-Identifier: GPL-2.0
/*
 * Results files: written to a temporary file, fsync()ed, link()ed to the
 * final name; their rows given their benchmarks' parts through json-c.
 * See results.h.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "harness_arch.h"
#include "results.h"

/* Temporary names tried before giving up (stale files of a reused pid). */
#define TMP_TRIES 100
/* Default names tried per day: -2, -3, ... */
#define NAME_TRIES 1000

static unsigned long tmp_seq;

/* Length of @path's directory part, including its '/'; 0 for none. */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) + 1 : 0;
}

/* @path's directory, for messages and fsync: "." if it has none. */
static void dir_of(const char *path, char *dir, size_t len)
{
	size_t n = dir_len(path);

	if (!n)
		snprintf(dir, len, ".");
	else if (n == 1)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(n - 1), path);
}

int tb_results_tmp_create(const char *path, char *tmp, size_t len)
{
	size_t dn = dir_len(path);
	const char *base = path + dn;
	char dir[4096];
	int e;

	if (!*base) {
		warnx("results file name '%s' names a directory", path);
		return -EISDIR;
	}
	for (int i = 0; i < TMP_TRIES; i++) {
		unsigned long seq = __atomic_fetch_add(&tmp_seq, 1,
						       __ATOMIC_RELAXED);
		int n = snprintf(tmp, len, "%.*s.%s.%ld.%lu.tmp", (int)dn,
				 path, base, (long)getpid(), seq);
		int fd;

		if (n < 0 || (size_t)n >= len) {
			warnx("results file name '%s' is too long", path);
			return -ENAMETOOLONG;
		}
		/* 0666 so that the umask applies, as to any new file. */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			break;
	}
	e = errno;
	dir_of(path, dir, sizeof(dir));
	warnx("cannot create a results file in %s: %s; give --out FILE in a folder you can write, or --no-out",
	      dir, strerror(e));
	return -e;
}

int tb_results_check_dest(const char *path)
{
	struct stat st;
	char tmp[4096];
	int fd;

	if (!lstat(path, &st)) {
		warnx("results file %s exists; choose another --out or remove it",
		      path);
		return -EEXIST;
	}
	if (errno != ENOENT) {
		int e = errno;

		warnx("cannot use results file %s: %s", path, strerror(e));
		return -e;
	}
	fd = tb_results_tmp_create(path, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	close(fd);
	unlink(tmp);
	return 0;
}

static void sync_dir(const char *path)
{
	char dir[4096];
	int fd;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Best effort: the file is already in place and complete. */
	fsync(fd);
	close(fd);
}

int tb_results_publish(const char *tmp, const char *path)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	int e;

	if (fd < 0 || fsync(fd)) {
		e = errno;
		if (fd >= 0)
			close(fd);
		warnx("cannot sync %s for %s: %s", tmp, path, strerror(e));
		return -e;
	}
	close(fd);

	if (!link(tmp, path)) {
		unlink(tmp);
	} else if (errno == EPERM && !renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
						RENAME_NOREPLACE)) {
		/* No hard links on this filesystem (link(2): EPERM). */
	} else {
		e = errno;
		if (e == EEXIST)
			warnx("results file %s exists; choose another --out or remove it",
			      path);
		else
			warnx("cannot create results file %s: %s", path,
			      strerror(e));
		return -e;
	}
	sync_dir(path);
	return 0;
}

/* All @len bytes of @buf into @fd; 0 or -errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		/* write() returning 0 for len > 0: treat as full. */
		if (n <= 0)
			return n < 0 ? -errno : -ENOSPC;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int tb_results_write(const char *path, const void *buf, size_t len)
{
	char tmp[4096];
	int fd, ret;

	fd = tb_results_tmp_create(path, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	ret = write_all(fd, buf, len);
	if (ret) {
		warnx("cannot write results file %s: %s", path,
		      strerror(-ret));
		close(fd);
		unlink(tmp);
		return ret;
	}
	/* close() reports deferred write errors (NFS, quota). */
	if (close(fd)) {
		ret = -errno;
		warnx("cannot write results file %s: %s", path, strerror(-ret));
		unlink(tmp);
		return ret;
	}
	ret = tb_results_publish(tmp, path);
	if (ret)
		unlink(tmp);
	return ret;
}

static json_object *str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* The fields of @id added to @row; false if out of memory. */
static bool add_id(json_object *row, const struct tb_gb_id *id)
{
	json_object *params = json_object_new_object();
	bool ok = params;

	ok = ok && !json_object_object_add(row, "scenario", str(id->scenario));
	ok = ok && !json_object_object_add(row, "variant", str(id->variant));
	ok = ok && !json_object_object_add(row, "variant_short",
					   str(id->variant_short));
	for (unsigned int i = 0; ok && i < id->nparams; i++) {
		const struct tb_gb_param *p = &id->params[i];

		ok = !json_object_object_add(params, p->name,
				p->value ? json_object_new_string(p->value) :
					   json_object_new_boolean(1));
	}
	if (!ok) {
		json_object_put(params);
		return false;
	}
	return !json_object_object_add(row, "params", params);
}

/* The JSON in @path; NULL with why not in @why. */
static json_object *read_json(const char *path, char *why, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *top = NULL;
	char *text = NULL;
	size_t n = 0;
	ssize_t got;
	FILE *f = fopen(path, "r");
	enum json_tokener_error e;

	if (!f || !tok) {
		snprintf(why, len, "%s", f ? strerror(ENOMEM) : strerror(errno));
		goto out;
	}
	/* the whole file, so that what follows its JSON is seen too */
	got = getdelim(&text, &n, '\0', f);
	if (got < 0 && ferror(f)) {
		snprintf(why, len, "%s", strerror(errno));
		goto out;
	}
	n = got > 0 ? (size_t)got : 0;
	if (!n) {
		snprintf(why, len, "empty");
		goto out;
	}
	top = json_tokener_parse_ex(tok, text, (int)n);
	e = json_tokener_get_error(tok);
	if (e == json_tokener_continue)
		snprintf(why, len, "not JSON: it ends too soon");
	else if (!top && e != json_tokener_success)
		snprintf(why, len, "not JSON: %s", json_tokener_error_desc(e));
	else if (text[json_tokener_get_parse_end(tok) +
		      strspn(text + json_tokener_get_parse_end(tok), " \n")])
		snprintf(why, len, "not JSON: more after its end");
	else
		goto out;
	json_object_put(top);
	top = NULL;
out:
	if (f)
		fclose(f);
	json_tokener_free(tok);
	free(text);
	return top;
}

int tb_results_add_ids(const char *path,
		       const struct tb_gb_id *(*id_of)(const char *run_name,
						       void *arg),
		       void *arg)
{
	/* Google Benchmark's layout: two spaces, '/' not escaped */
	const int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			  JSON_C_TO_STRING_NOSLASHESCAPE;
	char tmp[4096], why[128];
	json_object *top = read_json(path, why, sizeof(why)), *rows;
	const char *text;
	size_t n;
	int fd, ret;

	if (!top || !json_object_object_get_ex(top, "benchmarks", &rows) ||
	    !json_object_is_type(rows, json_type_array)) {
		warnx("results file %s: %s", path,
		      top ? "no \"benchmarks\" list: not Google Benchmark's JSON" :
			    why);
		json_object_put(top);
		return -EINVAL;
	}
	n = json_object_array_length(rows);
	for (size_t i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i), *name;
		const struct tb_gb_id *id;

		if (!json_object_object_get_ex(row, "run_name", &name))
			continue;
		id = id_of(json_object_get_string(name), arg);
		if (id && !add_id(row, id)) {
			warnx("out of memory for the rows of %s", path);
			json_object_put(top);
			return -ENOMEM;
		}
	}
	text = json_object_to_json_string_ext(top, flags);
	if (!text) {
		warnx("out of memory for the rows of %s", path);
		json_object_put(top);
		return -ENOMEM;
	}
	fd = tb_results_tmp_create(path, tmp, sizeof(tmp));
	if (fd < 0) {
		json_object_put(top);
		return fd;
	}
	/* Google Benchmark ends its file with a newline */
	ret = write_all(fd, text, strlen(text));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	json_object_put(top);
	/* close() reports deferred write errors (NFS, quota). */
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		warnx("cannot write results file %s: %s", path, strerror(-ret));
	else if (rename(tmp, path)) {
		ret = -errno;
		warnx("cannot replace %s: %s", path, strerror(-ret));
	}
	if (ret)
		unlink(tmp);
	return ret;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Host name up to its first dot, reduced to characters safe in a name. */
static void short_host(char *buf, size_t len)
{
	struct utsname u;
	size_t i;

	if (uname(&u))
		snprintf(u.nodename, sizeof(u.nodename), "host");
	u.nodename[strcspn(u.nodename, ".")] = '\0';
	for (i = 0; u.nodename[i] && i + 1 < len; i++)
		buf[i] = name_char(u.nodename[i]) ? u.nodename[i] : '_';
	buf[i] = '\0';
	if (!i)
		snprintf(buf, len, "host");
}

int tb_results_default_path(char *buf, size_t len, const char *dir,
			    const char *tag, const char *ext)
{
	char host[65], stamp[32];
	struct stat st;
	struct tm tm;
	time_t now = time(NULL);

	if (!dir)
		dir = "results";
	if (!tag)
		tag = tb_harness_arch;
	if (!ext)
		ext = "json";
	short_host(host, sizeof(host));
	if (!localtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y%m%d", &tm))
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);

	for (int k = 1; k <= NAME_TRIES; k++) {
		char sfx[16] = "";
		int n;

		if (k > 1)
			snprintf(sfx, sizeof(sfx), "-%d", k);
		n = snprintf(buf, len, "%s/%s-%s-%s%s.%s", dir, host, tag,
			     stamp, sfx, ext);
		if (n < 0 || (size_t)n >= len) {
			warnx("results directory name '%s' is too long", dir);
			return -ENAMETOOLONG;
		}
		/* Other errors (no such directory) are check_dest's to say. */
		if (lstat(buf, &st))
			return 0;
	}
	warnx("no free results file name like %s in %s", buf, dir);
	return -EEXIST;
}
