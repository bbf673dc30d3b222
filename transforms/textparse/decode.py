"""A text file's bytes as text, its layout, and the session it prints."""

from __future__ import annotations

import re

from transforms.encoding import bom_encoding, looks_like_utf16, utf8_problem
from transforms.model import ParseError
from transforms.textparse.tokens import ITALIC_CLOSE, ITALIC_OPEN, LINK_CLOSE, LINK_OPEN


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
