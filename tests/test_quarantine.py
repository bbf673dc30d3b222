"""Quarantine end to end: every kind of bad file beside the good ones, in one real build.

Issue 6's done-when: corrupted files of every kind sit in a temporary landing folder
beside the session-78 zip and its metadata; the build completes and publishes, every
good resolution is loaded, every bad file is in the rejected table with a reason that
names the problem, the landing files are untouched, and the published snapshot passes
the quality suites. Then a bad file is fixed and the next build loads it and drops it
from the rejected table; a build with nothing changed changes nothing.

Kinds covered (each a file generated here from the bundled data): truncated zip, zip
with a corrupt member, a file named .zip that is no zip, malformed (truncated) XML,
XML that is not Akoma Ntoso, an AKN statement that is not a resolution, empty files,
binary files, text and XML in a wrong encoding (cp1252, UTF-16 without a BOM), unknown
formats (inside and outside a session), unreadable metadata, byte-identical duplicates
of an XML file and of a metadata file, and files whose name gives no session but whose
content is itself broken (the reason names the defect, not the missing session).

A file name never makes a session (issue 14): a document is placed in the session its
content names, so a bad file whose content names none is quarantined with session null
however it is called (``session-78-extra.zip``, ``A_RES_99_1-garbage.xml``), and creates no
session; one whose symbol can still be read (truncated XML, a text in the wrong encoding)
is kept in that session and refused by its parser there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import zipfile

import duckdb

from expectations.runner import run_suites
from tests.conftest import BUNDLED, ZIP, make_data_dir
from tests.test_pipeline import build, snapshot, warehouse
from transforms.akn import parse_akn
from warehouse.settings import Paths

MEMBER_229 = "78session/English/A_RES_78_229-2325976E.xml"
MEMBER_1 = "78session/English/A_RES_78_1_E.xml"
ZIP78 = ZIP.format(78)
PUBLISHED_229 = b'<FRBRdate date="2023-12-22" name="publication">'


def zip_member(member: str) -> bytes:
    with zipfile.ZipFile(BUNDLED / ZIP78) as zf:
        return zf.read(member)


def english_symbols() -> set[str]:
    out = set()
    with zipfile.ZipFile(BUNDLED / ZIP78) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".xml"):
                out |= {r.symbol for r in parse_akn(zf.read(info), info.filename) if r.language == "eng"}
    return out


def corrupt_member_zip() -> bytes:
    """An archive whose directory is fine but whose one XML member's compressed bytes are damaged."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("78session/English/A_RES_78_9000.xml", zip_member(MEMBER_229))
        zf.writestr("78session/English/notes.docx", b"PK\x03\x04 not really a docx")
    data = bytearray(buf.getvalue())
    start = 30 + len("78session/English/A_RES_78_9000.xml")  # the first member's data after its local header
    for i in range(start + 100, start + 400, 7):
        data[i] ^= 0x5A
    return bytes(data)


def first_non_ascii(data: bytes) -> str:
    """How the reason names the first byte a cp1252 file and UTF-8 disagree on."""
    i = next(i for i, b in enumerate(data) if b >= 0x80)
    return f"byte 0x{data[i]:02X} at offset {i}"


