"""Full-text search: the index in the published snapshot, `search`, its snippets and `unga search`.

Most tests read the session-scoped ``full_build`` (sessions 74-79 built and
published once). Expectations are computed independently of the index, with
plain SQL (``ILIKE``) on core.fact_paragraph. A few tests use a tiny snapshot
written here by hand (``tiny``), to pin exact tokenizer behaviour cheaply and to
publish through ``warehouse.publish.publish`` without a whole build.
"""

from __future__ import annotations

import csv
import io
import json
import re

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from warehouse import db
from warehouse import search as S
from orchestration.cli import main
from warehouse.settings import ENV_VAR, Paths

S229 = "A/RES/78/229"
# "Tackling illicit trafficking in wildlife", adopted every other session.
WILDLIFE_SERIES = {"A/RES/75/311", "A/RES/77/325", "A/RES/79/313"}
COLUMNS = ["symbol", "title", "year", "session", "kind", "number", "ordinal", "lead_phrase", "verb",
           "score", "text", "snippet", "footnotes", "themes", "paragraph_key",
           "resolution_matches", "total_paragraphs", "total_resolutions"]
ALL = 100_000  # a limit above the number of paragraphs


@pytest.fixture(scope="module")
def con(full_build):
    c = S.open_search(full_build.snapshot)
    yield c
    c.close()


@pytest.fixture(scope="module")
def plain(full_build):
    """The snapshot as any client opens it: read-only, no extension loaded."""
    c = duckdb.connect(str(full_build.snapshot), read_only=True)
    yield c
    c.close()


def _keys(plain, where: str, params: list | None = None) -> set[int]:
    return {r[0] for r in plain.execute(
        f"SELECT paragraph_key FROM core.fact_paragraph WHERE {where}", params or []).fetchall()}


def _marked(snippet: str) -> list[str]:
    return re.findall(r"\*\*(.+?)\*\*", snippet)


# ---------------------------------------------------------------------------- the index

def test_search_tables_are_in_the_published_snapshot(plain):
    n = plain.execute("SELECT count(*) FROM core.fact_paragraph").fetchone()[0]
    assert plain.execute("SELECT count(*), count(DISTINCT paragraph_key) FROM marts.paragraph_search").fetchone() == (n, n)
    types = dict(plain.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'marts' AND table_name = 'paragraph_search'").fetchall())
    assert list(types) == ["paragraph_key", "symbol", "session", "year", "kind", "ordinal", "number",
                           "lead_phrase", "verb", "title", "themes", "footnotes", "body", "terms"]
    assert types["themes"] == types["footnotes"] == "VARCHAR[]"
    # No fts index is built at publication any more: the postings are a table of the build.
    assert plain.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_schema LIKE 'fts_%'").fetchone()[0] == 0
    # One row per paragraph and term; a paragraph's length is the sum of its counts, and
    # every paragraph with a word has postings, in the session of its paragraph.
    assert plain.execute("""
        SELECT count(*) = count(DISTINCT (paragraph_key, term)) AND min(tf) >= 1 FROM marts.paragraph_term
    """).fetchone()[0]
    assert plain.execute("""
        SELECT count(*) FROM marts.paragraph_search s
        LEFT JOIN (SELECT paragraph_key, any_value(session) AS session, sum(tf) AS n, count(*) AS distinct_terms
                   FROM marts.paragraph_term GROUP BY ALL) t USING (paragraph_key)
        WHERE s.terms <> coalesce(t.n, 0) OR t.session <> s.session
    """).fetchone()[0] == 0
    assert plain.execute("SELECT count(*) FROM marts.paragraph_search WHERE terms > 0").fetchone()[0] > 0.99 * n
    # Stems, not words; no stopword. (The porter stem of "s", from "People’s", is '': a term
    # as in the fts index, so "People’s" scores as there; test_bm25_is_the_fts_extensions.)
    terms = {r[0] for r in plain.execute(
        "SELECT DISTINCT term FROM marts.paragraph_term WHERE term IN ('traffick', 'trafficking', 'the', 'of')"
    ).fetchall()}
    assert terms == {"traffick"}


def test_search_table_rows_match_core(plain):
    # Title from the resolution; body holds the paragraph text and every sub-paragraph's text.
    assert plain.execute("""
        SELECT count(*) FROM marts.paragraph_search s
        JOIN core.fact_paragraph p USING (paragraph_key) JOIN core.dim_resolution r USING (resolution_key)
        WHERE s.title IS DISTINCT FROM r.title OR s.symbol <> p.symbol OR NOT starts_with(s.body, p.text)
    """).fetchone()[0] == 0
    assert plain.execute("""
        SELECT count(*) FROM core.fact_subparagraph sp JOIN marts.paragraph_search s USING (paragraph_key)
        WHERE NOT contains(s.body, sp.text)
    """).fetchone()[0] == 0
    # Footnotes: as many as core holds for the paragraph, each "marker text".
    assert plain.execute("""
        SELECT count(*) FROM marts.paragraph_search s
        LEFT JOIN (SELECT paragraph_key, list(marker || ' ' || text ORDER BY footnote_ordinal) AS f
                   FROM core.fact_footnote GROUP BY ALL) f USING (paragraph_key)
        WHERE s.footnotes <> coalesce(f.f, [])
    """).fetchone()[0] == 0
    # Themes: the bridge's codes, parents included (a wildlife_crime paragraph is environmental_crime too).
    assert plain.execute("""
        SELECT count(*) FROM marts.paragraph_search s
        LEFT JOIN (SELECT paragraph_key, list(DISTINCT theme ORDER BY theme) AS t
                   FROM core.bridge_paragraph_theme GROUP BY ALL) b USING (paragraph_key)
        WHERE s.themes <> coalesce(b.t, [])
    """).fetchone()[0] == 0
    assert plain.execute("""
        SELECT count(*) FROM marts.paragraph_search
        WHERE list_contains(themes, 'wildlife_crime') AND NOT list_contains(themes, 'environmental_crime')
    """).fetchone()[0] == 0


def test_snapshot_still_reads_without_the_extension(plain):
    assert plain.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0] > 1900
    assert plain.execute("SELECT count(*) FROM marts.paragraph_search WHERE body ILIKE '%wildlife%'").fetchone()[0] > 0


