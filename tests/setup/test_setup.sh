#!/usr/bin/env bash
# make setup's own behaviour: the backports mirror follows the machine's apt sources, and
# `make setup` reads no build fragment (they would ask pkg-config and the cross compiler about
# packages setup has not installed yet, and print errors on a fresh machine).
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0 fail=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "PASS: $1"
    else fail=$((fail + 1)); echo "FAIL: $1: expected '$2', got '$3'"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# deb822 sources: the bookworm record's URI, not the security one listed first.
mkdir -p "$tmp/a/sources.list.d"
printf 'Types: deb\nURIs: http://sec.local/debian-security\nSuites: bookworm-security\nComponents: main\n\n' \
    > "$tmp/a/sources.list.d/debian.sources"
printf 'Types: deb\nURIs: http://mirror.local/debian\nSuites: bookworm bookworm-updates\nComponents: main\n' \
    >> "$tmp/a/sources.list.d/debian.sources"
check "deb822 sources give their bookworm mirror" http://mirror.local/debian \
    "$(APT_DIR="$tmp/a" scripts/setup.sh --mirror)"

# one-line sources, with options in brackets.
mkdir -p "$tmp/b/sources.list.d"
printf 'deb http://sec.local/debian-security bookworm-security main\ndeb [arch=amd64] http://one.local/debian bookworm main\n' \
    > "$tmp/b/sources.list"
check "one-line sources give their bookworm mirror" http://one.local/debian \
    "$(APT_DIR="$tmp/b" scripts/setup.sh --mirror)"

mkdir -p "$tmp/c/sources.list.d"
check "no sources: Debian's own mirror" http://deb.debian.org/debian "$(APT_DIR="$tmp/c" scripts/setup.sh --mirror)"

# With pkg-config finding nothing and no cross compiler, as before setup on a fresh machine, the
# makefile must still parse for `setup` without a word (setup.sh itself is silent when all is there).
out=$(PKG_CONFIG_LIBDIR=/nonexistent make --no-print-directory -n setup CROSS=/nonexistent- 2>&1 | grep -v 'setup.sh$')
check "make setup reads no build fragment" "" "$out"

echo "setup: $pass passed, $fail failed"
[ "$fail" = 0 ]
