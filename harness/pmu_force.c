// SPDX-License-Identifier: GPL-2.0
/*
 * LIBPFM_FORCE_PMU against the PMUs this libpfm4 knows.  See pmu_force.h.
 */
#include <perfmon/pfmlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmu_events.h"
#include "pmu_force.h"

/*
 * The core PMUs libpfm4 can be forced to, ", "-separated, each at most
 * once: @first ones (this host's) ahead of the rest.
 */
static void pmu_names(FILE *f, const char *const *first, int nfirst)
{
	int i, n = 0;

	for (int k = 0; k < nfirst; k++)
		fprintf(f, "%s%s (this host's)", n++ ? ", " : "", first[k]);
	pfm_for_all_pmus(i) {
		pfm_pmu_info_t info;
		bool dup = false;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(i, &info) != PFM_SUCCESS || !info.name ||
		    info.type != PFM_PMU_TYPE_CORE)
			continue;
		for (int k = 0; k < nfirst; k++)
			dup |= !strcmp(first[k], info.name);
		if (!dup)
			fprintf(f, "%s%s", n++ ? ", " : "", info.name);
	}
}

/* The names it could be, this host's first, whatever their number. */
int tb_pmu_force_check(void)
{
	const char *env = getenv("LIBPFM_FORCE_PMU");
	char want[128], *names = NULL, host[4][64];
	const char *first[4];
	int i, nhost = 0;
	size_t len;
	FILE *f;

	if (!env)
		return 0;
	snprintf(want, sizeof(want), "%s", env); /* env changes below */
	if (*want) {
		tb_pmu_init();
		pfm_for_all_pmus(i) {
			pfm_pmu_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (pfm_get_pmu_info(i, &info) == PFM_SUCCESS &&
			    info.name && info.type == PFM_PMU_TYPE_CORE &&
			    info.is_present && !strcmp(info.name, want))
				return 0;
		}
	}
	/* What libpfm4 detects here with nothing forced. */
	unsetenv("LIBPFM_FORCE_PMU");
	tb_pmu_exit();
	if (!tb_pmu_init())
		pfm_for_all_pmus(i) {
			pfm_pmu_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (nhost < 4 &&
			    pfm_get_pmu_info(i, &info) == PFM_SUCCESS &&
			    info.name && info.type == PFM_PMU_TYPE_CORE &&
			    info.is_present) {
				snprintf(host[nhost], sizeof(host[0]), "%s",
					 info.name);
				first[nhost] = host[nhost];
				nhost++;
			}
		}
	f = open_memstream(&names, &len);
	if (f) {
		pmu_names(f, first, nhost);
		fclose(f);
	}
	tb_pmu_exit();
	setenv("LIBPFM_FORCE_PMU", want, 1);
	if (!*want)
		fprintf(stderr,
			"trampbench: LIBPFM_FORCE_PMU is empty, which forces no PMU at all: unset it or use one of %s\n",
			names && *names ? names : "none");
	else
		fprintf(stderr,
			"trampbench: LIBPFM_FORCE_PMU=%s is no core PMU this libpfm4 can force (it would silently detect the host's): unset it or use one of %s\n",
			want, names && *names ? names : "none");
	free(names);
	return -1;
}