def test_open_search_is_read_only_and_closed_to_files(con, full_build):
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE marts.x (a INT)")
    with pytest.raises(duckdb.Error):
        con.execute(f"SELECT * FROM read_csv({S.db.path_literal(full_build.root / 'runs.jsonl')})")
    assert con.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False


# ------------------------------------------------------------------------------- search

def test_wildlife_ranked_from_the_right_resolutions(con, plain):
    expected = _keys(plain, "text ILIKE '%wildlife%'")
    assert len(expected) > 100
    hits = S.search(con, "wildlife", limit=ALL, per_resolution=0)
    assert hits.columns == COLUMNS
    scores = hits["score"].to_list()
    assert all(a >= b for a, b in zip(scores, scores[1:])) and scores[-1] > 0
    # Every paragraph that says "wildlife" is found, and only those.
    assert set(hits["paragraph_key"]) == expected
    assert all("wildlife" in t.lower() for t in hits["text"])
    # The best matches are from the resolutions about wildlife trafficking (without the
    # cap of paragraphs per resolution; with it, see test_per_resolution_cap_*).
    top = S.search(con, "wildlife", per_resolution=0)
    assert top.height == 20
    # ... and from 76/185, "Preventing and combating crimes that affect the environment",
    # whose short paragraphs on wildlife trafficking rank high under BM25's length norm.
    assert set(top["symbol"]) <= WILDLIFE_SERIES | {"A/RES/76/185"}
    assert len(set(top["symbol"]) & WILDLIFE_SERIES) >= 3
    assert set(top["paragraph_key"]) <= expected
    per_resolution = dict(plain.execute(
        "SELECT symbol, count(*) FROM core.fact_paragraph WHERE text ILIKE '%wildlife%' GROUP BY 1").fetchall())
    assert {s for s, n in per_resolution.items() if n >= 50} == WILDLIFE_SERIES
    # A/RES/78/229 (crime prevention) mentions wildlife too: found when asked for, and in a long list.
    assert S229 in set(hits["symbol"])
    in_229 = S.search(con, "wildlife", symbol=S229, limit=ALL, per_resolution=0)
    assert set(in_229["paragraph_key"]) == _keys(plain, "symbol = ? AND text ILIKE '%wildlife%'", [S229])
    assert in_229.height == per_resolution[S229]


def test_year_session_kind_verb_symbol_filters(con, plain):
    everything = S.search(con, "wildlife trafficking", limit=ALL, per_resolution=0)

    def subset(mask):
        return set(everything.filter(mask)["paragraph_key"])

    for kwargs, mask in [
        ({"year": 2023}, pl.col("year") == 2023),
        ({"session": 77}, pl.col("session") == 77),
        ({"kind": "operative"}, pl.col("kind") == "operative"),
        ({"kind": "preambular"}, pl.col("kind") == "preambular"),
        ({"verb": "calls upon"}, pl.col("verb") == "calls upon"),
        ({"verb": "  Calls UPON "}, pl.col("verb") == "calls upon"),
        ({"symbol": "a/res/77/325"}, pl.col("symbol") == "A/RES/77/325"),
        ({"year": 2023, "kind": "operative"}, (pl.col("year") == 2023) & (pl.col("kind") == "operative")),
    ]:
        got = S.search(con, "wildlife trafficking", limit=ALL, per_resolution=0, **kwargs)
        assert got.height > 0, kwargs
        assert set(got["paragraph_key"]) == subset(mask), kwargs
        # Same scores as unfiltered: a filter restricts, it does not re-rank.
        assert dict(zip(got["paragraph_key"], got["score"])) == {
            k: v for k, v in zip(everything["paragraph_key"], everything["score"]) if k in subset(mask)}
    # Checked against core too.
    assert set(S.search(con, "wildlife", year=2023, limit=ALL, per_resolution=0)["paragraph_key"]) == _keys(
        plain, "year = 2023 AND text ILIKE '%wildlife%'")
    assert S.search(con, "wildlife", year=1900).height == 0
    annex = S.search(con, "wildlife", kind="annex", limit=ALL, per_resolution=0)
    assert 0 < annex.height and set(annex["kind"]) == {"annex"}


