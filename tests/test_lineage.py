"""Series lineage of recurring resolutions (transforms/lineage/).

Real data: the frames come from the snapshot that the session-scoped ``full_build`` fixture
builds from the bundled sessions 74-79, never from ./data. The hand-verified examples were
checked by reading the paragraphs in that snapshot (``select kind, ordinal, number, text from
core.fact_paragraph where symbol = ...``) side by side; each test says what was read.

Run with ``-s`` to see the per-step counts of the crime-prevention series and the timings.
"""

from __future__ import annotations

import time
from datetime import date

import duckdb
import polars as pl
import pytest

from transforms.lineage import (
    ALIGNMENT_SCHEMA,
    CHANGED_THRESHOLD,
    MAX_GAP,
    MOVE_THRESHOLD,
    SERIES_SCHEMA,
    STEP_PARAGRAPH_SCHEMA,
    STEP_SCHEMA,
    _normalised,
    align_paragraphs,
    detect_series,
    diff_chunks,
    paragraph_words,
    series_lineage,
    title_key,
    title_similarity,
    word_diff,
)
from transforms.text import normalise

CRIME = ["A/RES/74/177", "A/RES/75/196", "A/RES/76/187", "A/RES/77/237", "A/RES/78/229"]

# ------------------------------------------------------------------------ real frames


