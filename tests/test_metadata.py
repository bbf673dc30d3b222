"""Tests for transforms.metadata against DGACM's real extracts (sessions 74-79).

The expected numbers below were counted outside the parser, and each test
states how, so that a change in the parser cannot quietly move its own target.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the project is not installed in the venv
    sys.path.insert(0, str(ROOT))

from transforms.metadata import (  # noqa: E402
    SCHEMA,
    line_sessions,
    metadata_session,
    parse_metadata_jsonl,
    rows_of_session,
)
from transforms.model import ParseError  # noqa: E402

METADATA = ROOT / "data" / "landing" / "ga-akn" / "metadata"
SESSIONS = [74, 75, 76, 77, 78, 79]


@lru_cache(maxsize=None)
def parsed(session: int) -> tuple[pl.DataFrame, list[dict]]:
    path = METADATA / f"{session}.json"
    return parse_metadata_jsonl(path.read_bytes(), path.name)


@lru_cache(maxsize=None)
def raw_lines(session: int) -> list[str]:
    """The file's lines as text, index 0 = line 1, without line terminators."""
    return (METADATA / f"{session}.json").read_text(encoding="utf-8").split("\n")


def raw_object(session: int, symbol: str) -> dict:
    """The first JSON object in the file whose printed symbol is `symbol`."""
    for line in raw_lines(session):
        if line.strip():
            obj = json.loads(line)
            if obj["symbol"] == symbol:
                return obj
    raise AssertionError(f"{symbol} not in {session}.json")


def row(session: int, symbol: str) -> dict:
    rows = parsed(session)[0].filter(pl.col("symbol") == symbol)
    assert rows.height == 1, f"{symbol}: {rows.height} rows"
    return rows.row(0, named=True)


