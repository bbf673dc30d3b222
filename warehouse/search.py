"""Full-text search over paragraphs (BM25, porter stems), from tables the build keeps.

Each session's build writes ``marts.paragraph_search`` (one row per paragraph, with its
resolution's title, its themes and footnotes, ``body``, the indexed text, and ``terms``,
its length in indexed words) and ``marts.paragraph_term`` (each paragraph's stemmed
words and their counts), so adding a session tokenizes that session only and a
publication copies them like any table (it used to rebuild DuckDB's fts index over every
paragraph, 5-6 s of each publish). :func:`open_search` opens the published file
read-only; :func:`search` ranks paragraphs for a query by BM25 computed from the postings
of the query's terms (search/search.sql: the same scores as fts's match_bm25), with
optional filters and at most a few paragraphs of any one resolution, and marks the
matched words in a snippet (:func:`totals` and :func:`totals_line` say what matched in
all); :func:`highlight_spans` gives the matched words' offsets for callers that do their
own marking (the dashboard).

The porter stemmer is the fts extension's stem(), always loaded from the
duckdb-extension-fts wheel (it cannot be downloaded at run time). A query goes to DuckDB
as a bound parameter only, and is tokenized by the macros the build tokenized the text
with (ddl/030_search.sql), so the words highlighted are the words BM25 matched: lowered,
accents stripped, split on anything but a-z and 0-9, function words dropped from the
text, porter-stemmed ("trafficking" matches "trafficked" and "Trafficking", not
"traffic", whose porter stem differs).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse import db, steps
from warehouse.registry import registry

TABLE = "marts.paragraph_search"
TERMS = "marts.paragraph_term"
# The reference fts index (create_fts_reference): create_fts_index names it fts_<schema>_<table>.
FTS_SCHEMA = "fts_marts_paragraph_search"
TOKENIZER = "ddl/030_search.sql"
KINDS = ("preambular", "operative", "annex")
KIND_LABELS = {"preambular": "pre", "operative": "op", "annex": "annex"}
SNIPPET_CHARS = 200
MARK = "**"
# At most this many paragraphs of any one resolution by default: enough to show a
# resolution's best evidence and still put about six resolutions on a default page of
# 20 rows, where one long resolution used to fill the page alone (issue 15). A choice
# for reading, not tuned to the data; 0 or None shows every paragraph.
PER_RESOLUTION = 3
# What the cap and the limit leave out, on every row: the matching paragraphs of the
# row's resolution, and all paragraphs and resolutions matching the query and filters.
TOTAL_COLUMNS = ["resolution_matches", "total_paragraphs", "total_resolutions"]
COLUMNS = ["symbol", "title", "year", "session", "kind", "number", "ordinal", "lead_phrase", "verb",
           "score", "text", "snippet", "footnotes", "themes", "paragraph_key", *TOTAL_COLUMNS]
# The types of search/search.sql's columns, as DuckDB gives them to Polars: search()
# builds its frame from the rows (db.fetch_file), which for a page of rows costs less
# than the conversion through Arrow (issue 18); tests/test_search.py checks they are
# the query's own.
HIT_SCHEMA = {
    "symbol": pl.String, "title": pl.String, "year": pl.Int32, "session": pl.Int32, "kind": pl.String,
    "number": pl.String, "ordinal": pl.Int32, "lead_phrase": pl.String, "verb": pl.String,
    "score": pl.Float64, "text": pl.String, "footnotes": pl.List(pl.String), "themes": pl.List(pl.String),
    "paragraph_key": pl.Int64, "resolution_matches": pl.Int64, "total_paragraphs": pl.Decimal(38, 0),
    "total_resolutions": pl.Int64,
}

# A word as the highlighter sees it: a run of letters and digits. The index splits on
# anything but a-z and 0-9 after stripping accents, so a run such as "People’s" is two
# words here as there; each run goes through the index's tokenizer to be compared.
_WORD = re.compile(r"[^\W_]+")


class SearchIndexMissing(RuntimeError):
    """The snapshot predates the search tables: republish it with `unga build`."""


# --------------------------------------------------------------------------- extension

def load_tokenizer(con: duckdb.DuckDBPyConnection) -> None:
    """The search macros of ddl/030_search.sql as TEMP macros of this connection.

    The build's warehouse holds them (its DDL); a published snapshot does not, and is
    opened read-only, where only temporary objects can be made. The same file, so the
    query is tokenized exactly as the build tokenized the paragraphs.
    """
    db.run_sql(con, db.sql_text(TOKENIZER).replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO"),
               name=TOKENIZER)


# ------------------------------------------------------------------------------ build

def index_snapshot(path: Path | str) -> int:
    """(Re)build marts.paragraph_search and marts.paragraph_term in the database file at
    ``path`` from its core tables, session by session, with the models' own SQL.

    The pipeline builds them with each session and publication copies them; this is for
    a database made without the pipeline (the tests' hand-made snapshots). Returns the
    number of paragraphs.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no snapshot file at {path}")
    con = db.load_fts(db.bound_memory(duckdb.connect(str(path))))
    try:
        build_search_tables(con)
        rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return rows


def build_search_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Make the search tables of ``con`` (fts loaded) anew from its core tables."""
    reg = registry()
    db.run_sql_file(con, TOKENIZER)
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    sessions = [r[0] for r in con.execute("SELECT DISTINCT session FROM core.fact_paragraph ORDER BY 1").fetchall()]
    for name in (TABLE, TERMS):
        model = reg[name]
        con.execute(f"DROP TABLE IF EXISTS {name}")  # a registry name, never user input
        db.run_sql(con, model.ddl, name=model.label)
    # Per session, the temporary tables both read (marts._search_body, marts._search_term:
    # the bodies tokenized once and stemmed), then the two tables, in the step's build order,
    # as the build picks them.
    models = steps.needed(reg, reg[TABLE].step, [reg[TABLE], reg[TERMS]])
    for session in sessions:
        for model in models:
            db.run_sql(con, model.build, {"session": session}, name=model.label)


def create_fts_reference(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB fts's own index over marts.paragraph_search (search/create_index.sql), on a
    writable connection with fts loaded: the reference the tests check search.sql's BM25
    against. Publication does not build it.

    Two files: DuckDB expands the PRAGMA of create_index.sql when it parses that script,
    and the expansion reads the stopwords table, so the table is made first.
    """
    load_tokenizer(con)
    db.run_sql_file(con, "search/stopwords.sql")
    db.run_sql_file(con, "search/create_index.sql")


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds the search tables (snapshots before them held an fts index)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'marts' AND table_name IN ('paragraph_search', 'paragraph_term') "
        "AND 'terms' IN (SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'marts' AND table_name = 'paragraph_search')").fetchone()[0]
    return found == 2


