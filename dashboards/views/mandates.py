"""Mandates: which UN entities the Assembly asks to do what, per GA session (or calendar
year), partial periods marked."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl
import streamlit as st

from dashboards import charts, ui

ALL = 0  # the "any period" choice of the period picker (no session or year is 0)
CHART_KEY = "mandates_chart"
ALL_LABELS = {"session": "All sessions", "year": "All years"}


def _period_key(period_type: str) -> str:
    return f"mandates_{period_type}"


def _period_name(period_type: str, period: int) -> str:
    if period == ALL:
        return ALL_LABELS[period_type]
    return charts.session_label(period) if period_type == "session" else str(period)


def _apply_click(period_type: str) -> None:
    """A click on a cell picks its entity and period in the pickers below the chart."""
    points = ui.selected_points(st.session_state.get(CHART_KEY), "cell")
    if points and "actor_id" in points[0]:
        st.session_state["mandates_entity"] = str(points[0]["actor_id"])
        if points[0].get("period") is not None:
            st.session_state[_period_key(period_type)] = int(points[0]["period"])


def page() -> None:
    st.title("Mandates")
    st.caption("Operative paragraphs that request or direct a UN organ or entity to act (\"Requests the "
               "Secretary-General to report ...\"), per entity and GA session (or calendar year). Click a "
               "cell to read the mandates behind it.")
    c0, _ = st.columns([2, 3])
    period_type = ui.period_picker("mandates_period_type", c0)
    per_period = ui.load("mandates_by_entity_period", period_type=period_type)
    if per_period.is_empty():
        ui.empty("The snapshot has no mandates yet: rebuild it with `make run` (or `unga build`).")
        return
    totals = (per_period.group_by("actor_id").agg(pl.col("entity").first(), pl.col("mandates").sum(),
                                                  pl.col("reports_requested").sum())
              .sort(["mandates", "actor_id"], descending=[True, False]))
    top_n = st.slider("Entities shown", 5, min(40, totals.height), min(15, totals.height), key="mandates_top")
    top = totals.head(top_n).with_columns(
        pl.col("entity").map_elements(charts.wrap, return_dtype=pl.String).alias("entity_lines"))
    data = per_period.filter(pl.col("actor_id").is_in(top["actor_id"].to_list())).join(
        top.select("actor_id", "entity_lines"), on="actor_id", how="left")
    order = top["entity_lines"].to_list()
    cell = alt.selection_point(name="cell", fields=["actor_id", "period"], on="click", clear="dblclick")
    base = alt.Chart(data).encode(
        x=charts.period_x(period_type, orient="top", partial=charts.partial_periods(data)),
        y=alt.Y("entity_lines:N", title=None, sort=order, axis=charts.wrapped_axis()),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("mandates:Q", title="Mandates", scale=alt.Scale(scheme="blues", type="sqrt")),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("entity:N", title="Entity"),
                 alt.Tooltip("mandates:Q", title="Mandates"), alt.Tooltip("resolutions:Q", title="Resolutions"),
                 alt.Tooltip("reports_requested:Q", title="Reports requested"),
                 *charts.period_tooltips(period_type)],
        **charts.partial_outline(),
    ).add_params(cell)
    labels = base.mark_text(fontSize=11).encode(
        text="mandates:Q",
        color=alt.condition("datum.mandates > 150", alt.value("white"), alt.value("#222")))
    spec = alt.layer(heat, labels).properties(height=max(220, charts.row_step(order) * top_n))
    st.subheader(f"Mandates per entity and {'GA session' if period_type == 'session' else 'calendar year'}")
    ui.chart(spec, data.drop("entity_lines"), f"mandates_by_entity_{period_type}", key=CHART_KEY,
             on_select=partial(_apply_click, period_type))
    ui.period_notes(data, drawn=charts.HEAT_PARTIAL_DRAWN)

    st.subheader("Who is asked to do what")
    entities = totals["actor_id"].to_list()
    names = dict(zip(entities, totals["entity"].to_list()))
    periods = sorted(per_period["period"].unique().to_list())
    st.session_state.setdefault("mandates_entity", entities[0])
    c = st.columns([3, 1, 1])
    actor = c[0].selectbox("Entity", entities, key="mandates_entity", format_func=lambda a: names.get(a, a))
    period = c[1].selectbox(charts.PERIOD_TITLES[period_type], [ALL, *periods], key=_period_key(period_type),
                            format_func=partial(_period_name, period_type))
    reports = c[2].toggle("Reports requested only", key="mandates_reports")
    rows = ui.load("mandates", actor_id=actor, period=None if period == ALL else int(period),
                   period_type=period_type, reports_only=bool(reports), limit=1000)
    if rows.is_empty():
        ui.empty(f"No mandate for {names.get(actor, actor)} with these filters.")
    else:
        more = " (the first 1000)" if rows.height >= 1000 else ""
        st.markdown(f"**{rows.height} mandates**{more} for {names.get(actor, actor)}"
                    + ("" if period == ALL else f" in {_period_name(period_type, period)}") + ", latest first.")
        st.dataframe(
            ui.with_links(rows),
            hide_index=True,
            column_order=["session", "year", "symbol", "number", "verb", "action", "report_session", "report_to",
                          "title"],
            column_config={
                "session": st.column_config.NumberColumn("Session", format="%d"),
                "year": st.column_config.NumberColumn("Year", format="%d"),
                "symbol": ui.symbol_column(),
                "number": st.column_config.TextColumn("Para."),
                "verb": st.column_config.TextColumn("Clause"),
                "action": st.column_config.TextColumn("Asked to", width="large"),
                "report_session": st.column_config.TextColumn("Report at session"),
                "report_to": st.column_config.TextColumn("Report to"),
                "title": st.column_config.TextColumn("Resolution title", width="medium"),
            },
        )
        ui.download(rows, f"mandates_{actor}", "Download these mandates (CSV)")
    ui.query_time_caption()
