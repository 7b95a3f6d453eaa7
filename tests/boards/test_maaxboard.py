#!/usr/bin/python3
"""Checks the MaaXBoard images (docs/boards.md): they cannot run under QEMU, so what U-Boot and
the kernel will rely on is checked in the files. Expected values come from the trees, not from
this file, where they can: the GIC from Debian's imx8mq-evk.dtb (the overlay leaves it alone),
RAM and console from the board tree the overlay made (and these must be the MaaXBoard's: 2 GiB at
0x40000000, UART1 0x30860000, SPI 26 = INTID 58, which the EVK tree alone does not say).

- report.txt of both systems: RAM, GICD/GICR, EL2 timer INTID, the kernel console, the UART's IRQ
  (passthrough: INTID 58 to the VMM; serial: INTID 58 to the i.MX driver imx_uart.elf).
- system.img: an arm64 Image header booti accepts: magic, little-endian, 4 KiB pages, text_offset
  0x200000 with flags bit 3 clear (booti moves it to RAM base + 2 MiB, where it is linked: the
  report's load address), image_size covering the whole layout (the report's image_end), code0
  a branch.
- the passthrough guest's device tree (inside the image): the UART with fixed clocks at the
  i.MX 8M Quad's 25 MHz, no clock controller, and the GIC the VMM emulates.

Usage: test_maaxboard.py --board-dir build/maaxboard --evk-tree build/images/dtbs/freescale/imx8mq-evk.dtb
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

UART = "/soc@0/bus@30800000/serial@30860000"
failures = []


def check(name, ok, detail=""):
    print(("PASS: " if ok else "FAIL: ") + name + ("" if ok or not detail else f" ({detail})"), flush=True)
    if not ok:
        failures.append(name)


def fdtget(dtb, node, prop, kind="x"):
    out = subprocess.run(["fdtget", "-t", kind, dtb, node, prop], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def cells(dtb, node, prop):
    v = fdtget(dtb, node, prop)
    return [int(x, 16) for x in v.split()] if v else []


def field(report, pattern):
    m = re.search(pattern, report, re.MULTILINE)
    return m.group(1) if m else None


def check_tree(board_dtb, evk_dtb):
    """Facts from the trees: what the reports must say."""
    gic = cells(evk_dtb, "/soc@0/interrupt-controller@38800000", "reg")
    mem = cells(board_dtb, "/memory@40000000", "reg")
    stdout = fdtget(board_dtb, "/chosen", "stdout-path", "s")
    alias = fdtget(board_dtb, "/aliases", "serial0", "s")
    irq = cells(board_dtb, UART, "interrupts")
    check("board tree: RAM 2 GiB at 0x40000000 (the overlay's, not the EVK's 3 GiB)",
          mem == [0, 0x40000000, 0, 0x80000000], str(mem))
    check("board tree: stdout-path serial0:115200n8, serial0 = UART1",
          stdout == "serial0:115200n8" and alias == UART, f"{stdout} -> {alias}")
    check("board tree: UART1 interrupt is SPI 26 (INTID 58)", irq[:2] == [0, 26], str(irq))
    check("EVK tree: a GICv3 with distributor and redistributors", len(gic) >= 4, str(gic))
    return {"ram": (mem[1], mem[3]) if len(mem) == 4 else (0, 0),
            "gicd": gic[0] if gic else None, "gicr": gic[2] if len(gic) > 2 else None,
            "gicr_size": gic[3] if len(gic) > 3 else None}


def check_report(system, report, facts):
    base, size = facts["ram"]
    ram = field(report, r"^  RAM +(0x[0-9a-f]+-0x[0-9a-f]+ \(0x[0-9a-f]+ bytes\))$")
    check(f"{system}: report RAM is the board's", ram == f"{base:#x}-{base + size:#x} ({size:#x} bytes)", ram)
    gicd = field(report, r"^  GICD +(0x[0-9a-f]+)$")
    gicr = field(report, r"^  GICR +(0x[0-9a-f]+ \(0x[0-9a-f]+ bytes\))$")
    check(f"{system}: report GICD is the imx8mq tree's", gicd == f"{facts['gicd']:#x}", gicd)
    check(f"{system}: report GICR is the imx8mq tree's",
          gicr == f"{facts['gicr']:#x} ({facts['gicr_size']:#x} bytes)", gicr)
    check(f"{system}: EL2 timer INTID 26", field(report, r"^  EL2 timer +INTID (\d+)$") == "26")
    console = field(report, r"^  console +(.*)$")
    check(f"{system}: the kernel's console is the i.MX UART1 at 0x30860000", console == "imx at 0x30860000",
          console)
    load = field(report, r"^load address +(0x[0-9a-f]+)$")
    end = field(report, r"^image_end +(0x[0-9a-f]+) ")
    return int(load, 16) if load else None, int(end, 16) if end else None


def check_header(system, image, load, end, ram_base):
    with open(image, "rb") as f:
        head = f.read(64)
    size = os.path.getsize(image)
    code0, _, text_offset, image_size, flags = struct.unpack_from("<IIQQQ", head, 0)
    magic = head[0x38:0x3c]
    check(f"{system}: Image magic ARM\\x64 at 0x38", magic == b"ARM\x64", repr(magic))
    check(f"{system}: code0 is a branch (b)", code0 >> 26 == 0b000101, f"{code0:#x}")
    check(f"{system}: little-endian, 4 KiB pages, bit 3 clear (booti places it at RAM base + text_offset)",
          flags & 1 == 0 and (flags >> 1) & 3 == 1 and not flags & 8, f"flags {flags:#x}")
    check(f"{system}: text_offset 0x200000 puts it where it is linked (the report's load address)",
          text_offset == 0x200000 and load == ram_base + text_offset, f"{text_offset:#x}, load {load}")
    check(f"{system}: image_size covers the file and the whole layout (image_end)",
          load is not None and end is not None and image_size == end - load and image_size >= size,
          f"image_size {image_size:#x}, file {size:#x}, layout {end and load and end - load:#x}")


def check_guest_tree(image, report, load):
    """The passthrough guest's device tree, read out of the image at the report's address."""
    m = re.search(r"^  linux_dtb +(0x[0-9a-f]+) +(0x[0-9a-f]+) ", report, re.MULTILINE)
    check("passthrough: the report places the guest's device tree", bool(m))
    if not m:
        return
    pa, size = int(m.group(1), 16), int(m.group(2), 16)
    with open(image, "rb") as f:
        f.seek(pa - load)
        blob = f.read(size)
    check("passthrough: the guest's device tree is an FDT", blob[:4] == b"\xd0\x0d\xfe\xed", blob[:4].hex())
    with tempfile.NamedTemporaryFile(suffix=".dtb") as t:
        t.write(blob)
        t.flush()
        clk = cells(t.name, UART, "clocks")
        nodes = subprocess.run(["fdtget", "-l", t.name, "/"], capture_output=True, text=True).stdout.split()
        rates = {n: cells(t.name, "/" + n, "clock-frequency") for n in nodes if n.startswith("clock-passthrough")}
        phandles = {n: cells(t.name, "/" + n, "phandle") for n in rates}
        ccm = subprocess.run(["fdtget", t.name, "/soc@0/bus@30000000/clock-controller@30380000", "compatible"],
                             capture_output=True, text=True)
        gic = cells(t.name, "/soc@0/interrupt-controller@38800000", "reg")
        irq = cells(t.name, UART, "interrupts")
        dmas = fdtget(t.name, UART, "dmas")
    check("passthrough: the guest's UART1 runs from a fixed 25 MHz clock (the i.MX 8M Quad oscillator)",
          rates.get("clock-passthrough-25000000") == [25000000] and
          clk == [phandles["clock-passthrough-25000000"][0]] * 2, f"clocks {clk}, {rates}, {phandles}")
    check("passthrough: the clock controller is not in the guest's tree", ccm.returncode != 0, ccm.stdout)
    check("passthrough: the guest's UART keeps SPI 26 and has no DMA", irq[:2] == [0, 26] and dmas is None,
          f"{irq} dmas {dmas}")
    check("passthrough: the guest's GIC is the distributor and one redistributor frame",
          gic == [0x38800000, 0x10000, 0x38880000, 0x20000], str(gic))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board-dir", required=True, help="$(BUILD)/maaxboard")
    ap.add_argument("--evk-tree", required=True, help="Debian's imx8mq-evk.dtb")
    args = ap.parse_args()
    facts = check_tree(os.path.join(args.board_dir, "board.dtb"), args.evk_tree)
    for system in ("passthrough", "serial"):
        d = os.path.join(args.board_dir, system)
        with open(os.path.join(d, "report.txt")) as f:
            report = f.read()
        load, end = check_report(system, report, facts)
        check_header(system, os.path.join(d, "system.img"), load, end, facts["ram"][0])
        if system == "passthrough":
            check("passthrough: the VMM gets UART1's INTID 58 on channel 1",
                  re.search(r"^  IRQ +INTID 58 -> VMM channel 1$", report, re.MULTILINE) is not None)
            check_guest_tree(os.path.join(d, "system.img"), report, load)
        else:
            check("serial: the i.MX driver imx_uart.elf owns UART1",
                  re.search(r"^PD \d+ 'serial_driver': .*program \S*/imx_uart\.elf", report, re.MULTILINE)
                  is not None)
            check("serial: the driver gets UART1's INTID 58",
                  re.search(r"^  IRQ +INTID 58 \(level\) on driver channel \d+$", report, re.MULTILINE) is not None)
            # The i.MX8MQ's UART root runs from its 25 MHz oscillator (24 MHz would be 4% off).
            check("serial: the reference clock is the CCM's 25 MHz oscillator input",
                  re.search(r"^  ref clock +25000000 Hz from the reference input of \S*clock-controller", report,
                            re.MULTILINE) is not None)
    if failures:
        print(f"maaxboard images: {len(failures)} check(s) FAILED")
        return 1
    print("maaxboard images: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
