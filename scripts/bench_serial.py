#!/usr/bin/python3
"""make bench, serial part: the serial path against one PD that polls the UART itself.

Two images of the same board (examples/serial_bench): serial_bench.system, one native client
behind the TX and RX virtualisers and the UART driver; serial_bench_direct.system, one PD that
writes the same payload straight to the UART's registers and echoes by polling (the floor QEMU
allows). Each boots, says "serial-bench: ready", is sent `g`, writes 256 KiB between a begin and
an end line, then echoes every byte it is sent. Measured, alternating boots of the two, medians:

1. bytes per second of the flood, host clock from the begin line to the end line;
2. the round trip of one typed character until its echo is back, host clock;
3. in one more boot of each under QEMU's `-d int` log: the exceptions taken into the kernel
   (HVCs, i.e. system calls, and IRQs) while the flood runs. Every notification is made by a
   system call (a deferred one rides on the wait) or is an IRQ, so their sum per 256 bytes bounds
   the notifications per 256 bytes from above; the client's own line adds its exact count.

Under QEMU TCG on a shared machine only ratios taken in the same run mean much.
"""
import argparse
import collections
import os
import re
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "system"))
from qemu_console import Console  # noqa: E402

PAYLOAD_BYTES = 256 * 1024  # examples/serial_bench/payload.h
TIMEOUT = 60.0
# Echoed characters: none that an ANSI colour sequence contains (ESC [ digits ; m).
ECHO_CHARS = "ABCDEFGHIJKLNOPQRSTUVWXYZ"
# Keystrokes as a person types them, this far apart; and back to back, the next sent as soon as
# the echo of the last is in. They differ for a PD that polls: while its vCPU spins, QEMU's
# main loop, which takes typed input from the terminal, competes with it for a host CPU and wakes
# late after an idle gap (about 4 ms on the 2-core shared host); a system that sleeps in WFI
# frees that CPU.
TYPED_GAP = 0.02


class Run:
    """One boot of a benchmark image."""

    def __init__(self, board, image, extra=(), verbose=False):
        self.con = Console(board, image, extra_args=list(extra), echo=verbose)

    def expect(self, pattern, what, start=0):
        m = self.con.wait_for(pattern, time.monotonic() + TIMEOUT, start)
        if not m:
            raise RuntimeError(f"no {what} within {TIMEOUT:.0f} s; console tail:\n{self.con.tail(20)}")
        return m

    def flood(self, at_begin=None, at_end=None):
        """Seconds from the begin line to the end line, and the end line."""
        self.expect(r"serial-bench: ready", "ready line")
        self.con.drain(0.3)  # the rest of the boot output
        os.write(self.con.child.child_fd, b"g")
        m = self.expect(r"serial-bench: begin", "begin line")
        t0 = time.monotonic()
        if at_begin:
            at_begin()
        end = self.expect(r"serial-bench: end[^\n\x1b]*", "end line", m.end())
        t1 = time.monotonic()
        if at_end:
            at_end()
        return t1 - t0, end.group(0)

    def echoes(self, n, gap):
        """Round-trip times of n typed characters, seconds each, `gap` seconds between the echo
        of one and the next."""
        times = []
        self.con.drain(0.2)
        child = self.con.child
        for i in range(n):
            c = ECHO_CHARS[i % len(ECHO_CHARS)]
            seen = ""
            t0 = time.monotonic()
            os.write(child.child_fd, c.encode())
            while c not in seen:
                if time.monotonic() - t0 > 5:
                    raise RuntimeError(f"echo of {c!r} did not come back in 5 s")
                try:
                    seen += child.read_nonblocking(4096, timeout=1)
                except Exception:
                    pass
            times.append(time.monotonic() - t0)
            if gap:
                time.sleep(gap)
        return times

    def close(self):
        self.con.close()


def timed_boot(board, image, echoes, verbose):
    r = Run(board, image, verbose=verbose)
    try:
        secs, end = r.flood()
        typed = r.echoes(echoes, TYPED_GAP)
        b2b = r.echoes(echoes, 0)
    finally:
        r.close()
    return PAYLOAD_BYTES / secs, typed, b2b, end


