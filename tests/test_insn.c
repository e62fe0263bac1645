// SPDX-License-Identifier: GPL-2.0
/*
 * The patching encoders agree with the assembler: the toolchain
 * assembles branches at the edges of their range (tests/<arch>/
 * test_insn_ref.S), the encoders must produce the same words, and refuse
 * one step beyond.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "insn.h"

extern const uint8_t tb_ref_insns[];

#ifdef __aarch64__
static void test_branches(void **state)
{
	static const struct {
		bool link;
		intptr_t off;
	} ref[] = {
		{ false, 0x7fffffc }, { false, -0x8000000 }, { false, 4 },
		{ false, -4 },	      { false, 0 },	     { true, 0x7fffffc },
		{ true, -0x8000000 }, { true, 0x123454 },   { true, -0x2468ac },
	};
	const uint32_t *w = (const uint32_t *)tb_ref_insns;
	uint32_t insn;

	(void)state;
	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		uintptr_t pc = (uintptr_t)&w[i];

		assert_int_equal(aarch64_insn_gen_branch(pc, pc + ref[i].off,
							 ref[i].link, &insn),
				 0);
		print_message("%-2s %+11ld: %08x (as: %08x)\n",
			      ref[i].link ? "bl" : "b", (long)ref[i].off, insn,
			      w[i]);
		assert_int_equal(insn, w[i]);
	}
	/* One step past either edge, or not a word offset: refused. */
	assert_int_equal(aarch64_insn_gen_branch(0x10000000, 0x18000000, 0,
						 &insn),
			 -ERANGE);
	assert_int_equal(aarch64_insn_gen_branch(0x10000000, 0x07fffffc, 1,
						 &insn),
			 -ERANGE);
	assert_int_equal(aarch64_insn_gen_branch(0x1000, 0x1002, 0, &insn),
			 -ERANGE);
}

static void test_other_insns(void **state)
{
	const uint32_t *w = (const uint32_t *)tb_ref_insns + 9;

	(void)state;
	assert_int_equal(AARCH64_INSN_NOP, w[0]);
	assert_int_equal(AARCH64_INSN_RET, w[1]);
	assert_int_equal(aarch64_insn_gen_movz(0, 0, 0, true), w[2]);
	assert_int_equal(aarch64_insn_gen_movz(0, 0xffff, 48, true), w[3]);
	assert_int_equal(aarch64_insn_gen_movz(17, 0x1234, 16, true), w[4]);
	assert_int_equal(aarch64_insn_gen_movz(3, 0xbeef, 0, false), w[5]);
	assert_int_equal(aarch64_insn_gen_movz(30, 0x8000, 16, false), w[6]);
	assert_int_equal(AARCH64_INSN_BTI_C, w[7]);
}
#else
static void test_branches(void **state)
{
	static const struct {
		uint8_t op;
		int64_t rel;
	} ref[] = {
		{ X86_JMP32_OPCODE, 0x7fffffff }, { X86_JMP32_OPCODE, -0x80000000L },
		{ X86_JMP32_OPCODE, 0 },	   { X86_JMP32_OPCODE, -5 },
		{ X86_CALL_OPCODE, 0x7fffffff },  { X86_CALL_OPCODE, -0x80000000L },
		{ X86_CALL_OPCODE, 0x123456 },	   { X86_CALL_OPCODE, -0x654321 },
	};
	uint8_t insn[X86_INSN_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		const uint8_t *as = tb_ref_insns + 5 * i;
		uintptr_t pc = (uintptr_t)as;

		assert_int_equal(x86_insn_gen_rel32(ref[i].op, pc,
						    pc + 5 + ref[i].rel, insn),
				 0);
		print_message("%02x %+11lld: %02x%02x%02x%02x%02x\n", ref[i].op,
			      (long long)ref[i].rel, insn[0], insn[1], insn[2],
			      insn[3], insn[4]);
		assert_memory_equal(insn, as, X86_INSN_SIZE);
	}
	assert_int_equal(x86_insn_gen_rel32(X86_CALL_OPCODE, 0x100000000,
					    0x100000005 + 0x80000000L, insn),
			 -ERANGE);
	assert_int_equal(x86_insn_gen_rel32(X86_JMP32_OPCODE, 0x100000000,
					    0x100000005 - 0x80000001L, insn),
			 -ERANGE);
}

static void test_other_insns(void **state)
{
	const uint8_t *as = tb_ref_insns + 5 * 8;

	(void)state;
	assert_memory_equal(x86_nop5, as, 5);
	assert_memory_equal(x86_xor5rax, as + 5, 5);
	assert_memory_equal(x86_retinsn, as + 10, 5);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_other_insns),
	};

	return cmocka_run_group_tests_name("insn", tests, NULL, NULL);
}
