#!/usr/bin/python3
"""System test of systems/imx8mp_evk/virtio_console4_cores4.system: four guests, one per core on
all four cores, so that every core is busy at once (the kernel lock's hand-over between cores
that are not all running: docs/kernel.md, "The kernel lock"). The same checks as
test_virtio_console4.py."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_virtio_console  # noqa: E402

if __name__ == "__main__":
    sys.exit(test_virtio_console.main(["guest0", "guest1", "guest2", "guest3"], stress=False))
