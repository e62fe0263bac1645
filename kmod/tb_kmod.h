/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What trampbench --kernel (bench/kernel.c) and the module (kmod/) say
 * to each other, through ioctls on /sys/kernel/debug/trampbench/ctl.
 * Fixed-width fields only; every request starts with its own size,
 * which the module checks.
 *
 * A function of the code image is named by where its descriptor field
 * is, not by its address: the module's image is the same generated
 * assembly, so the descriptors (.tb.desc) are byte for byte the same in
 * both, while the code sits elsewhere.  TB_KFN_DESC: the field's offset
 * from the start of .tb.desc (the header's `targets`); TB_KFN_HEAD: a
 * pointer field of the header, by its offset.  The instrument's own
 * loops (bench/<arch>/calibration.S) and the module's static_call
 * loops go by index.
 */
#ifndef TB_KMOD_H
#define TB_KMOD_H

#include "core/measure.h"

#ifdef __KERNEL__
#include <linux/ioctl.h>
#else
#include <sys/ioctl.h>
#endif

#define TB_KMOD_ABI 1
#define TB_KMOD_NAME "trampbench"
#define TB_KMOD_CTL "/sys/kernel/debug/trampbench/ctl"

enum tb_kfn_kind {
	TB_KFN_NONE,
	TB_KFN_DESC, /* an image descriptor field, by offset */
	TB_KFN_HEAD, /* a header field, by offset */
	TB_KFN_CAL,  /* calibration loop, index into the module's table */
	TB_KFN_KSC,  /* the kernel's own static_call: enum tb_ksc_loop */
	TB_KFN_UPDATE, /* updates of the key named by arg (a TB_KFN_DESC) */
	TB_KFN_NR,
};

/* The module's static_call loops: 16 sites and 32 a pass. */
enum tb_ksc_loop {
	TB_KSC_CALL16, TB_KSC_CALL32, /* static_call() */
	TB_KSC_COND16, TB_KSC_COND32, /* static_call_cond() */
	TB_KSC_UPDATE, /* static_call_update() between two targets */
	TB_KSC_NR,
};

struct tb_kfn {
	uint32_t kind;
	uint32_t index;
};

struct tb_kpair {
	struct tb_kfn one, two; /* two NONE: one at twice the passes */
	uint32_t items, warm;
	struct tb_kfn arg; /* TB_KFN_UPDATE: the key */
};

/* What the module is; filled by TB_KIOC_INFO. */
struct tb_kinfo {
	uint32_t size, abi;
	char arch[8];
	/* what this kernel's static_call is: inline, trampoline, generic */
	char ksc[16];
	uint64_t timer_hz;
	uint32_t ninstances, ncal;
	int32_t selftest_err; /* 0, or -errno of the first failure */
	char selftest[128]; /* the failing variant and why, or "" */
};

/* Open these events as counters of the module's batches (kernel only). */
struct tb_kopen {
	uint32_t size, nevents, ngroups, pad;
	uint32_t nr[TB_COUNTERS_MAX]; /* events of each group */
	uint32_t type[TB_COUNTERS_MAX];
	uint64_t config[TB_COUNTERS_MAX], config1[TB_COUNTERS_MAX];
};

/* One batch: tb_core_batch() in the module, the passes it sized. */
struct tb_kbatch {
	uint32_t size, count;
	struct tb_kpair loops, baseline; /* baseline.one NONE: none */
	uint64_t passes, clock_passes, probe_passes; /* out */
	struct tb_raw_batch raw; /* out */
};

/* Point key (TB_KFN_DESC of its descriptor) at func (NONE: NULL). */
struct tb_kpoint {
	uint32_t size, pad;
	struct tb_kfn key, func;
};

#define TB_KIOC_INFO _IOR('T', 1, struct tb_kinfo)
#define TB_KIOC_OPEN _IOW('T', 2, struct tb_kopen)
#define TB_KIOC_BATCH _IOWR('T', 3, struct tb_kbatch)
#define TB_KIOC_POINT _IOW('T', 4, struct tb_kpoint)

#endif /* TB_KMOD_H */
