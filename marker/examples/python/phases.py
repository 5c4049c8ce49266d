"""aiprof markers from Python through ctypes: an epoch of two steps, each loading then computing.

Run: python3 phases.py /path/to/libaiprof.so   (or set AIPROF_LIBRARY; default: libaiprof.so
on the loader's path). Prints each marker call with the thread id and the CLOCK_MONOTONIC
readings just before and after it.
"""

import contextlib
import ctypes
import os
import sys
import threading
import time

lib = ctypes.CDLL(
    sys.argv[1] if len(sys.argv) > 1 else os.environ.get("AIPROF_LIBRARY", "libaiprof.so")
)
lib.aiprof_phase_begin.argtypes = [ctypes.c_char_p]
lib.aiprof_phase_begin.restype = None
lib.aiprof_phase_end.argtypes = []
lib.aiprof_phase_end.restype = None


@contextlib.contextmanager
def phase(name):
    """Marks the enclosed block as phase `name` on the calling thread."""
    before = time.monotonic_ns()
    lib.aiprof_phase_begin(name.encode())
    print(f"begin {name} tid={threading.get_native_id()} mono={before}..{time.monotonic_ns()}")
    try:
        yield
    finally:
        before = time.monotonic_ns()
        lib.aiprof_phase_end()
        print(f"end {name} tid={threading.get_native_id()} mono={before}..{time.monotonic_ns()}")


print(f"pid={os.getpid()} abi={lib.aiprof_abi_version()}")
with phase("epoch"):
    for step in range(2):
        with phase("load"):
            time.sleep(0.02)
        with phase("compute"):
            time.sleep(0.03)
