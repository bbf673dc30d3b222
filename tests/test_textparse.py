"""The text parser against the official XML: the corpus sample and the rendered layouts.

The XML is canonical: every test parses the same resolution from its XML in the
bundled zips and requires the text path to give the same structure.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import BUNDLED, REPO, make_data_dir
from transforms.akn import parse_akn
from transforms.model import ParseError
from transforms.reconcile import reconcile
from transforms.text import comparable
from transforms.textparse import citations_in_text, detect_layout, parse_text
from orchestration.cli import main

SAMPLE = BUNDLED / "text" / "A_RES_78_229.md"
FIXTURES = REPO / "tests" / "fixtures" / "text"
LAYOUT_FILES = sorted(FIXTURES.glob("A_RES_*.*.*"))


def xml_of(symbol: str):
    session = symbol.split("/")[2]
    number = symbol.split("/")[3]
    with zipfile.ZipFile(BUNDLED / f"ga-akn/session-{session}-English.zip") as zf:
        for name in zf.namelist():
            if f"_{session}_{number}" in name and name.endswith(".xml"):
                for r in parse_akn(zf.read(name), name):
                    if r.symbol == symbol:
                        return r
    raise LookupError(symbol)


def symbol_of(path: Path) -> str:
    _, _, session, number = path.name.split(".")[0].split("_")
    return f"A/RES/{session}/{number}"


def assert_same_structure(xml, text, allowed_lead_boundaries: int = 1):
    for field in ("symbol", "session", "adopted_on", "title", "agenda_items", "agenda_item_names", "committee",
                  "originating_document", "report_symbol", "report_paragraph", "plenary_meeting"):
        assert getattr(text, field) == getattr(xml, field), field
    assert [(p.kind, p.ordinal, p.number) for p in text.paragraphs] == [
        (p.kind, p.ordinal, p.number) for p in xml.paragraphs]
    boundary = []
    for px, pt in zip(xml.paragraphs, text.paragraphs):
        assert comparable(pt.text) == comparable(px.text), (px.kind, px.ordinal)
        assert pt.footnote_markers == px.footnote_markers, (px.kind, px.ordinal)
        if pt.lead_phrase != px.lead_phrase:
            # Only where the italics end may differ: one phrase a word-prefix of the other.
            short, long = sorted((pt.lead_phrase or "", px.lead_phrase or ""), key=len)
            assert short and long.startswith(short + " "), (px.kind, px.ordinal, px.lead_phrase, pt.lead_phrase)
            boundary.append((px.kind, px.ordinal))
    assert len(boundary) <= allowed_lead_boundaries, boundary
    assert [(f.marker, f.paragraph_kind, f.paragraph_ordinal, comparable(f.text)) for f in text.footnotes] == [
        (f.marker, f.paragraph_kind, f.paragraph_ordinal, comparable(f.text)) for f in xml.footnotes]
    return boundary


def test_78_229_markdown_parses_to_the_structure_of_its_xml():
    xml, text = xml_of("A/RES/78/229"), parse_text(SAMPLE.read_bytes(), SAMPLE.name)
    assert text.source_format == "text" and detect_layout(SAMPLE.read_text()) == "markdown"
    assert Counter(p.kind for p in text.paragraphs) == {"preambular": 84, "operative": 93}
    boundary = assert_same_structure(xml, text)
    # "Reaffirming its commitment and strong political will ...": the XML italicises
    # "Reaffirming" here, but "Reaffirming its commitment" in 79 of the 94 paragraphs it opens.
    assert boundary == [("preambular", 17)]
    # A footnote block (note 53) splits operative paragraph 82 mid-sentence; it is joined again.
    p82 = [p for p in text.paragraphs if p.kind == "operative" and p.number == "82"][0]
    assert "seek the support and cooperation of manufacturers" in p82.text


@pytest.mark.parametrize("path", LAYOUT_FILES, ids=lambda p: p.name)
def test_rendered_layouts_parse_to_the_structure_of_their_xml(path):
    xml, text = xml_of(symbol_of(path)), parse_text(path.read_bytes(), path.name)
    assert detect_layout(path.read_text(encoding="utf-8")) == path.name.split(".")[1]
    assert_same_structure(xml, text)
    assert reconcile(xml, text).summary["passed"]


def test_layouts_are_all_covered():
    layouts = Counter(p.name.split(".")[1] for p in LAYOUT_FILES)
    assert layouts == {"pymupdf": 5, "pdftotext": 5}


def test_citations_agree_with_the_xml_links():
    """Text has fewer links than the XML (pdftotext none): symbols named in the text stand in."""
    for path in [SAMPLE, FIXTURES / "A_RES_78_229.pdftotext.txt"]:
        xml, text = xml_of("A/RES/78/229"), parse_text(path.read_bytes(), path.name)
        cx = Counter((c.paragraph_kind, c.paragraph_ordinal, c.target_symbol) for c in xml.citations)
        ct = Counter((c.paragraph_kind, c.paragraph_ordinal, c.target_symbol) for c in text.citations)
        common = sum((cx & ct).values())
        assert common / sum(cx.values()) >= 0.97  # recall, measured 144/146
        assert common / sum(ct.values()) >= 0.95  # precision, measured 144/148 and 144/151


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Recalling its resolutions 69/193 and 69/196 of 18 December 2014,", ["A/RES/69/193", "A/RES/69/196"]),
        ("Council resolution 2021/25 of 22 July 2021", ["E/RES/2021/25"]),
        ("Security Council resolution 1373 (2001)", ["S/RES/1373(2001)"]),
        ("resolution 217 A (III)", ["A/RES/217(III)"]),
        ("Conference resolution 9/8 on education", []),  # not the General Assembly's numbering
        ("See CTOC/COP/2022/9, sect. I.A.", ["CTOC/COP/2022/9"]),
    ],
)
def test_citations_in_text(text, expected):
    assert [t for t, _ in citations_in_text(text)] == expected


def test_hyphens_at_line_ends():
    path = FIXTURES / "A_RES_76_187.pdftotext.txt"
    text = parse_text(path.read_bytes(), path.name)
    body = " ".join(p.text for p in text.paragraphs)
    assert "capacity-building" in body  # a compound broken at its own hyphen keeps it
    assert "capacitybuilding" not in body and "-\n" not in body


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("Résolution adoptée".encode("latin-1"), "not UTF-8"),
        (b"Minutes of the meeting\n\nNothing to see.", "not a General Assembly resolution"),
        (b"Seventy-eighth session\n\nThe General Assembly,\n\nRecalling nothing,", "no resolution number"),
    ],
)
def test_unreadable_text_raises_parse_error_naming_the_problem(data, words):
    with pytest.raises(ParseError, match=words):
        parse_text(data, "input.md")


def test_unga_parse_json_and_errors(tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["parse", str(SAMPLE), "--format", "json"])
    assert out.exit_code == 0, out.output
    import json

    data = json.loads(out.stdout)
    assert data["symbol"] == "A/RES/78/229" and data["source_format"] == "text"
    assert len(data["paragraphs"]) == 177 and len(data["footnotes"]) == 53
    assert data["footnotes"][0]["paragraph"] == {"kind": "preambular", "ordinal": 2}
    summary = runner.invoke(main, ["parse", str(SAMPLE)])
    assert "84 preambular, 93 operative" in summary.stdout
    bad = tmp_path / "notes.txt"
    bad.write_text("Nothing here.")
    failed = runner.invoke(main, ["parse", str(bad)])
    assert failed.exit_code == 2 and "not a General Assembly resolution" in failed.stderr
    binary = tmp_path / "scan.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    failed = runner.invoke(main, ["parse", str(binary)])
    assert failed.exit_code == 2 and "binary" in failed.stderr


def test_pipeline_keeps_xml_canonical_and_reconciles_the_text(tmp_path):
    from orchestration.build import build_all

    paths = make_data_dir(tmp_path / "data", [78])
    (paths.landing / "text").mkdir()
    (paths.landing / "text" / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    # A text-only resolution of another session: its session comes from the text itself.
    only_text = FIXTURES / "A_RES_77_237.pdftotext.txt"
    (paths.landing / "text" / "resolution-77-237.txt").write_bytes(only_text.read_bytes())
    # A damaged text of 78/229: an operative paragraph lost.
    damaged = SAMPLE.read_text(encoding="utf-8").replace("91. *Calls upon* all Member States", "Calls upon all Member States")
    (paths.landing / "text" / "A_RES_78_229_damaged.md").write_text(damaged, encoding="utf-8")
    summary = build_all(paths)
    assert summary["status"] == "published"  # a disagreeing text warns, it does not block
    import duckdb

    with duckdb.connect(str(paths.snapshot), read_only=True) as con:
        assert con.execute("SELECT source_format FROM core.dim_resolution WHERE symbol = 'A/RES/78/229'").fetchall() == [("xml",)]
        assert con.execute("SELECT source_format, session FROM core.dim_resolution WHERE symbol = 'A/RES/77/237'"
                           ).fetchall() == [("text", 77)]
        assert con.execute("SELECT count(*) FROM core.fact_paragraph WHERE symbol = 'A/RES/77/237'").fetchone() == (162,)
        rows = dict(con.execute("SELECT text_source, passed FROM core.text_reconciliation").fetchall())
        assert rows == {"text/A_RES_78_229.md": True, "text/A_RES_78_229_damaged.md": False}
        reasons = con.execute("SELECT reasons FROM core.text_reconciliation WHERE NOT passed").fetchone()[0]
        assert any("number" in r for r in reasons)
        checks = dict(con.execute("SELECT check_name, violations FROM ops.check_result").fetchall())
        assert checks["unique_keys"] == 0
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        statuses = con.execute("SELECT status, reason FROM staging.document_status WHERE symbol = 'A/RES/78/229' "
                               "ORDER BY status").fetchall()
        assert [s for s, _ in statuses] == ["current", "superseded", "superseded"]
        assert all("official XML is canonical" in r for s, r in statuses if s == "superseded")
        from warehouse import pipeline

        assert pipeline.run_check(con, "text_matches_xml").height == 1
