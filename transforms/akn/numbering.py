"""Operative numbering: the blocks numbering restarts in, and two source slips repaired."""

from __future__ import annotations

import re

from transforms.model import Paragraph
from transforms.text import guess_operative_lead


_LEADING_NUMBER = re.compile(r"^(\d{1,3})(?:\.\s*|\s+)(?=[A-Z])")


def number_blocks(paragraphs: list[Paragraph]) -> list[str]:
    """Assign numbering blocks to operative paragraphs and repair two source slips.

    A block starts where numbering restarts at 1 in a new section: under a new
    heading, or after a preamble of the section's own (sectioned budget resolutions:
    78/253 codes each section's preamble as crossHeading, 80/243 as a preamble
    element; both head their sections, but a preamble between two operative parts
    marks a new section even where no heading was recognised). Repairs, each
    reported: a number typed into the text instead of ``num`` (75/68 paragraph 3),
    and a letter l typed for the digit 1 (76/256). Anything else irregular is left
    for the checks to report.
    """
    notes: list[str] = []
    block, last, last_heading, prev = 1, 0, None, None
    preamble_between = False  # a preambular paragraph since the last numbered operative one
    for p in paragraphs:
        if p.kind == "preambular":
            preamble_between = True
        if p.kind != "operative":
            continue
        if p.number is None:
            m = _LEADING_NUMBER.match(p.text)
            if m and int(m.group(1)) == last + 1:
                p.number = m.group(1)
                p.text = p.text[m.end():]
                p.lead_phrase = p.lead_phrase or guess_operative_lead(p.text)
                notes.append(f"operative paragraph {p.ordinal}: number {p.number} printed in the text, not in num")
        elif p.number == "l" and last == 0:
            p.number = "1"
            notes.append(f"operative paragraph {p.ordinal}: letter 'l' printed for number 1")
        elif (p.number.isdigit() and int(p.number) not in (last + 1, 1) and prev is not None
              and prev.text.rstrip().endswith(":")):
            # Quoted text (an amended statute article, 78/248) keeps its own numbers.
            notes.append(f"operative paragraph {p.ordinal}: number {p.number} belongs to quoted text, not the resolution")
            p.number = None
        prev = p
        if p.number and p.number.isdigit():
            n = int(p.number)
            if n == 1 and last >= 1 and (p.heading != last_heading or preamble_between):
                block += 1
            last = n
            last_heading = p.heading
            preamble_between = False
        p.numbering_block = block
    return notes
