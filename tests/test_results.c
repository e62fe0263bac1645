// SPDX-License-Identifier: GPL-2.0
/*
 * Results files: atomic, never over an existing file, no temporary file
 * left behind, one clear error line; rows given their benchmark's parts
 * with everything else of Google Benchmark's JSON kept as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "results.h"
#include "tb_tmpdir.h"

/* Bytes that a text-mode or truncating writer would get wrong. */
static const char first[] = "{\"run\": 1}\n\0binary\r\n\xff";
static const char second[] = "{\"run\": 2, \"longer\": true}\n";

/* Room left in every PATH_MAX buffer for the names appended to it. */
static char dir[PATH_MAX - 64];
static char path_a[PATH_MAX];

/* stderr captured to a temporary file (not in @dir) while a call runs. */
static FILE *cap;
static int saved_stderr = -1;

static void capture_start(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(cap), 2) >= 0);
}

static const char *capture_end(void)
{
	static char buf[4096];
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(cap);
	n = fread(buf, 1, sizeof(buf) - 1, cap);
	buf[n] = '\0';
	fclose(cap);
	return buf;
}

static size_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, len);
	assert_true(n >= 0);
	close(fd);
	return (size_t)n;
}

/* Entries of @d other than . and .., their names in @names. */
static int list_dir(const char *d, char *names, size_t len)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	assert_non_null(dp);
	names[0] = '\0';
	while ((de = readdir(dp))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		strncat(names, de->d_name, len - strlen(names) - 2);
		strcat(names, " ");
	}
	closedir(dp);
	return n;
}

static void assert_only(const char *d, const char *names_expected)
{
	char names[4096];
	int n = list_dir(d, names, sizeof(names));

	if (strcmp(names, names_expected))
		print_message("%s holds: %s\n", d, names);
	assert_string_equal(names, names_expected);
	(void)n;
}