# ------------------------------------------------------------------------------- read

def open_search(snapshot_path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published snapshot, ready for :func:`search`.

    fts (for its stemmer) is loaded from the wheel and the search macros made first,
    then external access is switched off (DuckDB will not switch it back on while the
    database is open): the connection can read the snapshot and nothing else, and
    cannot try to download an extension.
    """
    path = Path(snapshot_path)
    if not path.exists():
        raise FileNotFoundError(f"no published snapshot at {path}: run `unga build` (or `make run`) first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        db.load_fts(con)
        load_tokenizer(con)
        con.execute("SET enable_external_access = false")
        # One thread per query: a search reads the postings of a few terms (tens of thousands
        # of rows at most), too little to gain from a second thread, which only waits for its
        # share; measured on the bundled snapshot under load, "human rights" took 24 ms on
        # one thread and 44 ms on two (benchmarks/RESULTS.md, issue 18). A server answering
        # several users runs their queries side by side instead. The setting is the
        # database's: it holds for every connection of this process to the snapshot.
        con.execute("SET threads = 1")
        if not has_index(con):
            raise SearchIndexMissing(
                f"the published snapshot at {path} has no search index: run `unga build` to republish it")
    except BaseException:
        con.close()
        raise
    return con


def search(con: duckdb.DuckDBPyConnection, query: str, *, year: int | None = None, session: int | None = None,
           theme: str | None = None, kind: str | None = None, verb: str | None = None,
           symbol: str | None = None, limit: int = 20,
           per_resolution: int | None = PER_RESOLUTION) -> pl.DataFrame:
    """Paragraphs matching ``query``, best BM25 score first, at most ``limit``.

    At most ``per_resolution`` paragraphs of any one resolution, its best ones (0 or
    None: all of them; with ``symbol`` the cap does not apply, see :func:`cap_for`), so
    one long resolution does not fill the page: the capped list is the uncapped one
    without each resolution's paragraphs after its first ``per_resolution``. Every row
    carries ``resolution_matches``, ``total_paragraphs`` and ``total_resolutions``
    (what matched before the cap and the limit; :func:`totals` reads them).

    Any query word may match (a paragraph with more of them, or rarer ones, ranks
    higher). Filters: ``year``, ``session``, ``kind`` (preambular, operative, annex),
    ``verb`` (the lead phrase's verb as in core.fact_paragraph.verb, e.g. "urges",
    "calls upon"; case-insensitive), ``symbol`` (e.g. "A/RES/78/229") and ``theme`` (a
    code of core.dim_theme; its sub-themes match too). A query of stopwords only
    matches nothing; an empty one is a ValueError, as are an unknown kind or theme.
    """
    if not isinstance(query, str) or not query.strip():
        raise ValueError("empty search query: give at least one word")
    if "\x00" in query:
        raise ValueError("search query contains a NUL character")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown paragraph kind {kind!r}: one of {', '.join(KINDS)}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a positive integer, not {limit!r}")
    if per_resolution is not None and (isinstance(per_resolution, bool) or not isinstance(per_resolution, int)
                                       or per_resolution < 0):
        raise ValueError(f"per_resolution must be a non-negative integer (0: all), not {per_resolution!r}")
    themes = None
    if theme is not None:
        themes = db.query_file(con, "search/theme_family.sql", {"theme": theme.strip()})["themes"].to_list()[0]
        if not themes:
            known = [r[0] for r in con.execute("SELECT theme FROM core.dim_theme ORDER BY 1").fetchall()]
            raise ValueError(f"unknown theme {theme!r}: one of {', '.join(known)}")
    params = {
        "query": query,
        "year": year,
        "session": session,
        "kind": kind,
        "verb": " ".join(verb.lower().split()) if verb is not None else None,
        "symbol": " ".join(symbol.upper().split()) if symbol is not None else None,
        "themes": themes,
        "limit": limit,
        "per_resolution": cap_for(per_resolution, symbol),
    }
    hits = pl.DataFrame(db.fetch_file(con, "search/search.sql", params), schema=HIT_SCHEMA, orient="row")
    texts = hits["text"].to_list()
    matched = _matched_words(con, texts, query)
    snippets = [snippet(t, _spans(t, matched)) for t in texts]
    return hits.with_columns(pl.Series("snippet", snippets, dtype=pl.String)).select(COLUMNS)


def cap_for(per_resolution: int | None, symbol: str | None = None) -> int | None:
    """The cap :func:`search` applies: None (every paragraph) for 0 or None, or when one
    resolution is asked for by ``symbol`` (all of its paragraphs are what was asked)."""
    if symbol is not None or not per_resolution:
        return None
    return per_resolution


@dataclass(frozen=True)
class Totals:
    shown: int  # paragraphs in the result
    paragraphs: int  # paragraphs matching the query and filters
    shown_resolutions: int
    resolutions: int  # resolutions with a matching paragraph
    per_resolution: int | None  # the cap applied (None: none)


def totals(hits: pl.DataFrame, per_resolution: int | None = None) -> Totals:
    """The counts behind a result of :func:`search` (``per_resolution``: the cap it applied,
    :func:`cap_for`). An empty result matched nothing, so its totals are 0."""
    if hits.is_empty():
        return Totals(0, 0, 0, 0, per_resolution)
    return Totals(hits.height, int(hits["total_paragraphs"][0]), hits["symbol"].n_unique(),
                  int(hits["total_resolutions"][0]), per_resolution)


def totals_line(t: Totals, all_hint: str = "") -> str:
    """"20 of 143 matching paragraphs shown, from 12 of 35 matching resolutions (at most 3
    per resolution; HINT)"; ``all_hint`` says how to see them all, e.g. "--per-resolution 0
    shows all"."""
    line = (f"{t.shown} of {t.paragraphs} matching paragraph{'s' if t.paragraphs != 1 else ''} shown, "
            f"from {t.shown_resolutions} of {t.resolutions} matching resolution{'s' if t.resolutions != 1 else ''}")
    if t.per_resolution:
        return line + f" (at most {t.per_resolution} per resolution" + (f"; {all_hint})" if all_hint else ")")
    return line + " (every matching paragraph of each resolution)"


