"""Files beside the published snapshot: every public table as Parquet, the citation network.

Some tools would rather read files than open a DuckDB database: Polars, pandas,
Spark, R's arrow, BI tools with a Parquet connector. Each publication writes

    published/files/<publication>/parquet/<schema>/<table>.parquet
    published/files/<publication>/exports/citation_network.graphml
    published/files/<publication>/exports/citation_edges.csv

from the snapshot that is about to be published, and then points the stable names
``published/parquet`` and ``published/exports`` at the new folder by replacing a
symlink (one rename each, atomic on POSIX). A reader that resolved the old link keeps
reading complete old files; the previous publication is kept for such readers and
older ones are removed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

import duckdb

from warehouse import db

FILES_DIR = "files"
LINKS = ("parquet", "exports")
PARQUET_SCHEMAS = ("core", "marts")


def new_publication_dir(published_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return Path(published_dir) / FILES_DIR / f"{stamp}-{uuid.uuid4().hex[:6]}"


def write_files(snapshot: Path, target: Path) -> dict[str, int]:
    """Write the Parquet tables and the network exports of ``snapshot`` under ``target``."""
    target.mkdir(parents=True, exist_ok=False)
    con = db.bound_memory(duckdb.connect(str(snapshot), read_only=True))
    try:
        counts = write_parquet(con, target / "parquet")
        counts.update(write_citation_network(con, target / "exports"))
    finally:
        con.close()
    return counts


def write_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_schema IN (SELECT unnest(?::VARCHAR[])) AND table_type = 'BASE TABLE' ORDER BY 1, 2",
        [list(PARQUET_SCHEMAS)],
    ).fetchall()
    counts = {}
    for schema, table in tables:
        (folder / schema).mkdir(parents=True, exist_ok=True)
        out = folder / schema / f"{table}.parquet"
        # Names come from the snapshot's catalogue (our own DDL), the path from our settings.
        con.execute(f'COPY {schema}."{table}" TO {db.path_literal(out)} (FORMAT parquet, COMPRESSION zstd)')
        counts[f"parquet:{schema}.{table}"] = con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
    return counts


def write_citation_network(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """The resolution -> cited document network as an edge list (CSV) and as GraphML.

    Nodes are documents identified by symbol. Resolutions in the warehouse carry
    their session, year and title; other cited documents only their type.
    """
    folder.mkdir(parents=True, exist_ok=True)
    present = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts' "
                          "AND table_name = 'citation_edges'").fetchone()[0]
    if not present:  # a snapshot without the marts (never from a full build): nothing to export
        return {"network_nodes": 0, "network_edges": 0}
    edges_csv = folder / "citation_edges.csv"
    con.execute(
        "COPY (SELECT source_symbol, target_symbol, target_type, citations, paragraphs, in_footnotes, session, year "
        f"FROM marts.citation_edges ORDER BY source_symbol, target_symbol) TO {db.path_literal(edges_csv)} "
        "(HEADER, DELIMITER ',')"
    )
    nodes = con.execute(
        """
        WITH ids AS (
            SELECT source_symbol AS symbol, 'ga_resolution' AS node_type FROM marts.citation_edges
            UNION SELECT target_symbol, target_type FROM marts.citation_edges
        )
        SELECT i.symbol, any_value(i.node_type), any_value(r.session), any_value(r.year), any_value(r.title),
               bool_or(r.symbol IS NOT NULL)
        FROM ids i LEFT JOIN core.dim_resolution r ON r.symbol = i.symbol
        GROUP BY i.symbol ORDER BY i.symbol
        """
    ).fetchall()
    edges = con.execute(
        "SELECT source_symbol, target_symbol, citations, paragraphs, in_footnotes FROM marts.citation_edges "
        "ORDER BY source_symbol, target_symbol"
    ).fetchall()
    graphml = folder / "citation_network.graphml"
    with graphml.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for key, domain, name, kind in (
            ("d0", "node", "node_type", "string"), ("d1", "node", "session", "int"), ("d2", "node", "year", "int"),
            ("d3", "node", "title", "string"), ("d4", "node", "in_warehouse", "boolean"),
            ("d5", "edge", "citations", "int"), ("d6", "edge", "paragraphs", "int"),
            ("d7", "edge", "in_footnotes", "int"),
        ):
            fh.write(f'  <key id="{key}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n')
        fh.write('  <graph id="citations" edgedefault="directed">\n')
        for symbol, node_type, session, year, title, in_wh in nodes:
            fh.write(f"    <node id={quoteattr(symbol)}>")
            fh.write(f'<data key="d0">{_text(node_type)}</data>')
            if session is not None:
                fh.write(f'<data key="d1">{session}</data>')
            if year is not None:
                fh.write(f'<data key="d2">{year}</data>')
            if title is not None:
                fh.write(f'<data key="d3">{_text(title)}</data>')
            fh.write(f'<data key="d4">{"true" if in_wh else "false"}</data></node>\n')
        for i, (source, target, citations, paragraphs, in_footnotes) in enumerate(edges):
            fh.write(f'    <edge id="e{i}" source={quoteattr(source)} target={quoteattr(target)}>'
                     f'<data key="d5">{citations}</data><data key="d6">{paragraphs}</data>'
                     f'<data key="d7">{in_footnotes}</data></edge>\n')
        fh.write("  </graph>\n</graphml>\n")
    return {"network_nodes": len(nodes), "network_edges": len(edges)}


def _text(value: str) -> str:
    return quoteattr(str(value))[1:-1]


def activate(published_dir: Path, target: Path) -> None:
    """Point published/parquet and published/exports at ``target``; prune old publications."""
    published_dir = Path(published_dir)
    previous = current_publication(published_dir)
    for name in LINKS:
        link = published_dir / name
        tmp = published_dir / f".{name}.{uuid.uuid4().hex[:8]}.link"
        os.symlink(os.path.relpath(target / name, published_dir), tmp)
        if link.exists() and not link.is_symlink():
            shutil.rmtree(link)  # a real folder from an older layout
        os.replace(tmp, link)
    prune(published_dir, keep={target, previous} - {None})


def current_publication(published_dir: Path) -> Path | None:
    """The publication folder published/parquet points at now, or None."""
    link = Path(published_dir) / LINKS[0]
    if not link.is_symlink():
        return None
    return link.resolve().parent


def prune(published_dir: Path, keep: set[Path]) -> None:
    """Remove every publication folder but ``keep`` (the new one and the one it replaced).

    Chosen by what the links pointed at, not by name order: a folder a killed publish left
    behind sorts like a good one, and must not outlive the previous good publication that
    a reader may still be reading.
    """
    root = Path(published_dir) / FILES_DIR
    if not root.is_dir():
        return
    keep = {Path(p).resolve() for p in keep}
    for path in root.iterdir():
        if path.is_dir() and path.resolve() not in keep:
            shutil.rmtree(path, ignore_errors=True)


def discard(target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
