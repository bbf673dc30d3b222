"""End-to-end tests of the build: landing -> raw -> staging -> core -> published snapshot.

Every test builds real DuckDB files under its own tmp_path from the bundled DGACM
files (copies, never ./data) and reads the published snapshot read-only, or the
working warehouse where only it holds the answer (staging, raw).

To stay within about a minute, one clean session-78 build (``built_78``, made
exactly like the ``data_dir_78`` fixture) is shared by the test run (conftest): tests that change
landing start from a copy of its whole data dir (landing, working warehouse and
snapshot; every stored path is relative to landing, so a copy is a built data dir).
The full corpus build is conftest's session-scoped ``full_build``.

Expected numbers are computed here without the pipeline (parse_akn over the zip
members, plain lxml/XPath for symbols, parse_metadata_jsonl for DGACM's rows) or
were read off the XML by hand (A/RES/78/229).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import re
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import pytest
from lxml import etree

from tests.conftest import BUNDLED, META, ZIP, make_data_dir
from transforms.akn import parse_akn
from transforms.metadata import parse_metadata_jsonl
from warehouse import db, pipeline, steps
from warehouse.registry import registry
from orchestration.build import build_all
from expectations.gate import PublishBlocked, publish
from warehouse.report import latest_report
from warehouse.settings import Paths

SESSIONS = [74, 75, 76, 77, 78, 79]
S229 = "A/RES/78/229"
MEMBER_229 = "78session/English/A_RES_78_229-2325976E.xml"
MEMBER_1 = "78session/English/A_RES_78_1_E.xml"
ZIP78_REL = ZIP.format(78)  # ga-akn/session-78-English.zip, relative to landing
# The DDL's core tables; all of them hold rows for session 78.
CORE_TABLES = {
    "bridge_paragraph_citation", "bridge_resolution_keyword", "bridge_resolution_sponsor",
    "bridge_resolution_vote", "dim_resolution", "dim_session", "fact_footnote", "fact_paragraph",
    "fact_subparagraph", "manifest", "metadata_discrepancy",
    "text_reconciliation", "text_reconciliation_paragraph", "text_reconciliation_footnote",
    "dim_theme", "bridge_paragraph_theme", "dim_actor", "bridge_paragraph_actor", "bridge_resolution_actor",
    "dim_instrument", "bridge_paragraph_instrument",
}
# Dimensions from reference files: not per session.
GLOBAL_DIMENSIONS = {"dim_theme", "dim_actor", "dim_instrument"}
# Empty unless a resolution lands both as XML and as text (tests/test_textparse.py fills them).
TEXT_TABLES = {"text_reconciliation", "text_reconciliation_paragraph", "text_reconciliation_footnote"}
# In the working warehouse, the staging and raw tables that carry a session column.
SESSION_TABLES = [f"staging.{t}" for t in (*pipeline.STAGING_TABLES, *pipeline.RECONCILIATION_TABLES,
                                            "document_status", "metadata", "metadata_problem")] + [
    "raw.document", "raw.source_file", "raw.rejected", "raw.load_state"]
AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


# -- helpers ---------------------------------------------------------------------
def zip_member(session: int, member: str) -> bytes:
    with zipfile.ZipFile(BUNDLED / ZIP.format(session)) as zf:
        return zf.read(member)


def build(paths: Paths, expect: str = "published", **kwargs) -> tuple[dict, list[str]]:
    """build_all in process; returns its summary and the progress lines it reported."""
    said: list[str] = []
    summary = build_all(paths, progress=said.append, **kwargs)
    assert summary["status"] == expect, (summary, said)
    return summary, said


@contextmanager
def snapshot(paths: Paths):
    con = duckdb.connect(str(paths.snapshot), read_only=True)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def warehouse(paths: Paths):
    """The working warehouse (between builds: build_all closes its connection)."""
    con = pipeline.open_warehouse(paths.warehouse)
    try:
        yield con
    finally:
        con.close()


def clone(src: Paths, root: Path) -> Paths:
    """A copy of a whole built data dir (landing, warehouse, snapshot, run log)."""
    shutil.copytree(src.root, root)
    return Paths(root)


def core_tables(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'core'").fetchall()}


def digest(con, table: str, where: str = "true") -> tuple[int, int | None]:
    """Row count and an order-independent checksum over every column of every row.

    The sum of the rows' 64-bit hashes (as HUGEINT, so it cannot overflow) changes with any
    value, NULL-ness or duplicated row, whatever order the rows are stored in.
    """
    return con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {table} t WHERE {where}").fetchone()


def core_digests(paths: Paths) -> dict[str, tuple[int, int | None]]:
    with snapshot(paths) as con:
        return {t: digest(con, f"core.{t}") for t in sorted(core_tables(con))}


def paragraph_text(con, symbol: str, kind: str, ordinal: int) -> str:
    rows = con.execute("SELECT text FROM core.fact_paragraph WHERE symbol = ? AND kind = ? AND ordinal = ?",
                       [symbol, kind, ordinal]).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0]


def document_statuses(paths: Paths, symbol: str) -> dict[str, tuple[str, str | None, str | None, str]]:
    """location -> (status, superseded_by, reason, document_id), from the working warehouse."""
    with warehouse(paths) as con:
        rows = con.execute(
            "SELECT d.source_path || coalesce('!' || d.member, ''), s.status, s.superseded_by, s.reason, "
            "s.document_id FROM staging.document_status s JOIN raw.document d USING (document_id) "
            "WHERE s.symbol = ?", [symbol]).fetchall()
    out = {loc: (status, by, reason, doc) for loc, status, by, reason, doc in rows}
    assert len(out) == len(rows), rows
    return out


def rejected(paths: Paths) -> dict[str, tuple[int | None, str, str]]:
    """source_path -> (session, stage, reason) from the snapshot's quarantine, one row per file."""
    with snapshot(paths) as con:
        rows = con.execute("SELECT source_path, session, stage, reason FROM ops.rejected").fetchall()
    out = {path: (session, stage, reason) for path, session, stage, reason in rows}
    assert len(out) == len(rows), f"a file rejected more than once: {rows}"
    return out


