/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LIBPFM_FORCE_PMU, checked before anything is encoded: libpfm4 ignores
 * a forced PMU it does not know and detects the host's, so events would
 * be encoded for another PMU than asked; an empty one forces none.
 */
#ifndef TB_PMU_FORCE_H
#define TB_PMU_FORCE_H

/*
 * tb_pmu_force_check - 0 if LIBPFM_FORCE_PMU is unset or names a core
 * PMU this libpfm4 can force; else -1 after one line on stderr naming
 * the PMUs it could be, this host's first.
 */
int tb_pmu_force_check(void);

#endif /* TB_PMU_FORCE_H */
