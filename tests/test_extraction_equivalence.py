"""Extraction in one pass (issue 18): the shortcuts of the fast extractors change no output.

Each shortcut is checked against the longer way round on the real paragraphs of session 78
(parsed from the bundled zip): the shared analysis of actors and mandates against the two
extractors run apart, the enrich step's batch against each extractor alone, the clause scan
after the loose mid-paragraph filter against the scan of every paragraph, a subset of
addressees against the mandates of all of them. The row-for-row comparison with the output
of the code before the rewrite, over all of sessions 74-79, is benchmarks/extraction.py's
``--compare`` (it needs a built warehouse and the dump of the old code).
"""

from __future__ import annotations

import functools

import zipfile
from pathlib import Path

import polars as pl
import pytest

from transforms import actors as A
from transforms.actors import addressees as AD
from transforms.actors.catalogue import _catalogue
from transforms.akn import parse_akn
from transforms.extract import extract_batch
from transforms.frames import resolution_frames
from transforms.instruments import paragraph_instruments
from transforms.instruments.bridge import _paragraph_keys
from transforms.instruments.relations import _relation_expr
from transforms.model import ParseError
from transforms.themes import tag_paragraphs

ZIP = Path(__file__).resolve().parent.parent / "data" / "landing" / "ga-akn" / "session-78-English.zip"
KEYS = ["symbol", "paragraph_kind", "paragraph_ordinal"]


@functools.cache
def _frames_78() -> dict[str, pl.DataFrame]:
    """The staging frames of session 78's English resolutions, parsed once per test run."""
    items = []
    with zipfile.ZipFile(ZIP) as z:
        for name in z.namelist():
            if name.lower().endswith(".xml"):
                try:
                    items.extend((name, r) for r in parse_akn(z.read(name), name) if r.language == "eng")
                except ParseError:
                    continue
    return resolution_frames(items)


@pytest.fixture(scope="module")
def session_78() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Paragraphs, footnotes and citations of session 78 with the columns the enrich step reads."""
    frames = _frames_78()
    return (
        frames["paragraph"].select("symbol", "kind", "ordinal", "number", "lead_phrase", "text"),
        frames["footnote"].select("symbol", "paragraph_kind", "paragraph_ordinal", "marker", "text"),
        frames["citation"].select("symbol", "paragraph_kind", "paragraph_ordinal", "target_symbol"),
    )


@pytest.fixture(scope="module")
def actors_78(session_78) -> pl.DataFrame:
    return A.paragraph_actors(session_78[0])


def test_one_analysis_gives_what_the_two_extractors_give(session_78, actors_78):
    paragraphs = session_78[0]
    apart = A.mandates(paragraphs, actors_78.filter(pl.col("role") == "addressee"))
    found_actors, found_mandates = A.actors_and_mandates(paragraphs)
    assert actors_78.height > 10_000 and apart.height > 500  # a real session, not an empty comparison
    assert found_actors.equals(actors_78)
    assert found_mandates.equals(apart)


def test_mandates_of_a_subset_of_addressees_are_a_subset_of_the_mandates(session_78, actors_78):
    """mandates() analyses only the clauses of the paragraphs where a UN entity is a chosen addressee:
    the rows it gives for a subset are the rows of all the mandates for that subset."""
    paragraphs = session_78[0]
    addressees = actors_78.filter(pl.col("role") == "addressee")
    everything = A.mandates(paragraphs, addressees)
    subset = addressees.gather_every(3)
    chosen = A.mandates(paragraphs, subset)
    key = ["symbol", "paragraph_ordinal", "actor_id", "position"]
    expected = everything.join(subset.select(key).unique(), on=key, how="semi", maintain_order="left")
    assert chosen.height > 100
    assert chosen.equals(expected)


def test_the_batch_of_the_enrich_step_equals_each_extractor_alone(session_78, actors_78):
    paragraphs, footnotes, citations = session_78
    batch = extract_batch(session_78)
    assert batch["themes"].equals(tag_paragraphs(paragraphs))
    assert batch["actors"].equals(actors_78)
    assert batch["mandates"].equals(A.mandates(paragraphs, actors_78.filter(pl.col("role") == "addressee")))
    assert batch["instruments"].equals(paragraph_instruments(paragraphs, footnotes, citations)[1])


def _variants(text: str) -> list[str]:
    """The text as it is, with its spaces turned into the whitespace Python's \\s takes and Rust's
    does not (\\x1f), and with a combining accent after every word (a \\b to Python, none to Rust)."""
    return [text, text.replace(" ", "\x1f"), text.replace("s ", "s\u0301 ").replace(", ", ",\u0301 ")]


def test_the_loose_mid_verb_filter_misses_no_clause(session_78, actors_78):
    """Where the loose Rust pattern finds nothing, Python's _MID_VERB finds nothing either, on the
    real operative paragraphs and on variants of them that tell the two regex engines apart;
    and the clauses found with the filter are those found by scanning every paragraph."""
    operative = session_78[0].filter(pl.col("kind") == "operative")
    texts = [v for t in operative.get_column("text").fill_null("").to_list() for v in _variants(t)]
    loose = pl.Series(texts).str.contains(AD._MID_VERB_LOOSE).to_list()
    python = [AD._MID_VERB.search(t) is not None for t in texts]
    assert sum(python) > 1000  # the variants keep their clauses for Python
    missed = [t[:80] for t, lo, py in zip(texts, loose, python) if py and not lo]
    assert not missed
    assert sum(loose) < 0.8 * len(texts)  # and the filter does spare paragraphs

    cat = _catalogue(None)
    rows, hits, _ = AD._analyse(cat, session_78[0])
    per_row: dict[int, list] = {}
    for r, s, e, aid, t in hits.sort("_row", "start").select("_row", "start", "end", "actor_id",
                                                             "matched_text").iter_rows():
        per_row.setdefault(r, []).append(AD._Match(s, e, aid, t))
    ops = rows.filter(pl.col("kind") == "operative").select(
        "_row", "lead_phrase", "text", pl.col("text").str.contains(AD._MID_VERB_LOOSE).alias("mid"))
    for r, lead, text, mid in ops.iter_rows():
        assert AD._clauses(text, lead, per_row.get(r, []), mid) == AD._clauses(text, lead, per_row.get(r, []))


def test_relations_in_the_bridge_are_those_of_every_paragraph(session_78):
    """The relation is read only for the paragraphs of the bridge: it is the one read over all paragraphs."""
    paragraphs, footnotes, citations = session_78
    bridge = paragraph_instruments(paragraphs, footnotes, citations)[1]
    every = (_paragraph_keys(paragraphs)
             .select(*KEYS, _relation_expr(pl.col("lead_phrase"), pl.col("paragraph_kind"), pl.col("text"))
                     .alias("expected")).unique(KEYS, keep="first"))
    joined = bridge.join(every, on=KEYS, how="left").with_columns(pl.col("expected").fill_null("other"))
    assert joined.height == bridge.height > 5000
    assert joined.get_column("relation").n_unique() >= 5
    assert (joined.get_column("relation") == joined.get_column("expected")).all()


@pytest.fixture(scope="module")
def lists_78() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Sponsor and vote lists of session 78, as the staging tables hold them."""
    frames = _frames_78()
    return (frames["sponsor"].select("symbol", "role", "position", "sponsor"),
            frames["vote"].select("symbol", "vote", "state"))


