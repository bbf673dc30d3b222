"""The core suites: resolutions, paragraphs, bridges, reference dimensions, reconciliation."""

from __future__ import annotations

from transforms.actors import load_actors
from transforms.themes import load_taxonomy

from ..spec import Lookup, SuiteBuilder, When, chars
from .patterns import DOCUMENT_ID, DROPPED_ADVERBS, LOWER_WORDS, MEMBER_STATES, SYMBOL


# ----------------------------------------------------------------------- core: resolutions

def _core_resolutions(b: SuiteBuilder) -> None:
    max_session = b.today.year - 1945
    s = b.table("core.dim_session")
    s.rows_between(1, None, "A warehouse without any session has loaded nothing.")
    s.between("session", 1, max_session, "A regular session is numbered from 1 (1946) to the one now open.")
    s.year("opening_year", today=b.today)

    r = b.table("core.dim_resolution")
    r.rows_between(1, None, "A warehouse without resolutions has loaded nothing.")
    r.matches("symbol", SYMBOL, "A symbol is as the UN prints it: A/RES/<session>/<number>, the session "
              "regular (78), special (S-32) or emergency special (ES-11), with a part letter when adopted in parts.")
    r.matches("session_label", r"^(\d+|ES-\d+|S-\d+)$", "session_label is the session segment of the symbol.")
    r.matches("part", r"^[A-Z]$", "A part is one capital letter (A, B, C ...).")
    r.unique("symbol", "The symbol is unique: one row per resolution (per part).")
    r.not_null("symbol", "symbol is the resolution's natural key.")
    r.between("session", 1, max_session, "A regular session is numbered from 1 to the one now open.")
    r.year(today=b.today)
    r.matches("document_id", DOCUMENT_ID, "document_id is 32 hex characters (traces the row to raw.document).")
    r.counts("preambular_paragraphs", "operative_paragraphs", "annex_paragraphs", "footnotes",
             "votes_in_favour", "votes_against", "votes_abstaining")
    for c in ("votes_in_favour", "votes_against", "votes_abstaining"):
        r.between(c, 0, MEMBER_STATES, f"{c}: at most one vote per Member State ({MEMBER_STATES}).",
                  short=f"{c}.at_most_one_per_state")

    m = b.table("core.manifest")
    m.counts("documents", "superseded_documents")

    b.rule("adoption_dates_in_session", check="adoption_dates_in_session",
           description="Every resolution is adopted within its session's window of core.dim_session "
                       "(first_day to last_day; special and emergency special sessions up to a year after): "
                       "the warehouse's own blocking check, warehouse/sql/checks/adoption_dates_in_session.sql.")
    b.rule("session_window_as_documented")
    b.rule("resolution_session_exists")
    b.rule("resolution_year_is_adoption_year")
    b.rule("resolution_symbol_parts_consistent")
    b.rule("resolution_counts_match_facts")
    b.rule("resolution_has_paragraphs")
    b.rule("resolution_vote_fields_consistent")
    b.rule("resolution_vote_list_counted")
    b.rule("resolution_in_manifest")
    b.rule("manifest_status_consistent")
    b.rule("metadata_discrepancy_is_a_disagreement")


# ------------------------------------------------------------------------ core: paragraphs

