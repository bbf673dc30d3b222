"""A process pool for the CPU-bound, pure-Python stages: parsing and extraction.

Parsing XML and finding themes, actors and instruments are Python loops that hold the
GIL; threads cannot share them out, processes can. A build hands each session's
documents (and later its paragraphs, split by resolution) to the pool and puts the
results back together in input order, so the output is the same as one process gives.

The pool is created on first use and lives as long as the process, and the workers no
longer: they end with it however it ends. A normal or failed exit stops them through
``concurrent.futures``' exit hook (or ``shutdown``); a process that dies without running
it (SIGKILL, SIGTERM, the out-of-memory killer) is noticed by each worker's watchdog
(``_watch_parent``), which ends the worker within ``WATCH_INTERVAL``; the multiprocessing
resource tracker then exits too, as the last holder of its pipe is gone. Workers are
started with ``spawn``: forking a process that already runs DuckDB's and Polars' thread
pools can deadlock the child. ``UNGA_WORKERS`` sets the number of workers (default: the
cores, at most 4); ``UNGA_WORKERS=1`` does everything in the calling process. A pool
that breaks (a worker killed, or workers that cannot start) is dropped and the work is
done in process.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

ENV_VAR = "UNGA_WORKERS"
MAX_DEFAULT = 4
WATCH_INTERVAL = 0.2  # seconds between a worker's looks at its parent

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None
_failed = False  # workers could not be used in this process


def workers() -> int:
    """How many worker processes to use (1: none, work in the calling process)."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError as exc:
            raise ValueError(f"{ENV_VAR}={value!r}: expected a whole number of worker processes") from exc
    return max(1, min(MAX_DEFAULT, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1)))


def _watch_parent(parent: int) -> None:
    """Initializer of each worker: exit the moment the process that started the pool is gone.

    A worker blocked on the pool's call queue never sees the parent die (it holds both ends
    of that pipe itself), so without this it would wait forever, re-parented to init. A
    daemon thread compares ``os.getppid()`` with the parent's pid: when the parent dies,
    however it dies, the worker is re-parented and the pid changes. ``os._exit`` then ends
    the worker even in the middle of a task, without waiting for it (a Python loop yields
    the GIL to the watchdog every few milliseconds; a single C call that holds the GIL
    delays it until that call returns).

    Not ``prctl(PR_SET_PDEATHSIG)``: that signal fires when the *thread* that spawned the
    worker exits, and the executor spawns workers from whichever thread submits work (the
    publication's threads, Dagster's), which would kill healthy workers. ``getppid`` names
    the parent process, whose pid stays the same whichever of its threads spawned the worker.
    """
    if os.getppid() != parent:  # the parent died while this worker was starting
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="unga-parent-watchdog", daemon=True).start()


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool, _pool_pid
    n = workers()
    if n < 2:
        return None
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            # Each worker runs one task at a time: one Polars thread each is enough, and
            # keeps the workers from competing with each other for the cores.
            saved = os.environ.get("POLARS_MAX_THREADS")
            os.environ["POLARS_MAX_THREADS"] = "1"
            try:
                _pool = ProcessPoolExecutor(n, mp_context=mp.get_context("spawn"),
                                            initializer=_watch_parent, initargs=(os.getpid(),))
            finally:
                if saved is None:
                    os.environ.pop("POLARS_MAX_THREADS", None)
                else:
                    os.environ["POLARS_MAX_THREADS"] = saved
            _pool_pid = os.getpid()
        return _pool


def shutdown() -> None:
    """Stop the workers (they are also stopped when the process exits)."""
    global _pool
    with _lock:
        if _pool is not None and _pool_pid == os.getpid():
            _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def map_ordered(fn: Callable[[T], R], items: Sequence[T], *, chunksize: int = 1) -> list[R]:
    """``[fn(x) for x in items]``, spread over the worker processes.

    ``fn`` must be a module-level function and ``items`` and the results picklable.
    Exceptions raised by ``fn`` propagate as in a plain loop; a broken pool (a worker
    died) falls back to running the remaining work here.
    """
    global _failed
    pool = _get_pool() if len(items) > 1 and not _failed else None
    if pool is None:
        return [fn(x) for x in items]
    try:
        return list(pool.map(fn, items, chunksize=max(1, chunksize)))
    except (BrokenProcessPool, OSError) as exc:
        # Workers could not start or died (killed, out of memory, or a main module they
        # cannot import, as for code piped to `python -`): do the work here, and do not
        # try again in this process.
        _failed = True
        logging.getLogger(__name__).warning("worker processes unavailable (%s); working in one process", exc)
        shutdown()
        return [fn(x) for x in items]


def start(warm: Callable[[int], object] | None = None) -> None:
    """Start the workers now, each running ``warm`` (imports, caches), without waiting.

    Called when a build begins, so that the workers' start-up (an interpreter, the
    imports: about a second) overlaps the build's first steps instead of its parsing.
    """
    if _failed:
        return
    pool = _get_pool()
    if pool is None:
        return
    for i in range(workers()):
        pool.submit(warm or int, i)


def split(n_items: int, parts: int | None = None) -> list[range]:
    """Contiguous ranges covering ``range(n_items)``, one per worker (fewer when small)."""
    parts = max(1, min(parts or workers(), n_items))
    size, extra = divmod(n_items, parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(range(start, end))
        start = end
    return [r for r in out if len(r)]
