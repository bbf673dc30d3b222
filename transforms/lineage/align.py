"""Paragraph alignment (:func:`align_paragraphs`) of a resolution with its predecessor,
and :func:`series_lineage` over every step of every series.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import Indel

from transforms.lineage.words import _Para, _by_kind, _char, _prepare
from transforms.lineage.diff import _chunks, _render

# --- thresholds -------------------------------------------------------------------------

CHANGED_THRESHOLD = 0.4
"""Least similarity for an in-order pair of paragraphs to count as one paragraph reworded.

Calibrated on every consecutive pair of the detected series (sessions 74-79) by aligning
with a threshold of 0.3 and reading random samples of the pairs by similarity band, asking
"is this the same paragraph, updated?": 0.30-0.40 about half (5 of 12; 10 of 15 in
0.35-0.40), 0.40-0.45 13 of 15, 0.40-0.50 9 of 12, 0.50-0.60 9 of 10. The same paragraph
updated scores low when it is short or grew ("Recalling its resolution 73/20 of 30 November
2018," -> "74/13 of 3 December 2019," is 0.5; a paragraph kept whole and doubled is 0.5);
what goes wrong under 0.4 are formulae ("Takes note of paragraph IV.5 of the report of the
Advisory Committee, and ..." with another paragraph and another decision). A false "changed"
shows an analyst a diff between two unrelated paragraphs, a false "new" + "dropped" hides an
edit: 0.4 is where the two errors cross."""

CONTAINED_THRESHOLD = 0.8
CONTAINED_MIN_WORDS = 8
"""A paragraph kept almost whole inside a longer one, in order, is also "changed", whatever
its similarity: at least ``CONTAINED_THRESHOLD`` of the shorter paragraph's words (and at
least ``CONTAINED_MIN_WORDS`` words) stand in order in the longer. Found when checking 77/237
-> 78/229 by hand: operative 55 of 77/237, "Takes note of the Model Legislative Provisions to
Support the Needs and Protect the Rights of Victims of Terrorism, developed by the United
Nations Office on Drugs and Crime together with the Inter-Parliamentary Union and the Office
of Counter-Terrorism;", became the closing clause of 78/229's operative 59, a paragraph three
times as long (similarity 0.40, 85% of its words kept). Over the corpus this adds about 120
in-order pairs under 0.4; in a sample of ten all were a paragraph grown by a clause or absorbed into a
longer one (a Board of Auditors commendation grown by a sentence, 94%; an "Expresses deep
concern at ..." grown into a list of sub-paragraphs, 98%)."""

MOVE_THRESHOLD = 0.7
"""Least similarity for a pair out of order (a moved paragraph).

Higher than ``CHANGED_THRESHOLD`` because order is evidence, and without it a formulaic
paragraph pairs with any other of its kind. With 0.8, 793 paragraphs of the corpus pair as
moves (299 of them unchanged, the changed ones median similarity 0.94); lowering it to 0.6
adds 217 pairs, and reading samples: 0.7-0.8 all the same paragraph moved (8 of 8), 0.6-0.7
8 of 10 (the misses: two budget appropriations for different offices), 0.5-0.6 about half."""

# --- schemas ----------------------------------------------------------------------------
ALIGNMENT_SCHEMA = {
    "kind": pl.Utf8,
    "ordinal": pl.Int32,  # of the current paragraph; null for dropped
    "number": pl.Utf8,
    "predecessor_ordinal": pl.Int32,  # null for new
    "predecessor_number": pl.Utf8,
    "status": pl.Utf8,  # unchanged | changed | new | dropped
    "similarity": pl.Float64,  # 1.0 unchanged, under 1 changed (see CHANGED_THRESHOLD), else null
    "diff": pl.Utf8,  # inline word diff, changed only
    "text": pl.Utf8,  # current text, or the predecessor's for dropped
}

STEP_SCHEMA = {
    "series_id": pl.Utf8,
    "symbol": pl.Utf8,
    "predecessor_symbol": pl.Utf8,
    "session": pl.Int32,
    "year": pl.Int32,
    "unchanged": pl.Int32,
    "changed": pl.Int32,
    "new": pl.Int32,
    "dropped": pl.Int32,
    "paragraphs": pl.Int32,  # of the current resolution
    "predecessor_paragraphs": pl.Int32,
}

STEP_PARAGRAPH_SCHEMA = {
    "series_id": pl.Utf8,
    "symbol": pl.Utf8,
    "predecessor_symbol": pl.Utf8,
    **ALIGNMENT_SCHEMA,
}

_KIND_ORDER = {"preambular": 0, "operative": 1, "annex": 2}


# --- alignment ----------------------------------------------------------------------------


def _monotone(pairs: list[tuple[int, int, float]], ni: int, nj: int) -> list[tuple[int, int, float]]:
    """The in-order subset of weighted (i, j) pairs with the largest total weight.

    A small dynamic programme over the ni x nj grid of one stretch between two anchors (a
    weighted longest common subsequence); among equal totals the earliest pairs win, so the
    result is deterministic.
    """
    if not pairs:
        return []
    w = {(i, j): s for i, j, s in pairs}
    # best[i][j]: the best total over prev[i:] and cur[j:], filled backwards so that the
    # traceback runs forwards.
    best = [[0.0] * (nj + 1) for _ in range(ni + 1)]
    take = [[False] * (nj + 1) for _ in range(ni + 1)]
    for i in range(ni - 1, -1, -1):
        row, nxt = best[i], best[i + 1]
        for j in range(nj - 1, -1, -1):
            v = max(nxt[j], row[j + 1])
            s = w.get((i, j))
            if s is not None and nxt[j + 1] + s >= v:
                v = nxt[j + 1] + s
                take[i][j] = True
            row[j] = v
    out = []
    i = j = 0
    while i < ni and j < nj:
        if take[i][j]:
            out.append((i, j, w[(i, j)]))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _contained(similarity: float, n_a: int, n_b: int) -> bool:
    """Whether the shorter of two paragraphs (of n_a and n_b words, with this Indel
    similarity) stands almost whole, in order, in the longer one (``CONTAINED_THRESHOLD``)."""
    shorter = min(n_a, n_b)
    if shorter < CONTAINED_MIN_WORDS:
        return False
    common = similarity * (n_a + n_b) / 2  # Indel similarity is 2 * common / (n_a + n_b)
    return common >= CONTAINED_THRESHOLD * shorter - 1e-9


def _align_kind(prev: list[_Para], cur: list[_Para]) -> list[tuple[int | None, int | None, float | None]]:
    """(index in prev, index in cur, similarity) for every paragraph of one kind, in the
    order of the output rows (see :func:`align_paragraphs`)."""
    match_cur: dict[int, tuple[int, float]] = {}
    match_prev: set[int] = set()

    # 1. Unchanged paragraphs kept in order: the anchors, the longest common subsequence of
    #    the two resolutions written as strings of one character per distinct paragraph.
    ids: dict[str, str] = {}
    pid = "".join(ids.setdefault(p.code, _char(len(ids))) for p in prev)
    cid = "".join(ids.setdefault(p.code, _char(len(ids))) for p in cur)
    stretches = []  # (i1, i2, j1, j2) between anchors
    for op in Indel.opcodes(pid, cid):
        if op.tag == "equal":
            for d in range(op.src_end - op.src_start):
                match_cur[op.dest_start + d] = (op.src_start + d, 1.0)
                match_prev.add(op.src_start + d)
        elif stretches and stretches[-1][1] == op.src_start and stretches[-1][3] == op.dest_start:
            stretches[-1] = (stretches[-1][0], op.src_end, stretches[-1][2], op.dest_end)
        else:
            stretches.append((op.src_start, op.src_end, op.dest_start, op.dest_end))

    rest_p = [i for i in range(len(prev)) if i not in match_prev]
    rest_c = [j for j in range(len(cur)) if j not in match_cur]
    if rest_p and rest_c:
        matrix = process.cdist(
            [prev[i].code for i in rest_p], [cur[j].code for j in rest_c], scorer=Indel.normalized_similarity, workers=1
        ).tolist()
        pos_p = {i: a for a, i in enumerate(rest_p)}
        pos_c = {j: b for b, j in enumerate(rest_c)}

        # 2. Reworded paragraphs in order, stretch by stretch.
        for i1, i2, j1, j2 in stretches:
            if i2 <= i1 or j2 <= j1:
                continue
            pairs = []
            for i in range(i1, i2):
                row = matrix[pos_p[i]]
                n_i = len(prev[i].code)
                for j in range(j1, j2):
                    s = row[pos_c[j]]
                    if s >= CHANGED_THRESHOLD or _contained(s, n_i, len(cur[j].code)):
                        pairs.append((i - i1, j - j1, s))
            for a, b, s in _monotone(pairs, i2 - i1, j2 - j1):
                match_cur[j1 + b] = (i1 + a, s)
                match_prev.add(i1 + a)

        # 3. Moved paragraphs: out of order, only when very similar; best pairs first.
        moves = []
        for i in rest_p:
            if i in match_prev:
                continue
            row = matrix[pos_p[i]]
            for j in rest_c:
                if j not in match_cur and row[pos_c[j]] >= MOVE_THRESHOLD:
                    moves.append((-row[pos_c[j]], j, i))
        for neg, j, i in sorted(moves):
            if j not in match_cur and i not in match_prev:
                match_cur[j] = (i, -neg)
                match_prev.add(i)

    # The current paragraphs in order; a dropped paragraph comes after the current paragraph
    # matched to the nearest kept predecessor paragraph before it (first if there is none).
    after: dict[int, list[int]] = defaultdict(list)
    prev_to_cur = {i: j for j, (i, _) in match_cur.items()}
    anchor = -1
    for i in range(len(prev)):
        if i in prev_to_cur:
            anchor = prev_to_cur[i]
        else:
            after[anchor].append(i)
    out: list[tuple[int | None, int | None, float | None]] = [(i, None, None) for i in after.get(-1, [])]
    for j in range(len(cur)):
        m = match_cur.get(j)
        out.append((m[0], j, m[1]) if m else (None, j, None))
        out.extend((i, None, None) for i in after.get(j, []))
    return out


def _alignment_rows(prev: dict[str, list[_Para]], cur: dict[str, list[_Para]]) -> list[dict]:
    rows = []
    kinds = sorted(set(prev) | set(cur), key=lambda k: (_KIND_ORDER.get(k, len(_KIND_ORDER)), k))
    for kind in kinds:
        pp, cc = prev.get(kind, []), cur.get(kind, [])
        for i, j, s in _align_kind(pp, cc):
            p = pp[i] if i is not None else None
            c = cc[j] if j is not None else None
            if c is None:
                status, sim, diff = "dropped", None, None
            elif p is None:
                status, sim, diff = "new", None, None
            elif p.code == c.code:
                status, sim, diff = "unchanged", 1.0, None
            else:
                status, sim, diff = "changed", s, _render(_chunks(p, c))
            rows.append(
                {
                    "kind": kind,
                    "ordinal": c.ordinal if c else None,
                    "number": c.number if c else None,
                    "predecessor_ordinal": p.ordinal if p else None,
                    "predecessor_number": p.number if p else None,
                    "status": status,
                    "similarity": sim,
                    "diff": diff,
                    "text": c.text if c else p.text,
                }
            )
    return rows


_PARAGRAPH_COLUMNS = {"kind": pl.Utf8, "ordinal": pl.Int32, "number": pl.Utf8, "text": pl.Utf8}


def _paragraph_frame(frame: pl.DataFrame | None, extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """The columns this module reads, typed; an empty or missing frame gives no rows."""
    columns = {**{c: pl.Utf8 for c in extra}, **_PARAGRAPH_COLUMNS}
    if frame is None or frame.is_empty():
        return pl.DataFrame(schema=columns)
    return frame.select([pl.col(c).cast(t) for c, t in columns.items()])


def align_paragraphs(previous: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Match every paragraph of ``current`` to its predecessor in ``previous``, kind by kind.

    Both frames have the columns of ``core.fact_paragraph`` used here: kind, ordinal
    (document order within the kind), number, text (symbol and lead_phrase may be present;
    they are ignored). One row per current paragraph (unchanged, changed or new) and per
    dropped predecessor paragraph, kinds in the order preambular, operative, annex, then
    the current resolution's order, each dropped paragraph after the current paragraph
    matched to the nearest kept paragraph before it. Columns :data:`ALIGNMENT_SCHEMA`; the
    method and the thresholds are in the module docstring.
    """
    prev, cur = _paragraph_frame(previous), _paragraph_frame(current)
    # One _prepare call for both, so that the same word has the same code in each.
    norms, codes = _prepare(pl.concat([prev["text"], cur["text"]]))
    n = prev.height
    split = (
        _by_kind(prev.iter_rows(), norms[:n], codes[:n]),
        _by_kind(cur.iter_rows(), norms[n:], codes[n:]),
    )
    return pl.DataFrame(_alignment_rows(*split), schema=ALIGNMENT_SCHEMA)


def series_lineage(series: pl.DataFrame, paragraphs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Align every member of every series with its predecessor.

    ``series`` is :func:`detect_series`'s output (series_id, symbol, predecessor_symbol,
    session and year are used); ``paragraphs`` has the columns of ``core.fact_paragraph``
    used by :func:`align_paragraphs`, plus symbol. Returns ``(steps, paragraphs)``: one row
    per consecutive pair with the count of each status (:data:`STEP_SCHEMA`; unchanged +
    changed + new = paragraphs of the member, unchanged + changed + dropped =
    predecessor_paragraphs), and every pair's paragraph alignment
    (:data:`STEP_PARAGRAPH_SCHEMA`, steps in the order of ``series``). A
    member whose paragraphs are missing counts as having none.
    """
    if series is None or series.is_empty():
        return pl.DataFrame(schema=STEP_SCHEMA), pl.DataFrame(schema=STEP_PARAGRAPH_SCHEMA)
    pairs = series.filter(pl.col("predecessor_symbol").is_not_null()).select(
        pl.col("series_id").cast(pl.Utf8),
        pl.col("symbol").cast(pl.Utf8),
        pl.col("predecessor_symbol").cast(pl.Utf8),
        pl.col("session").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
    )
    wanted = set(pairs["symbol"].to_list()) | set(pairs["predecessor_symbol"].to_list())
    frame = _paragraph_frame(paragraphs, extra=("symbol",))
    frame = frame.filter(pl.col("symbol").is_in(list(wanted)))
    norms, codes = _prepare(frame["text"])
    starts: dict[str, list[int]] = defaultdict(list)
    for k, symbol in enumerate(frame["symbol"].to_list()):
        starts[symbol].append(k)
    rows_of = frame.select("kind", "ordinal", "number", "text").rows()
    by_symbol = {
        symbol: _by_kind([rows_of[k] for k in ks], [norms[k] for k in ks], [codes[k] for k in ks])
        for symbol, ks in starts.items()
    }

    steps: list[dict] = []
    rows: list[dict] = []
    for step in pairs.iter_rows(named=True):
        prev = by_symbol.get(step["predecessor_symbol"], {})
        cur = by_symbol.get(step["symbol"], {})
        aligned = _alignment_rows(prev, cur)
        counts: dict[str, int] = defaultdict(int)
        for r in aligned:
            counts[r["status"]] += 1
        steps.append(
            {
                **step,
                "unchanged": counts["unchanged"],
                "changed": counts["changed"],
                "new": counts["new"],
                "dropped": counts["dropped"],
                "paragraphs": sum(len(v) for v in cur.values()),
                "predecessor_paragraphs": sum(len(v) for v in prev.values()),
            }
        )
        head = {"series_id": step["series_id"], "symbol": step["symbol"], "predecessor_symbol": step["predecessor_symbol"]}
        rows.extend({**head, **r} for r in aligned)
    return pl.DataFrame(steps, schema=STEP_SCHEMA), pl.DataFrame(rows, schema=STEP_PARAGRAPH_SCHEMA)