def _core_paragraphs(b: SuiteBuilder) -> None:
    p = b.table("core.fact_paragraph")
    p.rows_between(1, None, "A warehouse without paragraphs has loaded nothing.")
    p.unique(["symbol", "kind", "ordinal"], "The grain of the fact table: one paragraph per (symbol, kind, ordinal).")
    for c in ("symbol", "kind", "ordinal"):
        p.not_null(c, "(symbol, kind, ordinal) is the paragraph's natural key.")
    p.between("ordinal", 1, None, "ordinal is 1-based.", short="ordinal.positive")
    p.between("numbering_block", 1, None, "numbering_block starts at 1.", short="numbering_block.positive")
    p.counts("subparagraphs", "footnotes")
    p.between("words", 1, None, "Every paragraph has at least one word.", short="words.positive")
    p.between(chars("text"), 1, None, "A paragraph's text is never empty once trimmed (checked on its length).",
              short="text.not_blank")
    p.year(today=b.today)
    p.null("number", "Preambular paragraphs are not numbered.", When("kind", "==", "preambular"))
    p.null("lead_phrase", "Annex paragraphs have no lead phrase (the codebook's null note).", When("kind", "==", "annex"))
    p.null("verb", "verb is taken from the lead phrase: no lead phrase, no verb.", When("lead_phrase", "is null"))
    p.matches("verb", LOWER_WORDS, "A verb is lower-cased words (\"requests\", \"calls upon\", \"re-emphasizes\").")
    p.not_matches("verb", DROPPED_ADVERBS, "A verb keeps no leading adverb: \"Also requests\" and "
                  "\"Further requests\" give \"requests\" (the adverbs warehouse/models/core/fact_paragraph.sql drops).",
                  short="verb.no_leading_adverb")
    p.derive(chars("lead_phrase"), "length(trim(lead_phrase))")
    p.between(chars("lead_phrase"), 1, None, "A lead phrase, when there is one, is not blank.",
              short="lead_phrase.not_blank")

    s = b.table("core.fact_subparagraph")
    s.between("sub_ordinal", 1, None, "sub_ordinal is 1-based.", short="sub_ordinal.positive")
    s.between("depth", 1, 4, "Sub-paragraphs nest (a), (i), then at most two levels more.")
    s.between(chars("text"), 1, None, "A sub-paragraph's text is never empty once trimmed.", short="text.not_blank")

    f = b.table("core.fact_footnote")
    f.unique(["symbol", "footnote_ordinal"], "A footnote is identified by its resolution and ordinal.")
    for c in ("symbol", "footnote_ordinal", "paragraph_key"):
        f.not_null(c, f"{c} identifies the footnote or the paragraph it is attached to.")
    f.between("footnote_ordinal", 1, None, "footnote_ordinal is 1-based.", short="footnote_ordinal.positive")
    f.derive(chars("marker"), "length(trim(marker))")
    f.between(chars("marker"), 1, None, "A footnote has a printed marker.", short="marker.not_blank")

    b.rule("paragraph_resolution_exists")
    b.rule("paragraph_ordinals_contiguous")
    b.rule("operative_numbers_contiguous", check="operative_numbers_contiguous",
           description="Printed operative numbers run 1, 2, 3 ... without gap or repeat within each resolution "
                       "and numbering block: the warehouse's blocking check "
                       "warehouse/sql/checks/operative_numbers_contiguous.sql.")
    b.rule("paragraph_counts_match_facts")
    b.rule("subparagraph_paragraph_exists")
    b.rule("subparagraph_ordinals_contiguous")
    b.rule("footnote_paragraph_exists")
    b.rule("footnote_ordinals_contiguous")
    b.rule("surrogate_keys_are_stable_hashes")


# --------------------------------------------------------------------------- core: bridges

def _core_bridges(b: SuiteBuilder) -> None:
    themes = Lookup("SELECT theme FROM core.dim_theme")

    c = b.table("core.bridge_paragraph_citation")
    c.matches("href", r"^https?://(undocs\.org|docs\.un\.org)/",
              "A citation is a link to the UN's document system (undocs.org, or docs.un.org where it now redirects).")

    t = b.table("core.bridge_paragraph_theme")
    t.in_set("theme", themes, "Every theme tagged is a theme code of core.dim_theme.", short="theme.in_dim_theme")
    t.between("mentions", 1, None, "A paragraph is tagged with a theme because at least one phrase matched.",
              short="mentions.positive")

    a = b.table("core.bridge_paragraph_actor")
    a.counts("position", why="position is a 0-based character offset: never negative.")
    a.in_set("paragraph_kind", ["operative"], "Only an operative paragraph asks an actor to act "
             "(an addressee is found after a directive verb of an operative paragraph).",
             when=When("role", "==", "addressee"))
    a.not_null("verb", "An addressee is asked to act by a directive clause, which is recorded.",
               When("role", "==", "addressee"))
    a.null("verb", "A mentioned actor is not asked to act: no directive clause.", When("role", "==", "mentioned"))
    a.matches("verb", LOWER_WORDS, "The directive clause is lower-cased, as the codebook documents.",
              short="verb.lower_case")

    sp = b.table("core.bridge_resolution_sponsor")
    sp.between("position", 1, None, "position is 1-based.", short="position.positive")
    sp.derive(chars("sponsor"), "length(trim(sponsor))")
    sp.between(chars("sponsor"), 1, None, "A sponsor has a name.", short="sponsor.not_blank")

    v = b.table("core.bridge_resolution_vote")
    v.matches("state", r"^[^a-z]+$", "The XML writes the States in capitals (\"NEW ZEALAND\").")

    k = b.table("core.bridge_resolution_keyword")
    k.derive(chars("term"), "length(trim(term))")
    k.between(chars("term"), 1, None, "A keyword is not blank.", short="term.not_blank")

    i = b.table("core.bridge_paragraph_instrument")
    i.year("cited_date_year", today=b.today,
           why="A cited resolution's printed date is a date of the United Nations: 1946 to this year.")
    i.derive("cited_date_year", "year(cited_date)")

    for bridge in ("citation", "theme", "actor", "instrument"):
        b.rule(f"bridge_paragraph_{bridge}_resolves")
    b.rule("resolution_bridges_resolve")
    b.rule("bridge_actors_exist")
    b.rule("bridge_instruments_exist")
    b.rule("citation_target_key_consistent")
    b.rule("votes_only_for_recorded_votes")
    b.rule("sponsor_positions_contiguous")
    b.rule("resolution_actor_votes_match_votes")
    b.rule("theme_evidence_points_into_text")
    b.rule("actor_evidence_points_into_text")


