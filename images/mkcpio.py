#!/usr/bin/python3
"""Writes a directory tree as a newc cpio archive (the format the Linux initramfs loader reads).

Written here instead of calling cpio(1) so that the archive can hold device nodes without root,
every entry is owned by root, and the bytes depend only on the tree's contents (fixed mtime,
sorted names, sequential inode numbers).

Usage: mkcpio.py DIR [--node PATH:c|b:MAJOR:MINOR:MODE]... > out.cpio
"""
import argparse
import os
import stat
import sys

MTIME = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))


def header(ino, mode, nlink, size, rmajor, rminor, namesize):
    fields = [ino, mode, 0, 0, nlink, MTIME, size, 0, 0, rmajor, rminor, namesize, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * (-n % 4)


class Writer:
    def __init__(self, out):
        self.out = out
        self.ino = 0x1000

    def entry(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        self.ino += 1
        bname = name.encode() + b"\0"
        head = header(self.ino, mode, nlink, len(data), rdev[0], rdev[1], len(bname))
        self.out.write(head + bname + pad4(len(head) + len(bname)))
        self.out.write(data + pad4(len(data)))


def parse_node(spec):
    path, kind, major, minor, mode = spec.split(":")
    ftype = {"c": stat.S_IFCHR, "b": stat.S_IFBLK}[kind]
    return path.strip("/"), ftype | int(mode, 8), (int(major), int(minor))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--node", action="append", default=[], type=parse_node)
    args = ap.parse_args()

    entries = {}
    for root, dirs, files in os.walk(args.dir):
        for n in dirs + files:
            full = os.path.join(root, n)
            entries[os.path.relpath(full, args.dir)] = full
    nodes = {path: (mode, rdev) for path, mode, rdev in args.node}

    w = Writer(sys.stdout.buffer)
    # Sorted, so a directory always comes before what it holds.
    for name in sorted(set(entries) | set(nodes)):
        if name in nodes:
            mode, rdev = nodes[name]
            w.entry(name, mode, rdev=rdev)
            continue
        full = entries[name]
        st = os.lstat(full)
        perm = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            w.entry(name, stat.S_IFLNK | 0o777, os.readlink(full).encode())
        elif stat.S_ISDIR(st.st_mode):
            w.entry(name, stat.S_IFDIR | perm, nlink=2)
        elif stat.S_ISREG(st.st_mode):
            with open(full, "rb") as f:
                w.entry(name, stat.S_IFREG | perm, f.read())
        else:
            sys.exit(f"mkcpio: {full}: unsupported file type (use --node for devices)")
    w.entry("TRAILER!!!", 0)


if __name__ == "__main__":
    main()
