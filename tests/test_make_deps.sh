#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# First contact: make on a machine without a library the build needs
# stops before compiling, with one line naming the Debian package, under
# V=1 and LLVM=1 too; make clean never checks; a good compiler is checked
# once.  A library is hidden by a sysroot of links to everything in
# /usr/include but it.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

host=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
case $ARCH in
x86) triple=x86_64-linux-gnu deb=amd64 ;;
arm64) triple=aarch64-linux-gnu deb=arm64 ;;
esac
if [ "$ARCH" = "$host" ]; then
	cross= sfx=
else
	cross=$triple- sfx=:$deb
fi

# A sysroot with /usr/include's entries but those named, /usr/lib whole.
sysroot() {
	s=$dir/$1
	shift
	mkdir -p "$s/usr/include"
	for e in /usr/include/*; do
		skip=
		for h in "$@"; do
			[ "$e" = "/usr/include/$h" ] && skip=1
		done
		[ -z "$skip" ] && ln -s "$e" "$s/usr/include/"
	done
	ln -s /usr/lib "$s/usr/lib"
	for l in /lib /lib64; do
		[ -e $l ] && ln -s $l "$s$l"
	done
	echo "$s"
}
nopfm=$(sysroot nopfm perfmon)
nocmocka=$(sysroot nocmocka cmocka.h)
nojson=$(sysroot nojson json-c)

mk() {
	out=$1
	shift
	make -C "$TB_SRC" ARCH=$ARCH CROSS_COMPILE=$cross "$@" \
		>"$dir/$out" 2>&1
}

# expect NAME WHAT-LINE make-args...: make fails with exactly that line
# and compiles nothing
expect() {
	name=$1 line=$2
	shift 2
	mk out "$@"
	rc=$?
	if [ $rc -ne 0 ] && grep -qxF "$line" "$dir/out" &&
		! grep -q "No such file or directory" "$dir/out" &&
		[ -z "$(find "$dir/b-$name" -name '*.o' 2>/dev/null)" ]; then
		ok "$name: exit $rc, $line"
	else
		bad "$name: exit $rc, expected '$line' and nothing compiled"
		tail -n 5 "$dir/out"
	fi
}

pfm="make: libpfm4 headers not found (perfmon/pfmlib_perf_event.h): run scripts/setup.sh, or apt-get install libpfm4-dev$sfx"
cm="make: cmocka headers not found (cmocka.h): run scripts/setup.sh, or apt-get install libcmocka-dev$sfx"
cc="${cross}gcc --sysroot=$nopfm"
cxx="${cross}g++ --sysroot=$nopfm"
expect nopfm "$pfm" O="$dir/b-nopfm" CC="$cc" CXX="$cxx"
expect nopfm-v1 "$pfm" O="$dir/b-nopfm-v1" CC="$cc" CXX="$cxx" V=1
# clang, the sysroot through CPPFLAGS (from the environment, as make
# appends its own)
CPPFLAGS="--sysroot=$nopfm" expect nopfm-llvm "$pfm" \
	O="$dir/b-nopfm-llvm" LLVM=1
js="make: json-c headers not found (json-c/json.h): run scripts/setup.sh, or apt-get install libjson-c-dev$sfx"
expect nojson "$js" O="$dir/b-nojson" CC="${cross}gcc --sysroot=$nojson" \
	CXX="${cross}g++ --sysroot=$nojson"
expect nocmocka "$cm" O="$dir/b-nocmocka" \
	CC="${cross}gcc --sysroot=$nocmocka" \
	CXX="${cross}g++ --sysroot=$nocmocka" check

# make clean never checks.
mkdir -p "$dir/b-clean"
if mk clean O="$dir/b-clean" CC="$cc" CXX="$cxx" clean &&
	! grep -q "not found" "$dir/clean" && [ ! -e "$dir/b-clean" ]; then
	ok "make clean with libpfm4 missing: no check, exit 0"
else
	bad "make clean checked the libraries or failed"
	cat "$dir/clean"
fi

# A good compiler: checked once, into a stamp in the build folder.
t=harness/data/tables.o
if mk good O="$dir/b-good" "$dir/b-good/$t" &&
	[ -n "$(ls "$dir/b-good/.deps" 2>/dev/null)" ] &&
	! grep -q "not found" "$dir/good"; then
	stamp=$(ls "$dir/b-good/.deps")
	touch -d '2000-01-01' "$dir/b-good/.deps/$stamp"
	rm "$dir/b-good/$t"
	mk good2 O="$dir/b-good" "$dir/b-good/$t"
	if [ "$(ls "$dir/b-good/.deps")" = "$stamp" ] &&
		[ "$(date -r "$dir/b-good/.deps/$stamp" +%Y)" = 2000 ]; then
		ok "a good compiler passes, checked once (.deps/$stamp)"
	else
		bad "the check ran again for the same compiler: $(ls "$dir/b-good/.deps")"
	fi
else
	bad "a good compiler did not pass the check"
	cat "$dir/good"
fi

# Plain make builds the program, not just the check's stamp.
if mk default -n O="$dir/b-default" &&
	grep -q -- "-o $dir/b-default/trampbench " "$dir/default"; then
	ok "plain make links trampbench"
else
	bad "plain make does not build trampbench (default goal?)"
	tail -n 3 "$dir/default"
fi

echo "test_make_deps: $fails failure(s)"
[ $fails -eq 0 ]
