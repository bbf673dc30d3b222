"""The crime-theme taxonomy and the paragraph tagger (transforms/themes.py).

The gold set (tests/gold/environmental_crime_labels.csv) holds every preambular and operative
paragraph of six resolutions, labelled by hand for environmental crime by reading the text:

* A/RES/78/229 (crime prevention programme), A/RES/79/313 (illicit trafficking in wildlife),
  A/RES/76/185 (crimes that affect the environment), A/RES/78/224 (reducing reoffending: the
  "rehabilitative environment" trap). These were read while the taxonomy was written.
* A/RES/79/136 (INTERPOL) and A/RES/79/204 (Caribbean Sea): held out, labelled after the
  taxonomy was written and before the tagger was run on them.

Thresholds: precision and recall of environmental_crime at paragraph level must both be at
least 0.90 on the whole gold set, and the held-out resolutions must have no false positive.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from transforms.themes import (
    TAXONOMY,
    TAXONOMY_SCHEMA,
    THEME_TAG_SCHEMA,
    corpus_paragraphs,
    load_taxonomy,
    read_taxonomy,
    tag_paragraphs,
)

REPO = Path(__file__).resolve().parent.parent
LANDING = REPO / "data" / "landing"
GOLD = REPO / "tests" / "gold" / "environmental_crime_labels.csv"
HELD_OUT = {"A/RES/79/136", "A/RES/79/204"}
KEY = ["symbol", "paragraph_kind", "paragraph_ordinal"]
ENV_CHILDREN = {"wildlife_crime", "timber_crime", "waste_crime", "mineral_crime", "fisheries_crime",
                "pollution_crime"}
REQUIRED_THEMES = ENV_CHILDREN | {
    "environmental_crime", "cybercrime", "corruption", "money_laundering", "trafficking_in_persons",
    "smuggling_of_migrants", "firearms", "terrorism", "drug_trafficking", "cultural_property", "piracy",
    "organized_crime", "violence_against_women_and_children", "prisons_and_criminal_justice_reform",
    "access_to_justice",
}
PRECISION_MIN = 0.90
RECALL_MIN = 0.90


@pytest.fixture(scope="module")
def corpus() -> pl.DataFrame:
    """Every paragraph of sessions 76, 78 and 79 (the sessions of the gold resolutions)."""
    return corpus_paragraphs(LANDING, sessions=[76, 78, 79])


@pytest.fixture(scope="module")
def gold() -> pl.DataFrame:
    return pl.read_csv(GOLD, schema_overrides={"paragraph_ordinal": pl.Int32, "sub_themes": pl.Utf8,
                                               "note": pl.Utf8, "environmental_crime": pl.Int32})


@pytest.fixture(scope="module")
def gold_tags(corpus, gold) -> pl.DataFrame:
    paras = corpus.join(gold.select("symbol", kind="paragraph_kind", ordinal="paragraph_ordinal"),
                        on=["symbol", "kind", "ordinal"], how="semi")
    return tag_paragraphs(paras)


def para(text: str, symbol: str = "A/RES/0/1", kind: str = "operative", ordinal: int = 1) -> pl.DataFrame:
    return pl.DataFrame({"symbol": [symbol], "kind": [kind], "ordinal": [ordinal], "text": [text]})


def themes_of(text: str) -> dict[str, dict]:
    return {r["theme"]: r for r in tag_paragraphs(para(text)).to_dicts()}


def real(corpus: pl.DataFrame, symbol: str, kind: str, ordinal: int) -> pl.DataFrame:
    row = corpus.filter((pl.col("symbol") == symbol) & (pl.col("kind") == kind) & (pl.col("ordinal") == ordinal))
    assert row.height == 1, (symbol, kind, ordinal)
    return row


# --- Taxonomy -----------------------------------------------------------------------------------


def test_taxonomy_loads_with_the_documented_schema():
    tax = load_taxonomy()
    assert tax.schema == pl.Schema(TAXONOMY_SCHEMA)
    assert tax["theme"].is_unique().all()
    assert REQUIRED_THEMES <= set(tax["theme"])
    parents = set(tax["theme"])
    assert all(p is None or p in parents for p in tax["parent"])
    assert tax.filter(pl.col("parent") == "environmental_crime")["theme"].to_list() == [
        "wildlife_crime", "timber_crime", "waste_crime", "mineral_crime", "fisheries_crime", "pollution_crime"]
    assert (tax["source"].str.len_chars() > 10).all()
    assert (tax["description"].str.len_chars() > 10).all()
    by = {r["theme"]: r for r in tax.to_dicts()}
    assert "10" in by["environmental_crime"]["iccs"]
    assert by["wildlife_crime"]["iccs"] == ["1003", "1004"]
    assert by["waste_crime"]["iccs"] == ["1002"]
    assert by["pollution_crime"]["iccs"] == ["1001"]
    assert {"15.7", "15.c"} <= set(by["wildlife_crime"]["sdg_targets"])
    assert by["corruption"]["sdg_targets"] == ["16.5"]
    assert by["trafficking_in_persons"]["iccs"] == ["0204"]
    assert read_taxonomy().version


def _broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _theme(data, code):
    return next(t for t in data["themes"] if t["code"] == code)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["themes"].append(dict(_theme(d, "piracy"))), "duplicate code"),
    (lambda d: _theme(d, "timber_crime").update(parent="forest_crime"), "parent 'forest_crime' is not a theme code"),
    (lambda d: _theme(d, "piracy").update(patterns=[]), "'patterns' must be a non-empty list"),
    (lambda d: _theme(d, "piracy").pop("source"), "'source' must be a non-empty string"),
    (lambda d: _theme(d, "piracy").update(source="  "), "'source' must be a non-empty string"),
    (lambda d: _theme(d, "piracy").update(iccs=[11012]), "quoted ICCS code"),
    (lambda d: _theme(d, "piracy").update(sdg_targets=["sixteen"]), "quoted SDG target"),
    (lambda d: _theme(d, "piracy").update(code="Piracy"), "snake_case"),
    (lambda d: _theme(d, "piracy").update(patterns=["pira*cy"]), "'*' may only end a phrase"),
    (lambda d: _theme(d, "piracy").update(patterns=["piracy", "Piracy"]), "listed twice"),
    (lambda d: _theme(d, "piracy").update(patterns=["--"]), "no letter or digit"),
    (lambda d: _theme(d, "piracy").pop("exclude"), "'exclude' is missing"),
    (lambda d: _theme(d, "environmental_crime").update(parent="wildlife_crime"), "cycle"),
    (lambda d: d.pop("crime_cues"), "'crime_cues' must be a mapping"),
    (lambda d: d.update(version=None), "'version' must be a non-empty string"),
])
def test_a_broken_taxonomy_is_refused(tmp_path, mutate, message):
    path = _broken(tmp_path, mutate)
    with pytest.raises(ValueError, match=message):
        load_taxonomy(path)
    with pytest.raises(ValueError, match=message):
        tag_paragraphs(para("piracy"), taxonomy_path=path)


def test_every_problem_is_named_at_once(tmp_path):
    def mutate(d):
        _theme(d, "piracy").pop("source")
        _theme(d, "timber_crime").update(parent="nowhere")
    with pytest.raises(ValueError) as info:
        load_taxonomy(_broken(tmp_path, mutate))
    assert "'source'" in str(info.value) and "'nowhere'" in str(info.value)


def test_invalid_yaml_and_missing_file_are_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_taxonomy(bad)
    with pytest.raises(ValueError, match="cannot be read"):
        load_taxonomy(tmp_path / "missing.yaml")


# --- The gold set -------------------------------------------------------------------------------


def test_gold_set_covers_every_paragraph_of_each_labelled_resolution(corpus, gold):
    assert gold.columns == ["symbol", "paragraph_kind", "paragraph_ordinal", "environmental_crime",
                            "sub_themes", "note", "labelled_by"]
    assert set(gold["labelled_by"]) == {"hand, reading the XML text"}
    assert set(gold["environmental_crime"]) == {0, 1}
    for symbol in gold["symbol"].unique():
        parsed = corpus.filter((pl.col("symbol") == symbol) & pl.col("kind").is_in(["preambular", "operative"]))
        labelled = gold.filter(pl.col("symbol") == symbol)
        assert parsed.height == labelled.height, symbol
        assert set(parsed.select("kind", "ordinal").rows()) == set(
            labelled.select("paragraph_kind", "paragraph_ordinal").rows()), symbol
    subs = gold.filter(pl.col("sub_themes").is_not_null())
    assert (subs["environmental_crime"] == 1).all()  # a sub-theme implies the parent
    assert set(subs["sub_themes"].str.split(";").explode()) <= ENV_CHILDREN
    positives = gold.filter(pl.col("environmental_crime") == 1)
    assert positives["note"].is_not_null().all()


def _scores(gold: pl.DataFrame, tags: pl.DataFrame, theme: str, truth: pl.Expr) -> tuple[int, int, int]:
    predicted = tags.filter(pl.col("theme") == theme).select(KEY).with_columns(pred=pl.lit(True))
    joined = gold.with_columns(truth=truth).join(predicted, on=KEY, how="left").with_columns(
        pl.col("pred").fill_null(False))
    tp = joined.filter(pl.col("truth") & pl.col("pred")).height
    fp = joined.filter(~pl.col("truth") & pl.col("pred")).height
    fn = joined.filter(pl.col("truth") & ~pl.col("pred")).height
    return tp, fp, fn


def test_environmental_crime_precision_and_recall_on_the_gold_set(gold, gold_tags):
    tp, fp, fn = _scores(gold, gold_tags, "environmental_crime", pl.col("environmental_crime") == 1)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nenvironmental_crime on {gold.height} gold paragraphs: tp={tp} fp={fp} fn={fn} "
          f"precision={precision:.3f} recall={recall:.3f}")
    for symbol in sorted(gold["symbol"].unique()):
        g = gold.filter(pl.col("symbol") == symbol)
        s_tp, s_fp, s_fn = _scores(g, gold_tags, "environmental_crime", pl.col("environmental_crime") == 1)
        print(f"  {symbol}{' (held out)' if symbol in HELD_OUT else ''}: {g.height} paragraphs, "
              f"{g['environmental_crime'].sum()} positive; tp={s_tp} fp={s_fp} fn={s_fn}")
        if symbol in HELD_OUT:
            assert s_fp == 0, symbol
    assert precision >= PRECISION_MIN
    assert recall >= RECALL_MIN


def test_sub_themes_on_the_gold_set(gold, gold_tags):
    totals = [0, 0, 0]
    for theme in sorted(ENV_CHILDREN):
        tp, fp, fn = _scores(gold, gold_tags, theme, pl.col("sub_themes").fill_null("").str.contains(theme))
        print(f"\n{theme}: tp={tp} fp={fp} fn={fn}", end="")
        totals = [a + b for a, b in zip(totals, (tp, fp, fn))]
    tp, fp, fn = totals
    print(f"\nsub-themes (micro): precision={tp / (tp + fp):.3f} recall={tp / (tp + fn):.3f}")
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9


# --- Traps, on real sentences ---------------------------------------------------------------------


@pytest.mark.parametrize("symbol, kind, ordinal, trap", [
    ("A/RES/78/229", "operative", 46, "rehabilitative environment"),
    ("A/RES/78/224", "operative", 2, "rehabilitative environment"),
    ("A/RES/78/224", "operative", 6, "rehabilitative environment"),
    ("A/RES/78/224", "operative", 11, "rehabilitative environments"),
    ("A/RES/78/229", "preambular", 50, "safe environment"),
    ("A/RES/78/229", "operative", 14, "undermining"),
])
def test_traps_produce_no_environmental_crime(corpus, symbol, kind, ordinal, trap):
    row = real(corpus, symbol, kind, ordinal)
    assert trap in row["text"][0]
    tags = tag_paragraphs(row)
    assert not (set(tags["theme"]) & (ENV_CHILDREN | {"environmental_crime"})), tags


def test_word_boundaries_are_respected():
    assert "mineral_crime" not in themes_of("without undermining or determining the illegal trade")
    assert "mineral_crime" in themes_of("without undermining efforts against illegal mining")
    tagged = themes_of("without undermining efforts against illegal mining")["mineral_crime"]
    assert tagged["matched"] == ["illegal mining"]
    assert "waste_crime" not in themes_of("illegal wastewater treatment and trafficking in wastewater")
    assert "corruption" not in themes_of("the corruptions")  # no stem: the plural is another word
    assert "piracy" not in themes_of("a conspiracy")


def test_a_safe_environment_is_not_a_crime_but_a_crime_against_it_is():
    assert "environmental_crime" not in themes_of(
        "ensure a safe environment and an enabling environment for children and a rehabilitative environment")
    assert "environmental_crime" in themes_of("prevent crimes that affect the environment")
    assert "environmental_crime" in themes_of("combating environmental crimes")


# --- Roll-up, evidence and counts -----------------------------------------------------------------


def test_sub_themes_roll_up_to_the_parent():
    t = themes_of("the increasing scale of poaching of elephants")
    assert set(t) == {"wildlife_crime", "environmental_crime"}
    assert t["wildlife_crime"]["via_child"] is False
    assert t["environmental_crime"]["via_child"] is True
    assert t["environmental_crime"]["matched"] == t["wildlife_crime"]["matched"] == ["poaching"]
    assert t["environmental_crime"]["positions"] == t["wildlife_crime"]["positions"]

    t = themes_of("crimes that affect the environment, such as illicit trafficking in wildlife and illegal logging")
    assert {"environmental_crime", "wildlife_crime", "timber_crime"} <= set(t)
    env = t["environmental_crime"]
    assert env["via_child"] is False
    assert env["matched"] == ["crimes that affect the environment", "illicit trafficking in wildlife",
                              "illegal logging"]
    assert env["mentions"] == 3
    assert t["wildlife_crime"]["mentions"] == 1  # "trafficking in wildlife" nested: counted once


def test_evidence_points_at_the_matched_text(corpus):
    paras = corpus.filter(pl.col("session") == 79)
    tags = tag_paragraphs(paras)
    texts = paras.select(*[pl.col(c).alias(k) for c, k in zip(["symbol", "kind", "ordinal"], KEY)], "text")
    rows = tags.join(texts, on=KEY, how="left")
    checked = 0
    for r in rows.iter_rows(named=True):
        assert r["mentions"] == len(r["matched"]) == len(r["positions"])
        assert r["positions"] == sorted(r["positions"])
        text = r["text"]
        for m, p in zip(r["matched"], r["positions"]):
            assert text[p:p + len(m)] == m, (r["symbol"], r["theme"], m, p)
            assert p == 0 or not text[p - 1].isascii() or not text[p - 1].isalnum()
            end = p + len(m)
            assert end == len(text) or not text[end].isascii() or not text[end].isalnum()
            checked += 1
    assert checked > 1000


def test_positions_are_character_offsets_in_text_with_accents_and_curly_quotes():
    text = "Côte d’Ivoire’s “rangers” fight poaching — and the “poachers’” networks"
    t = themes_of(text)["wildlife_crime"]
    assert t["matched"] == ["poaching", "poachers"]
    assert [text[p:p + len(m)] for m, p in zip(t["matched"], t["positions"])] == t["matched"]
    assert t["positions"][0] == text.index("poaching")


def test_mentions_count_every_non_excluded_match():
    t = themes_of("Poaching, poaching and more POACHING by poachers")
    assert t["wildlife_crime"]["mentions"] == 4
    assert t["wildlife_crime"]["matched"] == ["Poaching", "poaching", "POACHING", "poachers"]
    t = themes_of("money-laundering, money laundering and anti-money-laundering measures")
    assert t["money_laundering"]["mentions"] == 3


def test_exclusions_are_scoped():
    # Theme-scoped: policing principles are not firearms trafficking.
    assert "firearms" not in themes_of("the Basic Principles on the Use of Force and Firearms by Law Enforcement Officials")
    assert "firearms" in themes_of("illicit trafficking in firearms")
    # Global: the Office's name is not drug crime, and its "Crime" is not a crime cue.
    assert themes_of("the United Nations Office on Drugs and Crime") == {}
    assert "drug_trafficking" in themes_of("trafficking in arms, drugs and cultural property")


def test_weak_phrases_need_a_crime_context(corpus):
    # Basel Convention scope, not a crime.
    assert "waste_crime" not in themes_of("Notes the role of the Basel Convention in ensuring that the "
                                          "management of hazardous wastes and other wastes is sound")
    assert "waste_crime" in themes_of("trafficking in timber, hazardous waste and other wastes")
    # CITES regulating trade (A/RES/79/313, preambular 21) is not wildlife crime...
    assert tag_paragraphs(real(corpus, "A/RES/79/313", "preambular", 21)).height == 0
    # ...but named next to an illicit trade it is (A/RES/79/313, operative 8).
    tags = tag_paragraphs(real(corpus, "A/RES/79/313", "operative", 8))
    assert "wildlife_crime" in set(tags["theme"])
    # A sibling's strong evidence does not license a weak phrase: IUU fishing next to pollution.
    t = themes_of("illegal, unreported and unregulated fishing, pollution and biodiversity loss")
    assert "fisheries_crime" in t and "pollution_crime" not in t


# --- Input and output shape ------------------------------------------------------------------------


def test_output_schema_and_edge_cases():
    assert tag_paragraphs(para("nothing to see here")).schema == pl.Schema(THEME_TAG_SCHEMA)
    assert tag_paragraphs(para("").clear()).schema == pl.Schema(THEME_TAG_SCHEMA)
    frame = pl.DataFrame({"symbol": ["A", "B"], "kind": ["operative", "preambular"],
                          "ordinal": pl.Series([1, 2], dtype=pl.Int64), "text": [None, "piracy"]})
    tags = tag_paragraphs(frame)
    assert tags.schema == pl.Schema(THEME_TAG_SCHEMA)
    assert tags.select(KEY + ["theme"]).rows() == [("B", "preambular", 2, "piracy")]
    with pytest.raises(ValueError, match="text"):
        tag_paragraphs(frame.drop("text"))


def test_smoke_one_session_tags_many_themes(corpus):
    paras = corpus.filter(pl.col("session") == 78)
    tags = tag_paragraphs(paras)
    assert tags.schema == pl.Schema(THEME_TAG_SCHEMA)
    assert tags.select(KEY + ["theme"]).is_unique().all()
    counts = dict(tags.group_by("theme").len().rows())
    print("\nsession 78:", dict(sorted(counts.items(), key=lambda kv: -kv[1])))
    assert len(counts) >= 15
    for theme in ("environmental_crime", "wildlife_crime", "terrorism", "corruption", "trafficking_in_persons",
                  "organized_crime", "prisons_and_criminal_justice_reform", "access_to_justice"):
        assert counts.get(theme, 0) >= 5, theme
    # Parents are counted directly: every child row has its parent row.
    children = tags.filter(pl.col("theme").is_in(list(ENV_CHILDREN))).select(KEY).unique()
    parents = tags.filter(pl.col("theme") == "environmental_crime").select(KEY)
    assert children.join(parents, on=KEY, how="anti").height == 0
