"""A synthetic corpus N times the bundled one, for the scale benchmark.

Replica k (1 .. N-1) of every real session S becomes session S - 6k: sessions 74-79
become 68-73, then 62-67, and so on down to 20-25 at 10x. Past sessions are used
because the publication suites reject sessions after the one now open (100+ would
block publication). Inside every file the session is rewritten wherever the parser
reads it (symbols ``A/RES/78/191``, ``78/191``, FRBR URIs ``/2023-12-19/78-191/``,
``<session value="78">``), dates move back by 6k years so adoption dates stay inside
their session, and special sessions are renumbered (ES-11 -> ES-111 ...) so every
symbol stays unique. Texts are otherwise the real ones: this is labelled synthetic.
"""

from __future__ import annotations

import calendar
import re
import shutil
import zipfile
from pathlib import Path

REAL_SESSIONS = range(74, 80)
STEP = len(REAL_SESSIONS)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ZIP = re.compile(r"session-(\d+)-(.*)\.zip$")


def max_scale() -> int:
    """The largest factor that fits in sessions 10-73 (two-digit, before the real ones)."""
    return (min(REAL_SESSIONS) - 10) // STEP + 1


def _shift_year(year: int, month: int, day: int, years: int) -> tuple[int, int, int]:
    new = year - years
    if month == 2 and day == 29 and not calendar.isleap(new):
        day = 28
    return new, month, day


def rewrite(data: bytes, k: int) -> bytes:
    """The bytes of one file (XML or metadata JSON lines) moved to replica ``k``."""
    shift = STEP * k
    real = {str(s).encode() for s in REAL_SESSIONS}

    def session(m: re.Match) -> bytes:
        return str(int(m.group(0)) - shift).encode() if m.group(0) in real else m.group(0)

    data = re.sub(rb"(?<=/)\d{2}(?=/)", session, data)  # A/RES/78/191, A/78/535, A/C.3/78/L.29
    data = re.sub(rb"(?<![\w./-])\d{2}(?=/\d)", session, data)  # 78/191 in text and docNumber
    data = re.sub(rb"(?<=/)\d{2}(?=-\d+[A-Z]?(?:-[A-Z])?/)", session, data)  # FRBR .../78-191/
    data = re.sub(rb'(?<=value=")\d{2}(?=")', session, data)  # <session value="78">
    data = re.sub(rb"(?<!\w)(E?S)-(\d+)(?=[/-])",
                  lambda m: m.group(1) + b"-" + str(int(m.group(2)) + 100 * k).encode(), data)

    def iso(m: re.Match) -> bytes:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not 2015 <= y <= 2030:
            return m.group(0)
        y, mo, d = _shift_year(y, mo, d, shift)
        return f"{y:04d}-{mo:02d}-{d:02d}".encode()

    def spelled(m: re.Match) -> bytes:
        d, gap, month, gap2, y = int(m.group(1)), m.group(2), m.group(3), m.group(4), int(m.group(5))
        if not 2015 <= y <= 2030:
            return m.group(0)
        y, _, d = _shift_year(y, 2 if month == b"February" else 1, d, shift)
        return b"%d%s%s%s%d" % (d, gap, month, gap2, y)

    data = re.sub(rb"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)", iso, data)
    # "12 December 2023", also with a no-break space after the day ("12\u00a0 December 2023", as the
    # extracts write it): the special sessions' lines are placed by this date.
    gap = rb"((?: |\xc2\xa0|\xe2\x80\xaf)+)"
    data = re.sub(rb"(?<!\d)(\d{1,2})" + gap + rb"(" + _MONTHS.encode() + rb")" + gap + rb"(\d{4})(?!\d)", spelled, data)
    return data


def _rename(name: str, k: int) -> str:
    shift = STEP * k
    # "78session/English/A_RES_78_191-2326051E.xml", "75session/English/75_70_E.xml": only the
    # session at the start of a path component or after A_RES_ (never the resolution number).
    return re.sub(r"(^|/|A_RES_)(7[4-9])(?=session|_)", lambda m: m.group(1) + str(int(m.group(2)) - shift), name)


def make_corpus(real_landing: Path, target: Path, factor: int) -> dict:
    """Write the real landing folder plus ``factor - 1`` synthetic replicas into ``target``.

    The DGACM zips, the metadata extracts and the emergency special sessions' loose XML are
    replicated (the one loose text file is kept once). Returns the sessions written and the
    bytes of the corpus.
    """
    if not 1 <= factor <= max_scale():
        raise ValueError(f"scale must be between 1 and {max_scale()} (synthetic sessions live in 10-73)")
    shutil.copytree(real_landing, target)
    akn = target / "ga-akn"
    sessions = list(REAL_SESSIONS)
    for k in range(1, factor):
        for src in sorted((real_landing / "ga-akn").glob("session-*.zip")):
            m = _ZIP.match(src.name)
            s = int(m.group(1)) - STEP * k
            sessions.append(s)
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(akn / f"session-{s}-{m.group(2)}.zip", "w",
                                                              zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    name = _rename(info.filename, k)
                    if info.is_dir():
                        zout.writestr(name, b"")
                    else:
                        zout.writestr(name, rewrite(zin.read(info), k))
        # A replica's file name only has to be unique: its content places it (ES-10.json's lines in
        # the sessions their shifted adoption dates fall in).
        for src in sorted((real_landing / "ga-akn" / "metadata").glob("*.json")):
            name = f"{int(src.stem) - STEP * k}.json" if src.stem.isdigit() else f"{src.stem}-replica-{k}.json"
            (akn / "metadata" / name).write_bytes(rewrite(src.read_bytes(), k))
        for src in sorted((real_landing / "ga-akn").glob("emergency-sessions/*.xml")):
            folder = akn / f"emergency-sessions-replica-{k}"
            folder.mkdir(exist_ok=True)
            (folder / src.name).write_bytes(rewrite(src.read_bytes(), k))
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return {"sessions": sorted(sessions), "bytes": size}