def counted_boot(board, image, verbose):
    """Kernel entries during the flood, from QEMU's interrupt log."""
    with tempfile.TemporaryDirectory(prefix="bench_serial.") as tmp:
        log = os.path.join(tmp, "int.log")
        marks = []

        def mark():
            marks.append(os.path.getsize(log) if os.path.exists(log) else 0)

        r = Run(board, image, extra=["-d", "int", "-D", log], verbose=verbose)
        try:
            _, end = r.flood(at_begin=mark, at_end=mark)
            r.con.drain(0.5)  # let QEMU's log catch up
        finally:
            r.close()
        with open(log, errors="replace") as f:
            f.seek(marks[0])
            window = f.read(marks[1] - marks[0])
    kinds = collections.Counter(re.findall(r"Taking exception \d+ \[([^\]]*)\]", window))
    return kinds.get("Hypervisor Call", 0), kinds.get("IRQ", 0), end


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--serial-image", required=True)
    ap.add_argument("--direct-image", required=True)
    ap.add_argument("--rounds", type=int, default=5, help="boots of each image, alternating")
    ap.add_argument("--echoes", type=int, default=30, help="typed characters per boot")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    for image in (args.serial_image, args.direct_image):
        if not os.path.isfile(image):
            sys.exit(f"no image at {image}")

    rate = {"direct": [], "serial": []}
    rtt = {"direct": [], "serial": []}
    b2b = {"direct": [], "serial": []}
    client_line = ""
    for _ in range(args.rounds):
        for name, image in (("direct", args.direct_image), ("serial", args.serial_image)):
            bps, rtts, fast, end = timed_boot(args.board, image, args.echoes, args.verbose)
            rate[name].append(bps)
            rtt[name] += rtts
            b2b[name] += fast
            if name == "serial":
                client_line = end
            print(f"  {name}: {bps / 1024:.0f} KiB/s, echo median {statistics.median(rtts) * 1e3:.3f} ms "
                  f"typed, {statistics.median(fast) * 1e3:.3f} ms back to back", flush=True)
    entries = {name: counted_boot(args.board, image, args.verbose)
               for name, image in (("direct", args.direct_image), ("serial", args.serial_image))}

    per256 = PAYLOAD_BYTES / 256
    d_bps, s_bps = statistics.median(rate["direct"]), statistics.median(rate["serial"])
    d_rtt, s_rtt = statistics.median(rtt["direct"]), statistics.median(rtt["serial"])
    d_b2b, s_b2b = statistics.median(b2b["direct"]), statistics.median(b2b["serial"])
    hvc, irq, _ = entries["serial"]
    m = re.search(r"sent_tx=(\d+) woken_tx=(\d+)", client_line)
    client = (int(m.group(1)) + int(m.group(2))) if m else None

    print(f"\nSerial path on {args.board}, {args.rounds} alternating boots of each image, medians:")
    print(f"| measurement | direct PD | serial path | serial / direct | target |")
    print(f"|---|---:|---:|---:|---|")
    print(f"| bytes/s, {PAYLOAD_BYTES // 1024} KiB flood | {d_bps:,.0f} | {s_bps:,.0f} | "
          f"{s_bps / d_bps:.2f}x | >= 0.8x |")
    print(f"| typed character to its echo, ms, {TYPED_GAP * 1e3:.0f} ms apart ({len(rtt['serial'])} each) | "
          f"{d_rtt * 1e3:.3f} | {s_rtt * 1e3:.3f} | {s_rtt / d_rtt:.2f}x | <= 2x |")
    print(f"| the same, back to back | {d_b2b * 1e3:.3f} | {s_b2b * 1e3:.3f} | {s_b2b / d_b2b:.2f}x | <= 2x |")
    dh, di, _ = entries["direct"]
    print(f"| kernel entries in the flood (HVC + IRQ) | {dh} + {di} | {hvc} + {irq} | | |")
    print(f"| kernel entries per 256 bytes moved | {(dh + di) / per256:.3f} | {(hvc + irq) / per256:.3f} | "
          f"| < 1 notification |")
    if client is not None:
        print(f"| client <-> TX virtualiser notifications per 256 bytes | | {client / per256:.3f} | | |")
    print(f"(client: {client_line.removeprefix('serial-bench: ')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