def test_per_resolution_cap_puts_more_resolutions_on_the_page(con, plain):
    # Issue 15: without the cap the first 20 hits for "wildlife" in 2023 are all A/RES/77/325.
    assert set(S.search(con, "wildlife", year=2023, per_resolution=0)["symbol"]) == {"A/RES/77/325"}
    hits = S.search(con, "wildlife", year=2023)  # the default: 3 per resolution, 20 rows
    per_symbol = hits["symbol"].value_counts()
    assert per_symbol.height > 1 and per_symbol["count"].max() <= S.PER_RESOLUTION == 3
    if _keys(plain, "symbol = ? AND year = 2023 AND text ILIKE '%wildlife%'", [S229]):
        assert S229 in set(hits["symbol"])
    # With a symbol the cap does not apply: all of that resolution's paragraphs.
    in_229 = S.search(con, "wildlife", symbol=S229, limit=ALL)
    assert set(in_229["paragraph_key"]) == _keys(plain, "symbol = ? AND text ILIKE '%wildlife%'", [S229])
    assert S.cap_for(3, S229) is None and S.cap_for(0) is None and S.cap_for(None) is None and S.cap_for(2) == 2


@pytest.mark.parametrize("query, filters", [
    ("wildlife", {}),
    ("wildlife", {"year": 2023}),
    ("human rights", {"year": 2023}),
    ("trafficking in persons", {"kind": "operative"}),
    ("illegal trade", {"theme": "environmental_crime"}),
])
def test_capped_list_is_the_uncapped_one_less_each_resolutions_later_paragraphs(con, query, filters):
    everything = S.search(con, query, limit=ALL, per_resolution=0, **filters)
    assert everything.height > 20
    assert S.search(con, query, limit=ALL, per_resolution=None, **filters).equals(everything)
    per_symbol = dict(everything.group_by("symbol").len().rows())
    rank_in_resolution = pl.int_range(pl.len()).over("symbol")
    for n in (1, 2, 3, 10):
        expected = everything.filter(rank_in_resolution < n)
        capped = S.search(con, query, limit=ALL, per_resolution=n, **filters)
        assert capped["paragraph_key"].to_list() == expected["paragraph_key"].to_list(), n
        assert capped.drop(S.TOTAL_COLUMNS).equals(expected.drop(S.TOTAL_COLUMNS))
        page = S.search(con, query, per_resolution=n, **filters)
        assert page["paragraph_key"].to_list() == expected["paragraph_key"].head(20).to_list(), n
        # Totals are those of the uncapped query, on every row.
        for frame in (capped, page):
            assert set(frame["total_paragraphs"]) == {everything.height}
            assert set(frame["total_resolutions"]) == {len(per_symbol)}
            assert all(per_symbol[s] == m for s, m in zip(frame["symbol"], frame["resolution_matches"]))
        assert S.totals(page, n) == S.Totals(page.height, everything.height, page["symbol"].n_unique(),
                                              len(per_symbol), n)
    assert set(everything["total_paragraphs"]) == {everything.height}


def test_totals_line(con):
    hits = S.search(con, "wildlife", year=2023)
    everything = S.search(con, "wildlife", year=2023, limit=ALL, per_resolution=0)
    n_res = everything["symbol"].n_unique()
    assert S.totals_line(S.totals(hits, 3), "--per-resolution 0 shows all") == (
        f"{hits.height} of {everything.height} matching paragraphs shown, from {hits['symbol'].n_unique()} of "
        f"{n_res} matching resolutions (at most 3 per resolution; --per-resolution 0 shows all)")
    assert S.totals_line(S.totals(everything.head(1), None)) == (
        f"1 of {everything.height} matching paragraphs shown, from 1 of {n_res} matching resolutions "
        "(every matching paragraph of each resolution)")
    empty = S.search(con, "the of")
    assert S.totals(empty, 3) == S.Totals(0, 0, 0, 0, 3)
    assert S.totals_line(S.totals(empty, 3)) == (
        "0 of 0 matching paragraphs shown, from 0 of 0 matching resolutions (at most 3 per resolution)")
    for bad in (-1, True, "3", 1.5):
        with pytest.raises(ValueError, match="per_resolution"):
            S.search(con, "wildlife", per_resolution=bad)


