"""The Data Docs entry page: ``<data_docs_dir>/index.html``, readable offline.

GE's Data Docs site (built by the runner in ``<data_docs_dir>/gx``) is static HTML, but its
pages load Bootstrap, jQuery, bootstrap-table, Vega and Font Awesome from public CDNs. The
validation pages are rendered on the server side, so without network they are readable,
unstyled; GE's *index* page, though, hands its tables of suites and validations to
bootstrap-table as JavaScript data, so offline it lists nothing. This page is the entry
point instead: plain HTML with inline CSS, no script, no external resource. It lists every
suite with its last result (``suites.json`` beside it keeps the suites of earlier calls, so
suites run one call at a time still share one page, and a suite skipped on one database
keeps its last result from the other), the failed expectations with their rationale and
unexpected values, and links to GE's pages of each suite. GE renders unexpected values
unescaped (a lead phrase holding an HTML link shows as a link there); this page escapes
everything.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from .results import SuitesResult

STATE = "suites.json"

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.pass{color:#17692c;font-weight:600}.fail{color:#b00020;font-weight:600}
.warn{color:#9a5b00;font-weight:600}.skip{color:#666}code{font-size:.9em}.small{color:#555;font-size:.9em}
"""


def write_index(root: Path, result: SuitesResult) -> Path:
    """Merge this run's suites into ``suites.json`` and (re)write ``index.html``."""
    root.mkdir(parents=True, exist_ok=True)
    state_path = root / STATE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            state = {}
    except (OSError, ValueError):
        state = {}
    for s in result.suites:
        previous = state.get(s.name)
        if s.skipped and isinstance(previous, dict) and not previous.get("skipped"):
            # A suite skipped here (raw on the snapshot, ops on the working warehouse) keeps
            # its last real result, from the database that has its tables.
            continue
        entry = s.to_dict()
        entry["run_time"] = result.run_time.isoformat(timespec="seconds")
        entry["database"] = result.database
        entry["data_docs_pages"] = [os.path.relpath(p, root) for p in s.data_docs_pages]
        state[s.name] = entry
    _atomic_write(state_path, json.dumps(state, indent=1, default=str))
    index = root / "index.html"
    _atomic_write(index, render(state, gx_index="gx/index.html" if (root / "gx" / "index.html").exists() else None))
    return index


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _status(entry: dict) -> tuple[str, str]:
    if entry.get("skipped"):
        return "skip", "skipped"
    if entry.get("success"):
        return "pass", "passed"
    return ("fail", "FAILED") if entry.get("blocking") else ("warn", "failed (warning only)")


def render(state: dict, gx_index: str | None = None) -> str:
    """The page for a suites.json state."""
    e = html.escape
    order = sorted(state.values(), key=lambda s: (not s.get("blocking"), s["name"]))
    blocking_failed = [s["name"] for s in order if s.get("blocking") and s.get("success") is False]
    out = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
           "<title>unga-warehouse: data quality suites</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>unga-warehouse: data quality suites</h1>"]
    verdict = (f"<p class='fail'>Blocking suites failed: {e(', '.join(blocking_failed))}. "
               "The snapshot must not be published.</p>" if blocking_failed
               else "<p class='pass'>Every blocking suite passed (or was skipped).</p>")
    out.append(verdict)
    out.append("<p class='small'>Great Expectations 1.x suites (expectations/). Each suite's last run is "
               "shown; the links open Great Expectations' own pages, which style themselves from public "
               "CDNs and read plainly offline."
               + (f" Great Expectations' index: <a href='{e(gx_index)}'>gx/index.html</a> "
                  "(its lists need network)." if gx_index else "") + "</p>")
    out.append("<table><tr><th>suite</th><th>blocking</th><th>status</th><th>expectations</th>"
               "<th>failed</th><th>seconds</th><th>run</th><th>database</th></tr>")
    for s in order:
        cls, text = _status(s)
        out.append(
            f"<tr><td><a href='#{e(s['name'])}'>{e(s['name'])}</a></td><td>{'yes' if s.get('blocking') else 'no'}</td>"
            f"<td class='{cls}'>{text}</td><td>{s.get('evaluated', 0)}</td><td>{s.get('unsuccessful', 0)}</td>"
            f"<td>{s.get('seconds', 0):.2f}</td><td>{e(str(s.get('run_time', '')))}</td>"
            f"<td><code>{e(str(s.get('database', '')))}</code></td></tr>")
    out.append("</table>")
    for s in order:
        cls, text = _status(s)
        out.append(f"<h2 id='{e(s['name'])}'>{e(s['name'])} <span class='{cls}'>{text}</span></h2>")
        out.append(f"<p>{e(s.get('description', ''))}</p>")
        if s.get("skipped"):
            out.append(f"<p class='skip'>Skipped: {e(s.get('skip_reason') or '')}.</p>")
            continue
        out.append(f"<p class='small'>{s.get('successful', 0)} of {s.get('evaluated', 0)} expectations met; "
                   f"blocking: {'yes' if s.get('blocking') else 'no'}.</p>")
        failures = s.get("expectations") or []
        if failures:
            out.append("<table><tr><th>expectation</th><th>column</th><th>why it should hold</th>"
                       "<th>unexpected</th><th>sample</th></tr>")
            for f in failures:
                count = f.get("error") or ("" if f.get("unexpected_count") is None else str(f["unexpected_count"]))
                sample = "<br>".join(e(str(v)) for v in f.get("unexpected_sample") or [])
                out.append(f"<tr><td><code>{e(f['name'])}</code></td><td>{e(str(f.get('column') or ''))}</td>"
                           f"<td>{e(f.get('description') or '')}</td><td>{e(count)}</td><td>{sample}</td></tr>")
            out.append("</table>")
        pages = s.get("data_docs_pages") or []
        if pages:
            links = ", ".join(f"<a href='{e(p)}'>{e(_page_label(p, s['name']))}</a>" for p in pages)
            out.append(f"<p class='small'>Validation pages: {links}</p>")
    out.append("</body></html>")
    return "\n".join(out)


def _page_label(path: str, suite: str) -> str:
    # gx/validations/<suite>/<schema>/<table>/<run>/<time>/<batch>.html -> "<schema>.<table>"
    parts = Path(path).parts
    try:
        i = parts.index(suite)
        return ".".join(parts[i + 1:-3]) or suite
    except ValueError:
        return Path(path).stem
