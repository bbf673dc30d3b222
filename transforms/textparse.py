"""Parse a resolution from text extracted from its PDF into the same shape as the XML.

Three layouts reach analysts, each with its own page furniture:

* ``markdown``: PDF-to-markdown as in the corpus sample (A/RES/78/229): the header
  run together with ``**``/``*`` markup, footnote blocks left where the page ended
  (often mid-sentence), superscript markers (¹, ⁵³), ``[46/152](#)`` links;
* ``pymupdf``: PyMuPDF/pymupdf4llm markdown: YAML front matter, ``_italic_``,
  plain-digit markers glued to the text, ``[^n]:`` footnotes at the end, pages
  separated by ``-----`` with running headers;
* ``pdftotext``: ``pdftotext -layout``: fixed-width lines, form feeds between
  pages, running headers and footers (symbol, job number, page "2/17"), footnotes
  under a rule at the page bottom, words hyphenated at line ends.

Each layout is first reduced to the same thing: a header, body blocks in reading
order (markers and links kept as tokens) and the footnotes. One assembler then
rebuilds paragraphs, which is where the layouts' shared difficulty lies: a
paragraph interrupted by a page break or a footnote block must be joined again,
and only a real paragraph opening (a lead phrase, a number, a sub-paragraph
label) may start a new one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from transforms.akn import committee_named, report_of
from transforms.encoding import bom_encoding, looks_like_utf16, utf8_problem
from transforms.lexicon import lead_phrase
from transforms.model import Citation, Footnote, Paragraph, ParsedResolution, ParseError, SubParagraph
from transforms.symbols import SymbolError, parse_date, session_of
from transforms.text import normalise

MARK = "\x00"  # \x00{marker}\x00 stands where a footnote marker was
PAGE = "\f"  # opens a block that a page break, not a paragraph gap, set off (pdftotext layout)
HEAD = "\x1d"  # opens a block set centred (pdftotext layout): a heading unless numbered
LINK_OPEN, LINK_CLOSE = "\x01", "\x02"  # \x01{anchor}\x02 is a link's visible text
ITALIC_OPEN, ITALIC_CLOSE = "\x03", "\x04"

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_OPERATIVE_START = re.compile(r"^(\d{1,3})\.\s+(?=\S)")
_SUB_LABEL = re.compile(r"^\(((?:[a-z]{1,2})|(?:[ivxlc]{1,6}))\)\s+(?=\S)")
_CLOSING = re.compile(r"^(\d+)(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting\b", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
                   r"November|December)\s+\d{4})\b")
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"}
_TERMINAL = (",", ";", ":", ".")
_HYPHENATED = Path(__file__).with_name("data") / "hyphenated_words.txt"


# -- entry point -------------------------------------------------------------------
def parse_text(data: bytes, name: str = "<bytes>") -> ParsedResolution:
    """Parse one text file (any of the three layouts) into a ParsedResolution."""
    text = decode(data, name)
    layout = detect_layout(text)
    try:
        extracted = {"markdown": _markdown, "pymupdf": _pymupdf, "pdftotext": _pdftotext}[layout](text)
    except ParseError as exc:
        raise ParseError(f"{name}: {exc}") from exc
    try:
        return _Assembler(extracted, name, layout).build()
    except (SymbolError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(f"{name}: {exc}") from exc


# In text from a PDF: "A/RES/78/229" on the cover, or "78/229." opening the title.
_TEXT_SYMBOL = re.compile(r"(?:A/RES/(\d{2,3})/\d{1,4}\b|(?:^|[\s*#_])(\d{2,3})/\d{1,4}\.\s)")
def session_from_text(data: bytes) -> int | None:
    """The session of a text resolution, from the symbol it prints."""
    encoding = bom_encoding(data) or "utf-8"
    width = 4 if "32" in encoding else 2 if "16" in encoding else 1
    head = data[: 20_000 * width].decode(encoding, errors="replace")
    m = _TEXT_SYMBOL.search(head)
    return int(m.group(1) or m.group(2)) if m else None


def decode(data: bytes, name: str) -> str:
    """The file as text.

    UTF-8 (with or without a BOM) is read as it is; UTF-16 and UTF-32 only with a
    byte-order mark, which names the encoding without guessing (Windows saves
    "Unicode" text that way). Anything else is refused with the byte and line where
    it stops being UTF-8: a Latin-1 or Windows-1252 file decodes "successfully"
    under any 8-bit guess, so guessing would put mis-read characters into the
    warehouse silently, while a rejection names the fix (save the file as UTF-8).
    """
    if not data or not data.strip():
        raise ParseError(f"{name}: empty file")
    encoding = bom_encoding(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"{name}: not valid {encoding} text despite its byte-order mark: {exc.reason} at "
                             f"offset {exc.start} (wrong encoding or truncated file)") from exc
        text = text.lstrip("\ufeff")
        if not text.strip():
            raise ParseError(f"{name}: empty file (only a byte-order mark)")
    else:
        if b"\x00" in data:
            utf16 = looks_like_utf16(data)
            if utf16:
                raise ParseError(f"{name}: text in the wrong encoding: {utf16} without a byte-order mark "
                                 "(save it as UTF-8, or as UTF-16 with a BOM)")
            raise ParseError(f"{name}: binary file (NUL byte at offset {data.index(0)}), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"{name}: {utf8_problem(data, exc)}") from exc
    if "\x00" in text:
        raise ParseError(f"{name}: binary file (NUL character at offset {text.index(chr(0))}), not text")
    head = text[:4096]
    if sum(ch.isprintable() or ch in "\n\r\t\f" for ch in head) < 0.95 * len(head):
        raise ParseError(f"{name}: binary file (control characters), not text")
    # U+0001-U+0004 are this parser's own link and italic tokens: a stray one (an unmapped glyph
    # in a PDF extract) would open a fake link or swallow text, so it is shown as U+FFFD instead.
    text = text.translate(_TOKEN_CHARS)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_TOKEN_CHARS = {ord(c): "\ufffd" for c in (LINK_OPEN, LINK_CLOSE, ITALIC_OPEN, ITALIC_CLOSE)}


def detect_layout(text: str) -> str:
    if text.lstrip().startswith("---\n") or re.search(r"^\[\^\d+\]:", text, re.MULTILINE):
        return "pymupdf"
    if "\f" in text or re.search(r"^\s*_{8,}\s*$", text, re.MULTILINE) or re.search(r"^ {20,}\S", text, re.MULTILINE):
        return "pdftotext"
    return "markdown"


@dataclass
class _Extracted:
    header: str
    blocks: list[str]  # body blocks in reading order, tokens embedded
    notes: dict[str, str]  # marker -> text
    note_order: list[str] = field(default_factory=list)
    links_marked: bool = True  # the layout kept links; otherwise citations come from the text


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


@functools.cache
def hyphenated_words() -> frozenset[str]:
    """Compounds printed with a hyphen in the official XML (capacity-building, follow-up)."""
    if not _HYPHENATED.exists():
        return frozenset()
    return frozenset(w.strip().lower() for w in _HYPHENATED.read_text(encoding="utf-8").split() if w.strip())


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


def _ends_sentence(raw: str) -> bool:
    """Whether a piece of text ends with the punctuation that ends a paragraph or a list item."""
    plain = normalise(_strip_tokens(raw)).rstrip("”’\")] ")
    return plain.endswith(_TERMINAL)


def _unescape(text: str) -> str:
    """Markdown escapes: "1373 \\(2001\\)" is "1373 (2001)"."""
    return re.sub(r"\\([()\[\]*_#.\-+!`])", r"\1", text)


def _clean_note(text: str) -> str:
    text = re.sub(r"\[([^\]\n]+)\]\([^)\s]*\)", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"(?<![\w*])[_*]([^_*\n]+?)[_*](?![\w*])", r"\1", text)
    return normalise(text.replace("*", ""))


def _strip_tokens(text: str) -> str:
    text = re.sub(f"{MARK}[^{MARK}]*{MARK}", "", text)
    return text.translate({ord(LINK_OPEN): None, ord(LINK_CLOSE): None, ord(ITALIC_OPEN): None,
                           ord(ITALIC_CLOSE): None, ord(PAGE): None, ord(HEAD): None})


# -- assembly ------------------------------------------------------------------------
class _Assembler:
    def __init__(self, extracted: _Extracted, name: str, layout: str):
        self.x = extracted
        self.name = name
        self.layout = layout
        self.paragraphs: list[Paragraph] = []
        self.footnotes: list[Footnote] = []
        self.citations: list[Citation] = []
        self.counters = {"preambular": 0, "operative": 0, "annex": 0}
        self.kind = "preambular"
        self.plenary_meeting: str | None = None
        self.closing_date: dt.date | None = None
        self.closed = False
        self.heading_markers: list[str] = []  # markers of a heading, for the paragraph under it

    def build(self) -> ParsedResolution:
        head = self._header()
        self._body()
        if not self.paragraphs:
            raise ParseError(f"{self.name}: no paragraphs after \"The General Assembly,\"")
        adopted = head["adopted_on"] or self.closing_date
        res = ParsedResolution(
            symbol=head["symbol"],
            base_symbol=head["symbol"],
            part=None,
            session=session_of(head["label"], adopted),
            session_label=head["label"],
            adopted_on=adopted,
            title=head["title"],
            source_format="text",
            agenda_items=head["agenda_items"],
            agenda_item_names=head["agenda_item_names"],
            committee=head["committee"],
            originating_document=head["originating"],
            report_symbol=head["report"][0],
            report_paragraph=head["report"][1],
            plenary_meeting=self.plenary_meeting,
        )
        res.paragraphs, res.footnotes, res.citations = self.paragraphs, self.footnotes, self.citations
        for m in head["title_markers"]:
            self._attach_note(m, self.paragraphs[0], "title")
        self.footnotes.sort(key=lambda f: _marker_key(f.marker))
        return res

    # header
    def _header(self) -> dict:
        raw = self.x.header
        title_markers = re.findall(f"{MARK}([^{MARK}]*){MARK}", raw)
        h = normalise(_strip_tokens(raw))
        m = re.search(r"(?:^|\s)(?:A/RES/)?((?:E?S-)?\d{1,3})/(\d{1,4})\.\s+(.+?)\s*$", h)
        if not m:
            raise ParseError(f"{self.name}: no resolution number and title (\"78/229. Title\") in the header")
        label, number, title = m.group(1), m.group(2), m.group(3)
        symbol = f"A/RES/{label}/{number}"
        adopted = None
        d = re.search(r"Resolutions? adopted by the General Assembly\s+on\s+(\d{1,2}\s+\w+\s+\d{4})", h)
        if d:
            adopted = parse_date(d.group(1))
        committee = originating = None
        p = re.search(r"\[((?:on the report of|without reference to).+?)\]", h)
        if p:
            inner = p.group(1)
            cut = inner.rfind(" (")
            originating = inner[cut + 2:].rstrip(")") if cut >= 0 else None
            who = inner[:cut] if cut >= 0 else inner
            who = re.sub(r"^on the report of (the )?", "", who)
            committee = committee_named(who.strip())
        items, names = [], []
        a = re.search(r"Agenda items?\s+(.+?)\s+(?=[A-Z])(.*?)\s*(?:Resolutions? adopted|$)", h)
        if a:
            items = [x for x in re.split(r"\s*(?:,|\band\b)\s*", a.group(1)) if x]
            names = [a.group(2).strip()] if a.group(2).strip() else []
        return {
            "symbol": symbol, "label": label, "title": title, "adopted_on": adopted, "committee": committee,
            "originating": originating, "report": report_of(originating) if originating else (None, None),
            "agenda_items": items, "agenda_item_names": names, "title_markers": title_markers,
        }

    # body
    def _body(self) -> None:
        current: Paragraph | None = None
        pending = ""  # the text of the paragraph being gathered, tokens embedded
        queue = list(reversed(self.x.blocks))
        labels = _Labels()
        while queue:
            block = queue.pop()
            plain = normalise(_strip_tokens(block))
            if not plain:
                continue
            split = self._split_block(block, plain)
            if split:
                queue.extend(reversed(split))
                continue
            if _OPERATIVE_START.match(plain) or re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                labels.close()
            elif current is not None:
                restored = labels.restore(plain)
                if restored:
                    block, plain = f"{restored} {block.lstrip()}", f"{restored} {plain}"
            labels.saw(plain)
            closing = _CLOSING.match(plain)
            if closing and self.kind != "annex":
                self.plenary_meeting = normalise(closing.group(0))
                d = _DATE.search(plain)
                if d:
                    self.closing_date = parse_date(d.group(1))
                if current is not None:
                    self._finish(current, pending)
                current, pending = None, ""
                self.closed = True  # after the closing only an annex may follow
                continue
            if self.closed and self.kind != "annex" and not re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                continue
            if current is None and self.closing_date is None and plain.startswith(tuple(_DATE_LINES)):
                continue
            if re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                if current is not None:
                    self._finish(current, pending)
                # "Annex" and the annex's title are its heading, not paragraphs (as parse_akn
                # reads the attachment's docType and docTitle, or its bold lines).
                self.kind = "annex"
                current, pending = None, ""
                self._heading([block, *self._heading_run(queue, opening=True)])
                continue
            if block.lstrip(PAGE).startswith(HEAD) and not _OPERATIVE_START.match(plain) \
                    and not _SUB_LABEL.match(plain) and not _ends_sentence(block):
                if current is not None:
                    self._finish(current, pending)
                current, pending = None, ""
                self._heading([block])  # a centred line between paragraphs: a section heading
                continue
            if current is None or _ends_sentence(pending):
                queue.append(block)
                run = self._heading_run(queue, opening=False)
                if not run:
                    queue.pop()
                else:
                    if current is not None:
                        self._finish(current, pending)
                    current, pending = None, ""
                    self._heading(run)
                    continue
            if current is not None and self._continues(pending, plain, block):
                pending = _glue(pending, block)
                continue
            if current is not None:
                self._finish(current, pending)
            current, pending = self._open(block, plain)
        if current is not None:
            self._finish(current, pending)

    def _heading_run(self, queue: list[str], opening: bool) -> list[str]:
        """The blocks at the end of ``queue`` (the next to read) that are a heading, popped.

        A heading is a run of lines none of which ends a sentence or carries a paragraph
        number or a list label, standing between the end of one paragraph and a paragraph
        that opens with its number, a label or a capital ("II" / "Our call to action" /
        "7. We ..."; "Annex" / its title / "1. The Conference ..."). Right after "Annex" the run
        is the annex's title whatever follows it; elsewhere only a numbered paragraph after the
        run makes it a heading, since an unnumbered line that does not end a sentence is more
        often a paragraph carried over a page. A run followed by a lower-case line is the
        opening of a sentence, never a heading.
        """
        run = []
        i = len(queue) - 1
        while i >= 0:
            plain = normalise(_strip_tokens(queue[i]))
            if not plain:
                i -= 1
                continue
            if _OPERATIVE_START.match(plain) or _SUB_LABEL.match(plain) or _ends_sentence(queue[i]) \
                    or _CLOSING.match(plain) or re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                break
            run.append(i)
            i -= 1
        if not run:
            return []
        after = normalise(_strip_tokens(queue[i])) if i >= 0 else ""
        if after[:1].islower():
            return []
        if not opening and not (_OPERATIVE_START.match(after) or re.fullmatch(r"Annex(?:\s+[IVX]+)?", after)):
            return []
        blocks = [queue[j] for j in run]
        del queue[i + 1:]
        return blocks

    def _heading(self, blocks: list[str]) -> None:
        """Keep a heading's footnote markers for the paragraph under it, as parse_akn does."""
        self.heading_markers.extend(m for b in blocks for m in re.findall(f"{MARK}([^{MARK}]*){MARK}", b))

    def _split_block(self, block: str, plain: str) -> list[str] | None:
        """A block holding two structural units the extract ran together, as two blocks.

        * "Annex <title>": after the closing, the annex heading and the annex's title on one
          line (the XML keeps them as two paragraphs);
        * "...in persons.8 6. We recall ...": the next paragraph, numbered with the next number
          expected, run into the end of the one before after its sentence-final punctuation
          (and footnote marker). Only the next number splits: "paragraph 6. of" or a list of
          numbers never stands after a full stop with exactly the expected number.
        """
        if self.closed and self.kind != "annex":
            m = re.match(r"\s*(Annex(?:\s+[IVX]+)?)\s+(?=[A-Z0-9\x03])", block)
            if m and not plain.endswith((".", ";", ",")):
                return [m.group(1), block[m.end():]]
        own = _OPERATIVE_START.match(plain)
        numbers = [p.number for p in self.paragraphs if p.kind == self.kind and p.number and p.number.isdigit()]
        if own:
            expected = int(own.group(1)) + 1
        elif numbers and self.kind != "preambular":
            expected = int(numbers[-1]) + 1
        else:
            return None
        m = re.search(rf"(?<=[.;:])((?:{MARK}[^{MARK}]*{MARK})?)\s+({expected})\.\s+(?=[A-Z\x03])", block)
        if m and m.start() > 0:
            return [block[:m.start()] + m.group(1), block[m.start(2):]]
        return None

    def _continues(self, previous: str, plain: str, block: str = "") -> bool:
        """Whether a block carries on the paragraph before it (a page or footnote break)."""
        prev = normalise(_strip_tokens(previous)).rstrip("”’\")]")
        if not prev:
            return False
        if _SUB_LABEL.match(plain) or _OPERATIVE_START.match(plain):
            return not prev.endswith(_TERMINAL) and not _OPERATIVE_START.match(plain)
        if plain[0].islower():
            return True
        if self.layout == "pdftotext" and not block.startswith(PAGE) and block:
            # A paragraph gap the layout kept, not a page break, before a capital: a new paragraph
            # even where the one before ends without punctuation (a schedule's lines, a heading).
            return False
        if not prev.endswith(_TERMINAL):
            return True
        # After a comma a new paragraph opens with a lead phrase; anything else carries on.
        # The lead is recognised by typography first (the italics the layout kept), then by
        # its form (below), and only then by the lexicon of lead phrases seen in the corpus.
        if block.lstrip().startswith(ITALIC_OPEN) and self.kind != "annex":
            return False
        if self.kind == "preambular" and _LEAD_FORM.match(plain):
            return False
        kind = "operative" if self.kind == "operative" else "preambular"
        if self.kind == "annex":
            # An annex numbered like a declaration ("1. We, the States Members ...") opens each
            # paragraph with its number or a letter: an unnumbered block within it is the current
            # paragraph carried over a page ("We will ensure ..." after a full stop included).
            para = self.paragraphs[-1] if self.paragraphs else None
            return bool(para and para.kind == "annex" and (para.number or _SUB_LABEL.match(previous.lstrip())))
        return lead_phrase(kind, plain) is None and lead_phrase("operative", plain) is None

    def _open(self, block: str, plain: str) -> tuple[Paragraph, str]:
        sub = _SUB_LABEL.match(plain)
        # In an annex the XML lays lettered items out as paragraphs of their own.
        if sub and self.paragraphs and self.kind != "annex":
            return self.paragraphs[-1], f"\n{block}"
        number = None
        op = _OPERATIVE_START.match(plain)
        if op and self.kind != "annex":
            self.kind = "operative"
            number = op.group(1)
            block = _OPERATIVE_START.sub("", block.lstrip(), count=1)
        elif op:
            number = op.group(1)
            block = _OPERATIVE_START.sub("", block.lstrip(), count=1)
        elif self.kind == "preambular" and lead_phrase("operative", plain) and not lead_phrase("preambular", plain):
            self.kind = "operative"  # an unnumbered operative paragraph (a one-paragraph resolution)
        self.counters[self.kind] += 1
        para = Paragraph(kind=self.kind, ordinal=self.counters[self.kind], number=number, lead_phrase=None, text="")
        self.paragraphs.append(para)
        for marker in self.heading_markers:
            self._attach_note(marker, para, "heading")
        self.heading_markers = []
        return para, block

    def _finish(self, para: Paragraph, raw: str) -> None:
        """Set a paragraph's text, sub-paragraphs, lead phrase, footnotes and links from its raw text."""
        pieces = raw.split("\n")
        main, subs = pieces[0], [p for p in pieces[1:] if p.strip()]
        if para.text:  # sub-paragraphs arriving for a paragraph already finished
            main = ""
        lines = []
        if main.strip():
            lines.append(self._tokens(main, para))
            if para.kind != "annex" and para.lead_phrase is None:
                para.lead_phrase = _italic_lead(main) or lead_phrase(para.kind, lines[0])
        for sub in subs:
            text = self._tokens(sub, para)
            m = _SUB_LABEL.match(text)
            label = f"({m.group(1)})" if m else None
            body = text[m.end():] if m else text
            para.subparagraphs.append(SubParagraph(label, body, self._depth(para, label)))
            lines.append(f"{label} {body}" if label else body)
        para.text = "\n".join(([para.text] if para.text else []) + lines)

    def _depth(self, para: Paragraph, label: str | None) -> int:
        if not label:
            return 1
        inner = label.strip("()")
        if inner in _ROMAN:
            prev = [s.label.strip("()") for s in para.subparagraphs if s.label]
            letters = [x for x in prev if x not in _ROMAN or len(x) == 1 and x not in ("i", "v", "x")]
            if not (inner == "i" and letters and letters[-1] == "h") and not (inner == "v" and letters and letters[-1] == "u"):
                return 2
        return 1

    def _tokens(self, raw: str, para: Paragraph) -> str:
        """Plain text of a raw piece; its markers and citations recorded for the paragraph."""
        for marker in re.findall(f"{MARK}([^{MARK}]*){MARK}", raw):
            self._attach_note(marker, para, "paragraph")
        plain = normalise(_strip_tokens(raw))
        self._cite(raw, plain, para, in_footnote=False)
        return plain

    def _cite(self, raw: str, plain: str, para: Paragraph, in_footnote: bool) -> None:
        """Links where the layout kept them, and symbols named in the text where it did not.

        PDF conversions drop some links (78/229's "resolution 70/299" has none in the
        markdown), so symbols found in the text count too, beyond those already linked.
        """
        linked = []
        for anchor in re.findall(f"{LINK_OPEN}([^{LINK_CLOSE}]*){LINK_CLOSE}", raw):
            target = symbol_from_anchor(anchor)
            if target:
                linked.append((target, normalise(anchor)))
        seen: dict[str, int] = {}
        for target, _ in linked:
            seen[target] = seen.get(target, 0) + 1
        extra = []
        for target, anchor in citations_in_text(plain):
            if seen.get(target, 0) > 0:
                seen[target] -= 1
            else:
                extra.append((target, anchor))
        for target, anchor in linked + extra:
            self.citations.append(Citation(para.kind, para.ordinal, target, None, anchor, in_footnote))

    def _attach_note(self, marker: str, para: Paragraph, location: str) -> None:
        raw = self.x.notes.get(marker)
        if raw is None:
            return  # a stray digit that looked like a marker but has no footnote
        if any(f.marker == marker for f in self.footnotes):
            return
        text = _clean_note(raw)
        self.footnotes.append(Footnote(marker, text, para.kind, para.ordinal, location))
        para.footnote_markers.append(marker)
        self._cite(_mark_links(raw), text, para, in_footnote=True)


