"""Which processes a test started, and whether any is still alive (Linux, from /proc; no psutil).

A process is named by its pid and its start time (field 22 of ``/proc/<pid>/stat``), so a
pid reused by an unrelated process is not mistaken for it. A zombie (exited, not yet
reaped: in a container, init may never reap the orphans it inherits) counts as gone.

Two ways to find a test's processes:

* ``descendants(pid)``: the tree under ``pid`` now, through the parent pids in
  ``/proc/*/stat``. An orphan is re-parented to init and leaves the tree, so record the
  tree *before* its root dies.
* ``carrying(name, value)``: every process whose environment, as it was started, holds
  ``name=value``. Children inherit the environment, so a marker set before starting a
  process tree finds all of it, orphans included.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Proc:
    pid: int
    start: int  # clock ticks after boot
    cmd: str

    def alive(self) -> bool:
        st = _stat(self.pid)
        return st is not None and st[2] == self.start and st[0] not in ("Z", "X", "x")

    def __str__(self) -> str:
        return f"{self.pid} ({self.cmd[:160]})"


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, None when there is none."""
    try:
        data = (PROC / str(pid) / "stat").read_bytes()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()  # after "pid (comm) ", comm may hold spaces
    return fields[0].decode(), int(fields[1]), int(fields[19])


def _cmd(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def _pids() -> list[int]:
    return [int(name) for name in os.listdir(PROC) if name.isdigit()]


def process(pid: int) -> Proc | None:
    st = _stat(pid)
    return None if st is None else Proc(pid, st[2], _cmd(pid))


def descendants(pid: int) -> list[Proc]:
    """Every living process under ``pid`` (children, their children, ...), not ``pid`` itself."""
    children: dict[int, list[int]] = {}
    for p in _pids():
        st = _stat(p)
        if st is not None and st[0] not in ("Z", "X", "x"):
            children.setdefault(st[1], []).append(p)
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        found = process(p)
        if found is not None:
            out.append(found)
        todo += children.get(p, [])
    return sorted(out, key=lambda proc: proc.pid)


def carrying(name: str, value: str) -> list[Proc]:
    """Every living process started with ``name=value`` in its environment (other users' are skipped)."""
    needle = f"{name}={value}".encode()
    out = []
    for p in _pids():
        try:
            environ = (PROC / str(p) / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found = process(p)
            if found is not None and found.alive():
                out.append(found)
    return sorted(out, key=lambda proc: proc.pid)


def survivors(find: Callable[[], Iterable[Proc]], seconds: float, step: float = 0.1) -> list[Proc]:
    """Poll ``find`` until no process it names is alive, or ``seconds`` have passed; the survivors."""
    deadline = time.monotonic() + seconds
    while True:
        alive = sorted({p for p in find() if p.alive()}, key=lambda proc: proc.pid)
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(step)


def spin(seconds: float) -> int:
    """Busy in pure Python (holding the GIL between bytecodes) for ``seconds``: a worker mid-task.

    Here, not in a test module, so that a spawned worker imports only the standard library."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return n