def test_theme_filter_includes_sub_themes(con, plain):
    family = {r[0] for r in plain.execute(
        "SELECT theme FROM core.dim_theme WHERE theme = 'environmental_crime' OR parent = 'environmental_crime'"
    ).fetchall()}
    assert {"wildlife_crime", "fisheries_crime", "timber_crime"} <= family
    env = S.search(con, "illegal trade", theme="environmental_crime", limit=ALL, per_resolution=0)
    wild = S.search(con, "illegal trade", theme="wildlife_crime", limit=ALL, per_resolution=0)
    assert env.height > wild.height > 0
    assert all(set(t) & family for t in env["themes"])
    assert all("wildlife_crime" in t for t in wild["themes"])
    assert set(wild["paragraph_key"]) <= set(env["paragraph_key"])
    tagged = {r[0] for r in plain.execute(
        "SELECT DISTINCT paragraph_key FROM core.bridge_paragraph_theme WHERE theme IN (SELECT unnest(?))",
        [sorted(family)]).fetchall()}
    everything = S.search(con, "illegal trade", limit=ALL, per_resolution=0)
    assert set(env["paragraph_key"]) == set(everything["paragraph_key"]) & tagged
    # A sub-theme's parent rows are stored in the bridge; the filter would find them without it too.
    fisheries_only = S.search(con, "fishing", theme="fisheries_crime", limit=ALL, per_resolution=0)
    assert fisheries_only.height > 0 and set(fisheries_only["paragraph_key"]) <= set(
        S.search(con, "fishing", theme="environmental_crime", limit=ALL, per_resolution=0)["paragraph_key"])


def test_stemming(con, plain):
    # "trafficked" and "trafficking" share the porter stem "traffick" (not "traffic": a different stem).
    trafficked = S.search(con, "trafficked", limit=ALL, per_resolution=0)
    trafficking = S.search(con, "trafficking", limit=ALL, per_resolution=0)
    assert trafficked.height == trafficking.height
    assert set(trafficked["paragraph_key"]) == set(trafficking["paragraph_key"])
    assert set(trafficking["paragraph_key"]) >= _keys(plain, "text ILIKE '%trafficking%'")
    assert any(not re.search(r"(?i)\btrafficked\b", t) for t in trafficked["text"])
    marked = {w.lower() for s in trafficked["snippet"] for w in _marked(s)}
    assert {"trafficking", "trafficked"} <= marked and "traffic" not in marked
    # Plurals and case.
    assert set(S.search(con, "Fisheries", limit=ALL, per_resolution=0)["paragraph_key"]) == set(
        S.search(con, "fishery", limit=ALL, per_resolution=0)["paragraph_key"])


def test_snippets_mark_the_matched_words(con):
    hits = S.search(con, "illicit trafficking in wildlife", limit=50)
    assert hits.height == 50
    for text, snippet in zip(hits["text"], hits["snippet"]):
        words = {w.lower() for w in _marked(snippet)}
        assert words, snippet
        assert words <= {"illicit", "trafficking", "wildlife", "trafficked", "traffickers", "trafficker",
                         "illicitly"} and "in" not in words
        assert len(snippet.replace("**", "")) <= S.SNIPPET_CHARS + 2  # and an ellipsis each side
        assert "\n" not in snippet
        plain_snippet = snippet.replace("**", "").strip("…")
        assert plain_snippet in " ".join(text.split())
    spans = S.highlight_spans(hits["text"][0], "illicit trafficking in wildlife", con)
    assert spans and all(hits["text"][0][a:b].lower() in {"illicit", "trafficking", "wildlife"} for a, b in spans)
    assert spans == sorted(spans)


def test_highlight_spans_without_a_connection():
    text = "Trafficked WILDLIFE, the trafficking of wildlife’s products; traffic in Côte d’Ivoire (rights)."
    spans = S.highlight_spans(text, "trafficking wildlife cote right")
    assert [text[a:b] for a, b in spans] == ["Trafficked", "WILDLIFE", "trafficking", "wildlife", "Côte", "rights"]
    assert S.highlight_spans(text, "the of") == []
    assert S.highlight_spans("", "wildlife") == []
    assert S.highlight_spans(text, "   ") == []


@pytest.mark.parametrize("query", ["wildlife", "zzqxj"])
def test_hit_schema_is_the_querys_own(con, query):
    """search() builds its frame from search.sql's rows with HIT_SCHEMA: the types DuckDB
    gives the query's columns (with rows and without)."""
    params = {"query": query, "year": None, "session": None, "kind": None, "verb": None, "symbol": None,
              "themes": None, "limit": 20, "per_resolution": 3}
    frame = db.query_file(con, "search/search.sql", params)
    assert dict(frame.schema) == S.HIT_SCHEMA
    built = pl.DataFrame(db.fetch_file(con, "search/search.sql", params), schema=S.HIT_SCHEMA, orient="row")
    assert built.equals(frame)


