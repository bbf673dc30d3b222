"""The PDF path measured (issue 16): resolutions of sessions 74-79 printed to PDF, read back by two extractors.

For N resolutions spread evenly over sessions 74-79 (every k-th resolution of each
session's AKN zip in number order; a multi-part collection, which the renderer cannot
print, is replaced by the next one in order), each resolution is printed to a UN-like PDF
from its official XML by ``tests/fixtures/render_pdf.py`` (Chromium through Playwright,
one browser for all), then its text layer is read by

* **pypdfium2**: ``transforms.pdf.extract_text`` (pages rebuilt like ``pdftotext -layout``);
* **pdftotext** (poppler-utils, Debian): ``pdftotext -layout FILE -``, the classic extractor,
  run as a program (GPL, not linked into the project);
* **pdfplumber, layout**: ``page.extract_text(layout=True)`` per page, joined by form feeds;
* **pdfplumber, plain**: ``page.extract_text()`` per page, joined by form feeds;

parsed by ``transforms.textparse.parse_text`` and compared with ``transforms.akn.parse_akn``
of the XML. Structure right: the same number of preambular paragraphs, the same operative
numbers in order, the same annex paragraphs (kind and number) in order. Footnotes right: the
same markers attached to the same paragraphs (marker, kind, ordinal). Similarity: difflib
ratio of each XML paragraph's ``normalise``d text with the PDF's paragraph of the same kind
and ordinal (0 where it has none), averaged per document.

Run::

    .venv/bin/python -m benchmarks.pdf_structure --n 60 --out /tmp/pdfbench

The PDFs, the extracted texts and ``results.json`` (one record per document and extractor)
are left in ``--out``; a PDF already there is reused, not printed again.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import re
import statistics
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
for p in (str(REPO), str(FIXTURES)):
    if p not in sys.path:
        sys.path.insert(0, p)

from transforms.akn import parse_akn  # noqa: E402
from transforms.text import normalise  # noqa: E402
from transforms.textparse import parse_text  # noqa: E402

LANDING = REPO / "data" / "landing" / "ga-akn"
SESSIONS = range(74, 80)
_landing = LANDING  # set by main() to landing(out)
EXTRACTORS = ("pypdfium2", "pdftotext", "pdfplumber-layout", "pdfplumber-plain")
_NAME = re.compile(r"/A_RES_(\d+)_(\d+)(?:[-_][^/]*)?\.xml$")
_NAME74 = re.compile(r"^English/(\d+)_(\d+)\.xml$")  # session 74's zip names its files "English/74_12.xml"


def landing(out: Path) -> Path:
    """The landing zips as the renderer reads them (``A_RES_NN_M.xml``): links, session 74's renamed.

    ``render_layouts.load`` finds a resolution by the ``A_RES_`` name the zips of sessions 75-79
    use; session 74's zip names its files ``English/74_12.xml``, so a copy with the members
    renamed (contents unchanged) is written under ``--out`` and the renderer pointed at it.
    """
    import render_layouts

    d = out / "landing"
    d.mkdir(parents=True, exist_ok=True)
    for session in SESSIONS:
        src = LANDING / f"session-{session}-English.zip"
        dst = d / src.name
        if dst.exists():
            continue
        with zipfile.ZipFile(src) as z:
            if any(_NAME.search(n) for n in z.namelist()):
                dst.symlink_to(src)
                continue
            with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as w:
                for n in z.namelist():
                    m = _NAME74.match(n)
                    if m:
                        w.writestr(f"{m.group(1)}session/English/A_RES_{m.group(1)}_{m.group(2)}.xml", z.read(n))
    render_layouts.LANDING = d
    return d


def candidates(session: int) -> list[tuple[str, str]]:
    """(symbol, member name) of every resolution file in the session's zip, in number order."""
    with zipfile.ZipFile(_landing / f"session-{session}-English.zip") as z:
        found = []
        for n in z.namelist():
            m = _NAME.search(n)
            if m and int(m.group(1)) == session:
                found.append((int(m.group(2)), f"A/RES/{session}/{m.group(2)}", n))
    found.sort()
    return [(s, n) for _, s, n in found]


