// SPDX-License-Identifier: GPL-2.0
/* x86: a counter read from user space is rdpmc (perf_group.c decides when). */
#include <stdint.h>

#include "harness_arch.h"
#include "perf_group.h"

const int tb_arch_read_path = TB_READ_RDPMC;

bool tb_arch_read_counter(uint32_t idx, uint64_t *v)
{
	uint32_t lo, hi;

	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(idx));
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* rdpmc needs nothing in the attributes: the mmap page says if allowed. */
int tb_arch_open_user_readable(struct perf_event_attr *a,
			       const struct tb_event *ev, int group_fd)
{
	(void)a;
	(void)ev;
	(void)group_fd;
	return -1;
}
