#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what trampbench needs on Debian (12+) or Ubuntu, x86-64 or arm64:
# the native toolchain and libraries, plus the other architecture's cross
# toolchain, multiarch libraries and qemu-user so both can be built and
# tested.  Idempotent; uses sudo when not root.
set -eu

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

case "$(uname -m)" in
x86_64) native=amd64 foreign=arm64 cross=aarch64-linux-gnu ;;
aarch64) native=arm64 foreign=amd64 cross=x86-64-linux-gnu ;;
*) echo "setup.sh: unsupported host $(uname -m) (x86_64 or aarch64 only)" >&2
   exit 1 ;;
esac

# Build, test and report tools (perf and llvm-22 follow, optional);
# qemu-system and cpio for make vm (its guests' kernels come from apt at
# run time, unpacked, never installed).
pkgs="make gcc g++ clang python3 binutils libcmocka-dev libbenchmark-dev
      libbenchmark-tools libpfm4-dev libjson-c-dev gnuplot-nox
      python3-matplotlib python3-numpy python3-scipy python3-pytest qemu-user
      qemu-system-arm qemu-system-x86 cpio
      parallel openssh-client openssh-server rsync
      gcc-$cross g++-$cross
      libc6-dev:$foreign libstdc++6:$foreign libcmocka-dev:$foreign
      libbenchmark-dev:$foreign libpfm4-dev:$foreign libjson-c-dev:$foreign"

# Every apt-get call goes through aptget: its output to one log, named when
# made and shown (its end) when a step fails; V=1 lets it through instead.
log=
where=
newlog() {	# where: what to say of apt's output
	if [ "${V:-0}" = 1 ]; then
		where="apt's output follows"
		return
	fi
	[ -n "$log" ] || log=$(mktemp "${TMPDIR:-/tmp}/trampbench-setup.XXXXXX")
	where="apt's output in $log"
}
aptget() {
	newlog
	if [ -z "$log" ]; then
		$SUDO apt-get "$@"
		return
	fi
	echo "+ apt-get $*" >>"$log"
	$SUDO apt-get "$@" >>"$log" 2>&1
}
# a step that must succeed failed: the end of apt's log, then exit
failed() {
	if [ -n "$log" ]; then
		echo "setup.sh: $* failed; the end of apt's output ($log):" >&2
		tail -n 20 "$log" >&2
	else
		echo "setup.sh: $* failed" >&2
	fi
	exit 1
}

missing() {
	for p in $pkgs; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || echo "$p"
	done
}

# Ubuntu serves arm64 from ports.ubuntu.com and amd64 from the main
# archive: pin each source to its architectures so apt finds both.
ubuntu_ports() {
	. /etc/os-release
	[ "${ID:-}" = ubuntu ] || return 0
	apt-cache policy "libc6:$foreign" | grep -q 'Candidate: [0-9]' && return 0
	echo "setup.sh: adding ports.ubuntu.com for $foreign packages (Ubuntu)"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [opts] url ... -> deb [arch=X opts] url ...; deb url -> deb [arch=X] url
		$SUDO sed -i -E -e "/^deb .*arch=/b" \
			-e "s/^deb \[/deb [arch=$native /" \
			-e "t" -e "s/^deb /deb [arch=$native] /" "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -q '^Architectures:' "$f" ||
			$SUDO sed -i "/^Types:/a Architectures: $native" "$f"
	done
	if [ "$foreign" = arm64 ]; then
		url=http://ports.ubuntu.com/ubuntu-ports
	else
		url=http://archive.ubuntu.com/ubuntu
	fi
	for suite in "$VERSION_CODENAME" "$VERSION_CODENAME-updates"; do
		echo "deb [arch=$foreign] $url $suite main universe"
	done | $SUDO tee /etc/apt/sources.list.d/trampbench-$foreign.list >/dev/null
	aptget update -q || failed "apt-get update"
}

if ! dpkg --print-foreign-architectures | grep -qx "$foreign"; then
	newlog
	echo "setup.sh: enabling multiarch $foreign packages ($where)"
	$SUDO dpkg --add-architecture "$foreign"
	aptget update -q || failed "apt-get update"
fi
ubuntu_ports
todo=$(missing)
if [ -n "$todo" ]; then
	newlog
	# shellcheck disable=SC2046,SC2086
	echo "setup.sh: installing" $(echo "$todo" | wc -l) "packages" \
		"($where):" $todo
	aptget update -q || failed "apt-get update"
	# shellcheck disable=SC2086
	aptget install -y -q --no-install-recommends $todo ||
		failed "apt-get install"
fi
# the perf tool: linux-perf on Debian, linux-tools-common on Ubuntu
if ! command -v perf >/dev/null 2>&1; then
	newlog
	echo "setup.sh: installing perf ($where)"
	aptget install -y -q linux-perf || aptget install -y -q linux-tools-common ||
		echo "setup.sh: no perf package found; make perfcheck will not run" >&2
fi
# make model's llvm-mca: the first llvm that knows every modelled core
# (Debian 12: llvm-22, from bookworm-security); optional elsewhere.
if ! dpkg-query -W -f='${Status}\n' llvm-22 2>/dev/null |
	grep -q 'ok installed'; then
	newlog
	echo "setup.sh: installing llvm-22 for make model ($where)"
	aptget install -y -q --no-install-recommends llvm-22 ||
		echo "setup.sh: no llvm-22 package here; make model will not run" >&2
fi
echo "setup.sh: ready ($native host, $foreign through $cross and qemu-user)"
