"""Environmental crime: mentions, paragraphs and resolutions per GA session (or calendar
year) by sub-theme, partial periods marked, and the resolutions behind any point one
click away."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl
import streamlit as st

from dashboards import charts, render, ui

MEASURES = {"mentions": "Mentions", "paragraphs": "Paragraphs", "resolutions": "Resolutions"}
PARENT = "environmental_crime"
# One colour per theme, the same in the three charts and the legend above them.
PALETTE = ["#1f4e79", "#ff7f0e", "#2ca02c", "#8c564b", "#9467bd", "#17becf", "#d62728", "#7f7f7f", "#bcbd22"]


def _key(measure: str) -> str:
    return f"env_chart_{measure}"


def _period_key(period_type: str) -> str:
    return f"env_{period_type}"


def _apply_click(measure: str, period_type: str) -> None:
    """A click on a point picks its period and theme in the pickers below the charts (the
    chart's on_select callback: it runs before the rerun, so the pickers can be set)."""
    points = ui.selected_points(st.session_state.get(_key(measure)), "point")
    if points and "period" in points[0] and "theme" in points[0]:
        st.session_state[_period_key(period_type)] = int(points[0]["period"])
        st.session_state["env_theme"] = str(points[0]["theme"])


def page() -> None:
    st.title("Environmental crime")
    st.caption("Crimes that affect the environment and their six sub-themes (wildlife, timber, waste, "
               "minerals, fisheries, pollution) in the resolutions adopted in each GA session (or calendar "
               "year). Click a point to list the resolutions behind it.")
    period_type = ui.period_picker("env_period_type")
    trend = ui.load("env_crime_trend", period_type=period_type)
    if trend.is_empty():
        ui.empty("The snapshot has no environmental-crime trend yet: rebuild it with `make run` (or `unga build`).")
        return

    trend = trend.with_columns(pl.col("theme").map_elements(render.short_label, return_dtype=pl.String)
                               .alias("name"))
    periods = sorted(trend["period"].unique().to_list())
    period_labels = dict(zip(trend["period"].to_list(), trend["period_label"].to_list()))
    names = trend.unique("theme", keep="first").sort(["is_parent", "theme"], descending=[True, False])
    themes = names["theme"].to_list()
    labels = dict(zip(themes, names["theme_label"].to_list()))
    colors = dict(zip(themes, PALETTE * 2))

    show_parent = st.toggle("Show environmental crime as a whole (a paragraph naming several sub-themes "
                            "counts once)", value=True, key="env_parent")
    shown = trend if show_parent else trend.filter(~pl.col("is_parent"))
    shown_themes = [t for t in themes if t in set(shown["theme"].to_list())]
    ui.legend({render.short_label(t): colors[t] for t in shown_themes})

    color = alt.Color("theme:N", legend=None, scale=alt.Scale(domain=shown_themes,
                                                               range=[colors[t] for t in shown_themes]))
    columns = st.columns(len(MEASURES))
    for column, (measure, title) in zip(columns, MEASURES.items()):
        point = alt.selection_point(name="point", fields=["period", "theme"], on="click", clear="dblclick")
        base = alt.Chart(shown.select("period", "period_label", "theme", "name", "theme_label", "is_parent",
                                      "coverage", "is_partial", "partial_reason", measure)).encode(
            x=charts.period_x(period_type),
            y=alt.Y(f"{measure}:Q", title=title),
            color=color,
        )
        lines = charts.partial_lines(base.encode(
            strokeWidth=alt.condition("datum.is_parent", alt.value(3), alt.value(1.6))))
        dots = base.mark_point(filled=True, size=60).encode(
            opacity=alt.condition(point, alt.value(1.0), alt.value(0.4)),
            shape=charts.partial_shape(),
            tooltip=[alt.Tooltip("theme_label:N", title="Theme"), alt.Tooltip(f"{measure}:Q", title=title),
                     *charts.period_tooltips(period_type)],
        ).add_params(point)
        flagged = charts.partial_labels(base, per="period")
        with column:
            st.markdown(f"**{title}**")
            ui.altair(alt.layer(lines, dots, flagged).properties(height=280), key=_key(measure),
                      on_select=partial(_apply_click, measure, period_type))
    ui.period_notes(trend)
    ui.download(trend.drop("name"), f"environmental_crime_trend_by_{period_type}")

    st.subheader("The resolutions behind a point")
    parent_periods = trend.filter((pl.col("theme") == PARENT) & (pl.col("resolutions") > 0))["period"].to_list()
    period_key = _period_key(period_type)
    if st.session_state.get(period_key) not in periods:
        st.session_state[period_key] = max(parent_periods or periods)
    st.session_state.setdefault("env_theme", PARENT if PARENT in themes else themes[0])
    c1, c2 = st.columns([1, 3])
    period = c1.selectbox(charts.PERIOD_TITLES[period_type], periods, key=period_key,
                          format_func=lambda p: period_labels.get(p, str(p)))
    theme = c2.selectbox("Theme", themes, key="env_theme", format_func=lambda t: labels.get(t, t))
    row = trend.filter((pl.col("period") == period) & (pl.col("theme") == theme))
    where = period_labels.get(period, str(period))
    if row.is_empty() or row["resolutions"][0] == 0:
        ui.empty(f"No resolution adopted in {where} speaks of {render.short_label(theme).lower()}.")
        ui.query_time_caption()
        return
    r = row.row(0, named=True)
    change = r["mentions_change"]
    c = st.columns(4)
    c[0].metric("Resolutions", r["resolutions"], help=f"of {r['all_resolutions']} adopted in {where}")
    c[1].metric("Paragraphs", r["paragraphs"], help=f"{r['preambular_paragraphs']} preambular, "
                f"{r['operative_paragraphs']} operative")
    c[2].metric("Mentions", r["mentions"], delta=None if change is None else int(change), delta_color="off",
                help=f"Matches of the theme's phrases; the change is from the {period_type} before.")
    c[3].metric("Share of all paragraphs", render.pct(r["paragraph_share"], 2))
    if r["is_partial"]:
        st.caption(f"{where} is partial: {r['partial_reason']}.")
    behind = ui.load("env_crime_resolutions", period_type=period_type, period=int(period), theme=str(theme))
    st.markdown(f"**{labels.get(theme, theme)}, {where}**: " + ", ".join(behind["symbol"].to_list()))
    st.dataframe(
        ui.with_links(behind),
        hide_index=True,
        column_config={
            "symbol": ui.symbol_column(),
            "title": st.column_config.TextColumn("Title", width="large"),
            "adopted_on": st.column_config.DateColumn("Adopted"),
            "session": st.column_config.NumberColumn("Session"),
            "committee": st.column_config.TextColumn("Committee"),
            "paragraphs": st.column_config.NumberColumn("Paragraphs"),
            "preambular_paragraphs": st.column_config.NumberColumn("Preambular"),
            "operative_paragraphs": st.column_config.NumberColumn("Operative"),
            "mentions": st.column_config.NumberColumn("Mentions"),
        },
    )
    ui.download(behind, f"environmental_crime_{theme}_{period_type}_{period}", "Download these resolutions (CSV)")
    ui.query_time_caption()