@functools.lru_cache(maxsize=None)
def parsed_english(session: int) -> dict:
    """symbol -> ParsedResolution for every English resolution in a session's zip, by parse_akn."""
    out = {}
    with zipfile.ZipFile(BUNDLED / ZIP.format(session)) as zf:
        for info in zf.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".xml"):
                continue
            for res in parse_akn(zf.read(info), info.filename):
                if res.language == "eng":
                    assert res.symbol not in out, f"{res.symbol} twice in the zip"
                    out[res.symbol] = res
    return out


def xml_symbols(data: bytes) -> list[str]:
    """Symbols of the English resolutions in one AKN file, by plain XPath (no transforms code)."""
    root = etree.fromstring(data)
    lang = root.xpath("string((//a:FRBRExpression/a:FRBRlanguage/@language)[1])", namespaces=AKN)
    if lang not in ("", "eng"):
        return []

    def text(el, path):
        return " ".join(el.xpath(f"string({path})", namespaces=AKN).split())

    cover = text(root, "/a:akomaNtoso/*[1]/a:coverPage//a:docNumber")
    parts = root.xpath("/a:akomaNtoso/a:components//a:statement[@name='resolution']", namespaces=AKN)
    if parts:  # a collection: "A/RES/78/80 A-B" on the cover, each part's letter in its preface
        base = cover.split(" ")[0]
        return [f"{base} {text(p, 'a:preface//a:docNumber').rstrip('.')}" for p in parts]
    return [cover]


def base_of(symbol: str) -> str:
    return symbol.split(" ")[0]


# -- fixtures --------------------------------------------------------------------
@pytest.fixture
def copy_78(built_78, tmp_path) -> Paths:
    """A private copy of the built session-78 data dir, free to change."""
    return clone(built_78, tmp_path / "data")


# -- 1. one session --------------------------------------------------------------
def test_one_session_build_matches_the_parsed_zip(built_78):
    expected = parsed_english(78)
    assert len(expected) == 332  # 329 files, collections counted per part
    with snapshot(built_78) as con:
        got = {sym: (pre, op, fn) for sym, pre, op, fn in con.execute(
            "SELECT symbol, preambular_paragraphs, operative_paragraphs, footnotes FROM core.dim_resolution"
        ).fetchall()}
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] == len(expected)
        assert set(got) == set(expected)
        # Every resolution's paragraph and footnote counts are what the parser read from its file.
        mismatched = {
            s: got[s] for s, r in expected.items()
            if got[s] != (sum(p.kind == "preambular" for p in r.paragraphs),
                          sum(p.kind == "operative" for p in r.paragraphs), len(r.footnotes))
        }
        assert not mismatched
        assert con.execute("SELECT count(*) FROM core.fact_paragraph").fetchone()[0] == sum(
            len(r.paragraphs) for r in expected.values())
        assert con.execute("SELECT count(*) FROM core.fact_footnote").fetchone()[0] == sum(
            len(r.footnotes) for r in expected.values())

        # A/RES/78/229, counted by hand in the XML: 84 preambular, 93 operative paragraphs, 53 notes.
        assert got[S229] == (84, 93, 53)
        assert con.execute(
            "SELECT count(*) FILTER (kind = 'preambular'), count(*) FILTER (kind = 'operative') "
            "FROM core.fact_paragraph WHERE symbol = ?", [S229]).fetchone() == (84, 93)
        assert con.execute("SELECT count(*) FROM core.fact_footnote WHERE symbol = ?", [S229]).fetchone() == (53,)

        # Every core table exists and holds rows (78 has citations, votes, discrepancies...).
        assert core_tables(con) == CORE_TABLES
        empty = [t for t in sorted(CORE_TABLES) if con.execute(f"SELECT count(*) FROM core.{t}").fetchone()[0] == 0]
        assert set(empty) == TEXT_TABLES
        assert con.execute("SELECT session, label FROM core.dim_session").fetchall() == [(78, "78th session")]

        checks = dict(con.execute("SELECT check_name, violations FROM ops.check_result").fetchall())
        assert checks == {name: 0 for name in (*pipeline.CHECKS, pipeline.SESSIONS_BUILT)}
        # Legitimately empty: nothing was quarantined, 78.json has no problem lines.
        assert con.execute("SELECT count(*) FROM ops.rejected").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM ops.metadata_problem").fetchone() == (0,)
        assert con.execute("SELECT sessions FROM ops.build_info").fetchone() == ("78",)


