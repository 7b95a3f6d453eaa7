#!/usr/bin/python3
"""make bench: every benchmark of the project in one run, printed as ratios.

1. Kernel paths (systems/<board>/bench.system): notification, protected call and IRQ latency
   against a bare HVC round trip, the same round trips to a peer on another core (peer_far,
   where the system file puts it on one), and the MMIO benchmark guest's trapped read of a vGIC
   register (guest -> kernel -> VMM -> guest), all from one boot; then the same image again with
   `-icount shift=0`, where virtual time advances one ns per instruction, so the figures become
   repeatable instruction counts.
2. Boot to login: the passthrough system against the same kernel and initramfs booted by QEMU
   directly, alternating, median of each; after each hypervisor boot root logs in and runs
   `poweroff -f`, and the VMM's exit counts of that boot (to the power-off) are read.
3. CPU-bound guests: two guests/cpu_work guests doing the same fixed work, both on one core
   (bench_cpu1.system) against one per core (bench_cpu2.system), time from the first guest's
   boot line to the second one's power-off, alternating, medians; the ratio is the speed-up.
Under QEMU TCG on a shared machine only ratios taken in the same run are comparable.
"""
import argparse
import os
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "system"))
from guest_shell import GuestShell  # noqa: E402
from qemu_console import RUN_ARGS, Console, board_machine_args  # noqa: E402

TIMEOUT = 120.0
QEMU = "qemu-system-aarch64"
VM = "linux"  # the passthrough system's guest
CPU_GUESTS = ("w0", "w1")  # bench_cpu1/bench_cpu2.system's guests
CPU_WORK_WRONG = "0x8600bad0"  # the call a cpu_work guest makes when its result is wrong

# (key in the console lines, label in the table); the peer_far rows get their placement added
ROWS = [
    ("hvc_ns", "bare HVC round trip (PD, EL1->EL2->EL1)"),
    ("notify_rtt_ns", "notification round trip (bench->peer->bench)"),
    ("ppcall_rtt_ns", "protected call round trip, 1 MR each way"),
    ("notify_far_rtt_ns", "notification round trip, peer_far"),
    ("ppcall_far_rtt_ns", "protected call round trip, peer_far"),
    ("irq_latency_ns", "timer IRQ to notified(), mean"),
    ("irq_latency_min", "timer IRQ to notified(), min"),
    ("mmio_read_ns", "guest MMIO read trapped to the VMM (vGIC)"),
    ("hvc_psci_ns", "guest HVC PSCI_VERSION answered by the VMM"),
]
FAR_ROWS = ("notify_far_rtt_ns", "ppcall_far_rtt_ns")

