#!/usr/bin/env bash
# Downloads the Debian arm64 packages the guest images are made from into DIR, and records which
# ones in DIR/manifest. The manifest is rewritten only when the packages change, so make rebuilds
# the images only then. Debs already present are not downloaded again.
# Usage: fetch-debs.sh DIR
set -euo pipefail
dir=${1:?usage: fetch-debs.sh DIR}
mkdir -p "$dir"

hint="run 'make setup' (it enables arm64 packages and updates apt's lists)"
die() { echo "images: $*" >&2; exit 1; }

# apt refuses to drop to its sandbox user when that user cannot write DIR; as root we just stay root.
apt_opts=(-qq)
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)

# The version apt would install, but never a backports one (DESIGN: bookworm's 6.1 kernel).
stable_version() {
    local v
    v=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    case "$v" in "" | "(none)") die "apt knows no package $1; $hint" ;; esac
    if [[ $v == *bpo* ]]; then
        v=$(apt-cache madison "$1" | awk -F'|' '$3 !~ /backports/ { gsub(/ /, "", $2); print $2; exit }')
        [ -n "$v" ] || die "no non-backports version of $1; $hint"
    fi
    echo "$v"
}

# fetch NAME VERSION: makes sure DIR holds the deb and prints its file name.
fetch() {
    local file="${1}_${2/:/%3a}_arm64.deb" tmp
    if [ ! -s "$dir/$file" ]; then
        echo "images: downloading $1 $2" >&2
        # Into a scratch directory first, so an interrupted download never looks complete.
        tmp=$(mktemp -d "$dir/.download.XXXXXX")
        if ! (cd "$tmp" && apt-get download "${apt_opts[@]}" "$1:arm64=$2" >/dev/null); then
            rm -rf "$tmp"
            die "could not download $1:arm64 $2; $hint"
        fi
        mv "$tmp/$file" "$dir/$file"
        rm -rf "$tmp"
    fi
    echo "$file"
}

# The kernel metapackage depends on exactly one concrete package: linux-image-<abi>-arm64 (= ver).
meta=linux-image-arm64:arm64
meta_ver=$(stable_version "$meta")
dep=$(apt-cache show "$meta=$meta_ver" | sed -n 's/^Depends: *\(linux-image-[0-9][^ ,]*\) *(= *\([^)]*\)).*/\1 \2/p' | head -n1)
[ -n "$dep" ] || die "cannot find the kernel package $meta $meta_ver depends on; $hint"
read -r kpkg kver <<<"$dep"
kdeb=$(fetch "$kpkg" "$kver")

bver=$(stable_version busybox-static:arm64)
bdeb=$(fetch busybox-static "$bver")

new=$(mktemp "$dir/.manifest.XXXXXX")
cat >"$new" <<EOF
# Written by images/fetch-debs.sh: the packages the guest images are built from.
KERNEL_DEB=$kdeb
KERNEL_PKG=$kpkg
KERNEL_PKG_VERSION=$kver
KERNEL_RELEASE=${kpkg#linux-image-}
BUSYBOX_DEB=$bdeb
BUSYBOX_PKG_VERSION=$bver
EOF
if cmp -s "$new" "$dir/manifest"; then
    rm -f "$new"
else
    chmod 644 "$new"
    mv "$new" "$dir/manifest"
    # Debs of older versions are no longer used.
    for f in "$dir"/*.deb; do
        [ "${f##*/}" = "$kdeb" ] || [ "${f##*/}" = "$bdeb" ] || rm -f "$f"
    done
fi
