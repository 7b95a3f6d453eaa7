#!/usr/bin/python3
"""Boots the timers system on two cores (systems/qemu_virt/timers_smp.system) and checks what was
printed, with the checks of test_timers.py: each of the three bare-metal guests (vt1000 on core 0;
vt1700 and vt2900 on core 1, beside the writer PD) woke from WFI on its own virtual timer all 200
times, none early, none over LATE_MAX_US late, mean at most MEAN_MAX_US, while the writer wrote
the virtual timer registers in a loop on core 1. Besides: the kernel brought up both cores, and
the image's layout report puts each VMM and its vCPU on the core the system description says (so
the guests really were spread over the cores).

QEMU runs with -icount (ICOUNT): its clock then follows the instructions executed, 8 ns each, not
the host's, and sleep=off skips idle time at once, so the figures do not depend on the host's
load and are the same in every run of one build (measured: max 49 us, mean 19 us late). By the
host's clock instead (multi-threaded TCG), a busy host alone made wake-ups up to 1.5 s late with
the load at 6 on two host cores. -icount runs the two cores in turns on one host thread;
test_smp.py runs them in parallel.

Usage: test_timers_smp.py --board qemu_virt --image build/qemu_virt/timers_smp/system.img
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_timers  # noqa: E402

ICOUNT = ["-icount", "shift=3,sleep=off"]
LATE_MAX_US = 5000
MEAN_MAX_US = 500
# PD -> core, and VM -> core of its one vCPU, as timers_smp.system places them.
PD_CORES = {"vmm1": 0, "vmm2": 1, "vmm3": 1, "writer": 1}
VM_CORES = {"vt1000": 0, "vt1700": 1, "vt2900": 1}


def check_placement(check, con, image):
    check("the kernel brought up both cores", bool(re.search(r"^kernel: 2 cores up$", con.text, re.M)))
    report = os.path.join(os.path.dirname(os.path.abspath(image)), "report.txt")
    try:
        with open(report) as f:
            text = f.read()
    except OSError as e:
        check(f"the image's layout report ({report}) can be read", False, str(e))
        return
    for pd, core in PD_CORES.items():
        m = re.search(rf"^PD \d+ '{pd}': priority \d+, core (\d+),", text, re.M)
        check(f"PD '{pd}' is placed on core {core}", bool(m) and int(m[1]) == core,
              m.group(0) if m else "not in the report")
    for vm, core in VM_CORES.items():
        m = re.search(rf"^VM '{vm}' of PD '\w+': .*\n\s+cores\s+vCPU 0 on core (\d+)$", text, re.M)
        check(f"the vCPU of '{vm}' is placed on core {core}", bool(m) and int(m[1]) == core,
              m.group(0).replace("\n", " ") if m else "not in the report")


if __name__ == "__main__":
    sys.exit(test_timers.main("timers system test on two cores", check_placement, __doc__, qemu_args=ICOUNT,
                              late_max_us=LATE_MAX_US, mean_max_us=MEAN_MAX_US))
