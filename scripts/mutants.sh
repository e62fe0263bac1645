#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Deliberate breakages ("mutants"), one at a time, against make check:
# each is applied to a copy of the committed tree (git archive HEAD), and
# the tests that fail are reported.  A mutant no test catches is a hole
# in the tests; the script then exits 1.
#
#   scripts/mutants.sh                    every mutant, both architectures
#   scripts/mutants.sh --arch x86 NAME... some mutants, one architecture
#   scripts/mutants.sh --list             the mutants and what they break
#   scripts/mutants.sh --tests 'test_meter test_stress' ...
#                                         run only these tests (quicker)
#
# One build per architecture is reused: a mutant rebuilds what it touches
# and is undone before the next.  Expect a few minutes per mutant and
# architecture (the stress test dominates under qemu).
set -u
cd "$(dirname "$0")/.." || exit 1

# name|file|perl substitution (perl -0pi -e)|what it breaks
MUTANTS='
no-clear-cache|variants/image.c|s/\n\t__builtin___clear_cache\([^;]*;//|no cache maintenance after an instruction write
no-sync-after-write|variants/image.c|s/\n\ttb_image_sync_text\(addr, len\);//|an instruction write not followed by its maintenance
sync-wrong-range|variants/image.c|s/\ttb_image_sync_text\(addr, len\);/\ttb_image_sync_text(addr, 1);/|maintenance of the first byte only
meter-timer-2n|harness/meter.c|s/(\(double\)\(c - b\),\s*lp, )passes/${1}2 * passes/|timer path divides by 2N
meter-group-2n|harness/meter.c|s/(\(double\)d2\.value\[j\], lp, )passes/${1}2 * passes/|counter-group path divides by 2N
meter-diff-2n|harness/meter.c|s/\(\(double\)lp->items \* \(double\)passes\)/(2.0 * lp->items * (double)passes)/|the difference itself divides by 2N
split-literal|variants/image.c|s/__atomic_store_n\(\(uint64_t \*\)dst, \*\(const uint64_t \*\)src,\s*__ATOMIC_RELAXED\);/{ __atomic_store_n((uint32_t *)dst, ((const uint32_t *)src)[0], __ATOMIC_RELAXED); __atomic_store_n((uint32_t *)dst + 1, ((const uint32_t *)src)[1], __ATOMIC_RELAXED); }/|a 64-bit literal stored as two 32-bit halves
x86-no-int3|variants/x86/text_poke.c|s/(\tif \(!memcmp\(addr, insn, len\)\)\n\t\treturn;\n)/${1}\ttb_image_write_text(img, addr, insn, len);\n\treturn;\n/|x86 code patched in place without the int3 protocol
x86-rel32-base|variants/x86/insn.c|s/int32_t rel = \(int32_t\)\(target - \(pc \+ X86_INSN_SIZE\)\)/int32_t rel = (int32_t)(target - pc)/|x86 rel32 computed from the instruction start, not its end
clock-adds-2x|harness/clock.c|s/f->adds = n \* TB_ADD_CHAIN_UNROLL;/f->adds = 2 * n * TB_ADD_CHAIN_UNROLL;/|the core clock counts twice the adds it ran
disturb-swapped|harness/perf_group.c harness/disturb.c|s/s->switches = r\[1\];\n(\s*)s->migrations = r\[2\];/s->switches = r[2];\n${1}s->migrations = r[1];/|context switches read from the migrations counter
hl-ci-narrow|report/stats.py|s/ci = \(d\[k - 1\], d\[len\(d\) - k\]\)/ci = (d[k], d[len(d) - k - 1])/|the Hodges-Lehmann CI one rank too narrow
mark-p02|report/stats.py|s/if p < ALPHA else/if p < 0.2 else/|* given at p < 0.2
plot-max|report/plots.py|s/    m = verdict\.center\(case, counter\)\n/    m = max(values)\n/|the plots draw each maximum instead of the median
merge-no-tie|report/merge|s/.tie.: lead\.decided and not lead\.holds,/\x27tie\x27: False,/|merge never marks a tie
verdict-holds|report/verdict.py|s/(def across\(diffs\):\n    """[^\n]*\n)/$1    return Verdict(list(diffs), "holds")\n/|the cross-run rule always says holds
'

. scripts/hostarch.sh
arches="$native $other"
only=
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
		shift 2 ;;
	--tests)
		[ $# -ge 2 ] || { echo "mutants.sh: --tests needs a list of test names" >&2; exit 2; }
		only=$2
		shift 2 ;;
	--list) list=true; shift ;;
	-h | --help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "mutants.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done

names=$(printf "%s\n" "$MUTANTS" | sed -n 's/^\([a-z0-9-]*\)|.*/\1/p')
if $list; then
	printf "%s\n" "$MUTANTS" | awk -F'|' 'NF { printf "%-20s %s (%s)\n", $1, $4, $2 }'
	exit 0
fi
want=${*:-$names}
for n in $want; do
	echo "$names" | grep -qx "$n" || {
		echo "mutants.sh: no mutant '$n' (see --list)" >&2
		exit 2
	}
done

tmp=$(mktemp -d /tmp/tb-mutants.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/src" && git archive HEAD | tar -x -C "$tmp/src" || exit 1

# make check for one architecture in the copy; the failed tests, or "-".
check() {
	arch=$1 log=$2
	set -- O="$tmp/build/$arch" ARCH="$arch"
	[ "$arch" = "$native" ] || set -- "$@" CROSS_COMPILE="$cross"
	if [ -n "$only" ]; then
		tests=
		scripts=
		for t in $only; do
			case $t in
			*.sh) scripts="$scripts tests/$t" ;;
			*) tests="$tests $tmp/build/$arch/tests/$t" ;;
			esac
		done
		set -- "$@" TESTS="$tests" TEST_SCRIPTS="$scripts"
	fi
	if (cd "$tmp/src" && make -j"$(nproc)" "$@" check) >"$log" 2>&1; then
		echo "-"
	elif grep -q "^failed on $arch:" "$log"; then
		sed -n "s/^failed on $arch: *//p" "$log" | tr ' ' ','
	else
		echo "build-failed"
	fi
}

echo "mutants: $(echo $want | wc -w), architectures: $arches${only:+, tests: $only}"
for arch in $arches; do
	printf 'baseline %s ... ' "$arch"
	r=$(check "$arch" "$tmp/base-$arch.log")
	if [ "$r" != "-" ]; then
		echo "FAILS ($r): fix the tree first; what failed:"
		grep -E '^(FAIL|\*\*\*)|ERROR|error:' "$tmp/base-$arch.log" |
			head -n 30
		exit 1
	fi
	echo ok
done

missed=0
table=
for n in $want; do
	line=$(printf "%s\n" "$MUTANTS" | grep "^$n|")
	files=$(printf "%s\n" "$line" | cut -d'|' -f2)
	expr=$(printf "%s\n" "$line" | cut -d'|' -f3)
	# the first of the files (it may have moved) that the change applies to
	file=
	for f in $files; do
		[ -f "$tmp/src/$f" ] || continue
		cp "$tmp/src/$f" "$tmp/orig"
		perl -0pi -e "$expr" "$tmp/src/$f"
		if cmp -s "$tmp/src/$f" "$tmp/orig"; then
			continue
		fi
		file=$f
		break
	done
	if [ -z "$file" ]; then
		echo "*** $n: applies to none of $files: update the mutant"
		missed=$((missed + 1))
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
		esac
		r=$(check "$arch" "$tmp/$n-$arch.log")
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
	# undone, and rebuilt from the original next time (newer mtime)
	cp "$tmp/orig" "$tmp/src/$file"
	touch "$tmp/src/$file"
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
echo "mutants: $(echo $want | wc -w) tried, $missed not caught"
[ "$missed" -eq 0 ]
