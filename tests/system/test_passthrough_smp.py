#!/usr/bin/python3
"""Boots the passthrough_smp system (the passthrough Linux guest with two vCPUs) under the
hypervisor and checks both vCPUs work: nproc says 2; CPU 1 goes off line (PSCI CPU_OFF) and on
line again (CPU_ON) several times, the shell answering after each step; a CPU-bound job pinned to
each vCPU makes progress on both (their user+system time in /proc/stat); reboot (SYSTEM_RESET with
both vCPUs on) comes back with two CPUs; poweroff (SYSTEM_OFF) reaches the VMM.

Every hotplug step has its own, shorter, timeout (--hotplug-timeout): taking a CPU down runs
Linux's stop_machine, which needs both vCPUs to run, so a vCPU that is starved or never woken
shows up here as a step that does not finish.

QEMU runs with -icount (ICOUNT, as test_timers_smp.py): both cores in turns on one host thread,
the guest's clock following the instructions executed, so a loaded host cannot make the guest's
timers late. With --parallel it runs multi-threaded TCG instead, the two cores on two host
threads: on an idle host that passes too, but on a loaded one (load 3-4 on two host cores) the
guest's boot stalled for 20 s at a time with soft lockups of either CPU and did not reach login
within 90 s, while the one-vCPU passthrough guest booted in 8 s (docs/vmm.md, SMP guests).

Usage: test_passthrough_smp.py --board qemu_virt --image build/qemu_virt/passthrough_smp/system.img
"""
import argparse
import os
import re
import sys
import time

import pexpect

from guest_shell import PROMPT, Checks, GuestShell
from qemu_console import board_machine_args, board_run_args

VM = "linux"
CPU1_ONLINE = "/sys/devices/system/cpu/cpu1/online"
CYCLES = 3         # off line and on line again, this many times
BUSY_SECONDS = 4   # how long the two CPU-bound jobs run while /proc/stat is sampled
MIN_SHARE = 0.25   # each vCPU must get at least this share of a CPU meanwhile
USER_HZ = 100      # /proc/stat's unit (arm64 Linux)
ICOUNT = ["-icount", "shift=3,sleep=off"]


# A line the guest kernel printed on the console. It can land anywhere in the shell's output,
# even inside the echoed command or a line of output, which it then splits in two.
KERNEL_LINE = re.compile(r"\[\s*\d+\.\d+\] [^\n]*(?:\n|$)")


def run(con, command):
    """Runs a command; its output lines (stripped, empty ones dropped) without the echoed command
    and without the kernel's lines (cut out, the pieces either side joined again). A long command's
    echo may wrap: its continuation is the first lines, which the callers' patterns skip."""
    con.child.sendline(command)
    con.child.expect(PROMPT)
    text = KERNEL_LINE.sub("", con.child.before.replace("\r", ""))
    return [l.strip() for l in text.split("\n")[1:] if l.strip()]


def last(lines):
    return lines[-1] if lines else ""


def timed(con, command, timeout):
    """Runs a command with its own timeout; returns (output lines, seconds)."""
    saved, con.child.timeout = con.child.timeout, timeout
    t = time.monotonic()
    try:
        return run(con, command), time.monotonic() - t
    finally:
        con.child.timeout = saved


def responsive(con, check, when):
    answer = run(con, "echo $((6*7))")
    check(f"the shell answers {when}", last(answer) == "42", " | ".join(answer))


def online(con):
    return last(run(con, "cat /sys/devices/system/cpu/online"))


def hotplug_cycle(con, check, n, timeout):
    mark = len(con.text())
    out, secs = timed(con, f"echo 0 > {CPU1_ONLINE}; echo status=$?", timeout)
    print(f"cycle {n}: CPU 1 off line in {secs:.2f} s", flush=True)
    check(f"cycle {n}: writing 0 to cpu1/online succeeds", last(out) == "status=0", " | ".join(out))
    check(f"cycle {n}: Linux reports CPU 1 killed (PSCI CPU_OFF, then AFFINITY_INFO says off)",
          re.search(r"psci: CPU1 killed", con.text()[mark:]) is not None)
    state = online(con)
    check(f"cycle {n}: only CPU 0 is on line", state == "0", state)
    responsive(con, check, f"with CPU 1 off line (cycle {n})")

    mark = len(con.text())
    out, secs = timed(con, f"echo 1 > {CPU1_ONLINE}; echo status=$?", timeout)
    print(f"cycle {n}: CPU 1 on line in {secs:.2f} s", flush=True)
    check(f"cycle {n}: writing 1 to cpu1/online succeeds", last(out) == "status=0", " | ".join(out))
    check(f"cycle {n}: CPU 1 boots again (PSCI CPU_ON)",
          re.search(r"CPU1: Booted secondary processor 0x0*1 ", con.text()[mark:]) is not None)
    state = online(con)
    check(f"cycle {n}: CPUs 0-1 are on line again", state == "0-1", state)
    responsive(con, check, f"with CPU 1 back (cycle {n})")


# A shell loop counting iterations, appending the count to /run/busy<cpu> every 200 (appended,
# so a reader never sees a half-rewritten file), run pinned to each CPU.
BUSY_LOOP = r'i=0; while :; do i=\$((i+1)); [ \$((i % 200)) -ne 0 ] || echo \$i >> /run/busy$c; done'


