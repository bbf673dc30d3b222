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
    head = data[:20_000].decode("utf-8", errors="replace")
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
    return regular_session_for(parse_date(d.group(1).decode())) if d else None


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
        if session is None and fmt == "akn-xml":
            session = session_from_xml(data)
        if session is None and fmt == "text":
            session = session_from_text(data)
        if session is None and fmt == "akn-zip":
            session = _session_from_zip(data)
        files.append(SourceFile(rel, fmt, session, len(data), sha256(data)))
    return files


def _session_from_zip(data: bytes) -> int | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if not info.is_dir() and format_of(info.filename) == "akn-xml":
                    s = session_from_name(info.filename) or session_from_xml(zf.read(info))
                    if s:
                        return s
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
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
    return [Document(source.path, None, source.format, data, source.sha256)], []


def _unpack_zip(source: SourceFile, data: bytes) -> tuple[list[Document], list[Rejection]]:
    docs, rejects = [], []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return [], [Rejection(source.path, None, source.sha256, "akn-zip",
                              f"corrupt or truncated zip archive: {exc}")]
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = info.filename
            if Path(name).name in _IGNORED_NAMES or Path(name).name.startswith("."):
                continue
            fmt = format_of(name)
            try:
                content = zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                rejects.append(Rejection(source.path, name, None, fmt,
                                         f"archive member cannot be read (corrupt or truncated zip): {exc}"))
                continue
            if fmt == "unknown":
                rejects.append(Rejection(source.path, name, sha256(content), fmt,
                                         f"unknown format inside archive: {Path(name).suffix or 'no suffix'}"))
                continue
            docs.append(Document(source.path, name, fmt, content, sha256(content)))
    return docs, rejects
