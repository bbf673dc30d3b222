"""The files published beside the snapshot: Parquet tables and the citation network."""

from __future__ import annotations

import csv
import os

import duckdb
import networkx as nx
import polars as pl

from warehouse.publish import publish


def test_every_public_table_is_a_parquet_file_with_the_same_rows(full_build, snap):
    tables = snap.execute("SELECT table_schema, table_name FROM information_schema.tables "
                          "WHERE table_schema IN ('core', 'marts') AND table_type = 'BASE TABLE'").fetchall()
    assert len(tables) > 30
    root = full_build.published_dir / "parquet"
    assert root.is_symlink() and root.resolve().parent.parent == (full_build.published_dir / "files").resolve()
    files = {(p.parent.name, p.stem) for p in root.glob("*/*.parquet")}
    assert files == set(tables)
    for schema, table in tables:
        frame = pl.read_parquet(root / schema / f"{table}.parquet")
        count = snap.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        assert frame.height == count, (schema, table)
    # column names and order are the table's
    columns = [r[0] for r in snap.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                          "'marts' AND table_name = 'environmental_crime_trend' "
                                          "ORDER BY ordinal_position").fetchall()]
    assert pl.read_parquet(root / "marts" / "environmental_crime_trend.parquet").columns == columns


def test_citation_network_as_graphml_and_edge_list(full_build, snap):
    folder = full_build.published_dir / "exports"
    edges, links = snap.execute("SELECT count(*), sum(citations) FROM marts.citation_edges").fetchone()
    graph = nx.read_graphml(folder / "citation_network.graphml")
    assert graph.is_directed()
    assert graph.number_of_edges() == edges
    assert sum(d["citations"] for _, _, d in graph.edges(data=True)) == links
    resolutions = snap.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0]
    in_warehouse = [n for n, d in graph.nodes(data=True) if d["in_warehouse"]]
    assert len(in_warehouse) <= resolutions
    node = graph.nodes["A/RES/78/229"]
    assert node["session"] == 78 and node["year"] == 2023 and node["title"].startswith("Strengthening")
    assert graph.has_edge("A/RES/78/229", "A/RES/77/237")
    with (folder / "citation_edges.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == edges
    assert {"source_symbol", "target_symbol", "citations"} <= set(rows[0])


def test_republishing_swaps_the_links_and_keeps_the_previous_publication(full_build, tmp_path):
    # A copy of the snapshot's tables in a scratch warehouse, published three times.
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute(f"ATTACH {full_build.snapshot.as_posix()!r} AS src (READ_ONLY)")
    for schema in ("core", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    for table in ("dim_resolution", "fact_paragraph", "bridge_paragraph_theme", "dim_theme",
                  "fact_subparagraph", "fact_footnote"):
        con.execute(f"CREATE TABLE core.{table} AS SELECT * FROM src.core.{table} WHERE session = 78"
                    if table not in ("dim_theme",) else f"CREATE TABLE core.{table} AS SELECT * FROM src.core.{table}")
    con.execute("CREATE TABLE marts.citation_edges AS SELECT * FROM src.marts.citation_edges WHERE session = 78")
    con.execute("DETACH src")
    for schema in ("raw", "staging"):
        con.execute(f"CREATE SCHEMA {schema}")
    con.execute("CREATE TABLE raw.rejected AS SELECT 1 AS x WHERE false")
    con.execute("CREATE TABLE staging.metadata_problem (session INT, line_number INT, symbol VARCHAR, "
                "problem VARCHAR, raw VARCHAR)")
    published = tmp_path / "published"
    snapshot = published / "unga.duckdb"
    seen = []
    for _ in range(3):
        publish(con, snapshot, {}, {"sessions": "78"}, quality=False)
        seen.append((published / "parquet").resolve())
    con.close()
    assert len(set(seen)) == 3
    kept = sorted(p.name for p in (published / "files").iterdir())
    assert kept == sorted(p.parent.name for p in seen[1:])  # the current and the previous publication
    assert os.readlink(published / "parquet").startswith("files/")
    # Session 78: its 332 resolutions and ES-10/21 and /22, adopted during it (27 October, 12 December 2023).
    assert pl.read_parquet(published / "parquet" / "core" / "dim_resolution.parquet").height == 332 + 2
