"""What a paragraph does with what it cites, from its lead phrase (:func:`relation`)."""

from __future__ import annotations

import polars as pl


RELATIONS = (
    "recalls", "reaffirms", "welcomes", "takes_note", "notes", "urges_ratification",
    "calls_for_implementation", "requests", "decides", "other",
)


_LEAD_ADVERBS = r"^(?:(?:also|further|again|once again|strongly|furthermore|moreover|finally|in this regard|" \
                r"in this context|therefore),?\s+)+"
_CALLS = r"^(?:urg|calls? (?:up)?on|calling (?:up)?on|calls for|calling for|encourag|invit|appeal|demand|exhort|" \
         r"reiterat\w* its (?:call|appeal|invitation|urging)|renews its call)"
_RATIFY = r"(?i)\bratif|\baccede|\baccession|\bbecom(?:e|es|ing) (?:a )?part(?:y|ies)\b|\badhere to\b"
# A call to act on an instrument rather than to join it: implement, comply with, apply, use...
_IMPLEMENT = (r"(?i)\b(?:implement|compl(?:y|iance)|apply|application|give (?:full )?effect|make (?:full |effective )?use|"
              r"utiliz|fulfil|respect|observ|abide|enforce|uphold|in (?:line|accordance|conformity) with|consistent with|"
              r"obligations under|take into (?:account|consideration))")


def _relation_expr(lead: pl.Expr, kind: pl.Expr, text: pl.Expr) -> pl.Expr:
    lo = lead.fill_null("").str.to_lowercase().str.strip_chars(" ,;:.").str.replace(_LEAD_ADVERBS, "")
    calls = lo.str.contains(_CALLS)
    # The text is read only after a call; elsewhere it is null, so the two case-insensitive
    # regexes skip the other paragraphs (they were most of the bridge's cost) and ``calls &
    # null`` is false as ``calls & <anything>`` was.
    body = pl.when(calls).then(text.fill_null(""))
    return (
        pl.when(lo.str.contains(r"^reiterat\w* its request")).then(pl.lit("requests"))
        .when(calls & body.str.contains(_RATIFY)).then(pl.lit("urges_ratification"))
        .when(calls & body.str.contains(_IMPLEMENT)).then(pl.lit("calls_for_implementation"))
        .when(lo.str.contains(r"^recall")).then(pl.lit("recalls"))
        .when(lo.str.contains(r"^(?:reaffirm|reiterat)")).then(pl.lit("reaffirms"))
        .when(lo.str.contains(r"^welcom")).then(pl.lit("welcomes"))
        .when(lo.str.contains(r"^tak(?:es|ing) note")).then(pl.lit("takes_note"))
        .when(lo.str.contains(r"^not(?:es|ing)\b")).then(pl.lit("notes"))
        .when(lo.str.contains(r"^request")).then(pl.lit("requests"))
        .when(lo.str.contains(r"^decid")).then(pl.lit("decides"))
        .otherwise(pl.lit("other"))
    )


def relation(lead_phrase: str | None, kind: str, text: str | None = None) -> str:
    """What a paragraph does with what it cites, from its lead phrase (and text, for calls).

    recalls, reaffirms, welcomes, takes_note, notes, requests, decides; a call (Urges,
    Calls upon, Encourages, Invites, Appeals, Demands, "Reiterates its call upon", in either
    kind of paragraph) is urges_ratification when ``text`` speaks of ratifying, acceding or
    becoming party, calls_for_implementation when it speaks of implementing, complying,
    applying or using; anything else (Recognizing, Stresses, a call on neither) is other.
    ``kind`` is accepted for the record: the lead phrase already says what the paragraph does.
    """
    row = pl.DataFrame({"lead": [lead_phrase], "kind": [kind], "text": [text]},
                       schema={"lead": pl.Utf8, "kind": pl.Utf8, "text": pl.Utf8})
    return row.select(_relation_expr(pl.col("lead"), pl.col("kind"), pl.col("text"))).item()
