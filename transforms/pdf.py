"""Read a resolution's PDF: its text layer, laid out for the text parser.

``extract_text`` lays each page out the way ``pdftotext -layout`` does, which is a
layout ``transforms.textparse`` already reads: lines in reading order (top to bottom,
left to right), a blank line where a paragraph gap stands, a superscript footnote
marker glued to the word before it, the footnotes at the foot of a page below a rule
of underscores, pages separated by form feeds; running headers, footers and the job
number stay as printed, and the parser drops them as it does for pdftotext.

**The extractor is pypdfium2** (PDFium, Chrome's PDF engine; Apache-2.0 / BSD-3,
compatible with the project's MIT licence; wheels on PyPI with the library inside, no
system package). PyMuPDF is AGPL and poppler's pdftotext GPL (and an external binary),
so neither can be a dependency. Measured on the fixtures (tests/fixtures/pdf/, three
resolutions printed by Chromium, 7, 7 and 21 A4 pages; 2-core machine, mean of 3 runs):

============================  =============  ============================================
extractor                     time per page  text
============================  =============  ============================================
pypdfium2 5.15.2, laid out    35-70 ms       every word, curly quotes and dashes kept;
here from character boxes                    boxes and font sizes give lines, paragraph
                                             gaps, superscripts and the smaller footnote
                                             type: all three fixtures parse to the XML's
                                             paragraphs, texts and footnotes exactly
                                             (tests/test_pdf.py)
pypdfium2 ``get_text_range``  ~9 ms          the same words, in content-stream order
(PDFium's own text)                          (below), no paragraph gaps
pdfplumber 0.11.11            370-570 ms     the same words (pdfminer.six underneath);
(``extract_text``)                           plain lines, no paragraph gaps, so the
                                             paragraphs would have to be rebuilt anyway
============================  =============  ============================================

Measured with ``python -m transforms.pdf --bench FILE...``; the machine is shared, so
runs differ by tens of per cent. Both libraries read the same words; PDFium is about
ten times faster than pdfplumber (most of the 35-70 ms is this module's per-character
Python loop, not PDFium) and is the engine that renders most PDFs people read, so it
is the default. PDFium's own ``get_text_range`` orders a page by content stream, not
position (Chromium's running header comes last, a superscript may start the next
line), so lines are rebuilt here from character boxes.

What cannot be read is refused with a :class:`~transforms.model.ParseError` saying
why: not a PDF or corrupt (truncated), encrypted (password), pages without a text
layer (a scanned image), and - from the parser - a PDF that is not a resolution.
"""

from __future__ import annotations

import ctypes
import io
import statistics
import sys
import time
from dataclasses import dataclass, field

from transforms.model import ParseError
from transforms.textparse import parse_text, session_from_text

RULE = "_" * 20  # what the parser's pdftotext layout reads as the rule above the footnotes


@dataclass
class _Char:
    ch: str
    x0: float
    x1: float
    y0: float  # bottom (PDF points, origin at the bottom left)
    y1: float
    size: float
    space_after: bool = False


@dataclass
class _Line:
    chars: list[_Char] = field(default_factory=list)

    @property
    def base(self) -> float:
        size = self.size
        return statistics.median(c.y0 for c in self.chars if c.size >= 0.8 * size) if self.chars else 0.0

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def top(self) -> float:
        return max(c.y1 for c in self.chars)

    def text(self, left: float, superscripts: bool = False) -> str:
        """The line laid out from ``left``; with ``superscripts``, raised small digits as ¹²³.

        A footnote marker is a digit set smaller and above the baseline; printed as a plain
        digit it runs into a number before it ("Agenda 21" and marker 6 read "Agenda 216"), so
        body lines give it as a Unicode superscript, which the text parser reads as a marker.
        Footnote lines keep their leading number plain, as ``pdftotext`` prints it.
        """
        chars = sorted(self.chars, key=lambda c: c.x0)
        size = self.size
        base = self.base
        unit = 0.5 * size  # the width of a space, roughly
        out = [" " * max(0, round((chars[0].x0 - left) / unit))]
        prev = None
        for c in chars:
            if prev is not None:
                gap = c.x0 - prev.x1
                if gap > 0.6 * size:
                    out.append(" " * max(2, round(gap / unit)))
                elif gap > 0.15 * size or prev.space_after:
                    out.append(" ")
            raised = superscripts and c.ch.isdigit() and c.size < 0.8 * size and c.y0 > base + 0.15 * size
            out.append(c.ch.translate(_SUPERSCRIPT) if raised else c.ch)
            prev = c
        return "".join(out).rstrip()


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _open(data: bytes, name: str):
    import pypdfium2 as pdfium  # deferred: PDFium's shared library loads only when a PDF is read

    if not data:
        raise ParseError(f"{name}: empty file (0 bytes), not a PDF")
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ParseError(f"{name}: not a PDF (it starts with {data[:8]!r})")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ParseError(f"{name}: encrypted PDF (it needs a password to open): cannot be read") from exc
        raise ParseError(f"{name}: corrupt or truncated PDF ({len(data):,} bytes): {msg}") from exc