def sample(con):
    """({cpu: user + nice + system in USER_HZ ticks} from /proc/stat, {cpu: the busy job's count},
    the guest's uptime in seconds: its own clock, which -icount decouples from the host's)."""
    times, counts, uptime = {}, {}, None
    out = run(con, "cat /proc/uptime; grep '^cpu[0-9]' /proc/stat; "
              "for c in 0 1; do echo busy$c=$(tail -n 1 /run/busy$c); done")
    for line in out:
        f = line.split()
        m = re.match(r"busy(\d)=(\d+)$", line)
        if m:
            counts[int(m.group(1))] = int(m.group(2))
        elif len(f) >= 4 and f[0].startswith("cpu") and f[0][3:].isdigit():
            times[int(f[0][3:])] = int(f[1]) + int(f[2]) + int(f[3])
        elif uptime is None and re.match(r"\d+\.\d+ \d+\.\d+$", line):
            uptime = float(f[0])
    return times, counts, uptime


def busy_on_both(con, check):
    """A CPU-bound job pinned to each vCPU: both must accumulate CPU time (/proc/stat) and both
    must get work done, neither less than a quarter of the other's (their own counts)."""
    run(con, 'rm -f /run/busy0 /run/busy1; for c in 0 1; do busybox taskset -c $c sh -c "' + BUSY_LOOP +
            '" & done')
    pins = run(con, "for p in $(jobs -p); do busybox taskset -p $p; done")
    print("busy jobs: " + " | ".join(pins), flush=True)
    check("a busy job is pinned to each vCPU",
          sorted(l.split()[-1] for l in pins if "affinity mask" in l) == ["1", "2"], " | ".join(pins))
    time.sleep(1)  # both have written a first count
    t_before, n_before, u0 = sample(con)
    time.sleep(BUSY_SECONDS)
    t_after, n_after, u1 = sample(con)
    run(con, "kill $(jobs -p); wait")
    if not check("the guest's uptime is read and advances", u0 is not None and u1 is not None and u1 > u0,
                 f"{u0} -> {u1}"):
        return
    wall = (u1 - u0) * USER_HZ
    work = {}
    for c in (0, 1):
        d = t_after.get(c, 0) - t_before.get(c, 0)
        work[c] = n_after.get(c, 0) - n_before.get(c, 0)
        print(f"cpu{c}: {d} ticks of user+system time and {work[c]} loop iterations in {wall / USER_HZ:.1f} s "
              "of the guest's time", flush=True)
        check(f"cpu{c} accumulates CPU time: at least {MIN_SHARE:.0%} of a CPU in /proc/stat",
              c in t_before and c in t_after and d >= MIN_SHARE * wall, f"{t_before.get(c)} -> {t_after.get(c)}")
    check("both busy jobs got work done, the slower at least a quarter of the faster",
          min(work.values()) > 0 and 4 * min(work.values()) >= max(work.values()),
          f"counts {n_before} -> {n_after}")
    responsive(con, check, "after the busy jobs")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    ap.add_argument("--timeout", type=float, default=90, help="seconds per step")
    ap.add_argument("--hotplug-timeout", type=float, default=30, help="seconds per CPU off/on step")
    ap.add_argument("--parallel", action="store_true", help="multi-threaded TCG instead of -icount")
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        sys.exit(f"FAIL: no image at {args.image}")

    cmd = (["qemu-system-aarch64"] + board_machine_args(args.board, args.image) + board_run_args(args.board) +
           ([] if args.parallel else ICOUNT) + ["-kernel", args.image])
    print("booting: " + " ".join(cmd), flush=True)
    check = Checks()
    con = GuestShell(cmd, args.timeout)
    started = time.monotonic()
    try:
        print(f"hypervisor boot to login: {con.wait_login():.2f} s", flush=True)
        check("root logs in without a password", not con.login())
        n = run(con, "nproc")
        check("nproc prints 2", last(n) == "2", " | ".join(n))
        state = online(con)
        check("CPUs 0-1 are on line", state == "0-1", state)

        for i in range(1, CYCLES + 1):
            hotplug_cycle(con, check, i, args.hotplug_timeout)
        busy_on_both(con, check)

        mark = len(con.text())
        con.child.sendline("reboot")
        con.child.expect(rf"vmm: guest '{VM}' reset")
        check("reboot with both vCPUs on reaches the VMM as a PSCI system reset", True)
        con.wait_login()
        check("the guest is back at a login prompt after reboot", not con.login())
        n = run(con, "nproc")
        check("nproc prints 2 after reboot (CPU 1 started again)", last(n) == "2", " | ".join(n))
        check("the rebooted guest booted CPU 1 once",
              len(re.findall(r"CPU1: Booted secondary processor", con.text()[mark:])) == 1)

        con.child.sendline("poweroff")
        con.child.expect(rf"vmm: guest '{VM}' powered off")
        check("poweroff with two vCPUs reaches the VMM as a PSCI system off", True)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        check("console dialogue", False, f"{type(e).__name__} waiting for the guest")
    finally:
        con.close()
    print(f"test time: {time.monotonic() - started:.1f} s", flush=True)

    text = con.text()
    bad = [l for l in text.split("\n")
           if l.startswith("kernel: fault") or re.match(r"vmm: .*(unhandled|error|cannot)", l)]
    check("no kernel faults and no unhandled guest exits", not bad, "; ".join(bad[:5]))
    stall = re.search(r"rcu: INFO: rcu_\w+ (?:self-)?detected stall|soft lockup", text)
    if not check("the guest reported no RCU stall and no soft lockup", stall is None):
        start = text.rfind("\n", 0, stall.start()) + 1
        print("--- the first report ---\n" + "\n".join(text[start:].split("\n")[:40]))
    if check.failures:
        print("--- console log (tail) ---\n" + con.tail(60))
        print(f"passthrough_smp test: {len(check.failures)} check(s) FAILED")
        return 1
    print("passthrough_smp test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
