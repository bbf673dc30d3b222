"""The marts suites: trends, mandates, lineage, search."""

from __future__ import annotations

from transforms.lineage import MAX_GAP

from ..spec import Lookup, SuiteBuilder, When, chars
from .patterns import SYMBOL


# -------------------------------------------------------------------------- marts: trends

def _marts_trends(b: SuiteBuilder) -> None:
    themes = Lookup("SELECT theme FROM core.dim_theme")

    t = b.table("marts.theme_trend_by_year")
    t.in_set("theme", themes, "Every theme of the trend is a theme of core.dim_theme.", short="theme.in_dim_theme")
    t.year(today=b.today)
    t.counts("resolutions", "paragraphs", "mentions", "preambular_paragraphs", "operative_paragraphs",
             "annex_paragraphs", "preambular_mentions", "operative_mentions", "annex_mentions")
    t.counts("all_resolutions", "all_paragraphs", low=1,
             why="A (year, session) row exists because resolutions were adopted: its denominators are positive.")
    t.counts("all_preambular_paragraphs", "all_operative_paragraphs")
    t.shares("resolution_share", "paragraph_share", "preambular_share", "operative_share")

    v = b.table("marts.theme_verb_by_year")
    v.in_set("theme", themes, "Every theme is a theme of core.dim_theme.", short="theme.in_dim_theme")
    v.year(today=b.today)
    v.counts("paragraphs", "mentions", "resolutions", low=1,
             why="A (theme, verb) row exists because at least one operative paragraph has them.")
    v.shares("share")
    v.matches("verb", r"^([a-z][a-z-]*( [a-z][a-z-]*)*|\(none\))$", "A verb is lower-cased words, or \"(none)\".")

    o = b.table("marts.operative_verb_by_year")
    o.year(today=b.today)
    o.counts("paragraphs", "resolutions", low=1, why="A verb row exists because at least one paragraph uses it.")
    o.shares("share")
    o.between("rank", 1, None, "Ranks start at 1.", short="rank.positive")
    o.matches("verb", r"^([a-z][a-z-]*( [a-z][a-z-]*)*|\(none\))$", "A verb is lower-cased words, or \"(none)\".")

    i = b.table("marts.instrument_citations_by_year")
    i.year(today=b.today)
    i.counts("resolutions", "paragraphs", "citations", low=1, why="An instrument row exists because it is cited.")
    i.between("rank", 1, None, "Ranks start at 1.", short="rank.positive")

    e = b.table("marts.citation_edges")
    e.year(today=b.today)
    e.counts("citations", "paragraphs", low=1, why="An edge exists because at least one link was found.")
    e.counts("in_footnotes")

    env = b.table("marts.environmental_crime_trend")
    env.in_set("theme", Lookup("SELECT theme FROM core.dim_theme WHERE theme = 'environmental_crime' "
                               "OR parent = 'environmental_crime'"),
               "The environmental-crime trend is about environmental_crime and its sub-themes only.",
               short="theme.environmental_family")
    env.year(today=b.today)
    env.counts("resolutions", "paragraphs", "mentions", "preambular_paragraphs", "operative_paragraphs")
    env.counts("all_resolutions", "all_paragraphs", low=1,
               why="Every year shown has resolutions: its denominators are positive.")
    env.shares("resolution_share", "paragraph_share")

    s = b.table("marts.instrument_citation_span")
    s.year("first_year", today=b.today)
    s.year("last_year", today=b.today)
    s.counts("years_cited", "resolutions", "paragraphs", low=1, why="A span exists because the instrument is cited.")

    # The shares and coverage the by-year marts gained, and their by-session twins.
    t.shares("coverage")
    v.shares("operative_share", "coverage")
    o.shares("resolution_share", "coverage")
    i.shares("resolution_share", "paragraph_share", "coverage")
    env.shares("coverage")
    max_session = b.today.year - 1945
    ts = b.table("marts.theme_trend_by_session")
    ts.in_set("theme", themes, "Every theme of the trend is a theme of core.dim_theme.", short="theme.in_dim_theme")
    ts.between("session", 1, max_session, "A regular session is numbered from 1 to the one now open.")
    ts.counts("resolutions", "paragraphs", "mentions", "preambular_paragraphs", "operative_paragraphs",
              "annex_paragraphs", "preambular_mentions", "operative_mentions", "annex_mentions",
              "all_preambular_paragraphs", "all_operative_paragraphs")
    ts.counts("all_resolutions", "all_paragraphs", low=1,
              why="A session row exists because resolutions were adopted in it: its denominators are positive.")
    ts.shares("resolution_share", "paragraph_share", "preambular_share", "operative_share", "coverage")

    es = b.table("marts.environmental_crime_trend_by_session")
    es.in_set("theme", Lookup("SELECT theme FROM core.dim_theme WHERE theme = 'environmental_crime' "
                              "OR parent = 'environmental_crime'"),
              "The environmental-crime trend is about environmental_crime and its sub-themes only.",
              short="theme.environmental_family")
    es.between("session", 1, max_session, "A regular session is numbered from 1 to the one now open.")
    es.counts("resolutions", "paragraphs", "mentions", "preambular_paragraphs", "operative_paragraphs")
    es.counts("all_resolutions", "all_paragraphs", low=1,
              why="Every session shown has resolutions: its denominators are positive.")
    es.shares("resolution_share", "paragraph_share", "coverage")

    vs = b.table("marts.theme_verb_by_session")
    vs.in_set("theme", themes, "Every theme is a theme of core.dim_theme.", short="theme.in_dim_theme")
    vs.counts("paragraphs", "mentions", "resolutions", "all_operative_paragraphs", low=1,
              why="A (theme, verb) row exists because at least one operative paragraph has them.")
    vs.shares("share", "operative_share", "coverage")

    os_ = b.table("marts.operative_verb_by_session")
    os_.counts("paragraphs", "resolutions", "all_resolutions", low=1,
               why="A verb row exists because at least one paragraph uses it.")
    os_.shares("share", "resolution_share", "coverage")
    os_.between("rank", 1, None, "Ranks start at 1.", short="rank.positive")

    is_ = b.table("marts.instrument_citations_by_session")
    is_.counts("resolutions", "paragraphs", "citations", "all_resolutions", "all_paragraphs", low=1,
               why="An instrument row exists because it is cited.")
    is_.shares("resolution_share", "paragraph_share", "coverage")
    is_.between("rank", 1, None, "Ranks start at 1.", short="rank.positive")

    c = b.table("marts.period_coverage")
    c.counts("resolutions_loaded", "resolutions_missing", "resolutions_uncertain", "resolutions_expected")
    c.shares("coverage")
    c.between("period", 1, max_session, "A session period is a session number, 1 to the one now open.",
              When("period_type", "==", "session"), short="period.when_session")
    c.between("period", 1946, b.today.year, "A year period is a calendar year of the General Assembly: "
              "1946 to this year.", When("period_type", "==", "year"), short="period.when_year")
    c.in_set("is_closed", [True], "A complete period is over.", when=When("is_complete", "==", True),
             short="is_closed.when_complete")
    c.in_set("is_complete", [False], "A period partial in time is not complete.",
             when=When("is_partial", "==", True), short="is_complete.when_partial")
    c.not_null("partial_reason", "A period that is not complete says why.", When("is_complete", "==", False))
    c.null("partial_reason", "A complete period needs no reason.", When("is_complete", "==", True))

    b.rule("period_coverage_consistent")
    b.rule("trend_coverage_matches_period")
    b.rule("session_marts_add_up")
    b.rule("theme_trend_adds_up")
    b.rule("theme_trend_matches_core")
    b.rule("verb_marts_match_core")
    b.rule("environmental_crime_trend_complete")
    b.rule("instrument_marts_match_core")
    b.rule("citation_edges_match_core")


