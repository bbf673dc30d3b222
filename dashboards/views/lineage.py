"""Series lineage: pick a recurring resolution, step from one adoption to the next, and see
its new, changed (word-level diff) and dropped paragraphs."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboards import render, ui

STATUSES = ["changed", "new", "dropped", "unchanged"]
DEFAULT_SYMBOL = "A/RES/78/229"  # Strengthening the crime prevention programme: the bundled example


def _series_label(row: dict) -> str:
    first = row["first_symbol"].removeprefix("A/RES/")
    last = row["last_symbol"].removeprefix("A/RES/")
    return f"{row['title']} ({first} … {last}, {row['adoptions']} adoptions)"


def _step(delta: int, options: list[str]) -> None:
    current = st.session_state.get("lineage_step")
    i = options.index(current) if current in options else len(options) - 1
    st.session_state["lineage_step"] = options[max(0, min(len(options) - 1, i + delta))]


def _reset_step() -> None:
    st.session_state.pop("lineage_step", None)


def _para_html(row: dict) -> str:
    status = row["status"]
    kind = {"preambular": "pre", "operative": "op", "annex": "annex"}.get(row["kind"], row["kind"])
    now = row["number"] or row["ordinal"]
    before = row["predecessor_number"] or row["predecessor_ordinal"]
    if status == "dropped":
        where = f"{kind} {before} of {row['predecessor_symbol']}"
    elif status == "new":
        where = f"{kind} {now}"
    else:
        where = f"{kind} {now} (was {kind} {before})"
    similarity = ""
    if status == "changed" and row.get("similarity") is not None:
        similarity = f" · similarity {row['similarity']:.2f}"
    if status == "changed":
        body = render.diff_html(row["diff"])
    else:
        body = render.highlight_html(row["text"], [])
    return (f'<div class="unga-para {status}"><div class="meta"><span class="unga-badge {status}">{status}</span>'
            f"{render.esc(where)}{similarity}</div><div class=\"text\">{body}</div></div>")


def page() -> None:
    st.title("Series lineage")
    st.caption("Recurring resolutions, adoption by adoption: which paragraphs are new, which were reworded "
               "(removed words struck through in red, added words in green) and which were dropped.")
    series = ui.load("series_list")
    if series.is_empty():
        ui.empty("The snapshot has no recurring resolutions yet: it needs at least two sessions. "
                 "Build them with `make run` (or `unga build`).")
        return
    ids = series["series_id"].to_list()
    labels = {r["series_id"]: _series_label(r) for r in series.iter_rows(named=True)}

    # A ?symbol= in the address (or the bundled example) picks the series and the step.
    wanted = st.query_params.get("symbol") or DEFAULT_SYMBOL
    if "lineage_series" not in st.session_state:
        found = ui.load("series_of_symbol", symbol=wanted)
        if found.is_empty() and st.query_params.get("symbol"):
            st.warning(f"{wanted} is not part of a recurring series in the loaded sessions.",
                       icon=":material/warning:")
        st.session_state["lineage_series"] = found["series_id"][0] if found.height else ids[0]
        if found.height:
            st.session_state["lineage_step"] = found["symbol"][0]
    series_id = st.selectbox("Recurring resolution", ids, key="lineage_series", format_func=labels.get,
                             on_change=_reset_step, help="Type to filter by title.")
    adoptions = ui.load("series_adoptions", series_id=series_id)
    steps = adoptions.filter(pl.col("predecessor_symbol").is_not_null())["symbol"].to_list()
    if not steps:
        ui.empty("This series has a single adoption in the loaded sessions.")
        return
    if st.session_state.get("lineage_step") not in steps:
        st.session_state["lineage_step"] = steps[-1]

    c = st.columns([1, 6, 1])
    c[0].button("Previous", icon=":material/arrow_back:", on_click=_step, args=(-1, steps),
                disabled=st.session_state["lineage_step"] == steps[0], key="lineage_prev")
    symbol = c[1].select_slider("Adoption", steps, key="lineage_step", label_visibility="collapsed",
                                format_func=lambda s: s.removeprefix("A/RES/"))
    c[2].button("Next", icon=":material/arrow_forward:", on_click=_step, args=(1, steps),
                disabled=symbol == steps[-1], key="lineage_next")
    st.query_params["symbol"] = symbol
    st.caption("Adoptions: " + " → ".join(
        f"{r['symbol'].removeprefix('A/RES/')} ({r['year']})" for r in adoptions.iter_rows(named=True)))

    step = adoptions.filter(pl.col("symbol") == symbol).row(0, named=True)
    previous = step["predecessor_symbol"]
    st.subheader(f"{previous} → {symbol}")
    st.caption(f"{step['title']} · adopted {step['adopted_on']:%d %B %Y}" if step["adopted_on"] else step["title"])
    m = st.columns(5)
    m[0].metric("Paragraphs", step["paragraphs"], delta=int(step["paragraphs"] - step["predecessor_paragraphs"]),
                delta_color="off",
                help=f"{step['predecessor_paragraphs']} in {previous}")
    m[1].metric("Unchanged", step["unchanged"])
    m[2].metric("Changed", step["changed"])
    m[3].metric("New", step["new"])
    m[4].metric("Dropped", step["dropped"])

    with st.expander("The whole series, adoption by adoption", expanded=False):
        long = (adoptions.filter(pl.col("predecessor_symbol").is_not_null())
                .select(pl.col("symbol").str.strip_prefix("A/RES/").alias("adoption"), "year",
                        *STATUSES)
                .unpivot(index=["adoption", "year"], on=STATUSES, variable_name="status", value_name="paragraphs"))
        bars = alt.Chart(long).mark_bar().encode(
            x=alt.X("adoption:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("paragraphs:Q", title="Paragraphs"),
            color=alt.Color("status:N", sort=STATUSES, scale=alt.Scale(
                domain=STATUSES, range=["#ff7f0e", "#2ca02c", "#d62728", "#c7c7c7"])),
            tooltip=["adoption:N", "year:O", "status:N", "paragraphs:Q"],
        ).properties(height=220)
        ui.chart(bars, adoptions, "series_steps")

    rows = ui.load("lineage_step", symbol=symbol)
    show = st.pills("Show", STATUSES, default=["changed", "new", "dropped"], selection_mode="multi",
                    key="lineage_show")
    shown = rows.filter(pl.col("status").is_in(list(show or [])))
    ui.download(rows, f"lineage_{symbol.replace('/', '_')}", "Download all paragraphs of this step (CSV)")
    if shown.is_empty():
        ui.empty("No paragraph with the statuses picked.")
    else:
        for kind in ["preambular", "operative", "annex"]:
            part = shown.filter(pl.col("kind") == kind)
            if part.is_empty():
                continue
            st.markdown(f"**{kind.capitalize()} paragraphs** ({part.height})")
            st.html("".join(_para_html(r) for r in part.iter_rows(named=True)))
    ui.query_time_caption()