@pytest.fixture(scope="module")
def frames(full_build) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(full_build.snapshot), read_only=True)
    try:
        return {
            "resolutions": con.sql(
                "select symbol, base_symbol, part, session, year, adopted_on, title, agenda_item_name, committee "
                "from core.dim_resolution"
            ).pl(),
            "citations": con.sql(
                "select symbol, paragraph_kind, paragraph_ordinal, target_symbol from core.bridge_paragraph_citation"
            ).pl(),
            "paragraphs": con.sql("select symbol, kind, ordinal, number, lead_phrase, text from core.fact_paragraph").pl(),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def series(frames) -> pl.DataFrame:
    started = time.perf_counter()
    out = detect_series(frames["resolutions"], frames["citations"])
    print(f"\ndetect_series: {time.perf_counter() - started:.2f} s")
    return out


@pytest.fixture(scope="module")
def lineage(series, frames) -> tuple[pl.DataFrame, pl.DataFrame, float]:
    started = time.perf_counter()
    steps, rows = series_lineage(series, frames["paragraphs"])
    elapsed = time.perf_counter() - started
    print(f"\nseries_lineage over the corpus: {elapsed:.2f} s, {steps.height} steps, {rows.height} rows")
    return steps, rows, elapsed


def _paragraphs(frames, symbol: str) -> pl.DataFrame:
    return frames["paragraphs"].filter(pl.col("symbol") == symbol)


def _row(aligned: pl.DataFrame, kind: str, ordinal: int) -> dict:
    rows = aligned.filter((pl.col("kind") == kind) & (pl.col("ordinal") == ordinal)).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def _dropped(aligned: pl.DataFrame, kind: str, predecessor_ordinal: int) -> dict:
    rows = aligned.filter(
        (pl.col("kind") == kind) & (pl.col("predecessor_ordinal") == predecessor_ordinal) & (pl.col("status") == "dropped")
    ).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


# ------------------------------------------------------------- the crime-prevention series


def test_crime_prevention_series_is_one_series_of_consecutive_sessions(series):
    sid = series.filter(pl.col("symbol") == "A/RES/78/229")["series_id"].item()
    members = series.filter(pl.col("series_id") == sid).sort("position")
    assert sid == "A/RES/74/177"
    assert members["symbol"].to_list() == CRIME
    assert members["session"].to_list() == [74, 75, 76, 77, 78]
    assert members["year"].to_list() == [2019, 2020, 2021, 2022, 2023]
    assert members["position"].to_list() == [1, 2, 3, 4, 5]
    assert members["predecessor_symbol"].to_list() == [None, *CRIME[:-1]]
    assert members["link"].to_list() == [None] + ["same_title"] * 4
    assert members["sessions_skipped"].to_list() == [None, 0, 0, 0, 0]


def test_crime_prevention_series_has_no_session_79_member_and_the_data_says_why(series, frames):
    # Read in the snapshot: no session-79 resolution has this title or cites 78/229 (the only
    # citation of 78/229 is 78/267's), and 78/229 itself, in its last paragraph, moves the
    # question to the eightieth session: the series became biennial.
    titles = frames["resolutions"].filter(pl.col("session") == 79)["title"].to_list()
    assert not [t for t in titles if title_key(t) == title_key(
        "Strengthening the United Nations crime prevention and criminal justice programme, "
        "in particular its technical cooperation capacity")]
    citing = frames["citations"].filter(pl.col("target_symbol") == "A/RES/78/229")["symbol"].unique().to_list()
    assert citing == ["A/RES/78/267"]
    last = _paragraphs(frames, "A/RES/78/229").filter(pl.col("kind") == "operative").sort("ordinal").tail(1)
    assert last["text"].item() == (
        "Decides to consider the question of strengthening the United Nations crime prevention and criminal "
        "justice programme, in particular its technical cooperation capacity, at its eightieth session."
    )
    assert series.filter(pl.col("series_id") == "A/RES/74/177")["session"].max() == 78


EXPECTED_CRIME_STEPS = {
    # symbol: (unchanged, changed, new, dropped, paragraphs, predecessor_paragraphs)
    "A/RES/75/196": (116, 21, 6, 0, 143, 137),
    "A/RES/76/187": (86, 52, 13, 5, 151, 143),
    "A/RES/77/237": (101, 46, 15, 4, 162, 151),
    "A/RES/78/229": (88, 70, 19, 4, 177, 162),
}


def test_crime_prevention_step_counts(lineage):
    steps, _, _ = lineage
    crime = steps.filter(pl.col("series_id") == "A/RES/74/177").sort("session")
    print("\ncrime-prevention series, step by step:")
    print(crime.select("predecessor_symbol", "symbol", "unchanged", "changed", "new", "dropped", "paragraphs",
                       "predecessor_paragraphs"))
    got = {
        r["symbol"]: (r["unchanged"], r["changed"], r["new"], r["dropped"], r["paragraphs"], r["predecessor_paragraphs"])
        for r in crime.iter_rows(named=True)
    }
    assert got == EXPECTED_CRIME_STEPS
    for unchanged, changed, new, dropped, paragraphs, predecessor in got.values():
        assert unchanged + changed + new == paragraphs
        assert unchanged + changed + dropped == predecessor


def test_77_237_to_78_229_hand_verified(frames, lineage):
    aligned = align_paragraphs(_paragraphs(frames, "A/RES/77/237"), _paragraphs(frames, "A/RES/78/229"))
    # The same alignment as series_lineage's for this step.
    _, rows, _ = lineage
    step = rows.filter(pl.col("symbol") == "A/RES/78/229").drop("series_id", "symbol", "predecessor_symbol")
    assert step.equals(aligned)

    # New: operative 93 of 78/229, "Decides to consider the question ... at its eightieth
    # session." 77/237 has no "Decides to consider" paragraph (its last, 85, is the request
    # for a report).
    assert _row(aligned, "operative", 93)["status"] == "new"
    # New: operative 3, "Underlines the important role of the Commission on Crime Prevention
    # and Criminal Justice in actively contributing to the accelerated implementation of the
    # 2030 Agenda ... follow-up to the Sustainable Development Goals Summit held in September
    # 2023;" - nothing like it in 77/237 (the SDG Summit was in 2023).
    assert _row(aligned, "operative", 3)["status"] == "new"
    # Unchanged and renumbered: operative 6 of 78/229 ("Urges Member States that have not yet
    # done so to consider ratifying or acceding to the United Nations Convention against
    # Transnational Organized Crime ...") is word for word operative 5 of 77/237; the new
    # paragraph 3 pushed it down by one.
    r = _row(aligned, "operative", 6)
    assert (r["status"], r["predecessor_ordinal"], r["predecessor_number"], r["number"]) == ("unchanged", 5, "5", "6")
    assert r["similarity"] == 1.0 and r["diff"] is None
    # Unchanged and moved: operative 58 of 78/229 ("Notes with appreciation the progress made
    # by the United Nations Office on Drugs and Crime, in coordination with the United Nations
    # Conference on Trade and Development ... illicit financial flows ...") is word for word
    # operative 29 of 77/237, which stood between the paragraphs now numbered 31 and 32.
    r = _row(aligned, "operative", 58)
    assert (r["status"], r["predecessor_ordinal"]) == ("unchanged", 29)
    # Changed: the request for a report, 85 -> 92, from "at its seventy-eighth session" to
    # "at its seventy-ninth and eightieth sessions" (and "." -> ";", which is not a change:
    # it is no longer the last paragraph).
    r = _row(aligned, "operative", 92)
    assert (r["status"], r["predecessor_ordinal"]) == ("changed", 85)
    assert "[-seventy-eighth session-] {+seventy-ninth and eightieth sessions+}" in r["diff"]
    assert r["diff"].startswith("Requests the Secretary-General to submit a report to the General Assembly at its ")
    assert CHANGED_THRESHOLD <= r["similarity"] < 1.0
    # Changed: operative 1, "Takes note with appreciation of the report of the
    # Secretary-General prepared pursuant to resolution 76/187;" -> "... 77/237;".
    r = _row(aligned, "operative", 1)
    assert r["diff"] == (
        "Takes note with appreciation of the report of the Secretary-General prepared pursuant to "
        "resolution [-76/187;-] {+77/237;+}"
    )
    # Changed: operative 73 (67 in 77/237), "targeted" became "tailor-made" technical assistance.
    r = _row(aligned, "operative", 73)
    assert r["predecessor_ordinal"] == 67 and "[-targeted-] {+tailor-made+}" in r["diff"]
    # Dropped: operative 26 of 77/237, "Encourages Member States to study the implementation
    # of a common documentation standard, including within the United Nations system and in
    # cooperation with relevant international institutions;" - the phrase occurs nowhere in
    # 78/229, and no paragraph of 78/229 is like it.
    r = _dropped(aligned, "operative", 26)
    assert "common documentation standard" in r["text"] and r["ordinal"] is None and r["similarity"] is None
    assert not _paragraphs(frames, "A/RES/78/229")["text"].str.contains("documentation standard").any()
    # Absorbed: operative 55 of 77/237, "Takes note of the Model Legislative Provisions to
    # Support the Needs and Protect the Rights of Victims of Terrorism, developed by the United
    # Nations Office on Drugs and Crime together with the Inter-Parliamentary Union and the
    # Office of Counter-Terrorism;" is now the closing clause of the much longer operative 59
    # of 78/229 ("Requests the United Nations Office on Drugs and Crime to provide ...
    # technical assistance ... for victims of terrorism ..., and takes note in this regard of
    # the Model Legislative Provisions ..."). Similarity is under CHANGED_THRESHOLD (0.398)
    # but 85% of the old words stand in order in the new paragraph: changed.
    r = _row(aligned, "operative", 59)
    assert (r["status"], r["predecessor_ordinal"]) == ("changed", 55)
    assert r["similarity"] < CHANGED_THRESHOLD
    assert r["diff"].startswith("[-Takes note-] {+Requests the United Nations Office on Drugs and Crime to provide,")
    assert r["diff"].endswith(
        "and takes note in this regard+} of the Model Legislative Provisions to Support the Needs and Protect the "
        "Rights of Victims of Terrorism, developed by the [-United Nations Office on Drugs and Crime-] {+Office+} "
        "together with the Inter-Parliamentary Union and the Office of Counter-Terrorism;"
    )


def test_74_177_to_75_196_hand_verified(frames):
    aligned = align_paragraphs(_paragraphs(frames, "A/RES/74/177"), _paragraphs(frames, "A/RES/75/196"))
    # Unchanged despite footnote markers: operative 5 of 74/177 reads "... the Protocols
    # thereto,1 the Single Convention on Narcotic Drugs of 1961 as amended by the 1972
    # Protocol,2 the Convention on Psychotropic Substances of 1971,3 ... of 1988,4 the United
    # Nations Convention against Corruption5 and ..." (markers repeated from the footnotes of
    # preambular paragraph 2); operative 5 of 75/196 is the same text without them.
    raw = _paragraphs(frames, "A/RES/74/177").filter((pl.col("kind") == "operative") & (pl.col("ordinal") == 5))
    assert "thereto,1 the" in raw["text"].item() and "Corruption5 and" in raw["text"].item()
    r = _row(aligned, "operative", 5)
    assert (r["status"], r["predecessor_ordinal"]) == ("unchanged", 5)
    # New: operative 59 of 75/196, "Welcomes the results of the seventh meeting of the Working
    # Group on Firearms, held in Vienna from 16 to 17 July 2020, ..." - 74/177 never mentions
    # the Working Group on Firearms. The paragraphs after it are renumbered: 74/177 operative
    # 59 ("Calls upon Member States to intensify all efforts to address the world drug
    # problem ...") is 75/196 operative 60, unchanged.
    assert _row(aligned, "operative", 59)["status"] == "new"
    r = _row(aligned, "operative", 60)
    assert (r["status"], r["predecessor_ordinal"]) == ("unchanged", 59)
    # Changed: the request for a report, operative 65 -> 66, "seventy-fifth" -> "seventy-sixth".
    r = _row(aligned, "operative", 66)
    assert r["predecessor_ordinal"] == 65
    assert r["diff"] == (
        "Requests the Secretary-General to submit a report to the General Assembly at its [-seventy-fifth-] "
        "{+seventy-sixth+} session on the implementation of the mandates of the United Nations crime prevention "
        "and criminal justice programme, reflecting also emerging policy issues and possible responses."
    )
    # Changed with a clause added: operative 6 drops the "twentieth anniversary ... will be
    # celebrated in 2020" aside and welcomes the anniversary at the end instead.
    r = _row(aligned, "operative", 6)
    assert r["status"] == "changed" and r["predecessor_ordinal"] == 6
    assert "{+crime, and welcomes the twentieth anniversary of the adoption of the Convention" in r["diff"]


# ----------------------------------------------------------------- the whole corpus


def test_series_over_the_corpus(series, frames):
    n_series, n_members = series["series_id"].n_unique(), series.height
    print(f"\n{n_series} series, {n_members} members of {frames['resolutions'].height} resolutions; links:",
          dict(series["link"].value_counts().iter_rows()))
    assert series.schema == pl.Schema(SERIES_SCHEMA)
    # 395 series and 1,654 members when written; a small tolerance for parser changes.
    assert 380 <= n_series <= 410
    assert 1600 <= n_members <= 1710
    assert series["symbol"].is_unique().all(), "a resolution in two series"
    assert set(series["symbol"]) <= set(frames["resolutions"]["symbol"])
    for _, members in series.sort("position").group_by("series_id", maintain_order=True):
        assert members.height >= 2
        assert members["position"].to_list() == list(range(1, members.height + 1))
        sessions = members["session"].to_list()
        assert all(a < b for a, b in zip(sessions, sessions[1:])), members
        assert members["series_id"][0] == members["symbol"][0]
        assert members["predecessor_symbol"].to_list() == [None, *members["symbol"].to_list()[:-1]]
        skipped = [b - a - 1 for a, b in zip(sessions, sessions[1:])]
        assert members["sessions_skipped"].to_list() == [None, *skipped]
        assert all(0 <= s < MAX_GAP for s in skipped)
        assert members["link"][0] is None and None not in members["link"].to_list()[1:]


def test_lineage_over_the_corpus(series, lineage):
    steps, rows, elapsed = lineage
    assert steps.schema == pl.Schema(STEP_SCHEMA) and rows.schema == pl.Schema(STEP_PARAGRAPH_SCHEMA)
    assert steps.height == series.filter(pl.col("predecessor_symbol").is_not_null()).height
    assert (steps["unchanged"] + steps["changed"] + steps["new"] == steps["paragraphs"]).all()
    assert (steps["unchanged"] + steps["changed"] + steps["dropped"] == steps["predecessor_paragraphs"]).all()
    counts = dict(rows["status"].value_counts().iter_rows())
    print("\nparagraph statuses over the corpus:", counts)
    assert counts["unchanged"] > counts["changed"] > counts["new"] > 0 and counts["dropped"] > 0
    changed = rows.filter(pl.col("status") == "changed")
    assert changed["similarity"].max() < 1.0
    # Under CHANGED_THRESHOLD only paragraphs kept almost whole inside a longer one.
    assert 0 < changed.filter(pl.col("similarity") < CHANGED_THRESHOLD).height < 200
    assert changed["diff"].str.contains(r"\[-|\{\+").all()
    assert rows.filter(pl.col("status") == "unchanged")["similarity"].eq(1.0).all()
    assert rows.filter(pl.col("status").is_in(["new", "dropped"]))["similarity"].is_null().all()
    assert rows.filter(pl.col("status") != "changed")["diff"].is_null().all()
    # Every current paragraph appears once and every predecessor paragraph at most once.
    current = rows.filter(pl.col("ordinal").is_not_null())
    assert current.select("symbol", "kind", "ordinal").is_unique().all()
    earlier = rows.filter(pl.col("predecessor_ordinal").is_not_null())
    assert earlier.select("symbol", "kind", "predecessor_ordinal").is_unique().all()
    # "A few seconds": about 3 s on two busy cores when written; generous for slow CI.
    assert elapsed < 30


def test_results_do_not_depend_on_row_order(series, frames):
    shuffled = detect_series(frames["resolutions"].sample(fraction=1.0, shuffle=True, seed=7),
                             frames["citations"].sample(fraction=1.0, shuffle=True, seed=8))
    assert shuffled.equals(series)
    prev, cur = _paragraphs(frames, "A/RES/77/237"), _paragraphs(frames, "A/RES/78/229")
    assert align_paragraphs(prev.sample(fraction=1.0, shuffle=True, seed=1), cur.sample(fraction=1.0, shuffle=True, seed=2)).equals(
        align_paragraphs(prev, cur))


def test_polars_normalisation_is_transforms_text_normalise(frames):
    texts = frames["paragraphs"]["text"]
    ours = pl.select(_normalised(pl.lit(texts))).to_series().to_list()
    theirs = [normalise(t) for t in texts.to_list()]
    assert ours == theirs
    # A text needing every rule.
    t = "  Soft\u00adhyphen\u2011 and\u00a0no-break ,\tspaces\n( here ) ;  "
    assert pl.select(_normalised(pl.lit(t))).item() == normalise(t)


# ------------------------------------------------------------ align_paragraphs, small


def _frame(rows: list[tuple]) -> pl.DataFrame:
    """(kind, ordinal, number, text) rows as a fact_paragraph-like frame."""
    return pl.DataFrame(
        [{"symbol": "X", "kind": k, "ordinal": o, "number": n, "lead_phrase": None, "text": t} for k, o, n, t in rows],
        schema={"symbol": pl.Utf8, "kind": pl.Utf8, "ordinal": pl.Int32, "number": pl.Utf8, "lead_phrase": pl.Utf8,
                "text": pl.Utf8},
    )


A = "Calls upon Member States to strengthen cooperation at the international, regional and bilateral levels;"
B = "Requests the Secretary-General to report to the General Assembly at its seventy-eighth session;"
C = "Encourages States parties to submit case law and legislation to the knowledge management portal;"
D = "Decides to remain seized of the matter."
E = "Welcomes the entry into force of the Convention on the Rights of Persons with Disabilities;"


def _operative(*texts: str) -> pl.DataFrame:
    return _frame([("operative", i, str(i), t) for i, t in enumerate(texts, start=1)])


def _status(aligned: pl.DataFrame) -> list[tuple]:
    return list(aligned.select("status", "predecessor_ordinal", "ordinal").iter_rows())


def test_identical_resolutions_are_unchanged():
    prev = _frame([("preambular", 1, None, "Recalling its resolution 77/1,"), *[
        ("operative", i, str(i), t) for i, t in enumerate([A, B, C], start=1)]])
    aligned = align_paragraphs(prev, prev)
    assert aligned.schema == pl.Schema(ALIGNMENT_SCHEMA)
    assert aligned["status"].to_list() == ["unchanged"] * 4
    assert aligned["kind"].to_list() == ["preambular", "operative", "operative", "operative"]
    assert aligned["ordinal"].to_list() == aligned["predecessor_ordinal"].to_list() == [1, 1, 2, 3]
    assert aligned["similarity"].to_list() == [1.0] * 4 and aligned["diff"].is_null().all()


def test_renumbered_paragraphs_keep_their_predecessor():
    aligned = align_paragraphs(_operative(A, B, C), _operative(E, A, B, C))
    assert _status(aligned) == [("new", None, 1), ("unchanged", 1, 2), ("unchanged", 2, 3), ("unchanged", 3, 4)]
    assert aligned["number"].to_list() == ["1", "2", "3", "4"]
    assert aligned["predecessor_number"].to_list() == [None, "1", "2", "3"]


def test_moved_paragraph_is_matched_out_of_order():
    aligned = align_paragraphs(_operative(E, A, B, C), _operative(A, B, C, E))
    assert _status(aligned) == [("unchanged", 2, 1), ("unchanged", 3, 2), ("unchanged", 4, 3), ("unchanged", 1, 4)]
    # Moved and reworded: still matched if similar enough (>= MOVE_THRESHOLD) ...
    e2 = E.replace("Welcomes", "Also welcomes")
    aligned = align_paragraphs(_operative(E, A, B, C), _operative(A, B, C, e2))
    r = aligned.filter(pl.col("ordinal") == 4).to_dicts()[0]
    assert (r["status"], r["predecessor_ordinal"]) == ("changed", 1) and r["similarity"] >= MOVE_THRESHOLD
    # Words compare case-folded, so "Welcomes" -> "welcomes" is no edit; the new text is shown.
    assert r["diff"].startswith("{+Also+} welcomes the entry into force")
    # ... but not a different paragraph that merely shares a formula.
    other = "Welcomes the entry into force of the Arms Trade Treaty and calls upon all States to accede to it;"
    aligned = align_paragraphs(_operative(E, A, B, C), _operative(A, B, C, other))
    assert _status(aligned) == [("dropped", 1, None), ("unchanged", 2, 1), ("unchanged", 3, 2), ("unchanged", 4, 3),
                                ("new", None, 4)]


def test_changed_paragraph_in_place_with_word_diff():
    b2 = "Requests the United Nations Office on Drugs and Crime to report to the General Assembly at its seventy-ninth session;"
    aligned = align_paragraphs(_operative(A, B, D), _operative(A, b2, D))
    r = aligned.filter(pl.col("ordinal") == 2).to_dicts()[0]
    assert (r["status"], r["predecessor_ordinal"], r["text"]) == ("changed", 2, b2)
    assert r["diff"] == (
        "Requests the [-Secretary-General-] {+United Nations Office on Drugs and Crime+} to report to the General "
        "Assembly at its [-seventy-eighth-] {+seventy-ninth+} session;"
    )
    # 11 words in common of 13 and 19: 2 * 11 / 32.
    assert r["similarity"] == pytest.approx(22 / 32)


def test_dissimilar_paragraph_in_place_is_new_and_dropped():
    aligned = align_paragraphs(_operative(A, B), _operative(A, E))
    # The dropped paragraph comes after the kept paragraph that preceded it.
    assert _status(aligned) == [("unchanged", 1, 1), ("dropped", 2, None), ("new", None, 2)]
    dropped = aligned.filter(pl.col("status") == "dropped").to_dicts()[0]
    assert dropped["text"] == B and dropped["number"] is None and dropped["predecessor_number"] == "2"


def test_paragraph_grown_by_a_long_clause_is_changed():
    clause = " and in this regard " + " ".join(f"word{i}" for i in range(50)) + ";"
    grown = C.rstrip(";") + clause
    aligned = align_paragraphs(_operative(A, C, B), _operative(A, grown, B))
    r = aligned.filter(pl.col("ordinal") == 2).to_dicts()[0]
    assert r["similarity"] < CHANGED_THRESHOLD  # 2 * 15 / (15 + 69)
    assert (r["status"], r["predecessor_ordinal"]) == ("changed", 2)
    assert r["diff"].startswith(C.rstrip(";") + " {+and in this regard word0")
    # Not for a paragraph of fewer than eight words: "Decides to remain seized of the matter."
    grown = D.rstrip(".") + clause
    aligned = align_paragraphs(_operative(A, D, B), _operative(A, grown, B))
    assert aligned.filter(pl.col("predecessor_ordinal") == 2)["status"].to_list() == ["dropped"]


def test_dropped_paragraphs_are_placed_after_their_kept_neighbour():
    aligned = align_paragraphs(_operative(C, A, E, B), _operative(A, B))
    assert _status(aligned) == [("dropped", 1, None), ("unchanged", 2, 1), ("dropped", 3, None), ("unchanged", 4, 2)]


def test_markers_quotes_spacing_and_closing_punctuation_are_not_changes():
    prev = "Urges States to ratify the Convention against Corruption5 and the Protocols thereto,1 as \u201csoon\u201d as  possible."
    cur = "Urges States to ratify the Convention against Corruption and the Protocols thereto, as \"soon\" as\npossible;"
    aligned = align_paragraphs(_operative(prev), _operative(cur))
    assert _status(aligned) == [("unchanged", 1, 1)]
    assert aligned["text"].item() == cur
    # But a real edit in such a paragraph is shown with the words as printed.
    aligned = align_paragraphs(_operative(prev), _operative(cur.replace("ratify", "accede to")))
    assert aligned["status"].item() == "changed"
    assert aligned["diff"].item().startswith("Urges States to [-ratify-] {+accede to+} the Convention against Corruption and")


def test_paragraphs_match_only_within_their_kind():
    prev = _frame([("preambular", 1, None, A)])
    cur = _frame([("operative", 1, "1", A)])
    aligned = align_paragraphs(prev, cur)
    assert list(aligned.select("kind", "status").iter_rows()) == [("preambular", "dropped"), ("operative", "new")]


def test_empty_frames():
    empty = _frame([])
    assert align_paragraphs(empty, empty).schema == pl.Schema(ALIGNMENT_SCHEMA)
    assert align_paragraphs(empty, empty).is_empty()
    assert _status(align_paragraphs(empty, _operative(A, B))) == [("new", None, 1), ("new", None, 2)]
    assert _status(align_paragraphs(_operative(A, B), empty)) == [("dropped", 1, None), ("dropped", 2, None)]


def test_word_diff_and_chunks():
    old = "Recalling its resolution 76/187 of 16 December 2021,"
    new = "Recalling its resolutions 76/187 of 16 December 2021 and 77/237 of 15 December 2022,"
    # "2021," closed the old paragraph: its comma is not a word of its own, so "2021" is kept.
    assert word_diff(old, new) == (
        "Recalling its [-resolution-] {+resolutions+} 76/187 of 16 December 2021 {+and 77/237 of 15 December 2022,+}"
    )
    assert diff_chunks(old, new) == [
        {"op": "equal", "text": "Recalling its"},
        {"op": "change", "removed": "resolution", "added": "resolutions"},
        {"op": "equal", "text": "76/187 of 16 December 2021"},
        {"op": "change", "removed": "", "added": "and 77/237 of 15 December 2022,"},
    ]
    # Short kept runs between two edits are folded into one edit.
    assert word_diff("held on 6 June 2022 on the theme", "held on 15 June 2023 on the theme") == (
        "held on [-6 June 2022-] {+15 June 2023+} on the theme"
    )
    assert word_diff(A, A) == ""
    assert paragraph_words("Crime;25") == (["Crime;25"], ["crime"])
    assert paragraph_words("of 1,442,000 dollars (1.5 per cent), COVID-19, CO2 and A/74/125/Add.1") == (
        ["of", "1,442,000", "dollars", "(1.5", "per", "cent),", "COVID-19,", "CO2", "and", "A/74/125/Add.1"],
        ["of", "1,442,000", "dollars", "(1.5", "per", "cent),", "covid-19,", "co2", "and", "a/74/125/add.1"],
    )


# ------------------------------------------------------------- detect_series, small


def _resolutions(rows: list[tuple]) -> pl.DataFrame:
    """(symbol, part, session, title, agenda_item_name) rows as a dim_resolution-like frame."""
    out = []
    for symbol, part, session, title, agenda in rows:
        out.append({
            "symbol": symbol, "base_symbol": symbol.split(" ")[0], "part": part, "session": session,
            "year": session + 1945, "adopted_on": date(session + 1945, 12, 15), "title": title,
            "agenda_item_name": agenda, "committee": "Fifth Committee",
        })
    return pl.DataFrame(out)


def _citations(pairs: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"symbol": s, "paragraph_kind": "preambular", "paragraph_ordinal": 1, "target_symbol": t} for s, t in pairs],
        schema={"symbol": pl.Utf8, "paragraph_kind": pl.Utf8, "paragraph_ordinal": pl.Int32, "target_symbol": pl.Utf8},
    )


