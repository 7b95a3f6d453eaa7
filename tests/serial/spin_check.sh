#!/bin/sh
# Checks the serial queue's signalling model with spin: usage spin_check.sh <model.pml> <workdir>.
# The protocol must pass every run (safety: assertions and invalid end states; non-progress
# cycles under weak fairness; the "a sleeper is eventually woken" LTL property under weak
# fairness); each broken variant must fail both its safety run and its liveness run. Exits non-zero otherwise.
set -eu
SPIN=${SPIN:-spin}
CC=${CC:-gcc}
model=$(realpath "$1")
work=$2
mkdir -p "$work"
work=$(realpath "$work")

# run <name> <spin -D flags> <cc flags> <pan flags>: prints pan's summary; returns 0 when pan
# found no error, 1 when it found one, 2 when a tool failed.
run() {
    dir="$work/$1"
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && $SPIN $2 -a "$model" >spin.log 2>&1) || { cat "$dir/spin.log"; return 2; }
    (cd "$dir" && $CC -O0 $3 -o pan pan.c 2>cc.log) || { cat "$dir/cc.log"; return 2; }
    start=$(date +%s.%N)
    (cd "$dir" && ./pan $4 >pan.log 2>&1) || true
    end=$(date +%s.%N)
    errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$dir/pan.log" | head -n 1)
    states=$(sed -n 's/^ *\([0-9e+.]*\) states, stored.*/\1/p' "$dir/pan.log" | head -n 1)
    what=$(grep -m1 -E '^pan:[0-9]+: ' "$dir/pan.log" || true)
    printf '  %-26s errors %s, %s states, %.2fs %s\n' "$1" "${errors:-?}" "${states:-?}" \
        "$(echo "$end - $start" | bc)" "$what"
    [ -n "$errors" ] || { cat "$dir/pan.log"; return 2; }
    [ "$errors" = 0 ]
}

fail=0
echo "spin: the protocol (must pass)"
run safety "" "-DSAFETY" "-m100000" || fail=1
run non-progress "-DNP_RUN" "-DNP" "-l -f -m100000" || fail=1
run liveness "-DLIVENESS" "" "-a -f -m100000" || fail=1
echo "spin: broken variants (must fail)"
for bug in BUG_EARLY_CLEAR BUG_NO_RECHECK; do
    for kind in safety liveness; do
        rc=0
        if [ $kind = safety ]; then
            run "$bug" "-D$bug" "-DSAFETY" "-m100000" || rc=$?
        else
            run "$bug-liveness" "-D$bug -DLIVENESS" "" "-a -f -m100000" || rc=$?
        fi
        case $rc in
        0) echo "  $bug was NOT caught by the $kind run"; fail=1 ;;
        1) ;;
        *) fail=1 ;;
        esac
    done
done
if [ $fail = 0 ]; then echo "spin model checks passed"; else echo "spin model checks FAILED"; exit 1; fi