# The VMM's line at SYSTEM_OFF/SYSTEM_RESET (vmm/src/exit_stats.c), and its kinds in table order.
# Not anchored at the line's start: a guest that owns the UART may have left half a line there.
EXITS_LINE = r"vmm: guest '{}' exits: (total=\d+(?: \w+=\d+)*)\r*\n"
EXIT_KINDS = [
    ("total", "all exits to the VMM"),
    ("mmio", "stage-2 faults (MMIO), of which:"),
    ("gicd", "  vGIC distributor"),
    ("gicr", "  vGIC redistributors"),
    ("mmio_other", "  elsewhere (refused)"),
    ("vgic_maint", "vGIC maintenance (list register EOI'd)"),
    ("vppi", "virtual timer interrupt (vPPI)"),
    ("hvc", "HVC (PSCI, SMCCC)"),
    ("smc", "SMC"),
    ("sysreg", "trapped system register (SGIs)"),
    ("wfx", "WFI/WFE passed to the VMM"),
    ("other", "other"),
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


def parse_exits(text, vm):
    """{kind: count} from the VMM's exits line for guest `vm`, or None."""
    m = re.search(EXITS_LINE.format(re.escape(vm)), text)
    if not m:
        return None
    return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def pd_cores(image):
    """{PD name: core} as mksys expanded the system beside the image (a PD without `cpu` is on
    core 0), so the table says where peer_far really ran."""
    path = os.path.join(os.path.dirname(image), "expanded.system")
    cores = {}
    for pd in ET.parse(path).getroot().iter("protection_domain"):
        cores[pd.get("name")] = int(pd.get("cpu", "0"), 0)
    return cores


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


def boot_to_login(cmd, exits_of=None):
    """Seconds from QEMU's start to `login:`. With exits_of (a guest name under the
    hypervisor), root then logs in and powers the guest off, and the VMM's exit counts of the
    boot are returned too (None if that line never came)."""
    shell = GuestShell(cmd, TIMEOUT)
    try:
        t = shell.wait_login()
        if exits_of is None:
            return t, None
        shell.login()
        shell.child.sendline("poweroff -f")
        try:
            shell.child.expect(EXITS_LINE.format(re.escape(exits_of)), timeout=60)
        except (pexpect.TIMEOUT, pexpect.EOF):
            print(f"bench: no exit counts from guest '{exits_of}' after poweroff -f; console tail:")
            print(shell.tail(20))
            return t, None
        return t, parse_exits(shell.text(), exits_of)
    finally:
        shell.close()


def native_cmd(image_dir, bootargs, ram, smp):
    """The guest's kernel and initramfs booted by QEMU directly. With smp > 1 the guest still
    uses one CPU (maxcpus=1): the same guest on the emulated machine the hypervisor runs on,
    whose extra cores cost QEMU something of their own (multi-threaded TCG)."""
    return [QEMU, "-machine", "virt,gic-version=3", "-cpu", "cortex-a53", "-m", ram, "-smp", str(smp),
            "-nic", "none"] + RUN_ARGS + ["-kernel", os.path.join(image_dir, "Image"),
                                          "-initrd", os.path.join(image_dir, "rootfs.cpio.gz"),
                                          "-append", bootargs + (" maxcpus=1" if smp > 1 else "")]


def board_cores(board):
    """The -smp count of the board's QEMU machine arguments (1 if none)."""
    machine = board_machine_args(board)
    return int(machine[machine.index("-smp") + 1]) if "-smp" in machine else 1


def boot_times(board, passthrough_image, image_dir, bootargs, ram, rounds):
    native = native_cmd(image_dir, bootargs, ram, 1)
    native_smp = native_cmd(image_dir, bootargs, ram, board_cores(board))
    hyp = [QEMU] + board_machine_args(board) + RUN_ARGS + ["-kernel", passthrough_image]
    times = {"native": [], "native_smp": [], "hyp": []}
    exits = []
    for _ in range(rounds):  # alternate, so drifting machine load hits all alike
        times["native"].append(boot_to_login(native)[0])
        times["native_smp"].append(boot_to_login(native_smp)[0])
        t, counts = boot_to_login(hyp, VM)
        times["hyp"].append(t)
        exits.append(counts)
    return {k: statistics.median(v) for k, v in times.items()}, times, exits


def host_cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/<pid>/stat), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_run(board, image, verbose):
    """(seconds from the first cpu_work guest's boot line to the last one's power-off, as the
    host reads the console; host CPUs QEMU had on average meanwhile), or None (after saying
    why) if a guest did not finish right."""
    con = Console(board, image, echo=verbose)
    cpu0 = None
    stamps = {}  # line pattern -> time its line was first seen
    wanted = {f"boot {g}": rf"^vmm: guest '{g}': booting: " for g in CPU_GUESTS}
    wanted.update({f"off {g}": rf"^vmm: guest '{g}' powered off$" for g in CPU_GUESTS})
    deadline = time.monotonic() + TIMEOUT
    try:
        while len(stamps) < len(wanted) and time.monotonic() < deadline:
            con._read_some(0.05)  # returns as soon as output arrives: the stamp is its arrival
            now = time.monotonic()
            for key, pattern in wanted.items():
                if key not in stamps and re.search(pattern, con.text, re.MULTILINE):
                    stamps[key] = now
            if cpu0 is None and len(stamps) > 0:
                cpu0 = host_cpu_seconds(con.child.pid)
        cpu1 = host_cpu_seconds(con.child.pid) if con.child.isalive() else None
        con.drain(0.2)
    finally:
        con.close()
    wrong = [g for g in CPU_GUESTS if re.search(rf"^vmm: guest '{g}': unsupported SMC/HVC function "
                                                 rf"{CPU_WORK_WRONG}", con.text, re.MULTILINE)]
    if len(stamps) < len(wanted) or wrong:
        why = f"wrong result from {', '.join(wrong)}" if wrong else \
              f"never saw: {', '.join(k for k in wanted if k not in stamps)}"
        print(f"bench: {os.path.basename(os.path.dirname(image))} FAILED ({why}); console tail:")
        print(con.tail(20))
        return None
    start = min(stamps[f"boot {g}"] for g in CPU_GUESTS)
    wall = max(stamps[f"off {g}"] for g in CPU_GUESTS) - start
    cpus = (cpu1 - cpu0) / wall if cpu0 is not None and cpu1 is not None and wall > 0 else float("nan")
    return wall, cpus