def test_matched_words_are_search_is_words():
    """_matched_words tests stopwords in Python (search/word_stems.sql); the words it
    returns are those the tokenizer's own macros match: a token that is search_is_word
    with the stem of a query token (what matched_tokens.sql computed in SQL)."""
    texts = ["The People’s rights; Côte d’Ivoire’s UN-Women, naïve CAFÉS and 2030 s’ straße",
             "Trafficked wildlife, the trafficking of its products: an 'in' and 'of' or S of THE"]
    words = sorted({w for t in texts for w in S._WORD.findall(t)})
    for query in ["People’s rights", "the of in s", "naïve cafe cote d ivoire", "2030 strasse trafficking",
                  "wildlife’s", "zzqxj"]:
        with S._ANALYZER_LOCK:
            expected = {r[0] for r in S._analyzer().execute("""
                WITH terms AS (SELECT DISTINCT stem(unnest(search_tokenize($query)), 'porter') AS term),
                parts AS (SELECT word, unnest(search_tokenize(word)) AS token
                          FROM (SELECT unnest($words::VARCHAR[]) AS word))
                SELECT DISTINCT word FROM parts
                WHERE search_is_word(token) AND stem(token, 'porter') IN (SELECT term FROM terms WHERE term <> '')""",
                {"query": query, "words": words}).fetchall()}
        assert S._matched_words(None, texts, query) == expected, query


def test_snippet_window():
    text = " ".join(f"w{i}" for i in range(200)) + " wildlife " + " ".join(f"v{i}" for i in range(200))
    spans = S.highlight_spans(text, "wildlife")
    out = S.snippet(text, spans, width=80)
    assert out.startswith("…") and out.endswith("…") and "**wildlife**" in out
    assert len(out) <= 80 + 6
    assert S.snippet("short text", []) == "short text"
    assert S.snippet("", []) == ""


def test_stopwords_only_query_is_empty_not_an_error(con):
    for q in ["the", "the of and", "a an the which would"]:
        hits = S.search(con, q)
        assert hits.height == 0 and hits.columns == COLUMNS


def test_empty_and_invalid_queries(con):
    for q in ["", "   ", "\n\t"]:
        with pytest.raises(ValueError, match="empty search query"):
            S.search(con, q)
    with pytest.raises(ValueError, match="unknown theme"):
        S.search(con, "wildlife", theme="no_such_theme")
    with pytest.raises(ValueError, match="kind"):
        S.search(con, "wildlife", kind="operative'; --")
    with pytest.raises(ValueError, match="limit"):
        S.search(con, "wildlife", limit=0)


def test_injection_like_and_odd_queries_are_harmless(con, plain):
    before = plain.execute("SELECT count(*) FROM core.fact_paragraph").fetchone()[0]
    for q in ["'; DROP TABLE x; --", "'); DROP TABLE core.fact_paragraph; --", 'wildlife" OR 1=1 --',
              "O'Brien \\ % _ $query ?", "***", "🐘 ñandú", "x" * 5000]:
        hits = S.search(con, q)
        assert hits.columns == COLUMNS
    # "wildlife" inside quotes and punctuation is still the word wildlife.
    assert S.search(con, '"wildlife\'; --')["symbol"][0] in WILDLIFE_SERIES
    assert "wildlife" in S.search(con, 'wildlife" OR 1=1 --')["text"][0].lower()
    # A theme or verb with quotes is a value, not SQL.
    assert S.search(con, "wildlife", verb="urges' OR '1'='1").height == 0
    with pytest.raises(ValueError):
        S.search(con, "wildlife", theme="x' OR '1'='1")
    assert plain.execute("SELECT count(*) FROM core.fact_paragraph").fetchone()[0] == before


# ----------------------------------------------------------- BM25 against the fts extension

# Multi-word, repeated words (each distinct term counts once), stopwords, accents and a
# curly apostrophe, words that stem alike, a word in no paragraph, and a digit run.
FTS_QUERIES = ["human rights", "wildlife", "illicit trafficking in wildlife", "rights Rights human rights",
               "the right of the child", "Côte d’Ivoire", "People’s rights", "naïve CAFÉS trafficked", "zzqxj wildlife", "zzqxj",
               "2030 Agenda", "the of"]


@pytest.fixture(scope="module")
def fts_reference(full_build, tmp_path_factory):
    """A copy of the published snapshot with DuckDB fts's own index built in it, as
    publication used to build it (search/create_index.sql)."""
    import shutil

    path = tmp_path_factory.mktemp("fts") / "snapshot.duckdb"
    shutil.copyfile(full_build.snapshot, path)
    c = duckdb.connect(str(path))
    db.load_fts(c)
    S.create_fts_reference(c)
    c.execute("CHECKPOINT")
    yield c
    c.close()


def _tie_groups(ranked: list[tuple[int, float]]) -> list[set[int]]:
    """Keys in rank order, grouped where consecutive scores are within 1e-9 (a tie)."""
    groups: list[set[int]] = []
    last = None
    for key, score in ranked:
        if last is None or abs(last - score) >= 1e-9:
            groups.append(set())
        groups[-1].add(key)
        last = score
    return groups


