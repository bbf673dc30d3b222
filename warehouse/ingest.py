"""The raw and staging layers of a session: what landed, unpacked and parsed.

raw keeps every landed document's bytes and sha256 (and quarantines what cannot be read,
with its reason); staging holds the parsers' output per document, reissues and duplicates
ranked, one current text per symbol. Each layer of a session is replaced in one
transaction and remembers a fingerprint of its inputs (raw.load_state): the documents
placed in the session and the unpacker; for staging, raw's and the parsers' code
(STAGING_CODE). From core on, the tables are the models of warehouse/models, built by
warehouse/pipeline.py.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import polars as pl

from transforms import discover as discover_module
from transforms import extract
from transforms.discover import Document, Rejection, SourceFile, open_session, scan_landing, unpack
from transforms.frames import resolution_frames
from transforms.metadata import line_sessions, parse_metadata_jsonl, rows_of_session
from transforms.model import ParseError
from transforms.reconcile import reconcile
from transforms.select import Candidate, choose_current
from warehouse import db
from transforms.memory import release_freed_memory
from warehouse.registry import code_files
from warehouse.steps import LayerResult, invalidate_after, layer_state, now, set_layer_state

STAGING_TABLES = ("resolution", "paragraph", "subparagraph", "footnote", "citation", "sponsor", "vote", "keyword")
RECONCILIATION_TABLES = ("text_reconciliation", "text_reconciliation_paragraph", "text_reconciliation_footnote")

_REISSUE = re.compile(r"reissue", re.IGNORECASE)
_TRANSFORMS = Path(__file__).resolve().parent.parent / "transforms"
# The code the staging layer comes from: the parsers and what they import (not the
# extractors of the enrich step, which the models name), and the staging tables' DDL.
STAGING_CODE = ("transforms.akn", "transforms.pdf", "transforms.metadata", "transforms.select",
                "transforms.reconcile", "transforms.frames", "transforms/extract.py", "transforms/data",
                "warehouse/sql/ddl/020_staging.sql")

def staging_version() -> str:
    """A hash of the parsers' code: a change re-parses every session (STAGING_CODE)."""
    h = hashlib.sha256()
    for path in sorted(code_files(STAGING_CODE)):
        h.update(path.relative_to(_TRANSFORMS.parent).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]



def document_id(session: int, source_path: str, member: str | None, sha: str) -> str:
    """A document as placed in a session: a metadata extract spanning sessions is one document in each."""
    return hashlib.sha256(f"{session}\x00{source_path}\x00{member or ''}\x00{sha}".encode()).hexdigest()[:32]



# -- landing ---------------------------------------------------------------------
def landing_sessions(landing: Path) -> list[int]:
    return sorted({s.session for s in scan_landing(landing) if s.session is not None})


def record_unplaced(con, sources: list[SourceFile]) -> int:
    """What belongs to no session is quarantined globally (session null).

    A file, or an archive member or metadata line, whose content names no session, or a
    session that has not opened yet, or that cannot be read at all (scan_landing says
    which and why): the file is recorded in raw.source_file with session null (with its
    size and sha256) like every landed file, and each part in raw.rejected with its
    reason and sha256. Rows that still hold are left alone, so a re-run with nothing
    changed changes nothing (not even the rejection times).
    """
    unplaced = [s for s in sources if s.session is None]
    rejects = [r for s in unplaced for r in s.rejections]
    old_rejects = set(con.execute(
        "SELECT source_path, member, sha256, format, reason FROM raw.rejected WHERE session IS NULL").fetchall())
    new_rejects = {(r.source_path, r.member, r.sha256, r.format, r.reason) for r in rejects}
    old_files = set(con.execute("SELECT source_path, sha256 FROM raw.source_file WHERE session IS NULL").fetchall())
    new_files = {(s.path, s.sha256) for s in unplaced}
    with db.transaction(con):
        for path, member, sha, fmt, reason in old_rejects - new_rejects:
            con.execute("DELETE FROM raw.rejected WHERE session IS NULL AND source_path = ? AND member IS NOT "
                        "DISTINCT FROM ? AND sha256 IS NOT DISTINCT FROM ? AND format IS NOT DISTINCT FROM ? "
                        "AND reason = ?", [path, member, sha, fmt, reason])
        _insert_rejections(con, None, "unpack", [
            r for r in rejects if (r.source_path, r.member, r.sha256, r.format, r.reason) not in old_rejects])
        for path, sha in old_files - new_files:
            con.execute("DELETE FROM raw.source_file WHERE session IS NULL AND source_path = ? AND sha256 = ?",
                        [path, sha])
        added = [s for s in unplaced if (s.path, s.sha256) not in old_files]
        if added:
            db.insert_frame(con, "raw.source_file", pl.DataFrame(
                {"source_path": [s.path for s in added], "session": [None] * len(added),
                 "format": [s.format for s in added], "size_bytes": [s.size_bytes for s in added],
                 "sha256": [s.sha256 for s in added], "recorded_at": [now()] * len(added)},
                schema_overrides={"session": pl.Int32}))
    return len(rejects)


