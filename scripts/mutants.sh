#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Deliberate breakages ("mutants"), one at a time, against make check:
# each is applied to a copy of the committed tree (git archive HEAD, in a
# new folder of $TMPDIR), and the tests that fail are reported.  A mutant
# no test catches is a hole in the tests; the script then exits 1.
#
#   scripts/mutants.sh                    every mutant, both architectures
#   scripts/mutants.sh --arch x86 NAME... some mutants, one architecture
#   scripts/mutants.sh --list             the mutants and what they break
#   scripts/mutants.sh --tests 'test_meter test_stress' ...
#                                         run only these tests (quicker)
#   scripts/mutants.sh --quick [NAME...]  what CI runs: the mutants whose
#                                         catching tests are known, each
#                                         with only those, on this
#                                         machine's architecture (or
#                                         --arch); and every mutant of
#                                         the table still applies
#
# One build per architecture is reused: a mutant rebuilds what it touches
# and is undone before the next.  Expect a few minutes per mutant and
# architecture (the stress test dominates under qemu); --quick takes a
# few minutes in all.
set -u
cd "$(dirname "$0")/.." || exit 1

# name|files|perl substitution (perl -0pi -e)|what it breaks|quick tests
#
# files: where the change may apply, the first that it changes is used
# (any file of the tree: C, assembly, Python); a | inside a field is
# written \x7c, which perl reads as a plain |, and alternatives as two
# substitutions (s/a/x/; s/b/x/).  Quick tests: the tests known to
# catch it every time (no race, no PMU), what --quick runs; a word
# ARCH:TEST holds on that architecture only.  Tests are named as make
# check runs them: test_meter (tests/test_meter.c), test_report.sh
# (tests/test_report.sh, the report's pytest suite, native only, as are
# the mutants of report/).
MUTANTS='
no-clear-cache|variants/image.c|s/\n\t__builtin___clear_cache\([^;]*;//|no cache maintenance after an instruction write|arm64:test_text_write
no-sync-after-write|variants/image.c|s/\n\ttb_image_sync_text\(addr, len\);//|an instruction write not followed by its maintenance|
sync-wrong-range|variants/image.c|s/\ttb_image_sync_text\(addr, len\);/\ttb_image_sync_text(addr, 1);/|maintenance of the first byte only|test_text_write
meter-timer-2n|harness/meter.c|s/(\(double\)r->ticks\[1\],\s*lp, )passes/${1}2 * passes/|timer path divides by 2N|test_meter
meter-group-2n|harness/meter.c|s/(\(double\)r->count\[1\]\[j\], lp,\s*)passes/${1}2 * passes/|counter-group path divides by 2N|
meter-diff-2n|harness/meter.c|s/\(\(double\)lp->items \* \(double\)passes\)/(2.0 * lp->items * (double)passes)/|the difference itself divides by 2N|
split-literal|variants/image.c|s/__atomic_store_n\(\(uint64_t \*\)dst, \*\(const uint64_t \*\)src,\s*__ATOMIC_RELAXED\);/{ __atomic_store_n((uint32_t *)dst, ((const uint32_t *)src)[0], __ATOMIC_RELAXED); __atomic_store_n((uint32_t *)dst + 1, ((const uint32_t *)src)[1], __ATOMIC_RELAXED); }/|a 64-bit literal stored as two 32-bit halves|x86:test_text_write
x86-no-int3|variants/x86/text_poke.c|s/(\tif \(!memcmp\(addr, insn, len\)\)\n\t\treturn;\n)/${1}\ttb_image_write_text(img, addr, insn, len);\n\treturn;\n/|x86 code patched in place without the int3 protocol|x86:test_text_write
x86-rel32-base|variants/x86/insn.c|s/int32_t rel = \(int32_t\)\(target - \(pc \+ X86_INSN_SIZE\)\)/int32_t rel = (int32_t)(target - pc)/|x86 rel32 computed from the instruction start, not its end|
clock-adds-2x|harness/clock.c|s/f->adds = n \* TB_ADD_CHAIN_UNROLL;/f->adds = 2 * n * TB_ADD_CHAIN_UNROLL;/|the core clock counts twice the adds it ran|
disturb-swapped|harness/perf_group.c harness/disturb.c|s/s->switches = r\[1\];\n(\s*)s->migrations = r\[2\];/s->switches = r[2];\n${1}s->migrations = r[1];/|context switches read from the migrations counter|
hl-ci-narrow|report/stats.py|s/ci = \(d\[k - 1\], d\[len\(d\) - k\]\)/ci = (d[k], d[len(d) - k - 1])/|the Hodges-Lehmann CI one rank too narrow|test_report.sh
mark-p02|report/stats.py|s/if p < ALPHA else/if p < 0.2 else/|* given at p < 0.2|test_report.sh
plot-max|report/plots.py|s/    m = verdict\.center\(case, counter\)\n/    m = max(values)\n/|the plots draw each maximum instead of the median|test_report.sh
merge-no-tie|report/merge|s/.tie.: lead\.decided and not lead\.holds,/\x27tie\x27: False,/|merge never marks a tie|test_report.sh
verdict-holds|report/verdict.py|s/(def across\(diffs\):\n    """[^\n]*\n)/$1    return Verdict(list(diffs), "holds")\n/|the cross-run rule always says holds|test_report.sh
'


. scripts/hostarch.sh
arches="$native $other"
arch_given=false
only=
quick=false
list=false
while [ $# -gt 0 ]; do
	case "$1" in
	--arch)
		[ $# -ge 2 ] || { echo "mutants.sh: --arch needs x86, arm64 or both" >&2; exit 2; }
		case "$2" in
		both) arches="$native $other" ;;
		x86 | arm64) arches=$2 ;;
		*) echo "mutants.sh: unknown --arch '$2' (valid: x86, arm64, both)" >&2; exit 2 ;;
		esac
		arch_given=true
		shift 2 ;;
	--tests)
		[ $# -ge 2 ] && [ -n "$2" ] || { echo "mutants.sh: --tests needs a list of test names" >&2; exit 2; }
		only=$2
		shift 2 ;;
	--quick) quick=true; shift ;;
	--list) list=true; shift ;;
	-h | --help) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "mutants.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
# --quick: this machine's architecture, where its tests run natively
$quick && ! $arch_given && arches=$native

# field N of mutant NAME's row
field() {
	printf "%s\n" "$MUTANTS" | grep "^$1|" | cut -d'|' -f"$2"
}
# the quick tests of mutant NAME on ARCH (nothing: not a quick mutant there)
quick_tests() {
	for w in $(field "$1" 5); do
		case $w in
		"$2":*) printf '%s ' "${w#*:}" ;;
		*:*) ;;
		*) printf '%s ' "$w" ;;
		esac
	done
}

names=$(printf "%s\n" "$MUTANTS" | sed -n 's/^\([a-z0-9-]*\)|.*/\1/p')
if $list; then
	printf "%s\n" "$MUTANTS" | awk -F'|' 'NF {
		printf "%-20s %s (%s)%s\n", $1, $4, $2, $5 == "" ? "" : "; quick: " $5 }'
	exit 0
fi
for n in "$@"; do
	echo "$names" | grep -qx -- "$n" || {
		echo "mutants.sh: no mutant '$n' (see --list)" >&2
		exit 2
	}
done
want=${*:-$names}
if $quick; then
	q=
	for n in $want; do
		for arch in $arches; do
			[ -n "$(quick_tests "$n" "$arch")" ] && { q="$q $n"; break; }
		done
	done
	[ -n "$q" ] || {
		echo "mutants.sh: none of $want is a quick mutant on $arches (see --list)" >&2
		exit 2
	}
	all=$want
	want=$(echo $q)
fi
# a test is named as make check runs it: NAME for tests/NAME.c, NAME.sh
# for tests/NAME.sh
is_test() {
	case $1 in
	*/*) false ;;
	*.sh) [ -f "tests/$1" ] ;;
	*) [ -f "tests/$1.c" ] ;;
	esac
}
for t in $only; do
	is_test "$t" || {
		echo "mutants.sh: no test '$t' (names as make check runs them: test_meter for tests/test_meter.c, test_report.sh for tests/test_report.sh)" >&2
		exit 2
	}
done
for n in $names; do
	for w in $(field "$n" 5); do
		is_test "${w#*:}" || {
			echo "mutants.sh: mutant $n: its quick test '${w#*:}' is not in tests/: update the mutant" >&2
			exit 2
		}
	done
done

# make cannot build in a path with a blank; a copy is of HEAD only
case ${TMPDIR:-/tmp} in *[[:space:]]*)
	echo "mutants.sh: TMPDIR '${TMPDIR}' holds a blank, which make cannot build in: set TMPDIR to another folder" >&2
	exit 2 ;;
esac
commit=$(git rev-parse -q --verify HEAD) || {
	echo "mutants.sh: $(pwd) is not a git checkout with a commit: the mutants run on a copy of HEAD" >&2
	exit 2
}
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	echo "mutants.sh: warning: uncommitted changes are not in the copy, which is HEAD ($(git describe --always "$commit")): commit them to test them" >&2
# make check of a make (make mutants) is not this one's
unset MAKEFLAGS MFLAGS MAKELEVEL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tb-mutants.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/src" && git archive "$commit" | tar -x -C "$tmp/src" || exit 1

# check ARCH LOG [TESTS]: make check for one architecture in the copy,
# with only TESTS if given; the failed tests, "-", or "build-failed"
check() {
	arch=$1 log=$2 tests=${3:-}
	set -- O="$tmp/build/$arch" ARCH="$arch"
	[ "$arch" = "$native" ] || set -- "$@" CROSS_COMPILE="$cross"
	if [ -n "$tests" ]; then
		bins=
		scripts=
		for t in $tests; do
			case $t in
			*.sh) scripts="$scripts tests/$t" ;;
			*) bins="$bins $tmp/build/$arch/tests/$t" ;;
			esac
		done
		set -- "$@" TESTS="$bins" TEST_SCRIPTS="$scripts"
	fi
	if (cd "$tmp/src" && make -j"$(nproc)" "$@" check) >"$log" 2>&1; then
		echo "-"
	elif grep -q "^failed on $arch:" "$log"; then
		sed -n "s/^failed on $arch: *//p" "$log" | tr ' ' ','
	else
		echo "build-failed"
	fi
}
# what failed in LOG: each failed test's last lines, or the build's
failure() {
	log=$1 r=$2
	if [ "$r" = build-failed ]; then
		echo "--- the build failed; its last lines ($log):"
		tail -n 20 "$log"
		return
	fi
	for t in $(echo "$r" | tr ',' ' '); do
		echo "--- $t, its last lines:"
		awk -v t="$t" 'index($0, "=== " t " (") == 1 { on = 1; n = 0; next }
			on && index($0, "*** " t " failed") == 1 { on = 0 }
			on { l[n++ % 25] = $0 }
			END { for (i = (n > 25 ? n - 25 : 0); i < n; i++) print l[i % 25] }' "$log"
	done
}
# apply NAME: the mutant changed its first file it changes; file set,
# the original kept as $tmp/orig; false if it changes none
apply() {
	file=
	for f in $(field "$1" 2); do
		[ -f "$tmp/src/$f" ] || continue
		cp "$tmp/src/$f" "$tmp/orig"
		perl -0pi -e "$(field "$1" 3)" "$tmp/src/$f"
		if cmp -s "$tmp/src/$f" "$tmp/orig"; then
			continue
		fi
		file=$f
		return 0
	done
	return 1
}
# undone, and rebuilt from the original next time (newer mtime)
undo() {
	cp "$tmp/orig" "$tmp/src/$file"
	touch "$tmp/src/$file"
}

missed=0
stale=0
if $quick; then
	# the mutants not run still apply to their files, or the table rotted
	q=
	for n in $all; do
		if apply "$n"; then
			undo
			case " $want " in *" $n "*) q="$q $n" ;; esac
		else
			echo "*** $n: applies to none of $(field "$n" 2): update the mutant"
			stale=$((stale + 1))
		fi
	done
	want=$(echo $q)
	echo "mutants: $(($(echo $all | wc -w) - stale)) of $(echo $all | wc -w) apply to their files; quick: ${want:-none} on $arches"
else
	echo "mutants: $(echo $want | wc -w), architectures: $arches${only:+, tests: $only}"
fi

# the tests ARCH runs for mutant NAME (nothing: all of make check)
tests_of() {
	if [ -n "$only" ]; then
		echo "$only"
	elif $quick; then
		quick_tests "$1" "$2"
	fi
}
for arch in $arches; do
	tests=$only
	if $quick && [ -z "$only" ]; then
		tests=$(for n in $want; do quick_tests "$n" "$arch"; done |
			tr ' ' '\n' | sort -u | tr '\n' ' ')
		[ -n "$tests" ] || continue
	fi
	printf 'baseline %s%s ... ' "$arch" "${tests:+ ($(echo $tests))}"
	r=$(check "$arch" "$tmp/base-$arch.log" "$tests")
	if [ "$r" != "-" ]; then
		echo "FAILS ($r): fix the tree first; what failed:"
		failure "$tmp/base-$arch.log" "$r"
		exit 1
	fi
	echo ok
done

table=
for n in $want; do
	if ! apply "$n"; then
		echo "*** $n: applies to none of $(field "$n" 2): update the mutant"
		stale=$((stale + 1))
		continue
	fi
	row="$n"
	caught=false
	ran=false
	for arch in $arches; do
		printf '%s on %s ... ' "$n" "$arch"
		case "$file" in
		*/x86/* | */arm64/*)
			# architecture code: only built for its own
			case "$file" in */"$arch"/*) ;; *)
				echo "n/a"
				row="$row|n/a"
				continue ;;
			esac ;;
		report/*)
			# the report's tests run natively only
			[ "$arch" = "$native" ] || {
				echo "n/a"
				row="$row|n/a"
				continue
			} ;;
		esac
		tests=$(tests_of "$n" "$arch")
		if $quick && [ -z "$tests" ]; then
			echo "n/a (no quick test on $arch)"
			row="$row|n/a"
			continue
		fi
		r=$(check "$arch" "$tmp/$n-$arch.log" "$tests")
		ran=true
		echo "$r"
		case "$r" in
		-) ;;
		build-failed)
			echo "    (the mutant does not build on $arch: not a test result)"
			tail -n 5 "$tmp/$n-$arch.log" | sed 's/^/    /' ;;
		*) caught=true ;;
		esac
		row="$row|$r"
	done
	undo
	# architecture code not built here is not a miss, nor a catch
	if $ran && ! $caught; then
		missed=$((missed + 1))
		row="$row|NOT CAUGHT"
	fi
	table="$table$row
"
done

echo
printf '| mutant |'
for arch in $arches; do printf ' %s: tests that fail |' "$arch"; done
echo
printf '|---|'
for arch in $arches; do printf -- '---|'; done
echo
echo "$table" | awk -F'|' 'NF { printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; printf "\n" }'
rotted=
[ "$stale" -eq 0 ] || rotted=", $stale applying to nothing"
echo "mutants: $(echo $want | wc -w) tried, $missed not caught$rotted"
[ "$missed" -eq 0 ] && [ "$stale" -eq 0 ]
