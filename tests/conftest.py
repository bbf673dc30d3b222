"""Shared fixtures: temporary data directories laid out like the real one.

Tests never touch ./data: each gets its own data dir under tmp_path whose landing
folder holds copies of the bundled files it needs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from warehouse.settings import Paths

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data" / "landing"
ZIP = "ga-akn/session-{}-English.zip"
META = "ga-akn/metadata/{}.json"


EMERGENCY = "ga-akn/emergency-sessions"


def special_session_files() -> list[str]:
    """The bundled files of the special and emergency special sessions: the loose XML of ES-10 and
    ES-11 and DGACM's extracts named after their session (ES-10.json, S-32.json)."""
    loose = sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / EMERGENCY).glob("*.xml"))
    extracts = sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / "ga-akn" / "metadata").glob("*.json")
                      if not p.stem.isdigit())
    return loose + extracts


def make_data_dir(root: Path, sessions: list[int], metadata: bool = True, special_sessions: bool = False) -> Paths:
    """A data dir whose landing holds the bundled zip (and metadata) of the given sessions.

    ``special_sessions`` adds every bundled special and emergency special session file: they
    belong to the sessions their adoption dates fall in (76-79 for ES-10 and ES-11, 75 for S-32),
    whatever ``sessions`` says, since their content, not their folder, places them.
    """
    paths = Paths(root)
    files = [rel for s in sessions for rel in [ZIP.format(s)] + ([META.format(s)] if metadata else [])]
    if special_sessions:
        files += special_session_files()
    for rel in files:
        target = paths.landing / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUNDLED / rel, target)
    return paths


@pytest.fixture
def data_dir_78(tmp_path) -> Paths:
    """Session 78 only (332 resolutions): the smallest real build."""
    return make_data_dir(tmp_path / "data", [78])


@pytest.fixture(scope="session")
def full_build(tmp_path_factory) -> Paths:
    """All bundled sessions, with the special and emergency special sessions, built once, in process,
    for tests that only read."""
    from warehouse.build import build_all

    paths = make_data_dir(tmp_path_factory.mktemp("full") / "data", [74, 75, 76, 77, 78, 79], special_sessions=True)
    summary = build_all(paths)
    assert summary["status"] == "published", summary
    return paths
