"""Find what has landed and place it in sessions, without touching the warehouse.

The landing folder holds what DGACM ships (a zip per session, loose XML files such as
the emergency special sessions' folder), loose files a user dropped in, and DGACM's
metadata as JSON lines. Each source file becomes one or more documents (archive
members); anything unreadable becomes a rejection with its reason, so that the rest of
a run can go on.

**A file name never makes a session.** A document's session is read from its content:
an XML resolution's symbol (docNumber: A/RES/78/229 is session 78); for a special
(S-32) or emergency special (ES-11) session, which is reconvened across regular
sessions, the regular session in progress at its adoption date
(``transforms.symbols.regular_session_for``); a text's printed symbol; each metadata
line's own symbol and date. An archive is not one session: each member is placed by its
own content, so the session-76 zip may hold a resolution of session 77 (ES-11/4, adopted
12 October 2022) and a metadata extract may span sessions (ES-10.json: 78 and 79). A
document whose content names no session, or names one that has not opened yet (after
the regular session in progress today), is quarantined with that reason: a stray file
called ``A_RES_99_1.xml`` must not create a session 99 that then fails every suite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from transforms.akn import parse_akn
from transforms.metadata import line_sessions, open_sessions, parse_metadata_jsonl
from transforms.model import ParseError
from transforms.pdf import is_pdf, parse_text_version, session_from_pdf
from transforms.symbols import parse_date, regular_session_for
from transforms.textparse import session_from_text

XML_SUFFIXES = {".xml", ".akn"}
TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
# A resolution's PDF is a text version too (format "text"): its text layer is read by
# transforms.pdf and parsed like any extracted text; one that cannot be read is quarantined.
PDF_SUFFIXES = {".pdf"}
METADATA_SUFFIXES = {".json", ".jsonl", ".ndjson"}
ZIP_SUFFIXES = {".zip"}
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "README.md", "README.txt", ".gitkeep"}

_DOCNUMBER = re.compile(rb"<docNumber[^>]*>\s*A/RES/((?:E?S-)?\d+)/")
_FRBR_DATE = re.compile(rb'<FRBRdate\s+date="(\d{4}-\d{2}-\d{2})"\s+name="adoption"')
UNKNOWN_FORMAT = ("unknown format: {suffix} files are not read (expected .zip, .xml, .pdf, .md/.txt text "
                  "or .json lines)")


@dataclass(frozen=True)
class Rejection:
    source_path: str
    member: str | None
    sha256: str | None
    format: str
    reason: str


@dataclass(frozen=True)
class SourceFile:
    """A landed file, or the part of it that belongs to one session.

    A file whose documents belong to several sessions (an archive holding ES-11/4 beside
    session 76, a metadata extract spanning sessions) appears once per session, each
    entry listing the documents placed there; the part that belongs to no session (the
    whole of an unreadable file, an archive's unreadable members) is one more entry with
    ``session`` None and its ``rejections``. ``sha256`` and ``size_bytes`` are always the
    whole file's.
    """

    path: str  # relative to the landing folder, with forward slashes
    format: str  # akn-zip | akn-xml | text | dgacm-jsonl | unknown
    session: int | None
    size_bytes: int
    sha256: str
    # (archive member or None for the file itself, sha256 of its bytes) of each document placed in
    # ``session``; a metadata extract is placed whole in every session one of its lines belongs to.
    documents: tuple[tuple[str | None, str], ...] = ()
    # For session None: every part of the file that goes to no session, with the reason in words.
    rejections: tuple[Rejection, ...] = ()

    @property
    def problem(self) -> str | None:
        """Why the file itself was placed nowhere (None for a placed entry)."""
        whole = [r.reason for r in self.rejections if r.member is None]
        return whole[0] if whole else (self.rejections[0].reason if self.rejections else None)


@dataclass(frozen=True)
class Document:
    source_path: str
    member: str | None  # archive member, None for a loose file
    format: str  # akn-xml | text | dgacm-jsonl | unknown
    content: bytes
    sha256: str

    @property
    def location(self) -> str:
        return f"{self.source_path}!{self.member}" if self.member else self.source_path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return "akn-zip"
    if suffix in XML_SUFFIXES:
        return "akn-xml"
    if suffix in METADATA_SUFFIXES:
        return "dgacm-jsonl"
    if suffix in TEXT_SUFFIXES or suffix in PDF_SUFFIXES:
        return "text"
    return "unknown"


def session_from_xml(data: bytes) -> int | None:
    """Peek at a document's own symbol (and date, for special sessions) for its session."""
    head = data[:200_000]
    m = _DOCNUMBER.search(head)
    if not m:
        return None
    label = m.group(1).decode()
    if label.isdigit():
        return int(label)
    d = _FRBR_DATE.search(head)
    if not d:
        return None
    try:
        return regular_session_for(parse_date(d.group(1).decode()))
    except ValueError:  # "2023-13-45": no session from this peek; the parser names the bad date
        return None


def open_session(today: dt.date | None = None) -> int:
    """The latest session a document may belong to: the regular session in progress today."""
    return regular_session_for(today or dt.date.today())


def scan_landing(landing: Path, today: dt.date | None = None) -> list[SourceFile]:
    """Every file under the landing folder, placed in the sessions its content names, with its hash.

    ``today`` (default: the date now) says which sessions have opened. Placing an
    archive reads every member (about 1.3 s for the six bundled zips); the placement of a
    file is remembered by its path and sha256 for the life of the process, so the
    sensor and a build that scan again pay only for hashing.
    """
    landing = Path(landing)
    newest = open_session(today)
    files: list[SourceFile] = []
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        if path.name in _IGNORED_NAMES or path.name.startswith("."):
            continue
        rel = path.relative_to(landing).as_posix()
        data = path.read_bytes()
        digest = sha256(data)
        key = (rel, digest, newest)
        placed = _PLACED.get(key)
        if placed is None:
            placed = _place_file(rel, data, digest, newest)
            if len(_PLACED) >= _PLACED_MAX:
                _PLACED.clear()
            _PLACED[key] = placed
        files.extend(placed)
    return files


# (path, sha256, open session) -> the file's entries: placing is pure, so a file with the same
# bytes at the same path is placed the same way while no new session opens.
_PLACED: dict[tuple[str, str, int], tuple[SourceFile, ...]] = {}
_PLACED_MAX = 100_000


def _place_file(rel: str, data: bytes, digest: str, newest: int) -> tuple[SourceFile, ...]:
    fmt = format_of(rel)
    size = len(data)
    if fmt == "unknown":
        reason = UNKNOWN_FORMAT.format(suffix=Path(rel).suffix or "no suffix")
        return (SourceFile(rel, fmt, None, size, digest, rejections=(Rejection(rel, None, digest, fmt, reason),)),)
    if fmt == "akn-zip":
        by_session, rejects = _place_zip(rel, data, newest)
    elif not data:
        by_session, rejects = {}, [Rejection(rel, None, digest, fmt, "empty file (0 bytes)")]
    else:
        sessions, reason = place_document(fmt, data, rel, newest)
        by_session = {s: [(None, digest)] for s in sessions}
        rejects = [Rejection(rel, None, digest, fmt, reason)] if reason else []
    entries = [SourceFile(rel, fmt, s, size, digest, documents=tuple(docs))
               for s, docs in sorted(by_session.items())]
    if rejects or not entries:
        rejects = rejects or [Rejection(rel, None, digest, fmt, "no document in the file")]
        entries.append(SourceFile(rel, fmt, None, size, digest, rejections=tuple(rejects)))
    return tuple(entries)


def place_document(fmt: str, data: bytes, name: str, newest: int) -> tuple[list[int], str | None]:
    """The sessions one document belongs to, and why (some of) it belongs to none.

    XML and text go to one session: the one their symbol names, read by the parser, or
    by a peek at the symbol when it cannot parse (the parser's reason is then recorded
    in that session's quarantine, where the document is kept). A metadata extract goes
    to every session one of its lines names; lines of a session not yet open are not
    loaded and are named in the reason.
    """
    if fmt == "dgacm-jsonl":
        return _place_metadata(data, name, newest)
    sessions, problem = _document_sessions(fmt, data, name)
    if not sessions:
        return [], problem or (f"{name}: no GA session found: the document names none (is it a General "
                               "Assembly resolution?)")
    if len(sessions) > 1:
        return [], (f"{name}: its parts name different sessions ({', '.join(map(str, sorted(sessions)))}); "
                    "a document belongs to one session")
    (session,) = sessions
    unopened = _not_open(session, newest)
    return ([], f"{name}: {unopened}") if unopened else ([session], None)


def _not_open(session: int, newest: int) -> str | None:
    if session < 1:
        return f"names session {session}, which is not a General Assembly session"
    if session > newest:
        return (f"names session {session}, which has not opened yet (the regular session in progress is "
                f"session {newest})")
    return None


def _document_sessions(fmt: str, data: bytes, name: str) -> tuple[set[int], str | None]:
    """The sessions an XML or text document's statements belong to, or why none can be told."""
    if fmt == "akn-xml":
        m = _DOCNUMBER.search(data[:200_000])
        if m and m.group(1).isdigit():  # a regular session's symbol: its number is the session
            return {int(m.group(1))}, None
        # A special session's, or no symbol at first sight: the parser reads the adoption date
        # the way staging will (the conclusions' date before the FRBR URI's).
        try:
            return {r.session for r in parse_akn(data, name)}, None
        except ParseError as exc:
            peeked = session_from_xml(data)
            return ({peeked}, None) if peeked is not None else (set(), str(exc))
    try:
        return {parse_text_version(data, name).session}, None
    except ParseError as exc:
        peeked = session_from_pdf(data, name) if is_pdf(data, name) else session_from_text(data)
        return ({peeked}, None) if peeked is not None else (set(), str(exc))


def _place_metadata(data: bytes, name: str, newest: int) -> tuple[list[int], str | None]:
    try:
        lines = line_sessions(data, name)
    except ParseError as exc:
        return [], str(exc)
    sessions = open_sessions(lines, newest)
    unopened = [(n, symbol, s) for n, symbol, s in lines if s is not None and _not_open(s, newest)]
    reason = None
    if unopened:
        shown = "; ".join(f"line {n}: {symbol} {_not_open(s, newest)}" for n, symbol, s in unopened[:5])
        more = f"; and {len(unopened) - 5} more" if len(unopened) > 5 else ""
        reason = f"{name}: lines not loaded ({len(unopened)}): {shown}{more}"
    if not sessions and reason is None:
        try:
            parse_metadata_jsonl(data, name)
        except ParseError as exc:
            return [], str(exc)
        reason = f"{name}: DGACM metadata whose lines name no GA session (no readable symbol and date)"
    return sessions, reason


# Errors reading a damaged archive: zipfile's own, a short read, bad deflate data, an encrypted or
# unsupported member.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError, NotImplementedError,
              IndexError, KeyError, OverflowError)


