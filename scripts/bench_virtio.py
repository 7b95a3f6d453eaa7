#!/usr/bin/python3
"""make bench, virtIO part: the virtIO console build against the passthrough build.

1. Boot to `login:`: the same kernel and initramfs booted by QEMU directly, the passthrough
   system (the guest owns the PL011), the one-guest virtIO system; then the time until every
   guest of a virtIO system is at `login:`, for 1, 2 and 4 guests, all on core 0 and spread
   over the board's two cores, and 8 guests four per core. Alternating boots, medians; for the
   virtIO systems also QEMU's host CPU seconds until then (the boots' own work, which the
   host's other jobs do not stretch as they stretch the wall time).
2. Guest to UART: in one booted guest of each build, 1 MiB written to the console as whole
   blocks (`stty -opost; cat`), and 20,000 short lines through the tty's usual processing
   (`seq`, LF -> CR LF): seconds in the guest (`time`) and on the host (command to marker).
3. Keystroke echo: a character typed at the shell prompt until its echo is back, host clock.

Under QEMU TCG on a shared machine only ratios taken in the same run mean much.
"""
import argparse
import os
import re
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "system"))
sys.path.insert(0, HERE)
import bench  # noqa: E402
from qemu_console import Console  # noqa: E402
from test_serial import Transcript  # noqa: E402

TIMEOUT = 180.0
FLOOD = 1 << 20
LINES = 20000
ECHOES = 20
PROMPT = r"root@[\w-]+:[^\n]*# "


def qemu_cpu_seconds(pid):
    """Host CPU seconds (user + system) QEMU's threads have used so far: what the emulated
    cores cost, whatever else runs on the host."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


CPU = {}  # label -> QEMU's CPU seconds until every login:, one per boot


def boot_all(board, image, guests, label=None):
    """Seconds from QEMU's start until every guest's `login:` (virtIO: 'name: name login:'; the
    passthrough guest: any 'login:'). With a label, QEMU's CPU seconds until then go to CPU."""
    con = Console(board, image)
    tr = Transcript(con)
    t0 = time.monotonic()
    try:
        for g in guests:
            pat = rf"^{g}: {g} login: " if g else r"login: "
            if not tr.wait_for(pat, TIMEOUT):
                return None
        wall = time.monotonic() - t0
        if label:
            CPU.setdefault(label, []).append(qemu_cpu_seconds(con.child.pid))
        return wall
    finally:
        con.close()


def boot_native(image_dir, bootargs):
    cmd = bench.native_cmd(image_dir, bootargs, "256M", 1)
    return bench.boot_to_login(cmd)[0]


def boot_native_pair(image_dir, bootargs):
    """Two native QEMUs started together, until both are at `login:`: what running two guests at
    once costs this machine by itself, the floor under "2 guests / 1 guest"."""
    done = [None, None]

    def one(i):
        done[i] = boot_native(image_dir, bootargs)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0 if None not in done else None


class Shell:
    """A logged-in root shell on the console of a booted image (virtIO guest `name`, or the
    passthrough guest when name is None)."""

    def __init__(self, board, image, name):
        self.con = Console(board, image)
        self.tr = Transcript(self.con)
        self.name = name
        self.pre = f"{name}: " if name else ""
        if not self.tr.wait_for(rf"^{self.pre}" + (f"{name} " if name else r"\S+ ") + "login: ", TIMEOUT):
            raise RuntimeError("no login prompt")
        self.type("root")
        if not self.tr.wait_for(rf"^{self.pre}" + PROMPT, 30):
            raise RuntimeError("no shell prompt")

    def type(self, line):
        self.con.type_slowly(line + "\r", delay=0.02)

    def run(self, command, marker, budget=TIMEOUT):
        """Seconds from typing command until `marker` is on a line of the guest's own."""
        mark = self.tr.mark()
        t0 = time.monotonic()
        self.type(command)
        m = self.tr.wait_for(rf"^{self.pre}{marker}", budget, mark)
        return (time.monotonic() - t0, self.tr.text[mark:]) if m else (None, self.tr.text[mark:])

    def echo_latency(self):
        """Median seconds from one typed character to its echo, ECHOES characters. Reads the
        console as soon as anything arrives (Transcript.wait_for polls in 50 ms steps)."""
        times = []
        for n in range(ECHOES):
            ch = "ABCDEFGHIJKLNOPQRSTUVWXYZ"[n % 25]
            mark = self.tr.mark()
            t0 = time.monotonic()
            # os.write, not child.send: pexpect sleeps 50 ms (delaybeforesend) before a send
            os.write(self.con.child.child_fd, ch.encode())
            while time.monotonic() - t0 < 5:
                self.con._read_some(0.005)
                self.tr.update()
                if ch in self.tr.text[mark:]:
                    times.append(time.monotonic() - t0)
                    break
            time.sleep(0.02)
        self.con.child.send("\x15")  # Ctrl-U: the line is dropped
        self.con.drain(0.3)
        return statistics.median(times) if times else None

    def close(self):
        self.con.close()


