"""The codebook: what every public table and column of the snapshot holds.

``warehouse/codebook.yaml`` is the single machine-readable source. From it this
module

* renders the reference page ``docs/codebook.md`` (:func:`render_markdown`; the
  test suite fails when the committed page differs from the rendering);
* writes every description into a database as DuckDB comments
  (:func:`apply_comments`: ``COMMENT ON TABLE`` / ``COMMENT ON COLUMN``), so that
  BI tools and ``duckdb_columns()`` show them;
* compares the codebook with a database's public tables
  (:func:`undocumented`, :func:`stale`, :func:`type_mismatches`).

The public tables are the base tables of the schemas ``core``, ``marts`` and
``ops`` of the published snapshot (warehouse/publish.py copies core and marts
whole and writes four ops tables).

Refresh the page after editing the YAML::

    unga codebook --write docs/codebook.md      # or: python -m warehouse.codebook
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import duckdb
import yaml

from transforms import yamlio
from warehouse.registry import PROJECT, registry

CODEBOOK_PATH = Path(__file__).with_name("codebook.yaml")
DOCS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "codebook.md"
PUBLIC_SCHEMAS = ("core", "marts", "ops")

# Identifiers that may be spliced into COMMENT statements: lower-case snake_case only.
# Anything else in the catalogue is refused, never quoted around.
_IDENT = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_TABLE_NAME = re.compile(r"(core|marts|ops)\.[a-z_][a-z0-9_]{0,62}")
_TABLE_FIELDS = {"description", "grain", "key", "built_by", "columns"}
_REQUIRED_TABLE_FIELDS = ("description", "grain", "columns")
_COLUMN_FIELDS = {"type", "description", "values", "nulls", "optional"}
_TOP_FIELDS = {"version", "title", "source", "conventions", "shared_columns", "tables"}


class CodebookError(ValueError):
    """The codebook file is malformed; the message lists every problem found."""


# ------------------------------------------------------------------------------ load

def load_codebook(path: Path | str | None = None) -> dict:
    """Read and validate the codebook (default: warehouse/codebook.yaml).

    Returns the parsed mapping: ``tables`` maps "schema.table" to an entry with
    ``description``, ``grain``, ``key``, ``built_by`` and ``columns`` (column name
    -> ``type``, ``description`` and optionally ``values``, ``nulls``,
    ``optional``), in the file's order. Raises CodebookError naming every problem.
    """
    path = Path(path) if path is not None else CODEBOOK_PATH
    try:
        data = yamlio.read(path)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{path}: not valid YAML: {exc}") from exc
    problems = validate(data)
    if problems:
        raise CodebookError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return data


def validate(data) -> list[str]:
    """Every structural problem of a parsed codebook, as sentences (empty when valid)."""
    if not isinstance(data, dict):
        return ["the codebook must be a mapping with a 'tables' key"]
    problems = [f"unknown top-level field {k!r}" for k in data if k not in _TOP_FIELDS]
    if data.get("version") != 1:
        problems.append(f"version must be 1, not {data.get('version')!r}")
    tables = data.get("tables")
    if not isinstance(tables, dict) or not tables:
        return problems + ["'tables' must be a non-empty mapping"]
    for name, entry in tables.items():
        where = f"table {name!r}"
        if not isinstance(name, str) or not _TABLE_NAME.fullmatch(name):
            problems.append(f"{where}: name must be schema.table with schema core, marts or ops, in snake_case")
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        problems += [f"{where}: unknown field {k!r}" for k in entry if k not in _TABLE_FIELDS]
        for field in _REQUIRED_TABLE_FIELDS:
            if field not in entry:
                problems.append(f"{where}: {field} is missing")
        for field in ("description", "grain", "built_by"):
            if field in entry and not _text(entry[field]):
                problems.append(f"{where}: {field} must be non-empty text")
        columns = entry.get("columns")
        if not isinstance(columns, dict) or not columns:
            problems.append(f"{where}: columns must be a non-empty mapping")
            continue
        key = entry.get("key", [])
        if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
            problems.append(f"{where}: key must be a list of column names")
        else:
            problems += [f"{where}: key column {k!r} is not among its columns" for k in key if k not in columns]
        for col, spec in columns.items():
            cwhere = f"{where}, column {col!r}"
            if not isinstance(col, str) or not _IDENT.fullmatch(col):
                problems.append(f"{cwhere}: name must be snake_case")
            if not isinstance(spec, dict):
                problems.append(f"{cwhere}: must be a mapping with type and description")
                continue
            problems += [f"{cwhere}: unknown field {k!r}" for k in spec if k not in _COLUMN_FIELDS]
            if not _text(spec.get("type")):
                problems.append(f"{cwhere}: type is missing (the DuckDB type, as duckdb_columns() shows it)")
            if not _text(spec.get("description")):
                problems.append(f"{cwhere}: description is missing")
            if "values" in spec and not (isinstance(spec["values"], list) and spec["values"]
                                         and all(isinstance(v, str) and v for v in spec["values"])):
                problems.append(f"{cwhere}: values must be a non-empty list of strings (quote yes, no, on, off)")
            if "nulls" in spec and not _text(spec["nulls"]):
                problems.append(f"{cwhere}: nulls must be non-empty text")
            if "optional" in spec and not isinstance(spec["optional"], bool):
                problems.append(f"{cwhere}: optional must be true or false")
    return problems


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip()) and "\x00" not in value


# ------------------------------------------------------------------------- catalogue

def public_columns(con: duckdb.DuckDBPyConnection, database: str | None = None) -> dict[str, dict[str, str]]:
    """"schema.table" -> {column: DuckDB type}, in column order, for every public table.

    ``database`` is a catalog name (an ATTACH alias); default the connection's
    current database.
    """
    rows = con.execute(
        "SELECT c.schema_name, c.table_name, c.column_name, c.data_type "
        "FROM duckdb_columns() c JOIN duckdb_tables() t "
        "  ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name "
        "WHERE c.database_name = coalesce(?, current_database()) AND NOT c.internal "
        "  AND c.schema_name IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY c.schema_name, c.table_name, c.column_index",
        [database, list(PUBLIC_SCHEMAS)],
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for schema, table, column, dtype in rows:
        out.setdefault(f"{schema}.{table}", {})[column] = dtype
    return out


def undocumented(con: duckdb.DuckDBPyConnection, codebook: dict, database: str | None = None) -> list[str]:
    """Public columns of the database that the codebook does not document.

    One "schema.table.column TYPE" string per column, sorted; a table missing from
    the codebook has all its columns listed.
    """
    tables = codebook["tables"]
    return sorted(
        f"{table}.{column} {dtype}"
        for table, columns in public_columns(con, database).items()
        for column, dtype in columns.items()
        if column not in tables.get(table, {}).get("columns", {})
    )


def stale(con: duckdb.DuckDBPyConnection, codebook: dict, database: str | None = None) -> list[str]:
    """What the codebook documents that the database lacks: "schema.table" for a whole
    table, "schema.table.column" for a column. Columns marked optional are not listed."""
    actual = public_columns(con, database)
    out = []
    for table, entry in codebook["tables"].items():
        if table not in actual:
            out.append(table)
            continue
        out += [f"{table}.{column}" for column, spec in entry["columns"].items()
                if column not in actual[table] and not spec.get("optional")]
    return sorted(out)


def type_mismatches(con: duckdb.DuckDBPyConnection, codebook: dict, database: str | None = None) -> list[str]:
    """Documented columns whose type differs from the database's:
    "schema.table.column: codebook X, database Y"."""
    actual = public_columns(con, database)
    out = []
    for table, entry in codebook["tables"].items():
        for column, spec in entry["columns"].items():
            dtype = actual.get(table, {}).get(column)
            if dtype is not None and dtype != spec["type"]:
                out.append(f"{table}.{column}: codebook {spec['type']}, database {dtype}")
    return sorted(out)


def differences(con: duckdb.DuckDBPyConnection, codebook: dict, database: str | None = None) -> dict[str, list[str]]:
    """The three comparisons at once: undocumented, stale, type_mismatches."""
    return {
        "undocumented": undocumented(con, codebook, database),
        "stale": stale(con, codebook, database),
        "type_mismatches": type_mismatches(con, codebook, database),
    }


def format_differences(diffs: dict[str, list[str]]) -> str:
    """A readable report of :func:`differences` ("" when there are none)."""
    titles = {
        "undocumented": "in the database but not in warehouse/codebook.yaml (add them)",
        "stale": "in warehouse/codebook.yaml but not in the database (remove them, or mark a column optional)",
        "type_mismatches": "documented with another type than the database's (fix the type in the YAML)",
    }
    parts = []
    for name, items in diffs.items():
        if items:
            parts.append(f"{len(items)} {name.replace('_', ' ')}: {titles.get(name, '')}\n  " + "\n  ".join(items))
    return "\n".join(parts)


# -------------------------------------------------------------------------- comments

def sql_string(text: str) -> str:
    """A SQL string literal: single quotes doubled; NUL refused (DuckDB cannot store it)."""
    if "\x00" in text:
        raise ValueError("a comment cannot contain a NUL character")
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise ValueError(f"refusing to comment on {name!r}: not a lower-case snake_case identifier")
    return f'"{name}"'


def _catalog(name: str) -> str:
    # A database (catalog) name given by the caller: an ATTACH alias, or a name DuckDB
    # derived from a file name. Letters, digits, _ . - and spaces; never a quote.
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_. \-]{0,127}", name):
        raise ValueError(f"refusing to comment in database {name!r}: unexpected characters in its name")
    return f'"{name}"'


def table_comment(entry: dict) -> str:
    """The comment stored on a table: its description and grain."""
    text = _squash(entry["description"])
    grain = _squash(entry.get("grain", ""))
    if grain:
        text += f" Grain: {grain}"
    key = entry.get("key") or []
    if key:
        text += f" Key: {', '.join(key)}."
    return text


def column_comment(spec: dict) -> str:
    """The comment stored on a column: its description, allowed values and null meaning."""
    text = _squash(spec["description"])
    if spec.get("values"):
        text += " Values: " + ", ".join(spec["values"]) + "."
    if spec.get("nulls"):
        text += " Null: " + _squash(spec["nulls"])
    return text


def apply_comments(con: duckdb.DuckDBPyConnection, codebook: dict, database: str | None = None) -> int:
    """COMMENT ON every documented public table and column the database holds.

    ``con`` must be able to write (open the snapshot file read-write, before it is
    published, or ATTACH it and pass its alias as ``database``). Tables and columns
    come from the database's own catalogue and are checked against a strict
    identifier pattern; descriptions are SQL string literals with quotes doubled.
    Undocumented tables and columns are left as they are. Returns the number of
    comments written.
    """
    # Unqualified names resolve in the current database; a named one is qualified.
    prefix = f"{_catalog(database)}." if database else ""
    written = 0
    for table, columns in public_columns(con, database).items():
        entry = codebook["tables"].get(table)
        if entry is None:
            continue
        schema, name = table.split(".", 1)
        target = f"{prefix}{_ident(schema)}.{_ident(name)}"
        con.execute(f"COMMENT ON TABLE {target} IS {sql_string(table_comment(entry))}")
        written += 1
        for column in columns:
            spec = entry["columns"].get(column)
            if spec is None:
                continue
            con.execute(f"COMMENT ON COLUMN {target}.{_ident(column)} IS {sql_string(column_comment(spec))}")
            written += 1
    return written


# ------------------------------------------------------------------------- rendering

def render(codebook: dict, fmt: str = "md", table: str | None = None) -> str:
    """The codebook as text: "md" (the docs page, or one table's section) or "yaml"
    (the file as written, or one table's entry with shared columns expanded)."""
    if fmt not in ("md", "yaml"):
        raise ValueError(f"unknown format {fmt!r}: md or yaml")
    if table is None:
        return render_markdown(codebook) if fmt == "md" else CODEBOOK_PATH.read_text(encoding="utf-8")
    name = find_table(codebook, table)
    entry = codebook["tables"][name]
    if fmt == "yaml":
        return yaml.safe_dump({name: entry}, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(_table_section(name, entry)) + "\n"


def find_table(codebook: dict, name: str) -> str:
    """The codebook's name for ``name``: "schema.table", or a bare table name when it
    is unambiguous. KeyError with a suggestion otherwise."""
    tables = codebook["tables"]
    wanted = name.strip().lower()
    if wanted in tables:
        return wanted
    matches = [t for t in tables if t.split(".", 1)[1] == wanted]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise KeyError(f"table {name!r} is ambiguous: {', '.join(matches)}")
    near = [t for t in tables if wanted in t]
    hint = f"; did you mean {', '.join(near[:5])}?" if near else f"; known tables: {', '.join(tables)}"
    raise KeyError(f"no table {name!r} in the codebook{hint}")


_SCHEMA_TITLES = {
    "core": "core: the star schema",
    "marts": "marts: answers over time",
    "ops": "ops: how the snapshot was built",
}
_SCHEMA_INTROS = {
    "core": "Resolutions, their paragraphs (the fact table), footnotes and sub-paragraphs; what they cite, "
            "who sponsored and voted on them; the themes, actors and instruments found in their paragraphs; "
            "and how the sources agree.",
    "marts": "Tables built from core to answer questions directly: trends per year, verbs, citations, "
             "mandates, the lineage of recurring resolutions, and the table full-text search ranks.",
    "ops": "Files that could not be loaded, metadata lines with problems, the checks run before publishing "
           "and which build wrote the snapshot.",
}


def render_markdown(codebook: dict) -> str:
    """The reference page (docs/codebook.md): contents, then each table's description,
    grain, key and a table of its columns. Deterministic: the same YAML gives the
    same bytes."""
    tables = codebook["tables"]
    columns = sum(len(t["columns"]) for t in tables.values())
    out = [
        f"# {codebook.get('title', 'Codebook')}",
        "",
        "<!-- Generated from warehouse/codebook.yaml by `unga codebook --write docs/codebook.md`"
        " (or `python -m warehouse.codebook`). Do not edit by hand: edit the YAML and regenerate;"
        " tests/test_codebook.py fails when this page is out of date. -->",
        "",
        "What every table and column of the published snapshot (`data/published/unga.duckdb`) holds: "
        f"{len(tables)} tables, {columns} columns. The same descriptions are stored in the snapshot as "
        "DuckDB comments, so `SELECT table_name, column_name, comment FROM duckdb_columns()` and BI tools "
        "show them; `unga codebook --table core.fact_paragraph` prints one table's entry.",
        "",
    ]
    if codebook.get("source"):
        out += [f"**Source.** {_squash(codebook['source'])}", ""]
    if codebook.get("conventions"):
        out += ["## Conventions", ""]
        out += [f"- {_squash(c)}" for c in codebook["conventions"]]
        out.append("")
    out += ["## Contents", ""]
    for schema in _schemas(tables):
        out.append(f"- [{_SCHEMA_TITLES.get(schema, schema)}](#{_slug(_SCHEMA_TITLES.get(schema, schema))})")
        for name, entry in tables.items():
            if name.split(".", 1)[0] == schema:
                out.append(f"  - [`{name}`](#{_slug(name)}): {_md(_first_sentence(entry['description']))}")
    out.append("")
    for schema in _schemas(tables):
        out += [f"## {_SCHEMA_TITLES.get(schema, schema)}", ""]
        if schema in _SCHEMA_INTROS:
            out += [_SCHEMA_INTROS[schema], ""]
        for name, entry in tables.items():
            if name.split(".", 1)[0] == schema:
                out += _table_section(name, entry)
    return "\n".join(out).rstrip("\n") + "\n"


def _model_file(name: str) -> str | None:
    """Where a table of core or marts is built: its model (warehouse/models), and the Python
    code that writes its rows when a builder does."""
    model = registry().models.get(name)
    if model is None:
        return None
    where = model.path.relative_to(PROJECT).as_posix()
    code = [c for c in model.code if not c.startswith("transforms/reference")]
    return where + (f" (rows written by {', '.join(code)})" if model.builder and code else "")


def _table_section(name: str, entry: dict) -> list[str]:
    out = [f"### {name}", "", _md(entry["description"]), ""]
    facts = [f"**Grain:** {_md(entry['grain'])}"]
    key = entry.get("key") or []
    facts.append("**Key:** " + (", ".join(f"`{k}`" for k in key) if key else "none (rows need not be unique)"))
    built_by = entry.get("built_by") or _model_file(name)
    if built_by:
        facts.append(f"**Built by:** {_md(built_by)}")
    out += [f"- {f}" for f in facts] + [""]
    out += ["| Column | Type | Description |", "| --- | --- | --- |"]
    for column, spec in entry["columns"].items():
        text = _md(spec["description"])
        if spec.get("values"):
            text += " Values: " + ", ".join(f"`{v}`" for v in spec["values"]) + "."
        if spec.get("nulls"):
            text += f" *Null:* {_md(spec['nulls'])}"
        if spec.get("optional"):
            text += " *(Not in every snapshot.)*"
        out.append(f"| `{column}` | {_md(spec['type'])} | {text} |")
    out.append("")
    return out


def _schemas(tables: dict) -> list[str]:
    seen = [t.split(".", 1)[0] for t in tables]
    order = [s for s in PUBLIC_SCHEMAS if s in seen]
    return order + [s for s in dict.fromkeys(seen) if s not in order]


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def _md(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return _squash(text).replace("|", "\\|")


def _first_sentence(text: str) -> str:
    text = _squash(text)
    m = re.search(r"(?<=[a-z0-9)\"'])\.(\s|$)", text)
    return text[: m.start() + 1] if m else text


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower-cased, punctuation but - and _ dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


# ------------------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    """``python -m warehouse.codebook [--check] [PATH]``: write (or check) the docs page."""
    parser = argparse.ArgumentParser(prog="python -m warehouse.codebook", description=main.__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DOCS_PAGE, help=f"default {DOCS_PAGE}")
    parser.add_argument("--check", action="store_true", help="fail if the page differs from the rendering")
    args = parser.parse_args(argv)
    page = render_markdown(load_codebook())
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != page:
            print(f"{args.path} is out of date: run `python -m warehouse.codebook`", file=sys.stderr)
            return 1
        return 0
    args.path.parent.mkdir(parents=True, exist_ok=True)
    args.path.write_text(page, encoding="utf-8")
    print(f"wrote {args.path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
