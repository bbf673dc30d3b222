"""The parsed shape of one resolution, shared by every input format.

Both the AKN4UN XML parser and the text parser produce these objects, so that
everything downstream (frames, warehouse, marts) is indifferent to where a
resolution came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ParseError(ValueError):
    """Raised for any input that cannot be read as a GA resolution.

    The message names the problem in words an analyst can act on; the pipeline
    records it as the reason a file was quarantined.
    """


@dataclass
class SubParagraph:
    label: str | None  # "(a)", "(i)"; None for tables and notes laid out under a paragraph
    text: str
    depth: int = 1


@dataclass
class Paragraph:
    kind: str  # preambular | operative | annex
    ordinal: int  # 1-based position within its kind in the resolution
    number: str | None  # printed number without trailing full stop ("12", "1.1", "A")
    lead_phrase: str | None
    text: str  # the paragraph as printed, sub-paragraphs included, footnotes excluded
    heading: str | None = None  # the section heading the paragraph stands under
    # Operative numbering restarts in sectioned resolutions (budget texts: section I
    # paragraphs 1-10, section II paragraphs 1-8); block counts those restarts.
    numbering_block: int = 1
    subparagraphs: list[SubParagraph] = field(default_factory=list)
    footnote_markers: list[str] = field(default_factory=list)


@dataclass
class Footnote:
    marker: str
    text: str
    paragraph_kind: str
    paragraph_ordinal: int
    # Where the marker stands: in the paragraph itself, in a heading above it, or in
    # the resolution title (attached to the first paragraph).
    location: str = "paragraph"


@dataclass
class Citation:
    paragraph_kind: str
    paragraph_ordinal: int
    target_symbol: str
    href: str | None
    anchor_text: str
    in_footnote: bool


@dataclass
class ParsedResolution:
    symbol: str  # "A/RES/78/229", "A/RES/77/253 B", "A/RES/S-32/1"
    base_symbol: str  # without the part letter
    part: str | None
    session: int  # the regular GA session during which it was adopted
    session_label: str  # "78", "S-32" (special), "ES-11" (emergency special)
    adopted_on: dt.date | None
    title: str
    source_format: str  # xml | text
    language: str = "eng"
    agenda_items: list[str] = field(default_factory=list)
    agenda_item_names: list[str] = field(default_factory=list)
    committee: str | None = None
    originating_document: str | None = None
    report_symbol: str | None = None
    report_paragraph: str | None = None
    plenary_meeting: str | None = None
    vote_outcome: str | None = None  # without_vote | recorded_vote
    votes_in_favour: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None
    voters: dict[str, list[str]] = field(default_factory=dict)  # position -> States
    draft_symbol: str | None = None
    sponsors: list[str] = field(default_factory=list)
    additional_sponsors: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    keywords: list[tuple[str, str]] = field(default_factory=list)  # (dictionary, term)
    frbr_uri: str | None = None
    published_on: dt.date | None = None
    is_reissue: bool = False
    # Departures from the printed structure the parser repaired or noticed, in words.
    parse_notes: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.adopted_on.year if self.adopted_on else None
