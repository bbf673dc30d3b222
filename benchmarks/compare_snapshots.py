"""Compare two published snapshots table by table (issue 17: "the same rows in every public table").

    python -m benchmarks.compare_snapshots OLD.duckdb NEW.duckdb [--json out.json] [--show N]
        [--schema core --schema marts ...]

Both files are attached read-only to an in-memory DuckDB. Every table (and view) of every
schema either snapshot holds is compared: the public schemas of ``warehouse.publish``
(``core``, ``marts``), ``ops`` (build info, quarantine, suite results, completeness: published
for readers too) and the search index's ``fts_*`` schema, so a table or schema that appears
or vanishes shows up as well. For each table:

* tables only in one side, and columns only in one side or whose type changed;
* row counts on each side;
* rows in one and not the other, as multisets: ``EXCEPT ALL`` both ways over the columns
  both sides share (a duplicated or lost copy of a row counts, row order does not), minus
  the columns of :data:`EXCLUDED`, which legitimately differ from build to build.

The fts index tables number documents, terms and fields by surrogate ids assigned in the
order the rows of ``marts.paragraph_search`` happened to be scanned when the index was built;
they are compared with each id replaced by what it stands for (:data:`FTS_RESOLVED`), so a
build that writes the same paragraphs in another order is not reported, while a different
term, document length or document frequency is.

Prints one line per table (rows old, rows new, only in old, only in new, verdict) and a few
differing rows of each table that differs (``--show``); ``--json`` writes everything.
Exit status: 0 when every table is equal, 1 when any differs (or exists on one side only),
2 on a usage error (a file missing).

Values never go into SQL text: catalogue queries bind the database name, and schema, table and
column names, which come from the snapshots' own catalogue, are quoted as identifiers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from transforms.coverage import calendar_phase
from warehouse.db import path_literal

OLD, NEW = "snap_old", "snap_new"

# Columns left out of the row comparison, each because it differs between two builds of the
# same data by the same rules. Nothing else is excluded; every other column of every table
# is compared. (Not here, on purpose: marts.period_coverage and the marts' `coverage` /
# `is_complete` columns judge each period against the build date, but only through
# transforms.coverage.calendar_phase, which for sessions 74-79 is the same for every build
# after 31 December 2025; the tool warns when the two builds fall in different phases.)
EXCLUDED: dict[tuple[str, str, str], str] = {
    ("ops", "build_info", "published_at"): "wall-clock time the snapshot was written",
    ("ops", "build_info", "run_id"): "id of the Dagster run (or in-process-<uuid>) that published it: new every build",
    ("ops", "build_info", "code_version"): "hash of the source of transforms/ and warehouse/sql/ "
                                           "(pipeline.code_version): changes with any code edit, which a refactor is",
    ("ops", "build_info", "warehouse_state"): "hash of the rows together with the code and the layers' fingerprints "
                                              "(pipeline.warehouse_state): changes with the code even when every "
                                              "row is the same, and between two builds of the same code too (the "
                                              "global marts' fingerprint hashes raw.load_state.loaded_at)",
    ("ops", "rejected", "rejected_at"): "wall-clock time the file was quarantined in this build",
    ("ops", "held_back", "held_at"): "wall-clock time the resolution was held back in this build",
}

# The fts extension's tables with their surrogate ids resolved (see the module docstring):
# table -> (columns, SELECT over the schema {s} of database {db}).
FTS_RESOLVED: dict[str, tuple[list[str], str]] = {
    "docs": (["name", "len"], "SELECT name, len FROM {db}.{s}.docs"),
    "dict": (["term", "df"], "SELECT term, df FROM {db}.{s}.dict"),
    "fields": (["field"], "SELECT field FROM {db}.{s}.fields"),
    "terms": (["name", "field", "term"],
              "SELECT d.name, f.field, w.term FROM {db}.{s}.terms t "
              "JOIN {db}.{s}.docs d ON d.docid = t.docid "
              "JOIN {db}.{s}.fields f ON f.fieldid = t.fieldid "
              "JOIN {db}.{s}.dict w ON w.termid = t.termid"),
}
FTS_PREFIX = "fts_"
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")


def ident(name: str) -> str:
    """A catalogue name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class TableDiff:
    schema: str
    table: str
    verdict: str = "equal"             # equal | differs | only in old | only in new
    rows_old: int | None = None
    rows_new: int | None = None
    only_in_old: int | None = None
    only_in_new: int | None = None
    columns_only_in_old: list[str] = field(default_factory=list)
    columns_only_in_new: list[str] = field(default_factory=list)
    type_changes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    compared_as: str = "rows"          # rows | ids resolved
    columns: list[str] = field(default_factory=list)  # the columns compared row by row, as in the samples
    sample_old: list[list] = field(default_factory=list)
    sample_new: list[list] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