@pytest.mark.parametrize("query", FTS_QUERIES)
def test_bm25_is_the_fts_extensions(con, fts_reference, query):
    """search.sql's scores, from marts.paragraph_term, are fts's match_bm25 over the same
    bodies (within 1e-9), for the same paragraphs, in the same order."""
    expected = fts_reference.execute(f"""
        SELECT paragraph_key, score FROM (
            SELECT *, {S.FTS_SCHEMA}.match_bm25(paragraph_key, ?) AS score FROM marts.paragraph_search)
        WHERE score IS NOT NULL
        ORDER BY score DESC, session DESC, symbol, kind DESC, ordinal""", [query]).fetchall()
    got = S.search(con, query, limit=ALL, per_resolution=0)
    assert len(got) == len(expected)
    if query in ("zzqxj", "the of"):
        assert got.height == 0
        return
    assert got.height > 0
    # The same order, where the scores differ: fts's match_bm25 itself is not stable in
    # the last bit (4 of 2,810 scores of one connection changed over four runs), so two
    # paragraphs that tie exactly here may be one ulp apart there and swap. Each run of
    # scores within 1e-9 of each other must hold the same paragraphs in both.
    assert _tie_groups(got.select("paragraph_key", "score").rows()) == _tie_groups(expected)
    expected_score = dict(expected)
    assert max(abs(s - expected_score[k]) for k, s in zip(got["paragraph_key"], got["score"])) < 1e-9
    # With a filter: the same scores, restricted (the statistics are the whole snapshot's).
    in_2023 = fts_reference.execute(f"""
        SELECT paragraph_key, score FROM (
            SELECT *, {S.FTS_SCHEMA}.match_bm25(paragraph_key, ?) AS score FROM marts.paragraph_search
            WHERE year = 2023)
        WHERE score IS NOT NULL""", [query]).fetchall()
    got_2023 = S.search(con, query, year=2023, limit=ALL, per_resolution=0)
    assert dict(zip(got_2023["paragraph_key"], got_2023["score"])).keys() == dict(in_2023).keys()
    assert all(abs(a - dict(in_2023)[k]) < 1e-9 for k, a in zip(got_2023["paragraph_key"], got_2023["score"]))


def test_highlighting_matches_the_fts_tokenizer(con, fts_reference, plain):
    """The search macros tokenize as the fts index's own tokenize macro, on real bodies."""
    bodies = [r[0] for r in plain.execute(
        "SELECT body FROM marts.paragraph_search USING SAMPLE 500 ROWS (reservoir, 7)").fetchall()]
    bodies += ["Côte d’Ivoire’s UN-Women, naïve 2030", "  ", "a—b"]
    ours = con.execute("SELECT [search_tokenize(b) FOR b IN ?::VARCHAR[]]", [bodies]).fetchone()[0]
    theirs = fts_reference.execute(
        f"SELECT [{S.FTS_SCHEMA}.tokenize(b) FOR b IN ?::VARCHAR[]]", [bodies]).fetchone()[0]
    assert ours == theirs


def test_build_words_are_the_tokenizers_nonempty_splits(con, plain):
    """search_words (the build's tokenizer, marts._search_term) is search_tokenize less its
    empty splits, on every body of the full build and on odd text."""
    odd = ["", " ", "  a  ", "--", "a--b", "Côte d’Ivoire’s UN-Women, naïve 2030", "ÀÉÎÕÜ ß æ œ ﬁ",
           "\u00a0x\u2003y\n\tz\r", "日本語 text", "A_B", "x1y2 3z", "ǅ ǈ Ⅻ ①", "İstanbul ΣΑΣ"]
    rows = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE search_words(body)
            IS DISTINCT FROM list_filter(search_tokenize(body), w -> w <> ''))
        FROM (SELECT body FROM marts.paragraph_search UNION ALL SELECT unnest(?::VARCHAR[]))""",
        [odd]).fetchone()
    assert rows[0] > 80_000 and rows[1] == 0


# ---------------------------------------------------------------------- tiny snapshot

_TINY = """
CREATE SCHEMA core; CREATE SCHEMA marts;
CREATE TABLE core.dim_resolution (resolution_key BIGINT, symbol VARCHAR, title VARCHAR, year INT, session INT);
CREATE TABLE core.fact_paragraph (paragraph_key BIGINT, resolution_key BIGINT, symbol VARCHAR, session INT,
    year INT, kind VARCHAR, ordinal INT, number VARCHAR, lead_phrase VARCHAR, verb VARCHAR, text VARCHAR);
CREATE TABLE core.fact_subparagraph (paragraph_key BIGINT, sub_ordinal INT, label VARCHAR, text VARCHAR);
CREATE TABLE core.fact_footnote (paragraph_key BIGINT, footnote_ordinal INT, marker VARCHAR, text VARCHAR);
CREATE TABLE core.bridge_paragraph_theme (paragraph_key BIGINT, theme VARCHAR);
CREATE TABLE core.dim_theme (theme VARCHAR, parent VARCHAR, label VARCHAR);
INSERT INTO core.dim_resolution VALUES (1, 'A/RES/1/1', 'On elephants', 2020, 75), (2, 'A/RES/1/2 B', 'Naïve title', 2021, 76);
INSERT INTO core.fact_paragraph VALUES
  (10, 1, 'A/RES/1/1', 75, 2020, 'preambular', 1, NULL, 'Noting', 'noting', 'Noting the poaching of elephants,'),
  (11, 1, 'A/RES/1/1', 75, 2020, 'operative', 1, '1', 'Urges', 'urges', 'Urges States to act:'),
  (12, 2, 'A/RES/1/2 B', 76, 2021, 'operative', 1, '1', 'Decides', 'decides', 'Decides on the People’s café naïvely'),
  (13, 2, 'A/RES/1/2 B', 76, 2021, 'annex', 1, NULL, NULL, NULL, 'The 2030 Agenda and UN-Women');
