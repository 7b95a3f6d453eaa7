#!/usr/bin/python3
"""Run the kernel-path benchmark (systems/<board>/bench.system) once and print its results.

Every figure is shown in ns and as a ratio to the bare HVC round trip of the same run, since
under QEMU TCG only ratios from one run are comparable.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "system"))
from qemu_console import Console  # noqa: E402

TIMEOUT = 120.0

# (key in the `bench:` lines, label in the table)
ROWS = [
    ("hvc_ns", "bare HVC round trip (EL1->EL2->EL1)"),
    ("notify_rtt_ns", "notification round trip (bench->peer->bench)"),
    ("ppcall_rtt_ns", "protected call round trip, 1 MR each way"),
    ("irq_latency_ns", "timer IRQ to notified(), mean"),
    ("irq_latency_min", "timer IRQ to notified(), min"),
]


def parse(text):
    values = {}
    for m in re.finditer(r"^bench: (\w+)=([0-9.]+)(?: min=([0-9.]+))?$", text, re.MULTILINE):
        values[m.group(1)] = float(m.group(2))
        if m.group(3) is not None:
            values[m.group(1).replace("_ns", "_min")] = float(m.group(3))
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    ap.add_argument("--icount", action="store_true",
                    help="run with -icount shift=0,sleep=off: ns become repeatable instruction counts")
    ap.add_argument("--verbose", action="store_true", help="echo the console")
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        print(f"bench: no image at {args.image}", file=sys.stderr)
        return 1

    extra = ["-icount", "shift=0,sleep=off"] if args.icount else []
    con = Console(args.board, args.image, extra_args=extra, echo=args.verbose)
    try:
        done = con.wait_for(r"^bench: done$", time.monotonic() + TIMEOUT)
    finally:
        con.close()
    values = parse(con.text)

    missing = [key for key, _ in ROWS if key not in values]
    if not done or missing:
        print(f"bench: FAILED: missing {', '.join(missing) or 'bench: done'}; console tail:")
        print(con.tail(30))
        return 1

    base = values["hvc_ns"]
    mode = "icount (1 ns = 1 instruction)" if args.icount else "TCG wall time"
    print(f"\nKernel paths on {args.board}, {mode}, one run:\n")
    print(f"{'measurement':<48}{'ns':>12}{'x HVC':>10}")
    print("-" * 70)
    for key, label in ROWS:
        print(f"{label:<48}{values[key]:>12.1f}{values[key] / base:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
