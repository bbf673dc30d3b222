"""PDFs of resolutions: their text layer read (transforms.pdf), parsed as text, loaded and reconciled.

The fixtures (tests/fixtures/pdf/) are real resolutions printed to PDF by Chromium from
their official XML (tests/fixtures/render_pdf.py), so the XML tells what the PDF must
give: the same paragraphs, in the same order, with the same numbers and text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import BUNDLED, REPO, make_data_dir
from transforms.akn import parse_akn
from transforms.model import ParseError
from transforms.pdf import RULE, extract_text, parse_pdf
from transforms.textparse import parse_text
from orchestration.cli import main

PDFS = REPO / "tests" / "fixtures" / "pdf"
GOOD = {"A/RES/79/176": 79, "A/RES/79/81": 79, "A/RES/77/237": 77, "A/RES/77/5": 77}
BAD = {
    "bad-encrypted.pdf": "encrypted PDF",
    "bad-scanned.pdf": "scanned image without a text layer",
    "bad-truncated.pdf": "corrupt or truncated PDF",
    "bad-not-a-resolution.pdf": "not a General Assembly resolution",
}


def pdf_path(symbol: str) -> Path:
    return PDFS / f"{symbol.replace('/', '_')}.pdf"


def xml_of(symbol: str, session: int):
    num = symbol.rsplit("/", 1)[1]
    pat = re.compile(rf"/A_RES_{session}_{num}(?:[-_][^/]*)?\.xml$")
    with zipfile.ZipFile(BUNDLED / "ga-akn" / f"session-{session}-English.zip") as z:
        (name,) = [n for n in z.namelist() if pat.search(n)]
        (res,) = parse_akn(z.read(name), name)
    return res


def pdftotext(path: Path) -> bytes:
    """poppler's ``pdftotext -layout`` output: the second real extractor (scripts/ensure-test-tools)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make test` (which installs Debian's poppler-utils with "
                    "scripts/ensure-test-tools) or `apt-get install poppler-utils`.")
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout


@pytest.mark.parametrize("symbol", sorted(GOOD))
def test_pdf_gives_the_structure_of_the_xml(symbol):
    xml = xml_of(symbol, GOOD[symbol])
    assert_same_as_xml(parse_pdf(pdf_path(symbol).read_bytes(), pdf_path(symbol).name), xml)


@pytest.mark.parametrize("symbol", sorted(GOOD))
def test_pdftotext_output_gives_the_structure_of_the_xml(symbol):
    """The same PDFs read by another extractor, poppler's: no rule above the notes, markers glued."""
    xml = xml_of(symbol, GOOD[symbol])
    assert_same_as_xml(parse_text(pdftotext(pdf_path(symbol)), pdf_path(symbol).name), xml)


def assert_same_as_xml(res, xml):
    assert (res.symbol, res.session, res.adopted_on, res.title) == (xml.symbol, xml.session, xml.adopted_on, xml.title)
    assert res.source_format == "text"
    assert res.plenary_meeting == xml.plenary_meeting and res.committee == xml.committee
    kinds = lambda r: [(p.kind, p.number) for p in r.paragraphs]  # noqa: E731
    assert kinds(res) == kinds(xml)
    assert sum(p.kind == "preambular" for p in res.paragraphs) == sum(p.kind == "preambular" for p in xml.paragraphs)
    # Lead phrases come from the lexicon (the pdftotext layout carries no italics): "Reaffirming its
    # commitment" where the XML italicises "Reaffirming"; each starts with the XML's.
    leads = [(p.lead_phrase or "", x.lead_phrase or "") for p, x in zip(res.paragraphs, xml.paragraphs)]
    assert all(a.startswith(b) for a, b in leads), [x for x in leads if not x[0].startswith(x[1])]
    assert [[s.label for s in p.subparagraphs] for p in res.paragraphs] == \
        [[s.label for s in p.subparagraphs] for p in xml.paragraphs]
    assert [f.marker for f in res.footnotes] == [f.marker for f in xml.footnotes]
    for f in res.footnotes:
        (x,) = [g for g in xml.footnotes if g.marker == f.marker]
        assert f.text == x.text and (f.paragraph_kind, f.paragraph_ordinal) == (x.paragraph_kind, x.paragraph_ordinal)
    assert [p.text for p in res.paragraphs] == [p.text for p in xml.paragraphs]
    assert [p.footnote_markers for p in res.paragraphs] == [p.footnote_markers for p in xml.paragraphs]
    assert [[s.text for s in p.subparagraphs] for p in res.paragraphs] == \
        [[s.text for s in p.subparagraphs] for p in xml.paragraphs]


