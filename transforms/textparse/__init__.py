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

Modules, by concern: ``decode`` (bytes to text, :func:`detect_layout`,
:func:`session_from_text`), ``layouts`` (one reader per layout and the page furniture they
share, each giving an ``_Extracted``), ``assemble`` (the ``_Assembler`` that rebuilds
paragraphs, sub-paragraphs, footnotes and the header), ``citations`` (symbols in link
anchors and in plain text) and ``tokens`` (the marker, link, italic, page and heading tokens
the readers embed and the assembler reads, and what both share). Every public name is
importable from ``transforms.textparse``.
"""

from __future__ import annotations

from transforms.model import ParsedResolution, ParseError
from transforms.symbols import SymbolError
from transforms.textparse.assemble import _Assembler
from transforms.textparse.citations import citations_in_text, symbol_from_anchor  # noqa: F401
from transforms.textparse.decode import decode, detect_layout, session_from_text  # noqa: F401
from transforms.textparse.layouts import _markdown, _pdftotext, _pymupdf
from transforms.textparse.tokens import HEAD, ITALIC_CLOSE, ITALIC_OPEN, LINK_CLOSE, LINK_OPEN, MARK, PAGE  # noqa: F401
from transforms.textparse.tokens import hyphenated_words  # noqa: F401

__all__ = [
    "HEAD", "ITALIC_CLOSE", "ITALIC_OPEN", "LINK_CLOSE", "LINK_OPEN", "MARK", "PAGE", "citations_in_text", "decode",
    "detect_layout", "hyphenated_words", "parse_text", "session_from_text", "symbol_from_anchor",
]


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
