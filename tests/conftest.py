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


def make_data_dir(root: Path, sessions: list[int], metadata: bool = True) -> Paths:
    """A data dir whose landing holds the bundled zip (and metadata) of the given sessions."""
    paths = Paths(root)
    for s in sessions:
        for rel in [ZIP.format(s)] + ([META.format(s)] if metadata else []):
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
    """All bundled sessions built once, in process, for tests that only read."""
    from warehouse.build import build_all

    paths = make_data_dir(tmp_path_factory.mktemp("full") / "data", [74, 75, 76, 77, 78, 79])
    summary = build_all(paths)
    assert summary["status"] == "published", summary
    return paths
