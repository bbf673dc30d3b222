"""The benchmark's results rendered as a dated section of benchmarks/RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform

from benchmarks.config import (
    ADD_SESSION_S,
    FLOOR_RATIO,
    FULL_BUILD_S,
    INCREMENTAL,
    PEAK_MB_AT_SCALE,
    PUBLISH_NEW_SESSION_S,
    QUERY_MS,
    QUERY_RUNS,
    RESULTS,
)


# ---------------------------------------------------------------------------- report
def machine() -> dict:
    import dagster
    import duckdb

    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "duckdb": duckdb.__version__, "dagster": dagster.__version__,
            "platform": platform.platform()}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def render(r: dict, args: argparse.Namespace, total_s: float) -> str:
    m = machine()
    st = r["inproc_cold"]["stages"]
    fl = r["floors"]
    sec = lambda name, stages=st: stages.get(name, {}).get("seconds", 0.0)  # noqa: E731
    lines = [f"## {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} — `python -m benchmarks.run"
             f"{' --quick' if args.quick else f' --scale {args.scale}'}`", "",
             f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['platform']}; "
             f"Python {m['python']}, duckdb {m['duckdb']}, dagster {m['dagster']}. "
             f"Benchmark wall time {total_s / 60:.1f} min. Load average at the end (1/5/15 min): "
             f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (the builds keep both cores busy, parsing and "
             "extracting in worker processes, so a load near the core count is the benchmark's own; well above "
             "it, other work competed and the times are inflated).", ""]

    def build_row(label, x, target=None):
        t = f" | {target}" if target else " | "
        return (f"| {label} | {x['seconds']:.1f} | {x['process_seconds']:.1f} | {x['peak_mb']:.0f} | "
                f"{x['status']}{t} |")

    full_ok = max(r["dagster_cold"]["process_seconds"], r["inproc_cold"]["process_seconds"]) < FULL_BUILD_S
    lines += ["### Builds (sessions 74-79, real corpus)", "",
              "Build s: the build call; process s: with interpreter start and imports (what a user waits).", "",
              "| build | build s | process s | peak MB | status | target |", "|---|---:|---:|---:|---|---|",
              build_row("in process, cold", r["inproc_cold"],
                        f"< {FULL_BUILD_S:.0f} s: {verdict(r['inproc_cold']['process_seconds'] < FULL_BUILD_S)}"),
              build_row("in process, warm (nothing changed)", r["inproc_warm"]),
              build_row("Dagster, cold", r["dagster_cold"],
                        f"< {FULL_BUILD_S:.0f} s: {verdict(r['dagster_cold']['process_seconds'] < FULL_BUILD_S)}"),
              build_row("Dagster, warm (nothing changed)", r["dagster_warm"]),
              build_row(f"drop session {INCREMENTAL} (files removed)", r["drop_session"]),
              build_row(f"add session {INCREMENTAL} to a warehouse of the others", r["add_session"],
                        f"< {ADD_SESSION_S:.0f} s: {verdict(r['add_session']['process_seconds'] < ADD_SESSION_S)}"),
              build_row(f"re-run unchanged session {INCREMENTAL}", r["rerun_session"]), "",
              f"Dagster overhead: cold {r['dagster_cold']['seconds'] - r['inproc_cold']['seconds']:+.1f} s, "
              f"warm {r['dagster_warm']['seconds'] - r['inproc_warm']['seconds']:+.1f} s over in process. "
              f"Full build target (< {FULL_BUILD_S:.0f} s including Dagster): {verdict(full_ok)}.", ""]

    from transforms.parallel import workers

    n_workers = r["inproc_cold"].get("workers", workers())
    xml_bytes = st["parse"]["size"]
    docs = st["raw layer"]["size"]
    ingest_s = sec("scan_landing") + sec("raw layer")
    lxml_rate = fl["xml_bytes"] / fl["lxml_seconds"]
    parse_rate = xml_bytes / sec("parse")
    parse_ratio = lxml_rate / parse_rate
    serial_parse_ratio = fl["serial_parse_seconds"] / fl["lxml_seconds"]
    paragraphs = st["core layer"]["size"]
    floor_rows = fl["arrow_rows"] / fl["arrow_seconds"]
    core_rate = paragraphs / sec("core layer")
    insert_rate = st["insert_frame"]["size"] / sec("insert_frame")
    extract_s = sec("extraction") + sec("actors: resolution_actors")
    extract_ratio = extract_s / fl["lxml_seconds"]
    serial_extract_s = sum(fl["serial_extraction"].values())
    mb = lambda bps: f"{bps / 1e6:.1f} MB/s"  # noqa: E731
    lines += ["### Stages of the cold in-process build, against the floor", "",
              f"Parsing and extraction run over {n_workers} worker processes (transforms/parallel.py); the "
              "rows marked 'one process' time the same work in a single process, in the floors worker, "
              "for the cost per core.", "",
              "| stage | seconds | throughput | floor | ratio to floor | target |", "|---|---:|---|---|---:|---|",
              f"| ingest (scan_landing + raw layer: read, hash, unzip, insert raw.document) | {ingest_s:.2f} | "
              f"{mb(r['corpus_bytes'] / ingest_s)} compressed, {docs / ingest_s:.0f} docs/s | | | |",
              f"| parse (every XML and text document, {n_workers} workers, wall) | {sec('parse'):.2f} | "
              f"{mb(parse_rate)} XML, {docs / sec('parse'):.0f} docs/s | lxml.etree.fromstring "
              f"{mb(lxml_rate)} ({fl['xml_files']} files, {fl['xml_bytes'] / 1e6:.1f} MB, {fl['lxml_seconds']:.2f} s)"
              f" | {parse_ratio:.1f}x | ≤ {FLOOR_RATIO:.0f}x: {verdict(parse_ratio <= FLOOR_RATIO)} |",
              f"| parse, one process (parse_akn of every XML file) | {fl['serial_parse_seconds']:.2f} | "
              f"{mb(fl['xml_bytes'] / fl['serial_parse_seconds'])} | same | {serial_parse_ratio:.1f}x | |",
              f"| ingest + parse | {ingest_s + sec('parse'):.2f} | "
              f"{mb(xml_bytes / (ingest_s + sec('parse')))} XML, "
              f"{docs / (ingest_s + sec('parse')):.0f} docs/s | | | |",
              f"| staging layer (all of it: parse, metadata, selection, reconciliation, frames, inserts) | "
              f"{sec('staging layer'):.2f} | | | | |",
              f"| … resolution_frames | {sec('resolution_frames'):.2f} | | | | |",
              f"| … parse_metadata_jsonl | {sec('parse_metadata_jsonl'):.2f} | | | | |",
              f"| load: every db.insert_frame ({st['insert_frame']['size']} rows) | {sec('insert_frame'):.2f} | "
              f"{insert_rate:,.0f} rows/s | Arrow insert {floor_rows:,.0f} rows/s | {floor_rows / insert_rate:.1f}x | |",
              f"| load: core layer SQL ({paragraphs} fact_paragraph rows, + footnotes, citations, bridges) | "
              f"{sec('core layer'):.2f} | {core_rate:,.0f} paragraph rows/s | Arrow insert of core.fact_paragraph "
              f"({fl['arrow_rows']} rows, {fl['arrow_seconds']:.2f} s) | {floor_rows / core_rate:.1f}x | |",
              f"| extraction ({n_workers} workers, wall; + resolution_actors) | {extract_s:.2f} | | lxml parse of the "
              f"same corpus ({fl['lxml_seconds']:.2f} s) | {extract_ratio:.1f}x | ≤ {FLOOR_RATIO:.0f}x: "
              f"{verdict(extract_ratio <= FLOOR_RATIO)} |"]
    for n, v in fl["serial_extraction"].items():
        lines.append(f"| … one process: {n} | {v:.2f} | | | | |")
    lines += [f"| … one process: extraction total | {serial_extract_s:.2f} | | same | "
              f"{serial_extract_s / fl['lxml_seconds']:.1f}x | |",
              f"| enrich layer (extraction + inserts) | {sec('enrich layer'):.2f} | | | | |",
              f"| session marts | {sec('session marts'):.2f} | | | | |",
              f"| … search tables (paragraph_search, paragraph_term) | {sec('search tables'):.2f} | | | | |",
              f"| global marts (rollups, series lineage) | {sec('global marts'):.2f} | | | | |",
              f"| checks | {sec('checks'):.2f} | | | | |",
              f"| publish + report (all of it) | {sec('publish + report'):.2f} | | | | |",
              f"| … raw suite | {sec('publish: raw suite'):.2f} | | | | |",
              f"| … snapshot suites | {sec('publish: snapshot suites'):.2f} | | | | |",
              f"| … export files (beside the snapshot suites) | {sec('publish: export files'):.2f} | | | | |",
              f"| … quality report | {sec('quality report'):.2f} | | | | |", ""]

    add = r["add_session"].get("stages")
    if add:
        publish_s = sec("publish + report", add)
        lines += [f"### Adding session {INCREMENTAL} to a warehouse of the others, by stage", "",
                  "| stage | seconds | target |", "|---|---:|---|",
                  f"| the whole build call | {r['add_session']['seconds']:.2f} | "
                  f"≤ {ADD_SESSION_S:.0f} s (process): {verdict(r['add_session']['process_seconds'] <= ADD_SESSION_S)} |"]
        for label, name in (("raw layer", "raw layer"), ("staging layer (parse included)", "staging layer"),
                            ("core layer", "core layer"), ("enrich layer", "enrich layer"),
                            ("session marts", "session marts"), ("global marts", "global marts"),
                            ("checks", "checks")):
            lines.append(f"| {label} | {sec(name, add):.2f} | |")
        lines += [f"| publish + report (all of it) | {publish_s:.2f} | ≤ {PUBLISH_NEW_SESSION_S:.0f} s: "
                  f"{verdict(publish_s <= PUBLISH_NEW_SESSION_S)} |",
                  f"| … raw suite | {sec('publish: raw suite', add):.2f} | |",
                  f"| … snapshot suites | {sec('publish: snapshot suites', add):.2f} | |",
                  f"| … export files | {sec('publish: export files', add):.2f} | |",
                  f"| … quality report | {sec('quality report', add):.2f} | |", ""]

    lines += [f"### Query latency on the published snapshot ({QUERY_RUNS} runs after a first one)", "",
              "| query | first ms | median ms | p95 ms | target |", "|---|---:|---:|---:|---|"]
    for label, q in r["queries"].items():
        if not isinstance(q, dict):  # process_seconds of the worker
            continue
        lines.append(f"| {label} | {q['first_ms']:.1f} | {q['median_ms']:.1f} | {q['p95_ms']:.1f} | "
                     f"median < {QUERY_MS:.0f} ms: {verdict(q['median_ms'] < QUERY_MS)} |")
    lines.append("")

    if "scale_cold" in r:
        sc, one = r["scale_cold"], r["inproc_cold"]
        f = r["scale_corpus"]["factor"]
        growth = sc["seconds"] / one["seconds"]
        linear = growth <= 1.25 * f
        lines += [f"### Scale (SYNTHETIC: the real sessions replicated {f}x under rewritten sessions "
                  f"{r['scale_corpus']['sessions'][0]}-{r['scale_corpus']['sessions'][-1]}, see benchmarks/synthetic.py)",
                  "", "| corpus | MB | build s | peak MB | status |", "|---|---:|---:|---:|---|",
                  f"| 1x (real) | {r['corpus_bytes'] / 1e6:.1f} | {one['seconds']:.1f} | {one['peak_mb']:.0f} | "
                  f"{one['status']} |",
                  f"| {f}x (synthetic) | {r['scale_corpus']['bytes'] / 1e6:.1f} | {sc['seconds']:.1f} | "
                  f"{sc['peak_mb']:.0f} | {sc['status']} |", "",
                  "Peak memory by phase of the build (this process and its worker processes, sampled every "
                  "0.2 s; MB at the phase's peak, split as this process + workers):", "",
                  f"| phase | 1x MB | {f}x MB |", "|---|---:|---:|",
                  *_phase_table(one, sc), "",
                  f"Time grew {growth:.1f}x for {f}x the corpus ({growth / f:.2f} of linear): linear "
                  f"(≤ 1.25 × {f}): {verdict(linear)}. Peak memory at {f}x: {sc['peak_mb']:.0f} MB"
                  + (f", target < {PEAK_MB_AT_SCALE:.0f} MB at 10x: {verdict(sc['peak_mb'] < PEAK_MB_AT_SCALE)}."
                     if f == 10 else f" (the target, < {PEAK_MB_AT_SCALE:.0f} MB, is set at 10x)."), ""]
    elif "scale_error" in r:
        lines += ["### Scale", "", f"The {r['scale_corpus']['factor']}x build failed:", "", "```",
                  r["scale_error"], "```", ""]
    else:
        lines += ["### Scale", "", "Skipped (--quick).", ""]
    return "\n".join(lines) + "\n"


def _phase_peaks(build: dict, top: int | None = 5) -> list[tuple[str, str]]:
    """The phases of a build with their peak memory (this process + workers), highest first.

    The sessions are merged into one line (their highest); the last session's phase also
    covers the series lineage, which runs in the workers before "marts over all sessions"
    is reported.
    """
    peaks, split = build.get("memory_by_phase", {}), build.get("memory_split", {})
    sessions = [k for k in peaks if k.startswith("session ")]
    rows = {k: peaks[k] for k in peaks if not k.startswith("session ") and k != "start"}
    if sessions:
        highest = max(sessions, key=lambda k: peaks[k])
        rows[f"{len(sessions)} sessions"] = peaks[highest]
        split = {**split, f"{len(sessions)} sessions": split.get(highest)}
    out = []
    for k, v in sorted(rows.items(), key=lambda kv: -kv[1])[:top]:
        parts = split.get(k)
        detail = f" = {parts[0]:.0f} + {parts[1]:.0f} in workers" if parts else ""
        out.append((k, f"{v:.0f} MB{detail}"))
    return out


def _phase_table(one: dict, scaled: dict) -> list[str]:
    """One row per build phase: its peak at 1x and at scale, highest at scale first."""
    a, b = dict(_phase_peaks(one, top=None)), dict(_phase_peaks(scaled, top=None))
    sessions = lambda d: next((k for k in d if k.endswith(" sessions")), None)  # noqa: E731
    sa, sb = sessions(a), sessions(b)
    if sa and sb:  # the session phases: one row, whatever the count of sessions
        a["sessions (highest)"], b["sessions (highest)"] = a.pop(sa), b.pop(sb)
    order = sorted(set(a) | set(b), key=lambda k: -float(b.get(k, a.get(k, "0 ")).split()[0]))
    return [f"| {k} | {a.get(k, '')} | {b.get(k, '')} |" for k in order]


HEADER = ("# Benchmark results\n\nWritten by `python -m benchmarks.run` (`make bench`); the newest run is "
          "first, older runs are kept below so regressions show.\n\n")


def write_results(section: str, replace_newest: bool = False) -> None:
    """Prepend ``section`` (or, re-rendering an earlier run, put it in place of the newest)."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    old = old[len(HEADER):] if old.startswith(HEADER) else old
    if replace_newest and old.startswith("## "):
        nxt = old.find("\n## ", 1)
        old = old[nxt + 1:] if nxt >= 0 else ""
    RESULTS.write_text(HEADER + section + ("\n" + old if old.strip() else ""), encoding="utf-8")
