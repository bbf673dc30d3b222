"""Text normalisation and the phrases that open paragraphs.

Every parser normalises with the same function, so that text from the XML and
text from a PDF compare equal when they say the same thing.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Soft hyphen, zero-width and direction marks: invisible in print, noise in text.
_INVISIBLE = {c: None for c in (0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF)}
# Non-breaking and typographic hyphens print as a hyphen: "anti‑corruption" (U+2011 in the
# XML) is searched for and compared as "anti-corruption".
_INVISIBLE |= {0x2010: "-", 0x2011: "-"}
_NEEDS_TRANSLATE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
# The same mapping as (character, replacement) pairs: str.translate with a dict takes its slow
# path on non-ASCII text (some 90 us for a paragraph), a replace per character present is a
# fast search each. No replacement is itself a key, so the order of the replaces is free.
_INVISIBLE_PAIRS = tuple((chr(k), v or "") for k, v in _INVISIBLE.items())
_PUNCT_AFTER_SPACE = (" ,", " ;", " :", " .", " )", " ]")
_SPACE_BEFORE_PUNCT = re.compile(r" [,;:.)\]]")
_OPEN_BEFORE_SPACE = ("( ", "[ ")


def normalise(text: str) -> str:
    """Collapse whitespace (tabs, non-breaking spaces, newlines) so text reads as printed.

    Called for every paragraph, note and heading (some 90,000 times a build): the
    Unicode work is skipped where a cheap test shows it has nothing to do.
    """
    if not text:
        return ""
    if text.isascii():
        # Printable ASCII has no whitespace but the space: split only where spaces repeat
        # or pad the text (most paragraphs have neither).
        if not text.isprintable() or "  " in text or text[0] == " " or text[-1] == " ":
            text = " ".join(text.split())
    else:
        # Invisible characters out before composing: one between a letter and its combining
        # accent would otherwise keep them apart, and a second normalise would then compose
        # them -- normalise must be idempotent, as callers normalise joined pieces of
        # normalised text (and skip it for a single piece).
        for char, replacement in _INVISIBLE_PAIRS:  # ten searches for one character: faster than a regex
            if char in text:
                text = text.replace(char, replacement)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        # str.split() splits on exactly what re's \s matches (str.isspace): tabs, newlines,
        # no-break and thin spaces; it is several times faster than a regex substitution.
        text = " ".join(text.split())
    # One search for a space before any of the six marks (about 3 us on a paragraph) instead of
    # six two-character searches (about 1 us each: spaces are frequent, every one a candidate).
    if _SPACE_BEFORE_PUNCT.search(text):
        for pair in _PUNCT_AFTER_SPACE:
            if pair in text:
                text = text.replace(pair, pair[1])
    for pair in _OPEN_BEFORE_SPACE:
        if pair in text:
            text = text.replace(pair, pair[0])
    return text


def comparable(text: str) -> str:
    """A looser form for comparing texts across sources: quotes, dashes and case folded."""
    t = normalise(text)
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = t.replace("\u2013", "-").replace("\u2014", "-")
    return t.casefold()


def clean_lead(phrase: str | None) -> str | None:
    if phrase is None:
        return None
    p = normalise(phrase).strip(" ,;:.")
    return p or None


# Operative paragraphs open with an italicised verb phrase; when markup is missing,
# these are the phrases that can open one (longest first so "Calls upon" wins over "Calls").
_OPERATIVE_OPENINGS = sorted(
    {
        "Acknowledges", "Adopts", "Affirms", "Agrees", "Appeals", "Approves", "Authorizes",
        "Calls upon", "Calls on", "Commends", "Condemns", "Confirms", "Considers", "Decides",
        "Declares", "Demands", "Deplores", "Emphasizes", "Encourages", "Endorses",
        "Expresses", "Invites", "Notes", "Reaffirms", "Recalls", "Recognizes",
        "Recommends", "Reiterates", "Rejects", "Renews", "Requests", "Stresses",
        "Strongly encourages", "Strongly urges", "Strongly condemns", "Supports",
        "Takes note", "Underlines", "Underscores", "Urges", "Welcomes", "Further requests",
        "Also requests", "Also encourages", "Also decides", "Also invites", "Also urges",
        "Also calls upon", "Further decides", "Further invites", "Further encourages",
    },
    key=len,
    reverse=True,
)


def guess_operative_lead(text: str) -> str | None:
    for phrase in _OPERATIVE_OPENINGS:
        if text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalpha()):
            return phrase
    return None
