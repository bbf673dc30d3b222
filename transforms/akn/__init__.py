"""Parse the UN's AKN4UN XML of a General Assembly resolution.

One file holds one resolution (``statement``) or a collection of parts
(``documentCollection`` with ``components``: 78/80 A and B). The rules below
were written against every file of sessions 74-79; the surprises they handle:

* headings are laid out as ``paragraph`` elements with a heading class (H1, HCh,
  H23, H4), a lone ``subheading``, or (MercuryDocument files: 79/144, 80/243) an
  unnumbered paragraph set wholly in bold outside an annex: they are structure,
  not paragraphs;
* a sectioned resolution can repeat ``preamble`` and ``mainBody`` once per section
  (80/243: 19 of each); each ``mainBody`` is the operative part of its section, save
  one that only interrupts a preamble (77/118), see ``_interrupts_preamble``;
* sub-paragraphs come either as ``list/point`` inside a paragraph or as separate
  ``paragraph`` elements numbered "(a)", "(b)" after their introductory paragraph;
* tables and table notes (class FootnoteText, or FootnoteText0 in 80/243) belong to the paragraph above them;
* footnotes (``authorialNote``) stand inline; a note in a heading annotates the
  paragraph under the heading, a note in the title annotates the first paragraph;
* a French expression can sit in the English folder: the language is read from
  the document, and the caller decides what to do with it.

Modules, by concern: this one reads the file (:func:`parse_akn`, :func:`xml_problem`);
``statement`` walks one resolution's XML (``_Statement``: header, cover, metadata,
preamble, operative part, annexes, footnotes, links); ``numbering`` repairs and blocks the
operative numbers (:func:`number_blocks`); ``names`` reads committees, reports and lists of
States as printed (:func:`committee_named`, :func:`report_of`, :func:`split_states`), which
the text parser shares; ``xml`` holds the namespace and the element helpers. Every public
name is importable from ``transforms.akn``.
"""

from __future__ import annotations

import re

from lxml import etree

from transforms.akn.names import committee_named, report_of, split_states  # noqa: F401
from transforms.akn.numbering import number_blocks  # noqa: F401
# parse_akn looks _Statement up here: tests/fixtures/render_layouts.py puts a subclass in its place.
from transforms.akn.statement import _Statement
from transforms.akn.xml import _PARSER, AKN4UN, NS, _local, _q  # noqa: F401
from transforms.encoding import looks_like_utf16, utf8_problem
from transforms.model import ParsedResolution, ParseError
from transforms.symbols import SymbolError


def parse_akn(data: bytes, name: str = "<bytes>") -> list[ParsedResolution]:
    """Parse one AKN4UN file into its resolutions (one, or one per part).

    Raises ParseError with a reason naming the problem for anything that is not
    a readable GA resolution.
    """
    if not data or not data.strip():
        raise ParseError(f"{name}: empty file")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{name}: {xml_problem(data, exc)}") from exc
    except ValueError as exc:  # lxml refuses some inputs before parsing (e.g. a str with a declaration)
        raise ParseError(f"{name}: malformed XML: {exc}") from exc
    if not isinstance(root.tag, str):
        raise ParseError(f"{name}: malformed XML: no root element")
    if _local(root) != "akomaNtoso" or etree.QName(root).namespace != NS:
        qname = etree.QName(root)
        where = f" in namespace {qname.namespace}" if qname.namespace else " in no namespace"
        raise ParseError(f"{name}: XML but not Akoma Ntoso (root element <{qname.localname}>{where}), "
                         "so not a GA resolution")
    top = next((c for c in root if isinstance(c.tag, str)), None)
    if top is None:
        raise ParseError(f"{name}: Akoma Ntoso document without a body")
    kind = _local(top)
    try:
        if kind == "statement":
            if top.get("name") != "resolution":
                raise ParseError(f"{name}: a statement of kind {top.get('name')!r}, not a resolution")
            return [_Statement(top, collection=None, name=name).parse()]
        if kind == "documentCollection":
            components = root.find(_q("components"))
            if components is None:
                raise ParseError(f"{name}: document collection without components")
            parts = [
                _Statement(st, collection=top, name=name).parse()
                for st in components.iter(_q("statement"))
                if st.get("name") == "resolution"
            ]
            if not parts:
                raise ParseError(f"{name}: document collection holds no resolution")
            return parts
    except (SymbolError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(f"{name}: {exc}") from exc
    raise ParseError(f"{name}: a {kind!r} document, not a resolution")


_ENCODING_DECL = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_problem(data: bytes, exc: etree.XMLSyntaxError) -> str:
    """Why lxml could not read ``data``, naming the defect: binary, wrong encoding or where the XML breaks."""
    line, column = (exc.position if exc.position else (exc.lineno, None))
    where = f" at line {line}" + (f", column {column}" if column else "") if line else ""
    message = re.sub(r",? line \d+, column \d+\s*$", "", (exc.msg or str(exc)).strip()).strip()
    head = data[:4]
    has_bom = head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
    if not has_bom and b"\x00" in data:
        utf16 = looks_like_utf16(data)
        if utf16:
            return (f"malformed XML: text in the wrong encoding, {utf16} without a byte-order mark or encoding "
                    f"declaration ({message}{where})")
        return f"malformed XML: binary content (NUL byte at offset {data.index(0)}), not XML text"
    if "encoding" in message.lower() and not has_bom:
        declared = _ENCODING_DECL.match(data)
        if declared is None or declared.group(1).decode().lower().replace("_", "-") in ("utf-8", "utf8"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as ude:
                said = "declared UTF-8" if declared else "no encoding declared, so UTF-8"
                return f"malformed XML: {utf8_problem(data, ude)} ({said})"
        if declared is not None:
            return f"malformed XML: encoding declaration {declared.group(1).decode()!r}: {message}{where}"
    return f"malformed XML{where}: {message}"