static int setup(void **state)
{

	(void)state;
	if (tb_tmpdir_make(dir, sizeof(dir), "results"))
		return -1;
	snprintf(path_a, sizeof(path_a), "%s/a.json", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tb_tmpdir_remove(dir);
}

static void test_write_exact(void **state)
{
	char buf[256];
	struct stat st;
	mode_t mask = umask(022);

	(void)state;
	umask(mask);
	assert_int_equal(tb_results_write(path_a, first, sizeof(first)), 0);
	assert_int_equal(read_file(path_a, buf, sizeof(buf)), sizeof(first));
	assert_memory_equal(buf, first, sizeof(first));
	/* Mode as for any new file, not mkstemp()'s 0600. */
	assert_int_equal(stat(path_a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
	assert_only(dir, "a.json ");
}

static void test_second_write_refused(void **state)
{
	char buf[256], want[PATH_MAX + 80];
	const char *err;
	int ret;

	(void)state;
	capture_start();
	ret = tb_results_write(path_a, second, sizeof(second));
	err = capture_end();
	assert_int_equal(ret, -EEXIST);
	snprintf(want, sizeof(want),
		 "results file %s exists; choose another --out or remove it\n",
		 path_a);
	assert_non_null(strstr(err, want));
	/* One line, nothing else. */
	assert_string_equal(strchr(err, '\n'), "\n");
	/* The first result is byte for byte what it was. */
	assert_int_equal(read_file(path_a, buf, sizeof(buf)), sizeof(first));
	assert_memory_equal(buf, first, sizeof(first));
	assert_only(dir, "a.json ");
}

static void test_check_dest(void **state)
{
	char p[PATH_MAX];
	const char *err;

	(void)state;
	capture_start();
	assert_int_equal(tb_results_check_dest(path_a), -EEXIST);
	err = capture_end();
	assert_non_null(strstr(err, "exists; choose another --out"));

	snprintf(p, sizeof(p), "%s/new.json", dir);
	assert_int_equal(tb_results_check_dest(p), 0);
	/* The probe file is gone. */
	assert_only(dir, "a.json ");

	snprintf(p, sizeof(p), "%s/missing/new.json", dir);
	capture_start();
	assert_int_equal(tb_results_check_dest(p), -ENOENT);
	err = capture_end();
	assert_non_null(strstr(err, "/missing: No such file or directory"));
}

static void test_publish_conflict_keeps_data(void **state)
{
	char tmp[PATH_MAX], p[PATH_MAX], buf[256];
	const char *err;
	int fd;

	(void)state;
	snprintf(p, sizeof(p), "%s/b.json", dir);
	fd = tb_results_tmp_create(p, tmp, sizeof(tmp));
	assert_true(fd >= 0);
	/* Next to the destination, hidden, plainly temporary. */
	assert_true(!strncmp(tmp, dir, strlen(dir)));
	assert_true(!strncmp(tmp + strlen(dir), "/.b.json.", 9));
	assert_string_equal(tmp + strlen(tmp) - 4, ".tmp");
	assert_int_equal(write(fd, "B", 1), 1);
	close(fd);

	capture_start();
	assert_int_equal(tb_results_publish(tmp, path_a), -EEXIST);
	err = capture_end();
	assert_non_null(strstr(err, "exists; choose another --out"));
	assert_int_equal(access(tmp, F_OK), 0);
	assert_int_equal(read_file(path_a, buf, sizeof(buf)), sizeof(first));

	assert_int_equal(tb_results_publish(tmp, p), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(read_file(p, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'B');
	assert_int_equal(unlink(p), 0);
	assert_only(dir, "a.json ");
}

/* In @sub, which the caller cannot write: 0 if all is as expected. */
static int unwritable_checks(const char *sub)
{
	char p[PATH_MAX], want[PATH_MAX + 160], names[256];
	const char *err;
	int r1, r2;

	snprintf(p, sizeof(p), "%s/x.json", sub);
	capture_start();
	r1 = tb_results_check_dest(p);
	r2 = tb_results_write(p, first, sizeof(first));
	err = capture_end();
	snprintf(want, sizeof(want),
		 "cannot create a results file in %s: %s; give --out FILE in a folder you can write, or --no-out\n",
		 sub, strerror(EACCES));
	if (r1 != -EACCES || r2 != -EACCES || !strstr(err, want)) {
		fprintf(stderr, "got %d, %d, \"%s\"; wanted \"%s\"\n", r1, r2,
			err, want);
		return 1;
	}
	return list_dir(sub, names, sizeof(names)) ? 2 : 0;
}

static void test_unwritable_dir(void **state)
{
	char sub[PATH_MAX];
	int status;
	pid_t pid;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/ro", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	if (geteuid()) {
		assert_int_equal(chmod(sub, 0555), 0);
		status = unwritable_checks(sub);
		chmod(sub, 0755);
		assert_int_equal(status, 0);
		assert_int_equal(rmdir(sub), 0);
		return;
	}

	/* Root writes anywhere: check as "nobody" in a child. */
	assert_int_equal(chmod(dir, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(77);
		_exit(unwritable_checks(sub));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	chmod(dir, 0700);
	assert_int_equal(rmdir(sub), 0);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		print_message("root cannot drop to uid 65534 here, so no directory is unwritable: skipped\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_default_path(void **state)
{
	char p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX], pre[PATH_MAX + 2];
	char tiny[8];
	const char *name, *arch;
	size_t n;

	(void)state;
#if defined(__x86_64__)
	arch = "-x86-";
#else
	arch = "-arm64-";
#endif
	assert_int_equal(tb_results_default_path(p1, sizeof(p1), dir,
						 "amd-zen-5", "json"),
			 0);
	print_message("default path: %s\n", p1);
	snprintf(pre, sizeof(pre), "%s/", dir);
	assert_true(!strncmp(p1, pre, strlen(pre)));
	name = p1 + strlen(pre);
	/* HOST-CORE-YYYYmmdd.json: the date alone, no time */
	n = strlen(name);
	assert_true(n > strlen("h-amd-zen-5-20260101.json"));
	assert_string_equal(name + n - 5, ".json");
	assert_int_equal(strspn(name + n - 13, "0123456789"), 8);
	assert_int_equal(name[n - 14], '-');
	assert_true(!strncmp(name + n - 24, "-amd-zen-5-", 11));
	assert_null(strchr(name, '/'));

	/* Taken: the next name is the same with "-2", then "-3". */
	assert_int_equal(tb_results_write(p1, "x", 1), 0);
	assert_int_equal(tb_results_default_path(p2, sizeof(p2), dir,
						 "amd-zen-5", "json"),
			 0);
	assert_int_equal(strlen(p2), strlen(p1) + 2);
	assert_true(!strncmp(p2, p1, strlen(p1) - 5));
	assert_string_equal(p2 + strlen(p1) - 5, "-2.json");
	assert_int_equal(tb_results_write(p2, "x", 1), 0);
	assert_int_equal(tb_results_default_path(p3, sizeof(p3), dir,
						 "amd-zen-5", "json"),
			 0);
	assert_string_equal(p3 + strlen(p1) - 5, "-3.json");
	assert_int_equal(unlink(p1), 0);
	assert_int_equal(unlink(p2), 0);

	/* An emulated run says so in its name. */
	assert_int_equal(tb_results_default_path(p2, sizeof(p2), dir,
						 "arm64-emulated", "json"),
			 0);
	assert_non_null(strstr(p2, "-arm64-emulated-"));

	/* No tag: the build's architecture; no dir, ext: results/, json. */
	assert_int_equal(tb_results_default_path(p2, sizeof(p2), NULL, NULL,
						 NULL),
			 0);
	assert_true(!strncmp(p2, "results/", 8));
	assert_non_null(strstr(p2, arch));
	assert_string_equal(p2 + strlen(p2) - 5, ".json");

	capture_start();
	assert_int_equal(tb_results_default_path(tiny, sizeof(tiny), dir,
						 NULL, "json"),
			 -ENAMETOOLONG);
	capture_end();
}

/*
 * Google Benchmark 1.7.1's layout: two spaces, numbers in its notation,
 * NaN and Infinity as it spells them (no JSON reader of the strict kind
 * takes them), a name with '/' and a message with quotes.
 */
static const char gb_json[] =
	"{\n"
	"  \"context\": {\n"
	"    \"date\": \"2026-12-04T21:35:02+00:00\",\n"
	"    \"num_cpus\": 2,\n"
	"    \"cpu_scaling_enabled\": false,\n"
	"    \"caches\": [\n"
	"      {\n"
	"        \"type\": \"Data\",\n"
	"        \"level\": 1\n"
	"      }\n"
	"    ],\n"
	"    \"arch\": \"x86\"\n"
	"  },\n"
	"  \"benchmarks\": [\n"
	"    {\n"
	"      \"name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time\",\n"
	"      \"run_name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time\",\n"
	"      \"run_type\": \"iteration\",\n"
	"      \"iterations\": 16,\n"
	"      \"real_time\": 5.2100000000000004e+00,\n"
	"      \"site_offset\": NaN,\n"
	"      \"time_unit\": \"ns\"\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time_cv\",\n"
	"      \"run_name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time\",\n"
	"      \"run_type\": \"aggregate\",\n"
	"      \"real_time\": -Infinity,\n"
	"      \"aggregate_unit\": \"percentage\"\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"other\",\n"
	"      \"run_name\": \"other\",\n"
	"      \"error_occurred\": true,\n"
	"      \"error_message\": \"say \\\"no\\\" \\\\ here\"\n"
	"    }\n"
	"  ]\n"
	"}\n";

/* ... and the same with the parts of the first two rows' benchmark. */
static const char gb_json_ids[] =
	"{\n"
	"  \"context\": {\n"
	"    \"date\": \"2026-12-04T21:35:02+00:00\",\n"
	"    \"num_cpus\": 2,\n"
	"    \"cpu_scaling_enabled\": false,\n"
	"    \"caches\": [\n"
	"      {\n"
	"        \"type\": \"Data\",\n"
	"        \"level\": 1\n"
	"      }\n"
	"    ],\n"
	"    \"arch\": \"x86\"\n"
	"  },\n"
	"  \"benchmarks\": [\n"
	"    {\n"
	"      \"name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time\",\n"
	"      \"run_name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time\",\n"
	"      \"run_type\": \"iteration\",\n"
	"      \"iterations\": 16,\n"
	"      \"real_time\": 5.2100000000000004e+00,\n"
	"      \"site_offset\": NaN,\n"
	"      \"time_unit\": \"ns\",\n"
	"      \"scenario\": \"hot\",\n"
	"      \"variant\": \"cbz:align=8\",\n"
	"      \"variant_short\": \"cbz\",\n"
	"      \"params\": {\n"
	"        \"tput\": true,\n"
	"        \"n\": \"4\"\n"
	"      }\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time_cv\",\n"
	"      \"run_name\": \"hot/cbz:align=8/tput/n:4/iterations:16/manual_time\",\n"
	"      \"run_type\": \"aggregate\",\n"
	"      \"real_time\": -Infinity,\n"
	"      \"aggregate_unit\": \"percentage\",\n"
	"      \"scenario\": \"hot\",\n"
	"      \"variant\": \"cbz:align=8\",\n"
	"      \"variant_short\": \"cbz\",\n"
	"      \"params\": {\n"
	"        \"tput\": true,\n"
	"        \"n\": \"4\"\n"
	"      }\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"other\",\n"
	"      \"run_name\": \"other\",\n"
	"      \"error_occurred\": true,\n"
	"      \"error_message\": \"say \\\"no\\\" \\\\ here\"\n"
	"    }\n"
	"  ]\n"
	"}\n";

static const struct tb_gb_param hot_params[] = { { "tput", NULL },
						 { "n", "4" } };
static const struct tb_gb_id hot_id = {
	.scenario = "hot",
	.variant = "cbz:align=8",
	.variant_short = "cbz",
	.params = hot_params,
	.nparams = 2,
};

static const struct tb_gb_id *id_of(const char *run_name, void *arg)
{
	int *calls = arg;

	(*calls)++;
	return strncmp(run_name, "hot/", 4) ? NULL : &hot_id;
}

static void test_add_ids(void **state)
{
	char p[PATH_MAX], buf[4096];
	size_t n;
	int calls = 0;

	(void)state;
	snprintf(p, sizeof(p), "%s/ids.json", dir);
	assert_int_equal(tb_results_write(p, gb_json, strlen(gb_json)), 0);
	assert_int_equal(tb_results_add_ids(p, id_of, &calls), 0);
	assert_int_equal(calls, 3);
	n = read_file(p, buf, sizeof(buf) - 1);
	buf[n] = '\0';
	/* every byte of Google Benchmark's as it was, the parts after */
	assert_string_equal(buf, gb_json_ids);
	assert_int_equal(unlink(p), 0);
	assert_only(dir, "a.json ");
}

/* Not Google Benchmark's JSON: refused in one line, the file as it was. */
static void test_add_ids_refused(void **state)
{
	static const char *const bad[] = {
		"{\"benchmarks\": [", "{\"context\": {}}", "[]", "{} x", "",
		"{\"benchmarks\": {}}",
	};
	char p[PATH_MAX], buf[256];
	const char *err;
	int calls = 0, ret;

	(void)state;
	snprintf(p, sizeof(p), "%s/bad.json", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]);

		assert_int_equal(tb_results_write(p, bad[i], n), 0);
		capture_start();
		ret = tb_results_add_ids(p, id_of, &calls);
		err = capture_end();
		print_message("%-22s %s", bad[i], err);
		assert_int_equal(ret, -EINVAL);
		assert_non_null(strstr(err, "bad.json: "));
		assert_string_equal(strchr(err, '\n'), "\n");
		assert_int_equal(read_file(p, buf, sizeof(buf)), n);
		assert_memory_equal(buf, bad[i], n);
		assert_int_equal(unlink(p), 0);
	}
	assert_int_equal(calls, 0);
	assert_only(dir, "a.json ");
}

static void test_nothing_left_behind(void **state)
{
	(void)state;
	assert_only(dir, "a.json ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_exact),
		cmocka_unit_test(test_second_write_refused),
		cmocka_unit_test(test_check_dest),
		cmocka_unit_test(test_publish_conflict_keeps_data),
		cmocka_unit_test(test_unwritable_dir),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_add_ids),
		cmocka_unit_test(test_add_ids_refused),
		cmocka_unit_test(test_nothing_left_behind),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
