"""Shape parsed resolutions into Polars frames, one per staging table.

Frames carry the landing session (the partition) and the id of the document they
came from, so that the warehouse can replace a partition exactly and trace every
row to its source bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from transforms.model import ParsedResolution

RESOLUTION_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "base_symbol": pl.Utf8,
    "part": pl.Utf8,
    "session": pl.Int32,
    "session_label": pl.Utf8,
    "adopted_on": pl.Date,
    "title": pl.Utf8,
    "source_format": pl.Utf8,
    "language": pl.Utf8,
    "agenda_items": pl.List(pl.Utf8),
    "agenda_item_names": pl.List(pl.Utf8),
    "committee": pl.Utf8,
    "originating_document": pl.Utf8,
    "report_symbol": pl.Utf8,
    "report_paragraph": pl.Utf8,
    "plenary_meeting": pl.Utf8,
    "vote_outcome": pl.Utf8,
    "votes_in_favour": pl.Int32,
    "votes_against": pl.Int32,
    "votes_abstaining": pl.Int32,
    "draft_symbol": pl.Utf8,
    "sdgs": pl.List(pl.Utf8),
    "frbr_uri": pl.Utf8,
    "published_on": pl.Date,
    "is_reissue": pl.Boolean,
    "parse_notes": pl.List(pl.Utf8),
}
PARAGRAPH_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "kind": pl.Utf8,
    "ordinal": pl.Int32,
    "number": pl.Utf8,
    "numbering_block": pl.Int32,
    "lead_phrase": pl.Utf8,
    "heading": pl.Utf8,
    "text": pl.Utf8,
    "footnote_markers": pl.List(pl.Utf8),
}
SUBPARAGRAPH_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "sub_ordinal": pl.Int32,
    "label": pl.Utf8,
    "depth": pl.Int32,
    "text": pl.Utf8,
}
FOOTNOTE_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "footnote_ordinal": pl.Int32,
    "marker": pl.Utf8,
    "text": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "location": pl.Utf8,
}
CITATION_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "target_symbol": pl.Utf8,
    "href": pl.Utf8,
    "anchor_text": pl.Utf8,
    "in_footnote": pl.Boolean,
}
SPONSOR_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "role": pl.Utf8,
    "position": pl.Int32,
    "sponsor": pl.Utf8,
}
VOTE_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "vote": pl.Utf8,
    "state": pl.Utf8,
}
KEYWORD_SCHEMA = {
    "document_id": pl.Utf8,
    "symbol": pl.Utf8,
    "dictionary": pl.Utf8,
    "term": pl.Utf8,
}

_VOTES = {"inFavour": "yes", "against": "no", "abstaining": "abstain"}


def resolution_frames(items: Iterable[tuple[str, ParsedResolution]]) -> dict[str, pl.DataFrame]:
    """Frames for staging from (document_id, resolution) pairs."""
    rows: dict[str, list] = {k: [] for k in
                             ("resolution", "paragraph", "subparagraph", "footnote", "citation",
                              "sponsor", "vote", "keyword")}
    for doc_id, r in items:
        rows["resolution"].append(
            (doc_id, r.symbol, r.base_symbol, r.part, r.session, r.session_label, r.adopted_on, r.title,
             r.source_format, r.language, r.agenda_items, r.agenda_item_names, r.committee,
             r.originating_document, r.report_symbol, r.report_paragraph, r.plenary_meeting,
             r.vote_outcome, r.votes_in_favour, r.votes_against, r.votes_abstaining, r.draft_symbol,
             r.sdgs, r.frbr_uri, r.published_on, r.is_reissue, r.parse_notes)
        )
        for p in r.paragraphs:
            rows["paragraph"].append(
                (doc_id, r.symbol, p.kind, p.ordinal, p.number, p.numbering_block, p.lead_phrase, p.heading,
                 p.text, p.footnote_markers)
            )
            for i, s in enumerate(p.subparagraphs, start=1):
                rows["subparagraph"].append((doc_id, r.symbol, p.kind, p.ordinal, i, s.label, s.depth, s.text))
        for i, f in enumerate(r.footnotes, start=1):
            rows["footnote"].append(
                (doc_id, r.symbol, i, f.marker, f.text, f.paragraph_kind, f.paragraph_ordinal, f.location)
            )
        for c in r.citations:
            rows["citation"].append(
                (doc_id, r.symbol, c.paragraph_kind, c.paragraph_ordinal, c.target_symbol, c.href,
                 c.anchor_text, c.in_footnote)
            )
        for role, names in (("sponsor", r.sponsors), ("additional_sponsor", r.additional_sponsors)):
            for i, name in enumerate(names, start=1):
                rows["sponsor"].append((doc_id, r.symbol, role, i, name))
        for position, states in r.voters.items():
            for state in states:
                rows["vote"].append((doc_id, r.symbol, _VOTES.get(position, position), state))
        for dictionary, term in r.keywords:
            rows["keyword"].append((doc_id, r.symbol, dictionary, term))
    schemas = {
        "resolution": RESOLUTION_SCHEMA,
        "paragraph": PARAGRAPH_SCHEMA,
        "subparagraph": SUBPARAGRAPH_SCHEMA,
        "footnote": FOOTNOTE_SCHEMA,
        "citation": CITATION_SCHEMA,
        "sponsor": SPONSOR_SCHEMA,
        "vote": VOTE_SCHEMA,
        "keyword": KEYWORD_SCHEMA,
    }
    return {name: pl.DataFrame(rows[name], schema=schemas[name], orient="row") for name in schemas}