def _insert_rejections(con, session: int | None, stage: str, rejects: list[Rejection]) -> None:
    if not rejects:
        return
    frame = pl.DataFrame(
        {
            "session": [session] * len(rejects),
            "source_path": [r.source_path for r in rejects],
            "member": [r.member for r in rejects],
            "sha256": [r.sha256 for r in rejects],
            "format": [r.format for r in rejects],
            "stage": [stage] * len(rejects),
            "reason": [r.reason for r in rejects],
            "rejected_at": [now()] * len(rejects),
        },
        schema_overrides={"session": pl.Int32, "member": pl.Utf8, "sha256": pl.Utf8},
    )
    db.insert_frame(con, "raw.rejected", frame)


def session_documents(session: int, sources: list[SourceFile]) -> list[str]:
    """What landed for a session, document by document: path, archive member and sha256.

    By document, not by file: an archive whose member of another session changed (the
    session-76 zip's ES-11/4, which belongs to session 77) leaves this session's list as
    it was. A metadata extract is one document, placed in each session it has lines for.
    """
    return sorted(f"{s.path}\t{member or ''}\t{sha}" for s in sources if s.session == session
                  for member, sha in s.documents)


def raw_fingerprint(session: int, sources: list[SourceFile]) -> str:
    """The raw layer's fingerprint of a session: the documents placed in it, and the unpacker."""
    # The unpacking code is part of the input: a change to it places and unpacks the files again.
    unpacker = hashlib.sha256(Path(discover_module.__file__).read_bytes()).hexdigest()
    return hashlib.sha256("\n".join([unpacker, *session_documents(session, sources)]).encode()).hexdigest()



def load_raw(con, landing: Path, session: int, sources: list[SourceFile], force: bool = False) -> LayerResult:
    """Land the documents placed in a session (bytes kept), as scan_landing placed them by their content."""
    mine = sorted((s for s in sources if s.session == session), key=lambda s: s.path)
    fingerprint = raw_fingerprint(session, sources)
    if not force and layer_state(con, session, "raw") == fingerprint:
        return LayerResult(session, "raw", True)
    docs: list[Document] = []
    rejects: list[Rejection] = []
    for s in mine:
        d, r = unpack(landing, s)
        docs.extend(d)
        rejects.extend(r)
    recorded = now()
    frame = pl.DataFrame(
        {
            "document_id": [document_id(session, d.source_path, d.member, d.sha256) for d in docs],
            "session": [session] * len(docs),
            "source_path": [d.source_path for d in docs],
            "member": [d.member for d in docs],
            "format": [d.format for d in docs],
            "size_bytes": [len(d.content) for d in docs],
            "sha256": [d.sha256 for d in docs],
            "content": [d.content for d in docs],
            "recorded_at": [recorded] * len(docs),
        },
        schema_overrides={"member": pl.Utf8, "content": pl.Binary, "session": pl.Int32},
    )
    sources_frame = pl.DataFrame(
        {
            "source_path": [s.path for s in mine],
            "session": [s.session for s in mine],
            "format": [s.format for s in mine],
            "size_bytes": [s.size_bytes for s in mine],
            "sha256": [s.sha256 for s in mine],
            "recorded_at": [recorded] * len(mine),
        },
        schema_overrides={"session": pl.Int32},
    )
    with db.transaction(con):
        con.execute("DELETE FROM raw.document WHERE session = ?", [session])
        con.execute("DELETE FROM raw.source_file WHERE session = ?", [session])
        con.execute("DELETE FROM raw.rejected WHERE session = ? AND stage = 'unpack'", [session])
        db.insert_frame(con, "raw.document", frame)
        db.insert_frame(con, "raw.source_file", sources_frame)
        _insert_rejections(con, session, "unpack", rejects)
        set_layer_state(con, session, "raw", fingerprint)
        invalidate_after(con, session, "raw")
    return LayerResult(session, "raw", False, {"sources": len(mine), "documents": len(docs), "rejected": len(rejects)})


