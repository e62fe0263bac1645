// SPDX-License-Identifier: GPL-2.0
/* arm64: an unknown core, and whether a description is of an arm64 core. */
#include "cpu_model.h"
#include "harness_arch.h"

void tb_arch_cpu_model_unknown(struct tb_cpu_model *out)
{
	tb_cpu_model_from_midr(0, out);
}

/* arm64 cores have a PMU kind of their own; x86 ones perf's generic */
bool tb_arch_cpu_model_native(const struct tb_cpu_model *m)
{
	return m->pmu_kind != TB_PMU_GENERIC;
}