# -- 2. idempotency --------------------------------------------------------------
def test_rebuild_skips_every_layer_and_changes_nothing(built_78, copy_78):
    first = core_digests(built_78)
    assert set(first) == CORE_TABLES

    with warehouse(copy_78) as con:
        state = con.execute("SELECT session, layer, fingerprint, loaded_at FROM raw.load_state ORDER BY 2").fetchall()
        results = pipeline.build_session(con, copy_78.landing, 78)
        assert [(r.layer, r.skipped) for r in results] == [("raw", True), ("staging", True), ("core", True), ("enrich", True),
                                                       ("marts", True)]
        # Skipped means untouched: no layer rewrote its state.
        assert con.execute("SELECT session, layer, fingerprint, loaded_at FROM raw.load_state ORDER BY 2"
                           ).fetchall() == state
    assert [layer for _, layer, _, _ in state] == ["core", "enrich", "marts", "raw", "staging"]

    published = copy_78.snapshot.stat()
    summary, said = build(copy_78)
    assert "[1/1] session 78: raw unchanged, staging unchanged, core unchanged, enrich unchanged, marts unchanged" in said
    assert "marts over all sessions: unchanged" in said
    assert all(v == 0 for v in summary["checks"].values())
    assert core_digests(copy_78) == first
    # Nothing the snapshot is made from changed: the file is kept, not written again.
    assert summary["snapshot"] == "unchanged"
    assert any(m.startswith("snapshot unchanged: nothing it is made from changed") for m in said), said
    kept = copy_78.snapshot.stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)
    assert "already up to date" in latest_report(copy_78.reports).markdown.read_text(encoding="utf-8")

    summary, said = build(copy_78, force=True)
    line = next(m for m in said if m.startswith("[1/1] session 78: raw "))
    assert "unchanged" not in line  # every layer rebuilt
    assert summary["snapshot"] == "written"  # --force writes the snapshot even when it would be the same
    assert copy_78.snapshot.stat().st_ino != published.st_ino
    assert summary["tables"]["core.dim_resolution"] == 332
    assert core_digests(copy_78) == first
    runs = [json.loads(x) for x in copy_78.runs_log.read_text().splitlines()]
    assert [r["status"] for r in runs] == ["published"] * 3


# -- 3. a changed file replaces what came from it ---------------------------------
def test_reissue_replaces_the_original_and_removal_restores_it(copy_78):
    original = zip_member(78, MEMBER_229)
    old_phrase, new_phrase = b"Underlines</span> the important role", b"Underlines</span> the decisive role"
    old_date, new_date = b'<FRBRdate date="2023-12-22" name="publication">', \
        b'<FRBRdate date="2024-02-15" name="publication">'
    assert original.count(old_phrase) == 1 and original.count(old_date) == 1
    reissue = original.replace(old_phrase, new_phrase).replace(old_date, new_date)
    (new_text,) = [p.text for p in parse_akn(reissue)[0].paragraphs if (p.kind, p.ordinal) == ("operative", 3)]
    assert "the decisive role" in new_text

    with snapshot(copy_78) as con:
        old_text = paragraph_text(con, S229, "operative", 3)
        assert "the important role" in old_text
        others = digest(con, "core.fact_paragraph", f"symbol <> '{S229}'")
        before = core_digests(copy_78)

    loose = copy_78.landing / "extra" / "A_RES_78_229_reissue.xml"
    loose.parent.mkdir()
    loose.write_bytes(reissue)
    build(copy_78)

    with snapshot(copy_78) as con:
        assert paragraph_text(con, S229, "operative", 3) == new_text
        assert con.execute("SELECT count(*), min(published_on)::VARCHAR FROM core.dim_resolution WHERE symbol = ?",
                           [S229]).fetchone() == (1, "2024-02-15")
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone() == (332,)
        assert con.execute("SELECT count(*) FROM core.fact_paragraph WHERE symbol = ?", [S229]).fetchone() == (
            before["fact_paragraph"][0] - others[0],)
        assert digest(con, "core.fact_paragraph", f"symbol <> '{S229}'") == others
        assert con.execute("SELECT documents, superseded_documents FROM core.manifest WHERE symbol = ?",
                           [S229]).fetchall() == [(2, 1)]
    statuses = document_statuses(copy_78, S229)
    zip_loc, loose_loc = f"{ZIP78_REL}!{MEMBER_229}", "extra/A_RES_78_229_reissue.xml"
    assert set(statuses) == {zip_loc, loose_loc}
    assert statuses[loose_loc][:2] == ("current", None)
    assert statuses[zip_loc][:2] == ("superseded", statuses[loose_loc][3])
    assert "reissue" in statuses[zip_loc][2]
    with snapshot(copy_78) as con:
        assert con.execute("SELECT document_id FROM core.dim_resolution WHERE symbol = ?", [S229]).fetchone() == (
            statuses[loose_loc][3],)

    loose.unlink()
    build(copy_78)
    with snapshot(copy_78) as con:
        assert paragraph_text(con, S229, "operative", 3) == old_text
    assert core_digests(copy_78) == before
    assert set(document_statuses(copy_78, S229)) == {zip_loc}