def _chains(series: pl.DataFrame) -> list[list[str]]:
    return [g["symbol"].to_list() for _, g in series.sort("position").group_by("series_id", maintain_order=True)]


FIN = "Financing of the Mission"


def test_parts_pair_by_letter_and_ambiguous_ones_are_left_out():
    res = _resolutions([
        ("A/RES/74/10", None, 74, FIN, FIN), ("A/RES/74/10 B", "B", 74, FIN, FIN),
        ("A/RES/75/20", None, 75, FIN, FIN), ("A/RES/75/20 B", "B", 75, FIN, FIN), ("A/RES/75/20 C", "C", 75, FIN, FIN),
        ("A/RES/76/30", None, 76, FIN, FIN),
    ])
    series = detect_series(res, _citations([]))
    # The unlettered resolution is part A. 75/20 C has two candidates in session 74 (the
    # unlettered 74/10 and 74/10 B), neither of its letter: a tie, so it is left out rather
    # than attached to one of them; 76/30 prefers 75/20 (same letter) to B and C.
    assert _chains(series) == [["A/RES/74/10", "A/RES/75/20", "A/RES/76/30"], ["A/RES/74/10 B", "A/RES/75/20 B"]]
    assert series["link"].drop_nulls().to_list() == ["same_title"] * 3


