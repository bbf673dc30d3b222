"""Reading the reference YAML files (themes, instruments, codebook) fast and once.

The reference files are read for every session a build touches and again by the
suites and the publisher; with PyYAML's pure-Python loader that cost ~0.2 s a read
and ~4 s a build. The C loader (libyaml, shipped in PyYAML's wheels) is used when
present, and each file is parsed once per process while its size and modification
time stay the same. Callers get a deep copy, so none can change what another reads.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same results, slower
    _Loader = yaml.SafeLoader


def parse(text: str):
    """Parse YAML text with the safe loader (C when available). Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 -- a safe loader


@functools.lru_cache(maxsize=32)
def _cached(path: str, mtime_ns: int, size: int):
    return parse(Path(path).read_text(encoding="utf-8"))


def read(path: str | Path):
    """The parsed contents of a YAML file; OSError if unreadable, yaml.YAMLError if malformed."""
    p = Path(path)
    st = p.stat()
    return copy.deepcopy(_cached(str(p.resolve()), st.st_mtime_ns, st.st_size))


def read_reference(path: str | Path, what: str):
    """:func:`read` for a reference file, its failures as a ValueError naming ``what`` and the path."""
    try:
        return read(path)
    except OSError as exc:
        raise ValueError(f"{what} {path}: cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"{what} {path}: not valid YAML ({exc})") from exc