def zip_problem(data: bytes) -> str | None:
    """What is wrong with a zip archive as a whole, or None when it opens."""
    if not data:
        return "empty file (0 bytes), not a zip archive"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.infolist()
    except ZIP_ERRORS as exc:
        if not data.startswith(b"PK"):
            return f"not a zip archive (it starts with {data[:8]!r}): {exc}"
        return f"corrupt or truncated zip archive ({len(data)} bytes, no readable central directory): {exc}"
    return None


def _members(path: str, data: bytes, wanted: set[str] | None = None):
    """Each member of an archive as a Document, or a Rejection saying why it cannot be read.

    ``wanted`` limits the reading to the named members (the raw layer of one session
    unpacks only what was placed there). The archive must open (see ``zip_problem``).
    """
    seen: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for number, info in enumerate(zf.infolist(), start=1):
            name = info.filename
            if wanted is not None and name not in wanted:
                continue
            if not name:  # ZipInfo.is_dir() raises IndexError on an empty name
                yield Rejection(path, f"(member {number})", None, "unknown",
                                f"corrupt zip: archive member {number} has no file name")
                continue
            if name.endswith("/"):
                continue
            if Path(name).name in _IGNORED_NAMES or Path(name).name.startswith("."):
                continue
            fmt = format_of(name)
            if name in seen:
                yield Rejection(path, name, None, fmt,
                                f"duplicate: the archive holds a second member named {name}; the first is read")
                continue
            seen.add(name)
            try:
                content = zf.read(info)
            except ZIP_ERRORS as exc:
                yield Rejection(path, name, None, fmt,
                                f"archive member cannot be read (corrupt or truncated zip): {exc}")
                continue
            if not content:
                yield Rejection(path, name, sha256(content), fmt, "empty file (0 bytes) inside archive")
                continue
            if fmt == "unknown":
                yield Rejection(path, name, sha256(content), fmt,
                                f"unknown format inside archive: {Path(name).suffix or 'no suffix'}")
                continue
            yield Document(path, name, fmt, content, sha256(content))


