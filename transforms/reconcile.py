"""Reconcile a resolution parsed from its PDF text against the same resolution's XML.

The AKN4UN XML is canonical; a text extracted from the PDF is checked against it
paragraph by paragraph and footnote by footnote. The result says, for every
paragraph position, whether the two versions carry the same number, lead phrase
and words, and for every footnote whether it is present in both and attached to
the same paragraph; a summary decides whether the text version can be trusted.

Alignment. Within each kind (preambular, operative, annex) paragraphs pair by
ordinal when both versions have as many. When the counts differ, the paragraphs
are aligned as sequences of keys (printed number and first words) with
``difflib.SequenceMatcher``, so one lost or extra paragraph leaves a single
unpaired row instead of shifting every later comparison; the paragraphs left
between matched runs pair by text similarity, in order.

Similarity is difflib's ratio over the *words* of ``comparable()`` text: twice the
number of words in common (in order) over the total number of words, so 1.0 for
identical text and 1 - 1/n for one word replaced in an n-word paragraph. Words,
not characters, because a word changed is what an analyst means by a change,
and because character matching costs about 100 times more (43 ms against 0.5 ms
for the longest paragraph of 78/229) without separating noise from change any
better (see SAME_THRESHOLD).

Pure Python: no Dagster, no DuckDB; polars only for the result frames.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from transforms.model import Footnote, Paragraph, ParsedResolution
from transforms.text import clean_lead, comparable, normalise

# --- thresholds -------------------------------------------------------------------
#
# Measured with this module's similarity (tests/test_reconcile.py prints the real
# pairs with -s; the synthetic figures come from the same paragraphs):
#
# * One word replaced in the middle of each paragraph of A/RES/78/229, median by
#   paragraph length: 20-39 words 0.968, 35-44 words 0.976, 40-59 words 0.980,
#   60-99 words 0.987, 100 words or more 0.992. Arithmetic agrees: 1 - 1/n, so
#   0.975 at 40 words.
# * PDF noise: ligatures (U+FB01 "fi" and kin) vanish, comparable()'s casefold()
#   expands them (1.0). What it leaves costs a word or two like a real change: a
#   word split by a line-end hyphen 0.964, two words run together 0.963, both
#   median over the paragraphs of 35-44 words.
# * A/RES/77/237 against its successor A/RES/78/229 (the same resolution a year
#   later, aligned by this module): 87 of 154 paired paragraphs unchanged (1.0);
#   real one-word edits score "Welcoming" -> "Reaffirming" (45 words) 0.978,
#   "technologies" -> "technologies," 0.971, "relevance" -> "importance" 0.966,
#   but "targeted" -> "tailor-made" (62 words) 0.984, "ammunitions" ->
#   "ammunition" (119 words) 0.992 and a cited resolution and its date replaced
#   in a 159-word paragraph 0.981; heavier redrafts 0.51-0.96.
# * Across sessions 74-79 (84,911 paragraphs) the median paragraph has 49 words
#   and half have fewer than 50; the median resolution has 30 paragraphs, 30%
#   have fewer than 20.

SAME_THRESHOLD = 0.98
"""Similarity at or above which two paragraphs count as the same text.

After ``comparable()`` has folded quotes, dashes, case, spacing and ligatures,
identical words score exactly 1.0, and what is left of PDF extraction noise
(line-end hyphens, words run together or split) costs a word, as much as a real
edit: no threshold tells the two apart, it only bounds how much may differ.
0.98 allows one word in fifty: a one-word change is flagged in every paragraph
under 50 words (half of all paragraphs; 0.975 at 40 words, 0.9796 at 49, 0.98 at
50), while in longer paragraphs one word, or even a cited resolution and its
date in a 159-word paragraph (0.981), passes as noise. Stricter would turn every
noisy long paragraph into a 'differs' row; looser, 0.95 say, would pass two
changed words in a median 49-word paragraph (0.959)."""

PARAGRAPH_AGREEMENT_THRESHOLD = 0.95
"""Share of XML paragraphs that must be 'same' for the text version to pass.