def synthetic(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- counts ----------------------------------------------------------------------

# Counted with jq and coreutils, not with the parser:
#   lines    = grep -c . NN.json
#   distinct = jq -r .symbol NN.json | sort -u | wc -l   (printed symbols, first kept)
#   rows     = distinct printed symbols, "X A-C" counted as 3 and "X A-B" as 2 (awk)
#   dropped  = lines - distinct; for 79: sort -u gives 369 distinct lines (3 verbatim
#              repeats) and 336 distinct symbols (33 more lines re-list a symbol).
EXPECTED_COUNTS = {
    #     lines  dropped  rows after expansion
    74: (266, 0, 266),
    75: (337, 0, 340),  # 75/254 A-C (+2), 75/101 A-B (+1)
    76: (310, 0, 313),
    77: (343, 0, 347),
    78: (328, 0, 331),
    79: (372, 36, 340),  # 3 verbatim duplicates + 33 second rows for a symbol
}


def independent_count(session: int) -> tuple[int, int, int]:
    """(lines, dropped, rows) by a plain loop that shares no code with the parser."""
    seen: set[str] = set()
    lines = rows = 0
    for line in raw_lines(session):
        if not line.strip():
            continue
        lines += 1
        symbol = json.loads(line)["symbol"]
        if symbol in seen:
            continue
        seen.add(symbol)
        m = re.search(r" ([A-Z])-([A-Z])$", symbol)
        rows += ord(m.group(2)) - ord(m.group(1)) + 1 if m else 1
    return lines, lines - len(seen), rows


@pytest.mark.parametrize("session", SESSIONS)
def test_row_counts_per_file(session):
    lines, dropped, expected_rows = EXPECTED_COUNTS[session]
    assert independent_count(session) == EXPECTED_COUNTS[session]
    rows, problems = parsed(session)
    assert rows.height == expected_rows
    assert len(problems) == dropped
    assert rows.get_column("symbol").is_unique().all()
    # Every non-blank line either produced rows or is reported: nothing is lost.
    accounted = set(rows.get_column("line_number").to_list()) | {p["line_number"] for p in problems}
    assert len(accounted) == lines
    assert rows.get_column("session").unique().to_list() == [session]


def test_schema_matches_the_staging_table():
    """The frame loads into staging.metadata by name: every column has a home there, typed alike."""
    import duckdb

    from warehouse import db

    rows, _ = parsed(78)
    assert rows.schema == pl.Schema(SCHEMA)
    con = duckdb.connect()
    db.ensure_schema(con)
    staged = dict(con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'staging' AND table_name = 'metadata'").fetchall())
    renamed = {"session": "resolution_session"}
    for column, dtype in rows.schema.items():
        assert renamed.get(column, column) in staged, column
    assert staged["adopted_on"] == "DATE" and staged["agenda_items"] == "VARCHAR[]"
    assert staged["votes_in_favour"] == "INTEGER"


def test_line_number_and_sha_point_at_the_raw_line():
    rows, _ = parsed(78)
    for r in rows.filter(pl.col("symbol").is_in(["A/RES/78/1", "A/RES/78/183 B", "A/RES/78/254 C"])).iter_rows(
        named=True
    ):
        line = raw_lines(78)[r["line_number"] - 1]
        assert json.loads(line)["symbol"] == r["metadata_symbol"]
        assert r["row_sha256"] == hashlib.sha256(line.encode("utf-8")).hexdigest()


# -- dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "session, symbol, printed, expected",
    [
        (74, "A/RES/74/1", "2019-10-10 00:00:00", dt.date(2019, 10, 10)),
        (74, "A/RES/74/122", "2019-12-18 00:00:00", dt.date(2019, 12, 18)),
        (75, "A/RES/75/101 A-B", "2020-12-10 00:00:00", dt.date(2020, 12, 10)),  # the one ISO line in 75
        (75, "A/RES/75/254 A-C", "31 December 2020", dt.date(2020, 12, 31)),
        (78, "A/RES/78/1", "29 September 2023", dt.date(2023, 9, 29)),
        (78, "A/RES/78/6", "1 November 2023", dt.date(2023, 11, 1)),
        (78, "A/RES/78/259", "9\xa0January 2024", dt.date(2024, 1, 9)),  # non-breaking space
    ],
)
def test_both_date_formats_parse(session, symbol, printed, expected):
    assert raw_object(session, symbol)["adoption_date"] == printed  # what the file really says
    rows, _ = parsed(session)
    adopted = rows.filter(pl.col("metadata_symbol") == symbol).get_column("adopted_on").unique().to_list()
    assert adopted == [expected]


# -- duplicates ------------------------------------------------------------------


def test_79_verbatim_duplicates_are_dropped_and_reported():
    rows, problems = parsed(79)
    lines = raw_lines(79)
    # Found with: awk 'seen[$0]++ {print NR}' 79.json -> 321, 341, 342
    exact = {p["line_number"]: p for p in problems if p["problem"].startswith("duplicate of line")}
    assert {n: p["problem"] for n, p in exact.items()} == {
        321: "duplicate of line 320",
        341: "duplicate of line 339",
        342: "duplicate of line 340",
    }
    for n, p in exact.items():
        assert p["raw"] == lines[n - 1]
        assert lines[n - 1] == lines[int(p["problem"].rsplit(" ", 1)[1]) - 1]
        assert p["symbol"] == json.loads(p["raw"])["symbol"]
    assert rows.filter(pl.col("symbol") == "A/RES/79/328").height == 1


def test_79_second_rows_for_a_symbol_keep_the_first_and_report_the_second():
    rows, problems = parsed(79)
    second = [p for p in problems if p["problem"].startswith("second row for")]
    assert len(second) == 33
    # A/RES/79/263 is listed at lines 261 and 338 (grep -n '"A/RES/79/263"' 79.json);
    # only the later line names additional sponsors.
    p263 = next(p for p in second if p["symbol"] == "A/RES/79/263")
    assert p263["line_number"] == 338
    assert "first at line 261" in p263["problem"] and "additional_sponsors" in p263["problem"]
    assert json.loads(p263["raw"])["additional_sponsors"]  # the whole line travels with the problem
    kept = row(79, "A/RES/79/263")
    assert kept["line_number"] == 261
    assert kept["additional_sponsors"] == []
    for p in second:
        assert set(p) == {"line_number", "symbol", "problem", "raw"}
        assert p["raw"] == raw_lines(79)[p["line_number"] - 1]
        assert row(79, p["symbol"])["line_number"] < p["line_number"]


def test_a_collection_overlapping_an_earlier_part_keeps_its_other_parts():
    lines = raw_lines(75)
    part_b = json.loads(next(line for line in lines if '"A/RES/75/254 A-C"' in line))
    part_b["symbol"] = "A/RES/75/254 B"
    data = synthetic([json.dumps(part_b), next(line for line in lines if '"A/RES/75/254 A-C"' in line)])
    rows, problems = parse_metadata_jsonl(data)
    assert rows.get_column("symbol").to_list() == ["A/RES/75/254 B", "A/RES/75/254 A", "A/RES/75/254 C"]
    assert rows.get_column("line_number").to_list() == [1, 2, 2]
    assert [p["line_number"] for p in problems] == [2]
    assert "A/RES/75/254 B" in problems[0]["problem"] and "other parts are kept" in problems[0]["problem"]


# -- collections -----------------------------------------------------------------


def test_collection_symbol_expands_to_its_parts():
    rows, _ = parsed(75)
    parts = rows.filter(pl.col("metadata_symbol") == "A/RES/75/254 A-C").sort("symbol")
    assert parts.get_column("symbol").to_list() == ["A/RES/75/254 A", "A/RES/75/254 B", "A/RES/75/254 C"]
    assert parts.get_column("title").unique().to_list() == ["Programme budget for 2021"]
    assert parts.get_column("line_number").n_unique() == 1
    # A single part is one row that keeps its letter.
    assert row(78, "A/RES/78/183 B")["metadata_symbol"] == "A/RES/78/183 B"
    assert rows.filter(pl.col("symbol") == "A/RES/75/254").height == 0


# -- votes -----------------------------------------------------------------------


def test_recorded_vote_counts_and_voters():
    raw = raw_object(78, "A/RES/78/6")
    assert (raw["adoption_type"], raw["MS_in_favour_count"], raw["MS_against_count"], raw["MS_abstaining_count"]) == (
        "By a recorded vote", "115", "6", "31",
    )
    r = row(78, "A/RES/78/6")
    assert r["vote_outcome"] == "recorded_vote"
    assert (r["votes_in_favour"], r["votes_against"], r["votes_abstaining"]) == (115, 6, 31)
    assert r["voters_against"] == [
        "BELARUS", "MALI", "NICARAGUA", "RUSSIAN FEDERATION", "SYRIAN ARAB REPUBLIC", "TOGO",
    ]
    assert len(r["voters_in_favour"]) == 115 and len(r["voters_abstaining"]) == 31


def test_without_vote_has_no_counts_whatever_placeholder_the_file_uses():
    assert raw_object(78, "A/RES/78/1")["MS_in_favour_count"] == "0"  # 75-79 write "0"
    assert raw_object(74, "A/RES/74/1")["MS_in_favour_count"] == "N.A."  # 74 writes "N.A."
    for session, symbol in [(78, "A/RES/78/1"), (74, "A/RES/74/1")]:
        r = row(session, symbol)
        assert r["vote_outcome"] == "without_vote"
        assert (r["votes_in_favour"], r["votes_against"], r["votes_abstaining"]) == (None, None, None)


def test_74_na_for_an_empty_side_of_a_recorded_vote_is_zero():
    raw = raw_object(74, "A/RES/74/24")
    assert (raw["MS_against_count"], raw["MS_against"]) == ("N.A.", [])
    r = row(74, "A/RES/74/24")
    assert (r["votes_in_favour"], r["votes_against"], r["votes_abstaining"]) == (176, 0, 2)


def test_doubled_voter_lists_are_deduplicated():
    raw = raw_object(75, "A/RES/75/290 A")
    assert (raw["MS_in_favour_count"], len(raw["MS_in_favour"])) == ("90", 180)
    r = row(75, "A/RES/75/290 A")
    assert r["votes_in_favour"] == len(r["voters_in_favour"]) == 90


def test_outcome_falls_back_to_voting_type_then_to_the_tally():
    recorded = raw_object(79, "A/RES/79/6")
    assert (recorded["adoption_type"], recorded["voting_type"]) == ("By a recorded vote", "adoptedRecordedVote")
    no_type = dict(recorded, adoption_type="")  # voting_type still says it
    no_word = dict(recorded, symbol="A/RES/79/7", adoption_type="", voting_type="")  # only the tally is left
    nothing = dict(
        no_word, symbol="A/RES/79/8", MS_in_favour=[], MS_against=[], MS_abstaining=[],
        MS_in_favour_count="0", MS_against_count="0", MS_abstaining_count="0",
    )
    rows, problems = parse_metadata_jsonl(synthetic([json.dumps(o) for o in (no_type, no_word, nothing)]))
    assert problems == []
    assert rows.get_column("vote_outcome").to_list() == ["recorded_vote", "recorded_vote", None]
    assert rows.get_column("votes_in_favour").to_list() == [113, 113, None]
    # The real line with nothing to go on: 79/259 A-C has adoption_type and voting_type "".
    assert row(79, "A/RES/79/259 B")["vote_outcome"] is None


# -- normalisation ---------------------------------------------------------------


def test_fields_are_normalised():
    r = row(78, "A/RES/78/1")
    assert r["agenda_items"] == ["13", "117"]  # "Agenda items 13 and 117"
    assert r["adoption_meeting"] == "15th plenary meeting" and r["meeting_number"] == 15
    assert r["report_paragraph"] is None  # "N.A."
    assert r["committee"] == "Without reference to a Main Committee"
    assert {"term": "13", "source": "A/78/251"} in r["subjects"]
    # Catalogue headings keep their punctuation: only whitespace is normalised.
    assert r["subjects"][0]["term"].endswith("(2023 : New York)")
    assert row(78, "A/RES/78/128")["agenda_items"] == ["13", "75 (a)"]  # "Agenda items 13 and 75 (a)"
    assert row(74, "A/RES/74/3")["agenda_items"] == ["19 (b)"]
    assert row(78, "A/RES/78/2")["report_paragraph"] == "7"
    resumed = row(78, "A/RES/78/230")
    assert (resumed["adoption_meeting"], resumed["meeting_number"]) == ("50th (resumed) plenary meeting", 50)
    # Non-breaking spaces inside titles become ordinary spaces.
    assert "\xa0" in raw_object(78, "A/RES/78/259")["title"]
    assert row(78, "A/RES/78/259")["title"] == "International Day of Science, Technology and Innovation for the South"


def test_data_quirks_are_evened_out():
    assert raw_object(78, "A/RES/78/245")["committee"] == "#fifthCommittee"
    assert row(78, "A/RES/78/245")["committee"] == "Fifth Committee"
    assert " 4.a" in raw_object(75, "A/RES/75/5")["SDGs"]
    assert "4.a" in row(75, "A/RES/75/5")["sdgs"]
    assert raw_object(79, "A/RES/79/273")["additional_sponsors"] == [""]
    assert row(79, "A/RES/79/273")["additional_sponsors"] == []
    assert raw_object(79, "A/RES/79/9")["title"] == ""
    assert row(79, "A/RES/79/9")["title"] is None
    assert row(78, "A/RES/78/262")["agenda_item_name"] is None


# -- malformed input -------------------------------------------------------------


def test_malformed_lines_are_reported_and_good_lines_come_through():
    lines = raw_lines(78)
    good1, good2 = lines[0], lines[4]  # A/RES/78/1, A/RES/78/5
    no_symbol = json.loads(lines[1])
    del no_symbol["symbol"]
    bad_date = json.loads(lines[2])
    bad_date["adoption_date"] = "31 Smarch 2023"
    bad_symbol = dict(json.loads(lines[3]), symbol="A/78/L.1")
    data = synthetic(
        [
            good1,  # 1
            lines[1][:-40],  # 2: truncated JSON
            json.dumps(no_symbol),  # 3
            json.dumps(bad_date),  # 4
            "",  # 5: blank lines are skipped silently
            json.dumps(bad_symbol),  # 6
            "[1, 2, 3]",  # 7: JSON, but not an object
            good2,  # 8
        ]
    )
    rows, problems = parse_metadata_jsonl(data, "synthetic.json")
    assert rows.get_column("symbol").to_list() == ["A/RES/78/1", "A/RES/78/5"]
    assert rows.get_column("line_number").to_list() == [1, 8]
    assert row(78, "A/RES/78/5")["title"] == rows.row(1, named=True)["title"]
    by_line = {p["line_number"]: p for p in problems}
    assert sorted(by_line) == [2, 3, 4, 6, 7]
    assert by_line[2]["problem"].startswith("not valid JSON") and by_line[2]["symbol"] is None
    assert by_line[3]["problem"].startswith("no symbol")
    assert by_line[4]["problem"].startswith("unreadable adoption date") and by_line[4]["symbol"] == "A/RES/78/3"
    assert by_line[6]["problem"].startswith("unreadable symbol") and by_line[6]["symbol"] == "A/78/L.1"
    assert by_line[7]["problem"].startswith("not a JSON object")
    text_lines = data.decode("utf-8").split("\n")
    for n, p in by_line.items():
        assert p["raw"] == text_lines[n - 1]


def test_crlf_line_endings_and_a_bom_are_read():
    data = b"\xef\xbb\xbf" + "\r\n".join(raw_lines(78)[:3]).encode("utf-8") + b"\r\n"
    rows, problems = parse_metadata_jsonl(data)
    assert problems == []
    assert rows.get_column("symbol").to_list() == ["A/RES/78/1", "A/RES/78/2", "A/RES/78/3"]
    assert rows.row(1, named=True)["row_sha256"] == hashlib.sha256(raw_lines(78)[1].encode("utf-8")).hexdigest()


def test_special_sessions_belong_to_the_regular_session_in_progress():
    base = json.loads(raw_lines(78)[0])
    emergency = dict(base, symbol="A/RES/ES-11/1", adoption_date="2 March 2022")
    special = dict(base, symbol="A/RES/S-32/1", adoption_date="2023-06-01 00:00:00")
    undated = dict(base, symbol="A/RES/S-31/1", adoption_date="N.A.")
    rows, problems = parse_metadata_jsonl(synthetic([json.dumps(o) for o in (emergency, special, undated)]))
    assert dict(zip(rows.get_column("symbol"), rows.get_column("session"))) == {
        "A/RES/ES-11/1": 76,
        "A/RES/S-32/1": 77,
    }
    assert [(p["line_number"], p["symbol"]) for p in problems] == [(3, "A/RES/S-31/1")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\n \r\n", "empty"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "binary"),
        ('{"symbol": "A/RES/78/1", "title": "Caf\xe9"}\n'.encode("latin-1"), "not UTF-8"),
        (b"not json\nstill not json\n", "no line is valid JSON"),
        (b'{"title": "no symbol here"}\n', "no line describes a readable resolution"),
    ],
)
def test_unreadable_files_raise_parse_error(data, message):
    with pytest.raises(ParseError, match=message):
        parse_metadata_jsonl(data, "bad.json")


