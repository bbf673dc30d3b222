"""Text and PDF versions whose parse breaks an invariant are held back, never loaded wrong (issue 16).

A text or PDF version is the only version of a resolution when its XML did not land. Its
parse can lose a printed operative number or fail to separate two paragraphs; either would
publish a resolution with the wrong paragraphs. Real builds in temporary data dirs: the
resolution's XML is taken out of the DGACM zip and a real text fixture (tests/fixtures/text)
or generated PDF (tests/fixtures/pdf) lands damaged the way extraction damages it (a number
lost, a paragraph break lost). The damaged version must be held back (ops.held_back, with the
rule and the paragraph), every other resolution published; a damaged text beside its XML
must leave the XML loaded and hold nothing back.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from tests.conftest import BUNDLED, REPO, ZIP, make_data_dir
from tests.test_holdback import MEMBER_229, RESOLUTIONS_78, S229, SYMBOL_TABLES, appearances
from tests.test_holdback import copy_78  # noqa: F401  (the fixture: a copy of the session-78 build)
from tests.test_pipeline import build, snapshot, warehouse
from transforms.akn import parse_akn
from transforms.pdf import parse_pdf
from transforms.textparse import parse_text
from warehouse import pipeline
from warehouse.settings import Paths

TEXT = REPO / "tests" / "fixtures" / "text"
PDFS = REPO / "tests" / "fixtures" / "pdf"
MD_229 = TEXT / "A_RES_78_229.pymupdf.md"  # 84 preambular + 93 operative paragraphs
MEMBER_79_176 = "79session/English/A_RES_79_176-2424217E.xml"
MEMBER_79_81 = "79session/English/A_RES_79_81-2423037E.xml"


# -- damage, the way extraction does it ---------------------------------------------------
def drop_member(zip_path: Path, member: str) -> None:
    """The zip without one member: that resolution's XML did not land."""
    tmp = zip_path.with_name(zip_path.name + ".tmp")
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        assert member in src.namelist()
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info, src.read(info))
    tmp.replace(zip_path)


def lose_number(text: str, number: int) -> str:
    """The printed number of operative paragraph ``number`` gone, its text kept."""
    out, n = re.subn(rf"(?m)^([ \t]*){number}\.[ \t]+(?=\S)", r"\1", text, count=1)
    assert n == 1
    return out


def run_in(text: str, number: int, gap: str) -> str:
    """Operative paragraph ``number`` run into the end of the one before: the paragraph break
    lost, ``gap`` left between them ("" as some extractors join lines, " " as others do)."""
    out, n = re.subn(rf"([.;:])[ \t]*\n(?:[ \t]*\n)+[ \t]*(?={number}\.\s)", rf"\g<1>{gap}", text, count=1)
    assert n == 1
    return out


def join_after(text: str, end: str) -> str:
    """The paragraph ending with ``end`` and the next one run together (the break lost)."""
    out, n = re.subn(rf"({re.escape(end)})[ \t]*\n(?:[ \t]*\n)+[ \t]*", r"\1 ", text, count=1)
    assert n == 1
    return out


def edit_pdf(data: bytes, edit, missing: str) -> bytes:
    """``data`` with its first page that ``edit(page)`` changes (``edit`` says whether it did),
    regenerated and saved by PDFium; AssertionError ``missing`` when no page was changed."""
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        if edit(page):
            page.gen_content()
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    raise AssertionError(missing)


def drop_glyphs(data: bytes, printed: str) -> bytes:
    """A PDF without the glyphs of the first word of ``printed`` where it is printed ("6. Calls
    upon": the number 6. of that paragraph), edited with PDFium as transforms/pdf.py reads it."""
    head = printed.split(" ", 1)[0]

    def remove(page) -> bool:
        found = page.get_textpage().search(printed, match_case=True).get_next()
        if not found:
            return False
        boxes = [page.get_textpage().get_charbox(found[0] + k) for k in range(len(head))]
        left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        doomed = []
        for obj in page.get_objects():
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_TEXT:
                lo, bo, ro, to = obj.get_bounds()
                if left - 0.5 <= (lo + ro) / 2 <= right + 0.5 and bottom - 2 <= (bo + to) / 2 <= top + 2:
                    doomed.append(obj)
        assert doomed
        for obj in doomed:
            page.remove_obj(obj)
        return True

    return edit_pdf(data, remove, f"{printed!r} is not printed in the PDF")


def close_gap(data: bytes, end: str, start: str) -> bytes:
    """A PDF whose paragraph ending with ``end`` and the next, opening with ``start``, are set one
    line apart, without the space between paragraphs: the next paragraph and the rest of the page
    above the footer (its bottom 60 points) are moved up, as a layout with no paragraph spacing
    prints them and an extractor then reads them as one block."""

    def lift_next(page) -> bool:
        text = page.get_textpage()
        a, b = (text.search(s, match_case=True).get_next() for s in (end, start))
        if not (a and b):
            return False
        last = a[0] + a[1] - 1
        y_end, y_next = text.get_charbox(last)[1], text.get_charbox(b[0])[1]
        # The line spacing: from the paragraph's last line up to the line above it.
        line = next(text.get_charbox(k)[1] - y_end for k in range(last, -1, -1)
                    if text.get_charbox(k)[1] - y_end > 5)
        lift = pdfium.PdfMatrix().translate(0, (y_end - y_next) - line)
        for obj in page.get_objects():
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_TEXT:
                _, bottom, _, top = obj.get_bounds()
                if top <= y_next + line and bottom > 60:
                    obj.transform(lift)
        return True

    return edit_pdf(data, lift_next, f"{end!r} and {start!r} are not printed on one page")