def bad_files() -> dict[str, tuple[bytes, int | None, str, str | None, list[str]]]:
    """landing path -> (bytes, session, stage, member, words the reason must hold).

    The session is the one the content names, never the file name's: a file whose bytes do
    not say (a truncated archive, an empty file, HTML, UTF-16 without a byte-order mark) has
    none and is quarantined while scanning landing (stage unpack), even when named
    session-78-*; before issue 14 these were filed under the session of their name.
    """
    whole = (BUNDLED / ZIP78).read_bytes()
    xml229, xml1 = zip_member(MEMBER_229), zip_member(MEMBER_1)
    text229 = (BUNDLED / "text" / "A_RES_78_229.md").read_bytes().decode("utf-8")
    assert "’" in xml229.decode() and "’" in text229  # so cp1252 differs from UTF-8
    cut = xml229.index(b"</docNumber>") + 5000  # the symbol is readable, the document is not whole
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    meta = (BUNDLED / "ga-akn" / "metadata" / "78.json").read_bytes()
    xml_cp1252, text_cp1252 = xml229.decode().encode("cp1252", errors="replace"), text229.encode("cp1252", errors="replace")
    return {
        # archives
        "ga-akn/session-78-extra.zip": (whole[: len(whole) // 2], None, "unpack", None, ["truncated", "zip"]),
        "ga-akn/session-78-corrupt.zip": (corrupt_member_zip(), None, "unpack", "78session/English/A_RES_78_9000.xml",
                                          ["archive member cannot be read", "corrupt"]),
        "ga-akn/session-78-corrupt.zip|docx": (b"", None, "unpack", "78session/English/notes.docx",
                                               ["unknown format inside archive", ".docx"]),
        "ga-akn/session-78-scan.zip": (png, None, "unpack", None, ["not a zip archive"]),
        # XML
        "extra/A_RES_78_229_corrected.xml": (xml229[:cut], 78, "parse", None, ["malformed XML at line", "column"]),
        "extra/session-78-page.xml": (b"<html><body><p>A/RES/78/1</p></body></html>", None, "unpack", None,
                                    ["XML but not Akoma Ntoso", "<html>"]),
        "extra/A_RES_78_report.xml": (xml229.replace(b'<statement name="resolution">', b'<statement name="report">'),
                                      78, "parse", None, ["'report'", "not a resolution"]),
        "extra/session-78-empty.xml": (b"", None, "unpack", None, ["empty file (0 bytes)"]),
        "extra/session-78-scan.xml": (png, None, "unpack", None, ["binary", "NUL byte"]),
        "extra/A_RES_78_229-cp1252.xml": (xml_cp1252, 78, "parse", None,
                                          ["not UTF-8", first_non_ascii(xml_cp1252), "Windows-1252",
                                           "no encoding declared"]),
        "extra/A_RES_78_229-utf16.xml": (xml229.decode().encode("utf-16-le"), None, "unpack", None,
                                         ["wrong encoding", "UTF-16LE without a byte-order mark"]),
        # text extracted from PDFs
        "text/A_RES_78_229-cp1252.md": (text_cp1252, 78, "parse", None,
                                        ["not UTF-8", first_non_ascii(text_cp1252), "line", "Windows-1252"]),
        "text/A_RES_78_229-utf16.txt": (text229.encode("utf-16-le"), None, "unpack", None,
                                        ["wrong encoding", "UTF-16LE without a byte-order mark"]),
        "text/A_RES_78_1.md": (b"   \n\n", None, "unpack", None, ["empty file"]),
        "text/A_RES_78_2.txt": (png, None, "unpack", None, ["binary file", "NUL byte at offset 8"]),
        "text/A_RES_78_3.md": (b"Minutes of the Fifth Committee\n\nNothing adopted.\n", None, "unpack", None,
                               ["not a General Assembly resolution"]),
        # unknown formats
        "extra/session-78-notes.docx": (b"PK\x03\x04 word", None, "unpack", None, ["unknown format", ".docx"]),
        # a PDF is read since issue 16 (tests/test_pdf.py); a broken one is quarantined with the reason
        "inbox/notes.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", None, "unpack", None,
                            ["corrupt or truncated PDF"]),
        # metadata
        "ga-akn/metadata/session-78-broken.json": (b"{not json\n[1, 2]\n", None, "unpack", None,
                                                   ["no line describes a readable resolution", "line 1: not valid JSON"]),
        # duplicates: byte-identical copies of a loaded file (sorted after the original)
        "resend/A_RES_78_1_E.xml": (xml1, 78, "select", None,
                                    ["duplicate", f"same bytes as {ZIP78}!{MEMBER_1}", "A/RES/78/1"]),
        "resend/session-78-metadata.json": (meta, 78, "select", None,
                                            ["duplicate", "same bytes as ga-akn/metadata/78.json"]),
        # no session in the name, and the content is itself broken: the reason names the defect
        "inbox/resolution.xml": (xml229[:400], None, "unpack", None, ["malformed XML at line"]),
        "inbox/scan.md": (png, None, "unpack", None, ["binary file"]),
        "inbox/empty.txt": (b"", None, "unpack", None, ["empty file"]),
        "inbox/archive.zip": (whole[:5000], None, "unpack", None, ["truncated", "zip"]),
        "inbox/notes.xml": (b"<notes>hello</notes>", None, "unpack", None, ["not Akoma Ntoso", "<notes>"]),
    }


def landing_hashes(paths: Paths) -> dict[str, str]:
    return {p.relative_to(paths.landing).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(paths.landing.rglob("*")) if p.is_file()}


def rejected(paths: Paths) -> dict[tuple[str, str | None], tuple]:
    """(source_path, member) -> (session, stage, reason, sha256, rejected_at) from the snapshot's ops.rejected."""
    with snapshot(paths) as con:
        rows = con.execute("SELECT source_path, member, session, stage, reason, sha256, rejected_at "
                           "FROM ops.rejected ORDER BY ALL").fetchall()
    out = {(p, m): rest for p, m, *rest in rows}
    assert len(out) == len(rows), f"a file rejected more than once: {rows}"
    return out


def check_suites(paths: Paths) -> None:
    """The published snapshot passes the quality suites (expectations/, Great Expectations)."""
    with snapshot(paths) as con:
        result = run_suites(con, workers=0)
    assert result.blocking_failures == [], result.summary()
    # The raw layer's suite runs on the working warehouse (the snapshot has no raw schema).
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        result = run_suites(con, suites=["raw"], workers=0)
    finally:
        con.close()
    assert result.blocking_failures == [] and not result.skipped, result.summary()


def test_every_kind_of_bad_file_is_quarantined_and_the_rest_loads(tmp_path):
    paths = make_data_dir(tmp_path / "data", [78])
    bad = bad_files()
    for key, (data, *_rest) in bad.items():
        if "|" in key:
            continue  # a second member of an archive written above
        target = paths.landing / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # Good beside the bad: the text of 78/229 saved by Windows as "Unicode" (UTF-16 with a BOM)
    # is read, kept as a text version of the resolution, and compared with its XML.
    text229 = (BUNDLED / "text" / "A_RES_78_229.md").read_bytes().decode("utf-8")
    (paths.landing / "text" / "A_RES_78_229.md").write_bytes(text229.encode("utf-16"))
    before = landing_hashes(paths)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    summary, said = build(paths)

    # The build completed, and every good resolution is loaded.
    assert summary["tables"]["core.dim_resolution"] == 332
    with snapshot(paths) as con:
        assert {r[0] for r in con.execute("SELECT symbol FROM core.dim_resolution").fetchall()} == english_symbols()
        assert con.execute("SELECT count(*) FROM core.text_reconciliation WHERE symbol = 'A/RES/78/229'"
                           ).fetchone() == (1,)
        assert con.execute("SELECT sessions FROM ops.build_info").fetchone() == ("78",)

    # Every bad file is in the rejected table, with its session, stage, reason and time.
    got = rejected(paths)
    expected = {(key.split("|")[0], member): (session, stage, words)
                for key, (_, session, stage, member, words) in bad.items()}
    assert set(got) == set(expected), (set(got) ^ set(expected))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for where, (session, stage, words) in expected.items():
        r_session, r_stage, reason, sha, at = got[where]
        assert (r_session, r_stage) == (session, stage), (where, reason)
        assert all(w in reason for w in words), (where, reason)
        assert started <= at <= now
        if where[1] is None:  # the file itself: its sha256 is the landed bytes'
            assert sha == before[where[0]], where

    # The raw file is kept: landing is untouched, and a document refused by its parser keeps its
    # bytes in raw.document (the quarantine points at them by path and sha256).
    assert landing_hashes(paths) == before
    with warehouse(paths) as con:
        for (path, member), (session, stage, *_r) in got.items():
            if stage in ("parse", "select"):  # (an empty file, at unpack, has no bytes to keep)
                content = con.execute("SELECT content FROM raw.document WHERE source_path = ? AND member IS NOT "
                                      "DISTINCT FROM ?", [path, member]).fetchone()
                assert content is not None and content[0] == (paths.landing / path).read_bytes(), path
        # Unplaced files are recorded as landed files too, with their hash.
        assert set(con.execute("SELECT source_path, sha256 FROM raw.source_file WHERE session IS NULL").fetchall()) \
            == {(p, before[p]) for (p, _m), v in expected.items() if v[0] is None}
        # The duplicate keeps its staging status too.
        assert con.execute(
            "SELECT s.status, s.reason FROM staging.document_status s JOIN raw.document d USING (document_id) "
            "WHERE d.source_path = 'resend/A_RES_78_1_E.xml'").fetchall() == [
            ("duplicate", f"same bytes as {ZIP78}!{MEMBER_1}")]
    check_suites(paths)

    # Fixed: the truncated 78/229 replaced by the whole file as reissued (a later publication
    # date), and the cp1252 text saved again as UTF-8. Both load and leave the rejected table.
    reissued = zip_member(MEMBER_229).replace(PUBLISHED_229, b'<FRBRdate date="2024-02-15" name="publication">')
    (paths.landing / "extra" / "A_RES_78_229_corrected.xml").write_bytes(reissued)
    (paths.landing / "text" / "A_RES_78_229-cp1252.md").write_text(text229, encoding="utf-8")
    summary, said = build(paths)
    assert summary["tables"]["core.dim_resolution"] == 332
    fixed = rejected(paths)
    assert set(fixed) == set(got) - {("extra/A_RES_78_229_corrected.xml", None), ("text/A_RES_78_229-cp1252.md", None)}
    # The others stay as they were. The unplaced ones keep their time too; session 78 was
    # unpacked again (two of its files changed), so its rejections were recorded again.
    assert {k: v[:4] for k, v in fixed.items()} == {k: got[k][:4] for k in fixed}
    assert {k: v for k, v in fixed.items() if v[0] is None} == {k: got[k] for k in fixed if got[k][0] is None}
    with snapshot(paths) as con:
        assert con.execute("SELECT published_on::VARCHAR FROM core.dim_resolution WHERE symbol = 'A/RES/78/229'"
                           ).fetchone() == ("2024-02-15",)
    with warehouse(paths) as con:
        statuses = dict(con.execute(
            "SELECT d.source_path || coalesce('!' || d.member, ''), s.status FROM staging.document_status s "
            "JOIN raw.document d USING (document_id) WHERE s.symbol = 'A/RES/78/229'").fetchall())
    assert statuses == {"extra/A_RES_78_229_corrected.xml": "current", f"{ZIP78}!{MEMBER_229}": "superseded",
                        "text/A_RES_78_229.md": "superseded", "text/A_RES_78_229-cp1252.md": "superseded"}

    # Nothing changed: nothing is rebuilt, the quarantine and the star schema stay as they are.
    with snapshot(paths) as con:
        core_before = con.execute("SELECT count(*), sum(hash(t)::HUGEINT) FROM core.fact_paragraph t").fetchone()
    summary, said = build(paths)
    assert "[1/1] session 78: raw unchanged, staging unchanged, core unchanged, enrich unchanged, marts unchanged" \
        in said, said
    assert rejected(paths) == fixed
    with snapshot(paths) as con:
        assert con.execute("SELECT count(*), sum(hash(t)::HUGEINT) FROM core.fact_paragraph t").fetchone() \
            == core_before
    changed = {k for k, v in landing_hashes(paths).items() if before.get(k) != v}
    assert changed == {"extra/A_RES_78_229_corrected.xml", "text/A_RES_78_229-cp1252.md"}


# -- a file name never makes a session (issue 14) ------------------------------------------
def session_rows(con, session: int) -> dict[str, int]:
    """Rows naming ``session`` in every table of a database: its session columns and session lists."""
    columns = con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND column_name IN ('session', 'resolution_session', 'sessions') "
        "ORDER BY ALL").fetchall()
    found = {}
    for schema, table, column, data_type in columns:
        # Names from the catalogue of our own tables; the value is bound.
        where = (f'list_contains("{column}", ?)' if data_type.endswith("[]")
                 else f'"{column}"::VARCHAR = ?::VARCHAR')
        n = con.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE {where}', [session]).fetchone()[0]
        if n:
            found[f"{schema}.{table}.{column}"] = n
    return found


