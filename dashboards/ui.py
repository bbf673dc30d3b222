"""Streamlit helpers shared by the pages: the cached loader, empty states, charts with
their CSV download, and the little HTML the pages write.

:func:`load` is the only way a page gets data: it looks at which snapshot is published
now (:func:`dashboards.queries.current_snapshot`, a stat of the file) and runs the
query through ``st.cache_data`` keyed on that snapshot's identity, so a page rerun is
served from memory, and the first rerun after a publish (a browser refresh) queries the
new file. No connection is kept between reruns (see ``dashboards/queries.py``).
"""

from __future__ import annotations

import time

import altair as alt
import polars as pl
import streamlit as st

from dashboards import charts, queries, render
from warehouse.settings import Paths, paths as data_paths

# Vega-Lite drawn as SVG (Streamlit draws large charts on a canvas otherwise): crisp,
# and its marks and axes are in the page, where a browser test can find them.
SVG = {"embedOptions": {"renderer": "svg"}}

CSS = """
<style>
.unga-hit {border-left: 3px solid #1f77b4; padding: 0.1rem 0 0.1rem 0.8rem; margin: 0 0 1.1rem 0;}
.unga-hit .meta {font-size: 0.85rem; color: #555;}
.unga-hit .text {margin: 0.25rem 0;}
.unga-hit mark {background: #ffe08a; padding: 0 1px;}
.unga-hit .lead {font-style: italic;}
.unga-hit .notes {font-size: 0.82rem; color: #444; margin: 0.2rem 0 0 0; padding-left: 1.1rem;}
.unga-para {padding: 0.35rem 0 0.35rem 0.8rem; margin: 0 0 0.6rem 0; border-left: 3px solid #bbb;}
.unga-para.new {border-left-color: #2ca02c;}
.unga-para.changed {border-left-color: #ff7f0e;}
.unga-para.dropped {border-left-color: #d62728;}
.unga-para .meta {font-size: 0.85rem; color: #555;}
.unga-para del {background: #fdd; color: #8b0000; text-decoration: line-through;}
.unga-para ins {background: #dfd; color: #064; text-decoration: none;}
.unga-para.dropped .text {color: #777; text-decoration: line-through;}
.unga-badge {display: inline-block; font-size: 0.75rem; padding: 0 0.4rem; border-radius: 0.6rem;
             margin-right: 0.4rem; background: #eee;}
.unga-badge.new {background: #dfd;} .unga-badge.changed {background: #ffe6cc;}
.unga-badge.dropped {background: #fdd;}
</style>
"""


def paths() -> Paths:
    return data_paths()


def style() -> None:
    st.html(CSS)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, path: str, identity: tuple, params: dict):
    # identity (inode, mtime, size) is only part of the key: a new publish, a new entry.
    return queries.run(path, name, **params)


def snapshot(required: bool = True) -> queries.Snapshot | None:
    """The published snapshot; without one, a page shows how to build it and stops."""
    snap = queries.current_snapshot(paths())
    if snap is None and required:
        no_snapshot()
        st.stop()
    return snap


def no_snapshot() -> None:
    st.info(f"{queries.NO_SNAPSHOT}.\n\nThe dashboard reads `{paths().snapshot}` "
            "(set the data directory with `UNGA_DATA_DIR` or `make dashboard DATA_DIR=...`).",
            icon=":material/inventory_2:")


def load(name: str, **params):
    """Run the registered query ``name`` on the published snapshot, cached per snapshot."""
    snap = snapshot()
    started = time.perf_counter()
    result = _cached(name, snap.path, snap.key, params)
    timings = st.session_state.setdefault("_timings", {})
    timings[name] = timings.get(name, 0.0) + (time.perf_counter() - started)
    return result


def query_time_caption() -> None:
    """How long this page's queries took (cached ones take about nothing)."""
    timings = st.session_state.get("_timings") or {}
    if timings:
        total = sum(timings.values()) * 1000
        detail = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])[:4])
        st.caption(f"Queries on this page: {total:.0f} ms ({detail}).")


def reset_timings() -> None:
    st.session_state["_timings"] = {}


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