def test_two_unlettered_resolutions_with_one_title_in_a_session_are_ambiguous():
    res = _resolutions([
        ("A/RES/77/1", None, 77, "Budget matters", None), ("A/RES/77/2", None, 77, "Budget matters", None),
        ("A/RES/78/3", None, 78, "Budget matters", None),
    ])
    assert detect_series(res, _citations([])).is_empty()
    # A citation tells them apart.
    series = detect_series(res, _citations([("A/RES/78/3", "A/RES/77/2")]))
    assert _chains(series) == [["A/RES/77/2", "A/RES/78/3"]]


def test_years_ordinals_and_punctuation_in_titles_do_not_break_a_series():
    res = _resolutions([
        ("A/RES/74/1", None, 74, "Working Capital Fund for 2020", "Proposed programme budget for 2020"),
        ("A/RES/75/1", None, 75, "Working Capital Fund for 2021", "Proposed programme budget for 2021"),
        ("A/RES/76/1", None, 76, "Report of the Commission on the work of its seventy-first session", None),
        ("A/RES/77/1", None, 77, "Report of the Commission on the work of its Seventy-second session", None),
        ("A/RES/76/2", None, 76, "Confidence-building measures", None),
        ("A/RES/78/2", None, 78, "Confidencebuilding measures", None),
    ])
    series = detect_series(res, _citations([]))
    assert sorted(_chains(series)) == [["A/RES/74/1", "A/RES/75/1"], ["A/RES/76/1", "A/RES/77/1"],
                                       ["A/RES/76/2", "A/RES/78/2"]]
    assert series.filter(pl.col("symbol") == "A/RES/78/2")["sessions_skipped"].item() == 1


