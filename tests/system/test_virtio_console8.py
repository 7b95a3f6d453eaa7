#!/usr/bin/python3
"""System test of systems/qemu_virt/virtio_console8.system: eight guests, four per core. The
checks of test_virtio_console.py that scale with the guests (every guest at login: on hvc0, a
login and commands in each through its own Ctrl-\\ N Enter, nothing typed for one reaching
another); the flood and the reboot are that test's, on the two-guest system."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_virtio_console  # noqa: E402

if __name__ == "__main__":
    sys.exit(test_virtio_console.main([f"guest{i}" for i in range(8)], stress=False))
