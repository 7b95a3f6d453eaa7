#!/usr/bin/env bash
# Takes one board device tree out of the Debian kernel package named in the manifest (the
# package ships them under /usr/lib/linux-image-<release>/<vendor>/), e.g. freescale/imx8mp-evk.dtb.
# Usage: mkdtb.sh MANIFEST VENDOR/NAME.dtb OUT
set -euo pipefail
manifest=${1:?usage: mkdtb.sh MANIFEST VENDOR/NAME.dtb OUT}
name=${2:?usage: mkdtb.sh MANIFEST VENDOR/NAME.dtb OUT}
out=${3:?usage: mkdtb.sh MANIFEST VENDOR/NAME.dtb OUT}
. "$manifest"
deb="$(dirname "$manifest")/$KERNEL_DEB"
member="./usr/lib/linux-image-$KERNEL_RELEASE/$name"

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$out.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# --ignore-zeros: tar reads the stream to its end so dpkg-deb does not die of a broken pipe.
if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --ignore-zeros "$member" 2>/dev/null; then
    echo "images: $KERNEL_DEB has no $member" >&2
    exit 1
fi
# A flattened device tree starts with the magic 0xd00dfeed.
magic=$(od -An -tx1 -N4 "$tmp/$member" | tr -d ' ')
[ "$magic" = "d00dfeed" ] || { echo "images: $member is not a device tree blob (magic $magic)" >&2; exit 1; }
touch "$tmp/$member" # newer than the manifest, or make would extract it again
mv "$tmp/$member" "$out"
