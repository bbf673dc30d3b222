"""Property-based tests of the parsers: whatever bytes arrive, they parse or they are refused.

The warehouse quarantines a file when its parser raises ``transforms.model.ParseError``;
any other exception stops the whole build. So the property, for every reader of
landed bytes (``parse_akn``, ``parse_text``, ``parse_metadata_jsonl``, and
``scan_landing`` + ``unpack`` on archives), is: the call returns, or it raises
ParseError with a message naming the file. What a parser returns must also be
stageable (``transforms.frames.resolution_frames`` accepts it), since staging runs
on it next.

Inputs: arbitrary bytes and text; mutations of real files (members of the bundled
session-78 zip, ``data/landing/text/A_RES_78_229.md``, the first lines of 78.json):
truncation, deleted, duplicated and swapped byte ranges, flipped bytes, injected
invalid characters, changed encoding declarations and byte-order marks, and
element- and attribute-level edits of the XML tree; and XML generated from the
AKN vocabulary around a valid resolution skeleton.

Reproducibility: by default every property runs derandomized (the ``unga-ci``
profile), so a CI failure is the same failure on a laptop. Set
``UNGA_HYPOTHESIS=explore`` to search with fresh randomness and more examples.
Every failing input hypothesis found is kept below as an explicit ``@example``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import BUNDLED, META, ZIP
from transforms.akn import NS, parse_akn
from transforms.discover import scan_landing, session_from_text, session_from_xml, unpack
from transforms.frames import resolution_frames
from transforms.metadata import parse_metadata_jsonl
from transforms.model import ParsedResolution, ParseError
from transforms.reconcile import reconcile
from transforms.textparse import parse_text

settings.register_profile(
    "unga-ci", derandomize=True, deadline=None, database=None, max_examples=150, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "unga-explore", deadline=None, max_examples=1000, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile("unga-explore" if os.environ.get("UNGA_HYPOTHESIS") == "explore" else "unga-ci")


def runs(n: int):
    """The profile, with ``n`` examples in CI (explore keeps its own, larger number)."""
    if os.environ.get("UNGA_HYPOTHESIS") == "explore":
        return settings(PROFILE)
    return settings(PROFILE, max_examples=n)


# -- real inputs -------------------------------------------------------------------
MEMBERS = {
    "plain": "78session/English/A_RES_78_124-2325865E.xml",  # small, vote without a vote
    "footnotes": "78session/English/A_RES_78_255-2326245E.xml",  # notes and lists
    "counts": "78session/English/A_RES_78_273-2407846E.xml",  # a recorded vote with counts
    "annex": "78session/English/A_RES_78_249-2326263E.xml",  # annex, tables, table notes
}
with zipfile.ZipFile(BUNDLED / ZIP.format(78)) as _zf:
    XML = {key: _zf.read(member) for key, member in MEMBERS.items()}
# A special-session resolution: its session comes from its adoption date, not its symbol.
SPECIAL = XML["plain"].replace(b"A/RES/78/124<", b"A/RES/S-32/1<").replace(b"78-124/", b"S-32-1/")
TEXT = (BUNDLED / "text" / "A_RES_78_229.md").read_bytes()
# The XML of each text fixture's resolution, for the reconciliation staging runs on a parsed text.
_TEXT_FIXTURES = {(76, 187), (77, 237), (78, 229), (79, 176), (79, 81)}
XML_BY_SYMBOL: dict[str, ParsedResolution] = {}
for _session in sorted({s for s, _ in _TEXT_FIXTURES}):
    with zipfile.ZipFile(BUNDLED / ZIP.format(_session)) as _zf:
        for _info in _zf.infolist():
            _m = re.search(r"A_RES_(\d+)_(\d+)[-_.]", _info.filename)
            if _m and (int(_m[1]), int(_m[2])) in _TEXT_FIXTURES:
                XML_BY_SYMBOL.update((r.symbol, r) for r in parse_akn(_zf.read(_info), _info.filename))
FIXTURE_TEXTS = {p.name: p.read_bytes() for p in sorted((Path(__file__).parent / "fixtures" / "text").glob("A_RES_*"))}
METADATA = b"".join((BUNDLED / META.format(78)).read_bytes().splitlines(keepends=True)[:12])


def test_real_inputs_parse():
    """The seeds of the mutations are good files: what a mutation breaks, it broke."""
    for key, data in XML.items():
        assert parse_akn(data, key)
    assert [(r.symbol, r.session) for r in parse_akn(SPECIAL, "special.xml")] == [("A/RES/S-32/1", 78)]
    assert parse_text(TEXT, "A_RES_78_229.md").symbol == "A/RES/78/229"
    for name, data in FIXTURE_TEXTS.items():
        assert parse_text(data, name).paragraphs
    rows, _ = parse_metadata_jsonl(METADATA, "78.json")
    assert rows.height >= 10


# -- the property -----------------------------------------------------------------
TOKENS = set("\x00\x01\x02\x03\x04")


def parses_or_refuses(parser, data: bytes, name: str) -> list[ParsedResolution]:
    """Run a resolution parser: ParseError (naming the file) is a refusal, anything else fails the test."""
    try:
        out = parser(data, name)
    except ParseError as exc:
        assert name in str(exc), f"the reason does not name the file: {exc}"
        assert str(exc).strip() != name
        return []
    parsed = out if isinstance(out, list) else [out]
    for res in parsed:
        assert isinstance(res, ParsedResolution)
        assert res.symbol.startswith("A/RES/") and isinstance(res.session, int)
        assert res.paragraphs, "a parsed resolution without paragraphs"
        assert res.adopted_on is None or isinstance(res.adopted_on, dt.date)
        assert all(p.text for p in res.paragraphs)
        # The text parser's internal tokens (U+0000 footnote marks, U+0001-U+0004 links and italics)
        # never leak into what is stored, and input can never forge them.
        stored = [res.title, *(p.text for p in res.paragraphs), *(p.lead_phrase or "" for p in res.paragraphs),
                  *(f.text for f in res.footnotes), *(f.marker for f in res.footnotes),
                  *(c.anchor_text for c in res.citations)]
        assert not any(ch in TOKENS for t in stored for ch in t), "a parser token leaked into the output"
    # Staging runs on what the parser returned: it must build frames without raising.
    resolution_frames((f"doc{i}", res) for i, res in enumerate(parsed))
    return parsed


def metadata_or_refuses(data: bytes, name: str = "meta.json"):
    try:
        rows, problems = parse_metadata_jsonl(data, name)
    except ParseError as exc:
        assert name in str(exc)
        return None
    assert rows.height > 0
    assert all({"line_number", "problem", "raw"} <= set(p) for p in problems)
    return rows


# -- mutations --------------------------------------------------------------------
INJECTIONS = [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", "\u2028".encode(), b"\x1b", b"\x01\x02\x03\x04",
              b"&", b"&#0;", b"&#xFFFE;", b"<", b"]]>", b"</p>", b"<![CDATA[", b"<!--", b"\r", b"\f",
              b"\xef\xbb\xbf", b"&amp;", "\u00a0".encode(), "¹²".encode(), b"\"", b"'", b"\n\n"]
DECLARATIONS = [b"", b'<?xml version="1.0" encoding="UTF-8"?>\n', b'<?xml version="1.0" encoding="ISO-8859-1"?>\n',
                b'<?xml version="1.0" encoding="UTF-16"?>\n', b'<?xml version="1.0" encoding="bogus"?>\n',
                b'<?xml version="1.1"?>\n', b'<?xml version="1.0" encoding="ascii"?>\n',
                b'<?xml version="1.0" encoding="windows-1252"?>\n', b'<?xml encoding="UTF-8"?>']
ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig"]


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    """One edit of the raw bytes."""
    n = len(data)
    i = draw(st.integers(0, n))
    j = draw(st.integers(i, min(n, i + draw(st.sampled_from([1, 8, 200, 5000])))))
    kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "swap", "flip", "inject", "reencode"]))
    if kind == "truncate":
        return data[:i]
    if kind == "delete":
        return data[:i] + data[j:]
    if kind == "duplicate":
        return data[:j] + data[i:j] + data[j:]
    if kind == "swap":
        k = draw(st.integers(j, n))
        l_ = draw(st.integers(k, min(n, k + (j - i) + 50)))
        return data[:i] + data[k:l_] + data[j:k] + data[i:j] + data[l_:]
    if kind == "flip":
        out = bytearray(data)
        for pos in draw(st.lists(st.integers(0, max(0, n - 1)), min_size=1, max_size=8)):
            if out:
                out[pos] = draw(st.integers(0, 255))
        return bytes(out)
    if kind == "inject":
        return data[:i] + draw(st.sampled_from(INJECTIONS)) + data[i:]
    # Re-encode (the text as another encoding) and say so or not in the declaration.
    text = data.decode("utf-8", errors="replace")
    encoding = draw(st.sampled_from(ENCODINGS))
    out = text.encode(encoding, errors="replace")
    if data.lstrip().startswith(b"<"):
        out = draw(st.sampled_from(DECLARATIONS)) + out
    return out


def mutated(data: bytes, max_edits: int = 3):
    return st.integers(1, max_edits).flatmap(
        lambda k: _chain(data, k))


def _chain(data: bytes, k: int):
    strategy = st.just(data)
    for _ in range(k):
        strategy = strategy.flatmap(lambda d: byte_mutation(d))
    return strategy


# XML-level edits: the vocabulary of the real files, so edits land on elements the parser reads.
AKN_TAGS = ["akomaNtoso", "statement", "documentCollection", "components", "component", "meta", "identification",
            "FRBRWork", "FRBRExpression", "FRBRuri", "FRBRdate", "FRBRlanguage", "workflow", "step", "analysis",
            "voting", "count", "quorum", "organization", "classification", "keyword", "coverPage", "docNumber",
            "docProponent", "inline", "preface", "docTitle", "preamble", "mainBody", "paragraph", "num", "content",
            "p", "list", "point", "intro", "listIntroduction", "sublist", "blockList", "item", "container",
            "authorialNote", "a", "span", "i", "b", "eol", "br", "subheading", "heading", "section", "part",
            "crossHeading", "table", "tr", "td", "th", "conclusions", "docDate", "location", "attachment",
            "attachments", "doc", "signature"]
AKN_ATTRS = ["name", "class", "date", "value", "language", "href", "marker", "refersTo", "outcome", "by", "as",
             "title", "dictionary", "showAs", "eId"]
ATTR_VALUES = ["resolution", "report", "H1", "H23", "FootnoteText", "italic", "2023-12-22", "2023-02-30",
               "99999-01-01", "", " ", "A/RES/78/229", "A/RES/78/80 A-B", "A/RES/S-32/1", "A/RES/ES-11/4",
               "/akn/un/statement/deliberation/unga/2023-12-18/78-124/", "/akn/x/2023-13-45/78-1/",
               "https://undocs.org/A/RES/77/1", "https://undocs.org/en/", "#fifthCommittee", "#inFavour",
               "adoptedRecordedVote", "adoptedWithoutVote", "100-3-2", "adoption", "publication", "eng", "fra",
               "draftResolution", "draftResolutionAdditionalSponsors", "(a)", "1.", "l", "agenda item", "12",
               "-1", "abc", "Bosnia and Herzegovina, Chad and Peru", "agenda", "SDGO", "adoptionMeeting",
               "\u00a0", "Ⅻ", "１２"]
TEXTS = ["", " ", "1.", "(a)", "(i)", "A/RES/78/229", "A/RES/78/9999 B", "Reaffirming", "Calls upon States",
         "The General Assembly,", "78th plenary meeting", "19 December 2023", "\u00a0", "¹", "Agenda items 12 and 13",
         "A/78/482, para. 29", "A/78/L.1", "\t\n", "l", "12. Decides", "x" * 300]


def _random_text():
    return st.one_of(st.sampled_from(TEXTS), st.text(max_size=40).map(
        lambda t: "".join(c for c in t if c.isprintable() and c not in "\x00\ufffe\uffff"
                          and not 0xD800 <= ord(c) <= 0xDFFF)))


@st.composite
def tree_mutation(draw, data: bytes) -> bytes:
    """Edits of the parsed tree: remove, rename, duplicate or move elements; drop or change attributes."""
    root = etree.fromstring(data)
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    for _ in range(draw(st.integers(1, 4))):
        elements = [el for el in root.iter() if isinstance(el.tag, str)]
        el = elements[draw(st.integers(0, len(elements) - 1))]
        kind = draw(st.sampled_from(["remove", "rename", "drop_attr", "set_attr", "set_text", "duplicate", "move",
                                     "unwrap", "add_child"]))
        parent = el.getparent()
        if kind == "remove" and parent is not None:
            parent.remove(el)
        elif kind == "rename":
            el.tag = f"{{{NS}}}{draw(st.sampled_from(AKN_TAGS))}" if draw(st.booleans()) else draw(
                st.sampled_from(["foo", "{urn:other}paragraph", "statement"]))
        elif kind == "drop_attr" and el.attrib:
            del el.attrib[draw(st.sampled_from(sorted(el.attrib)))]
        elif kind == "set_attr":
            el.set(draw(st.sampled_from(AKN_ATTRS)), draw(st.one_of(st.sampled_from(ATTR_VALUES), _random_text())))
        elif kind == "set_text":
            el.text = draw(_random_text())
        elif kind == "duplicate" and parent is not None:
            parent.insert(parent.index(el) + 1, _copy(el))
        elif kind == "move" and parent is not None:
            target = elements[draw(st.integers(0, len(elements) - 1))]
            if el not in set(target.iterancestors()) and target is not el:
                parent.remove(el)
                target.append(el)
        elif kind == "unwrap" and parent is not None:
            i = parent.index(el)
            for child in reversed(list(el)):
                parent.insert(i + 1, child)
            parent.remove(el)
        elif kind == "add_child":
            child = etree.SubElement(el, f"{{{NS}}}{draw(st.sampled_from(AKN_TAGS))}")
            child.text = draw(_random_text())
    return etree.tostring(root, encoding="utf-8", xml_declaration=draw(st.booleans()))


def _copy(el):
    return copy.deepcopy(el)


# -- 1. arbitrary input -----------------------------------------------------------
@runs(200)
@given(st.binary(max_size=4096))
@example(b"\xff\xfe")  # a UTF-16 byte-order mark and nothing else
@example(b"\xfe\xff\x00<")
@example("<a>Caf\xe9</a>".encode("latin-1"))
def test_arbitrary_bytes_never_crash_the_parsers(data):
    parses_or_refuses(parse_akn, data, "input.xml")
    parses_or_refuses(parse_text, data, "input.md")
    metadata_or_refuses(data)


@runs(200)
@given(st.text(max_size=3000))
@example("\x01The General Assembly,\x02")
@example("78/1. Title\n\nThe General Assembly,\n\n1. Decides\x00")
def test_arbitrary_text_never_crashes_the_parsers(text):
    data = text.encode("utf-8", errors="surrogatepass")
    parses_or_refuses(parse_akn, data, "input.xml")
    parses_or_refuses(parse_text, data, "input.md")
    metadata_or_refuses(data)


# -- 2. mutated real files ---------------------------------------------------------
@runs(250)
@given(st.sampled_from(sorted(XML)).flatmap(lambda key: mutated(XML[key])))
def test_mutated_xml_parses_or_is_refused(data):
    parses_or_refuses(parse_akn, data, "mutated.xml")


@runs(250)
@given(st.sampled_from(sorted(XML)).flatmap(lambda key: tree_mutation(XML[key])))
def test_xml_with_edited_elements_and_attributes_parses_or_is_refused(data):
    parses_or_refuses(parse_akn, data, "edited.xml")


@runs(200)
@given(st.one_of(mutated(TEXT), st.sampled_from(sorted(FIXTURE_TEXTS)).flatmap(
    lambda name: mutated(FIXTURE_TEXTS[name]))))
# A NUL byte past the first 4 KiB passed the binary check and reached the paragraphs (the token
# invariant above caught it); "\x00x\x00" there was read as a footnote marker "x" and dropped.
@example(TEXT[:10000] + b"\x00" + TEXT[10000:])
@example(TEXT[:10000] + b"\x00x\x00" + TEXT[10000:])
# U+0001..U+0004 are the parser's link and italic tokens: one pair in the input forged a citation
# (see test_control_characters_cannot_forge_a_link).
@example(TEXT[:10000] + b"\x01A/RES/1/1\x02" + TEXT[10000:])
def test_mutated_text_parses_or_is_refused(data):
    for res in parses_or_refuses(parse_text, data, "mutated.md"):
        # Staging then compares a text version with the XML of its symbol: that must not raise either.
        if res.symbol in XML_BY_SYMBOL:
            rec = reconcile(XML_BY_SYMBOL[res.symbol], res, text_document_id="t", xml_document_id="x")
            assert rec.summary["symbol"] == res.symbol


@runs(150)
@given(mutated(METADATA))
def test_mutated_metadata_parses_or_is_refused(data):
    metadata_or_refuses(data, "78.json")


def test_control_characters_cannot_forge_a_link():
    """U+0001/U+0002 in the input are read as the unknown characters they are, not as a link's
    bounds (which made a citation of "A/RES/1/1and", the link glued to the next word)."""
    forged = parse_text(TEXT[:10000] + b"\x01A/RES/1/1\x02" + TEXT[10000:], "a.md")
    shown = parse_text(TEXT[:10000] + "\ufffdA/RES/1/1\ufffd".encode() + TEXT[10000:], "a.md")
    assert [(c.target_symbol, c.anchor_text) for c in forged.citations] == \
        [(c.target_symbol, c.anchor_text) for c in shown.citations]
    assert "A/RES/1/1and" not in {c.target_symbol for c in forged.citations}
    assert [p.text for p in forged.paragraphs] == [p.text for p in shown.paragraphs]


def test_utf16_text_with_a_bom_reads_like_its_utf8():
    """The one wrong-encoding case decoded: a byte-order mark names the encoding without guessing."""
    want = parse_text(TEXT, "a.md")
    for encoding in ("utf-16", "utf-16-be", "utf-32", "utf-8-sig"):
        data = TEXT.decode().encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        got = parse_text(data, "a.md")
        assert (got.symbol, [p.text for p in got.paragraphs]) == (want.symbol, [p.text for p in want.paragraphs])
        assert session_from_text(data) == 78  # scan_landing places it without a session in its name


@pytest.mark.parametrize(("data", "words"), [
    (TEXT.decode().encode("cp1252", errors="replace"), ["not UTF-8", "byte 0x", "offset", "Windows-1252"]),
    (TEXT.decode().encode("utf-16-le"), ["wrong encoding", "UTF-16LE without a byte-order mark"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary file", "NUL byte at offset 8"]),
    (b"\xff\xfe" + "The General Assembly".encode("utf-16-le")[:-1], ["utf-16", "byte-order mark"]),
])
def test_wrong_encodings_of_text_are_refused_naming_the_encoding(data, words):
    with pytest.raises(ParseError) as exc:
        parse_text(data, "a.md")
    assert all(w in str(exc.value) for w in words), str(exc.value)


@pytest.mark.parametrize(("data", "words"), [
    (XML["plain"].decode().replace("Credentials", "Crédentials").encode("cp1252"),
     ["malformed XML", "not UTF-8", "byte 0xE9", "no encoding declared"]),
    (XML["plain"].decode().encode("utf-16-le"), ["wrong encoding", "UTF-16LE"]),
    (XML["plain"][:5000], ["malformed XML at line", "column"]),
    (b"<html><body/></html>", ["not Akoma Ntoso", "<html>"]),
])
def test_broken_xml_is_refused_naming_the_problem(data, words):
    with pytest.raises(ParseError) as exc:
        parse_akn(data, "a.xml")
    assert all(w in str(exc.value) for w in words), str(exc.value)


def test_xml_in_another_declared_or_marked_encoding_is_read():
    want = parse_akn(XML["plain"], "a.xml")[0]
    text = XML["plain"].decode()
    for data in (text.encode("utf-16"), b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + text.encode("latin-1")):
        got = parse_akn(data, "a.xml")[0]
        assert (got.symbol, [p.text for p in got.paragraphs]) == (want.symbol, [p.text for p in want.paragraphs])


# -- 3. generated AKN -------------------------------------------------------------
def _element(tag: str, children=(), text=None, **attrs):
    el = etree.Element(f"{{{NS}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
    el.text = text
    for c in children:
        el.append(c)
    return el


BODY_TAGS = ["paragraph"] * 4 + ["p"] * 3 + ["content"] * 2 + [
    "num", "list", "point", "intro", "listIntroduction", "sublist", "container", "blockList", "item",
    "authorialNote", "a", "span", "i", "eol", "subheading", "heading", "section", "part", "crossHeading", "table",
    "tr", "td", "docNumber", "inline", "organization", "count"]


@st.composite
def akn_fragment(draw, depth: int = 0):
    tag = draw(st.sampled_from(BODY_TAGS))
    attrs = draw(st.dictionaries(st.sampled_from(AKN_ATTRS), st.sampled_from(ATTR_VALUES), max_size=3))
    el = etree.Element(f"{{{NS}}}{tag}", attrs)
    el.text = draw(_random_text())
    if depth < 4:
        for child in draw(st.lists(akn_fragment(depth=depth + 1), max_size=4 if depth < 2 else 2)):
            el.append(child)
            child.tail = draw(st.sampled_from(["", " ", "\n", "and", "¹"]))
    return el


@st.composite
def akn_document(draw) -> bytes:
    """A resolution skeleton the parser gets far into, with generated bodies, metadata and quirks."""
    # Mostly valid where the parser would refuse early, so generation reaches the body walk.
    number = draw(st.sampled_from(["A/RES/78/229"] * 6 + ["A/RES/78/80 A-B", "A/RES/S-32/1", "A/RES/ES-11/4",
                                                          "A/RES/78/1 B", "A/RES/78/x", ""]))
    date = draw(st.sampled_from(["2023-12-22"] * 6 + ["2019-01-01", "1999-12-31", "2023-02-30", ""]))
    uri = draw(st.sampled_from(["", "/akn/un/statement/deliberation/unga/2023-12-22/78-229/"] * 3 + ATTR_VALUES))
    meta = _element("meta", [
        _element("identification", [
            _element("FRBRWork", [_element("FRBRuri", value=uri),
                                  _element("FRBRdate", date=date, name="adoption")]),
            _element("FRBRExpression", [_element("FRBRdate", date=draw(st.sampled_from([date, "2024-01-02", "2024-01-02", "x"])),
                                                 name="publication"),
                                        _element("FRBRlanguage", language=draw(st.sampled_from(["eng", "fra", ""])))]),
        ]),
        _element("workflow", draw(st.lists(st.builds(
            lambda o, b: _element("step", outcome=o, by=b),
            st.sampled_from(ATTR_VALUES), st.sampled_from(ATTR_VALUES)), max_size=3))),
        _element("analysis", [_element("parliamentary", [_element("voting", draw(st.lists(
            akn_fragment(depth=3), max_size=3)), outcome=draw(st.sampled_from(ATTR_VALUES)))])]),
    ])
    statement = _element("statement", [
        meta,
        _element("coverPage", [_element("docNumber", text=number), *draw(st.lists(akn_fragment(depth=2), max_size=2))]),
        _element("preface", [_element("docTitle", draw(st.lists(akn_fragment(depth=3), max_size=2)),
                                      text=draw(_random_text()))]),
        _element("preamble", draw(st.lists(akn_fragment(depth=1), max_size=4))),
        _element("mainBody", draw(st.lists(akn_fragment(depth=1), min_size=1, max_size=5))),
        _element("conclusions", [_element("p", [_element("docDate", date=date, text=date)])]),
    ], name=draw(st.sampled_from(["resolution"] * 5 + ["report"])))
    if draw(st.booleans()):
        statement.append(_element("attachments", [_element("attachment", [_element("doc", [
            _element("mainBody", draw(st.lists(akn_fragment(depth=1), max_size=3)))])])]))
    root = _element("akomaNtoso", [statement])
    if number.endswith("A-B") or not draw(st.integers(0, 5)):  # a collection wrapping the statement
        coll = _element("documentCollection", [_element("coverPage", [_element("docNumber", text=number)]),
                                               _element("preface", [_element("docTitle", text="Collection")])])
        root.remove(statement)
        statement.insert(0, _element("preface", [_element("docNumber", text=draw(st.sampled_from(["A", "B.", "", "1"])))]))
        root.append(coll)
        root.append(_element("components", [_element("component", [statement])]))
    return etree.tostring(root, encoding="utf-8")


@runs(300)
@given(akn_document())
def test_generated_akn_parses_or_is_refused(data):
    parses_or_refuses(parse_akn, data, "generated.xml")


# -- 4. archives and landing --------------------------------------------------------
MEMBER_NAMES = ["78session/English/A_RES_78_1.xml", "A_RES_78_2.xml", "notes.docx", "dir/", ".DS_Store",
                "session-78/readme.txt", "x.md", "78.json", "../evil.xml"]


@st.composite
def zip_archive(draw) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in draw(st.lists(st.sampled_from(MEMBER_NAMES), max_size=4, unique=True)):
            content = draw(st.one_of(st.sampled_from([XML["plain"], TEXT[:3000], METADATA, b""]),
                                     st.binary(max_size=300)))
            zf.writestr(name, content, compress_type=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    data = buf.getvalue()
    if draw(st.booleans()):
        data = draw(byte_mutation(data))
    return data


def _land(files: dict[str, bytes]):
    """scan_landing + unpack over a temporary landing folder: never raises, every rejection has a reason."""
    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp)
        for name, data in files.items():
            (landing / name).parent.mkdir(parents=True, exist_ok=True)
            (landing / name).write_bytes(data)
        sources = scan_landing(landing)
        assert {s.path for s in sources} == set(files)
        for s in sources:
            if s.session is None:
                continue
            docs, rejects = unpack(landing, s)
            for r in rejects:
                assert r.reason and r.source_path == s.path
            for d in docs:
                assert d.content is not None and d.format in ("akn-xml", "text", "dgacm-jsonl")
        return sources


@runs(150)
@given(zip_archive())
@example(b"PK\x05\x06" + b"\x00" * 18)  # an empty archive: only the end-of-central-directory record
# A member whose name is empty: ZipInfo.is_dir() raised IndexError out of unpack (found by hypothesis).
@example(b'PK\x03\x04\x14\x00\x00\x00\x00\x00\xf6.|]\xe7\x03\xd3\xd7\x0f\x00\x00\x00\x0f\x00\x00\x00\x04\x00\x00\x00'
         b'dir/\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00PK\x03\x04\x14\x00\x00\x00\x08\x00\xf6.|]\x8ed'
         b'\xb4w\x11\x00\x00\x00\x0f\x00\x00\x00\x0e\x00\x00\x00A_RES_78_2.xmlc````d``b``f``a\x00\x00PK\x01\x02\x14\x03'
         b'\x14\x00\x00\x00\x00\x00\xf6.|]\xe7\x03\xd3\xd7\x0f\x00\x00\x00\x0f\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00'
         b'\x00\x00\x00\x10\x00\xfdA\x00\x00\x00\x00\x00ir/PK\x01\x02\x14\x03\x14\x00\x00\x00\x08\x00\xf6.|]\x8ed\xb4w'
         b'\x11\x00\x00\x00\x0f\x00\x00\x00\x0e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x011\x00\x00\x00'
         b'A_RES_78_2.xmlPK\x05\x06\x00\x00\x00\x00\x02\x00\x02\x00n\x00\x00\x00n\x00\x00\x00\x00\x00')
def test_zip_archives_unpack_or_are_rejected(data):
    _land({"session-78-English.zip": data, "mystery.zip": data})


@runs(120)
@given(st.sampled_from(sorted(XML)).flatmap(lambda key: mutated(XML[key])), mutated(TEXT))
def test_landing_files_without_a_session_in_their_name_are_diagnosed(xml, text):
    # No session in the names: scan_landing peeks inside, and parses to say what is wrong.
    sources = {s.path: s for s in _land({"drop/resolution.xml": xml, "drop/resolution.md": text})}
    for s in sources.values():
        assert s.session is not None or s.problem, s


# A loose special-session XML whose adoption date cannot be a date: the session peek in
# scan_landing raised ValueError ("month must be in 1..12") and stopped every build.
BAD_DATE_SPECIAL = SPECIAL.replace(b'<FRBRdate date="2023-12-18" name="adoption">',
                                   b'<FRBRdate date="2023-13-18" name="adoption">')


@runs(200)
@given(st.one_of(mutated(SPECIAL), mutated(XML["plain"])), mutated(TEXT))
@example(BAD_DATE_SPECIAL, b"")
@example(b'<docNumber>A/RES/S-32/1</docNumber><FRBRdate date="2023-02-30" name="adoption">', b"A/RES/99999/1 ")
def test_session_peeks_never_raise(xml, text):
    for data in (xml, text):
        for peek in (session_from_xml, session_from_text):
            session = peek(data)
            assert session is None or isinstance(session, int)


@runs(60)
@given(mutated(SPECIAL, max_edits=1))
@example(BAD_DATE_SPECIAL)
def test_landing_special_session_files_are_placed_or_diagnosed(xml):
    (source,) = _land({"loose/resolution.xml": xml})
    assert source.session is not None or source.problem


# ------------------------------------------------------------------ normalise is idempotent
# The AKN parser normalises each inline piece and returns a paragraph of one piece as it is:
# that is only right if normalising normalised text changes nothing, whatever the text.
_TRICKY = st.sampled_from(["e", "\u0301", "\u200b", "\u00ad", "\u2011", " ", "\u00a0", "\t", "\n", ",", ";",
                           "(", ")", "[", "]", ".", ":", "a", "\u2019", "\ufeff", "\u200e"])


@given(st.lists(_TRICKY, max_size=30).map("".join) | st.text(max_size=60))
@example("e\u200b\u0301")  # an invisible character between a letter and its accent
@example("a  ( ( ,b )")
def test_normalise_is_idempotent(text):
    from transforms.text import normalise

    once = normalise(text)
    assert normalise(once) == once
