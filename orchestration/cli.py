"""`unga`: build, inspect and query the warehouse from the terminal.

Every command honours ``--data-dir`` and ``UNGA_DATA_DIR`` (default ``./data``).
Queries run read-only on the published snapshot, so they never block a build
and never see a half-finished one.

The CLI sits at the top of the layers (transforms < warehouse < expectations <
orchestration) because `unga build` drives a whole build, in process
(orchestration/build.py) or through Dagster (orchestration/runner.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import os
import sys
from pathlib import Path

import click
import duckdb

from transforms.export import parse_file, resolution_to_dict
from transforms.model import ParseError
from warehouse.codebook import CodebookError, load_codebook, render
from warehouse.published import latest_report, open_snapshot
from warehouse.search import SearchIndexMissing, cap_for, open_search, paragraph_label, search, totals, totals_line
from warehouse.settings import ENV_VAR, Paths, paths as resolve_paths
from warehouse.status import build_summary, status_report

# Table format's cell width: wide enough for a symbol, a title's start or a date, narrow
# enough that a row of several text columns fits a terminal; --width widens it.
CELL_WIDTH = 60


def _progress(message: str) -> None:
    click.echo(f"{dt.datetime.now():%H:%M:%S}  {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar=ENV_VAR,
              help=f"Root of landing, warehouse, snapshot and Dagster's home [env {ENV_VAR}; default ./data].")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """unga-warehouse: UN General Assembly resolutions as a DuckDB warehouse."""
    ctx.obj = resolve_paths(data_dir)


@main.command()
@click.option("--session", "sessions", type=int, multiple=True, help="Build only this session (repeatable).")
@click.option("--no-dagster", is_flag=True, help="Run the pipeline functions directly, without Dagster.")
@click.option("--force", is_flag=True, help="Rebuild even sessions whose inputs have not changed, and write the snapshot even if it would be "
                   "the same.")
@click.pass_obj
def build(paths: Paths, sessions: tuple[int, ...], no_dagster: bool, force: bool) -> None:
    """Build and publish the warehouse for every session in the landing folder.

    Ends with a summary: published or not, the sessions, files quarantined and
    resolutions held back with their reasons, and the quality report's path.

    \b
    Exit codes:
      0  published (or the snapshot was already current); quarantined files and
         held-back resolutions are listed but do not fail the build
      1  not published: a systemic failure; the last good snapshot stays
      2  usage error (bad option, no landing folder)
      3  the build could not run: another build holds the warehouse, or an
         unexpected error (its message is printed; set UNGA_DEBUG=1 for the trace)
    """
    if not paths.landing.is_dir():
        raise click.UsageError(f"no landing folder at {paths.landing}: put resolutions there first")
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    try:
        if no_dagster:
            from orchestration.build import build_all  # deferred: the suites (pandas, GE), for `build` only

            summary = build_all(paths, list(sessions) or None, force=force, progress=_progress)
        else:
            from orchestration.runner import build_with_dagster  # deferred: Dagster, for `build` only

            summary = build_with_dagster(paths, list(sessions) or None, progress=_progress, force=force)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        _fail(f"the warehouse {paths.warehouse} is being written by another build (or `make dagster`); "
              f"wait for it to finish and try again. ({str(exc).splitlines()[0]})")
    except Exception as exc:  # an unexpected failure: a message, not a stack trace (UNGA_DEBUG=1 shows it)
        if os.environ.get("UNGA_DEBUG"):
            raise
        _fail(f"the build failed: {type(exc).__name__}: {exc}".splitlines()[0])
    click.echo(build_summary(paths, summary, started_at))
    if summary["status"] != "published":
        sys.exit(1)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(3)


@main.command()
@click.pass_obj
def status(paths: Paths) -> None:
    """Sessions, resolutions, paragraphs, rejected files and the last run."""
    click.echo(status_report(paths))


@main.command("report")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "path"]), default="md", show_default=True,
              help="md: the Markdown report and where the HTML is; html: the HTML itself; path: the HTML's path.")
@click.pass_obj
def report_command(paths: Paths, fmt: str) -> None:
    """The latest quality report, written by every `unga build` under <data-dir>/reports."""
    found = latest_report(paths.reports)
    if found is None:
        raise click.ClickException(f"no quality report in {paths.reports} yet: run `unga build` first")
    if fmt == "md":
        click.echo(found.markdown.read_text(encoding="utf-8"), nl=False)
        click.echo(f"HTML: {found.html}")
    elif fmt == "html":
        click.echo(found.html.read_text(encoding="utf-8"), nl=False)
    else:
        click.echo(str(found.html))


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Print at most this many rows (table format: 40).")
@click.option("--width", type=click.IntRange(min=0), default=CELL_WIDTH, show_default=True,
              help="Table format: cut cells longer than this many characters; 0 never cuts. csv and json never cut.")
@click.pass_obj
def sql(paths: Paths, query: str, fmt: str, limit: int | None, width: int) -> None:
    """Run a read-only QUERY on the published snapshot."""
    try:
        con = open_snapshot(paths.snapshot)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        # The snapshot is opened read-only; this also stops a query from attaching or
        # writing other files (the working warehouse among them).
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        cur = con.execute(query)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as exc:
        raise click.ClickException(f"query failed: {exc}") from exc
    finally:
        con.close()
    click.echo(format_rows(columns, rows, fmt, limit if limit is not None else (40 if fmt == "table" else None),
                           width=width))


@main.command("search")
@click.argument("query")
@click.option("--year", type=int, help="Only paragraphs of resolutions of this year.")
@click.option("--session", type=int, help="Only paragraphs of this session.")
@click.option("--theme", help="Only paragraphs tagged with this theme code or one of its sub-themes.")
@click.option("--kind", type=click.Choice(["preambular", "operative", "annex"]), help="Only this kind of paragraph.")
@click.option("--verb", help='Only paragraphs whose lead verb is this, e.g. "urges", "calls upon".')
@click.option("--symbol", help="Only paragraphs of this resolution, e.g. A/RES/78/229.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many paragraphs.")
@click.option("--per-resolution", type=click.IntRange(min=0), default=3, show_default=True,
              help="At most this many paragraphs of any one resolution, its best ones; 0 shows all "
                   "(not applied with --symbol).")
@click.option("--all-paragraphs", is_flag=True, help="Every matching paragraph of each resolution (--per-resolution 0).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def search_command(paths: Paths, query: str, year: int | None, session: int | None, theme: str | None,
                   kind: str | None, verb: str | None, symbol: str | None, limit: int, per_resolution: int,
                   all_paragraphs: bool, fmt: str) -> None:
    """Full-text search of paragraphs in the published snapshot, best match first.

    Words are matched stemmed ("trafficking" finds "trafficked"); any word of QUERY
    may match and paragraphs with more, or rarer, words rank higher (BM25). At most
    --per-resolution paragraphs (3) of any one resolution are listed, so one long
    resolution does not fill the page; the table ends with how many paragraphs and
    resolutions matched in all.
    """
    try:
        con = open_search(paths.snapshot)
    except (FileNotFoundError, SearchIndexMissing) as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        hits = search(con, query, year=year, session=session, theme=theme, kind=kind, verb=verb,
                      symbol=symbol, limit=limit, per_resolution=0 if all_paragraphs else per_resolution)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    except duckdb.Error as exc:
        raise click.ClickException(f"search failed: {exc}") from exc
    finally:
        con.close()
    records = hits.to_dicts()
    for rank, r in enumerate(records, start=1):
        r["rank"] = rank
        r["paragraph"] = paragraph_label(r["kind"], r["number"], r["ordinal"])
    if fmt == "table":
        columns = ["rank", "symbol", "paragraph", "score", "snippet"]
        rows = [(r["rank"], r["symbol"], r["paragraph"], f"{r['score']:.2f}", r["snippet"]) for r in records]
        cap = cap_for(0 if all_paragraphs else per_resolution, symbol)
        click.echo(_search_table(columns, rows))
        click.echo(totals_line(totals(hits, cap), "--per-resolution 0 shows all"))
        return
    columns = ["rank", "symbol", "paragraph", *[c for c in hits.columns if c != "symbol"]]
    rows = [tuple(r[c] for c in columns) for r in records]
    if fmt == "csv":  # lists (themes, footnotes) as JSON arrays, one cell each
        rows = [tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in row) for row in rows]
    click.echo(format_rows(columns, rows, fmt))


def _search_table(columns: list[str], rows: list[tuple]) -> str:
    """Aligned columns with the snippet, last, in full (format_rows would cut it at 60)."""
    cells = [[str(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns[:-1])]
    def line(values):
        return "  ".join([v.ljust(w) for v, w in zip(values, widths)] + [values[-1]])
    out = [line(columns), line(["-" * w for w in widths] + ["-" * len(columns[-1])])]
    out += [line(row) for row in cells]
    return "\n".join(out)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["summary", "json"]), default="summary", show_default=True)
def parse(file: Path, fmt: str) -> None:
    """Parse one FILE (official XML, a PDF, or text from a PDF) without touching the warehouse.

    JSON is one object per resolution, an array when the file holds parts (A, B).
    """
    try:
        parsed = parse_file(file.read_bytes(), file.name)
    except ParseError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if fmt == "json":
        items = [resolution_to_dict(r) for r in parsed]
        click.echo(json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=1))
        return
    for r in parsed:
        kinds = {k: sum(p.kind == k for p in r.paragraphs) for k in ("preambular", "operative", "annex")}
        click.echo(f"{r.symbol}  ({r.source_format}, session {r.session_label}, adopted {r.adopted_on})")
        click.echo(f"  {r.title}")
        click.echo(f"  committee: {r.committee}; agenda item(s): {', '.join(r.agenda_items) or '-'}")
        click.echo(f"  paragraphs: {kinds['preambular']} preambular, {kinds['operative']} operative, "
                   f"{kinds['annex']} annex; footnotes: {len(r.footnotes)}; citations: {len(r.citations)}")


@main.command("codebook")
@click.option("--format", "fmt", type=click.Choice(["md", "yaml"]), default="md", show_default=True)
@click.option("--table", "table", default=None, help="Only this table: schema.table, or the table name alone.")
@click.option("--write", "write_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of printing (docs/codebook.md is `--write docs/codebook.md`).")
def codebook_command(fmt: str, table: str | None, write_to: Path | None) -> None:
    """What every public table and column of the snapshot holds (warehouse/codebook.yaml)."""
    try:
        text = render(load_codebook(), fmt=fmt, table=table)
    except (KeyError, CodebookError) as exc:
        raise click.ClickException(exc.args[0] if exc.args else str(exc)) from exc
    if write_to is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_to.parent.mkdir(parents=True, exist_ok=True)
    write_to.write_text(text, encoding="utf-8")
    click.echo(f"wrote {write_to}", err=True)


def _plain(value):
    """A value as JSON and CSV can hold it: dates as ISO text, nested lists and structs too."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # intervals, UUIDs and whatever else DuckDB returns


def format_rows(columns: list[str], rows: list[tuple], fmt: str, limit: int | None = None,
                width: int = CELL_WIDTH) -> str:
    """Rows as an aligned table, CSV or JSON. Only the table cuts cells (at `width`
    characters, 0 for never), and its last line says so when it did."""
    shown = rows if limit is None else rows[:limit]
    if fmt == "json":
        return json.dumps([{c: _plain(v) for c, v in zip(columns, r)} for r in shown], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in r] for r in shown])
        return buf.getvalue().rstrip("\n")
    full = [[_cell(v) for v in r] for r in shown]
    cut = width > 0 and any(len(v) > width for row in full for v in row)
    cells = [[v if not cut or len(v) <= width else v[: width - 1] + "…" for v in row] for row in full]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)), line]
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    more = len(rows) - len(shown)
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''}" + (f", {more} not shown" if more else "")
    if cut:
        footer += f"; cells cut at {width} characters, --width 0 shows them whole"
    out.append(footer + ")")
    return "\n".join(out)


def _cell(value) -> str:
    text = "NULL" if value is None else str(_plain(value))
    return text.replace("\n", " / ")


if __name__ == "__main__":
    main()
