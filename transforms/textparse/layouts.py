"""One reader per layout (PDF-to-markdown, PyMuPDF markdown, pdftotext -layout), and the page furniture they share.

Each reader reduces its layout to an ``_Extracted`` (``transforms.textparse.tokens``): the
header, the body blocks in reading order with their tokens, and the footnotes.
"""

from __future__ import annotations

import re

from transforms.model import ParseError
from transforms.text import normalise
from transforms.textparse.tokens import HEAD, ITALIC_CLOSE, ITALIC_OPEN, LINK_CLOSE, LINK_OPEN, MARK, PAGE
from transforms.textparse.tokens import _OPERATIVE_START, _SUPERSCRIPT_RUN, _SUPERSCRIPTS, _Extracted, _strip_tokens
from transforms.textparse.tokens import hyphenated_words


# -- layout: PDF-to-markdown (the corpus sample) ------------------------------------
_MD_NOTE = re.compile(r"^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.*)$")


def _markdown(text: str) -> _Extracted:
    notes: dict[str, str] = {}
    order: list[str] = []
    kept: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        m = _MD_NOTE.match(line.strip())
        if m:
            current = m.group(1).translate(_SUPERSCRIPTS)
            notes[current] = m.group(2)
            order.append(current)
            kept.append("")
            continue
        if current is not None and line.strip() and not kept[-1:] == [""]:
            notes[current] += " " + line.strip()
            continue
        current = None
        kept.append(line)
    body = "\n".join(kept)
    body = _SUPERSCRIPT_RUN.sub(lambda m: f"{MARK}{m.group(0).translate(_SUPERSCRIPTS)}{MARK}", body)
    body = re.sub(r"\[([^\]\n]+)\]\([^)\s]*\)", lambda m: f"{LINK_OPEN}{m.group(1)}{LINK_CLOSE}", body)
    body = re.sub(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])", lambda m: f"{ITALIC_OPEN}{m.group(1)}{ITALIC_CLOSE}", body)
    body = body.replace("**", "\n").replace("*", "")
    header, blocks = _split_header(_blocks(_unescape(body)))
    return _Extracted(header, blocks, {k: _unescape(v) for k, v in notes.items()}, order)


# -- layout: PyMuPDF / pymupdf4llm markdown -----------------------------------------
_PM_NOTE = re.compile(r"^\[\^(\d+)\]:\s*(.*)$")


def _pymupdf(text: str) -> _Extracted:
    if text.lstrip().startswith("---\n"):
        rest = text.lstrip()[4:]
        end = rest.find("\n---")
        text = rest[end + 4:] if end >= 0 else rest
    lines = text.split("\n")
    notes: dict[str, str] = {}
    order: list[str] = []
    body_lines: list[str] = []
    current = None
    for line in lines:
        m = _PM_NOTE.match(line.strip())
        # Notes are numbered 1, 2, 3 through a resolution. A "note" numbered far past the next
        # (the window allows for a few notes the extract lost) is a wrapped line of the note
        # before it that began with a number, a year as a rule: "...31 July" / "2013 (S/INF/68)."
        if m and order and not int(order[-1]) < int(m.group(1)) <= int(order[-1]) + 10:
            notes[order[-1]] += f" {m.group(1)} {m.group(2)}"
            continue
        if m:
            current = m.group(1)
            notes[current] = m.group(2)
            order.append(current)
            continue
        if current is not None and line.startswith((" ", "\t")) and line.strip():
            notes[current] += " " + line.strip()
            continue
        current = None
        body_lines.append(line)
    pages = _split_pages(body_lines, lambda ln: bool(re.fullmatch(r"\s*-{3,}\s*", ln)))
    body = "\n".join(_drop_repeated_lines(_drop_running_lines(pages)))
    body = re.sub(r"\[([^\]\n]+)\]\([^)\s]*\)", lambda m: f"{LINK_OPEN}{m.group(1)}{LINK_CLOSE}", body)
    body = re.sub(r"\[\^(\d+)\]", lambda m: f"{MARK}{m.group(1)}{MARK}", body)
    body = re.sub(r"(?<![\w*])[_*](?![_*\s])([^_*\n]+?)(?<!\s)[_*](?![\w*])",
                  lambda m: f"{ITALIC_OPEN}{m.group(1)}{ITALIC_CLOSE}", body)
    body = body.replace("**", "").replace("#", "")
    # PyMuPDF writes each text block of the page on one line: a line is a block, whether or
    # not a blank line follows it (the real extracts run paragraphs on without one). Blocks
    # a page or column break cut are joined again by the assembler.
    header, blocks = _split_header(_blocks(re.sub(r"\n(?=\S)", "\n\n", body)))
    blocks = _plain_markers(blocks, notes, order)
    return _Extracted(header, blocks, notes, order, links_marked=False)


