#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The measuring core compiles for a kernel module: every harness/core/*.c,
# and the loops it drives (harness/$ARCH/clock.S), built as Kbuild builds
# a module's objects: freestanding, no system header on the include path
# (only the stub kernel headers of tests/kstub/), no floating point (the
# kernel's own -mno-sse/-mno-80387 or -mgeneral-regs-only), warnings as
# errors; and the objects call nothing a kernel does not give a module
# (memset, memcpy, memmove), nor anything outside the core.  A libc
# header, a libc call or a double in the core fails it: the last part
# checks that each of these does, on probes built the same way.
#
# TB_CC, TB_NM: the build's compiler and nm (make check passes them);
# ARCH: x86 or arm64.
set -u
src=${TB_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CC=${TB_CC:-cc}
NM=${TB_NM:-nm}
ARCH=${ARCH:-x86}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

case $ARCH in
x86) archflags="-mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -mno-80387
	-mno-red-zone -mcmodel=kernel -fno-pic" ;;
arm64) archflags="-mgeneral-regs-only -fno-pic" ;;
*) echo "test_core_kernel: ARCH=$ARCH is not x86 or arm64"; exit 1 ;;
esac
# as Kbuild: freestanding C, no libc, no stack protector to link
kflags="-std=gnu11 -O2 -ffreestanding -nostdinc -fno-common
	-fno-strict-aliasing -fno-stack-protector -D__KERNEL__
	-Wall -Wextra -Werror -Wdeclaration-after-statement
	-I$src/tests/kstub -I$src/harness -I$src/harness/$ARCH $archflags"

# What a module's object may leave undefined: the kernel's string
# functions (also what the compiler emits for a struct copy).
kernel_gives='memset memcpy memmove'

# build NAME.c or NAME.S into $tmp/NAME.o; the compiler's words on failure
kbuild() {
	out=$tmp/$(basename "$1").o
	case $1 in
	*.S) $CC $kflags -D__ASSEMBLY__ -c -o "$out" "$1" ;;
	*) $CC $kflags -c -o "$out" "$1" ;;
	esac > "$tmp/log" 2>&1
}

# undefined symbols of the objects given that none of them defines
undefined() {
	$NM -u "$@" | awk 'NF == 2 { print $2 } NF == 1 && $1 !~ /:$/ { print $1 }' |
		sort -u > "$tmp/undef"
	$NM --defined-only "$@" | awk 'NF == 3 { print $3 }' | sort -u > "$tmp/def"
	comm -23 "$tmp/undef" "$tmp/def"
}

# those a kernel does not give a module
foreign() {
	undefined "$@" | while read -r sym; do
		case " $kernel_gives " in
		*" $sym "*) ;;
		*) echo "$sym" ;;
		esac
	done
}

objs=
n=0
for f in "$src"/harness/core/*.c "$src/harness/$ARCH/clock.S"; do
	n=$((n + 1))
	if kbuild "$f"; then
		objs="$objs $tmp/$(basename "$f").o"
	else
		echo "FAIL: ${f#"$src"/} does not compile for a kernel module:"
		sed 's/^/    /' "$tmp/log" | head -20
		fail=1
	fi
done
[ "$n" -gt 1 ] || { echo "FAIL: no core file under $src/harness/core"; exit 1; }
if [ -n "$objs" ]; then
	# shellcheck disable=SC2086
	bad=$(foreign $objs)
	if [ -n "$bad" ]; then
		echo "FAIL: the core calls what a kernel does not give a module:" $bad
		for o in $objs; do
			for s in $bad; do
				$NM -u "$o" | grep -qw "$s" &&
					echo "    $(basename "$o" .o): $s"
			done
		done
		fail=1
	else
		echo "ok: $n core files compile for a kernel module; undefined: $(undefined $objs | tr '\n' ' ')"
	fi
fi

# The check's own teeth: each probe must be refused.
probe() {
	p=$tmp/probe.c
	printf '%s\n' "$2" > "$p"
	if ! kbuild "$p"; then
		echo "ok: $1 refused: $(grep -m1 -i 'error' "$tmp/log" |
			sed 's/^[^ ]* //')"
	elif [ -n "$(foreign "$p.o")" ]; then
		echo "ok: $1 refused: calls $(foreign "$p.o" | tr '\n' ' ')"
	else
		echo "FAIL: a core file with $1 passes the check"
		fail=1
	fi
}
probe "a libc header" '#include <stdio.h>
#include "core/shim.h"
int f(void) { return puts("x"); }'
probe "a libc call" '#include "core/shim.h"
int printf(const char *, ...);
int f(uint64_t x) { return printf("%llu", (unsigned long long)x); }'
probe "a malloc" '#include "core/shim.h"
void *malloc(size_t);
void *f(size_t n) { return malloc(n); }'
probe "floating point" '#include "core/shim.h"
uint64_t f(uint64_t a, uint64_t b) { return (uint64_t)((double)a / (double)b); }'
# ... and a probe that is fine passes: the check refuses for the reason
printf '%s\n' '#include "core/shim.h"
void f(uint64_t *a, uint64_t *b) { memcpy(a, b, 8); }' > "$tmp/fine.c"
if kbuild "$tmp/fine.c" && [ -z "$(foreign "$tmp/fine.c.o")" ]; then
	echo "ok: a core file calling memcpy passes"
else
	echo "FAIL: a core file calling memcpy is refused:"
	sed 's/^/    /' "$tmp/log" | head -5
	fail=1
fi
exit $fail
