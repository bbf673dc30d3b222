"""Citations in text from a PDF: the symbol a link's anchor names, and symbols named in plain text."""

from __future__ import annotations

import re

from transforms.text import normalise


# -- citations -------------------------------------------------------------------------
def symbol_from_anchor(anchor: str) -> str | None:
    """The document symbol a link's visible text stands for, as undocs.org would name it."""
    a = normalise(anchor)
    if re.fullmatch(r"(?:E?S-)?\d{1,3}/\d{1,4}(?: [A-Z])?", a):
        return f"A/RES/{a.replace(' ', '')}" if " " not in a else f"A/RES/{a}"
    if re.fullmatch(r"\d{4}/\d{1,3}", a):  # Economic and Social Council: 2021/25
        return f"E/RES/{a}"
    m = re.fullmatch(r"(\d{1,4})\s*(?:[A-Z]\s*)?\(([IVXL]+|\d{4})\)", a)
    if m:
        return f"S/RES/{m.group(1)}({m.group(2)})" if m.group(2).isdigit() else f"A/RES/{m.group(1)}({m.group(2)})"
    if re.fullmatch(r"[A-Z][A-Za-z.]*(?:/[A-Za-z0-9.\-()]+)+", a):
        return a
    return None


_GA_NUMBER = r"(?:E?S-\d{1,2}|3[1-9]|[4-9]\d|1\d\d)/\d{1,4}"  # two-part GA numbers start at session 31
_TEXT_SYMBOLS = re.compile(
    r"(?i:resolutions?)\s+((?:(?:" + _GA_NUMBER + r"|\d{4}/\d{1,3}|\d{3,4}\s\(\d{4}\)|\d{2,4}\s+[A-Z]\s+\([IVXL]+\))(?:\s+[A-Z]\b)?"
    r"(?:,\s+|\s+and\s+|\s+of\s+\d{1,2}\s+\w+\s+\d{4}(?:,\s+|\s+and\s+)?)?)+)"
    r"|\b([A-Z]{1,6}(?:\.\d+)?(?:/[A-Z0-9][A-Za-z0-9.\-]*){2,})"
)


def citations_in_text(text: str) -> list[tuple[str, str]]:
    """Symbols cited in plain text, where the layout lost the links: "resolutions 69/193 and
    69/196", "Council resolution 2021/25", "resolution 1373 (2001)", "A/78/482". Small
    numbers like "resolution 9/8" are other bodies' (a Conference of the Parties)."""
    found = []
    for m in _TEXT_SYMBOLS.finditer(text):
        if m.group(1):
            for num in re.findall(_GA_NUMBER + r"|\d{4}/\d{1,3}|\d{3,4}\s\(\d{4}\)|\d{2,4}\s+[A-Z]\s+\([IVXL]+\)",
                                  m.group(1)):
                target = symbol_from_anchor(num)
                if target:
                    found.append((target, num))
        elif m.group(2):
            sym = m.group(2).rstrip(".")
            found.append((sym, sym))
    return found
