"""Find what has landed and unpack it into documents, without touching the warehouse.

The landing folder holds what DGACM ships (a zip per session), loose XML files a
user dropped in, and DGACM's metadata as JSON lines. Each source file becomes one
or more documents (archive members); anything unreadable becomes a rejection with
its reason, so that the rest of a run can go on.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from transforms.symbols import parse_date, regular_session_for

XML_SUFFIXES = {".xml", ".akn"}
TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
METADATA_SUFFIXES = {".json", ".jsonl", ".ndjson"}
ZIP_SUFFIXES = {".zip"}
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "README.md", "README.txt", ".gitkeep"}

_SESSION_IN_NAME = re.compile(r"(?:session[-_ ]?(\d{2,3})\b|\b(\d{2,3})session\b)", re.IGNORECASE)
_DOCNUMBER = re.compile(rb"<docNumber[^>]*>\s*A/RES/((?:E?S-)?\d+)/")
_SYMBOL_IN_NAME = re.compile(r"A_RES_(\d{2,3})_\d+", re.IGNORECASE)
# In text from a PDF: "A/RES/78/229" on the cover, or "78/229." opening the title.
_TEXT_SYMBOL = re.compile(r"(?:A/RES/(\d{2,3})/\d{1,4}\b|(?:^|[\s*#_])(\d{2,3})/\d{1,4}\.\s)")
_FRBR_DATE = re.compile(rb'<FRBRdate\s+date="(\d{4}-\d{2}-\d{2})"\s+name="adoption"')


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the landing folder, with forward slashes
    format: str  # akn-zip | akn-xml | text | dgacm-jsonl | unknown
    session: int | None
    size_bytes: int
    sha256: str
    # Why no session could be told, when the file itself is the reason (corrupt, empty, not a
    # resolution): the quarantine names that rather than the missing session.
    problem: str | None = None


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


@dataclass(frozen=True)
class Rejection:
    source_path: str
    member: str | None
    sha256: str | None
    format: str
    reason: str


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
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "unknown"


def session_from_name(name: str) -> int | None:
    for m in _SESSION_IN_NAME.finditer(name):
        return int(m.group(1) or m.group(2))
    stem = Path(name).stem
    if stem.isdigit() and 1 <= int(stem) <= 200:  # metadata/78.json
        return int(stem)
    m = _SYMBOL_IN_NAME.search(Path(name).name)
    return int(m.group(1)) if m else None


def session_from_text(data: bytes) -> int | None:
    """The session of a text resolution, from the symbol it prints."""
    from transforms.textparse import bom_encoding

    encoding = bom_encoding(data) or "utf-8"
    width = 4 if "32" in encoding else 2 if "16" in encoding else 1
    head = data[: 20_000 * width].decode(encoding, errors="replace")
    m = _TEXT_SYMBOL.search(head)
    return int(m.group(1) or m.group(2)) if m else None


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


def scan_landing(landing: Path) -> list[SourceFile]:
    """Every file under the landing folder, with its format, session and hash."""
    landing = Path(landing)
    files = []
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        if path.name in _IGNORED_NAMES or path.name.startswith("."):
            continue
        rel = path.relative_to(landing).as_posix()
        data = path.read_bytes()
        fmt = format_of(path.name)
        session = session_from_name(rel)
        problem = None
        if session is None and fmt == "akn-xml":
            session = session_from_xml(data)
        if session is None and fmt == "text":
            session = session_from_text(data)
        if session is None and fmt == "akn-zip":
            session = _session_from_zip(data)
        if session is None:
            session, problem = _diagnose(data, fmt, rel)
        files.append(SourceFile(rel, fmt, session, len(data), sha256(data), problem))
    return files


# Errors reading a damaged archive: zipfile's own, a short read, bad deflate data, an encrypted or
# unsupported member.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError, NotImplementedError,
              IndexError, KeyError, OverflowError)


def _diagnose(data: bytes, fmt: str, name: str) -> tuple[int | None, str | None]:
    """For a file whose session the quick looks could not tell: its session after all, or what is wrong.

    The quick looks (file name, a regex over the first bytes) fail on a defective file; the
    parser then says what the defect is, which is a better quarantine reason than "no session".
    """
    from transforms.akn import parse_akn
    from transforms.metadata import parse_metadata_jsonl
    from transforms.model import ParseError
    from transforms.textparse import parse_text

    try:
        if fmt == "akn-xml":
            return parse_akn(data, name)[0].session, None
        if fmt == "text":
            return parse_text(data, name).session, None
        if fmt == "dgacm-jsonl":
            parse_metadata_jsonl(data, name)
            return None, (f"{name}: DGACM metadata whose file name gives no session: name it after its "
                          "session (metadata/78.json)")
    except ParseError as exc:
        return None, str(exc)
    if fmt == "akn-zip":
        problem = zip_problem(data)
        if problem:
            return None, f"{name}: {problem}"
        return None, f"{name}: the zip archive holds no AKN XML file whose GA session can be read"
    return None, None


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


def _session_from_zip(data: bytes) -> int | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if not info.is_dir() and format_of(info.filename) == "akn-xml":
                    s = session_from_name(info.filename) or session_from_xml(zf.read(info))
                    if s:
                        return s
    except ZIP_ERRORS:
        return None
    return None


def unpack(landing: Path, source: SourceFile) -> tuple[list[Document], list[Rejection]]:
    """Documents inside one source file, and the parts of it that cannot be read."""
    data = (Path(landing) / source.path).read_bytes()
    if source.format == "akn-zip":
        return _unpack_zip(source, data)
    if source.format == "unknown":
        return [], [Rejection(source.path, None, source.sha256, "unknown",
                              f"unknown format: {Path(source.path).suffix or 'no suffix'} files are not read "
                              "(expected .zip, .xml, .md/.txt text or .json lines)")]
    if not data:  # nothing to keep and nothing to parse: raw.document holds documents with bytes
        return [], [Rejection(source.path, None, source.sha256, source.format, "empty file (0 bytes)")]
    return [Document(source.path, None, source.format, data, source.sha256)], []


def _unpack_zip(source: SourceFile, data: bytes) -> tuple[list[Document], list[Rejection]]:
    docs, rejects = [], []
    problem = zip_problem(data)
    if problem:
        return [], [Rejection(source.path, None, source.sha256, "akn-zip", problem)]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        return [], [Rejection(source.path, None, source.sha256, "akn-zip",
                              f"corrupt or truncated zip archive: {exc}")]
    seen: set[str] = set()
    with zf:
        for number, info in enumerate(zf.infolist(), start=1):
            name = info.filename
            if not name:  # ZipInfo.is_dir() raises IndexError on an empty name
                rejects.append(Rejection(source.path, f"(member {number})", None, "unknown",
                                         f"corrupt zip: archive member {number} has no file name"))
                continue
            if name.endswith("/"):
                continue
            if Path(name).name in _IGNORED_NAMES or Path(name).name.startswith("."):
                continue
            fmt = format_of(name)
            if name in seen:
                rejects.append(Rejection(source.path, name, None, fmt,
                                         f"duplicate: the archive holds a second member named {name}; the first is read"))
                continue
            seen.add(name)
            try:
                content = zf.read(info)
            except ZIP_ERRORS as exc:
                rejects.append(Rejection(source.path, name, None, fmt,
                                         f"archive member cannot be read (corrupt or truncated zip): {exc}"))
                continue
            if not content:
                rejects.append(Rejection(source.path, name, sha256(content), fmt,
                                         "empty file (0 bytes) inside archive"))
                continue
            if fmt == "unknown":
                rejects.append(Rejection(source.path, name, sha256(content), fmt,
                                         f"unknown format inside archive: {Path(name).suffix or 'no suffix'}"))
                continue
            docs.append(Document(source.path, name, fmt, content, sha256(content)))
    return docs, rejects
