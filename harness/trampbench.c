// SPDX-License-Identifier: GPL-2.0
/*
 * trampbench: the benchmark program.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selftest.h"
#include "static_call.h"

#define MAX_VARIANTS 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: trampbench [options]\n"
		"\n"
		"Static-call trampoline designs, as real code, checked and measured.\n"
		"\n"
		"  --self-test         run every variant through target, NULL and RET0\n"
		"                      updates on this CPU, then exit\n"
		"  --list              list the variant instances (variant:knob=value,...)\n"
		"  --variant SPEC      select an instance; repeatable; SPEC is\n"
		"                      variant[:knob=value,...], e.g. cbz, tail:null=nop,\n"
		"                      indirect:kcfi=on; unnamed knobs take the design's\n"
		"                      defaults\n"
		"  -h, --help          this text\n");
}

static int list_instances(void)
{
	unsigned int n;
	struct tb_instance *in = tb_instances(&n);

	for (unsigned int i = 0; i < n; i++)
		printf("%s%s\n", in[i].name,
		       in[i].is_default ? "  (default)" : "");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "self-test", no_argument, NULL, 's' },
		{ "list", no_argument, NULL, 'l' },
		{ "variant", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *specs[MAX_VARIANTS];
	unsigned int nspecs = 0, bad;
	bool self_test = false, list = false;
	struct tb_image *img;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			self_test = true;
			break;
		case 'l':
			list = true;
			break;
		case 'v':
			if (nspecs == MAX_VARIANTS) {
				fprintf(stderr,
					"trampbench: at most %d --variant options\n",
					MAX_VARIANTS);
				return 2;
			}
			specs[nspecs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "trampbench: see --help\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "trampbench: unexpected argument '%s'; see --help\n",
			argv[optind]);
		return 2;
	}
	if (tb_static_calls_init())
		return 1;
	for (unsigned int i = 0; i < nspecs; i++) {
		char err[256];

		if (!tb_instance_find(specs[i], err, sizeof(err))) {
			fprintf(stderr, "trampbench: %s\n", err);
			return 2;
		}
	}
	if (list)
		return list_instances();

	img = tb_image_current();
	printf("trampbench self-test on %s: patch mode %s, text %s\n",
	       tb_arch_name, tb_patch_mode_name(img->mode),
	       img->bti ? "BTI-guarded" : "not BTI-guarded");
	bad = tb_selftest(stdout);
	printf("self-test: %s\n", bad ? "FAILED" : "all variants ok");
	(void)self_test;
	tb_static_calls_exit();
	return bad ? 1 : 0;
}
