# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/vm/vm.sh: Debian packages for a guest, downloaded
# with apt and unpacked into a cache, never installed.  Installing an
# arm64 kernel or its headers on an x86 host would replace host packages
# (the arm64 headers remove the host compiler); unpacked, they are files.
#
#   VM_CACHE   the cache (default ${XDG_CACHE_HOME:-~/.cache}/trampbench/vm)
#
# Every function prints what it found on stdout and says on stderr, in
# one line, what went wrong and what to do.

VM_CACHE=${VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trampbench/vm}

vm_die() {
	echo "vm: $*" >&2
	exit 1
}

# The Debian architecture of a make ARCH.
vm_debarch() {
	case "$1" in
	arm64) echo arm64 ;;
	x86) echo amd64 ;;
	*) vm_die "ARCH=$1 has no guest (valid: arm64, x86)" ;;
	esac
}

# vm_versions DEBARCH PKG...: "PKG VERSION" for each that apt would
# download, in one apt-cache call (each call reads every list: ~1.5 s).
vm_versions() {
	arch=$1
	shift
	[ $# -gt 0 ] || return 0
	apt-cache policy $(printf "%s:$arch " "$@") 2>/dev/null | awk '
		/^[^ ].*:$/ { sub(/:[^:]*:$/, ""); sub(/:$/, ""); p = $0 }
		/^ *Candidate: / && $2 != "(none)" { print p, $2 }'
}

# vm_unpack PKG DEBARCH: the folder PKG is unpacked in, downloading it
# first unless this version is cached.  A version apt no longer knows
# (no lists, no network) is taken from the cache if one is there.
vm_unpack() {
	vm_unpack_all "$2" "$1"
}

# The cache folder of PKG VERSION for DEBARCH.
vm_dir() {
	echo "$VM_CACHE/x/${1}_$(echo "$2" | tr ':' '%')_$3"
}

# vm_unpack_all DEBARCH PKG...: vm_unpack of each, a folder a line; what
# is not cached is downloaded in one go.
vm_unpack_all() {
	arch=$1
	shift
	vers=$(vm_versions "$arch" "$@")
	get=
	for p in "$@"; do
		ver=$(echo "$vers" | awk -v p="$p" '$1 == p { print $2 }')
		if [ -z "$ver" ]; then
			# the newest cached unpacking, if any
			ls -d "$VM_CACHE/x/${p}_"*"_$arch" >/dev/null 2>&1 ||
				vm_die "no package $p:$arch in apt's lists: run apt-get update (with $arch added: dpkg --add-architecture $arch)"
			continue
		fi
		[ -f "$(vm_dir "$p" "$ver" "$arch")/.unpacked" ] ||
			get="$get $p:$arch=$ver"
	done
	if [ -n "$get" ]; then
		mkdir -p "$VM_CACHE/debs" || vm_die "cannot create $VM_CACHE"
		tmp=$(mktemp -d "$VM_CACHE/debs/.get-XXXXXX") || exit 1
		# apt's sandbox user cannot write a root-owned cache
		if ! (cd "$tmp" && apt-get download -q \
			-o APT::Sandbox::User=root $get) >"$tmp/log" 2>&1; then
			tail -n 3 "$tmp/log" >&2
			rm -rf "$tmp"
			vm_die "cannot download$get (no network, or apt's lists are stale: apt-get update)"
		fi
		for deb in "$tmp"/*.deb; do
			# name_version_arch.deb, the version's ':' as %3a
			p=$(dpkg-deb -f "$deb" Package)
			ver=$(dpkg-deb -f "$deb" Version)
			dir=$(vm_dir "$p" "$ver" "$arch")
			rm -rf "$dir.tmp" "$dir"
			mkdir -p "$dir.tmp" && dpkg-deb -x "$deb" "$dir.tmp" &&
				touch "$dir.tmp/.unpacked" &&
				mv "$dir.tmp" "$dir" &&
				mv "$deb" "$VM_CACHE/debs/" ||
				vm_die "cannot unpack $deb into $dir"
		done
		rm -rf "$tmp"
	fi
	for p in "$@"; do
		ver=$(echo "$vers" | awk -v p="$p" '$1 == p { print $2 }')
		if [ -n "$ver" ]; then
			vm_dir "$p" "$ver" "$arch"
		else
			ls -d "$VM_CACHE/x/${p}_"*"_$arch" | sort -V | tail -n 1
		fi
	done
}

# The kernel flavours a guest of DEBARCH can boot, as package names.
vm_kernels() {
	apt-cache search --names-only \
		"^linux-image-[0-9].*-(cloud-|rt-)?$1\$" 2>/dev/null |
		cut -d' ' -f1 | sort -V
}

# vm_kernel DEBARCH [VM_KERNEL]: the kernel's unpacked folder.  VM_KERNEL
# is a package name or its ABI and flavour ("6.1.0-57-arm64"); by default
# the one Debian's linux-image-DEBARCH depends on now, found through apt.
vm_kernel() {
	arch=$1 want=${2:-}
	if [ -z "$want" ]; then
		want=$(apt-cache depends "linux-image-$arch:$arch" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' |
			head -n 1)
		[ -n "$want" ] || vm_die "apt knows no linux-image-$arch:$arch: run apt-get update (with $arch added: dpkg --add-architecture $arch)"
	fi
	case "$want" in
	linux-image-*) ;;
	*) want=linux-image-$want ;;
	esac
	if ! vm_kernels "$arch" | grep -qxF "$want"; then
		valid=$(vm_kernels "$arch" | sed 's/^linux-image-//' |
			tr '\n' ' ')
		vm_die "unknown VM_KERNEL '${2:-$want}' for $arch (valid: ${valid:-none: apt-get update})"
	fi
	vm_unpack "$want" "$arch"
}

# The static busybox of DEBARCH, unpacked.
vm_busybox() {
	d=$(vm_unpack busybox-static "$1") || exit 1
	[ -x "$d/bin/busybox" ] || vm_die "busybox-static:$1 has no bin/busybox"
	echo "$d/bin/busybox"
}

# vm_libdirs DEBARCH: where the target's shared libraries live on this
# host (the multiarch packages of the build: libc6:arm64 and the rest).
vm_libdirs() {
	t=$(vm_triplet "$1")
	echo "/lib/$t /usr/lib/$t /lib64 /lib"
}

vm_triplet() {
	case "$1" in
	arm64) echo aarch64-linux-gnu ;;
	amd64) echo x86_64-linux-gnu ;;
	esac
}

# vm_needed READELF DIRS -- ELF...: the shared-library closure of the ELF
# files, one resolved path a line (the interpreter included); a library
# found nowhere is printed as "MISSING name".
vm_needed() {
	readelf=$1
	shift
	dirs=
	while [ "$1" != "--" ]; do
		dirs="$dirs $1"
		shift
	done
	shift
	seen=
	todo=
	for f in "$@"; do
		i=$($readelf -l "$f" 2>/dev/null |
			sed -n 's/.*program interpreter: \(.*\)\]/\1/p')
		[ -n "$i" ] && todo="$todo ${i##*/}"
		todo="$todo $($readelf -d "$f" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
	done
	while [ -n "$todo" ]; do
		set -- $todo
		n=$1
		shift
		todo="$*"
		case " $seen " in *" $n "*) continue ;; esac
		seen="$seen $n"
		p=
		for d in $dirs; do
			[ -e "$d/$n" ] && { p=$d/$n; break; }
		done
		if [ -z "$p" ]; then
			echo "MISSING $n"
			continue
		fi
		echo "$p"
		todo="$todo $($readelf -d "$p" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
	done
}

