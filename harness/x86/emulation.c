// SPDX-License-Identifier: GPL-2.0
/*
 * x86: what the host's /proc/cpuinfo shows when it is an arm64 one
 * (qemu-user), and how a qemu-system guest under TCG says so itself.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#include "emulation.h"
#include "harness_arch.h"

const char tb_harness_arch[] = "x86";

bool tb_arch_cpuinfo_foreign(const char *line)
{
	return !strncmp(line, "CPU implementer", 15);
}

/*
 * Under TCG, qemu answers the hypervisor leaf (CPUID 0x40000000) with the
 * signature "TCGTCGTCGTCG" (its property tcg-cpuid, on by default): the
 * CPU is qemu's translator.  KVM says "KVMKVMKVM", Hyper-V
 * "Microsoft Hv": real cores, virtualized, not emulated.  A recorded tree
 * cannot say: only the running CPU is asked.
 */
bool tb_arch_system_emulated(const char *root, const struct tb_cpu_model *m,
			     char *why, size_t len)
{
	unsigned int a, b, c, d;
	char sig[13];

	(void)m;
	if (*root)
		return false;
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31))) /* no hypervisor at all */
		return false;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
	if (strcmp(sig, "TCGTCGTCGTCG"))
		return false;
	snprintf(why, len,
		 "CPUID 0x40000000 answers TCGTCGTCGTCG: qemu's TCG translator, not a core");
	return true;
}