def guest_seconds(text):
    m = re.search(r"real\s+(\d+)m\s*([\d.]+)s", text)
    return int(m.group(1)) * 60 + float(m.group(2)) if m else None


def console_speed(board, image, name):
    sh = Shell(board, image, name)
    try:
        sh.run(f"seq 1 300000 | xargs echo -n | head -c {FLOOD} > /tmp/flood; echo made", "made")
        host, text = sh.run("stty -opost; time cat /tmp/flood; stty opost; echo blocks-done", "blocks-done")
        blocks = (host, guest_seconds(text))
        host, text = sh.run(f"time seq 1 {LINES}; echo lines-done", "lines-done")
        lines = (host, guest_seconds(text), len(text.encode()))
        echo = sh.echo_latency()
        return blocks, lines, echo
    finally:
        sh.close()


def fmt(v, unit=""):
    return "-" if v is None else f"{v:.2f}{unit}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image-dir", required=True)
    ap.add_argument("--bootargs", required=True, help="the passthrough guest's kernel command line")
    ap.add_argument("--passthrough-image", required=True)
    ap.add_argument("--virtio", nargs="+", required=True,
                    help="label=image:guest,guest...  (the first: the one-guest system)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-boot", action="store_true", help="only the console part")
    ap.add_argument("--virtio-only", action="store_true",
                    help="only the virtIO systems' boots (a board QEMU's virt machine is not: imx8mp_evk)")
    args = ap.parse_args()
    systems = []
    for spec in args.virtio:
        label, rest = spec.split("=", 1)
        image, guests = rest.rsplit(":", 1)
        systems.append((label, image, guests.split(",")))

    times = {"native": [], "native pair": [], "passthrough": []}
    times.update({label: [] for label, _, _ in systems})
    for _ in range(0 if args.no_boot else args.rounds):
        if not args.virtio_only:
            times["native"].append(boot_native(args.image_dir, args.bootargs))
            times["native pair"].append(boot_native_pair(args.image_dir, args.bootargs))
            times["passthrough"].append(boot_all(args.board, args.passthrough_image, [None]))
        for label, image, guests in systems:
            times[label].append(boot_all(args.board, image, guests, label))
    med = {k: statistics.median([t for t in v if t is not None] or [float("nan")]) for k, v in times.items()}
    one = systems[0][0]
    if args.no_boot:
        med = None
    if med and args.virtio_only:
        print_virtio_boots(args, systems, times, med, one)
        return 0
    if med:
        print_boots(args, systems, times, med, one)
    console_part(args, systems, med, one)
    return 0


def print_virtio_boots(args, systems, times, med, one):
    print(f"\nvirtIO console on {args.board}: boot until every guest is at login:, "
          f"median of {args.rounds} alternating boots each\n")
    print(f"{'system':<56}{'s':>8}{'x 1 guest':>11}")
    print("-" * 75)
    for label, _, _ in systems:
        print(f"{label:<56}{med[label]:>8.2f}{med[label] / med[one]:>11.2f}")
    print("(all boots, s: " + "; ".join(f"{k} {', '.join(fmt(t) for t in v)}" for k, v in times.items() if v) + ")")
    print_cpu(systems, one)
    print_eight(systems, med, one)