# The package of this host that holds a library of that name, any
# architecture (its :DEBARCH twin is what a guest needs).
vm_lib_package() {
	dpkg -S "*/$1" 2>/dev/null | head -n 1 | sed 's/[:,].*//'
}

# vm_perf DEBARCH READELF: Debian's linux-perf for the guest, in
# VM_PERF_BIN, and in VM_PERF_LIBDIRS the folders of every library it
# needs that this host has not got for DEBARCH: the packages of those
# libraries and linux-perf's own dependencies, unpacked, then again for
# what they need, until nothing is missing.
vm_perf() {
	arch=$1 readelf=$2
	pd=$(vm_unpack linux-perf "$arch") || exit 1
	# perf_<version> behind a wrapper script in older packages, else perf
	VM_PERF_BIN=$(ls "$pd"/usr/bin/perf_* 2>/dev/null | head -n 1)
	[ -x "$VM_PERF_BIN" ] || VM_PERF_BIN=$pd/usr/bin/perf
	[ -x "$VM_PERF_BIN" ] || vm_die "linux-perf:$arch has no usr/bin/perf"
	t=$(vm_triplet "$arch")
	VM_PERF_LIBDIRS=
	pkgs=$(apt-cache depends "linux-perf:$arch" 2>/dev/null |
		sed -n 's/^ *Depends: \([^<> ]*\)$/\1/p' | sed 's/:.*//')
	for round in 1 2 3 4 5 6 7 8; do
		missing=$(vm_needed "$readelf" $VM_PERF_LIBDIRS \
			$(vm_libdirs "$arch") -- "$VM_PERF_BIN" |
			sed -n 's/^MISSING //p')
		[ -z "$missing" ] && return 0
		for so in $missing; do
			pkgs="$pkgs $(vm_lib_package "$so")"
		done
		pkgs=$(echo $pkgs | tr ' ' '\n' | sort -u)
		dirs=$(vm_unpack_all "$arch" $pkgs) || exit 1
		VM_PERF_LIBDIRS=
		for d in $dirs; do
			VM_PERF_LIBDIRS="$VM_PERF_LIBDIRS $d/lib/$t $d/usr/lib/$t"
		done
	done
	vm_die "perf for $arch needs $(echo $missing), which no package found for it brings"
}
