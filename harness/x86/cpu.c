// SPDX-License-Identifier: GPL-2.0
/* x86: an unknown core, and whether a description is of an x86 core. */
#include "cpu_model.h"
#include "harness_arch.h"

void tb_arch_cpu_model_unknown(struct tb_cpu_model *out)
{
	tb_cpu_model_from_x86("", 0, 0, out);
}

/* x86 cores are described with perf's generic events; arm64 ones not */
bool tb_arch_cpu_model_native(const struct tb_cpu_model *m)
{
	return m->pmu_kind == TB_PMU_GENERIC;
}
