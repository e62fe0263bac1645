#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make vm: trampbench in a guest under qemu-system (TCG), on Debian's own
# kernel with its own PMU driver, so the counter path runs against a real
# kernel here.  The kernel, busybox (and perf) come from apt, unpacked
# into a cache, never installed; the build's trampbench and its libraries
# go into an initramfs; the guest runs trampbench --check and trampbench
# ARGS, and the results file and the console log come back to results/.
#
#   vm.sh [options] [-- trampbench arguments]
#     --arch A        arm64 (default) or x86
#     --cpu C         qemu's -cpu (default max); --cpu help lists them
#     --kernel K      a Debian kernel package or ABI (default: the one
#                     linux-image-<arch> depends on now)
#     --no-icount     qemu's virtual time instead of -icount shift=0
#                     (exact instruction counts, cycles = instructions;
#                     arm64 only by default: x86 guests have no PMU)
#     --smp N         guest CPUs (2)
#     --user-access 0|1  /proc/sys/kernel/perf_user_access (1)
#     --timeout S     stop a guest that has not powered off after S s
#     --build DIR     the build to run (default build/<arch>)
#     --perf          also Debian's perf and its libraries, as /w/bin/perf
#     --with FILE     also this program (and its libraries), in /w/bin
#     --file SRC=DEST also this file, as /w/DEST
#     --job FILE      run this script in the guest instead (sh, in /w);
#                     what it leaves in /out comes back into --out DIR,
#                     with console.log; nothing goes to results/
#     --out DIR       with --job: where the guest's files go
#     --results DIR   where a run's results go (default results/)
#
# An emulator's numbers are never a core's: trampbench itself detects the
# emulation and says so in everything it writes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
. "$top/scripts/vm/fetch.sh"

arch=arm64 cpu= kernel= icount= smp=2 user_access=1 timeout= build=
perf=false job= out= with= results= files=
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=${2:?}; shift 2 ;;
	--cpu) cpu=${2:?}; shift 2 ;;
	--kernel) kernel=${2:?}; shift 2 ;;
	--no-icount) icount=0; shift ;;
	--icount) icount=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--user-access) user_access=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	--perf) perf=true; shift ;;
	--with) with="$with ${2:?}"; shift 2 ;;
	--file) files="$files ${2:?}"; shift 2 ;;
	--job) job=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--) shift; break ;;
	-h | --help) sed -n '3,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) vm_die "unknown option '$1' (see --help)" ;;
	esac
done
case "$arch" in
arm64) qemu=qemu-system-aarch64 console=ttyAMA0 ;;
x86) qemu=qemu-system-x86_64 console=ttyS0 ;;
*) vm_die "--arch $arch: no guest for it (valid: arm64, x86)" ;;
esac
# icount makes arm64's PMU count exactly; TCG gives x86 no PMU to make
# exact, and an x86 guest's run under icount did not end in 300 s
[ -n "$icount" ] || { [ "$arch" = arm64 ] && icount=1 || icount=0; }
case "$icount" in 0 | 1) ;; *) vm_die "VM_ICOUNT=$icount: 0 or 1" ;; esac
case "$user_access" in 0 | 1) ;; *) vm_die "VM_USER_ACCESS=$user_access: 0 or 1" ;; esac
case "$smp" in [1-8]) ;; *) vm_die "VM_SMP=$smp: 1 to 8 CPUs" ;; esac
[ -n "$job" ] && [ -z "$out" ] && vm_die "--job needs --out DIR"
[ -n "$job" ] && [ ! -r "$job" ] && vm_die "--job $job: no such file"
command -v "$qemu" >/dev/null 2>&1 ||
	vm_die "$qemu not found: run scripts/setup.sh (package qemu-system-${arch%64}${arch#x86})"
command -v cpio >/dev/null 2>&1 || vm_die "cpio not found: run scripts/setup.sh (package cpio)"

# qemu's own CPU list, without the 32-bit-only Arm cores a 64-bit
# kernel cannot run on
cpus() {
	if [ "$arch" = arm64 ]; then
		$qemu -M virt -cpu help | tr -s ' \n' '\n' | sed 1,2d |
			grep -Ev '^(arm|pxa|sa1|ti9|cortex-[mr]|cortex-a(7|8|9|15)$)'
	else
		$qemu -cpu help | awk '$1 == "x86" { print $2 }'
	fi
}
cpu=${cpu:-max}
if [ "$cpu" = help ]; then
	cpus | tr '\n' ' '
	echo
	exit 0
fi
cpus | grep -qxF "$cpu" ||
	vm_die "unknown VM_CPU '$cpu' for $arch (valid: $(cpus | tr '\n' ' ' | sed 's/ $//'))"
