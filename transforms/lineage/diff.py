"""Word diffs of two paragraphs (:func:`diff_chunks`, :func:`word_diff`), the ``wdiff``
rendering the marts' ``diff`` column and the dashboard show.
"""

from __future__ import annotations


import polars as pl
from rapidfuzz.distance import Indel

from transforms.lineage.words import _Para, _prepare

DIFF_ABSORB = 2
"""A run of at most this many kept words between two edits is shown inside the edit.

The word alignment is a longest common subsequence, which happily keeps an isolated "of" or
"December" between two edits; "[-15-] {+19+} December [-2022-] {+2023+}" reads better as
"[-15 December 2022-] {+19 December 2023+}"."""


def _chunks(a: _Para, b: _Para) -> list[tuple[str, list[str], list[str]]]:
    """The edit from a to b as runs (op, old words, new words), op "equal" or "change"."""
    raw: list[tuple[str, list[str], list[str]]] = []
    sa, sb = a.shown, b.shown
    for op in Indel.opcodes(a.code, b.code):
        old, new = sa[op.src_start : op.src_end], sb[op.dest_start : op.dest_end]
        if op.tag == "equal":
            raw.append(("equal", old, new))
        elif raw and raw[-1][0] == "change":
            raw[-1][1].extend(old)
            raw[-1][2].extend(new)
        else:
            raw.append(("change", list(old), list(new)))
    out: list[tuple[str, list[str], list[str]]] = []
    for k, (op, old, new) in enumerate(raw):
        if op == "equal" and 0 < k < len(raw) - 1 and len(new) <= DIFF_ABSORB:
            op = "change"
        if op == "change" and out and out[-1][0] == "change":
            out[-1][1].extend(old)
            out[-1][2].extend(new)
        elif op == "change":
            out.append(("change", list(old), list(new)))
        else:
            out.append((op, old, new))
    return out


def _render(chunks: list[tuple[str, list[str], list[str]]]) -> str:
    parts = []
    for op, old, new in chunks:
        if op == "equal":
            parts.append(" ".join(new))
            continue
        if old:
            parts.append("[-" + " ".join(old) + "-]")
        if new:
            parts.append("{+" + " ".join(new) + "+}")
    return " ".join(parts)


def _pair(old: str | None, new: str | None) -> tuple[_Para, _Para]:
    norms, codes = _prepare(pl.Series([old, new], dtype=pl.Utf8))
    return _Para("", None, None, old or "", norms[0], codes[0]), _Para("", None, None, new or "", norms[1], codes[1])


def diff_chunks(old: str | None, new: str | None) -> list[dict]:
    """The word-level edit from ``old`` to ``new`` as a list a program can walk.

    One dict per run, in text order: ``{"op": "equal", "text": ...}`` for kept words (as
    printed now) and ``{"op": "change", "removed": ..., "added": ...}`` for an edit (either
    may be ""). The same runs as :func:`word_diff`.
    """
    out = []
    for op, a, b in _chunks(*_pair(old, new)):
        if op == "equal":
            out.append({"op": "equal", "text": " ".join(b)})
        else:
            out.append({"op": "change", "removed": " ".join(a), "added": " ".join(b)})
    return out


def word_diff(old: str | None, new: str | None) -> str:
    """The inline diff of the module docstring: ``[-removed-]`` and ``{+added+}`` in the text
    of ``new``; "" when the two have the same words."""
    a, b = _pair(old, new)
    return "" if a.code == b.code else _render(_chunks(a, b))

