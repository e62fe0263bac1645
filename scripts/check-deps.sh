#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Before the first compile (make runs this once per compiler, see the
# Makefile's DEPS_STAMP): are the headers and libraries the build needs
# there for this ARCH and compiler?  One line per missing thing, naming
# the Debian package, and exit 1; nothing and exit 0 when all are there.
#
#   CC, CXX, CPPFLAGS, LDFLAGS   as make has them
#   check-deps.sh ARCH HOSTARCH [check]
#
# "check" adds what make check needs (cmocka).
arch=$1
hostarch=$2
want_check=${3:-}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
missing=0

# Debian's name of the architecture, for a multiarch package.
case $arch in
x86) deb=amd64 triple=x86_64-linux-gnu ;;
arm64) deb=arm64 triple=aarch64-linux-gnu ;;
*) deb=$arch triple=$arch ;;
esac
if [ "$arch" = "$hostarch" ]; then
	sfx=
else
	sfx=:$deb
fi

say() {
	echo "make: $1: run scripts/setup.sh, or apt-get install $2" >&2
	missing=$((missing + 1))
}

# The compilers themselves ("clang --target=..." is the word clang).
for c in "$CC" "$CXX"; do
	set -- $c
	if ! command -v "$1" >/dev/null 2>&1; then
		case $1 in
		clang | clang++) pkg=clang ;;
		*-g++) pkg=g++-$triple ;;
		*-gcc) pkg=gcc-$triple ;;
		*g++*) pkg=g++ ;;
		*) pkg=gcc ;;
		esac
		say "$1 not found" "$pkg"
	fi
done
[ $missing -eq 0 ] || exit 1

# header LANG HEADER WHAT PACKAGE
header() {
	printf '#include <%s>\n' "$2" >"$tmp/h.$1"
	if [ "$1" = c ]; then
		set -- "$@" $CC
	else
		set -- "$@" $CXX
	fi
	lang=$1 h=$2 what=$3 pkg=$4
	shift 4
	if ! "$@" $CPPFLAGS -fsyntax-only -c "$tmp/h.$lang" \
		>"$tmp/err" 2>&1; then
		say "$what headers not found ($h)" "$pkg$sfx"
		return 1
	fi
}

# library LANG -lNAME WHAT PACKAGE
library() {
	if [ "$1" = c ]; then
		printf 'int main(void) { return 0; }\n' >"$tmp/l.c"
		set -- "$@" $CC
	else
		printf 'int main() { return 0; }\n' >"$tmp/l.c++"
		set -- "$@" $CXX
	fi
	lang=$1 l=$2 what=$3 pkg=$4
	shift 4
	if ! "$@" $LDFLAGS -o "$tmp/a.out" "$tmp/l.$lang" $l \
		>"$tmp/err" 2>&1; then
		say "$what library not found ($l)" "$pkg$sfx"
	fi
}

header c perfmon/pfmlib_perf_event.h libpfm4 libpfm4-dev &&
	library c -lpfm libpfm4 libpfm4-dev
header c++ benchmark/benchmark.h "Google Benchmark" libbenchmark-dev &&
	library c++ -lbenchmark "Google Benchmark" libbenchmark-dev
# the results file's rows, and the tests' reading of JSON
header c json-c/json.h json-c libjson-c-dev &&
	library c -ljson-c json-c libjson-c-dev
if [ -n "$want_check" ]; then
	# cmocka.h wants these first, as every test includes them
	printf '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <cmocka.h>\n' \
		>"$tmp/cm.c"
	if ! $CC $CPPFLAGS -fsyntax-only -c "$tmp/cm.c" >"$tmp/err" 2>&1; then
		say "cmocka headers not found (cmocka.h)" "libcmocka-dev$sfx"
	else
		library c -lcmocka cmocka libcmocka-dev
	fi
fi
[ $missing -eq 0 ]
