// SPDX-License-Identifier: GPL-2.0
/* The tests' JSON parser (tests/tb_json.h): what it accepts and refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tb_json.h"

static void test_values(void **state)
{
	const char *text =
		" {\"a\": [{\"b\": \"}\\\"{\"}, 1, -2.5e3, true, false, null],"
		" \"c\": {\"d\": \"x\\u0041\\n\"}, \"e\": []} \n";
	char err[128];
	struct tb_json *j = tb_json_parse(text, err, sizeof(err));
	const struct tb_json *a;

	(void)state;
	assert_non_null(j);
	assert_int_equal(j->type, TB_JSON_OBJECT);
	assert_int_equal(j->n, 3);
	a = tb_json_get(j, "a");
	assert_non_null(a);
	assert_int_equal(a->type, TB_JSON_ARRAY);
	assert_int_equal(a->n, 6);
	assert_string_equal(tb_json_str(a->v[0], "b"), "}\"{");
	assert_true(a->v[1]->type == TB_JSON_NUMBER && a->v[1]->num == 1);
	assert_true(a->v[2]->num == -2500);
	assert_int_equal(a->v[3]->type, TB_JSON_TRUE);
	assert_int_equal(a->v[4]->type, TB_JSON_FALSE);
	assert_int_equal(a->v[5]->type, TB_JSON_NULL);
	assert_string_equal(tb_json_str(tb_json_get(j, "c"), "d"), "xA\n");
	assert_int_equal(tb_json_get(j, "e")->n, 0);
	assert_null(tb_json_get(j, "missing"));
	assert_null(tb_json_get(a, "a")); /* not an object */
	assert_null(tb_json_str(j, "a")); /* not a string */
	tb_json_free(j);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "[1,]",
		"{\"a\": 1} x", "01", "+1", ".5", "1.", "\"abc", "tru",
		"{a: 1}", "\"\\x\"", "\"\\u12\"", "[\"a\nb\"]", "nan",
	};
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct tb_json *j = tb_json_parse(bad[i], err, sizeof(err));

		if (j)
			fail_msg("accepted '%s'", bad[i]);
		print_message("%-14s %s\n", bad[i], err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
