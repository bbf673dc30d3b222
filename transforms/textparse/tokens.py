"""The tokens the layout readers embed in their blocks and the assembler reads, and what both share.

A reader (``transforms.textparse.layouts``) reduces a layout to an ``_Extracted``: a header,
body blocks in reading order with footnote markers, links, italics, page breaks and centred
blocks kept as the control-character tokens below, and the footnotes. The assembler
(``transforms.textparse.assemble``) reads those tokens back.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path


MARK = "\x00"  # \x00{marker}\x00 stands where a footnote marker was
PAGE = "\f"  # opens a block that a page break, not a paragraph gap, set off (pdftotext layout)
HEAD = "\x1d"  # opens a block set centred (pdftotext layout): a heading unless numbered
LINK_OPEN, LINK_CLOSE = "\x01", "\x02"  # \x01{anchor}\x02 is a link's visible text
ITALIC_OPEN, ITALIC_CLOSE = "\x03", "\x04"


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_OPERATIVE_START = re.compile(r"^(\d{1,3})\.\s+(?=\S)")
_SUB_LABEL = re.compile(r"^\(((?:[a-z]{1,2})|(?:[ivxlc]{1,6}))\)\s+(?=\S)")
_HYPHENATED = Path(__file__).parents[1] / "data" / "hyphenated_words.txt"


@dataclass
class _Extracted:
    header: str
    blocks: list[str]  # body blocks in reading order, tokens embedded
    notes: dict[str, str]  # marker -> text
    note_order: list[str] = field(default_factory=list)
    links_marked: bool = True  # the layout kept links; otherwise citations come from the text


@functools.cache
def hyphenated_words() -> frozenset[str]:
    """Compounds printed with a hyphen in the official XML (capacity-building, follow-up)."""
    if not _HYPHENATED.exists():
        return frozenset()
    return frozenset(w.strip().lower() for w in _HYPHENATED.read_text(encoding="utf-8").split() if w.strip())


def _strip_tokens(text: str) -> str:
    text = re.sub(f"{MARK}[^{MARK}]*{MARK}", "", text)
    return text.translate({ord(LINK_OPEN): None, ord(LINK_CLOSE): None, ord(ITALIC_OPEN): None,
                           ord(ITALIC_CLOSE): None, ord(PAGE): None, ord(HEAD): None})
