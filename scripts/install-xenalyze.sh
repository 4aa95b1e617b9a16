#!/usr/bin/env bash
# Installs Xen's own xenalyze (the reference xentrace reader) for tests and benchmarks, from
# Debian's xen-utils-common package, unpacked with dpkg -x (it needs only libc). Idempotent.
# Where: $XEN_PI_LAB_TOOLS (default /opt/xen-utils); the binary is $XEN_PI_LAB_TOOLS/usr/bin/xenalyze.
set -euo pipefail
dest="${XEN_PI_LAB_TOOLS:-/opt/xen-utils}"
if [ -x "$dest/usr/bin/xenalyze" ]; then
  echo "xenalyze: $dest/usr/bin/xenalyze"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && apt-get download xen-utils-common >/dev/null 2>&1 ) || {
  apt-get update -qq
  ( cd "$tmp" && apt-get download xen-utils-common )
}
mkdir -p "$dest"
dpkg -x "$tmp"/xen-utils-common_*.deb "$dest"
echo "xenalyze: $dest/usr/bin/xenalyze"
