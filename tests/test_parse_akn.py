"""The AKN4UN parser on real resolutions: header fields, structure, and its errors.

Expected values were read off the XML by hand (the file and element are named
next to each), not produced by the parser.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from tests.conftest import BUNDLED
from transforms.akn import parse_akn, split_states
from transforms.model import ParseError


def member(session: int, fragment: str) -> tuple[str, bytes]:
    with zipfile.ZipFile(BUNDLED / f"ga-akn/session-{session}-English.zip") as zf:
        names = [n for n in zf.namelist() if fragment in n]
        assert len(names) == 1, names
        return names[0], zf.read(names[0])


def parse_one(session: int, fragment: str):
    name, data = member(session, fragment)
    parsed = parse_akn(data, name)
    assert len(parsed) == 1
    return parsed[0]


def test_78_229_header():
    r = parse_one(78, "A_RES_78_229-")
    assert r.symbol == "A/RES/78/229" and r.part is None
    assert r.session == 78 and r.session_label == "78"
    # conclusions/event/docDate and the cover's docTitle: 19 December 2023.
    assert r.adopted_on == dt.date(2023, 12, 19)
    assert r.title.startswith("Strengthening the United Nations crime prevention and criminal justice programme")
    assert r.agenda_items == ["107"] and r.agenda_item_names == ["Crime prevention and criminal justice"]
    # docProponent refersTo="#thirdCommittee", "(A/78/482, para. 29)".
    assert r.committee == "Third Committee"
    assert (r.report_symbol, r.report_paragraph) == ("A/78/482", "29")
    assert r.plenary_meeting == "50th plenary meeting"
    assert r.vote_outcome == "without_vote" and r.votes_in_favour is None
    # workflow step draftResolution: as="A/C.3/78/L.8/Rev.1", 12 States "by", 74 additional sponsors.
    assert r.draft_symbol == "A/C.3/78/L.8/Rev.1"
    assert len(r.sponsors) == 12 and r.sponsors[7] == "Micronesia (Federated States of)"
    assert len(r.additional_sponsors) == 74 and "Bosnia and Herzegovina" in r.additional_sponsors
    assert r.sdgs == ["16", "17", "5", "3", "4"]


def test_78_229_paragraphs_footnotes_citations():
    r = parse_one(78, "A_RES_78_229-")
    pre = [p for p in r.paragraphs if p.kind == "preambular"]
    ops = [p for p in r.paragraphs if p.kind == "operative"]
    assert len(pre) == 84 and len(ops) == 93
    assert [p.number for p in ops] == [str(i) for i in range(1, 94)]
    assert pre[1].lead_phrase == "Reaffirming also"  # container name="Reaffirming also"
    assert ops[0].lead_phrase == "Takes note with appreciation"
    assert ops[90].lead_phrase == "Calls upon"  # paragraph 91
    # authorialNote 1-5 stand in the second preambular paragraph; their text is not in it.
    assert pre[1].footnote_markers == ["1", "2", "3", "4", "5"]
    assert "Treaty Series" not in pre[1].text
    note1 = r.footnotes[0]
    assert (note1.marker, note1.paragraph_kind, note1.paragraph_ordinal) == ("1", "preambular", 2)
    assert note1.text == "United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574."
    # Footnote 6 "See A/CONF.234/16." carries a link: a citation from within a footnote.
    cited = {(c.target_symbol, c.in_footnote) for c in r.citations if c.paragraph_ordinal == 3}
    assert ("A/CONF.234/16", True) in cited and ("A/RES/76/181", True) in cited
    # The first preambular paragraph cites 14 resolutions from 46/152 to 77/237.
    first = [c.target_symbol for c in r.citations if c.paragraph_kind == "preambular" and c.paragraph_ordinal == 1]
    assert first[0] == "A/RES/46/152" and first[-1] == "A/RES/77/237" and len(first) == 14
    # Text reads as printed: no tabs, no doubled spaces.
    assert all("\t" not in p.text and "  " not in p.text for p in r.paragraphs)


def test_recorded_vote_counts_and_voters():
    r = parse_one(78, "A_RES_78_191-")
    # voting outcome="adoptedRecordedVote", count value="129" refersTo="inFavour".
    assert r.vote_outcome == "recorded_vote"
    assert r.votes_in_favour == 129
    assert len(r.voters["inFavour"]) == 129 and r.voters["inFavour"][0] == "ALGERIA"


def test_missing_vote_count_means_zero():
    # 74/24 lists inFavour 176 and abstaining 2, and no count element for "against".
    r = parse_one(74, "English/74_24.xml")
    assert (r.votes_in_favour, r.votes_against, r.votes_abstaining) == (176, 0, 2)


def test_parts_of_a_collection_are_separate_resolutions():
    name, data = member(78, "A_RES_78_80AB")
    parts = parse_akn(data, name)
    assert [p.symbol for p in parts] == ["A/RES/78/80 A", "A/RES/78/80 B"]
    assert all(p.base_symbol == "A/RES/78/80" for p in parts)
    assert parts[0].title == "Questions relating to information: Information in the service of humanity"
    # Both parts were adopted at the 45th plenary meeting on 7 December 2023.
    assert {p.adopted_on for p in parts} == {dt.date(2023, 12, 7)}


def test_part_b_keeps_the_footnote_on_its_letter():
    # preface: <docNumber>B</docNumber><authorialNote marker="1">Resolution 74/232 ... becomes 74/232 A.
    r = parse_one(74, "74_232B_E.xml")
    assert r.symbol == "A/RES/74/232 B"
    assert r.footnotes[0].location == "title" and "74/232 A" in r.footnotes[0].text
    assert r.footnotes[0].paragraph_ordinal == 1


def test_special_and_emergency_sessions():
    s32 = parse_one(75, "S-32_1")
    assert (s32.symbol, s32.session_label, s32.session) == ("A/RES/S-32/1", "S-32", 75)
    es = parse_one(76, "ES-11_1-")
    assert (es.symbol, es.session_label, es.session) == ("A/RES/ES-11/1", "ES-11", 76)


def test_77_118_has_two_preambles_and_all_266_operative_paragraphs():
    # Coded preamble, mainBody (one preambular paragraph), preamble, mainBody (1-266).
    r = parse_one(77, "A_RES_77_118-")
    ops = [p for p in r.paragraphs if p.kind == "operative"]
    assert [p.number for p in ops] == [str(i) for i in range(1, 267)]
    assert sum(p.kind == "preambular" for p in r.paragraphs) == 89


def test_sectioned_budget_resolution_restarts_numbering_per_section():
    r = parse_one(78, "A_RES_78_253-")
    ops = [p for p in r.paragraphs if p.kind == "operative" and p.number and p.number.isdigit()]
    blocks: dict[int, list[int]] = {}
    for p in ops:
        blocks.setdefault(p.numbering_block, []).append(int(p.number))
    assert len(blocks) == 20
    assert all(nums == list(range(1, len(nums) + 1)) for nums in blocks.values())
    # Section preambles are crossHeading refersTo="#preamble": preambular paragraphs.
    assert sum(p.kind == "preambular" for p in r.paragraphs) == 35


def test_sub_paragraphs_laid_out_as_paragraphs_fold_into_their_paragraph():
    # 78/80 A: an unnumbered "Urges" paragraph followed by paragraphs numbered (a) to (f).
    name, data = member(78, "A_RES_78_80AB")
    a = parse_akn(data, name)[0]
    ops = [p for p in a.paragraphs if p.kind == "operative"]
    assert len(ops) == 1
    assert ops[0].text.split("\n")[1].startswith("(a) ")
    assert [s.label for s in ops[0].subparagraphs][:5] == ["(a)", "(b)", "(c)", "(d)", "(e)"]


def test_annex_paragraphs_have_their_own_kind():
    r = parse_one(78, "A_RES_78_3_E")
    annex = [p for p in r.paragraphs if p.kind == "annex"]
    assert len(annex) == 80 and annex[0].ordinal == 1


def test_source_slips_are_repaired_and_reported():
    r = parse_one(76, "A_RES_76_256-")
    ops = [p for p in r.paragraphs if p.kind == "operative"]
    assert ops[0].number == "1"  # printed "l." in num
    assert any("letter 'l'" in n for n in r.parse_notes)


def test_french_expression_is_recognised():
    r = parse_one(75, "75_274_F.xml")
    assert r.language == "fra"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<akomaNtoso", "malformed XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "malformed XML"),
        (b"<html><body>hello</body></html>", "not Akoma Ntoso"),
        (b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">'
         b'<statement name="report"/></akomaNtoso>', "not a resolution"),
        (b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">'
         b'<statement name="resolution"><meta/></statement></akomaNtoso>', "no resolution symbol"),
    ],
)
def test_unreadable_input_raises_parse_error_naming_the_problem(data, words):
    with pytest.raises(ParseError, match=words):
        parse_akn(data, "input.xml")


def test_entities_are_not_expanded():
    evil = (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&x;</akomaNtoso>')
    with pytest.raises(ParseError):
        parse_akn(evil, "evil.xml")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Argentina, Austria and China", ["Argentina", "Austria", "China"]),
        ("Antigua and Barbuda, Bosnia and Herzegovina and Trinidad and Tobago",
         ["Antigua and Barbuda", "Bosnia and Herzegovina", "Trinidad and Tobago"]),
        ("Micronesia (Federated States of), Palau and Tunisia", ["Micronesia (Federated States of)", "Palau", "Tunisia"]),
        ("submitted by the Committee on Information", ["Committee on Information"]),
        ("", []),
    ],
)
def test_split_states(text, names):
    assert split_states(text) == names