# -- layout: pdftotext -layout --------------------------------------------------------
_PT_FOOTER = re.compile(r"^\s*\d{2}-\d{5}(?:\s*\(E\))?\s+\d+/\d+\s*$|^\s*\d+/\d+\s+\d{2}-\d{5}(?:\s*\(E\))?\s*$")
# A note opens with its number left of the text column and two spaces after it; a wrapped
# line that happens to start with a number ("Supplement No." / "10 (E/2016/30)") does not.
_PT_NOTE_START = re.compile(r"^\s{0,10}(\d{1,3})\s{2,}(\S.*)$")


def _pdftotext(text: str) -> _Extracted:
    pages = [p.split("\n") for p in text.split("\f")]
    notes: dict[str, str] = {}
    order: list[str] = []
    body_pages: list[list[str]] = []
    for page in pages:
        page = [ln for ln in page if not _PT_FOOTER.match(ln)]
        rule = next((i for i, ln in enumerate(page) if re.fullmatch(r"\s*_{8,}\s*", ln)), None)
        if rule is None:
            expected = int(order[-1]) + 1 if order and order[-1].isdigit() else 1
            start = _notes_without_rule(page, expected)
            body, foot = (page, []) if start is None else (page[:start], page[start:])
        else:
            body, foot = page[:rule], page[rule + 1:]
        current = None
        for ln in foot:
            if _FURNITURE.fullmatch(ln.strip()):
                continue
            if rule is None:  # without a rule, only the next number opens a note (see _notes_without_rule)
                m = _PT_NOTE_LOOSE.match(ln)
                m = m if m and int(m.group(1)) == (int(order[-1]) + 1 if order else 1) else None
            else:
                m = _PT_NOTE_START.match(ln)
            if m and (not order or int(m.group(1)) == int(order[-1]) + 1 or m.group(1) not in notes):
                current = m.group(1)
                notes[current] = m.group(2).strip()
                order.append(current)
            elif current is not None and ln.strip():
                notes[current] = _join_wrapped(notes[current], ln.strip())
        body_pages.append(body)
    lines = _drop_running_lines(body_pages, page_break=PAGE)
    blocks, buf = [], []
    after_break = False
    margin = _left_margin(lines)
    for ln in lines + [""]:
        if ln.strip():
            buf.append(ln)
            continue
        if buf:
            # The first block of a page starts with PAGE: it may carry on the paragraph the page
            # broke; any other block follows a paragraph gap (see _Assembler._continues). A block
            # set off from the text column, every line of it, is centred: HEAD marks it.
            centred = _centred([_indent(x) - margin for x in buf])
            blocks.append((PAGE if after_break else "") + (HEAD if centred else "") + _unwrap(buf))
            buf = []
            after_break = False
        if ln == PAGE:
            after_break = True
    blocks = [b for b in blocks if b.strip()]
    header, blocks = _split_header(blocks)
    blocks = _plain_markers(blocks, notes, order)
    return _Extracted(header, blocks, notes, order, links_marked=False)


# A centred line stands at least this many columns right of the text column's left edge.
# A paragraph's first line is indented by about five (pdftotext -layout prints 4 to 8), the
# lines of a list item by about ten from the label; a centred heading is short and stands
# far in, and a centred heading long enough to start nearer the margin than this is read as
# a heading by what surrounds it instead (_Assembler._heading_run).
_CENTRED_INDENT = 12