def land(paths: Paths, rel: str, data: bytes) -> None:
    target = paths.landing / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def numbers(res) -> list[str | None]:
    return [p.number for p in res.paragraphs if p.kind == "operative"]


def held_rows(paths: Paths) -> list[tuple]:
    with snapshot(paths) as con:
        return con.execute("SELECT session, symbol, rule, reason, failing_rows, sample FROM ops.held_back "
                           "ORDER BY symbol, rule").fetchall()


def staged(paths: Paths, symbol: str) -> dict[str, int]:
    """The current document's paragraphs in staging: what core would have loaded."""
    with warehouse(paths) as con:
        return dict(con.execute(
            "SELECT p.kind, count(*) FROM staging.paragraph p JOIN staging.document_status s "
            "ON s.document_id = p.document_id AND s.symbol = p.symbol AND s.status = 'current' "
            "WHERE p.symbol = ? GROUP BY ALL", [symbol]).fetchall())


# -- the damage, parsed: what reaches the warehouse ----------------------------------------
def test_what_the_text_parser_makes_of_the_damage():
    """The parser separates a run-in it can see (the next number after a space) and nothing else:
    a lost number stays lost, a run-in without the space and two preambles run together stay one
    paragraph. Those are what the rules must catch."""
    text = MD_229.read_text(encoding="utf-8")
    clean = parse_text(text.encode(), MD_229.name)
    assert numbers(clean) == [str(n) for n in range(1, 94)]

    spaced = parse_text(run_in(text, 6, " ").encode(), MD_229.name)  # "... integrity; 6. Urges ..."
    assert [(p.kind, p.number, p.text) for p in spaced.paragraphs] == \
        [(p.kind, p.number, p.text) for p in clean.paragraphs]

    lost = parse_text(lose_number(text, 3).encode(), MD_229.name)
    assert numbers(lost)[:4] == ["1", "2", None, "4"]

    glued = parse_text(run_in(text, 93, "").encode(), MD_229.name)  # "... responses;93. Decides ..."
    assert numbers(glued) == [str(n) for n in range(1, 93)]  # contiguous: no numbering rule sees it
    assert ";93. Decides to consider the question" in glued.paragraphs[-1].text

    preambles = parse_text(join_after(text, "77/237 of 15 December 2022,").encode(), MD_229.name)
    pre = [p for p in preambles.paragraphs if p.kind == "preambular"]
    assert len(pre) == 83 and ", Reaffirming also its resolutions relating" in pre[0].text


# -- a text version, the only version of its resolution --------------------------------------
def test_a_text_only_version_that_lost_an_operative_number_is_held_back(copy_78):
    paths = copy_78
    drop_member(paths.landing / ZIP.format(78), MEMBER_229)
    text = MD_229.read_text(encoding="utf-8")
    land(paths, "text/A_RES_78_229.md", lose_number(text, 3).encode())

    summary, said = build(paths)
    assert f"held back {S229} (session 78): check operative_numbers_contiguous" in said
    assert staged(paths, S229) == {"preambular": 84, "operative": 93}  # parsed, the number lost
    ((session, symbol, rule, reason, failing, sample),) = held_rows(paths)
    assert (session, symbol, rule) == (78, S229, "check operative_numbers_contiguous")
    assert reason == pipeline.check_reason("operative_numbers_contiguous")
    # The paragraph: the one printed 4 stands where 3 was expected (and every one after it).
    assert failing == 90 and sample[0] == "numbering_block=1, ordinal=4, printed=4, expected=3"
    assert appearances(paths, S229) == {t: 0 for t in SYMBOL_TABLES}
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == RESOLUTIONS_78 - 1
        assert con.execute("SELECT status FROM core.manifest WHERE symbol = ?", [S229]).fetchone() == ("held_back",)

    # The same text with its number lands: loaded from the text, nothing held back.
    land(paths, "text/A_RES_78_229.md", text.encode())
    build(paths)
    assert held_rows(paths) == []
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == RESOLUTIONS_78
        assert con.execute("SELECT source_format FROM core.dim_resolution WHERE symbol = ?", [S229]).fetchone() \
            == ("text",)
        assert con.execute("SELECT count(*) FROM core.fact_paragraph WHERE symbol = ?", [S229]).fetchone() == (177,)


