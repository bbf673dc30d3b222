"""Search: full-text search over paragraphs (BM25), filtered by year, theme, kind and verb;
each hit with its resolution, paragraph number, lead phrase, text with the matched words
highlighted, and its footnotes."""

from __future__ import annotations

import streamlit as st

from dashboards import render, ui
from warehouse.search import KINDS, PER_RESOLUTION, totals, totals_line

ANY = "Any"
ALL = "All"
LIMITS = [20, 50, 100, 200, 500]
# Paragraphs of one resolution at most (warehouse.search.PER_RESOLUTION by default).
PER_RESOLUTION_CHOICES = [1, 2, 3, 5, 10, ALL]


def _hit_html(hit: dict) -> str:
    symbol = hit["symbol"]
    meta = [f'<a href="{render.esc(render.undocs_url(symbol))}" target="_blank"><b>{render.esc(symbol)}</b></a>',
            render.esc(hit["paragraph"]), render.esc(hit["year"])]
    if hit.get("lead_phrase"):
        meta.append(f'<span class="lead">{render.esc(hit["lead_phrase"])}</span>')
    meta.append(f"score {hit['score']:.2f}")
    notes = "".join(f"<li>{render.esc(n)}</li>" for n in (hit.get("footnotes") or []))
    themes = ", ".join(render.short_label(t) for t in (hit.get("themes") or []))
    return (
        f'<div class="unga-hit" data-symbol="{render.esc(symbol)}">'
        f'<div class="meta">{" · ".join(meta)}<br>{render.esc(hit["title"])}</div>'
        f'<div class="text">{render.highlight_html(hit["text"], hit["spans"])}</div>'
        + (f'<div class="meta">Footnotes:</div><ul class="notes">{notes}</ul>' if notes else "")
        + (f'<div class="meta">Themes: {render.esc(themes)}</div>' if themes else "")
        + "</div>"
    )


def page() -> None:
    st.title("Search")
    st.caption("Full-text search over every paragraph (BM25 ranking, English stemming: *trafficking* "
               "finds *trafficked*). Any of the words may match; more and rarer matches rank higher.")
    ui.snapshot()
    years = ui.load("search_years")["year"].to_list()
    themes = ui.load("themes")
    verbs = ui.load("search_verbs")["verb"].to_list()
    labels = dict(zip(themes["theme"].to_list(), themes["label"].to_list()))

    st.session_state.setdefault("search_q", st.query_params.get("q", ""))
    query = st.text_input("Search paragraphs", key="search_q", placeholder="e.g. wildlife trafficking",
                          help="Press Enter to search.")
    c = st.columns([1, 2, 1, 2, 1, 1])
    year = c[0].selectbox("Year", [ANY, *years], key="search_year")
    theme = c[1].selectbox("Theme", [ANY, *themes["theme"].to_list()], key="search_theme",
                           format_func=lambda t: t if t == ANY else labels.get(t, t))
    kind = c[2].selectbox("Kind", [ANY, *KINDS], key="search_kind")
    verb = c[3].selectbox("Verb", [ANY, *verbs], key="search_verb",
                          help="The lead phrase's verb, e.g. requests, urges, calls upon, recalling.")
    limit = c[4].selectbox("Show at most", LIMITS, index=LIMITS.index(100), key="search_limit")
    cap = c[5].selectbox("Per resolution", PER_RESOLUTION_CHOICES,
                         index=PER_RESOLUTION_CHOICES.index(PER_RESOLUTION), key="search_per_resolution",
                         help="At most this many paragraphs of any one resolution, its best ones, so one "
                              "long resolution does not fill the page. All: every matching paragraph.")
    per_resolution = None if cap == ALL else int(cap)

    if not query.strip():
        st.query_params.pop("q", None)
        ui.empty('Type words to search for, e.g. "wildlife", and press Enter.')
        return
    st.query_params["q"] = query
    try:
        hits = ui.load("search_paragraphs", query=query, year=None if year == ANY else int(year),
                       theme=None if theme == ANY else theme, kind=None if kind == ANY else kind,
                       verb=None if verb == ANY else verb, limit=int(limit), per_resolution=per_resolution)
    except ValueError as exc:
        st.warning(str(exc), icon=":material/warning:")
        return
    if hits.is_empty():
        ui.empty(f'No paragraph matches "{query}" with these filters.')
        return
    # The same totals line as `unga search`: what the cap and the limit leave out.
    st.markdown(totals_line(totals(hits, per_resolution), '"All" per resolution shows every one')
                + "; best first.")
    ui.download(hits.drop("spans"), "search_results", "Download these results (CSV)")
    st.html("".join(_hit_html(h) for h in hits.iter_rows(named=True)))
    ui.query_time_caption()
