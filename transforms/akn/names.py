"""Committees, committee reports and lists of States as a resolution prints them; shared by the
XML and the text parsers."""

from __future__ import annotations

import re

from transforms.text import normalise


_COMMITTEES = {
    "firstCommittee": "First Committee",
    "secondCommittee": "Second Committee",
    "thirdCommittee": "Third Committee",
    "fourthCommittee": "Special Political and Decolonization Committee (Fourth Committee)",
    "fifthCommittee": "Fifth Committee",
    "sixthCommittee": "Sixth Committee",
    "noMainCommittee": "Without reference to a Main Committee",
}
# Names of States that contain " and ", so that sponsor lists split correctly.
_AND_NAMES = (
    "Antigua and Barbuda",
    "Bosnia and Herzegovina",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Trinidad and Tobago",
    "United Kingdom of Great Britain and Northern Ireland",
    "Heard Island and McDonald Islands",
    "Turks and Caicos Islands",
    "Wallis and Futuna",
)


def report_of(originating: str) -> tuple[str | None, str | None]:
    """The committee report and paragraph in "A/78/482, para. 29"; a draft (A/78/L.1) is no report."""
    m = re.match(r"^(\S+?)(?:\s+and\s+\S+)*,\s*para(?:s)?\.\s*(.+)$", originating)
    if m:
        return m.group(1), m.group(2)
    if "/L." not in originating:
        return originating.split(" and ")[0], None
    return None, None


def committee_named(name: str) -> str:
    """The XML's name for a committee named in print ("Fourth Committee" has a longer one)."""
    for full in _COMMITTEES.values():
        if name.casefold() == full.casefold() or f"({name.casefold()})" in full.casefold():
            return full
    if name.casefold().startswith("without reference"):
        return _COMMITTEES["noMainCommittee"]
    return name


def _split_items(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b)\s*", normalise(text))
    return [p for p in (x.strip() for x in parts) if p]


def split_states(text: str) -> list[str]:
    """Split "A, B, Bosnia and Herzegovina and C" into names, keeping compound names whole."""
    text = normalise(text)
    if not text:
        return []
    if text[0].islower():  # "submitted by the Committee on Information"
        return [re.sub(r"^submitted by (the )?", "", text, flags=re.I).strip()]
    protected = text
    for i, name in enumerate(_AND_NAMES):
        protected = protected.replace(name, f"\x00{i}\x00")
    names = []
    for chunk in re.split(r",\s*|\s+and\s+", protected):
        chunk = chunk.strip()
        if not chunk:
            continue
        if "\x00" in chunk:  # a protected compound name (most chunks have none: skip the regex)
            chunk = re.sub(r"\x00(\d+)\x00", lambda m: _AND_NAMES[int(m.group(1))], chunk)
        names.append(chunk)
    return names
