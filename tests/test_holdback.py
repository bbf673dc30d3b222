"""Hold back, don't block: a resolution that breaks a rule leaves the snapshot, the rest is published.

Real session-78 builds in temporary data dirs. A defect in one resolution is made the way
it would arrive (its XML edited inside the DGACM zip) or, for defects only a suite can see,
written into the working warehouse; a systemic defect (rows that name no resolution, or
more resolutions than the documented limits) still keeps the last good snapshot.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from tests.conftest import BUNDLED, ZIP, make_data_dir
from tests.test_pipeline import build, clone, snapshot, warehouse
from warehouse import holdback
from orchestration.cli import main
from warehouse.settings import Paths

S229 = "A/RES/78/229"
MEMBER_229 = "78session/English/A_RES_78_229-2325976E.xml"
RESOLUTIONS_78 = 332
# Every public table that names resolutions by symbol (the marts that aggregate carry none).
SYMBOL_TABLES = [
    "core.dim_resolution", "core.fact_paragraph", "core.fact_subparagraph", "core.fact_footnote",
    "core.bridge_paragraph_citation", "core.bridge_resolution_sponsor", "core.bridge_resolution_vote",
    "core.bridge_resolution_keyword", "core.bridge_paragraph_theme", "core.bridge_paragraph_actor",
    "core.bridge_resolution_actor", "core.bridge_paragraph_instrument", "core.metadata_discrepancy",
    "marts.mandates", "marts.paragraph_search",
]


def rewrite_member(zip_path: Path, member: str, edit) -> None:
    """Replace one member of a zip by ``edit(bytes)``, keeping every other member as it is."""
    tmp = zip_path.with_name(zip_path.name + ".tmp")
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, edit(data) if info.filename == member else data)
    tmp.replace(zip_path)


def postdate_229(data: bytes) -> bytes:
    """78/229 adopted in 2031, outside its session: the check adoption_dates_in_session fails on it."""
    out, n = re.subn(rb'(<docDate date=")2023-12-19', rb"\g<1>2031-12-19", data)
    assert n == 1
    return out


def appearances(paths: Paths, symbol: str) -> dict[str, int]:
    with snapshot(paths) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t} WHERE symbol = ?", [symbol]).fetchone()[0]
                for t in SYMBOL_TABLES}


@pytest.fixture
def copy_78(built_78, tmp_path) -> Paths:
    return clone(built_78, tmp_path / "data")


def test_a_rule_failing_on_one_resolution_holds_back_that_resolution_only(copy_78):
    paths = copy_78
    clean = appearances(paths, S229)
    assert clean["core.dim_resolution"] == 1 and clean["core.fact_paragraph"] == 177
    rewrite_member(paths.landing / ZIP.format(78), MEMBER_229, postdate_229)

    result = CliRunner().invoke(main, ["--data-dir", str(paths.root), "build", "--no-dagster"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("published in ")
    assert re.search(r"^held back: 1 resolution\(s\)", out, re.M), out
    assert f"  - {S229} (session 78): check adoption_dates_in_session: A resolution of regular session N" in out
    assert "quarantined: none" in out
    assert f"held back {S229} (session 78): check adoption_dates_in_session" in result.stderr

    # Gone from every table, the marts and the search table included; the other 331 published.
    assert appearances(paths, S229) == {t: 0 for t in SYMBOL_TABLES}
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == RESOLUTIONS_78 - 1
        held = con.execute("SELECT session, symbol, rule, failing_rows, sample FROM ops.held_back").fetchall()
        assert held == [(78, S229, "check adoption_dates_in_session", 1,
                         ["session_label=78, adopted_on=2031-12-19, first_day=2023-09-01, last_day=2024-09-30"])]
        assert con.execute("SELECT status FROM core.manifest WHERE symbol = ?", [S229]).fetchone() == ("held_back",)
        # No year 2031 anywhere: the marts were rebuilt without it.
        assert con.execute("SELECT max(year) FROM marts.theme_trend_by_year").fetchone()[0] <= 2024
        assert con.execute("SELECT max(violations) FROM ops.check_result").fetchone()[0] == 0
        # The other resolutions are untouched: 78/1 as in a clean build.
        assert con.execute("SELECT count(*) FROM core.fact_paragraph WHERE symbol = 'A/RES/78/1'").fetchone()[0] > 0

    # The user is told: the status and the report both warn.
    status = CliRunner().invoke(main, ["--data-dir", str(paths.root), "status"]).stdout
    assert re.search(r"^WARNING\s+1 resolution\(s\) held back", status, re.M), status
    assert S229 in status
    report = (paths.reports / "latest" / "quality.md").read_text(encoding="utf-8")
    assert "Needs attention: 1 resolution(s) held back" in report and S229 in report

    # Nothing changed: a rerun keeps the snapshot and the hold.
    before = paths.snapshot.read_bytes()
    summary, _ = build(paths)
    assert summary["snapshot"] == "unchanged"
    assert paths.snapshot.read_bytes() == before

    # The fixed file lands: the resolution comes back with no manual step.
    shutil.copyfile(BUNDLED / ZIP.format(78), paths.landing / ZIP.format(78))
    summary, _ = build(paths)
    assert appearances(paths, S229) == clean
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM ops.held_back").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == RESOLUTIONS_78
    with warehouse(paths) as con:
        assert con.execute("SELECT count(*) FROM raw.held_back").fetchone()[0] == 0


def test_a_suite_failure_naming_one_resolution_holds_it_back(copy_78):
    """A defect only a Great Expectations column expectation sees: its failing row carries the
    symbol (GE's unexpected index), so that resolution is held back and the rest published."""
    with warehouse(copy_78) as con:
        changed = con.execute("UPDATE core.fact_paragraph SET kind = 'appendix' WHERE symbol = ? AND kind = 'annex' "
                              "AND ordinal = 1", ["A/RES/78/3"]).fetchone()
        assert changed == (1,)
    summary, said = build(copy_78)
    with snapshot(copy_78) as con:
        rules = con.execute("SELECT DISTINCT symbol, rule FROM ops.held_back ORDER BY ALL").fetchall()
        assert ("A/RES/78/3", "suite core_paragraphs: core.fact_paragraph.kind.in_codebook_values") in rules
        assert {s for s, _ in rules} == {"A/RES/78/3"}
        sample = con.execute("SELECT sample FROM ops.held_back WHERE rule LIKE '%kind.in_codebook_values'"
                             ).fetchone()[0]
        assert sample == ["kind=appendix"]
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == RESOLUTIONS_78 - 1
        assert con.execute("SELECT count(*) FROM core.fact_paragraph WHERE kind NOT IN "
                           "('preambular', 'operative', 'annex')").fetchone()[0] == 0
        suites = con.execute("SELECT count(*) FROM ops.suite_result WHERE blocking AND NOT success").fetchone()[0]
        assert suites == 0
    assert any(line.startswith("held back A/RES/78/3 (session 78): ")
               and "suite core_paragraphs: core.fact_paragraph.kind.in_codebook_values" in line for line in said), said


def test_a_systemic_failure_keeps_the_last_good_snapshot(copy_78):
    """Rows that name no resolution (a mart that does not add up) block publication, as before."""
    before = copy_78.snapshot.read_bytes()
    with warehouse(copy_78) as con:
        con.execute("UPDATE marts.theme_trend_by_year SET paragraphs = -1 WHERE rowid = (SELECT min(rowid) FROM "
                    "marts.theme_trend_by_year)")
    result = CliRunner().invoke(main, ["--data-dir", str(copy_78.root), "build", "--no-dagster"])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("blocked in ")
    assert "NOT PUBLISHED: the last good snapshot stays in place" in result.stdout
    assert re.search(r"why: not published, blocking checks failed: suite marts_trends .*systemic: suite "
                     r"marts_trends: marts\.theme_trend_by_year\.paragraphs\.count .*names no resolution",
                     result.stdout), result.stdout
    assert "Traceback" not in result.output
    assert copy_78.snapshot.read_bytes() == before
    with warehouse(copy_78) as con:
        assert con.execute("SELECT count(*) FROM raw.held_back").fetchone()[0] == 0
    record = json.loads(copy_78.last_publication.read_text(encoding="utf-8"))
    assert record["status"] == "blocked" and record["systemic"]


def test_more_held_back_than_the_limit_is_systemic(copy_78):
    """A rule failing on a tenth of a session is a parser or rule defect: nothing is held, nothing published."""
    before = copy_78.snapshot.read_bytes()
    with warehouse(copy_78) as con:
        symbols = [r[0] for r in con.execute(
            "SELECT symbol FROM core.dim_resolution ORDER BY symbol LIMIT 40").fetchall()]
        con.execute("UPDATE core.fact_paragraph SET text = '' WHERE ordinal = 1 AND kind = 'preambular' "
                    "AND symbol IN (SELECT unnest(?::VARCHAR[]))", [symbols])
        blanked = con.execute("SELECT count(DISTINCT symbol) FROM core.fact_paragraph WHERE text = ''").fetchone()[0]
    assert blanked > holdback.SESSION_SHARE * RESOLUTIONS_78
    summary, said = build(copy_78, expect="blocked")
    assert any(f"session 78: {blanked} of {RESOLUTIONS_78} resolutions break rules" in line for line in said), said
    assert copy_78.snapshot.read_bytes() == before
    with warehouse(copy_78) as con:
        assert con.execute("SELECT count(*) FROM raw.held_back").fetchone()[0] == 0


# -- the verdicts, on their own ---------------------------------------------------
def test_check_rows_without_a_symbol_are_systemic():
    checks = {
        "paragraph_text_not_empty": pl.DataFrame({"symbol": ["A/RES/1/1", "A/RES/1/1", "A/RES/1/2"],
                                                  "kind": ["operative"] * 3, "ordinal": [1, 2, 1]}),
        "unique_keys": pl.DataFrame({"table_name": ["core.dim_resolution"], "key": ["123"], "rows": [2],
                                     "symbol": [None]}, schema_overrides={"symbol": pl.Utf8}),
        "foreign_keys_resolve": pl.DataFrame({"relation": [], "key": []}, schema={"relation": pl.Utf8,
                                                                                  "key": pl.Utf8}),
    }
    verdict = holdback.from_checks(checks, {"paragraph_text_not_empty": "Every paragraph has text."})
    assert verdict.symbols == {"A/RES/1/1", "A/RES/1/2"}
    first = next(h for h in verdict.holds if h.symbol == "A/RES/1/1")
    assert first.failing_rows == 2 and first.reason == "Every paragraph has text."
    assert first.sample == ("kind=operative, ordinal=1", "kind=operative, ordinal=2")
    assert verdict.systemic == ["check unique_keys: 1 failing rows that name no resolution"]


def test_rule_rows_by_symbol():
    from expectations.runner import rows_by_symbol

    assert rows_by_symbol(["a", "b", "a"], ["x", "y", "z"]) == {"a": (2, ["x", "z"]), "b": (1, ["y"])}
    assert rows_by_symbol(["a", None], ["x", "y"]) is None  # one row names no resolution
    assert rows_by_symbol(None, ["x"]) is None  # the rule has no symbol column


# -- the next year arrives ------------------------------------------------------------
SESSION_80 = Path(__file__).resolve().parent / "fixtures" / "session-80" / "xml"


def test_session_80_lands_beside_the_bundled_data_and_is_published(tmp_path):
    """The 80th session's sample (80/243 among it, whose operative parts follow 19 preambles)
    beside session 79: everything published, nothing held back, 80/243's paragraphs right."""
    paths = make_data_dir(tmp_path / "data", [79])
    target = paths.landing / "session-80-samples"
    target.mkdir()
    for f in SESSION_80.glob("*.xml"):
        shutil.copyfile(f, target / f.name)
    summary, said = build(paths)
    assert summary["sessions"] == [79, 80]
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*) FROM ops.held_back").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM core.dim_resolution WHERE session = 80").fetchone()[0] == 13
        kinds = dict(con.execute("SELECT kind, count(*) FROM core.fact_paragraph WHERE symbol = 'A/RES/80/243' "
                                 "GROUP BY kind").fetchall())
        # Read off the XML: 33 preambular containers over 19 preambles, 174 numbered operative
        # paragraphs in 18 numbering blocks plus 7 unnumbered ones.
        assert kinds == {"preambular": 33, "operative": 181}
        assert con.execute("SELECT count(*) FROM core.fact_paragraph WHERE kind = 'preambular' "
                           "AND regexp_full_match(number, '\\d+')").fetchone()[0] == 0
        assert con.execute("SELECT count(DISTINCT numbering_block) FROM core.fact_paragraph "
                           "WHERE symbol = 'A/RES/80/243' AND kind = 'operative'").fetchone()[0] == 18
