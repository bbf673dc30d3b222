"""Tag paragraphs with the crime themes of ``transforms/reference/themes.yaml``.

One row per (paragraph, theme) that the paragraph speaks of, with the evidence: the phrases
matched as they stand in the text and their character offsets, so that an analyst can see
why a paragraph was tagged and a mart can count paragraphs or mentions per theme.

How it works, and why it is fast (the whole corpus, some 85,000 paragraphs and 34 MB of
text, in well under two seconds on two cores):

1. Every paragraph is folded once, vectorised, into a "haystack": each character that is
   not an ASCII letter or digit becomes a space, one for one, and a space is added at both
   ends. Offsets in the haystack are then offsets in the text plus one, punctuation and
   hyphens compare equal to spaces ("money-laundering" = "money laundering"), and a word
   boundary is simply a space.
2. Every phrase of the taxonomy is folded the same way and padded with a space on both
   sides (" illegal logging "), or on the left only for a stem ("poach*" -> " poach"). One
   Aho-Corasick automaton (Polars ``str.extract_many`` / ``str.find_many``, ASCII
   case-insensitive, overlapping) finds every phrase in every paragraph in one pass: the
   padding makes the automaton itself respect word boundaries, so "mining" is never found
   inside "determining" and "waste" never inside "wastewater".
3. The matches (a few hundred thousand rows, not paragraphs x phrases) are then filtered
   with joins: a match lying inside an excluded phrase is dropped; a weak phrase
   (``context_patterns``) is kept only in a crime context (strong evidence for its theme or
   an ancestor in the paragraph, or a crime cue nearby); nested matches of one theme count
   once.
4. Each theme's matches are rolled up to its ancestors, so a paragraph tagged
   ``wildlife_crime`` is also tagged ``environmental_crime`` (``via_child`` = true when no
   phrase of the ancestor itself matched).

Run ``python -m transforms.themes`` to time the tagger over the bundled corpus.
"""

from __future__ import annotations

import argparse
import functools
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from pydantic import ValidationError

from transforms import reference_models as rm
from transforms import yamlio
from transforms.reference_models import (  # noqa: F401  (phrase_key: part of this module's API)
    TAXONOMY_MESSAGES,
    THEME_MESSAGES,
    TaxonomyModel,
    ThemeModel,
    phrase_key,
)
from transforms.lexicon import english_resolutions

TAXONOMY = Path(__file__).with_name("reference") / "themes.yaml"

TAXONOMY_SCHEMA = {
    "theme": pl.Utf8,
    "parent": pl.Utf8,
    "label": pl.Utf8,
    "iccs": pl.List(pl.Utf8),
    "sdg_targets": pl.List(pl.Utf8),
    "description": pl.Utf8,
    "source": pl.Utf8,
}
THEME_TAG_SCHEMA = {
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "theme": pl.Utf8,
    "mentions": pl.Int32,  # non-excluded, non-nested matches (the theme's and its descendants')
    "matched": pl.List(pl.Utf8),  # the matched texts as printed, in text order
    "positions": pl.List(pl.Int32),  # character offset of each match in the paragraph text
    "via_child": pl.Boolean,  # true when only descendants' phrases matched
}
REQUIRED_INPUT = ("symbol", "kind", "ordinal", "text")

# The same class, applied by Polars to the texts, less the space: a space would be replaced by
# itself, and leaving it out spares a regex replacement per word (the fold took 40% of the
# tagger's time with it in; the folded text is the same, character for character).
_NON_WORD_POLARS = r"[^A-Za-z0-9 ]"
_STEM_TAIL = 64  # a stem's word is looked for this many characters past the stem