A text extraction can legitimately differ in a handful of paragraphs through OCR
or hyphenation noise (each event can cost a paragraph, see above), so exact
agreement would reject good extractions; 0.95 allows 8 such paragraphs in the
177 of 78/229 (9 give 0.949) and 1 in the median resolution of 30, while a
systematic fault (a wrong file, a garbled page, columns read out of order)
touches many more.
Resolutions under 20 paragraphs (30% of them) must agree exactly. Structure is
not averaged: a missing or extra paragraph, a differing paragraph number or lead
phrase, a footnote missing, extra or attached elsewhere fails on its own."""

PAIR_THRESHOLD = 0.5
"""Least similarity for two leftover paragraphs to pair when aligning by sequence.

Distinct paragraphs of one resolution share boilerplate ("Recalling its
resolution ... of ... December"): in 78/229 each paragraph's most similar other
paragraph of its kind scores a median 0.29 (90th percentile 0.41, highest 0.74;
pairs must also keep document order). Between 77/237 and
78/229 the lowest pair made, 0.51, is one paragraph redrafted on the same
subject; the closest left apart, 0.496, the legal-aid paragraph rewritten in
another order. Below 0.5 the two sides are reported as one missing and one
extra paragraph, as is a paragraph moved elsewhere in its kind (77/237
operative 29, unchanged, is operative 58 of 78/229)."""

KEY_WORDS = 8
"""Words of a paragraph's opening that, with its number, key it for sequence
alignment. Across sessions 74-79, 0.7% of paragraphs share their 8-word key with
another of their kind in the resolution (4 words: 3.8%, 12 words: 0.6%): enough
to tell apart the many preambular paragraphs opening "Recalling its resolution",
while a garbled word further in leaves the key intact. A key that no longer
matches costs nothing worse than a pairing by similarity (PAIR_THRESHOLD)."""

LEAD_BOUNDARY_TOLERANCE = 0.02
"""Share of paragraphs whose lead phrases may differ only in where they end.

The lead phrase is what the XML prints in italics ("Reaffirming" | "its
commitment and strong political will"); plain text has no italics, so the text
parser takes the phrase the XML most often italicises (transforms/lexicon.py),
right for 99.7% of the 78,000 lead phrases of sessions 74-79. Where the drafting
varies ("Reaffirming its commitment" is italic 79 times in 94) one phrase is a
word-prefix of the other. One such paragraph in fifty is tolerated, about seven
times the corpus rate; a lead phrase that is not a prefix of the other, or more
of them, fails."""


def _boundary_only(a: str | None, b: str | None) -> bool:
    if not a or not b or a == b:
        return False
    short, long = sorted((a, b), key=len)
    return long.startswith(short + " ")


DIFF_LIMIT = 500

KIND_ORDER = ("preambular", "operative", "annex")

PARAGRAPH_SCHEMA = {
    "symbol": pl.Utf8,
    "xml_document_id": pl.Utf8,
    "text_document_id": pl.Utf8,
    "kind": pl.Utf8,
    "xml_ordinal": pl.Int32,
    "text_ordinal": pl.Int32,
    "xml_number": pl.Utf8,
    "text_number": pl.Utf8,
    "xml_lead_phrase": pl.Utf8,
    "text_lead_phrase": pl.Utf8,
    "number_match": pl.Boolean,
    "lead_phrase_match": pl.Boolean,
    "similarity": pl.Float64,
    "status": pl.Utf8,
    "diff": pl.Utf8,
}

FOOTNOTE_SCHEMA = {
    "symbol": pl.Utf8,
    "xml_document_id": pl.Utf8,
    "text_document_id": pl.Utf8,
    "marker": pl.Utf8,
    "xml_paragraph_kind": pl.Utf8,
    "xml_paragraph_ordinal": pl.Int32,
    "text_paragraph_kind": pl.Utf8,
    "text_paragraph_ordinal": pl.Int32,
    "paragraph_match": pl.Boolean,
    "similarity": pl.Float64,
    "status": pl.Utf8,
}


@dataclass
class Reconciliation:
    paragraphs: pl.DataFrame
    footnotes: pl.DataFrame
    summary: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.summary.get("passed"))


# --- text comparison ----------------------------------------------------------------


def _words(text: str) -> list[str]:
    return comparable(text).split()


def similarity(a: str, b: str) -> float:
    """Word-level similarity of two texts after ``comparable()``, in [0, 1]."""
    return _ratio(_words(a), _words(b))


def _ratio(wa: list[str], wb: list[str]) -> float:
    if wa == wb:
        return 1.0
    if not wa or not wb:
        return 0.0
    # autojunk off: it would discard "the" and "of" in paragraphs over 200 words.
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def word_diff(a: str, b: str, limit: int = DIFF_LIMIT) -> str:
    """The words that differ from ``a`` to ``b``: ``-[removed] +[added]`` chunks.

    Words compare in their ``comparable()`` form (so a curly quote against a
    straight one is no difference) and are shown as printed. The result is cut
    at ``limit`` characters, ending with an ellipsis when cut; "" when the texts
    have the same words.
    """
    shown_a, shown_b = normalise(a).split(), normalise(b).split()
    keys_a, keys_b = _words(a), _words(b)
    # comparable() only replaces and case-folds characters after normalise(), so its
    # words stand one for one with the printed words; fall back if that ever breaks.
    if len(keys_a) != len(shown_a):
        keys_a = shown_a
    if len(keys_b) != len(shown_b):
        keys_b = shown_b
    chunks = []
    sm = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        parts = []
        if i2 > i1:
            parts.append("-[" + " ".join(shown_a[i1:i2]) + "]")
        if j2 > j1:
            parts.append("+[" + " ".join(shown_b[j1:j2]) + "]")
        chunks.append(" ".join(parts))
    out = " ".join(chunks)
    if len(out) > limit:
        out = out[: max(limit - 1, 0)].rstrip() + "\u2026"
    return out


def _same_number(a: str | None, b: str | None) -> bool:
    na = normalise(a).rstrip(".") if a is not None else None
    nb = normalise(b).rstrip(".") if b is not None else None
    return (na or None) == (nb or None)


def _same_lead(a: str | None, b: str | None) -> bool:
    la, lb = clean_lead(a), clean_lead(b)
    return (comparable(la) if la else None) == (comparable(lb) if lb else None)


# --- paragraph alignment --------------------------------------------------------------


def _key(p: Paragraph, words: list[str]) -> tuple:
    number = normalise(p.number).rstrip(".") if p.number else None
    return (number, tuple(words[:KEY_WORDS]))


def _pair_gap(xs: list[int], ts: list[int], xw: list[list[str]], tw: list[list[str]]):
    """Pair two runs of leftover paragraphs in order, maximising total similarity.

    Needleman-Wunsch without gap costs over the pairs scoring PAIR_THRESHOLD or
    more; returns (xml index | None, text index | None) in document order.
    """
    n, m = len(xs), len(ts)
    sim = [[0.0] * m for _ in range(n)]
    for j, t in enumerate(ts):
        sm = difflib.SequenceMatcher(None, autojunk=False)
        sm.set_seq2(tw[t])  # the expensive side, cached across the column
        for i, x in enumerate(xs):
            sm.set_seq1(xw[x])
            if sm.real_quick_ratio() >= PAIR_THRESHOLD and sm.quick_ratio() >= PAIR_THRESHOLD:
                r = 1.0 if xw[x] == tw[t] else sm.ratio()
                if r >= PAIR_THRESHOLD:
                    sim[i][j] = r
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + sim[i][j] if sim[i][j] else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            out.append((xs[i], ts[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((xs[i], None))
            i += 1
        else:
            out.append((None, ts[j]))
            j += 1
    out += [(xs[k], None) for k in range(i, n)]
    out += [(None, ts[k]) for k in range(j, m)]
    return out


def _align(xp: list[Paragraph], tp: list[Paragraph], xw, tw) -> list[tuple[int | None, int | None]]:
    """Pairs of indexes into xp and tp (one kind each), in document order."""
    if len(xp) == len(tp):
        return [(i, i) for i in range(len(xp))]
    xkeys = [_key(p, w) for p, w in zip(xp, xw)]
    tkeys = [_key(p, w) for p, w in zip(tp, tw)]
    sm = difflib.SequenceMatcher(None, xkeys, tkeys, autojunk=False)
    out: list[tuple[int | None, int | None]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif op == "delete":
            out += [(i, None) for i in range(i1, i2)]
        elif op == "insert":
            out += [(None, j) for j in range(j1, j2)]
        else:
            out += _pair_gap(list(range(i1, i2)), list(range(j1, j2)), xw, tw)
    return out


def _by_kind(res: ParsedResolution) -> dict[str, list[Paragraph]]:
    groups: dict[str, list[Paragraph]] = defaultdict(list)
    for p in res.paragraphs:
        groups[p.kind].append(p)
    for ps in groups.values():
        ps.sort(key=lambda p: p.ordinal)
    return groups


def _kinds(xg: dict, tg: dict) -> list[str]:
    seen = [k for k in KIND_ORDER if k in xg or k in tg]
    for k in list(xg) + list(tg):
        if k not in seen:
            seen.append(k)
    return seen


# --- reconciliation ---------------------------------------------------------------------


def reconcile(
    xml: ParsedResolution,
    text: ParsedResolution,
    *,
    text_document_id: str = "",
    xml_document_id: str = "",
) -> Reconciliation:
    """Compare the text version of a resolution with its XML, paragraph and footnote."""
    symbol = xml.symbol
    ids = {"symbol": symbol, "xml_document_id": xml_document_id, "text_document_id": text_document_id}
    xg, tg = _by_kind(xml), _by_kind(text)
    rows: list[dict] = []
    # (kind, xml ordinal) -> (kind, text ordinal) of the paired paragraph, for footnotes.
    counterpart: dict[tuple[str, int], tuple[str, int]] = {}

    for kind in _kinds(xg, tg):
        xp, tp = xg.get(kind, []), tg.get(kind, [])
        xw = [_words(p.text) for p in xp]
        tw = [_words(p.text) for p in tp]
        for i, j in _align(xp, tp, xw, tw):
            x = xp[i] if i is not None else None
            t = tp[j] if j is not None else None
            row = {
                **ids,
                "kind": kind,
                "xml_ordinal": x.ordinal if x else None,
                "text_ordinal": t.ordinal if t else None,
                "xml_number": x.number if x else None,
                "text_number": t.number if t else None,
                "xml_lead_phrase": x.lead_phrase if x else None,
                "text_lead_phrase": t.lead_phrase if t else None,
                "number_match": None,
                "lead_phrase_match": None,
                "similarity": 0.0,
                "status": "xml_only" if x else "text_only",
                "diff": None,
            }
            if x and t:
                counterpart[(kind, x.ordinal)] = (kind, t.ordinal)
                sim = _ratio(xw[i], tw[j])
                row["number_match"] = _same_number(x.number, t.number)
                row["lead_phrase_match"] = _same_lead(x.lead_phrase, t.lead_phrase)
                row["similarity"] = sim
                same = row["number_match"] and row["lead_phrase_match"] and sim >= SAME_THRESHOLD
                row["status"] = "same" if same else "differs"
                if not same and sim < 1.0:
                    row["diff"] = word_diff(x.text, t.text) or None
            rows.append(row)
    paragraphs = pl.DataFrame(rows, schema=PARAGRAPH_SCHEMA, orient="row") if rows else pl.DataFrame(
        schema=PARAGRAPH_SCHEMA
    )

    footnotes = _footnotes(xml.footnotes, text.footnotes, counterpart, ids)
    summary = _summary(xml, text, paragraphs, footnotes, ids)
    return Reconciliation(paragraphs=paragraphs, footnotes=footnotes, summary=summary)


def _keyed(notes: list[Footnote]) -> dict[tuple[str, int], Footnote]:
    """Footnotes by (marker, occurrence): markers are unique in every resolution of
    sessions 74-79, the occurrence keeps a repeated marker from overwriting."""
    seen: dict[str, int] = defaultdict(int)
    out = {}
    for f in notes:
        m = normalise(f.marker)
        out[(m, seen[m])] = f
        seen[m] += 1
    return out


def _footnotes(xn: list[Footnote], tn: list[Footnote], counterpart: dict, ids: dict) -> pl.DataFrame:
    xk, tk = _keyed(xn), _keyed(tn)
    keys = list(xk) + [k for k in tk if k not in xk]
    rows = []
    for key in keys:
        x, t = xk.get(key), tk.get(key)
        row = {
            **ids,
            "marker": (x or t).marker,
            "xml_paragraph_kind": x.paragraph_kind if x else None,
            "xml_paragraph_ordinal": x.paragraph_ordinal if x else None,
            "text_paragraph_kind": t.paragraph_kind if t else None,
            "text_paragraph_ordinal": t.paragraph_ordinal if t else None,
            "paragraph_match": None,
            "similarity": 0.0,
            "status": "xml_only" if x else "text_only",
        }
        if x and t:
            # The same paragraph means the text paragraph aligned with the XML one,
            # so a paragraph lost earlier in the text does not misplace every note.
            expected = counterpart.get((x.paragraph_kind, x.paragraph_ordinal))
            row["paragraph_match"] = expected == (t.paragraph_kind, t.paragraph_ordinal)
            row["similarity"] = similarity(x.text, t.text)
            same = row["paragraph_match"] and row["similarity"] >= SAME_THRESHOLD
            row["status"] = "same" if same else "differs"
        rows.append(row)
    if not rows:
        return pl.DataFrame(schema=FOOTNOTE_SCHEMA)
    return pl.DataFrame(rows, schema=FOOTNOTE_SCHEMA, orient="row")


def _where(df: pl.DataFrame, side: str, limit: int = 10) -> str:
    items = [f"{k} {o}" for k, o in zip(df["kind"], df[f"{side}_ordinal"])]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _summary(xml, text, p: pl.DataFrame, f: pl.DataFrame, ids: dict) -> dict:
    status = p["status"].value_counts()
    count = dict(zip(status["status"], status["count"]))
    fstatus = f["status"].value_counts()
    fcount = dict(zip(fstatus["status"], fstatus["count"]))
    paired = p.filter(pl.col("status").is_in(["same", "differs"]))
    n_xml, n_text = len(xml.paragraphs), len(text.paragraphs)
    f_xml, f_text = len(xml.footnotes), len(text.footnotes)
    misplaced = f.filter(pl.col("paragraph_match") == False)  # noqa: E712 (null stays out)

    def share(same: int, total: int, other: int) -> float:
        return same / total if total else (1.0 if not other else 0.0)

    s = {
        **ids,
        "paragraphs_xml": n_xml,
        "paragraphs_text": n_text,
        "paragraphs_same": count.get("same", 0),
        "paragraphs_differs": count.get("differs", 0),
        "paragraphs_missing": count.get("xml_only", 0),
        "paragraphs_extra": count.get("text_only", 0),
        "min_similarity": paired["similarity"].min() if paired.height else None,
        "mean_similarity": paired["similarity"].mean() if paired.height else None,
        "footnotes_xml": f_xml,
        "footnotes_text": f_text,
        "footnotes_same": fcount.get("same", 0),
        "footnotes_misplaced": misplaced.height,
        "footnotes_missing": fcount.get("xml_only", 0),
        "footnotes_extra": fcount.get("text_only", 0),
    }
    s["agreement"] = share(s["paragraphs_same"], n_xml, n_text)
    s["footnote_agreement"] = share(s["footnotes_same"], f_xml, f_text)

    reasons = []
    if text.symbol != xml.symbol:
        reasons.append(f"the text is {text.symbol}, the XML {xml.symbol}")
    missing = p.filter(pl.col("status") == "xml_only")
    if missing.height:
        reasons.append(f"{missing.height} paragraph(s) of the XML missing from the text: {_where(missing, 'xml')}")
    extra = p.filter(pl.col("status") == "text_only")
    if extra.height:
        reasons.append(f"{extra.height} paragraph(s) in the text not in the XML: {_where(extra, 'text')}")
    bad_number = p.filter(pl.col("number_match") == False)  # noqa: E712
    if bad_number.height:
        shown = ", ".join(
            f"{k} {o} ({a!r} in XML, {b!r} in text)"
            for k, o, a, b in bad_number.select("kind", "xml_ordinal", "xml_number", "text_number").head(10).rows()
        )
        reasons.append(f"{bad_number.height} paragraph number(s) differ: {shown}")
    bad_lead = p.filter(pl.col("lead_phrase_match") == False)  # noqa: E712
    boundary = bad_lead.filter(
        pl.struct("xml_lead_phrase", "text_lead_phrase").map_elements(
            lambda r: _boundary_only(r["xml_lead_phrase"], r["text_lead_phrase"]), return_dtype=pl.Boolean
        )
    ) if bad_lead.height else bad_lead
    s["lead_boundary_differences"] = boundary.height
    if boundary.height and boundary.height <= LEAD_BOUNDARY_TOLERANCE * max(n_xml, 1):
        bad_lead = bad_lead.filter(~pl.struct("xml_lead_phrase", "text_lead_phrase").map_elements(
            lambda r: _boundary_only(r["xml_lead_phrase"], r["text_lead_phrase"]), return_dtype=pl.Boolean))
    if bad_lead.height:
        shown = ", ".join(
            f"{k} {o} ({a!r} in XML, {b!r} in text)"
            for k, o, a, b in bad_lead.select("kind", "xml_ordinal", "xml_lead_phrase", "text_lead_phrase")
            .head(10)
            .rows()
        )
        reasons.append(f"{bad_lead.height} lead phrase(s) differ: {shown}")
    if s["agreement"] < PARAGRAPH_AGREEMENT_THRESHOLD:
        reasons.append(
            f"paragraph agreement {s['agreement']:.3f} is below {PARAGRAPH_AGREEMENT_THRESHOLD}: "
            f"{s['paragraphs_same']} of {n_xml} XML paragraphs have the same text"
        )
    for label, frame in (
        ("footnote(s) of the XML missing from the text", f.filter(pl.col("status") == "xml_only")),
        ("footnote(s) in the text not in the XML", f.filter(pl.col("status") == "text_only")),
    ):
        if frame.height:
            reasons.append(f"{frame.height} {label}: " + ", ".join(frame["marker"].head(10)))
    if misplaced.height:
        shown = ", ".join(
            f"{m} ({xk} {xo} in XML, {tk} {to} in text)"
            for m, xk, xo, tk, to in misplaced.select(
                "marker", "xml_paragraph_kind", "xml_paragraph_ordinal", "text_paragraph_kind", "text_paragraph_ordinal"
            )
            .head(10)
            .rows()
        )
        reasons.append(f"{misplaced.height} footnote(s) attached to a different paragraph: {shown}")
    s["passed"] = not reasons
    s["reasons"] = reasons
    return s
