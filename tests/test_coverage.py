"""transforms/coverage.py on small frames: how much of each session and calendar year is loaded.

The symbols and dates are real ones (sessions 78 and 79 and the tenth emergency special
session as the bundled files hold them), cut down to a few resolutions so that each rule
of marts.period_coverage shows on its own: a skipped number, a gap whose dating straddles
a boundary, a calendar year half of which belongs to a session not loaded, and a closed
session with nothing missing.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from transforms.coverage import SCHEMA, calendar_phase, coverage, session_label

D = dt.date
AFTER = D(2026, 12, 7)  # a day after every period below has closed


def known(*rows: tuple[str, int | None, dt.date | None, str]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema={"symbol": pl.Utf8, "session": pl.Int32, "adopted_on": pl.Date,
                                            "state": pl.Utf8}, orient="row")


def row(frame: pl.DataFrame, kind: str, period: int) -> dict:
    rows = frame.filter((pl.col("period_type") == kind) & (pl.col("period") == period)).to_dicts()
    assert len(rows) == 1, (kind, period, frame)
    return rows[0]


# Session 78's opening and closing resolutions, and two from its middle, all loaded.
SESSION_78 = [
    ("A/RES/78/1", 78, D(2023, 10, 16), "loaded"),
    ("A/RES/78/2", 78, D(2023, 10, 16), "loaded"),
    ("A/RES/78/3", 78, D(2023, 11, 13), "loaded"),
]


def test_a_closed_session_with_nothing_missing_is_complete():
    out = coverage(known(*SESSION_78), [78], AFTER)
    s = row(out, "session", 78)
    assert s["resolutions_loaded"] == 3 and s["resolutions_missing"] == 0 and s["resolutions_uncertain"] == 0
    assert s["resolutions_expected"] == 3 and s["coverage"] == 1.0
    assert s["is_closed"] and s["is_complete"] and s["partial_reason"] is None
    assert s["sessions"] == [78] and s["sessions_loaded"] == [78]
    assert (s["starts_on"], s["ends_on"]) == (D(2023, 9, 1), D(2024, 9, 30))
    assert (s["first_adopted"], s["last_adopted"]) == (D(2023, 10, 16), D(2023, 11, 13))
    assert s["label"] == session_label(78) == "78th session (2023-24)"
    assert out.schema == pl.Schema(SCHEMA)


def test_a_skipped_number_is_a_missing_resolution_of_its_session():
    # 78/2 is neither in the XML nor in the metadata, but 78/1 and 78/3 are: it was adopted.
    out = coverage(known(SESSION_78[0], SESSION_78[2]), [78], AFTER)
    s = row(out, "session", 78)
    assert s["resolutions_loaded"] == 2 and s["resolutions_missing"] == 1
    assert s["missing_symbols"] == ["A/RES/78/2"] and s["resolutions_expected"] == 3
    assert s["coverage"] == pytest.approx(2 / 3)
    assert s["is_closed"] and not s["is_complete"]
    assert "A/RES/78/2" in s["partial_reason"] and "skipped" in s["partial_reason"]
    # Dated between its neighbours (16 October - 13 November 2023): missing from 2023 too.
    y = row(out, "year", 2023)
    assert y["missing_symbols"] == ["A/RES/78/2"] and y["resolutions_uncertain"] == 0


def test_the_highest_number_known_bounds_the_gaps():
    # Nothing above the highest number known is counted: no document gives a session's final count.
    out = coverage(known(*SESSION_78), [78], AFTER)
    assert row(out, "session", 78)["missing_symbols"] == []


def test_metadata_only_and_held_back_resolutions_are_missing_with_their_reason():
    out = coverage(known(SESSION_78[0], ("A/RES/78/2", 78, D(2023, 10, 16), "metadata_only"),
                         ("A/RES/78/3", 78, D(2023, 11, 13), "held_back")), [78], AFTER)
    s = row(out, "session", 78)
    assert s["resolutions_loaded"] == 1 and s["missing_symbols"] == ["A/RES/78/2", "A/RES/78/3"]
    assert "metadata" in s["partial_reason"] and "held back" in s["partial_reason"]


def test_a_gap_straddling_a_year_boundary_is_uncertain_in_both_years():
    # 78/61 skipped between one adopted in December 2023 and one in January 2024: certainly of
    # session 78, but of 2023 or of 2024.
    out = coverage(known(("A/RES/78/60", 78, D(2023, 12, 5), "loaded"),
                         ("A/RES/78/62", 78, D(2024, 1, 10), "loaded")), [78], AFTER)
    assert row(out, "session", 78)["missing_symbols"] == [f"A/RES/78/{n}" for n in range(1, 60)] + ["A/RES/78/61"]
    for year in (2023, 2024):
        y = row(out, "year", year)
        assert y["uncertain_symbols"] == ["A/RES/78/61"], year
        assert not y["is_complete"]
    assert "A/RES/78/61" in row(out, "year", 2024)["partial_reason"]
    assert "2023 or 2024" in row(out, "year", 2024)["partial_reason"]


def test_a_special_session_gap_straddling_a_session_boundary_is_uncertain_in_both_sessions():
    # The bundled emergency special session files hold ES-10/22 (12 December 2023, session 78) and
    # ES-10/24 (18 September 2024, session 79, opened on the 10th), not ES-10/23: it was adopted
    # between them (possibly on the 12 December itself, numbers being issued in order of
    # adoption): in session 78 or 79, and in 2023 or 2024.
    out = coverage(known(*SESSION_78,
                         ("A/RES/79/1", 79, D(2024, 9, 17), "loaded"),
                         ("A/RES/ES-10/21", 78, D(2023, 10, 27), "loaded"),
                         ("A/RES/ES-10/22", 78, D(2023, 12, 12), "loaded"),
                         ("A/RES/ES-10/24", 79, D(2024, 9, 18), "loaded")), [78, 79], AFTER)
    for session in (78, 79):
        s = row(out, "session", session)
        assert s["uncertain_symbols"] == ["A/RES/ES-10/23"], session
        assert s["missing_symbols"] == [] and not s["is_complete"]
        # Whole in time: one resolution that may belong to it does not make it partial.
        assert not s["is_partial"]
        assert "A/RES/ES-10/23" in s["partial_reason"] and "session 78 or 79" in s["partial_reason"]
    assert row(out, "session", 78)["resolutions_loaded"] == 5 and row(out, "session", 79)["resolutions_loaded"] == 2
    for year in (2023, 2024):
        y = row(out, "year", year)
        assert y["missing_symbols"] == [] and y["uncertain_symbols"] == ["A/RES/ES-10/23"], year
        assert "2023 or 2024" in y["partial_reason"]
    # ES-10/1 to /20 are from 1997-2022, before anything loaded: not counted as missing.
    assert not any(s.startswith("A/RES/ES-10/1") and s != "A/RES/ES-10/23"
                   for r in out.to_dicts() for s in r["missing_symbols"] + r["uncertain_symbols"])


def test_a_year_half_in_a_session_not_loaded_has_no_expected_total():
    # Sessions 78 and 79 loaded, session 80 (from September 2025) not: 2025 holds only session
    # 79's January-September part.
    out = coverage(known(("A/RES/79/1", 79, D(2024, 9, 17), "loaded"),
                         ("A/RES/79/2", 79, D(2025, 3, 3), "loaded"),
                         ("A/RES/79/3", 79, D(2025, 9, 8), "loaded"),
                         *SESSION_78), [78, 79], AFTER)
    y = row(out, "year", 2025)
    assert y["sessions"] == [79, 80] and y["sessions_loaded"] == [79]
    assert y["resolutions_loaded"] == 2 and y["resolutions_expected"] is None and y["coverage"] is None
    assert y["is_closed"] and not y["is_complete"] and y["is_partial"]
    assert "session 80" in y["partial_reason"] and "not loaded" in y["partial_reason"]
    # 2023 is the same at the other end (session 77 not loaded); 2024 is whole: both its sessions
    # are loaded and closed, and nothing is missing.
    assert row(out, "year", 2023)["resolutions_expected"] is None
    assert "session 77" in row(out, "year", 2023)["partial_reason"]
    whole = row(out, "year", 2024)
    assert whole["is_complete"] and whole["resolutions_expected"] == whole["resolutions_loaded"] == 1
    assert whole["partial_reason"] is None and not whole["is_partial"]
    # The sessions themselves are whole.
    assert row(out, "session", 79)["is_complete"] and row(out, "session", 79)["coverage"] == 1.0


def test_an_open_session_and_a_year_not_over_are_not_complete():
    rows = known(("A/RES/79/1", 79, D(2024, 9, 17), "loaded"), ("A/RES/79/2", 79, D(2025, 3, 3), "loaded"))
    out = coverage(rows, [79], D(2025, 6, 1))
    s = row(out, "session", 79)
    assert not s["is_closed"] and not s["is_complete"] and s["resolutions_expected"] == 2 and s["is_partial"]
    assert "in progress" in s["partial_reason"]
    y = row(out, "year", 2025)
    assert not y["is_closed"] and not y["is_complete"] and "not over" in y["partial_reason"] and y["is_partial"]
    # 2025 has begun, so it is a period; a year that has not begun is not.
    assert set(out.filter(pl.col("period_type") == "year")["period"]) == {2024, 2025}


def test_an_undated_loaded_resolution_counts_in_its_session_not_in_a_year():
    out = coverage(known(*SESSION_78[:2], ("A/RES/78/3", 78, None, "loaded")), [78], AFTER)
    assert row(out, "session", 78)["resolutions_loaded"] == 3 and row(out, "session", 78)["is_complete"]
    # The by-year marts cannot place it: 2023 or 2024.
    assert row(out, "year", 2024)["uncertain_symbols"] == ["A/RES/78/3"]


def test_nothing_known_gives_no_rows():
    assert coverage(known(), [], AFTER).height == 0


@pytest.mark.parametrize("day, phase", [
    (D(2025, 1, 1), "2025a"), (D(2025, 8, 31), "2025a"), (D(2025, 9, 1), "2025b"),
    (D(2025, 9, 30), "2025b"), (D(2025, 10, 1), "2025c"), (D(2025, 12, 31), "2025c"),
])
def test_calendar_phase_changes_only_when_a_verdict_can(day, phase):
    assert calendar_phase(day) == phase


def test_a_number_is_dated_by_its_first_part():
    # 75/245 B was adopted in April 2021, months after 75/245 (A) and 75/247 in December 2020:
    # a skipped 75/246 was adopted on 31 December 2020, not "between April 2021 and December 2020".
    out = coverage(known(*[(f"A/RES/75/{n}", 75, D(2020, 12, 31), "loaded") for n in range(1, 246) if n != 246],
                         ("A/RES/75/245 B", 75, D(2021, 4, 16), "loaded"),
                         ("A/RES/75/247", 75, D(2020, 12, 31), "loaded")), [75], AFTER)
    assert row(out, "year", 2020)["missing_symbols"] == ["A/RES/75/246"]
    assert row(out, "year", 2021)["missing_symbols"] == [] and row(out, "year", 2021)["uncertain_symbols"] == []
    s = row(out, "session", 75)
    # 75/1-245, 75/245 B and 75/247 loaded (the two parts of 75/245 are two resolutions), 75/246 missing.
    assert s["resolutions_loaded"] == 245 + 1 + 1 and s["missing_symbols"] == ["A/RES/75/246"]
