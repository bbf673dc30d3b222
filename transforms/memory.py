"""Give memory the build has freed back to the operating system.

A build frees most of what a step allocated when the step ends (Polars frames of a session's
paragraphs, the series lineage's batches), but glibc's allocator keeps freed blocks of the
main heap for reuse instead of returning them, so the process's resident memory stays at
the step's peak for the rest of the build and every later step adds its own peak on top
of it. Measured on the global step of the synthetic 10x corpus: 1742 MB resident after
it, 1349 MB after ``malloc_trim(0)``, with nothing in use released. Dask's workers trim the
same way for the same reason.

Only on Linux with glibc; elsewhere (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import platform


@functools.cache
def _trim():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """Collect garbage and return the heap's free blocks to the OS; True when trimmed."""
    gc.collect()
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