def test_votes_resolved_by_distinct_name_keep_one_row_per_state_and_vote(lists_78):
    """Voters are resolved once per distinct name and joined back: a vote list given twice gives
    the rows it gives once (a State once per resolution and vote), in the same order."""
    sponsors, votes = lists_78
    once = A.resolution_actors(sponsors, votes)
    assert once.filter(pl.col("role").str.starts_with("voted") | (pl.col("role") == "abstained")).height > 10_000
    assert A.resolution_actors(sponsors, pl.concat([votes, votes])).equals(once)
    assert A.resolution_actors(sponsors.head(0), votes).equals(once.filter(pl.col("position").is_null()
                                                                           & ~pl.col("role").str.contains("sponsor")))


def test_an_unknown_vote_names_its_resolution(lists_78):
    sponsors, votes = lists_78
    row = votes.height // 2
    bad = votes.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit("maybe"))
                             .otherwise(pl.col("vote")).alias("vote"))
    with pytest.raises(ValueError, match=rf"{votes['symbol'][row]}: unknown vote 'maybe'"):
        A.resolution_actors(sponsors, bad)


def test_the_report_prefilter_is_sound():
    """mandates() tries its report regex (re.I) only on actions holding "report" once lower-cased:
    sound because no other character matches one of its letters under re.I."""
    import re
    import sys

    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    for letter in "report":
        found = {m.group(0) for m in re.finditer(f"(?i){letter}", every)}
        assert found == {letter, letter.upper()}
        assert all(letter in c.lower() for c in found)


def _two_pass(frame: pl.DataFrame, patterns: list[str]) -> pl.DataFrame:
    """The matches as extract_many + find_many give them, byte offsets turned into characters."""
    return (
        frame.select("_row", "text",
                     pl.col("text").str.extract_many(patterns, leftmost=True).alias("hit"),
                     pl.col("text").str.find_many(patterns, leftmost=True).alias("byte"))
        .explode("hit", "byte").drop_nulls("hit")
        .select(pl.col("_row").cast(pl.UInt32), "hit",
                pl.col("text").cast(pl.Binary).bin.head(pl.col("byte").cast(pl.Int64)).cast(pl.Utf8)
                .str.len_chars().cast(pl.Int64).alias("start"))
    )


def test_one_automaton_pass_finds_what_two_passes_find(session_78):
    """transforms.automaton.leftmost_matches against extract_many + find_many, with the actor
    catalogue's patterns, on session 78's paragraphs and on the same texts with the marks it
    uses ("\\x00", "\\x01") written into them."""
    from transforms.automaton import leftmost_matches

    patterns = _catalogue(None).patterns
    texts = session_78[0].select(pl.col("text").fill_null("")).with_row_index("_row")
    marked = texts.with_columns(pl.col("text").str.replace_all(" the ", " \x00the\x01 ", literal=True))
    for frame in (texts, marked):
        one = leftmost_matches(frame, patterns)
        assert one.height > 10_000
        assert one.equals(_two_pass(frame, patterns))


def test_the_theme_fold_leaves_spaces_out_and_folds_the_same(session_78):
    """themes folds every character outside [A-Za-z0-9] to a space; its class leaves the space
    out (a space would become itself): the folded texts are those of the whole class."""
    from transforms.themes import _NON_WORD_POLARS

    texts = session_78[0].select(pl.col("text").fill_null(""))
    assert " " not in _NON_WORD_POLARS.replace("[^A-Za-z0-9 ]", "")  # the class, and nothing more
    ours = texts.select(pl.col("text").str.replace_all(_NON_WORD_POLARS, " "))
    whole = texts.select(pl.col("text").str.replace_all(r"[^A-Za-z0-9]", " "))
    assert ours.equals(whole)
    assert ours.get_column("text").str.contains(r"[^A-Za-z0-9 ]").sum() == 0