def _place_zip(path: str, data: bytes, newest: int) -> tuple[dict[int, list], list[Rejection]]:
    """Each member of an archive placed by its own content: {session: [(member, sha256)]}, rejections."""
    problem = zip_problem(data)
    if problem:
        return {}, [Rejection(path, None, sha256(data), "akn-zip", problem)]
    by_session: dict[int, list] = {}
    rejects: list[Rejection] = []
    try:
        items = list(_members(path, data))
    except ZIP_ERRORS as exc:  # the directory opened, then reading it failed
        return {}, [Rejection(path, None, sha256(data), "akn-zip", f"corrupt or truncated zip archive: {exc}")]
    for item in items:
        if isinstance(item, Rejection):
            rejects.append(item)
            continue
        sessions, reason = place_document(item.format, item.content, item.location, newest)
        for s in sessions:
            by_session.setdefault(s, []).append((item.member, item.sha256))
        if reason:
            rejects.append(Rejection(path, item.member, item.sha256, item.format, reason))
    if not by_session and not rejects:
        rejects.append(Rejection(path, None, sha256(data), "akn-zip", "the zip archive holds no document"))
    return by_session, rejects


def unpack(landing: Path, source: SourceFile) -> tuple[list[Document], list[Rejection]]:
    """The documents of a source file placed in its session, and those that can no longer be read.

    An entry with no session has no documents: its rejections were decided by the scan.
    """
    if source.session is None or not source.documents:
        return [], list(source.rejections)
    data = (Path(landing) / source.path).read_bytes()
    if source.format != "akn-zip":
        return [Document(source.path, None, source.format, data, sha256(data))], []
    wanted = {member for member, _ in source.documents}
    docs: list[Document] = []
    rejects: list[Rejection] = []
    try:
        for item in _members(source.path, data, wanted):
            (rejects if isinstance(item, Rejection) else docs).append(item)
    except ZIP_ERRORS as exc:  # the archive changed since the scan and no longer opens
        return [], [Rejection(source.path, None, sha256(data), "akn-zip", f"corrupt or truncated zip archive: {exc}")]
    return docs, rejects
