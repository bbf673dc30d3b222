"""Paragraph words (:func:`paragraph_words`): the normalised, comparable words of a paragraph
that the alignment and the diffs compare, footnote markers and closing punctuation aside.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

# --- paragraphs -------------------------------------------------------------------------

# A footnote marker left in the text, glued to the word it annotates: "thereto,1",
# "Corruption5", "Crime;25", "of 1971,3" (all in 74/177; the XML repeats the marker of a
# footnote given earlier). Found in about 500 of the 85,000 paragraphs. Stripped:
# * after a lower-case letter and at most two closing marks, one to three digits
#   ("Crime,10"), so that "COVID-19", "G77", "CO2", "SDG16" and "2030" are kept;
# * after a number and one closing mark other than ".", one or two digits ("1988,4"), so
#   that "1,442,000" and "1.5" are kept;
# * never in a word with a slash or after an abbreviation, so that document symbols
#   ("A/74/125/Add.1", "E/CN.15/2015/16") and "No.3", "Add.1" are kept.
_MARKER_CANDIDATE = (
    r"[a-z][,;.:)\]\x{201D}\x{2019}\"']{0,2}[0-9]{1,3}( |$)|[0-9][,;:)\]\x{201D}\x{2019}\"'][0-9]{1,2}( |$)"
)
_MARKER_AFTER_WORD = re.compile(r"(.*[a-z][,;.:)\]\u201d\u2019\"']{0,2})\d{1,3}")
_MARKER_AFTER_NUMBER = re.compile(r"(.*\d[,;:)\]\u201d\u2019\"'])\d{1,2}")
_ABBREVIATIONS = re.compile(r"(?:^|[^a-z])(?:add|rev|corr|amend|no|nos|para|paras|sect|chap|vol|vols|art|arts|p|pp|op|cit)\.$", re.I)


def _without_marker(word: str) -> str:
    if "/" in word or not word[-1:].isdigit():
        return word
    m = _MARKER_AFTER_WORD.fullmatch(word) or _MARKER_AFTER_NUMBER.fullmatch(word)
    if m is None or _ABBREVIATIONS.search(m.group(1)):
        return word
    return m.group(1)


_CLOSING = ",;.:"
# transforms.text.normalise() in Polars: what Python's \s matches (str.isspace(), all below
# U+3001) other than the space, the invisible characters it drops, the hyphens it maps.
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in _SPACES) + "]"
_INVISIBLE_CLASS = r"[\x{AD}\x{200B}-\x{200F}\x{2060}\x{FEFF}]"
# transforms.text.comparable()'s folding of quotes and dashes.
_FOLD = ((r"[\x{2018}\x{2019}]", "'"), (r"[\x{201C}\x{201D}]", '"'), (r"[\x{2013}\x{2014}]", "-"))


def _normalised(text: pl.Expr) -> pl.Expr:
    """``transforms.text.normalise()`` as a Polars expression, after NFC (see :func:`_nfc`).

    The tests check that the two agree on every paragraph of the corpus.
    """
    return (
        text.fill_null("")
        .str.replace_all(_INVISIBLE_CLASS, "")
        .str.replace_all(r"[\x{2010}\x{2011}]", "-")
        .str.replace_all(_SPACE_CLASS, " ")
        .str.replace_all(" {2,}", " ")
        .str.strip_chars(" ")
        .str.replace_all(r" ([,;:.)\]])", "$1")
        .str.replace_all(r"([(\[]) ", "$1")
    )


def _nfc(texts: list[str | None]) -> list[str]:
    """Unicode NFC, done in Python only where needed (Polars' is slower by far)."""
    return [
        "" if t is None else t if t.isascii() or unicodedata.is_normalized("NFC", t) else unicodedata.normalize("NFC", t)
        for t in texts
    ]


def _folded(normalised: pl.Expr) -> pl.Expr:
    """The comparison form of normalised text (footnote markers already dropped, see
    :func:`_key_source`), words still separated by single spaces: quotes, dashes and case
    folded as ``comparable()`` folds them, the closing punctuation of the paragraph dropped."""
    out = normalised
    for pattern, replacement in _FOLD:
        out = out.str.replace_all(pattern, replacement)
    return out.str.to_lowercase().str.strip_chars_end(_CLOSING)


def _char(n: int) -> str:
    """The n-th code character: from U+0100 on, skipping the surrogates."""
    n += 0x100
    return chr(n + 0x800 if n >= 0xD800 else n)


def _prepare(texts: pl.Series) -> tuple[list[str], list[str]]:
    """Normalised text and word codes of many paragraphs at once.

    Normalised text: as ``transforms.text.normalise()`` gives it; its words split on spaces
    are the printed words. Codes: one character per word, the same character for the same
    word key (:func:`paragraph_words`) within one call, so that RapidFuzz compares word lists
    as strings, in C++: its Indel similarity and opcodes become word-level ones, and
    ``process.cdist`` scores a whole block of paragraph pairs in one call (the corpus has
    some 35,000 distinct words; code points start at U+0100 and skip the surrogates).

    Vectorised because it is most of the work: the corpus has some 85,000 paragraphs and
    4.5 million words, and a per-paragraph Python version took six seconds.
    """
    frame = pl.DataFrame({"text": _nfc(texts.cast(pl.Utf8).to_list())}, schema={"text": pl.Utf8}).select(
        norm=_normalised(pl.col("text"))
    )
    norms = frame["norm"].to_list()
    frame = pl.DataFrame({"source": _key_source(frame["norm"], norms)}, schema={"source": pl.Utf8})
    # One key per printed word: folding only replaces characters, and normalise() has glued
    # every ",;:." to the word before it, so stripping the closing punctuation never removes
    # a word (it may leave an empty key, for a paragraph that is ".").
    frame = frame.select(
        keys=pl.when(pl.col("source") == "")
        .then(pl.lit([], dtype=pl.List(pl.Utf8)))
        .otherwise(_folded(pl.col("source")).str.split(" "))
    )
    vocabulary = frame.select(pl.col("keys").explode().drop_nulls().unique(maintain_order=True))["keys"]
    chars = pl.Series([_char(i) for i in range(vocabulary.len())], dtype=pl.Utf8)
    codes = frame.select(code=pl.col("keys").list.eval(pl.element().replace_strict(vocabulary, chars)).list.join(""))
    return norms, codes["code"].to_list()


def _key_source(norm: pl.Series, norms: list[str]) -> list[str]:
    """The normalised texts with footnote markers dropped word by word (see _MARKER_*),
    in Python for the few hundred paragraphs where Polars finds a candidate."""
    out = list(norms)
    for i in norm.str.contains(_MARKER_CANDIDATE).arg_true().to_list():
        out[i] = " ".join(_without_marker(w) for w in norms[i].split(" "))
    return out


def paragraph_words(text: str | None) -> tuple[list[str], list[str]]:
    """The printed words of a paragraph and their comparison keys, one for one.

    Printed words are the text normalised as ``transforms.text.normalise()`` does, split on
    spaces. Keys are the words folded as ``transforms.text.comparable()`` folds them (quotes,
    dashes; lower-cased where it case-folds, the same for this corpus), without a footnote marker left in the text ("thereto,1" -> "thereto,",
    "Corruption5" -> "corruption"), and, on the last word only, without the closing
    punctuation (a paragraph that was last in its resolution ends with "." and with ";" once
    another follows it). Paragraphs with the same keys are "unchanged".
    """
    norm = pl.select(_normalised(pl.lit(_nfc([text])[0], dtype=pl.Utf8))).item()
    if not norm:
        return [], []
    source = _key_source(pl.Series([norm]), [norm])[0]
    return norm.split(" "), pl.select(_folded(pl.lit(source, dtype=pl.Utf8))).item().split(" ")


@dataclass
class _Para:
    kind: str
    ordinal: int | None
    number: str | None
    text: str
    norm: str  # the text normalised; its words split on spaces are the printed words
    code: str  # one character per word key (see _prepare)

    @property
    def shown(self) -> list[str]:
        return self.norm.split(" ") if self.norm else []


def _by_kind(rows, norms: list[str], codes: list[str]) -> dict[str, list[_Para]]:
    """Paragraphs by kind, in ordinal order; rows: (kind, ordinal, number, text) tuples
    standing one for one with the normalised texts and codes of :func:`_prepare`."""
    out: dict[str, list[_Para]] = defaultdict(list)
    for (kind, ordinal, number, text), w, c in zip(rows, norms, codes):
        out[kind or ""].append(_Para(kind or "", ordinal, number, text or "", w, c))
    for paras in out.values():
        paras.sort(key=lambda p: (p.ordinal is None, p.ordinal if p.ordinal is not None else 0))
    return out


