"""transforms/memory.py: memory a build step freed goes back to the OS."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from transforms.memory import release_freed_memory

# A child process: 150 MB of 1.5 kB strings (malloc'd from the main heap, not Python's small-
# object arenas), all freed but the last one, which pins the top of the heap so glibc cannot
# give the rest back by itself. Prints the resident MB after the free and after the trim.
_CHILD = r"""
import gc
from transforms.memory import release_freed_memory
def rss():
    with open('/proc/self/status') as fh:
        return next(int(l.split()[1]) // 1024 for l in fh if l.startswith('VmRSS'))
blocks = [bytes(1500) + i.to_bytes(4, 'little') for i in range(100_000)]
last = blocks[-1]
del blocks
gc.collect()
before = rss()
assert release_freed_memory()
print(before, rss())
"""


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_freed_heap_is_returned():
    done = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=120, check=True)
    before, after = map(int, done.stdout.split())
    assert before - after > 100, (before, after)  # most of the 150 MB freed back


def test_release_is_safe_to_call_anywhere():
    assert release_freed_memory() in (True, False)


def test_survivors_are_frozen_and_new_cycles_still_collected():
    """What survives a release is left out of later collections (so they stay cheap), and a
    reference cycle made afterwards is still collected."""
    import gc
    import weakref

    class Node:
        pass

    kept = Node()
    release_freed_memory()
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects(generation=2))  # frozen: no collection walks it
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None