INSERT INTO core.fact_subparagraph VALUES (11, 1, '(a)', 'Ban the ivory trade');
INSERT INTO core.fact_footnote VALUES (10, 2, '2', 'Second note.'), (10, 1, '1', 'First note.');
INSERT INTO core.bridge_paragraph_theme VALUES (10, 'wildlife_crime'), (10, 'environmental_crime'), (11, 'corruption');
INSERT INTO core.dim_theme VALUES ('environmental_crime', NULL, 'Env'), ('wildlife_crime', 'environmental_crime', 'W'),
  ('corruption', NULL, 'C');
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "snap.duckdb"
    c = duckdb.connect(str(path))
    c.execute(_TINY)
    c.close()
    assert S.index_snapshot(path) == 4
    assert S.index_snapshot(path) == 4  # again: replaces table and index
    return path


def test_index_snapshot_on_a_fresh_file(tiny):
    c = S.open_search(tiny)
    try:
        rows = {r[0]: r[1:] for r in c.execute(
            "SELECT paragraph_key, title, themes, footnotes, body FROM marts.paragraph_search").fetchall()}
        assert rows[10] == ("On elephants", ["environmental_crime", "wildlife_crime"], ["1 First note.", "2 Second note."],
                            "Noting the poaching of elephants,")
        # A sub-paragraph not already inside the paragraph's text is appended to the body.
        assert rows[11][3] == "Urges States to act:\nBan the ivory trade"
        assert rows[13][1:3] == ([], [])
        assert S.search(c, "ivory")["paragraph_key"].to_list() == [11]
        assert S.search(c, "elephant")["snippet"].to_list() == ["Noting the poaching of **elephants**,"]
        # Accents stripped, curly apostrophes split words, digits kept.
        assert S.search(c, "naive people cafe")["snippet"].to_list() == [
            "Decides on the **People**’s **café** **naïvely**"]
        assert S.search(c, "2030")["paragraph_key"].to_list() == [13]
        assert S.search(c, "elephants", theme="environmental_crime").height == 1
        assert S.search(c, "elephants", theme="corruption").height == 0
        assert S.search(c, "decides", symbol="a/res/1/2  b").height == 1
    finally:
        c.close()


def test_open_search_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `unga build`"):
        S.open_search(tmp_path / "missing.duckdb")
    old = tmp_path / "old.duckdb"
    duckdb.connect(str(old)).close()
    with pytest.raises(S.SearchIndexMissing, match="no search index"):
        S.open_search(old)
    with pytest.raises(FileNotFoundError):
        S.index_snapshot(tmp_path / "nothing-here.duckdb")
    assert not (tmp_path / "nothing-here.duckdb").exists()


def _tiny_warehouse() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect(":memory:")
    db.load_fts(c)
    c.execute(_TINY)
    S.build_search_tables(c)  # as the build makes them per session
    c.execute("CREATE SCHEMA raw; CREATE SCHEMA staging; CREATE SCHEMA ops")
    c.execute("CREATE TABLE raw.rejected (path VARCHAR)")
    c.execute("CREATE TABLE staging.metadata_problem (session INT, line_number INT, symbol VARCHAR, "
              "problem VARCHAR, raw VARCHAR)")
    return c


def test_publish_copies_the_search_tables_and_keeps_the_old_one_on_failure(tmp_path, monkeypatch):
    from warehouse.publish import publish

    snap = tmp_path / "published" / "unga.duckdb"
    c = _tiny_warehouse()
    try:
        publish(c, snap, {}, {"sessions": "75"}, quality=False)
        s = S.open_search(snap)
        assert S.search(s, "ivory")["symbol"].to_list() == ["A/RES/1/1"]
        s.close()
        before = snap.read_bytes()

        # Terms sorted for the snapshot's zone maps (warehouse/publish.py COPY_ORDER).
        with duckdb.connect(str(snap), read_only=True) as p:
            terms = [r[0] for r in p.execute("SELECT term FROM marts.paragraph_term").fetchall()]
        assert terms == sorted(terms) and "ivori" in terms

        def boom(*args):
            raise RuntimeError("export failed")

        monkeypatch.setattr("warehouse.publish.exports.write_files", boom)
        with pytest.raises(RuntimeError, match="export failed"):
            publish(c, snap, {}, {"sessions": "75"}, quality=False)
    finally:
        c.close()
    assert snap.read_bytes() == before
    # no temporary snapshot and no new publication folder left behind
    assert sorted(p.name for p in snap.parent.iterdir()) == ["exports", "files", "parquet", "unga.duckdb"]
    assert len(list((snap.parent / "files").iterdir())) == 1


# ----------------------------------------------------------------------------------- CLI