def _centred(indents: list[int]) -> bool:
    """Whether a block's lines, by their indents from the text column, are set centred.

    A short centred line stands far in. A centred heading of two lines or more has a first
    line nearly as wide as the column (still set in from the margin) and shorter lines after
    it, far in; a paragraph's later lines start at the margin, a list item's at its hanging
    indent, nearer than a centred line's.
    """
    if len(indents) == 1:
        return indents[0] >= _CENTRED_INDENT
    return indents[0] >= 2 and all(x >= _CENTRED_INDENT for x in indents[1:])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _left_margin(lines: list[str]) -> int:
    """The text column's left edge: the indent most lines of the body share, or fewer."""
    indents = sorted(_indent(x) for x in lines if x.strip() and x != PAGE)
    return indents[len(indents) // 10] if indents else 0


_PT_NOTE_LOOSE = re.compile(r"^\s{0,10}(\d{1,3})\s+(\S.*)$")


def _notes_without_rule(page: list[str], expected: int) -> int | None:
    """Where a page's footnotes start when no rule was printed as text (pdftotext draws none).

    The notes are the page's last block: a run of lines, after a blank line, that opens with
    the next footnote number expected ("12 Resolution 70/1.", one space or more) and runs to
    the page's end, each later block of it opening with the note after. A body paragraph never
    opens with a bare number equal to the next note's and followed by another such block.
    """
    for i, ln in enumerate(page):
        m = _PT_NOTE_LOOSE.match(ln)
        if not m or int(m.group(1)) != expected or (i and page[i - 1].strip()):
            continue
        nxt, ok, blank = expected + 1, True, False
        for later in page[i + 1:]:
            if not later.strip():
                blank = True
                continue
            mm = _PT_NOTE_LOOSE.match(later)
            if mm and int(mm.group(1)) == nxt:
                nxt += 1
            elif blank:
                ok = False  # a block after a gap that is not the next note: body text, not notes
                break
            blank = False
        if ok:
            return i
    return None


def _unwrap(lines: list[str]) -> str:
    """One paragraph from its wrapped lines, mending words hyphenated at line ends."""
    out = lines[0].strip()
    for ln in lines[1:]:
        out = _join_wrapped(out, ln.strip())
    return out


def _join_wrapped(left: str, right: str) -> str:
    m = re.search(r"(\w+)-$", left)
    if m and right[:1].isalpha():
        first = re.match(r"[\w’']+", right).group(0)
        if f"{m.group(1)}-{first}".lower() in hyphenated_words():
            return left + right  # a compound broken at its own hyphen: capacity-building
        return left[:-1] + right
    if m and right[:1].isdigit():
        return left + right  # "P-" / "3 post": a word is never hyphenated before a digit (P-3, COVID-19)
    return f"{left} {right}"


# -- shared pre-processing ----------------------------------------------------------
def _split_pages(lines: list[str], is_break) -> list[list[str]]:
    pages, page = [], []
    for ln in lines:
        if is_break(ln):
            pages.append(page)
            page = []
        else:
            page.append(ln)
    pages.append(page)
    return pages


# Lines that are page furniture wherever they stand: a job number ("23-25976 (E)"), the
# barcode ("*2325976*"), a page number ("2/30"), or both on one line.
_FURNITURE = re.compile(r"\d{2}-\d{5}(?:\s*\([A-Z]\))?|\*\d{7}\*|\d{1,3}/\d{1,3}|"
                        r"\d{2}-\d{5}(?:\s*\([A-Z]\))?\s+\d{1,3}/\d{1,3}|\d{1,3}/\d{1,3}\s+\d{2}-\d{5}(?:\s*\([A-Z]\))?")


def _drop_running_lines(pages: list[list[str]], page_break: str = "") -> list[str]:
    """Remove running headers and footers: the same short line at the top or bottom of most pages."""
    if len(pages) < 2:
        return [ln for p in pages for ln in p]

    def edge(page: list[str]) -> list[str]:
        text = [ln.strip() for ln in page if ln.strip()]
        return text[:2] + text[-2:]

    def key(line: str) -> str:
        return re.sub(r"\s+", " ", line.strip())

    counts: dict[str, int] = {}
    for page in pages[1:]:
        for ln in {key(x) for x in edge(page)}:
            counts[ln] = counts.get(ln, 0) + 1
    # Odd and even pages swap their running header ("A/RES/78/229  Title" / "Title  A/RES/78/229"),
    # so each variant repeats on about half the pages: a quarter is enough.
    running = {ln for ln, n in counts.items() if n >= max(2, (len(pages) - 1) // 4) and len(ln) < 120}
    running |= {ln for ln in counts if len(ln) < 120 and re.search(r"(?:^|\s)A/RES/[\w-]+/\d+(?:\s|$)", ln)}
    out = []
    for i, page in enumerate(pages):
        top = {key(x) for x in edge(page)} if i else set()
        for ln in page:
            if key(ln) in running and key(ln) in top:
                continue
            if _FURNITURE.fullmatch(ln.strip()):
                continue
            out.append(ln)
        out.append(page_break)  # a page break ends a block; the assembler decides whether it ended a paragraph
    return out


# A line must have this many words to be taken for a running header by repetition alone:
# section labels ("I", "A", "Annex") legitimately recur, running titles are longer.
_RUNNING_MIN_WORDS = 3
# Running headers are a title or a title's first line; paragraphs are longer than this.
_RUNNING_MAX_CHARS = 150


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """Remove running headers found by repetition where the extract kept no page breaks.

    Some extractors (pymupdf markdown as published by third parties) drop the page
    separators, so a running header (the title, without symbol or page number) stands
    alone between the two halves of the paragraph it interrupts. It is recognised by
    recurring, not by what it says: a whole line that occurs more than once, or that
    repeats the title line printed under the number on the first page ("80/4. Title"
    counts as "Title"), is furniture wherever it recurs after "The General Assembly" as a
    block of its own (blank lines around it; a phrase the extract merely broke onto a line
    of its own is text). The line after an "Annex" heading is the annex's title and is kept even when it
    repeats the resolution's title.
    """
    def key(line: str) -> str:
        k = normalise(line.replace("**", "").replace("_", " ").replace("#", " "))
        return re.sub(r"^(?:A/RES/)?(?:E?S-)?\d{1,3}/\d{1,4}\.\s+", "", k)

    def candidate(k: str) -> bool:
        return (len(k.split()) >= _RUNNING_MIN_WORDS and len(k) <= _RUNNING_MAX_CHARS
                and not k.endswith((".", ",", ";", ":")) and not _OPERATIVE_START.match(k))

    counts: dict[str, int] = {}
    for ln in lines:
        k = key(ln)
        if candidate(k):
            counts[k] = counts.get(k, 0) + 1
    repeated = {k for k, n in counts.items() if n >= 2}
    if not repeated:
        return lines
    def alone(i: int) -> bool:  # a header is a block of its own, blank lines around it
        return (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip())

    out, in_body, after_annex = [], False, False
    for i, ln in enumerate(lines):
        k = key(ln)
        if in_body and k in repeated and not after_annex and alone(i):
            out.append("")  # the header stood between two blocks; keep the block break
            continue
        if k:
            after_annex = bool(re.fullmatch(r"Annex(?:\s+[IVX]+)?", k))
        if "The General Assembly" in k:
            in_body = True
        out.append(ln)
    return out


def _blocks(body: str) -> list[str]:
    blocks, buf = [], []
    for ln in body.split("\n"):
        if ln.strip():
            buf.append(ln.strip())
        elif buf:
            blocks.append(" ".join(buf))
            buf = []
    if buf:
        blocks.append(" ".join(buf))
    return blocks


_GA = re.compile(rf"^[{ITALIC_OPEN}]?The General Assembly[{ITALIC_CLOSE}]?\s*,?\s*[{ITALIC_CLOSE}]?\s*(.*)$")


def _split_header(blocks: list[str]) -> tuple[str, list[str]]:
    """Everything before "The General Assembly," is the header; the rest is the body."""
    for i, block in enumerate(blocks):
        pos = _strip_tokens(block).find("The General Assembly")
        if pos < 0:
            continue
        raw_pos = block.find("The General Assembly")
        if raw_pos < 0:
            raw_pos = block.find("The General")
        before, after = block[:raw_pos], block[raw_pos:]
        m = _GA.match(after)
        rest = m.group(1).strip() if m else after[len("The General Assembly"):].lstrip(" ,")
        header = " ".join(blocks[:i] + [before])
        return header, ([rest] if rest else []) + blocks[i + 1:]
    raise ParseError("no \"The General Assembly,\" line: not a General Assembly resolution")


def _plain_markers(blocks: list[str], notes: dict[str, str], order: list[str]) -> list[str]:
    """Turn plain-digit footnote markers glued to the text into marker tokens.

    A digit run is a marker only where it is the next footnote number expected and
    sits right after a letter, closing punctuation or a year ("May 201834" is 2018
    and marker 34): "thereto,1 the" is marker 1, "A/78/482" and "para. 29" are not.
    A marker the text lost (or the pattern missed) is skipped, up to three ahead,
    so that one miss does not lose every later footnote.
    """
    position = {m: i for i, m in enumerate(order)}
    at = 0
    out = []
    pattern = re.compile(
        r"(?:(?<=[A-Za-z\),.;:”’\"\]\x02])|(?<=\b(?:19|20)\d\d))(\d{1,3})(?=[\s,.;:)”’\"]|$)"
    )
    # Some extractors print a superscript marker as a digit set off by a space: "the Rome Statute
    # of the International Criminal Court 1 reaffirms", "for 2024/25; 4". Such a digit is a
    # marker only where it is exactly the next footnote expected, follows punctuation or a
    # capitalised word (markers follow the name of what the note cites) or a year, and is
    # followed by a lower-case word, the block's end or, after a full stop, a new sentence:
    # "paragraph 3 of" and "No. 39 (2022)" are not markers.
    spaced = re.compile(r"(?:[,.;:”’\"\)\]\x02]|\b[A-Z][\w’'\-]*|\b(?:19|20)\d\d)\s{1,2}(\d{1,3})(?=\s+\S|\s*$)")
    # Where each number stands glued to the text ("Goals,7"): a set-off digit ("Goal 7 of",
    # "Article 1 of") is not that note's marker when the glued form of the same number comes
    # later, since a glued digit after a word or punctuation is the stronger sign of a marker.
    glued: dict[str, list[tuple[int, int]]] = {}
    for b, block in enumerate(blocks):
        for m in pattern.finditer(block):
            glued.setdefault(m.group(1), []).append((b, m.start(1)))
        for m in _SUPERSCRIPT_RUN.finditer(block):
            glued.setdefault(m.group().translate(_SUPERSCRIPTS), []).append((b, m.start()))
    for b, block in enumerate(blocks):
        pieces, last = [], 0
        found = [(m.start(1), m.end(1), m.group(1), 4) for m in pattern.finditer(block)]
        found += [(m.start(1), m.end(1), m.group(1), 1) for m in spaced.finditer(block)]
        # Digits the extractor saw raised and small (transforms/pdf.py): markers by their type face.
        found += [(m.start(), m.end(), m.group().translate(_SUPERSCRIPTS), 0)
                  for m in _SUPERSCRIPT_RUN.finditer(block)]
        found.sort()
        for start, end, digits, ahead in found:
            i = position.get(digits)
            if ahead == 0 and start >= last and i is not None:
                pieces.append(block[last:start])
                pieces.append(f"{MARK}{digits}{MARK}")
                last = end
                at = max(at, i + 1)
                continue
            if start < last or i is None or not at <= i < at + ahead:
                continue
            if ahead == 1 and any(g > (b, start) for g in glued.get(digits, ())):
                continue  # "Goal 7 of the 2030 Agenda" before "the Goals,7 and"
            following = block[end:].lstrip()[:1]
            if ahead == 1 and following and not following.islower() and not (
                    following.isupper() and block[:start].rstrip().endswith(".")):
                continue  # "No. 39 (2022)": a set-off marker is followed by a lower-case word or a new sentence
            if block[start - 1:start] == "." and block[end:end + 1] not in ("", " "):
                continue  # "GC(69)/RES/9 A.2, entitled": a marker after a full stop ends the sentence
            if ahead == 4 and block[start - 1:start] == "." and _inside_number_or_symbol(block, start, end):
                continue  # "6.5 million", "C-24/DEC.4 and": a decimal or a symbol's segment, not a marker
            if ahead == 1 and re.search(r"(?<![\d/])\d{1,3}[,;]\s*$", block[:start]) and block[end:].strip():
                continue  # "articles 12, 13 and 14": after a small number, only at the block's end
            cut = len(block[last:start].rstrip()) + last if ahead == 1 else start
            pieces.append(block[last:cut])
            pieces.append(f"{MARK}{digits}{MARK}")
            last = end
            at = i + 1
        pieces.append(block[last:])
        out.append("".join(pieces).translate(_SUPERSCRIPTS))  # a raised digit that is no note's marker
    return out


def _inside_number_or_symbol(block: str, start: int, end: int) -> bool:
    """Whether the digits at block[start:end], glued to a full stop, continue a number or a symbol.

    A marker glued to a full stop ends a sentence. Where the word before the full stop ends in a
    digit ("6.5 million", "1.5 degrees") the digits are a decimal's fraction, and where it holds a
    slash ("C-24/DEC.4 and", "2/CP.17,") they are a document symbol's last segment, unless the
    block ends there or a new sentence (a capital) follows: "... adopted in 2015.4 The ..." is a
    marker after a year that ends a sentence.
    """
    word = block[:start - 1].rsplit(None, 1)[-1] if block[:start - 1].strip() else ""
    if not word or not (word[-1].isdigit() or "/" in word):
        return False
    following = block[end:].lstrip()[:1]
    return not (following == "" or following.isupper())


def _unescape(text: str) -> str:
    """Markdown escapes: "1373 \\(2001\\)" is "1373 (2001)"."""
    return re.sub(r"\\([()\[\]*_#.\-+!`])", r"\1", text)
