"""What a build leaves for readers, read without the build machinery: the snapshot, opened
read-only, and the quality reports, the newest found.

``unga sql``, ``unga search``, ``unga status`` and ``unga report``, and the dashboard, read
only these; importing this module imports neither the pipeline nor the publisher
(``tests/test_cli.py`` checks that ``orchestration.cli`` does not). The reports are
written by ``warehouse.report`` (``folders.write_report``), the snapshot by
``warehouse.publish``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb


def open_snapshot(snapshot: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published snapshot."""
    if not Path(snapshot).exists():
        raise FileNotFoundError(f"no published snapshot at {snapshot}: run `unga build` (or `make run`) first")
    return duckdb.connect(str(snapshot), read_only=True)


REPORT_MD = "quality.md"
REPORT_HTML = "quality.html"
LATEST = "latest"              # a symlink to the newest report's folder
LATEST_POINTER = "latest.txt"  # the same as a one-line file where symlinks are not available
_STAMP = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")


@dataclass(frozen=True)
class ReportPaths:
    directory: Path
    markdown: Path
    html: Path
    latest: Path

    @classmethod
    def at(cls, directory: Path) -> ReportPaths:
        return cls(directory, directory / REPORT_MD, directory / REPORT_HTML, directory.parent / LATEST)


def latest_report(reports_dir: Path) -> ReportPaths | None:
    """The newest report under reports_dir, or None when none was written yet."""
    reports_dir = Path(reports_dir)
    candidates = []
    # The pointer file exists only when the last report could not swap the symlink (it is
    # removed whenever the symlink is written), so it is the newer of the two.
    pointer = reports_dir / LATEST_POINTER
    if pointer.is_file():
        candidates.append(reports_dir / pointer.read_text(encoding="utf-8").strip())
    link = reports_dir / LATEST
    if link.is_symlink() or link.is_dir():
        candidates.append(link.resolve())
    candidates += sorted(_report_dirs(reports_dir), reverse=True)
    for directory in candidates:
        if (directory / REPORT_MD).is_file():
            return ReportPaths.at(directory)
    return None


def _report_dirs(reports_dir: Path) -> list[Path]:
    if not reports_dir.is_dir():
        return []
    return sorted(p for p in reports_dir.iterdir() if p.is_dir() and not p.is_symlink() and _STAMP.match(p.name))
