#!/usr/bin/env bash
# Builds the guest initramfs without root: stages images/rootfs/, busybox and its applet links,
# and the kernel modules /etc/modules names, then packs them with mkcpio.py and gzip.
# Usage: mkinitramfs.sh MANIFEST OUT.cpio.gz
set -euo pipefail
manifest=${1:?usage: mkinitramfs.sh MANIFEST OUT}
out=${2:?usage: mkinitramfs.sh MANIFEST OUT}
src=$(dirname "$0")
. "$manifest"
debs=$(dirname "$manifest")
umask 022 # the archive keeps the staged permissions

stage="${out%.cpio.gz}.d"
rm -rf "$stage"
mkdir -p "$stage"
cp -R "$src/rootfs/." "$stage/"
(cd "$stage" && mkdir -p bin sbin usr/bin usr/sbin dev proc sys run tmp root lib/modules)
chmod 1777 "$stage/tmp"
chmod 700 "$stage/root"
[ ! -f "$stage/etc/shadow" ] || chmod 600 "$stage/etc/shadow" # git keeps only 644/755

# busybox-static puts its one binary at /bin/busybox.
dpkg-deb --fsys-tarfile "$debs/$BUSYBOX_DEB" | tar -x -O --ignore-zeros ./bin/busybox >"$stage/bin/busybox"
chmod 755 "$stage/bin/busybox"
grep -v -e '^#' -e '^$' "$src/applets" | while read -r a; do
    ln -s /bin/busybox "$stage/$a"
done

# Modules given relative to /lib/modules/<release>/ come from the kernel package. One that is
# not there fails the build here rather than silently at boot.
mods=()
while read -r m _; do
    case "$m" in "" | \#* | /*) ;; *) mods+=("./lib/modules/$KERNEL_RELEASE/$m") ;; esac
done <"$src/rootfs/etc/modules"
if [ ${#mods[@]} -gt 0 ]; then
    dpkg-deb --fsys-tarfile "$debs/$KERNEL_DEB" | tar -x -C "$stage" --ignore-zeros "${mods[@]}"
fi

# /dev/console must exist before /init runs: the kernel opens it for init's stdin/out/err.
"${PYTHON:-/usr/bin/python3}" "$src/mkcpio.py" "$stage" --node dev/console:c:5:1:600 |
    gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