def cpu_speedup(board, one_core, two_core, rounds, verbose):
    """{"one": [(s, host CPUs)...], "two": [...]}, or None if a run failed."""
    runs = {"one": [], "two": []}
    for _ in range(rounds):  # alternate, as the boots do
        for key, image in (("one", one_core), ("two", two_core)):
            r = cpu_run(board, image, verbose)
            if r is None:
                return None
            runs[key].append(r)
    return runs


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


def print_table(title, values, unit, far_note):
    base = values["hvc_ns"]
    print(f"\n{title}\n")
    print(f"{'measurement':<48}{unit:>12}{'x HVC':>10}")
    print("-" * 70)
    for key, label in ROWS:
        if key in FAR_ROWS:
            label += f" ({far_note})"
        print(f"{label:<48}{values[key]:>12.1f}{values[key] / base:>10.2f}")


def print_exits(exits):
    print("\nExits to the VMM per boot of the passthrough guest, from its start to `poweroff -f` "
          "(a few more than to login:), each boot:\n")
    print(f"{'kind':<48}" + "".join(f"{f'boot {i + 1}':>10}" for i in range(len(exits))))
    print("-" * (48 + 10 * len(exits)))
    for key, label in EXIT_KINDS:
        print(f"{label:<48}" + "".join(f"{e.get(key, 0):>10}" for e in exits))


def run_kernel_paths(args):
    wall = kernel_paths(args.board, args.bench_image, False, args.verbose)
    counted = kernel_paths(args.board, args.bench_image, True, args.verbose)
    if not wall or not counted:
        return False
    cores = pd_cores(args.bench_image)
    far, near = cores.get("peer_far", 0), cores.get("bench", 0)
    cross = far != near
    note = f"core {far}" if cross else "same core"
    print(f"\npeer_far runs on core {far}, bench and peer on core {near}"
          + ("" if cross else " (the system puts no PD on another core)"))
    print_table(f"Kernel and VMM paths on {args.board}, TCG wall time, one boot:", wall, "ns", note)
    print_table("The same with -icount shift=0 (1 ns = 1 instruction), one boot:", counted, "instr", note)
    if cross:
        print("(-icount runs the cores in turn on one host thread: a cross-core figure there is "
              "the instructions both cores executed in the round trip, see docs/benchmarks.md)")
    print(f"\ntrapped MMIO read: {counted['mmio_read_ns']:.0f} instructions "
          f"(target < 1000), {wall['mmio_read_ns'] / wall['hvc_ns']:.2f}x a bare HVC in wall time")
    for key, what in (("notify", "notification"), ("ppcall", "protected call")):
        print(f"{what} round trip, peer_far / peer: {wall[key + '_far_rtt_ns'] / wall[key + '_rtt_ns']:.2f}x "
              f"in wall time ({'other core' if cross else 'same core'})")
    return True