# -- 4. byte-identical duplicate ----------------------------------------------------
# Four real members of the session-78 zip (five resolutions: 78/80 holds parts A and B):
# enough for the duplicate rule, a fraction of a full session's build time.
SMALL_78 = [MEMBER_229, MEMBER_1, "78session/English/A_RES_78_80AB-2324937E.xml",
            "78session/English/A_RES_78_191-2326051E.xml"]


def small_data_dir(root: Path, members: list[str]) -> Paths:
    """A data dir whose session-78 zip holds only the given real members (and 78.json)."""
    paths = make_data_dir(root, [78])
    with zipfile.ZipFile(paths.landing / ZIP78_REL, "w", zipfile.ZIP_DEFLATED) as zf:
        for member in members:
            zf.writestr(member, zip_member(78, member))
    return paths


def test_identical_copy_is_a_duplicate(tmp_path):
    paths = small_data_dir(tmp_path / "data", SMALL_78)
    loose = paths.landing / "extra" / "A_RES_78_229.xml"
    loose.parent.mkdir()
    loose.write_bytes(zip_member(78, MEMBER_229))
    build(paths)

    statuses = document_statuses(paths, S229)
    by_status = {v[0]: (loc, *v[1:]) for loc, v in statuses.items()}
    assert sorted(by_status) == ["current", "duplicate"] and len(statuses) == 2
    current_loc, _, _, current_id = by_status["current"]
    dup_loc, dup_by, dup_reason, _ = by_status["duplicate"]
    assert {current_loc, dup_loc} == {"extra/A_RES_78_229.xml", f"{ZIP78_REL}!{MEMBER_229}"}
    assert dup_by == current_id and current_loc in dup_reason
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*), min(document_id) FROM core.dim_resolution WHERE symbol = ?",
                           [S229]).fetchone() == (1, current_id)
        assert sorted(r[0] for r in con.execute("SELECT symbol FROM core.dim_resolution").fetchall()) == [
            "A/RES/78/1", "A/RES/78/191", S229, "A/RES/78/80 A", "A/RES/78/80 B"]
        assert con.execute(
            "SELECT count(*) FILTER (kind = 'preambular'), count(*) FILTER (kind = 'operative') "
            "FROM core.fact_paragraph WHERE symbol = ?", [S229]).fetchone() == (84, 93)
        assert con.execute("SELECT count(*) FROM core.fact_footnote WHERE symbol = ?", [S229]).fetchone() == (53,)
        assert con.execute("SELECT documents, superseded_documents FROM core.manifest WHERE symbol = ?",
                           [S229]).fetchall() == [(2, 1)]
        # The copy not loaded is quarantined too, naming the one that is (the raw file is kept).
        ((path, stage, reason),) = con.execute("SELECT source_path, stage, reason FROM ops.rejected").fetchall()
        assert (path, stage) == (dup_loc.split("!")[0], "select") and current_loc in reason
        assert dict(con.execute("SELECT check_name, violations FROM ops.check_result").fetchall()) == {
            name: 0 for name in (*pipeline.CHECKS, pipeline.SESSIONS_BUILT)}