def future_resolution() -> bytes:
    """78/229 as if adopted at session 99: well formed, its content names a session not yet open."""
    xml = zip_member(MEMBER_229).replace(b"A/RES/78/229", b"A/RES/99/229").replace(b"/78-229/", b"/99-229/")
    assert b"A/RES/99/229" in xml and b"/99-229/" in xml
    return xml


def test_badly_named_bad_files_create_no_session(tmp_path):
    """Issue 14: beside session 78, six kinds of bad file named as if they were session 99's.

    None of them makes a session 99: no partition, no row anywhere in the warehouse or the
    snapshot, the snapshot published with every good resolution. Each is quarantined with
    its reason, by what its content is: a Latin-1 text that prints 78/229 is session 78's
    and refused by the text parser there. A well-formed resolution whose content names
    session 99, a session that has not opened yet, is quarantined with that reason, loose or
    inside an archive. A second build changes nothing.
    """
    from orchestration.resources import UngaPaths
    from orchestration.sensors import session_fingerprints
    from transforms.discover import scan_landing

    paths = make_data_dir(tmp_path / "data", [78])
    whole = (BUNDLED / ZIP78).read_bytes()
    text229 = (BUNDLED / "text" / "A_RES_78_229.md").read_text(encoding="utf-8")
    latin1 = text229.encode("latin-1", errors="replace")
    assert b"\xb9" in latin1  # superscript footnote markers: Latin-1 bytes that are not UTF-8
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("99session/English/A_RES_99_229-E.xml", future_resolution())
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    bad = {  # path -> (bytes, session, stage, member, words the reason must hold)
        "inbox/A_RES_99_1-garbage.xml": (random.Random(99).randbytes(4096), None, "unpack", None, ["A_RES_99_1"]),
        "inbox/A_RES_99_2-empty.xml": (b"", None, "unpack", None, ["empty file (0 bytes)"]),
        "ga-akn/session-99-English.zip": (whole[: len(whole) // 3], None, "unpack", None, ["truncated", "zip"]),
        "inbox/A_RES_99_3-latin1.md": (latin1, 78, "parse", None, ["not UTF-8"]),
        "inbox/A_RES_99_4.xml": (b'<?xml version="1.0"?><report><symbol>A/RES/99/4</symbol></report>', None,
                                 "unpack", None, ["not Akoma Ntoso", "<report>"]),
        "inbox/A_RES_99_5.bin": (png, None, "unpack", None, ["unknown format", ".bin"]),
        "extra/A_RES_78_229-next.xml": (future_resolution(), None, "unpack", None,
                                        ["names session 99, which has not opened yet"]),
        "ga-akn/session-78-next.zip": (buf.getvalue(), None, "unpack", "99session/English/A_RES_99_229-E.xml",
                                       ["names session 99, which has not opened yet"]),
    }
    for rel, (data, *_r) in bad.items():
        (paths.landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (paths.landing / rel).write_bytes(data)
    before = landing_hashes(paths)

    # No partition: the sessions Dagster is given, and the landing sensor's, are 78 alone.
    assert sorted({s.session for s in scan_landing(paths.landing) if s.session is not None}) == [78]
    assert set(session_fingerprints(UngaPaths(data_dir=str(paths.root)))) == {"78"}

    summary, said = build(paths)
    assert summary["sessions"] == [78]
    assert summary["tables"]["core.dim_resolution"] == 332
    with snapshot(paths) as con:
        assert {r[0] for r in con.execute("SELECT symbol FROM core.dim_resolution").fetchall()} == english_symbols()
        assert con.execute("SELECT sessions FROM ops.build_info").fetchone() == ("78",)
        assert session_rows(con, 99) == {}
        assert con.execute("SELECT list(session) FROM core.dim_session").fetchone() == ([78],)
    with warehouse(paths) as con:
        assert session_rows(con, 99) == {}
        assert {r[0] for r in con.execute("SELECT DISTINCT session FROM raw.load_state").fetchall()} == {78}

    got = rejected(paths)
    assert set(got) == {(rel, member) for rel, (_d, _s, _st, member, _w) in bad.items()}
    for rel, (_data, session, stage, member, words) in bad.items():
        r_session, r_stage, reason, sha, _at = got[(rel, member)]
        assert (r_session, r_stage) == (session, stage), (rel, reason)
        assert all(w in reason for w in words), (rel, reason)
        if member is None:  # the quarantine keeps the landed bytes' sha256
            assert sha == before[rel], rel
    check_suites(paths)

    # A second build: nothing is rebuilt, and the quarantine is the same, to its times.
    summary, said = build(paths)
    assert "[1/1] session 78: raw unchanged, staging unchanged, core unchanged, enrich unchanged, marts unchanged" \
        in said, said
    assert summary["snapshot"] == "unchanged"
    assert rejected(paths) == got
    assert landing_hashes(paths) == before


def test_scan_places_each_member_and_line_by_its_own_content(tmp_path):
    """An archive may hold documents of several sessions, an extract lines of several: each goes
    where its content says, and what names a session not yet open goes nowhere, with that reason."""
    from transforms.discover import scan_landing

    with zipfile.ZipFile(BUNDLED / ZIP.format(76)) as zf:
        es_11_4 = zf.read("76session/English/A_RES_ES-11_4_2223239E.xml")  # adopted 12 October 2022
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mixed/A_RES_78_1_E.xml", zip_member(MEMBER_1))
        zf.writestr("mixed/ES-11_4.xml", es_11_4)
        zf.writestr("mixed/next.xml", future_resolution())
    lines = (BUNDLED / "ga-akn" / "metadata" / "78.json").read_text(encoding="utf-8").splitlines()[:2]
    future_line = lines[1].replace("A/RES/78/2", "A/RES/99/2")
    assert future_line != lines[1]
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "mixed.zip").write_bytes(buf.getvalue())
    (landing / "extract.json").write_text("\n".join([lines[0], future_line]) + "\n", encoding="utf-8")

    placed = {(s.path, s.session): s for s in scan_landing(landing, today=dt.date(2026, 12, 7))}
    assert set(placed) == {("mixed.zip", 77), ("mixed.zip", 78), ("mixed.zip", None),
                           ("extract.json", 78), ("extract.json", None)}
    assert [m for m, _ in placed["mixed.zip", 77].documents] == ["mixed/ES-11_4.xml"]
    assert placed["mixed.zip", 77].documents[0][1] == hashlib.sha256(es_11_4).hexdigest()
    assert [m for m, _ in placed["mixed.zip", 78].documents] == ["mixed/A_RES_78_1_E.xml"]
    (why,) = placed["mixed.zip", None].rejections
    assert why.member == "mixed/next.xml" and "names session 99, which has not opened yet" in why.reason
    (why,) = placed["extract.json", None].rejections
    assert why.member is None and "line 2: A/RES/99/2 names session 99" in why.reason

    # Which sessions have opened depends on the day: on 1 June 2023 session 78 had not.
    early = {(s.path, s.session): s for s in scan_landing(landing, today=dt.date(2023, 6, 1))}
    assert set(early) == {("mixed.zip", 77), ("mixed.zip", None), ("extract.json", None)}
    assert {r.member for r in early["mixed.zip", None].rejections} == {"mixed/A_RES_78_1_E.xml", "mixed/next.xml"}
