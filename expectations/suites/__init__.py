"""The quality suites of the warehouse: which tables each covers, blocking or not, and why.

Each suite function below adds the *semantic* expectations by hand; the codebook's
(schema, not-null, allowed values, keys) are generated for every table the suite lists
(see :mod:`expectations.spec`). Cross-table rules are SQL files in ``expectations/sql``,
each headed by the sentence that states the rule.

Blocking suites guard invariants the published snapshot must hold: a failure stops the
publication. ``quality_warnings`` collects expectations that are right but that the data
breaks today for known reasons (each explained where it is declared); they are reported,
never blocking, until the cause is fixed and the expectation can move to its blocking suite.

Every table of ``warehouse/codebook.yaml`` belongs to exactly one suite
(``tests/test_expectations.py`` checks it), so a table added to the codebook must be given a
suite, and its documented shape is then checked without further work.

Modules, by layer: ``raw`` (the raw layer's specs and suite), ``core`` (resolutions,
paragraphs, bridges, reference dimensions, reconciliation), ``marts`` (trends, mandates,
lineage, search), ``ops`` and ``quality`` (the warning-only suite); ``patterns`` holds the
patterns several of them use. This module is the catalogue: :data:`SUITES`,
:func:`get_suite`, :func:`covered_tables`.
"""

from __future__ import annotations

from warehouse.registry import registry

from ..spec import SuiteDef
from .core import _core_bridges, _core_paragraphs, _core_reconciliation, _core_reference, _core_resolutions
from .marts import _marts_lineage, _marts_mandates, _marts_search, _marts_trends
from .ops import _ops
from .quality import _quality_warnings
from .raw import _raw, raw_specs  # noqa: F401  (raw_specs: part of this module's API)


# ------------------------------------------------------------------------------- catalogue