def _chars(page) -> list[_Char]:
    import pypdfium2.raw as raw  # deferred: PDFium's shared library loads only when a PDF is read

    tp = page.get_textpage()
    out: list[_Char] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    try:
        for i in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp.raw, i)
            ch = "-" if code == 2 else chr(code) if code else ""  # PDFium reports a line-end hyphen as U+0002
            if not ch or ch in "\r\n" or ch == "\ufffe":
                continue
            # A space, printed or inferred by PDFium (Chromium prints none): it separates words whatever the gap.
            if ch.isspace():
                if out:
                    out[-1].space_after = True
                continue
            if raw.FPDFText_IsGenerated(tp.raw, i):
                continue
            x0, _, x1, y1 = tp.get_charbox(i)  # left, bottom, right, top of the glyph
            # The baseline from the character's origin: a quote's or a comma's glyph box sits above
            # or below it, the origin does not.
            raw.FPDFText_GetCharOrigin(tp.raw, i, ox, oy)
            size = raw.FPDFText_GetFontSize(tp.raw, i) or (y1 - oy.value)
            out.append(_Char(ch, x0, x1, oy.value, max(y1, oy.value + 0.7 * size), size))
    finally:
        tp.close()
    return out


def _lines(chars: list[_Char]) -> list[_Line]:
    """Characters grouped into lines by baseline; a superscript joins the line it stands on."""
    lines: list[_Line] = []
    for c in sorted(chars, key=lambda c: (-round(c.y0, 1), c.x0)):
        if lines and abs(lines[-1].chars[-1].y0 - c.y0) < 0.25 * max(c.size, 1):
            lines[-1].chars.append(c)
        else:
            lines.append(_Line([c]))
    # A run of small characters just above a line's baseline is a superscript on that line.
    merged: list[_Line] = []
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (nxt is not None and ln.size < 0.8 * nxt.size and 0 < ln.base - nxt.base < 0.7 * nxt.size):
            nxt.chars.extend(ln.chars)
            continue
        merged.append(ln)
    return merged


def _body_span(height: float, body_size: float, lines: list[_Line]) -> tuple[int, int]:
    """Where a page's body lines are: after the running header, before the footnotes.

    Running header: up to two small lines in the top 6% of the page (above the body's top
    margin); footnotes: the trailing run of small lines.
    """
    small = [ln.size < 0.92 * body_size for ln in lines]
    head = 0
    while head < 2 and head < len(lines) and small[head] and lines[head].top > 0.94 * height:
        head += 1
    foot = len(lines)
    while foot > head and small[foot - 1]:
        foot -= 1
    return head, foot


def _pitches(lines: list[_Line], head: int, foot: int) -> list[float]:
    return [a.base - b.base for a, b in zip(lines[head:foot], lines[head + 1:foot]) if a.base > b.base]


def _line_pitch(pitches: list[float], body_size: float) -> float:
    """The distance between the baselines of two lines of one paragraph, for the whole document.

    Leading is a constant of the document's type, so it is read over all pages: a page of
    one-line paragraphs (an annexed agenda) has only gaps and no leading of its own. Every
    pitch is a line pitch or a line pitch plus a paragraph gap, so the line pitch is at the low
    end: the 20th percentile, which stays a line pitch until four in five pairs of lines are
    paragraph gaps, and ignores the odd pair of lines drawn closer (a superscript line).
    """
    if not pitches:
        return body_size
    ordered = sorted(pitches)
    return ordered[int(0.2 * (len(ordered) - 1))]