def pick(n: int) -> list[tuple[str, int]]:
    """n resolutions, n/6 per session: every k-th in number order, and the session's first with an annex.

    Of each session's share, all but one are spread evenly over the resolutions in number
    order (the next one in order where the k-th cannot be printed: a collection of parts);
    the last is the lowest-numbered resolution with an annex not already taken, so that
    annexes are measured (an even spread of 60 picked none).
    """
    from render_pdf import document

    def printable(symbol: str, session: int) -> bool:
        try:
            document(symbol, session)
        except (SystemExit, Exception) as exc:  # collections of parts, alignment refusals
            print(f"skip {symbol}: {str(exc)[:100]}", file=sys.stderr)
            return False
        return True

    per = [n // len(SESSIONS) + (1 if i < n % len(SESSIONS) else 0) for i in range(len(SESSIONS))]
    chosen = []
    for session, want in zip(SESSIONS, per):
        cands = candidates(session)
        spread = max(want - 1, 1)
        step = len(cands) / spread
        taken: set[int] = set()
        for j in range(spread):
            i = int(j * step + step / 2)
            while i < len(cands) and (i in taken or not printable(cands[i][0], session)):
                i += 1
            if i < len(cands):
                taken.add(i)
        if want > 1:
            with zipfile.ZipFile(_landing / f"session-{session}-English.zip") as z:
                for i, (symbol, name) in enumerate(cands):
                    if i in taken:
                        continue
                    try:
                        parsed = parse_akn(z.read(name), name)
                    except Exception:
                        continue
                    if len(parsed) == 1 and any(p.kind == "annex" for p in parsed[0].paragraphs) \
                            and printable(symbol, session):
                        taken.add(i)
                        break
        chosen += [(cands[i][0], session) for i in sorted(taken)]
    return chosen


def xml_of(symbol: str, session: int):
    num = symbol.rsplit("/", 1)[1]
    pat = re.compile(rf"/A_RES_{session}_{num}(?:[-_][^/]*)?\.xml$")
    with zipfile.ZipFile(_landing / f"session-{session}-English.zip") as z:
        (name,) = [n for n in z.namelist() if pat.search(n)]
        (res,) = parse_akn(z.read(name), name)
    return res


def render(chosen: list[tuple[str, int]], out: Path) -> dict[str, Path]:
    from render_pdf import document, print_pdfs

    paths, jobs = {}, []
    for symbol, session in chosen:
        path = out / "pdf" / f"{symbol.replace('/', '_')}.pdf"
        paths[symbol] = path
        if not path.exists():
            body, header, footer = document(symbol, session)
            jobs.append((body, header, footer, path))
    if jobs:
        (out / "pdf").mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        print_pdfs(jobs)
        print(f"printed {len(jobs)} PDFs in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return paths


def extract(extractor: str, data: bytes, path: Path) -> str:
    if extractor == "pypdfium2":
        from transforms.pdf import extract_text

        return extract_text(data, path.name)
    if extractor == "pdftotext":
        import subprocess

        done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True)
        return done.stdout.decode("utf-8")
    import pdfplumber

    layout = extractor == "pdfplumber-layout"
    with pdfplumber.open(path) as pdf:
        return "\f".join((pg.extract_text(layout=layout) or "") for pg in pdf.pages) + "\n"


def structure(res) -> dict:
    """What a reader sees of the structure: preambular paragraphs, printed numbers, annex paragraphs.

    Operative paragraphs are compared by their printed numbers, in order (the issue's "printed
    paragraph numbers in order"): the XML also codes, as unnumbered operative paragraphs, a
    list's items (74/252) and the words that close a list ("and demands that ...;", 79/56),
    which the printed page shows as part of the numbered paragraph above them.
    """
    return {
        "preambular": sum(p.kind == "preambular" for p in res.paragraphs),
        "operative": [p.number for p in res.paragraphs if p.kind == "operative" and p.number],
        "annex": [p.number for p in res.paragraphs if p.kind == "annex"],
    }


def anchors(res) -> dict[tuple[str, int], str]:
    """Where each paragraph stands for a reader: its printed number, or the last one above it.

    A paragraph with no number of its own under a numbered one reads as part of it (see
    ``structure``), so a footnote is on the right paragraph when it is under the same printed
    number; preambular paragraphs, and those before any number, go by their ordinal.
    """
    out, last = {}, {}
    for p in res.paragraphs:
        if p.number:
            last[p.kind] = p.number
        out[(p.kind, p.ordinal)] = p.number or last.get(p.kind) or f"#{p.ordinal}"
    return out


def notes(res) -> list[tuple[str, str, str]]:
    where = anchors(res)
    return sorted((f.marker, f.paragraph_kind, where.get((f.paragraph_kind, f.paragraph_ordinal), "?"))
                  for f in res.footnotes)


def _first_diff(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"at {i + 1}: XML {x!r}, PDF {y!r}"
    return f"XML {len(a)}, PDF {len(b)}" + (f" (PDF extra from {b[len(a)]!r})" if len(b) > len(a) else
                                               f" (PDF lacks from {a[len(b)]!r})")


def compare(xml, res) -> dict:
    sx, sp = structure(xml), structure(res)
    causes = []
    if sx["preambular"] != sp["preambular"]:
        causes.append(f"preambular XML {sx['preambular']}, PDF {sp['preambular']}")
    if sx["operative"] != sp["operative"]:
        causes.append("operative numbers " + _first_diff(sx["operative"], sp["operative"]))
    if sx["annex"] != sp["annex"]:
        causes.append("annex paragraphs " + _first_diff(sx["annex"], sp["annex"]))
    nx, np_ = notes(xml), notes(res)
    note_causes = []
    if nx != np_:
        note_causes.append("footnotes " + _first_diff(nx, np_))
    by_key = {(p.kind, p.ordinal): p for p in res.paragraphs}
    ratios = []
    worst = (1.0, None)
    for p in xml.paragraphs:
        q = by_key.get((p.kind, p.ordinal))
        r = difflib.SequenceMatcher(None, normalise(p.text), normalise(q.text), autojunk=False).ratio() if q else 0.0
        ratios.append(r)
        if r < worst[0]:
            worst = (r, f"{p.kind} {p.ordinal}")
    return {
        "structure_ok": not causes, "footnotes_ok": not note_causes,
        "similarity": statistics.fmean(ratios) if ratios else 1.0,
        "worst_paragraph": worst[1], "worst_ratio": worst[0],
        "causes": causes + note_causes,
        "title_ok": normalise(res.title) == normalise(xml.title), "symbol_ok": res.symbol == xml.symbol,
    }


def pdftotext_version() -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        return "pdftotext missing"
    out = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
    return (out.stderr or out.stdout).splitlines()[0]


def machine() -> str:
    try:
        model = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    from importlib.metadata import version

    return (f"{os.cpu_count()} cores ({model}), {mem:.1f} GB RAM, {platform.platform()}; Python "
            f"{platform.python_version()}, pypdfium2 {version('pypdfium2')}, pdfplumber {version('pdfplumber')}, "
            f"{pdftotext_version()}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--out", type=Path, default=Path("/tmp/pdf_structure"))
    ap.add_argument("--extractors", default=",".join(EXTRACTORS))
    args = ap.parse_args(argv)
    import pypdfium2 as pdfium

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    global _landing
    _landing = landing(out)
    chosen = pick(args.n)
    paths = render(chosen, out)
    records = []
    for symbol, session in chosen:
        xml = xml_of(symbol, session)
        data = paths[symbol].read_bytes()
        doc = pdfium.PdfDocument(data)
        pages = len(doc)
        doc.close()
        base = {"symbol": symbol, "session": session, "pages": pages,
                "xml_preambular": structure(xml)["preambular"], "xml_operative": len(structure(xml)["operative"]),
                "xml_annex": len(structure(xml)["annex"]), "xml_footnotes": len(xml.footnotes)}
        for ex in args.extractors.split(","):
            t = time.perf_counter()
            text = extract(ex, data, paths[symbol])
            ms = (time.perf_counter() - t) * 1000
            (out / "text" / ex).mkdir(parents=True, exist_ok=True)
            (out / "text" / ex / f"{symbol.replace('/', '_')}.txt").write_text(text, encoding="utf-8")
            rec = dict(base, extractor=ex, ms=ms, ms_per_page=ms / pages)
            try:
                res = parse_text(text.encode("utf-8"), paths[symbol].name)
            except Exception as exc:  # ParseError and anything else: the document fails
                rec.update(structure_ok=False, footnotes_ok=False, similarity=0.0,
                           causes=[f"{type(exc).__name__}: {str(exc)[:160]}"])
            else:
                rec.update(compare(xml, res))
            records.append(rec)
            print(f"{symbol:14} {ex:18} {'ok ' if rec['structure_ok'] else 'BAD'} "
                  f"{'ok ' if rec['footnotes_ok'] else 'BAD'} {rec['similarity']:.3f} {ms / pages:6.1f} ms/p"
                  + ("  " + "; ".join(rec["causes"]) if rec["causes"] else ""), file=sys.stderr)
    (out / "results.json").write_text(json.dumps(records, indent=1), encoding="utf-8")
    print(report(records, chosen))
    print(machine())


def report(records: list[dict], chosen: list[tuple[str, int]]) -> str:
    docs = {r["symbol"]: r for r in records}
    lines = [f"Documents: {len(chosen)} ({', '.join(f'{s}: {sum(1 for _, x in chosen if x == s)}' for s in SESSIONS)}); "
             f"{sum(r['pages'] for r in docs.values())} pages; "
             f"{sum(1 for r in docs.values() if r['xml_annex'])} with an annex, "
             f"{sum(1 for r in docs.values() if r['xml_footnotes'])} with footnotes "
             f"({sum(r['xml_footnotes'] for r in docs.values())} notes).", "",
             "| extractor | documents | structure right | footnotes right | both right | mean similarity "
             "| min similarity | extraction ms/page |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    exs = list(dict.fromkeys(r["extractor"] for r in records))
    for ex in exs:
        rs = [r for r in records if r["extractor"] == ex]
        n = len(rs)
        s = sum(r["structure_ok"] for r in rs)
        f = sum(r["footnotes_ok"] for r in rs)
        b = sum(r["structure_ok"] and r["footnotes_ok"] for r in rs)
        ms = sum(r["ms"] for r in rs) / sum(r["pages"] for r in rs)
        lines.append(f"| {ex} | {n} | {s} ({100 * s / n:.0f}%) | {f} ({100 * f / n:.0f}%) | {b} ({100 * b / n:.0f}%) "
                     f"| {statistics.fmean(r['similarity'] for r in rs):.4f} | {min(r['similarity'] for r in rs):.4f} "
                     f"| {ms:.1f} |")
    lines += ["", "Failures:"]
    for ex in exs:
        for r in records:
            if r["extractor"] == ex and r["causes"]:
                lines.append(f"- {ex} {r['symbol']}: {'; '.join(r['causes'])}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
