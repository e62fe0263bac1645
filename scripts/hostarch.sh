# SPDX-License-Identifier: GPL-2.0
# Sourced by report.sh and test.sh: the host's ARCH as make spells it, the
# other architecture, and the cross prefix that builds it.
case "$(uname -m)" in
x86_64) native=x86 other=arm64 cross=aarch64-linux-gnu- ;;
aarch64) native=arm64 other=x86 cross=x86_64-linux-gnu- ;;
*) echo "unsupported host $(uname -m) (x86_64 or aarch64 only)" >&2
   exit 1 ;;
esac
