"""Mandates: which UN entities the Assembly asks to do what, per year."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboards import ui

ALL_YEARS = "All years"
CHART_KEY = "mandates_chart"


def _apply_click() -> None:
    points = ui.selected_points(st.session_state.get(CHART_KEY), "cell")
    if points and "actor_id" in points[0]:
        st.session_state["mandates_entity"] = str(points[0]["actor_id"])
        if points[0].get("year") is not None:
            st.session_state["mandates_year"] = int(points[0]["year"])


def page() -> None:
    st.title("Mandates")
    st.caption("Operative paragraphs that request or direct a UN organ or entity to act (\"Requests the "
               "Secretary-General to report ...\"), per entity and calendar year. Click a cell to read the "
               "mandates behind it.")
    per_year = ui.load("mandates_by_entity_year")
    if per_year.is_empty():
        ui.empty("The snapshot has no mandates yet: rebuild it with `make run` (or `unga build`).")
        return
    totals = (per_year.group_by("actor_id").agg(pl.col("entity").first(), pl.col("mandates").sum(),
                                                pl.col("reports_requested").sum())
              .sort(["mandates", "actor_id"], descending=[True, False]))
    top_n = st.slider("Entities shown", 5, min(40, totals.height), min(15, totals.height), key="mandates_top")
    top = totals.head(top_n)
    data = per_year.filter(pl.col("actor_id").is_in(top["actor_id"].to_list()))
    order = top["entity"].to_list()
    cell = alt.selection_point(name="cell", fields=["actor_id", "year"], on="click", clear="dblclick")
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("entity:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("mandates:Q", title="Mandates", scale=alt.Scale(scheme="blues", type="sqrt")),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("entity:N", title="Entity"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("mandates:Q", title="Mandates"), alt.Tooltip("resolutions:Q", title="Resolutions"),
                 alt.Tooltip("reports_requested:Q", title="Reports requested")],
    ).add_params(cell)
    labels = base.mark_text(fontSize=11).encode(
        text="mandates:Q",
        color=alt.condition("datum.mandates > 150", alt.value("white"), alt.value("#222")))
    spec = alt.layer(heat, labels).properties(height=max(220, 24 * top_n))
    st.subheader("Mandates per entity and year")
    ui.chart(spec, data, "mandates_by_entity_year", key=CHART_KEY, on_select=_apply_click)

    st.subheader("Who is asked to do what")
    entities = totals["actor_id"].to_list()
    names = dict(zip(entities, totals["entity"].to_list()))
    years = sorted(per_year["year"].unique().to_list())
    st.session_state.setdefault("mandates_entity", entities[0])
    c = st.columns([3, 1, 1])
    actor = c[0].selectbox("Entity", entities, key="mandates_entity", format_func=lambda a: names.get(a, a))
    year = c[1].selectbox("Year", [ALL_YEARS, *years], key="mandates_year")
    reports = c[2].toggle("Reports requested only", key="mandates_reports")
    rows = ui.load("mandates", actor_id=actor, year=None if year == ALL_YEARS else int(year),
                   reports_only=bool(reports), limit=1000)
    if rows.is_empty():
        ui.empty(f"No mandate for {names.get(actor, actor)} with these filters.")
    else:
        more = " (the first 1000)" if rows.height >= 1000 else ""
        st.markdown(f"**{rows.height} mandates**{more} for {names.get(actor, actor)}"
                    + ("" if year == ALL_YEARS else f" in {year}") + ", latest first.")
        st.dataframe(
            ui.with_links(rows),
            hide_index=True,
            column_order=["year", "symbol", "number", "verb", "action", "report_session", "report_to", "title"],
            column_config={
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