def test_retitled_resolution_links_only_through_a_citation():
    old = "Promotion of sustainable tourism, including ecotourism, for poverty eradication and environment protection"
    new = ("Promotion of sustainable and resilient tourism, including ecotourism, for poverty eradication and "
           "environmental protection")
    assert title_similarity(old, new) >= 0.87
    res = _resolutions([("A/RES/75/229", None, 75, old, None), ("A/RES/77/178", None, 77, new, None),
                        ("A/RES/76/5", None, 76, "Oceans and the law of the sea", None)])
    assert detect_series(res, _citations([])).is_empty()
    series = detect_series(res, _citations([("A/RES/77/178", "A/RES/75/229"), ("A/RES/77/178", "A/RES/76/5")]))
    assert series.select("symbol", "predecessor_symbol", "link", "sessions_skipped").rows() == [
        ("A/RES/75/229", None, None, None), ("A/RES/77/178", "A/RES/75/229", "cites_predecessor", 1)]


def test_gap_limit_and_empty_inputs():
    res = _resolutions([("A/RES/74/1", None, 74, "Nuclear disarmament verification", None),
                        ("A/RES/79/1", None, 79, "Nuclear disarmament verification", None)])
    assert 79 - 74 > MAX_GAP
    assert detect_series(res, _citations([])).is_empty()
    assert detect_series(res.head(0), _citations([])).schema == pl.Schema(SERIES_SCHEMA)
    steps, rows = series_lineage(pl.DataFrame(schema=SERIES_SCHEMA), _frame([]))
    assert steps.is_empty() and steps.schema == pl.Schema(STEP_SCHEMA)
    assert rows.is_empty() and rows.schema == pl.Schema(STEP_PARAGRAPH_SCHEMA)


def test_series_lineage_small():
    res = _resolutions([("A/RES/77/1", None, 77, "Title", None), ("A/RES/78/1", None, 78, "Title", None),
                        ("A/RES/79/1", None, 79, "Title", None)])
    series = detect_series(res, _citations([]))
    paragraphs = pl.concat([
        _operative(A, B).with_columns(symbol=pl.lit("A/RES/77/1")),
        _operative(A, E).with_columns(symbol=pl.lit("A/RES/78/1")),
        # 79/1 has no paragraphs at all: everything of 78/1 is dropped.
    ])
    steps, rows = series_lineage(series, paragraphs)
    assert steps.select("symbol", "unchanged", "changed", "new", "dropped", "paragraphs", "predecessor_paragraphs").rows() == [
        ("A/RES/78/1", 1, 0, 1, 1, 2, 2), ("A/RES/79/1", 0, 0, 0, 2, 0, 2)]
    assert rows.filter(pl.col("symbol") == "A/RES/79/1")["status"].to_list() == ["dropped", "dropped"]
    assert set(rows["series_id"]) == {"A/RES/77/1"}