def _run(paths: Paths, *args: str):
    return CliRunner().invoke(main, ["--data-dir", str(paths.root), "search", *args], env={ENV_VAR: None})


def test_cli_table(full_build):
    result = _run(full_build, "wildlife")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["rank", "symbol", "paragraph", "score", "snippet"]
    first = lines[2].split(maxsplit=5)
    assert first[0] == "1" and first[1] in WILDLIFE_SERIES and first[2] in ("pre", "op")
    assert "**wildlife**" in lines[2].lower()
    assert re.fullmatch(r"20 of \d+ matching paragraphs shown, from \d+ of \d+ matching resolutions "
                        r"\(at most 3 per resolution; --per-resolution 0 shows all\)", lines[-1]), lines[-1]
    assert len(lines) == 2 + 20 + 1
    assert max(pl.Series([r.split()[1] for r in lines[2:-1]]).value_counts()["count"]) <= 3
    filtered = _run(full_build, "wildlife", "--kind", "operative", "--year", "2024", "--limit", "3")
    assert filtered.exit_code == 0, filtered.output
    rows = filtered.stdout.splitlines()[2:-1]
    assert len(rows) == 3 and all(r.split()[2] == "op" for r in rows)


def test_cli_json_and_csv(full_build, con):
    args = ["wildlife", "--theme", "wildlife_crime", "--session", "79", "--verb", "urges", "--limit", "3"]
    expected = S.search(con, "wildlife", theme="wildlife_crime", session=79, verb="urges", limit=3)
    assert expected.height == 3
    result = _run(full_build, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [i["rank"] for i in items] == [1, 2, 3]
    assert [i["paragraph_key"] for i in items] == expected["paragraph_key"].to_list()
    assert all(i["session"] == 79 and i["verb"] == "urges" and "wildlife_crime" in i["themes"] for i in items)
    assert items[0]["paragraph"] == f"op {items[0]['number']}"
    assert {"symbol", "title", "score", "text", "snippet", "footnotes", "themes"} <= set(items[0])
    result = _run(full_build, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["paragraph_key"]) for r in rows] == expected["paragraph_key"].to_list()
    assert json.loads(rows[0]["themes"]) == items[0]["themes"]
    assert float(rows[0]["score"]) == pytest.approx(items[0]["score"])


def test_cli_errors(full_build, tmp_path):
    missing = _run(Paths(tmp_path / "nothing"), "wildlife")
    assert missing.exit_code == 1
    assert "no published snapshot" in missing.stderr and "unga build" in missing.stderr
    for args, message in [(["   "], "empty search query"), (["x", "--theme", "nope"], "unknown theme"),
                          (["x", "--limit", "0"], "--limit")]:
        result = _run(full_build, *args)
        assert result.exit_code != 0 and message in result.stderr, (args, result.output)
    none = _run(full_build, "the of and")
    assert none.exit_code == 0 and none.stdout.splitlines()[-1] == (
        "0 of 0 matching paragraphs shown, from 0 of 0 matching resolutions "
        "(at most 3 per resolution; --per-resolution 0 shows all)")
    negative = _run(full_build, "wildlife", "--per-resolution", "-1")
    assert negative.exit_code != 0 and "--per-resolution" in negative.stderr
    assert json.loads(_run(full_build, "the", "--format", "json").stdout) == []


def test_cli_totals_and_per_resolution(full_build, con):
    everything = S.search(con, "wildlife", year=2023, limit=ALL, per_resolution=0)
    total, resolutions = everything.height, everything["symbol"].n_unique()

    def table(*args):
        result = _run(full_build, "wildlife", "--year", "2023", *args)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        return [r.split()[1] for r in lines[2:-1]], lines[-1]

    symbols, last = table()
    assert symbols == S.search(con, "wildlife", year=2023)["symbol"].to_list()
    assert len(set(symbols)) > 1 and S229 in symbols
    assert last == (f"{len(symbols)} of {total} matching paragraphs shown, from {len(set(symbols))} of {resolutions} "
                    "matching resolutions (at most 3 per resolution; --per-resolution 0 shows all)")
    for args in (["--per-resolution", "0"], ["--all-paragraphs"], ["--per-resolution", "1", "--all-paragraphs"]):
        symbols, last = table(*args)
        assert symbols == everything["symbol"].head(20).to_list() == ["A/RES/77/325"] * 20, args
        assert last == (f"20 of {total} matching paragraphs shown, from 1 of {resolutions} matching resolutions "
                        "(every matching paragraph of each resolution)"), args
    symbols, last = table("--per-resolution", "1", "--limit", "5")
    assert symbols == everything.unique("symbol", keep="first", maintain_order=True)["symbol"].head(5).to_list()
    assert last.startswith(f"5 of {total} matching paragraphs shown, from 5 of {resolutions} ") and "at most 1 " in last
    # JSON carries the totals on every row.
    items = json.loads(_run(full_build, "wildlife", "--year", "2023", "--format", "json").stdout)
    assert {i["total_paragraphs"] for i in items} == {total} and {i["total_resolutions"] for i in items} == {resolutions}