def altair(spec: alt.TopLevelMixin, **kwargs):
    """``st.altair_chart`` of ``spec`` as SVG, stretched to its column, with the shared axis
    settings (:data:`dashboards.charts.CONFIG`: every category labelled, "0" on its tick).
    Every chart of the pages goes through here."""
    kwargs.setdefault("width", "stretch")
    return st.altair_chart(charts.configure(spec).properties(usermeta=SVG), **kwargs)


def chart(spec: alt.TopLevelMixin, data: pl.DataFrame, name: str, *, key: str | None = None,
          on_select="ignore", height: int | str = "content"):
    """An Altair chart with a "Download data (CSV)" button under it for ``data``.

    ``on_select`` is "ignore", "rerun" or a callback (Streamlit's); with a selection the
    event is returned and also kept in ``st.session_state[key]``.
    """
    event = altair(spec, height=height, key=key, on_select=on_select)
    download(data, name)
    return event


def download(data: pl.DataFrame, name: str, label: str = "Download data (CSV)") -> None:
    st.download_button(label, render.csv_bytes(data), file_name=f"{name}.csv", mime="text/csv",
                       key=f"download-{name}", on_click="ignore", icon=":material/download:")


def selected_points(event, param: str) -> list[dict]:
    """The points a chart selection ``param`` holds (empty when nothing is selected)."""
    if not event:
        return []
    try:
        selection = event["selection"]
    except (KeyError, TypeError):
        selection = getattr(event, "selection", None) or {}
    points = selection.get(param) if hasattr(selection, "get") else None
    return list(points or [])


def symbol_column(label: str = "Resolution") -> st.column_config.LinkColumn:
    """A resolution symbol shown as a link to the official document on undocs.org."""
    return st.column_config.LinkColumn(label, display_text=r"https://undocs\.org/en/(.*)")


def with_links(frame: pl.DataFrame, column: str = "symbol") -> pl.DataFrame:
    """``column`` (symbols) replaced by undocs.org addresses, for :func:`symbol_column`."""
    return frame.with_columns(
        pl.col(column).map_elements(render.undocs_url, return_dtype=pl.String).alias(column))


def legend(items: dict[str, str]) -> None:
    """A row of coloured dots naming the series of the charts under it ({name: colour})."""
    spans = "".join(
        f'<span style="margin-right:1.2rem;white-space:nowrap"><span style="display:inline-block;width:0.75rem;'
        f'height:0.75rem;border-radius:50%;background:{render.esc(c)};margin-right:0.35rem;'
        f'vertical-align:-1px"></span>{render.esc(n)}</span>' for n, c in items.items())
    st.html(f'<div style="font-size:0.9rem;line-height:1.9">{spans}</div>')


def small_multiples(charts: list[tuple[str, alt.TopLevelMixin]], columns: int = 3, key: str = "sm") -> None:
    """Charts side by side, ``columns`` to a row, each filling its column (titled)."""
    for start in range(0, len(charts), columns):
        row = st.columns(columns)
        for i, (title, spec) in enumerate(charts[start:start + columns]):
            with row[i]:
                st.markdown(f"**{render.esc(title)}**")
                altair(spec, key=f"{key}-{start + i}")


PERIOD_CHOICES = {"session": "GA session", "year": "Calendar year"}


def period_picker(key: str, container=None) -> str:
    """"session" (the default: the Assembly works and is analysed by session) or "year"."""
    where = container if container is not None else st
    return where.radio("Count by", list(PERIOD_CHOICES), format_func=PERIOD_CHOICES.get, horizontal=True,
                       key=key, help="GA sessions run from September to September; a calendar year holds "
                       "the end of one session and the start of the next.")


def period_notes(frame: pl.DataFrame, drawn: str = charts.PARTIAL_DRAWN) -> None:
    """Captions naming each partial period the charts show and why (marts.period_coverage),
    then ``drawn`` (how the charts mark them), and the periods whole in time but lacking
    single resolutions, with their coverage."""
    for text in (charts.partial_caption(frame, drawn=drawn), charts.coverage_caption(frame)):
        if text:
            st.caption(text)
