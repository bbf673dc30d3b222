"""Sectioned resolutions: preamble and operative part repeated once per section.

A/RES/80/243 (tests/fixtures/session-80/xml, a Fifth Committee budget resolution)
is coded as 19 ``preamble``/``mainBody`` pairs, one per section, each section's
operative paragraphs numbered from 1; its section headings are paragraphs set
wholly in bold with no heading class. The parser once filed every operative
paragraph after the second preamble as preambular (172 with numbers). Expected
values are read off the XML with grep (the command is given beside each) and
checked against the independent oracle of tests/xml_oracle.py as well.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.xml_oracle import oracle_counts
from transforms.akn import parse_akn

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "session-80" / "xml"
F_80_243 = FIXTURES / "A_RES_80_243-2521248E.xml"

# The <num> sequence of 80/243 (grep -o '<num>[^<]*</num>'), cut where it restarts at 1: the
# numbered runs of sections I-XVII and XXIV (XVIII-XXIII hold one unnumbered paragraph each).
RUNS_80_243 = [3, 3, 2, 15, 12, 11, 11, 9, 14, 23, 2, 22, 3, 8, 5, 5, 24, 2]


def _paragraphs(res, kind):
    return [p for p in res.paragraphs if p.kind == kind]


@pytest.fixture(scope="module")
def r80_243():
    data = F_80_243.read_bytes()
    (res,) = parse_akn(data, F_80_243.name)
    return res, oracle_counts(data)["A/RES/80/243"]


def test_80_243_is_read_as_sections(r80_243):
    res, oracle = r80_243
    data = F_80_243.read_text(encoding="utf-8")
    # grep -c '<preamble>' and '<mainBody>': 19 of each, alternating, the first preamble only the formula.
    assert data.count("<preamble>") == data.count("<mainBody>") == 19
    # grep -c '<container ': 35, of which 2 are name="table" (the staffing tables of section XII, inside a
    # mainBody): 33 preambular paragraphs, all in preambles; no crossHeading.
    assert data.count("<container ") == 35 and data.count('<container name="table"') == 2
    assert "<crossHeading" not in data
    pre = _paragraphs(res, "preambular")
    assert len(pre) == 33 == oracle["preambular"]
    assert all(p.number is None for p in pre)
    assert all(p.lead_phrase in ("Recalling", "Recalling also", "Having considered") for p in pre)


def test_80_243_operative_paragraphs_and_their_numbers(r80_243):
    res, oracle = r80_243
    expected = [n for run in RUNS_80_243 for n in range(1, run + 1)]
    # grep -o '<num>[0-9]*\.</num>' | wc -l: 174.
    assert len(expected) == 174
    assert oracle["operative_numbered"] == expected
    ops = _paragraphs(res, "operative")
    numbered = [p for p in ops if p.number and p.number.isdigit()]
    assert [int(p.number) for p in numbered] == expected
    # Seven unnumbered operative paragraphs: the one paragraph of each of sections XVIII to XXIII, and
    # "Recalls its resolution 79/258 A" before paragraphs 1 and 2 of section XXIV.
    unnumbered = [p for p in ops if p.number is None]
    assert [p.text.split()[0] for p in unnumbered] == ["Approves", "Approves", "Approves", "Notes", "Approves",
                                                        "Takes", "Recalls"]
    assert len(ops) == 181
    # Section XXII's "(a)" and "(b)" paragraphs are sub-paragraphs of the one before them.
    dss = next(p for p in ops if p.text.startswith("Approves the gross jointly financed budget of the Department"))
    assert [s.label for s in dss.subparagraphs] == ["(a)", "(b)"]


def test_80_243_no_numbered_paragraph_is_preambular(r80_243):
    res, _ = r80_243
    assert not [p for p in res.paragraphs if p.kind == "preambular" and p.number and p.number.isdigit()]


def test_80_243_numbering_blocks_follow_the_sections(r80_243):
    res, _ = r80_243
    numbered = [p for p in _paragraphs(res, "operative") if p.number and p.number.isdigit()]
    expected_blocks = [block for block, run in enumerate(RUNS_80_243, start=1) for _ in range(run)]
    assert [p.numbering_block for p in numbered] == expected_blocks
    # What warehouse/sql/checks/operative_numbers_contiguous.sql asks: within each block the numbers run
    # 1, 2, 3 ... in paragraph order.
    by_block: dict[int, list[int]] = {}
    for p in numbered:
        by_block.setdefault(p.numbering_block, []).append(int(p.number))
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_block.values())
    assert res.parse_notes == []


def test_80_243_headings_are_not_paragraphs(r80_243):
    res, _ = r80_243
    # 59 paragraphs are one bold span and nothing else: I to XXIV, the 24 section titles and 11 mission
    # names in section XVII. None of them is a paragraph; the title heads the paragraphs under it.
    texts = [p.text for p in res.paragraphs]
    assert not [t for t in texts if re.fullmatch(r"[IVXL]+", t)]
    assert "Strategic heritage plan of the United Nations Office at Geneva" not in texts
    ops = _paragraphs(res, "operative")
    first_of_section_ii = ops[3]  # after the three paragraphs of section I
    assert first_of_section_ii.number == "1"
    assert first_of_section_ii.heading == "Strategic heritage plan of the United Nations Office at Geneva"
    contingency = [p for p in ops if p.heading == "Contingency fund"]
    assert [p.number for p in contingency] == [None, "1", "2"]


def test_80_243_table_and_its_note_belong_to_their_paragraph(r80_243):
    res, _ = r80_243
    # Section XII paragraph 17 ("Approves the changes to the staffing table"): two tables (container
    # name="table") and the note under them (class "FootnoteText0") print under it.
    (p17,) = [p for p in _paragraphs(res, "operative") if p.numbering_block == 12 and p.number == "17"]
    assert p17.text.startswith("Approves the changes to the staffing table")
    notes = [s.text for s in p17.subparagraphs if s.text.startswith("Abbreviations:")]
    assert len(notes) == 1
    assert not [p for p in res.paragraphs if p.text.startswith("Abbreviations:")]


def test_80_243_footnotes_and_citations(r80_243):
    res, oracle = r80_243
    # grep -o '<authorialNote ' | wc -l: 57; grep -o 'href="[^"]*docs.un.org' | wc -l: 215.
    assert len(res.footnotes) == 57 == oracle["footnotes"]
    assert len(res.citations) == 215 == oracle["citations"]
    assert [f.marker for f in res.footnotes] == [str(n) for n in range(1, 58)]


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.xml")), ids=lambda p: p.name)
def test_session_80_fixtures_match_the_oracle(path):
    data = path.read_bytes()
    oracle = oracle_counts(data)
    parsed = {r.symbol: r for r in parse_akn(data, path.name)}
    assert set(parsed) == set(oracle)
    for symbol, res in parsed.items():
        want = oracle[symbol]
        assert sum(p.kind == "preambular" for p in res.paragraphs) == want["preambular"]
        assert [int(p.number) for p in res.paragraphs
                if p.kind == "operative" and p.number and p.number.isdigit()] == want["operative_numbered"]
        assert len(res.footnotes) == want["footnotes"]
        assert len(res.citations) == want["citations"]
        assert any(p.kind == "annex" for p in res.paragraphs) == want["annex_present"]


def _bundled(session: int, start: str) -> tuple[str, bytes]:
    with zipfile.ZipFile(BUNDLED / f"ga-akn/session-{session}-English.zip") as zf:
        (name,) = [n for n in zf.namelist() if n.rsplit("/", 1)[-1].startswith(start)]
        return name, zf.read(name)


def test_77_118_paragraph_between_two_preambles_stays_preambular():
    name, data = _bundled(77, "A_RES_77_118-")
    (res,) = parse_akn(data, name)
    # preamble (formula + 69 containers), mainBody (one unnumbered SingleTxt paragraph, "Calling attention
    # also ..."), preamble (19 containers), mainBody (H23 headings and "1." to "266."): grep -c
    # '<container ' gives 88, so 89 preambular paragraphs with the interruption.
    pre = _paragraphs(res, "preambular")
    assert len(pre) == 89 == oracle_counts(data)["A/RES/77/118"]["preambular"]
    assert pre[69].text.startswith("Calling attention also")
    ops = _paragraphs(res, "operative")
    assert [p.number for p in ops] == [str(n) for n in range(1, 267)]
    assert {p.numbering_block for p in ops} == {1}


def test_79_145_bold_headings_are_not_paragraphs():
    name, data = _bundled(79, "A_RES_79_145-")
    (res,) = parse_akn(data, name)
    # 312 <paragraph elements in its mainBody: "1." to "284." and 28 bold-only ones, I to XIV
    # (grep -c '<span class="bold">[IVX]*</span>': 14) and the 14 section titles.
    ops = _paragraphs(res, "operative")
    assert [p.number for p in ops] == [str(n) for n in range(1, 285)]
    assert ops[0].heading == "Achieving sustainable fisheries"
    assert {p.numbering_block for p in ops} == {1}


TEXT_FILES = sorted((Path(__file__).resolve().parent / "fixtures" / "text").glob("A_RES_*")) + sorted(
    (Path(__file__).resolve().parent / "fixtures" / "session-80" / "text-pymupdf").glob("A_RES_*.md"))


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.parent.name + "/" + p.name)
def test_text_parser_never_files_a_numbered_paragraph_as_preambular(path):
    # The text parser turns operative at a printed number and stays so (transforms/textparse.py,
    # _Assembler._open); this pins the property for the rendered layouts and the real PyMuPDF texts.
    from transforms.textparse import parse_text

    res = parse_text(path.read_bytes(), path.name)
    assert not [p for p in res.paragraphs if p.kind == "preambular" and p.number]
