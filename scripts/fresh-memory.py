#!/usr/bin/env python3
"""How long this machine takes to hand a process fresh memory.

Maps SIZE GiB of anonymous memory, asks for transparent huge pages
(`huge`) or small pages (`small`), writes one byte into every 4 KiB page
and prints the time, every half GiB and in all. On a virtual machine
whose host takes freed memory back, the figure depends on how long ago
the guest freed what it is given (docs/performance.md, "The last-level
cache and fresh memory"):

    scripts/fresh-memory.py 2.1 huge
    dd if=/dev/zero of=/dev/shm/w bs=1M count=8192; rm /dev/shm/w; scripts/fresh-memory.py 2.1 huge
"""

import mmap
import sys
import time

HALF_GIB = 512 << 20
PAGE = 4096


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[2] not in ("huge", "small"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    size = int(float(sys.argv[1]) * (1 << 30))
    size -= size % (2 << 20)
    if size <= 0:
        print("SIZE must be at least 2 MiB", file=sys.stderr)
        return 2
    memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    memory.madvise(mmap.MADV_HUGEPAGE if sys.argv[2] == "huge" else mmap.MADV_NOHUGEPAGE)
    start = time.perf_counter()
    for offset in range(0, size, HALF_GIB):
        chunk = min(HALF_GIB, size - offset)
        memory[offset : offset + chunk : PAGE] = b"\x01" * (chunk // PAGE)
        print(f"{(offset + chunk) / (1 << 30):.2f} GiB: {time.perf_counter() - start:.2f} s")
    elapsed = time.perf_counter() - start
    print(f"{size / (1 << 30):.2f} GiB, {sys.argv[2]} pages: {elapsed:.2f} s ({elapsed * (1 << 30) / size:.2f} s per GiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
