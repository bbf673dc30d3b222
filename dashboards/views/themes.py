"""Themes: any crime theme over time, side by side, preambular against operative."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboards import charts, render, ui

DEFAULT = ["environmental_crime", "corruption", "trafficking_in_persons"]
MEASURES = {
    "Paragraphs": ("preambular_paragraphs", "operative_paragraphs"),
    "Share of all paragraphs": ("preambular_share", "operative_share"),
    "Mentions": ("preambular_mentions", "operative_mentions"),
}
PARTS = {"Preambular": "#8c8c8c", "Operative": "#1f77b4"}


def page() -> None:
    st.title("Themes")
    st.caption("How often the General Assembly speaks of each crime theme, session by session (or year by "
               "year): in the preamble (what it recalls, notes and is concerned about) against the operative "
               "part (what it decides, requests and urges). A share is of all the preambular (operative) "
               "paragraphs adopted in the period; a calendar year adds up the parts of two sessions.")
    themes = ui.load("themes")
    if themes.is_empty():
        ui.empty("The snapshot has no themes yet: rebuild it with `make run` (or `unga build`).")
        return
    labels = dict(zip(themes["theme"].to_list(), themes["label"].to_list()))
    codes = themes["theme"].to_list()
    c1, c2, c3 = st.columns([3, 1, 1])
    picked = c1.multiselect("Themes", codes, default=[t for t in DEFAULT if t in codes] or codes[:3],
                            format_func=lambda t: labels.get(t, t), key="themes_picked")
    measure = c2.radio("Measure", list(MEASURES), key="themes_measure")
    period_type = ui.period_picker("themes_period_type", c3)
    if not picked:
        ui.empty("Pick one or more themes.")
        return
    trend = ui.load("theme_trend", themes=list(picked), period_type=period_type)
    if trend.is_empty():
        ui.empty("No rows for these themes in the snapshot.")
        return
    pre, op = MEASURES[measure]
    share = measure.startswith("Share")
    index = ["theme", "theme_label", "period", "period_label", "coverage", "is_partial", "partial_reason"]
    long = (trend.select(*index, pl.col(pre).alias("Preambular"), pl.col(op).alias("Operative"))
            .unpivot(index=index, on=list(PARTS), variable_name="part", value_name="value"))

    st.subheader(f"{measure}, preambular against operative")
    ui.legend(PARTS)
    panels = []
    for theme in picked:
        base = alt.Chart(long.filter(pl.col("theme") == theme)).encode(
            x=charts.period_x(period_type),
            y=alt.Y("value:Q", title=measure, axis=alt.Axis(format=".1%" if share else "d")),
            color=alt.Color("part:N", legend=None, scale=alt.Scale(domain=list(PARTS), range=list(PARTS.values()))),
            tooltip=[alt.Tooltip("theme_label:N", title="Theme"), alt.Tooltip("part:N", title="Part"),
                     alt.Tooltip("value:Q", title=measure, format=".2%" if share else "d"),
                     *charts.period_tooltips(period_type)],
        )
        panels.append((render.short_label(theme),
                       alt.layer(charts.partial_lines(base, strokeWidth=2),
                                 base.mark_point(filled=True, size=45).encode(shape=charts.partial_shape()),
                                 charts.partial_labels(base, per="period"))
                       .properties(height=220)))
    ui.small_multiples(panels, key="themes_trend")
    ui.period_notes(trend)
    ui.download(trend, f"theme_trend_by_{period_type}")

    st.subheader("What the Assembly does about them: operative verbs")
    verbs = ui.load("theme_verbs", themes=list(picked), top=8)
    if verbs.is_empty():
        ui.empty("No operative paragraph on these themes.")
    else:
        panels = []
        for theme in picked:
            part = verbs.filter(pl.col("theme") == theme)
            if part.is_empty():
                continue
            panels.append((render.short_label(theme), charts.hbar(
                part, "verb:N", "paragraphs:Q", value_title="Operative paragraphs, all sessions",
                color=PARTS["Operative"],
                tooltip=["verb:N", "paragraphs:Q", alt.Tooltip("share:Q", format=".1%"), "mentions:Q"])))
        ui.small_multiples(panels, key="themes_verbs")
        ui.download(verbs, "theme_verbs")
    ui.query_time_caption()