def _page_text(height: float, body_size: float, lines: list[_Line], pitch: float) -> str:
    if not lines:
        return ""
    left = min(c.x0 for ln in lines for c in ln.chars)
    head, foot = _body_span(height, body_size, lines)
    # A paragraph gap: clearly more than the distance between the baselines of a paragraph's lines.
    out: list[str] = []
    prev: _Line | None = None
    for i, ln in enumerate(lines):
        if i == foot:
            out.append(RULE)
            prev = None
        elif prev is not None and i > head and prev.base - ln.base > 1.35 * pitch:
            out.append("")
        out.append(ln.text(left, superscripts=head <= i < foot))
        prev = ln if i >= head else None
        if i == head - 1:
            out.append("")
    return "\n".join(out)


def extract_text(data: bytes, name: str = "<bytes>") -> str:
    """The text of a PDF, pages laid out like ``pdftotext -layout`` and joined by form feeds."""
    doc = _open(data, name)
    try:
        if len(doc) == 0:
            raise ParseError(f"{name}: a PDF with no pages")
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            try:
                pages.append((page, _chars(page)))
            except Exception:
                page.close()
                raise
        sizes = [round(c.size, 1) for _, cs in pages for c in cs]
        if not sizes:
            raise ParseError(f"{name}: scanned image without a text layer ({len(doc)} page(s), no extractable "
                             "characters): it needs OCR before it can be read")
        body_size = statistics.mode(sizes)
        laid = []
        for page, cs in pages:
            laid.append((page.get_size()[1], _lines(cs)))
            page.close()
        pitch = _line_pitch([p for height, lines in laid
                             for p in _pitches(lines, *_body_span(height, body_size, lines))], body_size)
        return "\f".join(_page_text(height, body_size, lines, pitch) for height, lines in laid) + "\n"
    finally:
        doc.close()


def parse_pdf(data: bytes, name: str = "<bytes>"):
    """A resolution's PDF parsed as text (``transforms.textparse``): a ParsedResolution."""
    text = extract_text(data, name)
    try:
        return parse_text(text.encode("utf-8"), name)
    except ParseError as exc:
        raise ParseError(f"{exc} (in the text layer of the PDF)") from exc


def is_pdf(data: bytes, name: str) -> bool:
    """A PDF by its name (``x.pdf``, ``archive.zip!x.pdf``) or its first bytes."""
    return name.lower().rsplit("!", 1)[-1].endswith(".pdf") or data[:5] == b"%PDF-"


def parse_text_version(data: bytes, name: str = "<bytes>"):
    """A text version of a resolution, PDF or extracted text (.md/.txt), parsed."""
    return parse_pdf(data, name) if is_pdf(data, name) else parse_text(data, name)


def session_from_pdf(data: bytes, name: str) -> int | None:
    """The session a PDF's printed symbol names, when its text can be read but does not parse."""
    try:
        return session_from_text(extract_text(data, name).encode("utf-8"))
    except ParseError:
        return None


def _bench(paths: list[str]) -> None:
    for path in paths:
        data = open(path, "rb").read()
        import pypdfium2 as pdfium  # deferred: PDFium loads only when a PDF is read
        n = len(pdfium.PdfDocument(data))
        t = time.perf_counter()
        for _ in range(3):
            extract_text(data, path)
        ours = (time.perf_counter() - t) / 3 / n
        try:
            import pdfplumber  # optional, not a dependency: only for this comparison
        except ImportError:
            plumber = float("nan")
        else:
            t = time.perf_counter()
            for _ in range(3):
                with pdfplumber.open(io.BytesIO(data)) as pdf:
                    "\f".join(p.extract_text() or "" for p in pdf.pages)
            plumber = (time.perf_counter() - t) / 3 / n
        print(f"{path}: {n} pages; pypdfium2 {ours * 1000:.1f} ms/page; pdfplumber {plumber * 1000:.1f} ms/page")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bench"]:
        _bench(sys.argv[2:])
    else:
        for p in sys.argv[1:]:
            print(extract_text(open(p, "rb").read(), p))
