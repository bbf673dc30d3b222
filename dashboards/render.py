"""Pure helpers for the pages: HTML for highlighted and diffed text, CSV for downloads.

Everything that comes from the data (paragraph text, footnotes, titles) is untrusted and
is HTML-escaped here before it reaches the page; only the tags this module writes are
markup. No Streamlit, so the helpers are tested on their own.
"""

from __future__ import annotations

import html
import re
import urllib.parse

import polars as pl

UNDOCS = "https://undocs.org/en/{}"
# A run of the marts' word diff (transforms/lineage/diff.py): removed words in [-...-], added in {+...+}.
_DIFF_RUN = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.DOTALL)


def esc(value) -> str:
    """HTML-escaped text; None becomes ""."""
    return "" if value is None else html.escape(str(value), quote=True)


def _lines(text: str) -> str:
    """Escaped text with its line breaks (sub-paragraphs) kept as <br>."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def highlight_html(text: str | None, spans) -> str:
    """``text`` escaped, with each (start, end) span wrapped in <mark>.

    Spans are offsets into the unescaped text, as ``warehouse.search.highlight_spans``
    gives them; overlapping or out-of-range spans are skipped.
    """
    text = text or ""
    out, pos = [], 0
    for span in sorted((int(s), int(e)) for s, e in (spans or [])):
        s, e = span
        if s < pos or e <= s or e > len(text):
            continue
        out += [_lines(text[pos:s]), "<mark>", _lines(text[s:e]), "</mark>"]
        pos = e
    out.append(_lines(text[pos:]))
    return "".join(out)


def diff_html(diff: str | None) -> str:
    """A changed paragraph's word diff as the snapshot stores it (``marts.paragraph_lineage.diff``,
    ``[-removed-] {+added+}``) as HTML: removed words in <del>, added in <ins>, the rest escaped."""
    diff = diff or ""
    out, pos = [], 0
    for m in _DIFF_RUN.finditer(diff):
        out.append(esc(diff[pos:m.start()]))
        out.append(f"<del>{esc(m.group(1))}</del>" if m.group(1) is not None else f"<ins>{esc(m.group(2))}</ins>")
        pos = m.end()
    out.append(esc(diff[pos:]))
    return "".join(out)


def undocs_url(symbol: str | None) -> str | None:
    """The official document's address on undocs.org ("A/RES/78/229")."""
    return UNDOCS.format(urllib.parse.quote(symbol, safe="/")) if symbol else None


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV; list columns become "; "-joined text (CSV has no lists)."""
    flat = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            inner = dtype.inner
            if isinstance(inner, pl.List):
                col = col.list.eval(pl.element().cast(pl.List(pl.String)).list.join("-"))
            elif inner != pl.String:
                col = col.list.eval(pl.element().cast(pl.String))
            col = col.list.join("; ")
        elif isinstance(dtype, (pl.Struct, pl.Array)):
            col = col.map_elements(str, return_dtype=pl.String)
        flat.append(col.alias(name))
    return frame.select(flat).write_csv().encode("utf-8")


def pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def short_label(theme: str | None) -> str:
    """A theme code as a short name for legends: "wildlife_crime" -> "Wildlife crime"."""
    if not theme:
        return ""
    return theme.replace("_", " ").capitalize()
