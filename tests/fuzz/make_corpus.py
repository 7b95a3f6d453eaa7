#!/usr/bin/python3
"""Writes the seed corpora under tests/fuzz/corpus/ (committed; rerun after a fixture changes).

The file targets take the unit-test fixtures as they are: the systems and error systems of
tests/unit/fixtures, and the DTBs, ELFs and Images `make test-unit` builds in BUILD/host/test.
The VMM targets take byte strings in the layout their fuzz_*.c decodes, written here as small
scenarios (Linux's vGIC probe, an SPI delivered and completed, PSCI calls, MMIO exits...).

usage: make_corpus.py BUILD/host/test
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "unit", "fixtures")
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def copy(target, path, name=None):
    with open(path, "rb") as f:
        put(target, name or os.path.basename(path), f.read())


def u8(v): return struct.pack("<B", v & 0xff)
def u16(v): return struct.pack("<H", v & 0xffff)
def u32(v): return struct.pack("<I", v & 0xffffffff)
def u64(v): return struct.pack("<Q", v & 0xffffffffffffffff)


# fuzz_vgic.c: one byte of vCPU count, then ops (low 3 bits: 0-3 MMIO, 4 raise, 5 EOI,
# 6 SGI1R, 7 LR held by the kernel). MMIO: op bit 3 write, bits 4-5 log2 size; then vCPU,
# frame selector (0 GICD, 1 RD, 2 SGI; frame index in sel/4), offset u16, value u64 if a write.
def vgic_wr(off, val, frame=0, idx=0, size=4, vcpu=0):
    return u8(0x08 | {1: 0, 2: 1, 4: 2, 8: 3}[size] << 4) + u8(vcpu) + u8(frame | idx << 2) + u16(off) + u64(val)


def vgic_rd(off, frame=0, idx=0, size=4, vcpu=0):
    return u8({1: 0, 2: 1, 4: 2, 8: 3}[size] << 4) + u8(vcpu) + u8(frame | idx << 2) + u16(off)


def vgic_raise(vcpu, intid): return u8(4) + u8(vcpu) + u16(intid)
def vgic_eoi(vcpu, lr): return u8(5) + u8(vcpu | lr << 4)
def vgic_sgi1r(vcpu, v): return u8(6) + u8(vcpu) + u64(v)


def linux_probe(nv):
    s = vgic_rd(0x0004) + vgic_rd(0x0008) + vgic_rd(0xffe8) + vgic_wr(0x0000, 0x13)
    for v in range(nv):
        s += vgic_rd(0xffe8, 1, v) + vgic_rd(0x0008, 1, v, 8) + vgic_wr(0x0014, 0, 1, v)
        s += vgic_rd(0x0014, 1, v) + vgic_wr(0x0080, 0xffffffff, 2, v) + vgic_wr(0x0100, 0x0800ffff, 2, v)
    for n in range(1, 4):
        s += vgic_wr(0x0080 + 4 * n, 0xffffffff) + vgic_wr(0x0400 + 4 * 8 * n, 0xa0a0a0a0)
    return s


def vgic_seeds():
    put("vgic", "probe2", u8(1) + linux_probe(2))
    put("vgic", "probe8", u8(7) + linux_probe(8))
    spi = linux_probe(2) + vgic_wr(0x0104, 0x2) + vgic_wr(0x6000 + 8 * 1, 1, size=8) + vgic_raise(0, 33)
    spi += vgic_eoi(0, 0) + vgic_raise(0, 33) + vgic_wr(0x0184, 0x2) + vgic_wr(0x0284, 0x2)
    spi += vgic_wr(0x0104, 0x2) + vgic_raise(0, 33) + vgic_eoi(0, 0)
    put("vgic", "spi_cycle", u8(1) + spi)
    many = linux_probe(1) + vgic_wr(0x0104, 0xffffffff) + b"".join(vgic_raise(0, 32 + i) for i in range(8))
    many += b"".join(vgic_eoi(0, lr) for lr in range(4)) + u8(7) + u8(0x10) + vgic_raise(0, 50)
    put("vgic", "overflow", u8(0) + many)
    sgi = linux_probe(4) + vgic_sgi1r(0, 1 << 40 | 0xf) + vgic_sgi1r(1, 3 << 24 | 1) + vgic_eoi(1, 0)
    sgi += vgic_wr(0x0418, 0x90a0b0c0, 2, 1) + vgic_wr(0x041b, 0x10, 2, 1, size=1) + vgic_rd(0x0c04, 2, 0)
    put("vgic", "sgi", u8(3) + sgi)
    odd = vgic_rd(0x5000) + vgic_rd(0x0001, size=2) + vgic_wr(0x6100, 0xffffffffffffffff, size=8)
    odd += vgic_rd(0x0c08, size=1) + u8(0x03) + u8(0) + u8(3) + u64(0x080a0000 + 0x20000 * 9)
    put("vgic", "odd", u8(1) + odd)


# fuzz_exits.c: ops (low 3 bits: 0 notify ch, 1 LR completed, else one exit; exit label in
# (op >> 3) % 7 of VM, VCPU, VGIC_MAINT, VPPI, UNDEF, SYSCALL, OTHER; bit 7: raw ESR).
# An exit: who, iss u32, ec index, [esr u64], pc u32, addr (sel, value), [mr0 u8], x0 sel
# [u64], x1..x3 (flag, value), SRT value.
EC = {"dabt": 0, "iabt": 2, "hvc": 3, "smc": 4, "sys": 5, "wfx": 6, "unknown": 7}
FIDS = [0x84000000, 0x84000001, 0x84000002, 0x84000003, 0xc4000003, 0x84000004, 0xc4000004,
        0x84000006, 0x84000008, 0x84000009, 0x8400000a, 0x80000000, 0x80000001]


def exit_(label, ec, iss=0, pc=0x4000, addr=(0, 0), fid=None, x=(0, 0, 0), srt=0, vcpu=0, mr0=None):
    s = u8(2 | label << 3) + u8(vcpu) + u32(iss) + u8(EC[ec]) + u32(pc)
    s += u8(addr[0]) + (u16(addr[1]) if addr[0] == 0 else u32(addr[1]) if addr[0] in (1, 2) else u64(addr[1]))
    if label in (2, 3):
        s += u8(mr0 or 0)
    s += u8(2 * FIDS.index(fid)) if fid is not None else u8(0xff) + u64(0)
    for v in x:
        s += u8(1) + u8(v)
    return s + u64(srt)


def dabt_iss(write, size, reg):
    return 1 << 24 | {1: 0, 2: 1, 4: 2, 8: 3}[size] << 22 | reg << 16 | (1 << 6 if write else 0) | 1 << 15


def exits_seeds():
    probe = exit_(0, "dabt", dabt_iss(False, 4, 1), addr=(0, 0x0004))
    probe += exit_(0, "dabt", dabt_iss(True, 4, 2), addr=(0, 0x0000), srt=0x13)
    probe += exit_(0, "dabt", dabt_iss(True, 4, 3), addr=(1, 0x10100), srt=0xffffffff)
    probe += exit_(0, "dabt", dabt_iss(False, 8, 4), addr=(1, 0x20008))
    put("exits", "vgic_mmio", probe)
    psci = exit_(1, "hvc", fid=0x84000000) + exit_(1, "hvc", fid=0x8400000a, x=(3, 0, 0))
    psci += exit_(1, "hvc", fid=0xc4000003, x=(1, 0, 0)) + exit_(1, "smc", fid=0xc4000004, x=(1, 0, 0))
    psci += exit_(1, "hvc", fid=0x84000002, vcpu=1) + exit_(1, "hvc", fid=0x80000001, x=(0, 0, 0))
    put("exits", "psci", psci)
    put("exits", "reset", exit_(1, "hvc", fid=0x84000009) + exit_(1, "hvc", fid=0x84000008))
    sysreg = 3 << 20 | 0 << 17 | 12 << 10 | 11 << 1 | 5 << 14 | 2 << 5
    irq = exit_(1, "sys", sysreg) + exit_(3, "dabt", mr0=27) + u8(1) + u8(0) + u8(0) + u8(5)
    irq += exit_(2, "dabt", mr0=0) + exit_(1, "wfx") + exit_(4, "unknown")
    put("exits", "irqs", irq)
    bad = exit_(0, "iabt", addr=(2, 0x1000)) + exit_(0, "dabt", 1 << 7, addr=(3, 0x9000000))
    bad += exit_(0, "dabt", 0, addr=(3, 0x9000000)) + exit_(1, "unknown", vcpu=0xf5)
    put("exits", "errors", bad)


# fuzz_guest_image.c: selector (bit 0 random RAM base, else 0x40000000 + (sel >> 1) * 2 MiB),
# [ram base u64], RAM size u32, DTB bytes u16, DTB totalsize u32, DTB address (sel, u64),
# initrd bytes u16, initrd address (sel, u64), then the kernel Image.
def placement(ram_size, dtb_size, dtb_total, dtb_off, initrd_size, initrd_off):
    return (u8(0) + u32(ram_size) + u16(dtb_size) + u32(dtb_total) + u8(0) + u64(dtb_off) +
            u16(initrd_size) + u8(0) + u64(initrd_off))


def file_seeds(test_out):
    for f in ("valid.system", "guest.system", "vm.system", "guest_gpc.system", "serial.system",
              "virtio_multiport.system"):
        copy("sdesc", os.path.join(FIX, f))
    err = os.path.join(FIX, "err")
    for f in sorted(os.listdir(err)):
        if os.path.getsize(os.path.join(err, f)) <= 8192:
            copy("sdesc", os.path.join(err, f), "err_" + f)
    for f in ("board", "board_gpc", "board_imx", "board_nogic", "board_tiny", "board_serial"):
        copy("board", os.path.join(test_out, f + ".dtb"))
    for f in ("pd.elf", "pd_high.elf", "pd.o", "pd_x86.elf", "vmm.elf", "kernel.elf",
              "kernel_no_symbol.elf"):
        copy("elf", os.path.join(test_out, f))
    for f in ("Image", "Image_bad_magic", "Image_huge", "Image_nosize", "Image_text_offset"):
        copy("image", os.path.join(test_out, f))
        with open(os.path.join(test_out, f), "rb") as k:
            kernel = k.read()
        put("guest_image", f, placement(0x400000, 0x100, 0x100, 0x3f0000, 0x1000, 0x300000) + kernel)
    with open(os.path.join(test_out, "Image"), "rb") as k:
        kernel = k.read()
    put("guest_image", "overlap", placement(0x400000, 0x100, 0x100, 0x100, 0x1000, 0x3ff800) + kernel)
    put("guest_image", "tight", placement(0x200000, 0x40, 0x40, 0x1ffff8, 0, 0) + kernel[:64])


# fuzz_elf_fields.c: role (0 PD, 1 VMM, 2 kernel), then edits: kind (low 2 bits: 0 symbol,
# 1 program header, 2 section header, 3 ELF header; kind / 4 picks the field), index, a byte
# choosing the value's form (0 u16, 1 u64, 2 2^64-1-u16, 3 1 << u8), then the value.
def elf_edit(kind, field, index, value):
    return u8(kind | field << 2) + u8(index) + u8(1) + u64(value)


def elf_fields_seeds():
    for role, name in enumerate(("pd", "vmm", "kernel")):
        put("elf_fields", name, u8(role))
    # pd.elf's symbol 13 is microkit_name, 22 shared_paddr (issue 6, class 2).
    put("elf_fields", "name_size_wraps", u8(0) + elf_edit(0, 1, 13, 0xffffffffffffffff))
    put("elf_fields", "setvar_value_wraps", u8(0) + elf_edit(0, 0, 22, 0xfffffffffffffff8))
    put("elf_fields", "segment_sizes", u8(0) + elf_edit(1, 3, 0, 0xffffffffffff0000) + elf_edit(1, 4, 1, 1 << 40))
    put("elf_fields", "kernel_shoff", u8(2) + elf_edit(3, 2, 0, 0xfffffffffffffff0))


# fuzz_board_fields.c: edits of board.dtb: op (0-1 cells, 2 bytes, 3 delete: bit 2 property,
# else node), node index, property (names[] index; >= 0x80: the node's own), length, value.
def board_fields_seeds():
    put("board_fields", "plain", b"")
    put("board_fields", "reg_empty", u8(0) + u8(5) + u8(0) + u8(0))
    put("board_fields", "cells_wrap", u8(0) + u8(0) + u8(2) + u8(1) + u8(2))
    put("board_fields", "interrupts_odd", u8(2) + u8(7) + u8(1) + u8(5) + b"\x00\x00\x00\x01\x02")
    put("board_fields", "del_nodes", u8(3) + u8(3) + u8(0) + u8(0) + u8(7) + u8(9) + u8(0x80) + u8(0))
    # 32 edits of deterministic pseudo-random bytes, so inputs may grow to that many edits.
    x, many = 1, b""
    for _ in range(32 * 12):
        x = (x * 1103515245 + 12345) & 0x7fffffff
        many += u8(x >> 16)
    put("board_fields", "many", many)


# fuzz_vmm_config.c: num_virtio (u8), then vmm_config.virtio[] (struct vmm_virtio_dev, 160 bytes
# each: device_id, intid, mmio_ipa, mmio_size, flags, cols, rows, num_ports, reserved, then
# three ports of serial_client u32, flags u32, name[32]).
def console_dev(intid, ipa, flags, ports):
    d = u32(3) + u32(intid) + u64(ipa) + u64(0x1000) + u32(flags) + u16(80) + u16(24) + u32(len(ports)) + u32(0)
    for client, pflags, name in ports + [(0, 0, b"")] * (3 - len(ports)):
        d += u32(client) + u32(pflags) + name.ljust(32, b"\0")[:32]
    return d


def vmm_config_seeds():
    put("vmm_config", "single", u8(1) + console_dev(48, 0xa000000, 0, [(0, 1, b"")]))
    put("vmm_config", "two_ports", u8(1) + console_dev(48, 0xa000000, 1, [(1, 1, b"main"), (3, 1, b"aux")]))
    put("vmm_config", "three_ports_two_devs",
        u8(2) + console_dev(48, 0xa000000, 3, [(0, 1, b"a"), (1, 0, b"b"), (2, 1, b"")]) +
        console_dev(49, 0xa001000, 1, [(3, 1, b"x"), (4, 0, b"y")]))
    put("vmm_config", "client_twice", u8(1) + console_dev(48, 0xa000000, 1, [(2, 1, b"m"), (2, 1, b"n")]))
    put("vmm_config", "name_unterminated", u8(1) + console_dev(48, 0xa000000, 1, [(0, 1, b"n" * 32)]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    # regress-* files are fixed findings, kept as regression inputs: never regenerated.
    for d, _, names in os.walk(CORPUS):
        for n in names:
            if not n.startswith("regress-"):
                os.remove(os.path.join(d, n))
    file_seeds(sys.argv[1])
    elf_fields_seeds()
    board_fields_seeds()
    vgic_seeds()
    exits_seeds()
    vmm_config_seeds()


if __name__ == "__main__":
    main()