# --------------------------------------------------------------------------- snippets

def highlight_spans(text: str, query: str, con: duckdb.DuckDBPyConnection | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the words of ``text`` that the index matches to ``query``.

    ``con`` is a connection from :func:`open_search`; without one a private in-memory
    connection with the same macros is used, so a caller with no snapshot at hand can
    still highlight.
    """
    if not text or not query or not query.strip():
        return []
    return _spans(text, _matched_words(con, [text], query))


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS, mark: str = MARK) -> str:
    """About ``width`` characters of ``text`` around the first span, spans marked.

    The window starts a little before the first match, at a word boundary; "…" shows
    where text was cut; whitespace (the line breaks between sub-paragraphs) is
    collapsed to single spaces.
    """
    if not text:
        return ""
    first, first_end = spans[0] if spans else (0, 0)
    start = max(0, first - width // 4)
    if start > 0:  # begin at the next word
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), max(start + width, first_end))
    if end < len(text):  # end after a whole word
        space = text.rfind(" ", first_end, end)
        end = space if space > 0 else end
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e or s < pos:
            continue
        out += [text[pos:s], mark, text[s:e], mark]
        pos = e
    out.append(text[pos:end])
    body = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _spans(text: str, matched: set[str]) -> list[tuple[int, int]]:
    if not matched or not text:
        return []
    return [m.span() for m in _WORD.finditer(text) if m.group() in matched]


def _matched_words(con: duckdb.DuckDBPyConnection | None, texts: list[str], query: str) -> set[str]:
    """The distinct words of ``texts`` that match a word of ``query``, in one round trip.

    A word matches when one of its tokens (search/word_stems.sql) is a word of the index,
    not '' and not a stopword (search_is_word of ddl/030_search.sql), and has the porter
    stem of one of the query's tokens (search.sql's terms; a stem '' matches nothing).
    The query goes through the same query as the words, its stems are the terms.
    """
    words = sorted({w for t in texts if t for w in _WORD.findall(t)})
    if not words or not query.strip():
        return set()
    params = {"words": [*words, query]}
    if con is not None:
        stopwords = _stopwords(con)
        rows = db.fetch_file(con, "search/word_stems.sql", params)
    else:
        with _ANALYZER_LOCK:
            stopwords = _stopwords(_analyzer())
            rows = db.fetch_file(_analyzer(), "search/word_stems.sql", params)
    parts = {w: (tokens, stems) for w, tokens, stems in rows}
    terms = set(parts[query][1]) - {""}
    return {w for w in words
            if any(t != "" and t not in stopwords and s in terms for t, s in zip(*parts[w]))}


_STOPWORDS: frozenset[str] | None = None


def _stopwords(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """search_stopwords() of ddl/030_search.sql (the words search_is_word drops), read
    once per process: the macro is the same file's on every connection."""
    global _STOPWORDS
    if _STOPWORDS is None:
        _STOPWORDS = frozenset(r[0] for r in con.execute("SELECT sw FROM search_stopwords()").fetchall())
    return _STOPWORDS


_ANALYZER: duckdb.DuckDBPyConnection | None = None
_ANALYZER_LOCK = threading.Lock()


def _analyzer() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the search macros and the stemmer, for
    :func:`highlight_spans` without a snapshot connection. Call with ``_ANALYZER_LOCK`` held.
    """
    global _ANALYZER
    if _ANALYZER is None:
        con = duckdb.connect(":memory:")
        db.load_fts(con)
        load_tokenizer(con)
        con.execute("SET enable_external_access = false")
        _ANALYZER = con
    return _ANALYZER


def paragraph_label(kind: str | None, number: str | None, ordinal: int | None) -> str:
    """"op 5", "pre 3", "annex 12": the kind and the paragraph's number (else its ordinal)."""
    label = KIND_LABELS.get(kind or "", kind or "?")
    ref = number if number not in (None, "") else ordinal
    return f"{label} {ref}" if ref is not None else label
