"""Citations: the most-cited instruments and documents per GA session (or calendar year),
partial periods marked."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl
import streamlit as st

from dashboards import charts, queries, ui

CHART_KEY = "citations_chart"
TYPE_LABELS = {
    "convention": "Conventions", "protocol": "Protocols", "standard": "Standards and norms",
    "declaration": "Declarations", "programme_of_action": "Programmes of action", "agenda": "Agendas",
    "ga_resolution": "GA resolutions", "sc_resolution": "Security Council resolutions",
    "ecosoc_resolution": "ECOSOC resolutions", "hrc_resolution": "Human Rights Council resolutions",
    "ccpcj_resolution": "CCPCJ resolutions", "cnd_resolution": "CND resolutions",
    "cop_resolution": "COP decisions and resolutions", "document": "Other documents",
}


def _period_key(period_type: str) -> str:
    return f"citations_{period_type}"


def _period_name(period_type: str, period: int) -> str:
    return charts.session_label(period) if period_type == "session" else str(period)


def _apply_click(period_type: str) -> None:
    """A click on a cell picks its instrument and period in the pickers below the chart."""
    points = ui.selected_points(st.session_state.get(CHART_KEY), "cell")
    if points and "instrument_id" in points[0]:
        st.session_state["citations_instrument"] = str(points[0]["instrument_id"])
        if points[0].get("period") is not None:
            st.session_state[_period_key(period_type)] = int(points[0]["period"])


def page() -> None:
    st.title("Citations")
    st.caption("The instruments and documents resolutions cite (by name, by link or in a footnote), "
               "ranked by the number of citing resolutions over the whole span, GA session by session (or "
               "year by year). Click a cell for the resolutions citing it then.")
    types = ui.load("instrument_types")
    if types.is_empty():
        ui.empty("The snapshot has no citations yet: rebuild it with `make run` (or `unga build`).")
        return
    available = types["instrument_type"].to_list()
    default = [t for t in queries.NAMED_INSTRUMENT_TYPES if t in available] or available
    c = st.columns([3, 1, 1])
    picked = c[0].multiselect("Kinds of instrument", available, default=default, key="citations_types",
                              format_func=lambda t: TYPE_LABELS.get(t, t))
    top = c[1].slider("Most cited", 5, 30, 12, key="citations_top")
    period_type = ui.period_picker("citations_period_type", c[2])
    if not picked:
        ui.empty("Pick at least one kind of instrument.")
        return
    trend = ui.load("citation_trend", types=list(picked), top=int(top), period_type=period_type)
    if trend.is_empty():
        ui.empty("Nothing of these kinds is cited.")
        return
    trend = trend.with_columns(pl.col("name").map_elements(charts.wrap, return_dtype=pl.String).alias("name_lines"))
    order = trend.unique("instrument_id", keep="first", maintain_order=True)["name_lines"].to_list()
    cell = alt.selection_point(name="cell", fields=["instrument_id", "period"], on="click", clear="dblclick")
    base = alt.Chart(trend).encode(
        x=charts.period_x(period_type, orient="top", partial=charts.partial_periods(trend)),
        y=alt.Y("name_lines:N", title=None, sort=order, axis=charts.wrapped_axis()),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("resolutions:Q", title="Citing resolutions", scale=alt.Scale(scheme="greens")),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("name:N", title="Instrument"),
                 alt.Tooltip("resolutions:Q", title="Citing resolutions"),
                 alt.Tooltip("paragraphs:Q", title="Paragraphs"), alt.Tooltip("citations:Q", title="Citations"),
                 *charts.period_tooltips(period_type)],
        **charts.partial_outline(),
    ).add_params(cell)
    text = base.mark_text(fontSize=11).encode(text="resolutions:Q")
    rows = trend["instrument_id"].n_unique()
    spec = alt.layer(heat, text).properties(height=max(200, max(26, charts.row_step(order)) * rows))
    st.subheader(f"Resolutions citing each instrument, per {'GA session' if period_type == 'session' else 'calendar year'}")
    ui.chart(spec, trend.drop("name_lines"), f"citation_trend_by_{period_type}", key=CHART_KEY,
             on_select=partial(_apply_click, period_type))
    ui.period_notes(trend, drawn=charts.HEAT_PARTIAL_DRAWN)

    ids = trend.unique("instrument_id", keep="first", maintain_order=True)
    names = dict(zip(ids["instrument_id"].to_list(), ids["name"].to_list()))
    periods = sorted(trend["period"].unique().to_list())
    if st.session_state.get("citations_instrument") not in names:
        st.session_state["citations_instrument"] = ids["instrument_id"][0]
    st.session_state.setdefault(_period_key(period_type), periods[-1])
    c = st.columns([3, 1])
    instrument = c[0].selectbox("Instrument", list(names), key="citations_instrument", format_func=names.get)
    period = c[1].selectbox(charts.PERIOD_TITLES[period_type], periods, key=_period_key(period_type),
                            format_func=partial(_period_name, period_type))
    citing = ui.load("citing_resolutions", instrument_id=instrument, period=int(period), period_type=period_type)
    when = _period_name(period_type, period)
    if citing.is_empty():
        ui.empty(f"No resolution adopted in {when} cites {names[instrument]}.")
    else:
        st.markdown(f"**{citing.height} resolutions** adopted in {when} cite {names[instrument]}.")
        st.dataframe(ui.with_links(citing), hide_index=True, column_config={
            "symbol": ui.symbol_column(), "title": st.column_config.TextColumn("Title", width="large"),
            "session": st.column_config.NumberColumn("Session", format="%d"),
            "adopted_on": st.column_config.DateColumn("Adopted"),
            "paragraphs": st.column_config.NumberColumn("Paragraphs"),
            "relations": st.column_config.ListColumn("What they do with it"),
            "found_via": st.column_config.ListColumn("Found in"),
        })
        ui.download(citing, "citing_resolutions", "Download these resolutions (CSV)")

    st.subheader("When each is cited")
    span = ui.load("citation_span", types=list(picked), limit=200)
    st.dataframe(span.with_columns(pl.col("instrument_type").replace(TYPE_LABELS)), hide_index=True,
                 column_config={
                     "instrument_id": None, "name": st.column_config.TextColumn("Instrument", width="large"),
                     "instrument_type": "Kind", "first_year": st.column_config.NumberColumn("First", format="%d"),
                     "last_year": st.column_config.NumberColumn("Last", format="%d"),
                     "years_cited": "Years cited", "resolutions": "Resolutions", "paragraphs": "Paragraphs",
                     "first_symbol": "First citing", "last_symbol": "Last citing"})
    ui.download(span, "instrument_citation_span")
    ui.query_time_caption()
