"""The phrases that open preambular and operative paragraphs, learnt from the official XML.

Text extracted from a PDF loses the italics that mark where a lead phrase ends
("Reaffirming also | its resolutions", "Calls upon | Member States"). The XML
keeps them, so the bundled corpus gives a lexicon of real lead phrases with their
frequencies; the text parser takes the longest phrase that opens a paragraph and, in the XML,
is the lead phrase of most paragraphs it opens: "Takes note of" opens 1,750
paragraphs but is the italic lead of few, so "Takes note" wins there.
Regenerate with ``python -m transforms.lexicon`` after adding XML.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

from transforms.akn import parse_akn
from transforms.model import ParseError

LEXICON = Path(__file__).with_name("data") / "lead_phrases.tsv"
# A phrase is taken as the lead when it is the italic lead of at least this share
# of the paragraphs it opens in the XML.
PRECISION = 0.5


def english_resolutions(landing: Path, sessions=None):
    """Every English resolution in the zips under a landing folder (or those of some sessions)."""
    for archive in sorted(Path(landing).rglob("*.zip")):
        if sessions is not None and not any(f"session-{s}-" in archive.name for s in sessions):
            continue
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                if not name.endswith(".xml"):
                    continue
                try:
                    parsed = parse_akn(zf.read(name), name)
                except ParseError:
                    continue
                yield from (res for res in parsed if res.language == "eng")


def build(landing: Path) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, phrase) -> (paragraphs it leads, paragraphs whose text it opens)."""
    leads: Counter = Counter()
    texts: list[tuple[str, str]] = []
    for res in english_resolutions(landing):
        for p in res.paragraphs:
            if p.kind in ("preambular", "operative"):
                texts.append((p.kind, p.text))
                if p.lead_phrase:
                    leads[(p.kind, p.lead_phrase)] += 1
    by_first: dict[tuple[str, str], list[str]] = {}
    for kind, phrase in leads:
        by_first.setdefault((kind, phrase.split(" ", 1)[0]), []).append(phrase)
    opens: Counter = Counter()
    for kind, text in texts:
        for phrase in by_first.get((kind, text.split(" ", 1)[0]), ()):
            if _opens(text, phrase):
                opens[(kind, phrase)] += 1
    return {key: (n, max(opens[key], n)) for key, n in leads.items()}


def _opens(text: str, phrase: str) -> bool:
    return text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalnum())


def write(counts: dict, path: Path = LEXICON) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["kind", "phrase", "leads", "opens"])
    for (kind, phrase), (n, o) in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1])):
        writer.writerow([kind, phrase, n, o])
    path.write_text(buf.getvalue(), encoding="utf-8")


@functools.cache
def phrases(kind: str) -> tuple[tuple[str, float], ...]:
    """(phrase, share of the paragraphs it opens that it leads) for a kind, longest first."""
    with LEXICON.open(encoding="utf-8") as fh:
        rows = [(r["phrase"], int(r["leads"]) / int(r["opens"]))
                for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == kind]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def lead_phrase(kind: str, text: str) -> str | None:
    """The longest phrase opening ``text`` that usually is the lead where it opens a paragraph."""
    fallback = None
    for phrase, precision in phrases(kind):
        if _opens(text, phrase):
            if precision >= PRECISION:
                return phrase
            fallback = phrase  # the shortest match, if none is precise enough
    return fallback


HYPHENATED = Path(__file__).with_name("data") / "hyphenated_words.txt"


def build_hyphenated(landing: Path, min_count: int = 2) -> list[str]:
    """Compounds the XML prints with a hyphen ("capacity-building"): a line-end hyphen
    in PDF text that falls on one of these is kept, any other is mended."""
    counts: Counter = Counter()
    for res in english_resolutions(landing):
        for p in res.paragraphs:
            for word in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)+", p.text):
                parts = word.lower().split("-")
                for i in range(len(parts) - 1):
                    counts[f"{parts[i]}-{parts[i + 1]}"] += 1
    return sorted(w for w, n in counts.items() if n >= min_count)


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent / "data" / "landing"
    counted = build(here)
    write(counted)
    print(f"{len(counted)} lead phrases written to {LEXICON}")
    words = build_hyphenated(here)
    HYPHENATED.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} hyphenated compounds written to {HYPHENATED}")