_DATE_LINES = ("Distr.", "General Assembly", "United Nations")
# The form of a preambular lead: a capitalised participle, adjective or adverb followed by a
# lower-case word ("Recalling also", "Convinced that", "Deeply concerned", "Mindful of").
# A sentence carried over a page after a comma rarely starts so; a proper name that looks
# like one ("United Nations", "Sustainable Development") has a capitalised second word.
_LEAD_FORM = re.compile(r"[A-Z][a-z]+(?:ing|ed|ful|ly)(?:,?\s+[a-z]|,)")


class _Labels:
    """Sub-paragraph labels the extract lost, restored from the list they belong to.

    A paragraph ending with a colon introduces lettered items, each ending with a semicolon
    (the last with a full stop or a semicolon). Some extractors drop the "(a)" and "(b)" of
    such items (80/12: "(c)" is the first label printed). An unlabelled block that starts
    with a capital right after a block ending with ":" or ";" of an open list is the list's
    next item and gets the next letter. A printed label resynchronises the sequence; a
    numbered paragraph, an annex heading or an item ending with a full stop closes the list.
    """

    def __init__(self):
        self.next: int | None = None  # index of the next letter, None when no list is open
        self.item_ended = False  # the block before ended an item (":" or ";")

    def close(self) -> None:
        self.next, self.item_ended = None, False

    def restore(self, plain: str) -> str | None:
        if self.next is None or not self.item_ended or _SUB_LABEL.match(plain) or not plain[:1].isupper():
            return None
        if self.next >= 26:
            return None
        # The block must end as an item of such a list ends: ";" or ":" (or "and"/"or" after its
        # semicolon); "." only for a later item, the list's last. Lines after a colon that end
        # otherwise (a schedule: "Monday, 9 June: from 9 a.m. to 1 p.m.") are not a lettered list.
        end = plain.rstrip("”’\")] ")
        if not (end.endswith((";", ":", "; and", "; or")) or (end.endswith(".") and self.next > 0)):
            return None
        return f"({chr(ord('a') + self.next)})"

    def saw(self, plain: str) -> None:
        label = _SUB_LABEL.match(plain)
        letter = label.group(1) if label and len(label.group(1)) == 1 else None
        # "(i)", "(v)", "(x)" are letters only where the sequence has reached them; else roman.
        if letter and (letter not in "ivx" or self.next == ord(letter) - ord("a")):
            self.next = ord(letter) - ord("a") + 1
        end = plain.rstrip("”’\")]")[-1:]
        if end == ":":
            if not label:
                self.next = 0
            self.item_ended = True
        elif end == ";":
            self.item_ended = True
        elif end == ".":
            self.close()
        else:
            self.item_ended = False


def _glue(left: str, right: str) -> str:
    if left.endswith("\n"):
        return left + right
    m = re.search(r"(\w+)-$", left)
    if m and right[:1].islower():
        first = re.match(r"[\w’']+", right).group(0)
        if f"{m.group(1)}-{first}".lower() in hyphenated_words():
            return left + right
        return left[:-1] + right
    if m and right[:1].isdigit():
        return left + right  # "P-" / "3 post": a word is never hyphenated before a digit (P-3, COVID-19)
    return f"{left} {right}"


def _italic_lead(raw: str) -> str | None:
    s = raw.lstrip()
    if s.startswith(ITALIC_OPEN):
        end = s.find(ITALIC_CLOSE)
        if end > 0:
            lead = normalise(s[1:end]).strip(" ,;:")
            return lead or None
    return None


def _mark_links(text: str) -> str:
    return re.sub(r"\[([^\]\n]+)\]\([^)\s]*\)", lambda m: f"{LINK_OPEN}{m.group(1)}{LINK_CLOSE}", text)


def _marker_key(marker: str):
    return (int(marker) if marker.isdigit() else 10**6, marker)


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
