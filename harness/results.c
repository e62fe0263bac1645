// SPDX-License-Identifier: GPL-2.0
/*
 * Results files: written to a temporary file, fsync()ed, link()ed to the
 * final name.  See results.h.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

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

int tb_results_write(const char *path, const void *buf, size_t len)
{
	const char *p = buf;
	char tmp[4096];
	int fd, ret;

	fd = tb_results_tmp_create(path, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* write() returning 0 for len > 0: treat as full. */
			ret = n < 0 ? -errno : -ENOSPC;
			warnx("cannot write results file %s: %s", path,
			      strerror(-ret));
			close(fd);
			unlink(tmp);
			return ret;
		}
		p += n;
		len -= (size_t)n;
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