# -- 5. quarantine -------------------------------------------------------------------
def test_bad_files_are_quarantined_beside_good_ones(built_78, copy_78):
    landing = copy_78.landing / "ga-akn"
    whole = (landing / "session-78-English.zip").read_bytes()
    xml = zip_member(78, MEMBER_229)
    cut = xml.index(b"</docNumber>") + 5000  # the symbol is readable, the document is not whole
    bad = {
        "session-78-extra.zip": whole[: len(whole) // 2],
        "A_RES_78_9999.xml": xml[:cut].replace(b"A/RES/78/229<", b"A/RES/78/9999<"),
        "A_RES_78_report.xml": xml.replace(b'<statement name="resolution">', b'<statement name="report">'),
        "session-78-empty.xml": b"",
        "session-78-junk.xml": random.Random(78).randbytes(4096),
        "notes.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    }
    for name, data in bad.items():
        (landing / name).write_bytes(data)
    # file -> (session, stage, words the reason must hold). The session is the one the content
    # names (issue 14): a file whose bytes name none has none, whatever its name, and is
    # quarantined while landing is scanned; one whose symbol is readable is refused by its parser.
    expected = {
        "session-78-extra.zip": (None, "unpack", ["truncated", "zip"]),
        "A_RES_78_9999.xml": (78, "parse", ["malformed XML"]),
        "A_RES_78_report.xml": (78, "parse", ["'report'", "not a resolution"]),
        "session-78-empty.xml": (None, "unpack", ["empty file"]),
        "session-78-junk.xml": (None, "unpack", ["malformed XML"]),
        "notes.pdf": (None, "unpack", ["corrupt or truncated PDF"]),  # a PDF is read since issue 16
    }

    summary, _ = build(copy_78)
    assert summary["tables"]["core.dim_resolution"] == 332
    got = rejected(copy_78)
    assert set(got) == {f"ga-akn/{name}" for name in expected}
    for name, (session, stage, words) in expected.items():
        r_session, r_stage, reason = got[f"ga-akn/{name}"]
        assert (r_session, r_stage) == (session, stage), (name, reason)
        assert all(w in reason for w in words), (name, reason)
    # The bad files add nothing and take nothing away: core is the clean build's.
    assert core_digests(copy_78) == core_digests(built_78)

    # Fixed: the malformed file replaced by a real resolution (78/1) is a byte-identical duplicate.
    (landing / "A_RES_78_9999.xml").write_bytes(zip_member(78, MEMBER_1))
    build(copy_78)
    got = rejected(copy_78)
    statuses = document_statuses(copy_78, "A/RES/78/1")
    assert set(statuses) == {"ga-akn/A_RES_78_9999.xml", f"{ZIP78_REL}!{MEMBER_1}"}
    assert sorted(v[0] for v in statuses.values()) == ["current", "duplicate"]
    # The copy that is not loaded is quarantined at stage 'select', naming the one that is.
    (copy_path,) = [loc.split("!")[0] for loc, v in statuses.items() if v[0] == "duplicate"]
    (loaded,) = [loc for loc, v in statuses.items() if v[0] == "current"]
    assert set(got) == ({f"ga-akn/{name}" for name in expected} - {"ga-akn/A_RES_78_9999.xml"}) | {copy_path}
    session, stage, reason = got[copy_path]
    assert (session, stage) == (78, "select")
    assert reason.startswith("duplicate: the same bytes as ") and loaded in reason and "A/RES/78/1" in reason
    with snapshot(copy_78) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution WHERE symbol = 'A/RES/78/1'").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone() == (332,)
    clean = core_digests(built_78)
    now = core_digests(copy_78)
    assert {t: now[t] for t in now if t not in ("dim_resolution", "manifest")} == {
        t: clean[t] for t in clean if t not in ("dim_resolution", "manifest")}


# -- 6. a failed blocking check leaves the snapshot alone ----------------------------
def test_failed_check_keeps_the_published_snapshot(copy_78, monkeypatch):
    query = "SELECT count(*), sum(length(text)) FROM core.fact_paragraph"
    snap = copy_78.snapshot
    before_bytes, before_mtime = snap.read_bytes(), snap.stat().st_mtime_ns
    before_files = os.listdir(copy_78.published_dir / "files")
    with snapshot(copy_78) as con:
        before = con.execute(query).fetchone()

    def unchanged():
        assert snap.read_bytes() == before_bytes
        assert snap.stat().st_mtime_ns == before_mtime
        # no temporary file left, the Parquet files still those of the last good snapshot
        assert sorted(os.listdir(copy_78.published_dir)) == ["exports", "files", "parquet", "unga.duckdb"]
        assert os.listdir(copy_78.published_dir / "files") == before_files
        with snapshot(copy_78) as con:
            assert con.execute(query).fetchone() == before

    with warehouse(copy_78) as con:
        con.execute("INSERT INTO core.dim_resolution SELECT * FROM core.dim_resolution WHERE symbol = ?", [S229])
        con.execute("UPDATE core.fact_paragraph SET text = '  ' WHERE symbol = ? AND kind = 'operative' "
                    "AND ordinal = 1", [S229])
        checks = pipeline.run_checks(con)
        failing = {name for name, frame in checks.items() if frame.height}
        assert failing == {"unique_keys", "paragraph_text_not_empty"}
        with pytest.raises(PublishBlocked) as exc:
            publish(con, snap, checks, {"sessions": "78"})
        assert set(exc.value.failures) == failing
        unchanged()

        # A publish that fails while writing also leaves the old snapshot and no temp file.
        import warehouse.publish as publish_module
        real = publish_module.public_tables
        monkeypatch.setattr(publish_module, "public_tables", lambda c: [*real(c), ("core", "no_such_table")])
        with pytest.raises(duckdb.CatalogException):
            publish(con, snap, {name: frame.clear() for name, frame in checks.items()}, {"sessions": "78"})
        monkeypatch.undo()
        unchanged()

    # A whole build over a warehouse whose corruption names no resolution (two resolutions
    # sharing a surrogate key) is blocked too, and says so in the run log. (A defect that
    # names its resolution holds that one back instead: tests/test_holdback.py.)
    with snapshot(copy_78) as con:
        text = paragraph_text(con, S229, "operative", 1)
    with warehouse(copy_78) as con:
        con.execute("DELETE FROM core.dim_resolution WHERE symbol = ? AND rowid = (SELECT max(rowid) FROM "
                    "core.dim_resolution WHERE symbol = ?)", [S229, S229])
        con.execute("UPDATE core.fact_paragraph SET text = ? WHERE symbol = ? AND kind = 'operative' "
                    "AND ordinal = 1", [text, S229])
        con.execute("UPDATE core.dim_resolution SET resolution_key = (SELECT resolution_key FROM core.dim_resolution "
                    "WHERE symbol = 'A/RES/78/1') WHERE symbol = ?", [S229])
    summary, said = build(copy_78, expect="blocked")
    assert summary["checks"]["unique_keys"] > 0
    # (the checks are reported in the order of their files' names, warehouse/sql/checks)
    assert any("systemic: " in line and "check unique_keys: 1 failing rows that name no resolution" in line
               for line in said), said
    with warehouse(copy_78) as con:
        assert con.execute("SELECT count(*) FROM raw.held_back").fetchone()[0] == 0
    assert json.loads(copy_78.runs_log.read_text().splitlines()[-1])["status"] == "blocked"
    unchanged()


def test_failed_blocking_suite_keeps_the_published_snapshot(copy_78):
    """A defect the structural checks miss but a Great Expectations suite catches, in a table
    whose rows name no resolution (a dimension from the reference lists), blocks publication."""
    snap = copy_78.snapshot
    before = snap.read_bytes()
    with warehouse(copy_78) as con:
        changed = con.execute("UPDATE core.dim_actor SET iso3 = 'bad' WHERE actor_id = ("
                              "SELECT min(actor_id) FROM core.dim_actor WHERE iso3 IS NOT NULL)").fetchone()
        assert changed == (1,)
        assert {n for n, f in pipeline.run_checks(con).items() if f.height} <= set(pipeline.WARNING_CHECKS)

    summary, said = build(copy_78, expect="blocked")
    assert "core_reference" in summary["suites"]["blocking_failures"], summary["suites"]
    assert any("suite core_reference" in line and "names no resolution" in line for line in said), said
    assert snap.read_bytes() == before
    assert not [p.name for p in copy_78.published_dir.iterdir() if p.name.startswith(".")]
    # The run's quality report says why, and links the Data Docs that show the failed expectation.
    report = (copy_78.reports / "latest" / "quality.html").read_text(encoding="utf-8")
    assert "blocked" in report and "core.dim_actor.iso3" in report
    docs = Path(summary["suites"]["data_docs"])
    assert docs.is_file() and "core_reference" in docs.read_text(encoding="utf-8")


# -- 7. a session removed from landing --------------------------------------------
def test_removed_session_disappears(full_build, tmp_path):
    # Session 74: its zip and its extract are the only files with documents of 74. (Session 77's
    # zip and extract are not: the ES-11 resolutions adopted during 77 come loose, in ES-11.json and
    # one in the session-76 zip, and would keep session 77 in landing with those three.)
    paths = clone(full_build, tmp_path / "data")
    (paths.landing / ZIP.format(74)).unlink()
    (paths.landing / META.format(74)).unlink()
    with snapshot(full_build) as con:
        assert con.execute("SELECT count(*) FROM core.dim_resolution WHERE session = 74").fetchone()[0] == 318
        kept = {t: digest(con, f"core.{t}", "true" if t in GLOBAL_DIMENSIONS else "session <> 74")
                for t in CORE_TABLES}

    summary, said = build(paths)
    assert "session 74: no longer in landing, removed" in said
    assert summary["sessions"] == [75, 76, 77, 78, 79]
    with snapshot(paths) as con:
        per_session = CORE_TABLES - GLOBAL_DIMENSIONS
        left = {t: con.execute(f"SELECT count(*) FROM core.{t} WHERE session = 74").fetchone()[0] for t in per_session}
        assert left == {t: 0 for t in per_session}
        marts = {t: con.execute(f"SELECT count(*) FROM marts.{t} WHERE session = 74").fetchone()[0]
                 for t in (*pipeline.SESSION_MARTS, "mandates", "series", "series_step", "new_language_by_year")}
        assert marts == {t: 0 for t in marts}
        assert con.execute("SELECT count(*) FROM marts.environmental_crime_trend WHERE list_contains(sessions, 74)"
                           ).fetchone() == (0,)
        after = {t: digest(con, f"core.{t}") for t in CORE_TABLES}
        # Citations of 74's resolutions lose their target key; documents only 74 cited leave dim_instrument.
        changing = {"bridge_paragraph_citation", "dim_instrument"}
        assert {t: v for t, v in after.items() if t not in changing} == {
            t: v for t, v in kept.items() if t not in changing}
        assert after["bridge_paragraph_citation"][0] == kept["bridge_paragraph_citation"][0]
        assert con.execute("SELECT count(*) FROM core.bridge_paragraph_citation WHERE target_symbol LIKE 'A/RES/74/%' "
                           "AND target_resolution_key IS NOT NULL").fetchone() == (0,)
        # The citation network follows at once: edges from 75-79 to 74's resolutions no longer
        # say their target is in the warehouse (they were built before 74 left).
        assert con.execute("SELECT count(*) FILTER (WHERE target_in_warehouse), count(*) FROM marts.citation_edges "
                           "WHERE target_symbol LIKE 'A/RES/74/%'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM core.dim_resolution WHERE symbol LIKE 'A/RES/74/%'").fetchone() == (0,)
        assert con.execute("SELECT sessions FROM ops.build_info").fetchone() == ("75,76,77,78,79",)
    with warehouse(paths) as con:
        left = {t: con.execute(f"SELECT count(*) FROM {t} WHERE session = 74").fetchone()[0] for t in SESSION_TABLES}
        assert left == {t: 0 for t in SESSION_TABLES}


# -- 8. reconciliation against DGACM's metadata ------------------------------------
# With the special sessions' files (issue 14) each ES and S resolution is counted in the session
# in progress at its adoption and meets its DGACM row there: S-32/1 (75) and ES-11/1, /4, /6 were
# xml_only before, in the session of the zip they were shipped in, with no extract to match.
EXPECTED_MANIFEST = {  # session: (both, xml_only, metadata_only)
    74: (271, 47, 0),
    75: (341, 0, 0),  # + S-32/1's row in S-32.json
    76: (316, 0, 0),  # + ES-11/1, /2, /3 (ES-11.json); ES-11/4 moves to 77
    77: (350, 0, 0),  # + ES-11/4, /5, /6
    78: (333, 1, 0),  # + ES-10/21, /22 (ES-10.json)
    79: (341, 0, 0),  # + ES-10/24
}


def session_by_content(symbol: str, adopted: str | None) -> int:
    """The session a symbol counts in: its number, or for a special or emergency special session the
    regular session in progress on its adoption date (sessions open in September)."""
    m = re.match(r"A/RES/(\d+)/", symbol)
    if m:
        return int(m.group(1))
    day = dt.date.fromisoformat(adopted)
    return day.year - 1945 if day.month >= 9 else day.year - 1946


def landed_xml(landing: Path):
    """(where, bytes) of every XML document in landing, loose or in a zip."""
    for path in sorted(landing.rglob("*")):
        if path.suffix == ".xml":
            yield path.name, path.read_bytes()
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if not info.is_dir() and info.filename.lower().endswith(".xml"):
                        yield f"{path.name}!{info.filename}", zf.read(info)


def independent_manifest(session: int, landing: Path = BUNDLED) -> dict[str, str]:
    """symbol -> both | xml_only | metadata_only, without the pipeline.

    Every XML resolution and every metadata line counts in the session its content names,
    whichever zip, folder or extract it is in (the special sessions' by adoption date).
    """
    xml: set[str] = set()
    for where, data in landed_xml(landing):
        adopted = etree.fromstring(data).xpath("string((//a:FRBRdate[@name='adoption']/@date)[1])", namespaces=AKN)
        for symbol in xml_symbols(data):
            m = re.match(r"A/RES/(\d+)/", symbol)
            zipped = re.match(r"session-(\d+)-", where)
            assert m is None or zipped is None or m.group(1) == zipped.group(1), where  # regular symbols match their zip
            if session_by_content(symbol, adopted) == session:
                xml.add(symbol)
    meta: set[str] = set()
    for path in sorted((landing / "ga-akn" / "metadata").glob("*.json")):
        rows, _ = parse_metadata_jsonl(path.read_bytes(), path.name)
        meta |= {symbol for symbol, adopted in rows.select("symbol", pl.col("adopted_on").cast(pl.Utf8)).iter_rows()
                 if session_by_content(symbol, adopted) == session}

    def covered_by_base(x: str) -> bool:
        # DGACM names a collection without its parts (74.json: "A/RES/74/250" for 250 A and B):
        # the base row covers the parts when the XML has no unsuffixed resolution of that base.
        return " " in x and x not in meta and base_of(x) in meta and base_of(x) not in xml

    out = {x: "both" if x in meta or covered_by_base(x) else "xml_only" for x in xml}
    used = meta & xml | {base_of(x) for x in xml if covered_by_base(x)}
    out.update({m: "metadata_only" for m in meta - used})
    return out


def test_manifest_reconciles_xml_with_metadata(full_build):
    with snapshot(full_build) as con:
        manifest = {(s, sym): status for s, sym, status in con.execute(
            "SELECT session, symbol, status FROM core.manifest").fetchall()}
        assert len(manifest) == con.execute("SELECT count(*) FROM core.manifest").fetchone()[0]
        counts = con.execute("SELECT session, status, count(*) FROM core.manifest GROUP BY ALL").fetchall()
        assert con.execute("SELECT count(*), count(DISTINCT symbol) FROM core.dim_resolution").fetchone() == (2000, 2000)
        per_session = dict(con.execute("SELECT session, count(*) FROM core.dim_resolution GROUP BY ALL").fetchall())

    got = {s: [0, 0, 0] for s in SESSIONS}
    for s, status, n in counts:
        got[s][["both", "xml_only", "metadata_only"].index(status)] = n
    assert {s: tuple(v) for s, v in got.items()} == EXPECTED_MANIFEST

    for s in SESSIONS:
        independent = independent_manifest(s, full_build.landing)
        assert {sym: st for (ss, sym), st in manifest.items() if ss == s} == independent, s
        # Every XML resolution reaches dim_resolution once (the French 75/274 is not one).
        assert per_session[s] == sum(st != "metadata_only" for st in independent.values())
    # 1994 from the sessions' zips, and six emergency special session resolutions that come only as
    # loose files (ES-10/21, /22, /24, ES-11/2, /3, /5); ES-11/1, /4 and /6 are in the zips too.
    assert sum(per_session.values()) == 2000


# -- citation targets and session labels -------------------------------------------
def test_citation_target_key_is_set_only_for_resolutions_in_the_warehouse(full_build):
    with snapshot(full_build) as con:
        dangling = con.execute(
            "SELECT count(*) FROM core.bridge_paragraph_citation c "
            "LEFT JOIN core.dim_resolution r ON r.resolution_key = c.target_resolution_key "
            "WHERE c.target_resolution_key IS NOT NULL AND r.resolution_key IS NULL").fetchone()[0]
        # The other direction holds: a cited resolution that is in the warehouse gets its key.
        missing = con.execute(
            "SELECT count(*) FROM core.bridge_paragraph_citation c JOIN core.dim_resolution r "
            "ON r.symbol = c.target_symbol WHERE c.target_resolution_key IS DISTINCT FROM r.resolution_key"
        ).fetchone()[0]
    assert missing == 0
    assert dangling == 0


def test_citation_edges_follow_sessions_loaded_later(full_build):
    # The full build loads 74 to 79 session after session, so a resolution of 78 citing one
    # of 79 (A/RES/78/147 cites A/RES/79/8) is linked only when 79 arrives: the network must
    # say so, as if the sessions had been loaded in any other order.
    with snapshot(full_build) as con:
        stale = con.execute((Path(__file__).parents[1] / "expectations/sql/citation_edges_target_current.sql").read_text()
                            ).fetchall()
        later = con.execute("SELECT count(*) FROM marts.citation_edges e JOIN core.dim_resolution s "
                            "ON s.symbol = e.source_symbol JOIN core.dim_resolution t ON t.symbol = e.target_symbol "
                            "WHERE t.session > s.session AND e.target_in_warehouse").fetchone()[0]
    assert stale == []
    assert later > 0


def test_session_labels_use_the_right_ordinal_suffix(tmp_path):
    # Sessions 82-84 have not opened, and a file name no longer lands a session (issue 14), so the
    # labels are read off the core models run for those sessions on an empty staging layer.
    con = pipeline.open_warehouse(tmp_path / "unga.duckdb")
    try:
        for s in (81, 82, 83, 84, 111, 112, 113, 121):
            for model in registry().step("core"):
                steps.run_build(con, model, s)
        labels = dict(con.execute("SELECT session, label FROM core.dim_session").fetchall())
        assert con.execute("SELECT count(*) FROM core.dim_resolution").fetchone() == (0,)
    finally:
        con.close()
    assert labels == {81: "81st session", 82: "82nd session", 83: "83rd session", 84: "84th session",
                      111: "111th session", 112: "112th session", 113: "113th session", 121: "121st session"}