# Roles of a phrase in the automaton.
PATTERN, CONTEXT, EXCLUDE, CUE, CUE_EXCLUDE = "pattern", "context", "exclude", "cue", "cue_exclude"


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    parent: str | None
    iccs: tuple[str, ...]
    sdg_targets: tuple[str, ...]
    description: str
    source: str
    patterns: tuple[str, ...]
    context_patterns: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    version: str
    themes: tuple[Theme, ...]
    exclude: tuple[str, ...]  # apply to every theme and to the crime cues
    cue_phrases: tuple[str, ...]
    cue_window: int
    cue_exclude: tuple[str, ...] = ()  # apply to the crime cues only

    def ancestors(self, code: str) -> list[str]:
        """The theme itself, then its parent, grandparent... up to the root."""
        parents = {t.code: t.parent for t in self.themes}
        chain = [code]
        while parents.get(chain[-1]):
            chain.append(parents[chain[-1]])
        return chain

    def root(self, code: str) -> str:
        return self.ancestors(code)[-1]


# --- The taxonomy -------------------------------------------------------------------------------


def read_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate the taxonomy (the models of transforms/reference_models.py); ValueError
    names every problem found, each with its theme and field."""
    path = Path(path) if path is not None else TAXONOMY
    data = yamlio.read_reference(path, "theme taxonomy")
    if not isinstance(data, dict):
        raise ValueError(f"theme taxonomy {path}: expected a mapping with 'version' and 'themes'")
    problems: list[str] = []
    top = None
    try:
        top = TaxonomyModel.model_validate(data)
    except ValidationError as exc:
        problems += rm.problems(exc, "", TAXONOMY_MESSAGES)

    raw = data.get("themes")
    themes: list[Theme] = []
    links: list[tuple[str, str | None]] = []  # (code, parent) of every theme, valid or not
    seen: set[str] = set()
    for i, entry in enumerate(raw if isinstance(raw, list) else [], start=1):
        where = f"theme #{i}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        code = entry.get("code")
        if isinstance(code, str) and rm.SNAKE_CASE.match(code):
            where = f"theme {code!r}"
            if code in seen:
                problems.append(f"{where}: duplicate code")
            seen.add(code)
        else:
            code = f"<theme #{i}>"
        parent = entry.get("parent")
        links.append((code, parent if isinstance(parent, str) else None))
        try:
            m = ThemeModel.model_validate(entry)
        except ValidationError as exc:
            problems += rm.problems(exc, where, THEME_MESSAGES)
            continue
        themes.append(Theme(m.code, m.label, m.parent, tuple(m.iccs), tuple(m.sdg_targets), m.description,
                            m.source, m.patterns, m.context_patterns, m.exclude))

    codes = {c for c, _ in links}
    for code, parent in links:
        if parent is None:
            continue
        if parent == code:
            problems.append(f"theme {code!r}: is its own parent")
        elif parent not in codes:
            problems.append(f"theme {code!r}: parent {parent!r} is not a theme code")
    parents = dict(links)
    for code, _ in links:  # cycles through more than one theme
        chain, node = [], code
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        if node is not None and node == code and len(chain) > 1:
            problems.append(f"theme {code!r}: parents form a cycle ({' -> '.join(chain + [node])})")

    if problems:
        raise ValueError(f"theme taxonomy {path}: " + "; ".join(problems))
    return Taxonomy(top.version, tuple(themes), top.exclude, top.crime_cues.phrases, top.crime_cues.window,
                    top.crime_cues.exclude)


def load_taxonomy(path: str | Path | None = None) -> pl.DataFrame:
    """The themes as a frame (TAXONOMY_SCHEMA), in the order of the file."""
    tax = read_taxonomy(path)
    rows = [(t.code, t.parent, t.label, list(t.iccs), list(t.sdg_targets), t.description, t.source)
            for t in tax.themes]
    return pl.DataFrame(rows, schema=TAXONOMY_SCHEMA, orient="row")


# --- The tagger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    taxonomy: Taxonomy
    keys: list[str]  # unique phrase keys, for the automaton
    phrases: pl.DataFrame  # key, theme (null for global), role, stem, key_len
    ancestors: pl.DataFrame  # theme, ancestor (the theme itself included), direct
    scopes: pl.DataFrame  # scope (theme an exclusion is listed on), theme (it applies to)
    order: pl.DataFrame  # theme, theme_order


@functools.lru_cache(maxsize=8)
def _compile_cached(path: str, mtime_ns: int) -> _Compiled:
    return _compile(read_taxonomy(path))


def _compiled(path: str | Path | None) -> _Compiled:
    p = Path(path) if path is not None else TAXONOMY
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise ValueError(f"theme taxonomy {p}: cannot be read ({exc})") from exc
    return _compile_cached(str(p.resolve()), mtime)


def _compile(tax: Taxonomy) -> _Compiled:
    rows: list[tuple[str, str | None, str]] = []
    for phrase in tax.exclude:
        rows.append((phrase_key(phrase), None, EXCLUDE))
    for phrase in tax.cue_phrases:
        rows.append((phrase_key(phrase), None, CUE))
    for phrase in tax.cue_exclude:
        rows.append((phrase_key(phrase), None, CUE_EXCLUDE))
    for t in tax.themes:
        rows += [(phrase_key(p), t.code, PATTERN) for p in t.patterns]
        rows += [(phrase_key(p), t.code, CONTEXT) for p in t.context_patterns]
        rows += [(phrase_key(p), t.code, EXCLUDE) for p in t.exclude]
    phrases = (
        pl.DataFrame(rows, schema={"key": pl.Utf8, "theme": pl.Utf8, "role": pl.Utf8}, orient="row")
        .unique(maintain_order=True)
        .with_columns(
            stem=~pl.col("key").str.ends_with(" "),
            key_len=pl.col("key").str.len_chars().cast(pl.Int64),
        )
    )
    anc_rows, scope_rows = [], []
    for t in tax.themes:
        chain = tax.ancestors(t.code)
        anc_rows += [(t.code, a, a == t.code) for a in chain]
        scope_rows += [(a, t.code) for a in chain]  # an exclusion listed on a applies to t
    return _Compiled(
        taxonomy=tax,
        keys=sorted(set(phrases["key"].to_list())),
        phrases=phrases,
        ancestors=pl.DataFrame(anc_rows, schema={"theme": pl.Utf8, "ancestor": pl.Utf8, "direct": pl.Boolean},
                               orient="row"),
        scopes=pl.DataFrame(scope_rows, schema={"scope": pl.Utf8, "theme": pl.Utf8}, orient="row"),
        order=pl.DataFrame({"theme": [t.code for t in tax.themes],
                            "theme_order": list(range(len(tax.themes)))},
                           schema={"theme": pl.Utf8, "theme_order": pl.Int32}),
    )


def _empty_tags() -> pl.DataFrame:
    return pl.DataFrame(schema=THEME_TAG_SCHEMA)


def tag_paragraphs(paragraphs: pl.DataFrame, taxonomy_path: str | Path | None = None) -> pl.DataFrame:
    """One row per (paragraph, theme) the paragraph speaks of (THEME_TAG_SCHEMA).

    ``paragraphs`` needs the columns symbol, kind, ordinal and text (others are ignored);
    a paragraph is identified by (symbol, kind, ordinal). Rows come in input order, then in
    the order of the taxonomy. Ancestors of a tagged theme get a row too, with the
    descendants' evidence and ``via_child`` true when none of their own phrases matched.
    """
    missing = [c for c in REQUIRED_INPUT if c not in paragraphs.columns]
    if missing:
        raise ValueError(f"tag_paragraphs: paragraphs lack the column(s) {', '.join(missing)}")
    comp = _compiled(taxonomy_path)
    if paragraphs.height == 0:
        return _empty_tags()

    texts = paragraphs.select(
        pl.col("symbol").cast(pl.Utf8),
        pl.col("kind").cast(pl.Utf8).alias("paragraph_kind"),
        pl.col("ordinal").cast(pl.Int32).alias("paragraph_ordinal"),
        pl.col("text").cast(pl.Utf8).fill_null(""),
    ).with_row_index("pid")

    # 1-2. One automaton pass over the folded, padded texts.
    hay = pl.concat_str(pl.lit(" "), pl.col("text").str.replace_all(_NON_WORD_POLARS, " "), pl.lit(" "))
    found = (
        texts.lazy()
        .select(
            "pid",
            hay.str.extract_many(comp.keys, ascii_case_insensitive=True, overlapping=True).alias("key"),
            hay.str.find_many(comp.keys, ascii_case_insensitive=True, overlapping=True).alias("at"),
        )
        .filter(pl.col("at").list.len() > 0)
        .explode(["key", "at"])
        .with_columns(pl.col("key").str.to_lowercase(), pl.col("at").cast(pl.Int64))
        .collect()
    )
    if found.height == 0:
        return _empty_tags()

    # Every match of a phrase, once per (theme, role) it stands for. Offsets in the haystack
    # are offsets in the text plus one, and the key's leading space takes that one back.
    matches = found.join(comp.phrases, on="key", how="inner").with_columns(start=pl.col("at"))
    ends = _match_ends(matches, texts)
    matches = matches.with_columns(end=ends).with_row_index("mid")

    # 3a. Drop matches lying inside an exclusion that applies to them: a theme's exclusion
    # applies to the theme and its descendants, a top-level one to every theme and cue, a
    # cue exclusion to the cues only.
    is_excl = pl.col("role").is_in([EXCLUDE, CUE_EXCLUDE])
    excl = matches.filter(is_excl).select("pid", "theme", "role", xs="start", xe="end")
    cand = matches.filter(~is_excl)
    if excl.height:
        scoped = excl.filter(pl.col("theme").is_not_null()).join(
            comp.scopes, left_on="theme", right_on="scope", how="inner"
        ).select("pid", "xs", "xe", applies="theme_right", only_cues=pl.lit(False))
        glob = excl.filter(pl.col("theme").is_null()).select(
            "pid", "xs", "xe", applies=pl.lit(None, pl.Utf8), only_cues=pl.col("role") == CUE_EXCLUDE)
        rules = pl.concat([scoped, glob])
        dropped = (
            cand.select("mid", "pid", "theme", "role", "start", "end")
            .join(rules, on="pid", how="inner")
            .filter(
                (pl.col("xs") <= pl.col("start"))
                & (pl.col("end") <= pl.col("xe"))
                & (pl.col("applies").is_null() | (pl.col("applies") == pl.col("theme")))
                & (~pl.col("only_cues") | (pl.col("role") == CUE))
            )
            .select("mid")
            .unique()
        )
        cand = cand.join(dropped, on="mid", how="anti")

    strong = cand.filter(pl.col("role") == PATTERN)
    weak = cand.filter(pl.col("role") == CONTEXT)
    cues = cand.filter(pl.col("role") == CUE).select("pid", cs="start", ce="end")

    # 3b. A weak phrase counts where the paragraph has strong evidence for its theme or an
    # ancestor of it, or where a crime cue stands within the window.
    if weak.height:
        licensed = strong.select("pid", ancestor="theme").unique()
        by_theme = (
            weak.select("mid", "pid", "theme")
            .join(comp.ancestors.select("theme", "ancestor"), on="theme", how="inner")
            .join(licensed, on=["pid", "ancestor"], how="semi")
            .select("mid")
            .unique()
        )
        rest = weak.join(by_theme, on="mid", how="anti")
        window = comp.taxonomy.cue_window
        by_cue = (
            rest.join(cues, on="pid", how="inner")
            .filter(((pl.col("cs") - pl.col("end")) <= window) & ((pl.col("start") - pl.col("ce")) <= window))
            .select("mid")
            .unique()
        )
        kept = pl.concat([strong.select("mid"), by_theme, by_cue])
    else:
        kept = strong.select("mid")
    evidence = (
        matches.join(kept, on="mid", how="semi")
        .select("pid", "theme", "start", "end")
        .unique()
    )
    if evidence.height == 0:
        return _empty_tags()

    # 4. Roll up to ancestors; a span nested in another span of the same theme counts once.
    rolled = (
        evidence.join(comp.ancestors, on="theme", how="inner")
        .group_by("pid", "ancestor", "start", "end")
        .agg(pl.col("direct").any())
        .rename({"ancestor": "theme"})
    )
    via_child = rolled.group_by("pid", "theme").agg(via_child=~pl.col("direct").any())
    spans = (
        rolled.sort("pid", "theme", "start", pl.col("end"), descending=[False, False, False, True])
        .with_columns(reach=pl.col("end").cum_max().shift(1).over("pid", "theme"))
        .filter(pl.col("reach").is_null() | (pl.col("end") > pl.col("reach")))
        .join(texts.select("pid", "text"), on="pid", how="left")
        .with_columns(matched=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
    )
    tags = (
        spans.group_by("pid", "theme")
        .agg(
            mentions=pl.len().cast(pl.Int32),
            matched=pl.col("matched").sort_by("start"),
            positions=pl.col("start").sort().cast(pl.Int32),
        )
        .join(via_child, on=["pid", "theme"], how="left")
        .join(comp.order, on="theme", how="left")
        .join(texts.select("pid", "symbol", "paragraph_kind", "paragraph_ordinal"), on="pid", how="left")
        .sort("pid", "theme_order")
    )
    return tags.select(list(THEME_TAG_SCHEMA)).cast(THEME_TAG_SCHEMA)


def _match_ends(matches: pl.DataFrame, texts: pl.DataFrame) -> pl.Series:
    """End offset (exclusive, in the text) of each match; a stem runs to the end of its word."""
    whole = matches["start"] + matches["key_len"] - 2
    if not matches["stem"].any():
        return whole.alias("end")
    stems = (
        matches.select("pid", "start", "key_len", "stem").with_row_index("row")
        .filter(pl.col("stem"))
        .join(texts.select("pid", "text"), on="pid", how="left")
        .with_columns(stem_end=pl.col("start") + pl.col("key_len") - 1)
        .with_columns(
            tail=pl.col("text").str.slice(pl.col("stem_end"), _STEM_TAIL)
            .str.replace_all(_NON_WORD_POLARS, " ")
        )
        .with_columns(
            word=pl.col("tail").str.find(" ", literal=True)
            .fill_null(pl.col("tail").str.len_chars())
            .cast(pl.Int64)
        )
        .select("row", end=pl.col("stem_end") + pl.col("word"))
    )
    out = whole.alias("end").to_frame().with_row_index("row")
    out = out.join(stems, on="row", how="left", suffix="_stem").sort("row")
    return out.select(pl.coalesce("end_stem", "end").alias("end"))["end"]


# --- Timing over the bundled corpus ---------------------------------------------------------------


def corpus_paragraphs(landing: str | Path, sessions: list[int] | None = None) -> pl.DataFrame:
    """symbol, session, kind, ordinal, text of every English resolution in the zips under
    ``landing`` (optionally only those of the given sessions)."""
    rows = [(res.symbol, res.session, p.kind, p.ordinal, p.text)
            for res in english_resolutions(landing, sessions) for p in res.paragraphs]
    return pl.DataFrame(rows, schema={"symbol": pl.Utf8, "session": pl.Int32, "kind": pl.Utf8,
                                      "ordinal": pl.Int32, "text": pl.Utf8}, orient="row")


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - a timing tool
    parser = argparse.ArgumentParser(description="Tag every paragraph of the bundled corpus and time it.")
    parser.add_argument("--landing", default=str(Path(__file__).resolve().parent.parent / "data" / "landing"))
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    paras = corpus_paragraphs(args.landing)
    t1 = time.perf_counter()
    tag_paragraphs(paras.head(10))  # compile the taxonomy outside the timing
    t2 = time.perf_counter()
    tags = tag_paragraphs(paras)
    t3 = time.perf_counter()
    mb = paras["text"].str.len_bytes().sum() / 1e6
    print(f"parsed {paras.height} paragraphs ({mb:.1f} MB) in {t1 - t0:.1f} s")
    print(f"tagged them in {t3 - t2:.2f} s: {tags.height} (paragraph, theme) rows")
    print(tags.group_by("theme").agg(paragraphs=pl.len(), mentions=pl.col("mentions").sum(),
                                      via_child=pl.col("via_child").sum()).sort("paragraphs", descending=True))


if __name__ == "__main__":  # pragma: no cover
    main()
