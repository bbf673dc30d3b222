"""Telling a text file's encoding and saying why it is not UTF-8: shared by the XML and text parsers.

The XML parser (akn/__init__.py) names a broken file's encoding with the same words the text
parser (textparse/decode.py) uses to refuse one, and landing discovery (discover.py) reads a
BOM the same way; the helpers live here so those modules need not import each other.
"""

from __future__ import annotations


# Byte-order marks that name an encoding unambiguously (UTF-32 before UTF-16: FF FE 00 00 starts both).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, or None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_like_utf16(data: bytes) -> str | None:
    """"UTF-16LE"/"UTF-16BE" when NUL bytes stand at every other position, as in UTF-16 text without a BOM."""
    head = data[:2048]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "UTF-16LE"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "UTF-16BE"
    return None


def utf8_problem(data: bytes, exc: UnicodeDecodeError) -> str:
    """Where UTF-8 decoding failed, in words: "byte 0xE9 at offset 42 (line 3)" and a likely culprit."""
    bad = data[exc.start]
    line = data.count(b"\n", 0, exc.start) + 1
    guess = " (Latin-1 or Windows-1252?)" if 0x80 <= bad <= 0xFF else ""
    return f"not UTF-8 text: byte 0x{bad:02X} at offset {exc.start} (line {line}): {exc.reason}; wrong encoding{guess}"