# ------------------------------------------------------------------------ marts: mandates

def _marts_mandates(b: SuiteBuilder) -> None:
    m = b.table("marts.mandates")
    m.year(today=b.today)
    m.between("paragraph_ordinal", 1, None, "paragraph_ordinal is 1-based.", short="paragraph_ordinal.positive")
    m.matches("verb", r"^[a-z][a-z-]*( [a-z][a-z-]*| \.\.\.)*$", "The directive clause is lower-cased words "
              "(\"requests\", \"also requests\", \"decides that ... shall\").")
    m.matches("report_session", r"^\d+(, \d+)*$", "report_session is session numbers as text (\"79\", \"79, 80\").")
    m.null("report_session", "No report requested, no session for it.", When("report_requested", "==", False))

    y = b.table("marts.mandates_by_entity_year")
    y.year(today=b.today)
    y.counts("mandates", "resolutions", low=1, why="An entity-year row exists because at least one mandate was given.")
    y.counts("reports_requested")
    y.shares("resolution_share", "mandate_share", "coverage")

    s = b.table("marts.mandates_by_entity_session")
    s.counts("mandates", "resolutions", "all_resolutions", "all_operative_paragraphs", low=1,
             why="An entity-session row exists because at least one mandate was given.")
    s.counts("reports_requested")
    s.shares("resolution_share", "mandate_share", "coverage")

    b.rule("mandates_resolve")
    b.rule("mandates_by_entity_year_matches_mandates")


