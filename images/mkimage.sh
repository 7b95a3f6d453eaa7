#!/usr/bin/env bash
# Takes the guest kernel out of the Debian kernel package named in the manifest and writes it as
# a raw arm64 Image (the format both QEMU -kernel and our VMM's loader expect).
# Usage: mkimage.sh MANIFEST OUT
set -euo pipefail
manifest=${1:?usage: mkimage.sh MANIFEST OUT}
out=${2:?usage: mkimage.sh MANIFEST OUT}
. "$manifest"
deb="$(dirname "$manifest")/$KERNEL_DEB"

tmp=$(mktemp -d "$out.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Only the one file we need; --ignore-zeros lets tar read the stream to its end so dpkg-deb
# does not die of a broken pipe.
dpkg-deb --fsys-tarfile "$deb" |
    tar -x -C "$tmp" --ignore-zeros "./boot/vmlinuz-$KERNEL_RELEASE"
img="$tmp/boot/vmlinuz-$KERNEL_RELEASE"

# Debian ships arm64 vmlinuz uncompressed today; older or other builds gzip it.
if [ "$(od -An -tx1 -N2 "$img" | tr -d ' ')" = "1f8b" ]; then
    gunzip -c "$img" >"$tmp/Image"
    img="$tmp/Image"
fi
# arm64 boot protocol: the magic "ARM\x64" sits at offset 0x38 of the Image header.
magic=$(od -An -tx1 -j56 -N4 "$img" | tr -d ' ')
[ "$magic" = "41524d64" ] || { echo "images: $KERNEL_DEB: vmlinuz is not an arm64 Image (magic $magic)" >&2; exit 1; }
# The file keeps the package's date: touch it so make sees it is newer than the manifest.
touch "$img"
mv "$img" "$out"