def catalogue(con: duckdb.DuckDBPyConnection, database: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, type)] in column order, for every table and view of ``database``."""
    rows = con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema NOT IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY table_schema, table_name, ordinal_position",
        [database, list(SYSTEM_SCHEMAS)],
    ).fetchall()
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, dtype in rows:
        out.setdefault((schema, table), []).append((column, dtype))
    return out


def _relation(database: str, schema: str, table: str, columns: list[str], types: dict[str, str]) -> str:
    """SELECT of ``columns`` of a table, cast to VARCHAR where the two sides' types differ."""
    if schema.startswith(FTS_PREFIX) and table in FTS_RESOLVED:
        sql = FTS_RESOLVED[table][1].format(db=database, s=ident(schema))
        return f"SELECT {', '.join(ident(c) for c in columns)} FROM ({sql})"
    cols = ", ".join(f"CAST({ident(c)} AS VARCHAR) AS {ident(c)}" if c in types else ident(c) for c in columns)
    return f"SELECT {cols} FROM {database}.{ident(schema)}.{ident(table)}"


def compare_table(con: duckdb.DuckDBPyConnection, schema: str, table: str,
                  old_cols: list[tuple[str, str]] | None, new_cols: list[tuple[str, str]] | None,
                  new_db: str, show: int) -> TableDiff:
    start = time.perf_counter()
    diff = TableDiff(schema, table)
    count = "SELECT count(*) FROM {}.{}.{}"
    if old_cols is not None:
        diff.rows_old = con.execute(count.format(OLD, ident(schema), ident(table))).fetchone()[0]
    if new_cols is not None:
        diff.rows_new = con.execute(count.format(new_db, ident(schema), ident(table))).fetchone()[0]
    if old_cols is None or new_cols is None:
        diff.verdict = "only in new" if old_cols is None else "only in old"
        diff.seconds = time.perf_counter() - start
        return diff

    old_types, new_types = dict(old_cols), dict(new_cols)
    diff.columns_only_in_old = [c for c, _ in old_cols if c not in new_types]
    diff.columns_only_in_new = [c for c, _ in new_cols if c not in old_types]
    changed = {c: f"{c}: {old_types[c]} -> {new_types[c]}" for c, _ in old_cols
               if c in new_types and old_types[c] != new_types[c]}
    diff.type_changes = list(changed.values())
    shared = [c for c, _ in old_cols if c in new_types]
    if schema.startswith(FTS_PREFIX) and table in FTS_RESOLVED:
        diff.compared_as = "ids resolved"
        columns = FTS_RESOLVED[table][0]
        changed = {}
    else:
        diff.excluded = [c for c in shared if (schema, table, c) in EXCLUDED]
        columns = [c for c in shared if (schema, table, c) not in EXCLUDED]

    diff.columns = list(columns)
    if columns:
        old_rel = _relation(OLD, schema, table, columns, changed)
        new_rel = _relation(new_db, schema, table, columns, changed)
        for side, first, second in (("old", old_rel, new_rel), ("new", new_rel, old_rel)):
            except_all = f"{first} EXCEPT ALL {second}"
            n = con.execute(f"SELECT count(*) FROM ({except_all})").fetchone()[0]
            setattr(diff, f"only_in_{side}", n)
            if n and show:
                rows = con.execute(f"SELECT * FROM ({except_all}) LIMIT ?", [show]).fetchall()
                setattr(diff, f"sample_{side}", [[_jsonable(v) for v in row] for row in rows])
    else:  # nothing left to compare row by row: the counts decide
        diff.only_in_old = max((diff.rows_old or 0) - (diff.rows_new or 0), 0)
        diff.only_in_new = max((diff.rows_new or 0) - (diff.rows_old or 0), 0)

    if (diff.only_in_old or diff.only_in_new or diff.columns_only_in_old or diff.columns_only_in_new
            or diff.type_changes or diff.rows_old != diff.rows_new):
        diff.verdict = "differs"
    diff.seconds = time.perf_counter() - start
    return diff


