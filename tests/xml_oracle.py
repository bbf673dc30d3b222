"""An independent count of what an AKN4UN resolution file holds.

This is a test oracle for ``transforms.akn``: it counts paragraphs, printed
operative numbers, footnotes and citations with flat XPath queries over the raw
XML, without the parser's element-by-element walk, so that a slip in the walk
(an element it never visits, a heading it takes for a paragraph) shows up as a
disagreement between the two. Each rule below was checked against every file of
sessions 74-79 (1,973 files) and the session-80 fixtures (tests/fixtures/session-80/xml,
13 files, among them the sectioned 80/243); the comment on each says why the rule is
what it is.
"""

from __future__ import annotations

import re

from lxml import etree

NS = {"akn": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}

# Paragraph classes that print as headings ("I.", "A.", "Programme budget"): structure, not paragraphs.
HEADING_CLASSES = ("H1", "HCh", "H23", "H4")

# Text of an element with its footnotes left out, so that a bare note marker does not count as text.
_OWN_TEXT = ".//text()[not(ancestor::akn:authorialNote)]"

# A printed operative number is digits with an optional full stop ("12."); "(a)", "1.1", "A.", "I." are not.
_INT_NUM = re.compile(r"^(\d+)\.?$")

# A mainBody that only interrupts a preamble: the next element is a preamble again, and nothing in it
# marks a section: no printed num, no crossHeading, no heading-class paragraph and no paragraph whose
# every word is bold (MercuryDocument files print a section's "II" and title as bold paragraphs at the
# end of the mainBody before the section's preamble: 80/243). 77/118 has one: a lone unnumbered
# "Calling attention also ..." between its two preambles. In 80/243 the 19 preamble/mainBody pairs
# are the sections, and every mainBody is operative.
_BOLD_ONLY = ("akn:paragraph[not(.//text()[normalize-space()][not(ancestor::akn:authorialNote)]"
              "[not(ancestor::akn:span[contains(concat(' ', @class, ' '), ' bold ')])])]")
_HEADING_CLASS = "akn:paragraph[" + " or ".join(f"@class='{c}'" for c in ("H1", "HCh", "H23", "H4")) + "]"
_INTERRUPTS = (f"following-sibling::*[1][self::akn:preamble] and not(.//akn:num) and not(.//akn:crossHeading)"
               f" and not(.//{_HEADING_CLASS}) and not(.//{_BOLD_ONLY})")

_X = {
    # Resolutions of a collection (78/80 A and B) stand under components; a plain file has one statement.
    "parts": "/akn:akomaNtoso/akn:components//akn:statement[@name='resolution']",
    "single": "/akn:akomaNtoso/akn:statement",
    # The collection's coverPage docNumber ("A/RES/78/80 A-B") carries the base symbol of all its parts.
    "cover_number": "/akn:akomaNtoso/*[1]/akn:coverPage//akn:docNumber",
    # Each part's own letter is the docNumber of its preface ("A", or <span>B</span>).
    "part_letter": "akn:preface//akn:docNumber",
    # Preambular paragraphs are preamble/container, in every preamble (77/118 has two); the formula
    # ("The General Assembly,"), the "* * *" decoration p's (78/148, 78/149) and the three (a)-(c)
    # blockLists (74/40, 74/176, 75/55: items of the paragraph before) are not paragraphs of their own.
    "preamble": "akn:preamble/akn:container",
    # Budget resolutions (74/256, 78/253, 79/298) give each section a preamble coded as crossHeading
    # refersTo="#preamble", directly in mainBody or in a section/part/title/subsection; only the
    # statement's own mainBody counts (no crossHeading stands in an annex).
    "cross": "akn:mainBody//akn:crossHeading",
    # 77/118 is coded preamble, mainBody, preamble, mainBody: the first mainBody holds one preambular
    # paragraph ("Calling attention also") between the two preambles (_INTERRUPTS above).
    "preamble_in_body": f"akn:mainBody[{_INTERRUPTS}]/akn:paragraph",
    # Operative paragraphs: paragraph elements of the statement's own mainBodies at any depth (sections,
    # parts), one mainBody per section in 80/243; annexes live in attachments/attachment/doc/mainBody
    # and are left out by the child step.
    "operative": f"akn:mainBody[not({_INTERRUPTS})]//akn:paragraph",
    # A footnote counts once wherever it stands (preamble, paragraph, crossHeading, title, or the part
    # letter in a B resolution's preface); a note inside a note is part of the outer note.
    "notes": ".//akn:authorialNote[not(ancestor::akn:authorialNote)]",
    # Citations are links to the UN document system (undocs.org and its successor docs.un.org), also
    # those inside footnotes; links to other sites are not citations.
    "links": ".//akn:a[contains(@href, 'undocs.org') or contains(@href, 'docs.un.org')]",
    # Annexes are statement/attachments/attachment (53 files, each a doc name="annex").
    "annex": "akn:attachments/akn:attachment",
}