def test_a_text_only_version_with_paragraphs_run_together_is_held_back(copy_78):
    """Two preambles run together and the last operative paragraph run into the one before
    (no space): numbers still 1..92, so only paragraphs_separated can see them."""
    paths = copy_78
    drop_member(paths.landing / ZIP.format(78), MEMBER_229)
    text = MD_229.read_text(encoding="utf-8")
    damaged = join_after(run_in(run_in(text, 93, ""), 6, " "), "77/237 of 15 December 2022,")
    land(paths, "text/A_RES_78_229.md", damaged.encode())

    summary, said = build(paths)
    assert f"held back {S229} (session 78): check paragraphs_separated" in said
    # What would have been published: one preamble and one operative paragraph short (the
    # spaced run-in of 6 the parser separated itself).
    assert staged(paths, S229) == {"preambular": 83, "operative": 92}
    ((session, symbol, rule, reason, failing, sample),) = held_rows(paths)
    assert (session, symbol, rule, failing) == (78, S229, "check paragraphs_separated", 2)
    assert reason == pipeline.check_reason("paragraphs_separated")
    assert reason.startswith("Each paragraph of a text or PDF version is one paragraph")
    assert sample == ["kind=operative, ordinal=92, number=92, run_in=;93. Decides",
                      "kind=preambular, ordinal=1, number=None, run_in=, Reaffirming also its"]
    assert appearances(paths, S229) == {t: 0 for t in SYMBOL_TABLES}
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == RESOLUTIONS_78 - 1
        checks = dict(con.execute("SELECT check_name, violations FROM ops.check_result").fetchall())
        assert checks["paragraphs_separated"] == 0 and checks["operative_numbers_contiguous"] == 0


# -- a PDF, the only version; a damaged text beside its XML --------------------------------
def test_a_damaged_pdf_is_held_back_and_a_damaged_text_never_replaces_its_xml(tmp_path):
    """Session 79: 79/176 lands only as a PDF that lost the "6." of its sixth operative paragraph
    (the glyphs removed) and the space between its first two preambles (the rest of the page set
    one line up); 79/81 lands as its XML and, named as a reissue, a text that lost a number and ran
    its last paragraph into the one before. 79/176 is held back by both rules; 79/81 is the XML."""
    paths = make_data_dir(tmp_path / "data", [79])
    drop_member(paths.landing / ZIP.format(79), MEMBER_79_176)
    pdf = drop_glyphs((PDFS / "A_RES_79_176.pdf").read_bytes(), "6. Calls upon")
    pdf = close_gap(pdf, "relevant human rights conventions,", "Reaffirming the mandate")
    parsed = parse_pdf(pdf, "A_RES_79_176.pdf")
    assert numbers(parsed)[4:7] == ["5", None, "7"]
    assert sum(p.kind == "preambular" for p in parsed.paragraphs) == 19  # of 20
    land(paths, "pdf/A_RES_79_176.pdf", pdf)
    text_81 = run_in(lose_number((TEXT / "A_RES_79_81.pymupdf.md").read_text(encoding="utf-8"), 3), 20, "")
    land(paths, "text/A_RES_79_81-reissue.md", text_81.encode())
    with zipfile.ZipFile(BUNDLED / ZIP.format(79)) as z:
        (xml_81,) = parse_akn(z.read(MEMBER_79_81), MEMBER_79_81)

    summary, said = build(paths)
    assert "held back A/RES/79/176 (session 79): check operative_numbers_contiguous; check paragraphs_separated" \
        in said
    held = held_rows(paths)
    assert [(symbol, rule, failing) for _, symbol, rule, _, failing, _ in held] == [
        ("A/RES/79/176", "check operative_numbers_contiguous", 25),  # 7 to 31, each one off
        ("A/RES/79/176", "check paragraphs_separated", 1)]
    assert held[0][5][0] == "numbering_block=1, ordinal=7, printed=7, expected=6"
    assert held[1][5] == ["kind=preambular, ordinal=1, number=None, run_in=, Reaffirming the mandate"]
    with warehouse(paths) as con:
        statuses = dict(con.execute(
            "SELECT source_path, s.status || ': ' || coalesce(s.reason, '') FROM staging.document_status s "
            "JOIN raw.document d USING (document_id) WHERE s.symbol = 'A/RES/79/81'").fetchall())
        current = con.execute("SELECT count(DISTINCT symbol) FROM staging.document_status "
                              "WHERE status = 'current'").fetchone()[0]
    assert statuses["text/A_RES_79_81-reissue.md"].startswith("superseded: the official XML is canonical")
    assert statuses[ZIP.format(79)] == "current: "
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == current - 1
        assert con.execute("SELECT count(*) FROM core.dim_resolution WHERE symbol = 'A/RES/79/176'").fetchone() \
            == (0,)
        assert con.execute("SELECT source_format FROM core.dim_resolution WHERE symbol = 'A/RES/79/81'").fetchone() \
            == ("xml",)
        loaded = con.execute("SELECT kind, number, text FROM core.fact_paragraph WHERE symbol = 'A/RES/79/81' "
                             "ORDER BY kind, ordinal").fetchall()
        assert loaded == [(p.kind, p.number, p.text) for kind in ("annex", "operative", "preambular")
                          for p in xml_81.paragraphs if p.kind == kind]
        assert con.execute("SELECT passed FROM core.text_reconciliation WHERE symbol = 'A/RES/79/81'").fetchone() \
            == (False,)