qcpu=$cpu
# without pauth-impdef qemu emulates pointer authentication's QARMA,
# 4x slower to boot (measured: 12 s against 3 s)
[ "$arch" = arm64 ] && [ "$cpu" = max ] && qcpu=max,pauth-impdef=on

debarch=$(vm_debarch "$arch")
triplet=$(vm_triplet "$debarch")
build=${build:-$top/build/$arch}
tb=$build/trampbench
[ -x "$tb" ] || vm_die "no $tb: make ARCH=$arch first (make vm builds it)"
if [ "$arch" = "$(uname -m | sed -e s/x86_64/x86/ -e s/aarch64/arm64/)" ]; then
	readelf=readelf
else
	readelf=$triplet-readelf
fi
command -v "$readelf" >/dev/null 2>&1 || vm_die "$readelf not found: run scripts/setup.sh"

kdir=$(vm_kernel "$debarch" "$kernel") || exit 1
vmlinuz=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -f "$vmlinuz" ] || vm_die "$kdir has no boot/vmlinuz-*"
busybox=$(vm_busybox "$debarch") || exit 1
libdirs=$(vm_libdirs "$debarch")
if $perf; then
	vm_perf "$debarch" "$readelf" || exit 1
	libdirs="$VM_PERF_LIBDIRS $libdirs"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tb-vm.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
root=$work/root
mkdir -p "$root/bin" "$root/w/bin" "$root/lib" "$root/proc" "$root/sys" \
	"$root/dev" "$root/tmp" "$root/etc" "$root/out" || exit 1
cp "$busybox" "$root/bin/busybox"
cp "$top/scripts/vm/init" "$root/init"
chmod 755 "$root/init"
echo "qemu-$cpu" >"$root/etc/hostname"
# a user for the runs that must not be root (perf_event_paranoid)
echo 'root:x:0:0::/w:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534::/w:/bin/sh' >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# programs in /w/bin, their libraries where their interpreter looks
progs=$tb
cp "$tb" "$root/w/bin/"
for f in $with; do
	[ -x "$f" ] || vm_die "--with $f: not an executable"
	cp "$f" "$root/w/bin/"
	progs="$progs $f"
done
for f in $files; do
	src=${f%%=*} dest=${f#*=}
	[ -f "$src" ] && [ "$dest" != "$f" ] ||
		vm_die "--file $f: want SRC=DEST, SRC an existing file"
	mkdir -p "$root/w/$(dirname "$dest")" && cp "$src" "$root/w/$dest" ||
		exit 1
done
if $perf; then
	cp "$VM_PERF_BIN" "$root/w/bin/perf"
	cp "$top/scripts/perfcheck.sh" "$root/w/bin/"
	progs="$progs $VM_PERF_BIN"
fi
libs=$(vm_needed "$readelf" $libdirs -- $progs) || exit 1
missing=$(echo "$libs" | sed -n 's/^MISSING //p' | tr '\n' ' ')
[ -z "$missing" ] ||
	vm_die "the guest's programs need ${missing}that this host has not got for $debarch: run scripts/setup.sh"
mkdir -p "$root/lib/$triplet" "$root/lib64"
for l in $libs; do
	cp -L "$l" "$root/lib/$triplet/" || exit 1
done
# where each ABI's dynamic linker is looked for
interp=$($readelf -l "$tb" | sed -n 's/.*program interpreter: \(.*\)\]/\1/p')
[ -n "$interp" ] && [ ! -e "$root$interp" ] &&
	ln -s "/lib/$triplet/${interp##*/}" "$root$interp"
printf '/lib/%s\n' "$triplet" >"$root/etc/ld.so.conf"

if [ -n "$job" ]; then
	cp "$job" "$root/job.sh"
else
	# make vm: the check, then the run; the results file comes back
	# (stderr through a pipe: on the console, a terminal, the progress
	# line would be redrawn in place, unreadable in the log)
	{
		echo 'set -o pipefail'
		echo "echo $user_access > /proc/sys/kernel/perf_user_access"
		echo 'echo "=== trampbench --check"'
		echo 'trampbench --check 2>&1 | cat'
		printf 'echo "=== trampbench %s"\n' "$*"
		printf 'trampbench'
		for a in "$@"; do
			printf " '%s'" "$(printf %s "$a" | sed "s/'/'\\\\''/g")"
		done
		echo ' 2>&1 | cat || exit $?'
		echo 'cp results/*.json /out/ 2>/dev/null'
	} >"$root/job.sh"
fi
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 \
	>"$work/initrd.gz" || exit 1

# The bound: a guest that panics powers off at once (panic=-1,
# -no-reboot); one that hangs is stopped.  Boot is 2-9 s; the rest is
# the job's.
if [ -z "$timeout" ]; then
	timeout=600
	for a in "$@"; do
		case "$a" in --quick) timeout=300 ;; esac
	done
	[ -n "$job" ] && timeout=900