def run_boot(args):
    size = hypervisor_bytes(args.passthrough_image)
    print(f"\npassthrough boot image without its guest files (kernel, VMM, tables): "
          f"{size / 1024:.0f} KiB (target < 512 KiB)")
    med, all_times, exits = boot_times(args.board, args.passthrough_image, args.image_dir, args.bootargs,
                                       args.ram, args.rounds)
    print(f"\nBoot to login: prompt, median of {args.rounds} alternating boots each:\n")
    print(f"{'boot':<48}{'s':>12}{'x native':>10}")
    print("-" * 70)
    cores = board_cores(args.board)
    print(f"{'same kernel+initramfs, QEMU direct (native)':<48}{med['native']:>12.2f}{1:>10.2f}")
    print(f"{f'the same on the {cores}-core machine (maxcpus=1)':<48}{med['native_smp']:>12.2f}"
          f"{med['native_smp'] / med['native']:>10.2f}")
    print(f"{'passthrough system under the hypervisor':<48}{med['hyp']:>12.2f}"
          f"{med['hyp'] / med['native']:>10.2f}")
    print(f"(all boots, s: native {', '.join(f'{t:.2f}' for t in all_times['native'])}; "
          f"native on {cores} cores {', '.join(f'{t:.2f}' for t in all_times['native_smp'])}; "
          f"hypervisor {', '.join(f'{t:.2f}' for t in all_times['hyp'])}; target < 1.15x)")
    print(f"(the hypervisor against the same guest on its own {cores}-core machine: "
          f"{med['hyp'] / med['native_smp']:.2f}x)")
    if any(e is None for e in exits):
        print("bench: FAILED: a hypervisor boot gave no exit counts")
        return False
    print_exits(exits)
    return True


def run_cpu(args):
    runs = cpu_speedup(args.board, args.cpu1_image, args.cpu2_image, args.rounds, args.verbose)
    if runs is None:
        return False
    times = {k: [t for t, _ in v] for k, v in runs.items()}
    used = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    one, two = statistics.median(times["one"]), statistics.median(times["two"])
    print(f"\nTwo CPU-bound guests (guests/cpu_work), first boot line to last power-off, "
          f"median of {args.rounds} alternating runs each:\n")
    print(f"{'placement':<48}{'s':>12}{'speed-up':>10}")
    print("-" * 70)
    print(f"{'both guests and VMMs on core 0 (bench_cpu1)':<48}{one:>12.2f}{1:>10.2f}")
    print(f"{'one guest per core (bench_cpu2)':<48}{two:>12.2f}{one / two:>10.2f}")
    print(f"(all runs, s: one core {', '.join(f'{t:.2f}' for t in times['one'])}; "
          f"two cores {', '.join(f'{t:.2f}' for t in times['two'])}; target >= 1.7x)")
    # Two guest cores run in parallel only if the host gives QEMU's two vCPU threads two CPUs.
    print(f"(host CPUs QEMU had meanwhile, median: one core {used['one']:.2f}, two cores "
          f"{used['two']:.2f}, of {os.cpu_count()}; load average {os.getloadavg()[0]:.1f})")
    return True


PARTS = {"kernel": run_kernel_paths, "boot": run_boot, "cpu": run_cpu}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--bench-image")
    ap.add_argument("--passthrough-image")
    ap.add_argument("--cpu1-image", help="bench_cpu1.system's image: both guests on core 0")
    ap.add_argument("--cpu2-image", help="bench_cpu2.system's image: one guest per core")
    ap.add_argument("--image-dir", default="build/images")
    ap.add_argument("--bootargs", help="the passthrough guest's kernel command line")
    ap.add_argument("--ram", default="256M", help="the passthrough guest's RAM, for the native boot")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--parts", default="kernel,boot,cpu",
                    help="comma-separated subset of kernel, boot, cpu (default: all)")
    ap.add_argument("--verbose", action="store_true", help="echo the console")
    args = ap.parse_args()
    parts = args.parts.split(",")
    needs = {"kernel": ["bench_image"], "boot": ["passthrough_image", "bootargs"],
             "cpu": ["cpu1_image", "cpu2_image"]}
    for part in parts:
        if part not in PARTS:
            ap.error(f"unknown part '{part}' (kernel, boot, cpu)")
        for name in needs[part]:
            value = getattr(args, name)
            if value is None:
                ap.error(f"part '{part}' needs --{name.replace('_', '-')}")
            if name.endswith("image") and not os.path.isfile(value):
                print(f"bench: no image at {value}", file=sys.stderr)
                return 1
    failed = [part for part in parts if not PARTS[part](args)]
    if failed:
        print(f"\nbench: FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
