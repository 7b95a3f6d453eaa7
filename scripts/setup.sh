#!/usr/bin/env bash
# Installs everything the project needs on Debian bookworm. Idempotent: quiet when nothing is to do.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# Host tools and libraries, and the cross toolchain for the EL2 kernel and PDs; clang for the
# sanitizer builds and libFuzzer, clang-format and cppcheck for `make check`; tmux for
# tools/console (a terminal per serial client).
PKGS_MAIN="make gcc libc6-dev pkg-config gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
picolibc-aarch64-linux-gnu libfdt-dev device-tree-compiler libxml2-dev libelf-dev libcmocka-dev
python3-pexpect spin gdb-multiarch cpio xz-utils tmux
clang libclang-rt-14-dev clang-format cppcheck git"
# QEMU 10 (virt with virtualization=on, imx8mp-evk) comes from bookworm-backports.
PKGS_BPO="qemu-system-arm"

missing() {
    local p out=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
    done
    echo "$out"
}

# The mirror this machine already takes bookworm from (deb822 .sources or one-line .list
# entries), so backports come from a local mirror too; Debian's own when none is configured.
bookworm_mirror() {
    local uri
    uri=$(awk 'BEGIN { RS = "" }
               /(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ || /(^|\n)Suites:[ \t]*bookworm([ \t]|\n|$)/ {
                   if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) {
                       u = substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[ \t]*/, "", u); print u; exit
                   }
               }' "${APT_DIR:-/etc/apt}"/sources.list.d/*.sources 2>/dev/null | head -n1 || true)
    if [ -z "$uri" ]; then
        uri=$(cat "${APT_DIR:-/etc/apt}"/sources.list "${APT_DIR:-/etc/apt}"/sources.list.d/*.list 2>/dev/null |
              sed -n 's/^deb[ \t]\+\(\[[^]]*\][ \t]\+\)\?\([^ \t]\+\)[ \t]\+bookworm[ \t].*/\2/p' | head -n1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

# `setup.sh --mirror` prints that mirror and does nothing else (tests/setup/test_setup.sh).
if [ "${1:-}" = "--mirror" ]; then
    bookworm_mirror
    exit 0
fi

bpo_list=/etc/apt/sources.list.d/bookworm-backports.list
need_update=0
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(bookworm_mirror)
    echo "setup: adding bookworm-backports from $mirror to apt sources"
    echo "deb $mirror bookworm-backports main" | $SUDO tee "$bpo_list" >/dev/null
    need_update=1
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup: adding arm64 multiarch (guest images)"
    $SUDO dpkg --add-architecture arm64
    need_update=1
fi

m_main=$(missing $PKGS_MAIN)
qemu_ok=1
if ! command -v qemu-system-aarch64 >/dev/null ||
   ! qemu-system-aarch64 -machine help 2>/dev/null | grep -q imx8mp-evk; then
    qemu_ok=0
fi
if [ -z "$m_main" ] && [ "$qemu_ok" = 1 ]; then
    exit 0
fi
[ "$need_update" = 1 ] || [ -n "$m_main$(missing $PKGS_BPO)" ] && need_update=1
export DEBIAN_FRONTEND=noninteractive
if [ "$need_update" = 1 ]; then
    echo "setup: apt-get update"
    $SUDO apt-get update -qq
fi
if [ -n "$m_main" ]; then
    echo "setup: installing$m_main"
    $SUDO apt-get install -y -qq --no-install-recommends $m_main >/dev/null
fi
if [ "$qemu_ok" = 0 ]; then
    echo "setup: installing QEMU from bookworm-backports"
    $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $PKGS_BPO >/dev/null
fi
echo "setup: done"
