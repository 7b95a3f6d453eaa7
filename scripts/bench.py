#!/usr/bin/python3
"""make bench: every benchmark of the project in one run, printed as ratios.

1. Kernel paths (systems/<board>/bench.system): notification, protected call and IRQ latency
   against a bare HVC round trip, and the MMIO benchmark guest's trapped read of a vGIC
   register (guest -> kernel -> VMM -> guest), all from one boot; then the same image again with
   `-icount shift=0`, where virtual time advances one ns per instruction, so the figures become
   repeatable instruction counts.
2. Boot to login: the passthrough system against the same kernel and initramfs booted by QEMU
   directly, alternating, median of each.
Under QEMU TCG on a shared machine only ratios taken in the same run are comparable.
"""
import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "system"))
from guest_shell import GuestShell  # noqa: E402
from qemu_console import RUN_ARGS, Console, board_machine_args  # noqa: E402

TIMEOUT = 120.0
QEMU = "qemu-system-aarch64"

# (key in the console lines, label in the table)
ROWS = [
    ("hvc_ns", "bare HVC round trip (PD, EL1->EL2->EL1)"),
    ("notify_rtt_ns", "notification round trip (bench->peer->bench)"),
    ("ppcall_rtt_ns", "protected call round trip, 1 MR each way"),
    ("irq_latency_ns", "timer IRQ to notified(), mean"),
    ("irq_latency_min", "timer IRQ to notified(), min"),
    ("mmio_read_ns", "guest MMIO read trapped to the VMM (vGIC)"),
    ("hvc_psci_ns", "guest HVC PSCI_VERSION answered by the VMM"),
]


def parse(text):
    values = {}
    for m in re.finditer(r"^bench: (\w+)=([0-9.]+)(?: min=([0-9.]+))?$", text, re.MULTILINE):
        values[m.group(1)] = float(m.group(2))
        if m.group(3) is not None:
            values[m.group(1).replace("_ns", "_min")] = float(m.group(3))
    m = re.search(r"^mmio-guest: mmio_read_ns=(\d+) hvc_psci_ns=(\d+)", text, re.MULTILINE)
    if m:
        values["mmio_read_ns"] = float(m.group(1))
        values["hvc_psci_ns"] = float(m.group(2))
    return values


def kernel_paths(board, image, icount, verbose):
    extra = ["-icount", "shift=0,sleep=off"] if icount else []
    con = Console(board, image, extra_args=extra, echo=verbose)
    try:
        done = con.wait_for(r"^bench: done$", time.monotonic() + TIMEOUT)
    finally:
        con.close()
    values = parse(con.text)
    missing = [key for key, _ in ROWS if key not in values]
    if not done or missing:
        print(f"bench: FAILED: missing {', '.join(missing) or 'bench: done'}; console tail:")
        print(con.tail(30))
        return None
    return values


def boot_to_login(cmd):
    shell = GuestShell(cmd, TIMEOUT)
    try:
        return shell.wait_login()
    finally:
        shell.close()


def boot_times(board, passthrough_image, image_dir, bootargs, ram, rounds):
    native = [QEMU, "-machine", "virt,gic-version=3", "-cpu", "cortex-a53", "-m", ram, "-smp", "1",
              "-nic", "none"] + RUN_ARGS + ["-kernel", os.path.join(image_dir, "Image"),
                                            "-initrd", os.path.join(image_dir, "rootfs.cpio.gz"),
                                            "-append", bootargs]
    hyp = [QEMU] + board_machine_args(board) + RUN_ARGS + ["-kernel", passthrough_image]
    times = {"native": [], "hyp": []}
    for _ in range(rounds):  # alternate, so drifting machine load hits both alike
        times["native"].append(boot_to_login(native))
        times["hyp"].append(boot_to_login(hyp))
    return {k: statistics.median(v) for k, v in times.items()}, times


def hypervisor_bytes(image):
    """The boot image's size without the guest files in it, from mksys's report beside it."""
    report = os.path.join(os.path.dirname(image), "report.txt")
    guest, files_end, placed = 0, 0, None
    with open(report) as f:
        for line in f:
            m = re.match(r"\s*\S+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+in the image file", line)
            if m:
                guest += int(m.group(2), 16)
                files_end = max(files_end, int(m.group(1), 16) + int(m.group(2), 16))
            # guest RAM starting with a pre-placed kernel ends the file: its stored bytes and
            # the padding that aligns it are guest bytes too
            m = re.match(r"\s*\S+\s+(0x[0-9a-f]+)\s.*its first (0x[0-9a-f]+) bytes in the image file", line)
            if m:
                placed = (int(m.group(1), 16), int(m.group(2), 16))
    if placed:
        guest += placed[1] + max(0, placed[0] - files_end)
    return os.path.getsize(image) - guest


def print_table(title, values, unit):
    base = values["hvc_ns"]
    print(f"\n{title}\n")
    print(f"{'measurement':<48}{unit:>12}{'x HVC':>10}")
    print("-" * 70)
    for key, label in ROWS:
        print(f"{label:<48}{values[key]:>12.1f}{values[key] / base:>10.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--bench-image", required=True)
    ap.add_argument("--passthrough-image", required=True)
    ap.add_argument("--image-dir", default="build/images")
    ap.add_argument("--bootargs", required=True, help="the passthrough guest's kernel command line")
    ap.add_argument("--ram", default="256M", help="the passthrough guest's RAM, for the native boot")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--verbose", action="store_true", help="echo the console")
    args = ap.parse_args()
    for f in (args.bench_image, args.passthrough_image):
        if not os.path.isfile(f):
            print(f"bench: no image at {f}", file=sys.stderr)
            return 1

    wall = kernel_paths(args.board, args.bench_image, False, args.verbose)
    counted = kernel_paths(args.board, args.bench_image, True, args.verbose)
    if not wall or not counted:
        return 1
    print_table(f"Kernel and VMM paths on {args.board}, TCG wall time, one boot:", wall, "ns")
    print_table(f"The same with -icount shift=0 (1 ns = 1 instruction), one boot:", counted,
                "instr")
    print(f"\ntrapped MMIO read: {counted['mmio_read_ns']:.0f} instructions "
          f"(target < 1500), {wall['mmio_read_ns'] / wall['hvc_ns']:.2f}x a bare HVC in wall time")

    size = hypervisor_bytes(args.passthrough_image)
    print(f"\npassthrough boot image without its guest files (kernel, VMM, tables): "
          f"{size / 1024:.0f} KiB (target < 512 KiB)")

    med, all_times = boot_times(args.board, args.passthrough_image, args.image_dir, args.bootargs,
                                args.ram, args.rounds)
    print(f"\nBoot to login: prompt, median of {args.rounds} alternating boots each:\n")
    print(f"{'boot':<48}{'s':>12}{'x native':>10}")
    print("-" * 70)
    print(f"{'same kernel+initramfs, QEMU direct (native)':<48}{med['native']:>12.2f}{1:>10.2f}")
    print(f"{'passthrough system under the hypervisor':<48}{med['hyp']:>12.2f}"
          f"{med['hyp'] / med['native']:>10.2f}")
    print(f"(all boots, s: native {', '.join(f'{t:.2f}' for t in all_times['native'])}; "
          f"hypervisor {', '.join(f'{t:.2f}' for t in all_times['hyp'])}; target < 1.15x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
