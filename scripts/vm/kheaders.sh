#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kheaders.sh ARCH [ABI]: a Kbuild folder (KDIR) for Debian's kernel of
# ARCH, from its headers packages, downloaded and unpacked as fetch.sh
# does (never installed: the arm64 headers would remove the host
# compiler), merged into one root in the cache, and printed.  ABI is a
# kernel package's ABI and flavour, e.g. 6.1.0-57-arm64; by default the
# one linux-image-<arch> depends on now.  linux-kbuild (host tools) is
# the host's architecture's: it serves both.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
. "$top/scripts/vm/fetch.sh"

arch=${1:?usage: kheaders.sh ARCH [ABI]}
debarch=$(vm_debarch "$arch")
hostdeb=$(vm_debarch "$(uname -m | sed -e s/x86_64/x86/ -e s/aarch64/arm64/)")
img=$(vm_kernel "$debarch" "${2:-}") || exit 1
# the ABI from the image's folder: linux-image-6.1.0-57-arm64_<ver>_<arch>
abi=$(basename "$img" | sed -e 's/^linux-image-//' -e 's/_.*//')
flavour=${abi##*-}
base=${abi%-*}
# linux-kbuild-6.1 for 6.1.0-57
kbuild=linux-kbuild-$(echo "$base" | cut -d. -f1-2)
root=$VM_CACHE/kroot/$abi
kdir=$root/usr/src/linux-headers-$abi
if [ ! -f "$root/.merged" ]; then
	hdr=$(vm_unpack "linux-headers-$abi" "$debarch") || exit 1
	common=$(vm_unpack "linux-headers-$base-common" "$hostdeb" 2>/dev/null) ||
		common=$(vm_unpack "linux-headers-$base-common" all) || exit 1
	kb=$(vm_unpack "$kbuild" "$hostdeb") || exit 1
	rm -rf "$root.tmp"
	mkdir -p "$root.tmp" || vm_die "cannot create $root.tmp"
	for d in "$hdr" "$common" "$kb"; do
		cp -al "$d/usr" "$root.tmp/" 2>/dev/null ||
			cp -a "$d/usr" "$root.tmp/" ||
			vm_die "cannot copy $d into $root.tmp"
	done
	# the flavour's Makefile includes the common one by an absolute
	# path: point it into this root (a copy: the cache's is a hard link)
	mk=$root.tmp/usr/src/linux-headers-$abi/Makefile
	rm -f "$mk"
	echo "include $root/usr/src/linux-headers-$base-common/Makefile" >"$mk"
	rm -rf "$root"
	mv "$root.tmp" "$root" && touch "$root/.merged" ||
		vm_die "cannot move $root.tmp to $root"
	# the include above named the final root; it is there now
fi
[ -f "$kdir/Makefile" ] || vm_die "$kdir has no Makefile"
echo "$kdir"