# ------------------------------------------------------------------------- marts: lineage

def _marts_lineage(b: SuiteBuilder) -> None:
    s = b.table("marts.series")
    s.year(today=b.today)
    s.between("position", 1, None, "position is 1-based.", short="position.positive")
    s.between("sessions_skipped", 0, MAX_GAP - 1,
              f"A predecessor is at most {MAX_GAP} sessions back (transforms/lineage/series.py MAX_GAP), so at most "
              f"{MAX_GAP - 1} sessions are skipped.")
    s.matches("series_id", SYMBOL, "A series is named after the symbol of its first adoption.")

    t = b.table("marts.series_step")
    t.year(today=b.today)
    t.counts("unchanged", "changed", "new", "dropped", "paragraphs", "predecessor_paragraphs")

    ln = b.table("marts.paragraph_lineage")
    ln.shares("similarity", why="A word similarity is between 0 and 1.")
    ln.between("similarity", 1, 1, "unchanged means the same words: similarity 1.",
               When("status", "==", "unchanged"), short="similarity.when_unchanged")
    ln.between("similarity", 0, 1, "changed means matched but reworded: similarity above 0 and below 1.",
               When("status", "==", "changed"), short="similarity.when_changed", strict_low=True, strict_high=True)
    ln.null("similarity", "A new or dropped paragraph has no counterpart to compare with.",
            When("status", "in", ["new", "dropped"]))
    ln.not_null("diff", "A changed paragraph carries its word-level diff.", When("status", "==", "changed"))
    ln.null("diff", "Only a changed paragraph has a diff.", When("status", "!=", "changed"))
    ln.null("ordinal", "A dropped paragraph is only in the predecessor: no ordinal in the resolution.",
            When("status", "==", "dropped"))
    ln.not_null("ordinal", "Every paragraph but a dropped one is a paragraph of the resolution.",
                When("status", "!=", "dropped"))
    ln.null("predecessor_ordinal", "A new paragraph has no counterpart in the predecessor.",
            When("status", "==", "new"))
    ln.not_null("predecessor_ordinal", "Every paragraph but a new one has its counterpart in the predecessor.",
                When("status", "!=", "new"))

    n = b.table("marts.new_language_by_year")
    n.in_set("theme", Lookup("SELECT theme FROM core.dim_theme"), "Every theme is a theme of core.dim_theme.",
             short="theme.in_dim_theme")
    n.year(today=b.today)
    n.counts("new_paragraphs", "changed_paragraphs")
    n.counts("resolutions", low=1, why="A row exists because some resolution holds new or changed language.")
    n.shares("new_share", "changed_share", "coverage")

    ns = b.table("marts.new_language_by_session")
    ns.in_set("theme", Lookup("SELECT theme FROM core.dim_theme"), "Every theme is a theme of core.dim_theme.",
              short="theme.in_dim_theme")
    ns.counts("new_paragraphs", "changed_paragraphs")
    ns.counts("resolutions", "all_paragraphs", low=1,
              why="A row exists because some resolution of the session holds new or changed language.")
    ns.shares("new_share", "changed_share", "coverage")

    b.rule("series_members_are_resolutions")
    b.rule("series_chains_consistent")
    b.rule("series_steps_consistent")
    b.rule("paragraph_lineage_resolves")
    b.rule("paragraph_lineage_complete")
    b.rule("new_language_matches_lineage")


# -------------------------------------------------------------------------- marts: search

def _marts_search(b: SuiteBuilder) -> None:
    s = b.table("marts.paragraph_search")
    s.between(chars("body"), 1, None, "Every paragraph has text to index.", short="body.not_blank")
    b.rule("paragraph_search_matches_core")
