"""Progress lines of a build, told to whoever listens in this process.

`unga build --no-dagster` passes its printer down directly. Through Dagster the assets
run in the same process (`dg.materialize`), but Dagster's console logger is silenced to
keep its event lines off the terminal; the assets therefore also :func:`emit` their
lines here, and `unga build` listens (:func:`listening`) while its runs execute. A run
launched by the daemon has no listener, and only Dagster's log gets the lines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[Callable[[str], None]] = []
_lock = threading.Lock()


@contextmanager
def listening(say: Callable[[str], None]) -> Iterator[None]:
    """Send every line emitted in this process to ``say`` while the block runs."""
    with _lock:
        _listeners.append(say)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(say)


def emit(line: str) -> None:
    for say in list(_listeners):
        say(line)


# What each layer's progress line shows, in this order: the counts a reader can check.
_SHOWN = {
    "raw": ("sources", "documents", "rejected"),
    "staging": ("resolution", "paragraph", "footnote", "rejected", "duplicates", "superseded"),
    "core": ("resolutions", "paragraphs", "footnotes", "citations"),
    "enrich": ("bridge_paragraph_theme", "bridge_paragraph_actor", "bridge_paragraph_instrument", "mandates"),
    "marts": ("theme_trend_by_year", "mandates_by_entity_year"),
    "global_marts": ("environmental_crime_trend", "citation_edges", "series", "paragraph_lineage"),
}
_LABELS = {"resolution": "resolutions", "paragraph": "paragraphs", "footnote": "footnotes",
           "bridge_paragraph_theme": "theme tags", "bridge_paragraph_actor": "actor mentions",
           "bridge_paragraph_instrument": "instrument mentions", "theme_trend_by_year": "theme-year rows",
           "citation_edges": "citation edges", "mandates_by_entity_year": "entity-year rows",
           "environmental_crime_trend": "crime-trend rows", "series": "series members",
           "paragraph_lineage": "lineage rows", "sources": "files", "rejected": "quarantined",
           "duplicates": "duplicates", "superseded": "superseded"}


def describe(result) -> str:
    """One progress line for a layer: "core: 332 resolutions, 13,929 paragraphs, ..."."""
    name = result.layer.replace("_", " ")
    if result.skipped:
        return f"{name} unchanged"
    shown = [f"{result.counts[k]:,} {_LABELS.get(k, k)}" for k in _SHOWN.get(result.layer, ())
             if result.counts.get(k) or k in ("resolution", "resolutions", "documents")]
    return f"{name}: " + (", ".join(shown) or "done")