def _jsonable(value):
    """A value of a sample row as JSON can hold it, whole (the text report cuts long ones)."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (int, float, bool, str, type(None))):
        return value
    return str(value)


def _cut(value, width: int = 80):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _build_dates(con: duckdb.DuckDBPyConnection, database: str) -> list[dt.date]:
    try:
        return [r[0].date() for r in con.execute(f"SELECT published_at FROM {database}.ops.build_info").fetchall()
                if r[0] is not None]
    except duckdb.Error:
        return []


def compare(old: Path, new: Path, schemas: list[str] | None = None, show: int = 3) -> dict:
    """Every table of both snapshots compared; the result as a dict (what --json writes)."""
    start = time.perf_counter()
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {path_literal(old)} AS {OLD} (READ_ONLY)")
        same_file = Path(old).resolve() == Path(new).resolve()
        new_db = OLD if same_file else NEW  # DuckDB refuses to attach one file twice
        if not same_file:
            con.execute(f"ATTACH {path_literal(new)} AS {NEW} (READ_ONLY)")
        old_cat, new_cat = catalogue(con, OLD), catalogue(con, new_db)
        names = sorted(set(old_cat) | set(new_cat))
        if schemas:
            names = [n for n in names if n[0] in schemas]
        tables = [compare_table(con, s, t, old_cat.get((s, t)), new_cat.get((s, t)), new_db, show)
                  for s, t in names]
        warnings = []
        if same_file:
            warnings.append("OLD and NEW are the same file")
        phases = {side: sorted({calendar_phase(d) for d in _build_dates(con, db)})
                  for side, db in (("old", OLD), ("new", new_db))}
        if phases["old"] and phases["new"] and phases["old"] != phases["new"]:
            warnings.append(f"the snapshots were built in different calendar phases ({phases['old']} vs "
                            f"{phases['new']}): marts.period_coverage and the marts' coverage and is_complete "
                            "judge periods against the build date and may differ for that reason alone")
    finally:
        con.close()
    return {
        "old": str(old), "new": str(new),
        "equal": all(t.verdict == "equal" for t in tables),
        "tables_compared": len(tables),
        "tables_differing": [t.name for t in tables if t.verdict != "equal"],
        "excluded_columns": {".".join(k): why for k, why in EXCLUDED.items()},
        "warnings": warnings,
        "seconds": round(time.perf_counter() - start, 2),
        "tables": [asdict(t) | {"name": t.name} for t in tables],
    }


def _n(value) -> str:
    return "-" if value is None else f"{value:,}"


def render(result: dict) -> str:
    head = ("table", "rows old", "rows new", "only in old", "only in new", "verdict")
    rows = []
    for t in result["tables"]:
        verdict = t["verdict"]
        notes = []
        if t["columns_only_in_old"]:
            notes.append("columns only in old: " + ", ".join(t["columns_only_in_old"]))
        if t["columns_only_in_new"]:
            notes.append("columns only in new: " + ", ".join(t["columns_only_in_new"]))
        if t["type_changes"]:
            notes.append("types: " + "; ".join(t["type_changes"]))
        if t["excluded"]:
            notes.append("not compared: " + ", ".join(t["excluded"]))
        if t["compared_as"] != "rows":
            notes.append(t["compared_as"])
        if notes:
            verdict += " (" + "; ".join(notes) + ")"
        rows.append((t["name"], _n(t["rows_old"]), _n(t["rows_new"]), _n(t["only_in_old"]),
                     _n(t["only_in_new"]), verdict))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    fmt = lambda r: "  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:-1], widths[1:])] + [r[-1]])
    lines = [f"old: {result['old']}", f"new: {result['new']}", "", fmt(head),
             fmt(tuple("-" * len(h) for h in head)), *map(fmt, rows), ""]
    for t in result["tables"]:
        for side in ("old", "new"):
            if t[f"sample_{side}"]:
                lines.append(f"{t['name']}: rows only in {side} (first {len(t[f'sample_{side}'])} of "
                             f"{t[f'only_in_{side}']:,}; long values cut, whole in --json):")
                lines.append("    " + " | ".join(t["columns"]))
                lines += ["    " + " | ".join(_cut(v) for v in r) for r in t[f"sample_{side}"]]
    lines += [f"warning: {w}" for w in result["warnings"]]
    n_diff = len(result["tables_differing"])
    lines.append(f"{result['tables_compared']} tables compared in {result['seconds']:.1f} s: "
                 + ("all equal" if result["equal"] else f"{n_diff} differ: " + ", ".join(result["tables_differing"])))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_snapshots",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the snapshot before (published/unga.duckdb)")
    parser.add_argument("new", type=Path, help="the snapshot after")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the full result as JSON")
    parser.add_argument("--show", type=int, default=3, metavar="N",
                        help="differing rows listed per table and side (default 3; 0: none)")
    parser.add_argument("--schema", action="append", metavar="NAME",
                        help="compare only this schema (repeatable; default every schema of either snapshot)")
    args = parser.parse_args(argv)
    for path in (args.old, args.new):
        if not path.is_file():
            parser.error(f"no such file: {path}")  # exits with 2
    result = compare(args.old, args.new, args.schema, max(args.show, 0))
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