# -- placing an extract's lines in sessions ------------------------------------------


def test_metadata_session_comes_from_the_lines_never_the_name():
    """A file name never makes a session: 78.json holding session 77's lines is session 77's."""
    lines = line_sessions((METADATA / "77.json").read_bytes())
    assert {s for _, _, s in lines} == {77}
    assert metadata_session(lines, open_session=80) == 77
    mixed = line_sessions(synthetic(raw_lines(76)[:20] + raw_lines(77)[:10]))
    assert metadata_session(mixed, open_session=80) == 76  # most lines
    tie = line_sessions(synthetic(raw_lines(77)[:3] + raw_lines(76)[:3]))
    assert metadata_session(tie, open_session=80) == 76  # a tie goes to the earlier session
    # Lines of a session that has not opened yet are not counted.
    assert metadata_session(mixed, open_session=75) is None
    assert metadata_session([], open_session=80) is None


def test_an_extract_spanning_sessions_gives_each_row_to_the_session_of_its_resolution():
    """ES-10.json holds resolutions adopted in sessions 78 (Oct, Dec 2023) and 79 (Sept 2024).

    Read off the file: ES-10/21 (27 October 2023) and ES-10/22 (12 December 2023) were adopted
    during session 78, ES-10/24 (18 September 2024) after session 79 opened.
    """
    data = (METADATA / "ES-10.json").read_bytes()
    lines = line_sessions(data)
    assert sorted((symbol, s) for _, symbol, s in lines) == [
        ("A/RES/ES-10/21", 78), ("A/RES/ES-10/22", 78), ("A/RES/ES-10/24", 79)]
    # A bad line in the middle: its problem is reported once, in the session most lines belong to.
    broken = synthetic(data.decode().splitlines() + ["{not json"])
    rows, problems = parse_metadata_jsonl(broken)
    lines = line_sessions(broken)
    got = {}
    for session in (77, 78, 79):
        part, part_problems = rows_of_session(rows, problems, lines, session, open_session=80)
        got[session] = (sorted(part.get_column("symbol").to_list()), [p["line_number"] for p in part_problems])
    assert got == {77: ([], []), 78: (["A/RES/ES-10/21", "A/RES/ES-10/22"], [4]), 79: (["A/RES/ES-10/24"], [])}


def test_a_problem_goes_to_the_session_of_its_own_line():
    lines = raw_lines(78)[:2] + [raw_lines(78)[1]] + raw_lines(79)[:1] + [raw_lines(79)[0]]
    data = synthetic(lines)
    rows, problems = parse_metadata_jsonl(data)
    assert [p["line_number"] for p in problems] == [3, 5]  # the two repeated lines
    where = {s: [p["line_number"] for p in rows_of_session(rows, problems, line_sessions(data), s, 80)[1]]
             for s in (78, 79)}
    assert where == {78: [3], 79: [5]}