fi
set -- -cpu "$qcpu" -smp "$smp" -m 1024 -display none -monitor none \
	-serial stdio -no-reboot -kernel "$vmlinuz" -initrd "$work/initrd.gz" \
	-append "console=$console panic=-1 quiet"
[ "$arch" = arm64 ] && set -- -M virt "$@"
[ "$icount" = 1 ] && set -- "$@" -icount shift=0
echo "vm: $qemu -cpu $qcpu -smp $smp$([ "$icount" = 1 ] && echo ' -icount shift=0'), ${kdir##*/}"
start=$(date +%s)
# the console as it comes, without the files' data lines
timeout -k 5 "$timeout" "$qemu" "$@" </dev/null 2>&1 | tr -d '\r' |
	tee "$work/console.log" |
	awk '/^@@TB-FILE/ { skip = 1; print; next }
	     /^@@TB-END/ { skip = 0 }
	     !skip { print; fflush() }'
end=$(date +%s)
log=$work/console.log

# the files, each checked against its hash
mkdir -p "$work/files"
status=$(sed -n 's/^@@TB-EXIT \([0-9]*\)$/\1/p' "$log" | tail -n 1)
if [ -z "$status" ]; then
	panic=$(grep -m 1 'Kernel panic\|Unable to handle kernel\|BUG:' "$log")
	if [ -n "$panic" ]; then
		echo "vm: the guest stopped without finishing its job: its kernel panicked after $((end - start)) s (${panic#*] }); its console's last lines:" >&2
	elif [ $((end - start)) -ge "$timeout" ]; then
		echo "vm: the guest stopped without finishing its job: stopped at the bound, $timeout s (VM_TIMEOUT); its console's last lines:" >&2
	else
		echo "vm: the guest stopped without finishing its job after $((end - start)) s: its console's last lines:" >&2
	fi
	grep -v '^@@TB-\|^[A-Za-z0-9+/=]\{76\}$' "$log" | tail -n 15 |
		sed 's/^/    /' >&2
	exit 1
fi
awk -v dir="$work/files" '
	/^@@TB-FILE / { name = $2; hash[name] = $3; f = dir "/" name ".b64";
			printf "" > f; next }
	/^@@TB-END / { close(f); f = ""; next }
	f != "" && /^[A-Za-z0-9+\/=]+$/ { print > f }
	END { for (n in hash) print n, hash[n] > (dir "/.hashes") }' "$log"
bad=
: >>"$work/files/.hashes"
while read -r name hash; do
	if ! base64 -d "$work/files/$name.b64" 2>/dev/null |
		gunzip -c >"$work/files/$name" 2>/dev/null ||
		[ "$(sha256sum <"$work/files/$name" | cut -d' ' -f1)" != "$hash" ]; then
		bad="$bad $name"
	fi
	rm -f "$work/files/$name.b64"
done <"$work/files/.hashes"
rm -f "$work/files/.hashes"
[ -z "$bad" ] || vm_die "the console garbled${bad}: nothing kept; run again"
secs=$((end - start))

if [ -n "$job" ]; then
	mkdir -p "$out" || exit 1
	cp "$log" "$out/console.log"
	cp "$work/files/"* "$out/" 2>/dev/null
	echo "vm: job exited $status after $secs s; files in $out/"
	exit "$status"
fi
if [ "$status" != 0 ]; then
	echo "vm: trampbench in the guest exited $status after $secs s; nothing written to results/" >&2
	exit 1
fi
set -- "$work/files/"*.json
[ -f "$1" ] || vm_die "the guest's run wrote no results file; nothing written to results/"
results=${results:-$top/results}
mkdir -p "$results" || exit 1
for f in "$@"; do
	# never over an existing file: -2, -3 ... as trampbench names them
	stem=$(basename "$f" .json)
	dest=$results/$stem.json
	n=2
	while [ -e "$dest" ] || [ -e "${dest%.json}.console.log" ]; do
		dest=$results/$stem-$n.json
		n=$((n + 1))
	done
	cp "$log" "${dest%.json}.console.log.tmp" &&
		mv "${dest%.json}.console.log.tmp" "${dest%.json}.console.log" &&
		cp "$f" "$dest.tmp" && mv "$dest.tmp" "$dest" || exit 1
	echo "vm: results ${dest#"$top"/} and its console log, after $secs s"
done