def _xp(el, key: str):
    return el.xpath(_X[key], namespaces=NS)


def _has_text(el) -> bool:
    return bool("".join(el.xpath(_OWN_TEXT, namespaces=NS)).strip())


def _squash(text: str) -> str:
    return " ".join((text or "").split())


def _operative_numbers(statement) -> list[int]:
    numbers = []
    for p in _xp(statement, "operative"):
        # Headings are laid out as paragraphs: a heading class, or no content/list to print.
        if p.get("class") in HEADING_CLASSES:
            continue
        if not p.xpath("akn:content | akn:list", namespaces=NS):
            continue
        # The whole num string (string(), not only its first text node) in case a span wraps the digits.
        num = _squash(p.xpath("string(akn:num)", namespaces=NS))
        m = _INT_NUM.match(num)
        # Sub-paragraphs typed as paragraphs ("(a)") and unnumbered text paragraphs carry no number.
        if m:
            numbers.append(int(m.group(1)))
    return numbers


def _counts(statement) -> dict:
    preamble = [c for c in _xp(statement, "preamble") if _has_text(c)]
    cross = [c for c in _xp(statement, "cross") if _has_text(c)]
    stray = [c for c in _xp(statement, "preamble_in_body") if _has_text(c)]
    return {
        "preambular": len(preamble) + len(cross) + len(stray),
        "operative_numbered": _operative_numbers(statement),
        "footnotes": len(_xp(statement, "notes")),
        "citations": len(_xp(statement, "links")),
        "annex_present": bool(_xp(statement, "annex")),
    }


def oracle_counts(data: bytes) -> dict[str, dict]:
    """Map each resolution symbol in one AKN4UN file to its counts.

    ``{"A/RES/78/80 A": {"preambular": 5, "operative_numbered": [1, 2, ...],
    "footnotes": 3, "citations": 4, "annex_present": False}, ...}``
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    tree = root.getroottree()
    covers = tree.xpath(_X["cover_number"], namespaces=NS)
    if not covers:
        raise ValueError("no coverPage docNumber")
    cover = _squash(covers[0].xpath("string()"))
    parts = tree.xpath(_X["parts"], namespaces=NS)
    out: dict[str, dict] = {}
    if parts:
        # "A/RES/78/80 A-B" -> "A/RES/78/80": the part range after the space names the parts, not the base.
        base = cover.split(" ")[0]
        for st in parts:
            letters = st.xpath(_X["part_letter"], namespaces=NS)
            # The letter may carry a full stop or wrapping whitespace ("B." / "<span>B</span>").
            letter = _squash(letters[0].xpath("string()")).rstrip(".") if letters else "?"
            out[f"{base} {letter}"] = _counts(st)
        return out
    for st in tree.xpath(_X["single"], namespaces=NS):
        # A lone part ("A/RES/77/253 B") is printed as such on the cover: keep the docNumber whole.
        out[cover] = _counts(st)
    return out