def test_extracted_text_is_laid_out_like_pdftotext():
    text = extract_text(pdf_path("A/RES/79/81").read_bytes(), "A_RES_79_81.pdf")
    pages = text.split("\f")
    assert len(pages) == 7
    assert "The General Assembly," in pages[0] and "\n\n" in pages[0]  # paragraph gaps kept
    assert "Palestinian Territory,¹ and the Court’s conclusion" in pages[0]  # a raised marker, on its line
    assert pages[0].index("United Nations") < pages[0].index("The General Assembly")
    last = pages[-1].split("\n")
    assert RULE in last and any(re.match(r"^\s*1\s{2,}A/78/968\.$", ln) for ln in last)  # notes under a rule
    assert "24-23037 (E)" in pages[0]  # the job number at the foot


@pytest.mark.parametrize("name,reason", sorted(BAD.items()))
def test_bad_pdfs_are_refused_with_their_reason(name, reason):
    if not (PDFS / name).exists():
        pytest.skip(f"{name} not generated (pypdf missing when render_pdf.py ran)")
    with pytest.raises(ParseError, match=re.escape(reason)):
        parse_pdf((PDFS / name).read_bytes(), name)


def test_not_a_pdf():
    with pytest.raises(ParseError, match="not a PDF"):
        extract_text(b"<html>no</html>", "x.pdf")
    with pytest.raises(ParseError, match="empty file"):
        extract_text(b"", "x.pdf")


def test_unga_parse_pdf():
    runner = CliRunner()
    out = runner.invoke(main, ["parse", str(pdf_path("A/RES/79/81")), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["symbol"] == "A/RES/79/81" and data["source_format"] == "text"
    assert [p["kind"] for p in data["paragraphs"]].count("annex") == 17 and len(data["footnotes"]) == 8
    summary = runner.invoke(main, ["parse", str(pdf_path("A/RES/79/81"))])
    assert summary.exit_code == 0 and "34 preambular, 20 operative, 17 annex" in summary.stdout
    failed = runner.invoke(main, ["parse", str(PDFS / "bad-scanned.pdf")])
    assert failed.exit_code == 2 and "scanned image without a text layer" in failed.stderr


def test_pdfs_in_landing_are_loaded_reconciled_or_quarantined(tmp_path):
    """PDFs beside the XML go through a real build: reconciled with it; bad ones quarantined, the rest loads."""
    import duckdb

    from orchestration.build import build_all

    paths = make_data_dir(tmp_path / "data", [79], metadata=False)
    (paths.landing / "pdf").mkdir()
    for symbol in ("A/RES/79/81", "A/RES/79/176"):
        (paths.landing / "pdf" / pdf_path(symbol).name).write_bytes(pdf_path(symbol).read_bytes())
    bad = [name for name in BAD if (PDFS / name).exists()]
    for name in bad:
        (paths.landing / "pdf" / name).write_bytes((PDFS / name).read_bytes())
    summary = build_all(paths)
    assert summary["status"] == "published", summary
    with duckdb.connect(str(paths.snapshot), read_only=True) as con:
        assert con.execute("SELECT source_format FROM core.dim_resolution WHERE symbol IN "
                           "('A/RES/79/81', 'A/RES/79/176')").fetchall() == [("xml",), ("xml",)]
        rows = dict(con.execute("SELECT text_source, passed FROM core.text_reconciliation").fetchall())
        assert rows == {"pdf/A_RES_79_81.pdf": True, "pdf/A_RES_79_176.pdf": True}
        rejected = {p: (s, r) for p, s, r in con.execute(
            "SELECT source_path, session, reason FROM ops.rejected WHERE source_path LIKE 'pdf/%'").fetchall()}
        assert set(rejected) == {f"pdf/{name}" for name in bad}
        for name in bad:
            session, reason = rejected[f"pdf/{name}"]
            assert session is None and BAD[name] in reason, (name, reason)
        assert con.execute("SELECT count(*) FROM core.dim_resolution WHERE session = 79").fetchone()[0] > 300
