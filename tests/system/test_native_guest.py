#!/usr/bin/python3
"""Boots the guest kernel and initramfs directly in QEMU (no hypervisor), logs in as root and
checks the guest works: the reference every hypervisor guest test and benchmark compares with.

Usage: test_native_guest.py [--image-dir build/images] [--timeout 120]
"""
import argparse
import os
import re
import sys

import pexpect

from guest_shell import Checks, GuestShell

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--image-dir", default="build/images")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per step")
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    args = ap.parse_args()

    kernel = os.path.join(args.image_dir, "Image")
    initrd = os.path.join(args.image_dir, "rootfs.cpio.gz")
    for f in (kernel, initrd):
        if not os.path.isfile(f):
            sys.exit(f"FAIL: {f} missing (run 'make images')")
    # -nic none: the default virtio-net NIC would need a ROM file that QEMU may not have.
    # -no-reboot with panic=-1: a guest that panics ends QEMU instead of booting again.
    cmd = [args.qemu, "-machine", "virt,gic-version=3", "-cpu", "cortex-a53", "-m", "512M",
           "-smp", "1", "-nographic", "-nic", "none", "-serial", "mon:stdio", "-no-reboot",
           "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyAMA0 panic=-1"]

    check = Checks()
    con = GuestShell(cmd, args.timeout)
    try:
        print(f"native boot to login: {con.wait_login():.2f} s")
        # root has no password: busybox login must not ask for one.
        check("root logs in without a password", not con.login())

        uname = con.run("uname -a")
        check("uname -a says aarch64", any("aarch64" in l for l in uname), " | ".join(uname))

        answer = con.run("echo $((6*7))")
        check("shell arithmetic prints 42", "42" in [l.strip() for l in answer], " | ".join(answer))

        irqs = con.run("cat /proc/interrupts")
        check("/proc/interrupts has the PL011 UART", any(re.search(r"pl011", l) for l in irqs))
        check("/proc/interrupts has the arch timer", any("arch_timer" in l for l in irqs))

        con.child.sendline("poweroff")
        con.child.expect(pexpect.EOF)
        con.child.close()
        check("poweroff ends QEMU cleanly", con.child.exitstatus == 0,
              f"exit status {con.child.exitstatus}")
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        check("console dialogue", False, f"{type(e).__name__} waiting for the guest")
    finally:
        con.close()

    if check.failures:
        print("--- console log (tail) ---\n" + con.tail())
        print(f"native guest test: {len(check.failures)} check(s) FAILED")
        return 1
    print("native guest test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