# ------------------------------------------------------------------------- core: reference

def _core_reference(b: SuiteBuilder) -> None:
    t = b.table("core.dim_theme")
    t.matches("theme", r"^[a-z][a-z0-9_]*$", "A theme code is snake_case.")
    t.distinct_equal("theme", load_taxonomy()["theme"].to_list(),
                     "core.dim_theme holds exactly the themes of transforms/reference/themes.yaml.",
                     short="theme.matches_reference")

    a = b.table("core.dim_actor")
    a.matches("actor_id", r"^([A-Z]{3}|[a-z][a-z0-9_]*)$",
              "An actor code is an ISO 3166 alpha-3 code (States) or a lower-case code (\"unodc\").")
    a.matches("iso3", r"^[A-Z]{3}$", "iso3 is an ISO 3166-1 alpha-3 code.")
    a.matches("m49", r"^\d{3}$", "m49 is a UN M49 code: three digits as text.")
    a.distinct_equal("actor_id", load_actors()["actor_id"].to_list(),
                     "core.dim_actor holds exactly the actors of transforms/reference/actors.csv.",
                     short="actor_id.matches_reference")

    i = b.table("core.dim_instrument")
    registry = ["convention", "protocol", "standard", "declaration", "programme_of_action", "agenda"]
    i.in_set("instrument_type", registry, "A registry instrument is a named instrument: convention, protocol, "
             "standard, declaration, programme of action or agenda.", when=When("source", "==", "registry"))
    i.expect("instrument_type.when_extracted", "ExpectColumnValuesToNotBeInSet",
             "A document found cited is typed by its issuer, never as a named instrument.",
             When("source", "==", "extracted"), column="instrument_type", value_set=registry)
    i.not_null("year", "A registry instrument has its year of adoption.", When("source", "==", "registry"))
    i.null("year", "A cited document has no adoption year (source extracted).", When("source", "==", "extracted"))
    i.between("year", 1800, b.today.year, "An instrument's year is plausible: 1800 (older treaties the UN "
              "still cites) to this year.")

    b.rule("theme_parent_exists")
    b.rule("actor_parent_exists")
    b.rule("state_actor_codes")
    b.rule("member_states_counted")


# -------------------------------------------------------------------- core: reconciliation

def _core_reconciliation(b: SuiteBuilder) -> None:
    t = b.table("core.text_reconciliation")
    t.counts("paragraphs_xml", "paragraphs_text", "paragraphs_same", "paragraphs_differs", "paragraphs_missing",
             "paragraphs_extra", "footnotes_xml", "footnotes_text", "footnotes_same", "footnotes_misplaced",
             "footnotes_missing", "footnotes_extra", "lead_boundary_differences")
    t.shares("agreement", "footnote_agreement", "min_similarity", "mean_similarity",
             why="An agreement or similarity is a fraction between 0 and 1.")

    p = b.table("core.text_reconciliation_paragraph")
    p.shares("similarity", why="A word similarity is between 0 and 1.")
    p.null("xml_ordinal", "A paragraph only in the text has no XML ordinal.", When("status", "==", "text_only"))
    p.null("text_ordinal", "A paragraph only in the XML has no text ordinal.", When("status", "==", "xml_only"))
    p.between("similarity", 0.98, 1, "same means the words agree at 98% or more.", When("status", "==", "same"),
              short="similarity.when_same")

    f = b.table("core.text_reconciliation_footnote")
    f.shares("similarity", why="A word similarity is between 0 and 1.")

    b.rule("text_reconciliation_counts_add_up")
    b.rule("text_reconciliation_rows_belong")