def print_cpu(systems, one):
    """QEMU's host CPU seconds until every login:, medians: the emulated cores' work. On a host
    that other jobs share, a system that needs both host CPUs loses more wall time to them than
    one that needs one, so this column says how much of a wall-time ratio is the boots' own."""
    med = {k: statistics.median([c for c in v if c is not None] or [float("nan")]) for k, v in CPU.items()}
    if one not in med:
        return
    print("(QEMU CPU s until every login:, median: " +
          "; ".join(f"{label} {med[label]:.2f} ({med[label] / med[one]:.2f}x)" for label, _, _ in systems
                    if label in med) + ")")


EIGHT_TARGET = 3.0


def print_eight(systems, med, one):
    """The eight-guest target (issue 10): every guest of virtio_console8 (four per core) at
    `login:` within 3x the time one guest takes."""
    for label, _, guests in systems:
        if len(guests) == 8:
            r = med[label] / med[one]
            print(f"(eight guests, four per core / one guest: {r:.2f}x; target <= {EIGHT_TARGET:.0f}x: "
                  f"{'met' if r <= EIGHT_TARGET else 'NOT met'})")


def print_boots(args, systems, times, med, one):
    print(f"\nvirtIO console: boot to login:, median of {args.rounds} alternating boots each\n")
    print(f"{'system':<56}{'s':>8}{'x native':>10}{'x 1 guest':>11}")
    print("-" * 85)
    print(f"{'same kernel+initramfs, QEMU direct (native)':<56}{med['native']:>8.2f}{1:>10.2f}{'':>11}")
    print(f"{'two native QEMUs at once, until both are at login:':<56}{med['native pair']:>8.2f}"
          f"{med['native pair'] / med['native']:>10.2f}{med['native pair'] / med['native']:>11.2f}")
    print(f"{'passthrough (the guest owns the PL011)':<56}{med['passthrough']:>8.2f}"
          f"{med['passthrough'] / med['native']:>10.2f}{'':>11}")
    for label, _, guests in systems:
        print(f"{label:<56}{med[label]:>8.2f}{med[label] / med['native']:>10.2f}"
              f"{med[label] / med[one]:>11.2f}")
    print("(all boots, s: " + "; ".join(f"{k} {', '.join(fmt(t) for t in v)}" for k, v in times.items()) + ")")
    print_cpu(systems, one)
    print_eight(systems, med, one)



def console_part(args, systems, med, one):
    pt = console_speed(args.board, args.passthrough_image, None)
    vio = console_speed(args.board, systems[0][1], systems[0][2][0])
    print("\nGuest to UART and keystroke echo, one boot each\n")
    print(f"{'measurement':<58}{'passthrough':>12}{'virtIO':>10}{'virtIO/pt':>11}")
    print("-" * 91)
    rows = [
        ("1 MiB as blocks (stty -opost; cat), host s", pt[0][0], vio[0][0]),
        ("  the same, guest's time s", pt[0][1], vio[0][1]),
        (f"{LINES} lines through the tty (seq), host s", pt[1][0], vio[1][0]),
        ("  the same, guest's time s", pt[1][1], vio[1][1]),
        (f"typed character to its echo, median of {ECHOES}, ms",
         pt[2] * 1000 if pt[2] else None, vio[2] * 1000 if vio[2] else None),
    ]
    for name, a, b in rows:
        ratio = b / a if a and b else None
        print(f"{name:<58}{fmt(a):>12}{fmt(b):>10}{fmt(ratio, 'x'):>11}")
    if pt[0][0] and vio[0][0]:
        print(f"(block throughput: passthrough {FLOOD / pt[0][0] / 1024:.0f} KiB/s, virtIO "
              f"{FLOOD / vio[0][0] / 1024:.0f} KiB/s; target: virtIO at least as fast)")
    two = [label for label, _, g in systems if len(g) == 2 and "core each" in label]
    if two and med:
        print(f"(two guests on two cores / one guest: {med[two[0]] / med[one]:.2f}x; target <= 1.3x; "
              f"two native QEMUs at once / one: {med['native pair'] / med['native']:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())
