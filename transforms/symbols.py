"""Resolution symbols, sessions and dates: one place for the rules of the UN's naming.

A symbol is always read from the document (docNumber, FRBR URI), never from a file
name alone; these helpers normalise what the documents and DGACM's metadata write.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

# "A/RES/78/229", "A/RES/77/253 B", "A/RES/75/254 A-C", "A/RES/S-32/1", "A/RES/ES-11/4"
_SYMBOL_RE = re.compile(
    r"^A/RES/(?P<session>(?:E?S-)?\d+)/(?P<number>\d+)\s*(?P<parts>[A-Z](?:\s*-\s*[A-Z])?)?$"
)
# FRBR work URI tail: "78-229", "77-253B", "S-32-1", "75-254A-C"
_FRBR_RE = re.compile(r"/(?P<date>\d{4}-\d{2}-\d{2})/(?P<session>(?:E?S-)?\d+)-(?P<number>\d+)(?P<parts>[A-Z](?:-[A-Z])?)?/")

# Regular sessions open in the second half of September; a special or emergency
# special session belongs to the regular session running when it meets.
_SESSION_OPENS = (9, 1)


class SymbolError(ValueError):
    pass


def parse_symbol(text: str) -> tuple[str, str, int, list[str]]:
    """Return (base_symbol, session_label, number, parts) for a printed symbol.

    parts is [] for a plain resolution, ["B"] for one part, ["A", "B", "C"] for
    a collection printed "A-C".
    """
    cleaned = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip().rstrip(".")
    m = _SYMBOL_RE.match(cleaned)
    if not m:
        raise SymbolError(f"not a General Assembly resolution symbol: {text!r}")
    label, number = m.group("session"), int(m.group("number"))
    base = f"A/RES/{label}/{number}"
    return base, label, number, expand_parts(m.group("parts"))


def expand_parts(parts: str | None) -> list[str]:
    if not parts:
        return []
    letters = [p.strip() for p in parts.split("-")]
    if len(letters) == 1:
        return letters
    first, last = ord(letters[0]), ord(letters[-1])
    if last < first:
        raise SymbolError(f"part range runs backwards: {parts!r}")
    return [chr(c) for c in range(first, last + 1)]


def part_symbol(base: str, part: str | None) -> str:
    return f"{base} {part}" if part else base


def expand_symbol(text: str) -> list[str]:
    """Every resolution a printed symbol stands for: "A/RES/75/254 A-C" is three."""
    base, _, _, parts = parse_symbol(text)
    return [part_symbol(base, p) for p in parts] or [base]


def parse_frbr_uri(uri: str) -> dict | None:
    m = _FRBR_RE.search(uri or "")
    if not m:
        return None
    return {
        "date": dt.date.fromisoformat(m.group("date")),
        "session_label": m.group("session"),
        "number": int(m.group("number")),
        "parts": expand_parts(m.group("parts")),
    }


def regular_session_for(day: dt.date) -> int:
    """The regular session of the General Assembly in progress on a day.

    Session 1 opened in 1946; session N opens in September of 1945 + N.
    """
    opens = dt.date(day.year, *_SESSION_OPENS)
    return day.year - 1945 if day >= opens else day.year - 1946


def session_bounds(session: int) -> tuple[dt.date, dt.date]:
    """First and last day a resolution of regular session N can carry.

    Sessions open in September and run until the next one opens; resumed parts
    stretch into the following September, so the window is the calendar span
    from 1 September of the opening year to 30 September of the next.
    """
    start = dt.date(1945 + session, 9, 1)
    return start, dt.date(1946 + session, 9, 30)


def session_of(label: str, adopted_on: dt.date | None) -> int:
    if label.isdigit():
        return int(label)
    if adopted_on is None:
        raise SymbolError(f"cannot place special session {label} without an adoption date")
    return regular_session_for(adopted_on)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"],
        start=1,
    )
}


def parse_date(text: str | None) -> dt.date | None:
    """Read the date formats DGACM writes: ISO, ISO with a time, "16 December 2020"."""
    if text is None:
        return None
    s = str(text).strip()
    if not s or s.upper() in {"N.A.", "NA", "NONE"}:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        y, mo, d = map(int, m.groups())
        if y < 1945:  # DGACM writes 0001-01-01 for "no date"
            return None
        return dt.date(y, mo, d)
    m = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$", s)
    if m and m.group(2).lower() in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    raise ValueError(f"unrecognised date: {text!r}")


def undocs_symbol(href: str) -> str | None:
    """The document symbol an undocs.org (or docs.un.org) link points at, or None for other links."""
    m = _UNDOCS_LINK.search(href or "")
    if not m:
        return None
    target = unquote(m.group(1)).strip().strip("/")
    return _SPACES.sub(" ", target) or None


# Compiled once: the parser asks for every link of every resolution (some 44,000 a build).
_UNDOCS_LINK = re.compile(r"(?:undocs\.org|docs\.un\.org)/(?:(?:en|fr|es|ar|ru|zh)/)?(.+)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