# -- staging ---------------------------------------------------------------------
def build_staging(con, session: int, force: bool = False) -> LayerResult:
    """Parse a session's documents into staging and choose the current text of each symbol."""
    raw_fp = layer_state(con, session, "raw")
    if raw_fp is None:
        raise RuntimeError(f"session {session}: raw layer not loaded")
    fingerprint = f"{raw_fp}:{staging_version()}"
    if not force and layer_state(con, session, "staging") == fingerprint:
        return LayerResult(session, "staging", True)
    rows = con.execute(
        "SELECT document_id, source_path, member, format, sha256, content FROM raw.document "
        "WHERE session = ? ORDER BY source_path, member",
        [session],
    ).fetchall()
    candidates: list[Candidate] = []
    rejects: list[Rejection] = []
    duplicates: list[Rejection] = []  # byte-identical copies, quarantined at stage 'select'
    metadata_seen: dict[str, str] = {}  # sha256 -> location of the first copy of a metadata file
    metadata_frames, problem_frames = [], []
    # Parsing is the CPU-bound part: it runs over the worker processes, in document order.
    parsed_docs = iter(extract.parse_documents(
        [(fmt, content, f"{source_path}!{member}" if member else source_path)
         for _, source_path, member, fmt, _, content in rows if fmt != "dgacm-jsonl"]))
    for doc_id, source_path, member, fmt, sha, content in rows:
        location = f"{source_path}!{member}" if member else source_path
        if fmt == "dgacm-jsonl":
            if sha in metadata_seen:
                duplicates.append(Rejection(source_path, member, sha, fmt,
                                            f"duplicate: the same bytes as {metadata_seen[sha]}, which is loaded"))
                continue
            metadata_seen[sha] = location
            try:
                meta, problems = parse_metadata_jsonl(content, location)
                # An extract may span sessions (ES-10.json: 78 and 79) and is placed whole in each:
                # this session keeps the rows of its own resolutions, and its share of the problems.
                meta, problems = rows_of_session(meta, problems, line_sessions(content, location), session,
                                                 open_session())
            except ParseError as exc:
                rejects.append(Rejection(source_path, member, sha, fmt, str(exc)))
                continue
            metadata_frames.append(meta.with_columns(document_id=pl.lit(doc_id)))
            if problems:
                problem_frames.append(pl.DataFrame(problems).with_columns(document_id=pl.lit(doc_id)))
            continue
        parsed = next(parsed_docs)
        if isinstance(parsed, str):  # the parser's reason for rejecting the document
            rejects.append(Rejection(source_path, member, sha, fmt, parsed))
            continue
        for res in parsed:
            if res.language != "eng":
                rejects.append(Rejection(source_path, member, sha, fmt,
                                         f"{res.symbol} in language {res.language!r}: the warehouse holds the "
                                         "English texts"))
                continue
            # scan_landing placed the document by what the parser reads here (a special or emergency
            # special session's resolution in the regular session in progress at its adoption, whatever
            # zip or folder it came in), so the two agree; a document placed by a peek at its symbol
            # because it did not parse is refused above with the parser's reason.
            if res.session != session:
                rejects.append(Rejection(source_path, member, sha, fmt,
                                         f"{res.symbol} belongs to session {res.session}, not to session "
                                         f"{session} where its content placed it"))
                continue
            res.is_reissue = bool(_REISSUE.search(location))
            candidates.append(Candidate(doc_id, sha, location, res))
    statuses = choose_current(candidates)
    # A byte-identical copy stays in staging.document_status as 'duplicate' and is also quarantined,
    # naming the copy that is loaded (one row per document, however many parts it holds).
    where = {doc_id: (source_path, member, fmt, sha) for doc_id, source_path, member, fmt, sha, _ in rows}
    located = {c.document_id: c.location for c in candidates}
    quarantined: set[str] = set()
    for st in statuses:
        if st.status == "duplicate" and st.document_id not in quarantined:
            quarantined.add(st.document_id)
            source_path, member, fmt, sha = where[st.document_id]
            duplicates.append(Rejection(source_path, member, sha, fmt,
                                        f"duplicate: the same bytes as {located[st.superseded_by]}, which is "
                                        f"loaded ({st.symbol})"))
    recon = reconcile_text_versions(candidates, statuses)
    frames = resolution_frames((c.document_id, c.resolution) for c in candidates)
    status_frame = pl.DataFrame(
        {
            "document_id": [s.document_id for s in statuses],
            "symbol": [s.symbol for s in statuses],
            "status": [s.status for s in statuses],
            "superseded_by": [s.superseded_by for s in statuses],
            "reason": [s.reason for s in statuses],
        },
        schema_overrides={"superseded_by": pl.Utf8, "reason": pl.Utf8},
    )
    counts = {}
    with db.transaction(con):
        for table in (*STAGING_TABLES, *RECONCILIATION_TABLES, "document_status", "metadata", "metadata_problem"):
            con.execute(f"DELETE FROM staging.{table} WHERE session = ?", [session])
        con.execute("DELETE FROM raw.rejected WHERE session = ? AND stage IN ('parse', 'select')", [session])
        # New documents or new parser code: what was held back is judged again.
        con.execute("DELETE FROM raw.held_back WHERE session = ?", [session])
        for table, frame in recon.items():
            counts[table] = db.insert_frame(con, f"staging.{table}", frame, session=session)
        for table in STAGING_TABLES:
            frame = frames[table]
            if table == "resolution":
                frame = frame.rename({"session": "resolution_session"})
            counts[table] = db.insert_frame(con, f"staging.{table}", frame, session=session)
        db.insert_frame(con, "staging.document_status", status_frame, session=session)
        if metadata_frames:
            meta = pl.concat(metadata_frames, how="diagonal_relaxed").rename({"session": "resolution_session"})
            counts["metadata"] = db.insert_frame(con, "staging.metadata", meta, session=session)
        if problem_frames:
            counts["metadata_problems"] = db.insert_frame(
                con, "staging.metadata_problem", pl.concat(problem_frames, how="diagonal_relaxed"), session=session
            )
        _insert_rejections(con, session, "parse", rejects)
        _insert_rejections(con, session, "select", duplicates)
        counts["rejected"] = len(rejects)
        counts["duplicates"] = len(duplicates)
        counts["superseded"] = sum(1 for s in statuses if s.status != "current")
        set_layer_state(con, session, "staging", fingerprint)
        invalidate_after(con, session, "staging")
    release_freed_memory()  # the session's parsed documents and frames, freed: back to the OS
    return LayerResult(session, "staging", False, counts)


def reconcile_text_versions(candidates: list[Candidate], statuses) -> dict[str, pl.DataFrame]:
    """Compare every text version with the current XML of its symbol."""
    current = {st.symbol: st.document_id for st in statuses if st.status == "current"}
    by_id = {(c.document_id, c.resolution.symbol): c for c in candidates}
    summaries, paragraphs, footnotes = [], [], []
    for c in candidates:
        if c.resolution.source_format != "text":
            continue
        xml = by_id.get((current.get(c.resolution.symbol), c.resolution.symbol))
        if xml is None or xml.resolution.source_format != "xml":
            continue
        rec = reconcile(xml.resolution, c.resolution, text_document_id=c.document_id,
                        xml_document_id=xml.document_id)
        summaries.append({**rec.summary, "text_source": c.location})
        paragraphs.append(rec.paragraphs)
        footnotes.append(rec.footnotes)
    if not summaries:
        return {}
    return {
        "text_reconciliation": pl.DataFrame(summaries, infer_schema_length=None),
        "text_reconciliation_paragraph": pl.concat(paragraphs, how="vertical_relaxed"),
        "text_reconciliation_footnote": pl.concat(footnotes, how="vertical_relaxed"),
    }