_DECLARED: tuple[SuiteDef, ...] = (
    SuiteDef("raw", True,
             "The raw layer: every landed file recorded once with its hash, every kept document traceable "
             "to its file with its bytes intact, every rejection with a reason. Working warehouse only.",
             ("raw.source_file", "raw.document", "raw.rejected"),
             requires=("raw.source_file", "raw.document", "raw.rejected"), add=_raw),
    SuiteDef("core_resolutions", True,
             "Sessions, resolutions, the manifest and metadata discrepancies: keys, symbols, adoption dates "
             "inside the session's window, counts that match the facts, votes and the manifest consistent.",
             ("core.dim_session", "core.dim_resolution", "core.manifest", "core.metadata_discrepancy"),
             add=_core_resolutions),
    SuiteDef("core_paragraphs", True,
             "The fact table, sub-paragraphs and footnotes: the grain, kinds, ordinals and operative numbers "
             "contiguous, every paragraph's resolution present, verbs lower-case without adverbs, stable keys.",
             ("core.fact_paragraph", "core.fact_subparagraph", "core.fact_footnote"), add=_core_paragraphs),
    SuiteDef("core_bridges", True,
             "Citations, sponsors, votes, keywords, themes, actors and instruments: every bridge row points at "
             "a paragraph or resolution and a dimension row that exist, with evidence that points into the text.",
             ("core.bridge_paragraph_citation", "core.bridge_resolution_sponsor", "core.bridge_resolution_vote",
              "core.bridge_resolution_keyword", "core.bridge_paragraph_theme", "core.bridge_paragraph_actor",
              "core.bridge_resolution_actor", "core.bridge_paragraph_instrument"), add=_core_bridges),
    SuiteDef("core_reference", True,
             "The theme, actor and instrument dimensions: exactly the reference lists, codes well formed, "
             "parents present, States with their ISO and M49 codes.",
             ("core.dim_theme", "core.dim_actor", "core.dim_instrument"), add=_core_reference),
    SuiteDef("core_reconciliation", True,
             "The text-versus-XML comparisons: counts that add up, similarities and agreements between 0 and 1, "
             "row-by-row tables that match their summary. (Whether a text passes is a warning.)",
             ("core.text_reconciliation", "core.text_reconciliation_paragraph", "core.text_reconciliation_footnote"),
             add=_core_reconciliation),
    SuiteDef("marts_trends", True,
             "Theme, verb, instrument and citation marts by year and by session, and the coverage of each "
             "period: shares between 0 and 1, counts non-negative and equal to core's, zeros kept, every year "
             "of the environmental-crime trend present, every trend row carrying its period's coverage.",
             ("marts.period_coverage", "marts.theme_trend_by_year", "marts.theme_verb_by_year",
              "marts.operative_verb_by_year", "marts.instrument_citations_by_year", "marts.citation_edges",
              "marts.environmental_crime_trend", "marts.instrument_citation_span", "marts.theme_trend_by_session",
              "marts.environmental_crime_trend_by_session", "marts.theme_verb_by_session",
              "marts.operative_verb_by_session", "marts.instrument_citations_by_session"), add=_marts_trends),
    SuiteDef("marts_mandates", True,
             "Mandates and their rollup: every mandate an operative paragraph addressed to a UN organ or entity "
             "of core.dim_actor, the rollup equal to the mandates.",
             ("marts.mandates", "marts.mandates_by_entity_year", "marts.mandates_by_entity_session"),
             add=_marts_mandates),
    SuiteDef("marts_lineage", True,
             "Series of recurring resolutions and their paragraph lineage: every member a resolution, chains "
             "consistent, statuses and similarities coherent, every paragraph accounted for once.",
             ("marts.series", "marts.series_step", "marts.paragraph_lineage", "marts.new_language_by_year",
              "marts.new_language_by_session"),
             add=_marts_lineage),
    SuiteDef("marts_search", True,
             "The tables behind full-text search: one row per paragraph, as in core, and its terms.",
             ("marts.paragraph_search", "marts.paragraph_term"), requires=("marts.paragraph_search",),
             add=_marts_search),
    SuiteDef("ops", True,
             "How the snapshot was built: rejections with reasons, zero violations of the blocking checks, "
             "one build_info row naming the sessions. Snapshot only.",
             ("ops.rejected", "ops.metadata_problem", "ops.check_result", "ops.build_info", "ops.completeness",
              "ops.completeness_detail", "ops.held_back"),
             requires=("ops.rejected", "ops.metadata_problem", "ops.check_result", "ops.build_info"), add=_ops),
    SuiteDef("quality_warnings", False,
             "Known problems of the data, reported but not blocking: adverbs kept as verbs, a lead phrase with "
             "markup, sponsor names split inside parentheses, a source tally that disagrees with its vote list, "
             "a stale citation-edge flag, and text versions that disagree with the XML.",
             (), add=_quality_warnings, generate=False),
)


def _unsuited() -> tuple[str, ...]:
    """Public tables (the models of warehouse/models) that no suite above names."""
    named = {t for suite in _DECLARED for t in suite.tables}
    return tuple(m.name for m in registry().public() if m.name not in named)


# A table just added (one model file and its codebook entry) is checked at once by what its
# codebook entry says (types, columns, nulls, keys), in a suite of its own, until a suite above
# takes it with hand-written expectations.
SUITES: tuple[SuiteDef, ...] = _DECLARED + ((SuiteDef(
    "models_new", True,
    "Tables without hand-written expectations yet: what their codebook entries say (columns and their "
    "types, nulls only where documented, unique keys).", _unsuited()),) if _unsuited() else ())

# Documented tables no suite checks, and why.
UNCHECKED_TABLES: dict[str, str] = {
    "ops.suite_result": "written into the snapshot from the suites' results, after they ran",
}

SUITE_NAMES: tuple[str, ...] = tuple(s.name for s in SUITES)
BLOCKING: tuple[str, ...] = tuple(s.name for s in SUITES if s.blocking)


def get_suite(name: str) -> SuiteDef:
    for s in SUITES:
        if s.name == name:
            return s
    raise KeyError(f"no suite {name!r}; the suites are {', '.join(SUITE_NAMES)}")


def covered_tables() -> dict[str, str]:
    """table -> the suite that checks its documented shape."""
    out: dict[str, str] = {}
    for s in SUITES:
        for t in s.tables:
            if t in out:
                raise ValueError(f"{t} is in two suites: {out[t]} and {s.name}")
            out[t] = s.name
    return out
