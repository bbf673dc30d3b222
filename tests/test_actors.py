"""Actors: reference data, names as written, addressees, sponsors and voters, mandates.

Expected values were read off the real texts of sessions 74-79 (the paragraph
quoted in each case's comment); the corpus-wide tests parse every bundled zip and
every DGACM metadata extract.
"""

from __future__ import annotations

import shutil
import sys
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms import actors as A  # noqa: E402
from transforms.akn import parse_akn  # noqa: E402
from transforms.frames import resolution_frames  # noqa: E402
from transforms.metadata import parse_metadata_jsonl  # noqa: E402
from transforms.model import ParseError  # noqa: E402

ZIP_DIR = ROOT / "data" / "landing" / "ga-akn"
SESSIONS = range(74, 80)


# -- fixtures ----------------------------------------------------------------------


def _parse_members(session: int, wanted=None):
    items = []
    with zipfile.ZipFile(ZIP_DIR / f"session-{session}-English.zip") as z:
        for name in z.namelist():
            if not name.lower().endswith(".xml") or (wanted and not any(w in name for w in wanted)):
                continue
            try:
                parsed = parse_akn(z.read(name), name)
            except ParseError:
                continue
            items.extend((name, r) for r in parsed if r.language == "eng")
    return items


@pytest.fixture(scope="module")
def corpus() -> dict[str, pl.DataFrame]:
    """Staging frames of every English resolution of sessions 74-79."""
    items = []
    for s in SESSIONS:
        items.extend(_parse_members(s))
    return resolution_frames(items)


@pytest.fixture(scope="module")
def metadata() -> pl.DataFrame:
    frames = []
    for s in SESSIONS:
        path = ZIP_DIR / "metadata" / f"{s}.json"
        frame, _ = parse_metadata_jsonl(path.read_bytes(), path.name)
        frames.append(frame)
    return pl.concat(frames)


@pytest.fixture(scope="module")
def res_78_229() -> pl.DataFrame:
    frames = resolution_frames(_parse_members(78, ["A_RES_78_229-"]))
    para = frames["paragraph"]
    assert para.get_column("symbol").unique().to_list() == ["A/RES/78/229"]
    return para


@pytest.fixture(scope="module")
def actors_78_229(res_78_229) -> pl.DataFrame:
    return A.paragraph_actors(res_78_229)


def _addressees(frame: pl.DataFrame, ordinal: int, symbol: str | None = None) -> list[tuple]:
    rows = frame.filter(
        (pl.col("paragraph_kind") == "operative")
        & (pl.col("paragraph_ordinal") == ordinal)
        & (pl.col("role") == "addressee")
        & (pl.col("symbol") == symbol if symbol else pl.lit(True))
    )
    return [(r["actor_id"], r["verb"], r["matched_text"]) for r in rows.iter_rows(named=True)]


def _mentioned(frame: pl.DataFrame, ordinal: int) -> set[str]:
    rows = frame.filter(
        (pl.col("paragraph_kind") == "operative")
        & (pl.col("paragraph_ordinal") == ordinal)
        & (pl.col("role") == "mentioned")
    )
    return set(rows.get_column("actor_id").to_list())


# -- reference data ----------------------------------------------------------------


def test_reference_data_counts_and_names():
    dim = A.load_actors()
    counts = dict(dim.group_by("actor_type").len().iter_rows())
    print("\nactors by type:", dict(sorted(counts.items())))
    assert counts["member_state"] == 193
    assert counts["observer_state"] == 2
    assert set(counts) == set(A.ACTOR_TYPES)
    assert dim.get_column("actor_id").is_unique().all()
    assert dim.schema == pl.Schema(A.DIM_ACTOR_SCHEMA)
    names = dict(dim.select("actor_id", "name").iter_rows())
    # The names as the UN writes them.
    assert names["NLD"] == "Netherlands (Kingdom of the)"
    assert names["TUR"] == "Türkiye"
    assert names["FSM"] == "Micronesia (Federated States of)"
    assert names["CIV"] == "Côte d'Ivoire"
    assert names["PSE"] == "State of Palestine"
    assert names["VAT"] == "Holy See"
    observers = dim.filter(pl.col("actor_type") == "observer_state").get_column("actor_id").sort().to_list()
    assert observers == ["PSE", "VAT"]
    parents = dict(dim.select("actor_id", "parent").iter_rows())
    assert parents["unodc"] == "secretariat"
    assert parents["ccpcj"] == "ecosoc"


@pytest.mark.parametrize(
    "iso3, m49",
    [
        ("AFG", "004"), ("ALB", "008"), ("DZA", "012"), ("AUS", "036"), ("BHS", "044"), ("BLR", "112"),
        ("BOL", "068"), ("BRN", "096"), ("CPV", "132"), ("KHM", "116"), ("CHN", "156"), ("COG", "178"),
        ("COD", "180"), ("CIV", "384"), ("CZE", "203"), ("PRK", "408"), ("KOR", "410"), ("DMA", "212"),
        ("DOM", "214"), ("EGY", "818"), ("SWZ", "748"), ("FRA", "250"), ("DEU", "276"), ("GIN", "324"),
        ("GNB", "624"), ("GNQ", "226"), ("PNG", "598"), ("IND", "356"), ("IRN", "364"), ("LAO", "418"),
        ("FSM", "583"), ("MMR", "104"), ("NLD", "528"), ("NER", "562"), ("NGA", "566"), ("MKD", "807"),
        ("MDA", "498"), ("RUS", "643"), ("SLB", "090"), ("SSD", "728"), ("SDN", "729"), ("LKA", "144"),
        ("TLS", "626"), ("TUR", "792"), ("GBR", "826"), ("TZA", "834"), ("USA", "840"), ("VEN", "862"),
        ("VNM", "704"), ("YEM", "887"), ("ZWE", "716"), ("PSE", "275"), ("VAT", "336"), ("MNE", "499"),
        ("SRB", "688"), ("ZAF", "710"), ("WSM", "882"), ("VCT", "670"),
    ],
)
def test_state_codes(iso3, m49):
    dim = A.load_actors()
    row = dim.filter(pl.col("actor_id") == iso3).row(0, named=True)
    assert (row["iso3"], row["m49"]) == (iso3, m49)


def test_state_codes_are_well_formed_and_unique():
    states = A.load_actors().filter(pl.col("actor_type").is_in(["member_state", "observer_state"]))
    assert states.height == 195
    assert states.get_column("m49").str.contains(r"^\d{3}$").all()
    assert states.get_column("iso3").str.contains(r"^[A-Z]{3}$").all()
    assert states.get_column("m49").is_unique().all()
    assert (states.get_column("actor_id") == states.get_column("iso3")).all()


HEADER = "actor_id,name,actor_type,m49,iso3,aliases,parent,source\n"
GOOD = (
    "FRA,France,member_state,250,FRA,,,UN M49 standard (UNSD)\n"
    "secretariat,Secretariat,un_organ,,,,,UN system chart\n"
    "unodc,United Nations Office on Drugs and Crime,un_entity,,,UNODC,secretariat,UN system chart\n"
)


@pytest.mark.parametrize(
    "body, message",
    [
        (GOOD + "FRA,France again,member_state,251,FRA,,,x\n", "duplicate actor_id 'FRA'"),
        (GOOD + "DEU,Germany,member_state,276x,DEU,,,x\n", "3-digit M49"),
        (GOOD + "DEU,Germany,member_state,,DEU,,,x\n", "3-digit M49"),
        (GOOD + "DEU,Germany,member_state,276,DE,,,x\n", "3-letter ISO3"),
        (GOOD + "DEU,,member_state,276,DEU,,,x\n", "empty name"),
        (GOOD + "ocha,OCHA,agency,,,,,x\n", "actor_type 'agency'"),
        (GOOD + "ocha,Office for the Coordination of Humanitarian Affairs,un_entity,,,,nowhere,x\n",
         "parent 'nowhere'"),
        (GOOD + "ocha,Office for the Coordination of Humanitarian Affairs,un_entity,,,UNODC,,x\n",
         "already stands for 'unodc'"),
        (GOOD + "Bad Id,Something,collective,,,,,x\n", "not snake_case"),
        (GOOD + "ESP,Spain,member_state,250,ESP,,,x\n", "duplicate m49 '250'"),
    ],
)
def test_broken_reference_file_raises(tmp_path, body, message):
    path = tmp_path / "actors.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        A.load_actors(path)


def test_reference_file_missing_column_or_file(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor_id,name,actor_type\nFRA,France,member_state\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        A.load_actors(path)
    with pytest.raises(ValueError, match="not found"):
        A.load_actors(tmp_path / "nope.csv")


def test_the_shipped_file_validates_when_copied(tmp_path):
    copy = tmp_path / "actors.csv"
    shutil.copyfile(A.ACTORS_CSV, copy)
    assert A.load_actors(copy).height == A.load_actors().height


# -- names as written ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        # Upper-case vote lists, accents and apostrophes.
        ("BOLIVIA (PLURINATIONAL STATE OF)", "BOL"),
        ("COTE D'IVOIRE", "CIV"),
        ("CÔTE D'IVOIRE", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Côte D'ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("TÜRKİYE", "TUR"),
        ("TÜRKIYE", "TUR"),
        ("Türki̇ye", "TUR"),
        ("TÜRKÝYE", "TUR"),  # 79.json's mis-encoded dotted İ
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("TURKEY", "TUR"),
        # Short forms and historical names.
        ("United Kingdom", "GBR"),
        ("UNITED KINGDOM", "GBR"),
        ("the United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("United States", "USA"),
        ("UNITED STATES OF AMERICA", "USA"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Czech Republic", "CZE"),
        ("CZECHIA", "CZE"),
        ("Netherlands", "NLD"),
        ("NETHERLANDS (KINGDOM OF THE)", "NLD"),
        ("Kingdom of the Netherlands", "NLD"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Cape Verde", "CPV"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Islamic Republic of Iran", "IRN"),
        # Look-alikes that must stay apart.
        ("Republic of Korea", "KOR"),
        ("THE REPUBLIC OF KOREA", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("DEMOCRATIC PEOPLE’S REPUBLIC OF KOREA", "PRK"),
        ("Democratic Peoples Republic of Korea", "PRK"),
        ("Congo", "COG"),
        ("the Congo", "COG"),
        ("Democratic Republic of the Congo", "COD"),
        ("Niger", "NER"),
        ("the Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Guinea", "GIN"),
        ("Guinea-Bissau", "GNB"),
        ("GUINEA BISSAU", "GNB"),
        ("Equatorial Guinea", "GNQ"),
        ("Papua New Guinea", "PNG"),
        ("Dominica", "DMA"),
        ("Dominican Republic", "DOM"),
        ("THE DOMINICAN REPUBLIC", "DOM"),
        ("Sudan", "SDN"),
        ("the Sudan", "SDN"),
        ("South Sudan", "SSD"),
        ("Timor Leste", "TLS"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        # Qualifiers, notes and slips around a State's name.
        ("Cuba (on behalf of the States Members of the United Nations that are members of the Group of 77 and China)",
         "CUB"),
        ("AZERBAIJAN, ON BEHALF OF THE STATES MEMBERS OF THE UNITED NATIONS THAT ARE MEMBERS OF THE MOVEMENT OF "
         "NON-ALIGNED COUNTRIES", "AZE"),
        ("Togo. - Philippines was removed from the list of sponsors of the draft resolution", "TGO"),
        ("Thailand ()", "THA"),
        ("Czechi a", "CZE"),
        ("Viet Nama", "VNM"),
        # Bodies named as authors of a draft.
        ("President of the General Assembly", "president_general_assembly"),
        ("submitted by the Vice-Chair of the Committee, Ahmed Magdy (Egypt) and on the basis of informal "
         "consultations on draft resolution", "main_committee_vice_chair"),
        ("introduced in the Committee by the representative of Austria on behalf of the Bureau",
         "main_committee_bureau"),
        ("United Nations Office on Drugs and Crime", "unodc"),
        ("UNODC", "unodc"),
        ("Secretary-General", "secretary_general"),
    ],
)
def test_resolve_name(name, expected):
    assert A.resolve_name(name) == expected


@pytest.mark.parametrize("name", ["", "Korea", "Islands", "United", "Angola Bahamas", "Guinea Islands", "Africa"])
def test_resolve_name_refuses_to_guess(name):
    assert A.resolve_name(name) is None


# -- sponsors and voters -------------------------------------------------------------

# Every name in the sponsor and vote lists resolves, except these, which name no
# State (or none that can be told): checked by hand against the XML.
EXPECTED_UNRESOLVED = {
    "Islands": "78/133 additional sponsors: 'Hungary, Islands, Jamaica': a name lost its first word; "
               "its place in the alphabetical list fits no Member State ending in 'Islands'",
    "United": "75/319 additional sponsors: 'United Arab Emirates, United, Uruguay': United Kingdom or "
              "United States, the XML does not say which",
    "Northern Ireland": "77/12 additional sponsors: 'India, Northern Ireland, Peru': a stray fragment; the "
                        "United Kingdom is listed separately",
    "The amendment was rejected by the Assembly": "78/328: a note, not a name",
    "Annex: Staffing table for 2025: p. 11-12": "79/257: a table caption, not a name",
}


def _unresolved(frame: pl.DataFrame) -> dict[str, int]:
    rows = frame.filter(pl.col("actor_id").is_null())
    return dict(rows.group_by("name_as_written").len().iter_rows())


def _norm(names) -> set[str]:
    return {A.name_key(n) for n in names}


def test_every_sponsor_and_voter_of_the_xml_resolves(corpus):
    sponsors, votes = corpus["sponsor"], corpus["vote"]
    out = A.resolution_actors(sponsors, votes)
    assert out.schema == pl.Schema(A.RESOLUTION_ACTOR_SCHEMA)
    unresolved = _unresolved(out)
    total = out.height
    state_rows = out.filter(pl.col("role").is_in(["voted_yes", "voted_no", "abstained"]))
    print(
        f"\nXML sponsor/vote entries: {sponsors.height} + {votes.height} -> {total} actor rows; "
        f"unresolved {sum(unresolved.values())} ({sum(unresolved.values()) / total:.5%}); "
        f"vote rows unresolved {state_rows.get_column('actor_id').null_count()}"
    )
    assert _norm(unresolved) == _norm(EXPECTED_UNRESOLVED), unresolved
    assert state_rows.get_column("actor_id").null_count() == 0


def test_every_sponsor_and_voter_of_the_metadata_resolves(metadata):
    def lists(col, role):
        return (
            metadata.select("symbol", pl.col(col).alias("sponsor"))
            .explode("sponsor").drop_nulls("sponsor")
            .with_columns(pl.int_range(1, pl.len() + 1).over("symbol").cast(pl.Int32).alias("position"),
                          pl.lit(role).alias("role"))
            .select("symbol", "role", "position", "sponsor")
        )

    def voters(col, vote):
        return (
            metadata.select("symbol", pl.col(col).alias("state")).explode("state").drop_nulls("state")
            .with_columns(pl.lit(vote).alias("vote")).select("symbol", "vote", "state")
        )

    sponsors = pl.concat([lists("sponsors", "sponsor"), lists("additional_sponsors", "additional_sponsor")])
    votes = pl.concat([voters("voters_in_favour", "yes"), voters("voters_against", "no"),
                       voters("voters_abstaining", "abstain")])
    out = A.resolution_actors(sponsors, votes)
    unresolved = _unresolved(out)
    print(f"\nmetadata entries: {sponsors.height} + {votes.height} -> {out.height} actor rows; "
          f"unresolved {sum(unresolved.values())} ({sum(unresolved.values()) / out.height:.5%})")
    # The metadata repeats the XML's slips in upper case, less 'United'.
    assert _norm(unresolved) <= _norm(EXPECTED_UNRESOLVED), unresolved
    votes_out = out.filter(pl.col("role").is_in(["voted_yes", "voted_no", "abstained"]))
    assert votes_out.get_column("actor_id").null_count() == 0
    # 'TÜRKÝYE' (mis-encoded in 79.json) voted like everyone else.
    assert out.filter(pl.col("name_as_written") == "TÜRKÝYE").get_column("actor_id").unique().to_list() == ["TUR"]


def test_votes_keep_one_row_per_state_and_position(corpus):
    votes = corpus["vote"]
    out = A.resolution_actors(votes.head(0).select(
        pl.col("symbol"), pl.lit("sponsor").alias("role"), pl.lit(1, dtype=pl.Int32).alias("position"),
        pl.col("state").alias("sponsor")), votes)
    expected = votes.group_by("symbol", "vote").agg(pl.col("state").n_unique().alias("n"))
    role = {"yes": "voted_yes", "no": "voted_no", "abstain": "abstained"}
    got = dict(((s, r), n) for s, r, n in out.group_by("symbol", "role").len().iter_rows())
    for symbol, vote, n in expected.iter_rows():
        assert got[(symbol, role[vote])] == n, (symbol, vote)


def _sponsor_rows(corpus, symbol: str, role: str = "sponsor") -> pl.DataFrame:
    sp = corpus["sponsor"].filter(pl.col("symbol") == symbol)
    return A.resolution_actors(sp, corpus["vote"].head(0)).filter(pl.col("role") == role)


def test_a_split_group_name_does_not_make_china_a_sponsor(corpus):
    # 74/115: "State of Palestine (on behalf of ... Group of 77" and "China)" are two XML entries.
    rows = _sponsor_rows(corpus, "A/RES/74/115")
    assert rows.get_column("actor_id").to_list() == ["PSE"]
    assert rows.get_column("on_behalf_of").to_list() == ["group_of_77"]
    assert rows.get_column("resolved_by").to_list() == ["merged"]


def test_a_rapporteurs_name_is_not_a_sponsor(corpus):
    # 77/182: "France Cassar (Malta)" is the Rapporteur of the Committee, not France or Malta.
    rows = _sponsor_rows(corpus, "A/RES/77/182")
    assert rows.get_column("actor_id").to_list() == ["main_committee_rapporteur"]


def test_run_together_names_give_one_row_per_state(corpus):
    # 79/168 additional sponsors: "Algeria, Angola Bahamas, Bangladesh, ...".
    rows = _sponsor_rows(corpus, "A/RES/79/168", "additional_sponsor")
    split = rows.filter(pl.col("name_as_written") == "Angola Bahamas")
    assert sorted(split.get_column("actor_id").to_list()) == ["AGO", "BHS"]
    # 77/296: "Saint Vincent" and "The Grenadines" are one State.
    rows = _sponsor_rows(corpus, "A/RES/77/296", "additional_sponsor")
    vct = rows.filter(pl.col("actor_id") == "VCT")
    assert vct.height == 1 and vct.item(0, "name_as_written") == "Saint Vincent and The Grenadines"
    assert rows.get_column("actor_id").null_count() == 0


def test_a_removed_sponsor_is_not_a_sponsor(corpus):
    # 79/*: "Togo. - Philippines was removed from the list of sponsors of the draft resolution".
    sp = corpus["sponsor"]
    symbol = sp.filter(pl.col("sponsor").str.starts_with("Togo. - Philippines")).item(0, "symbol")
    rows = A.resolution_actors(sp.filter(pl.col("symbol") == symbol), corpus["vote"].head(0))
    note = rows.filter(pl.col("name_as_written").str.starts_with("Togo."))
    assert note.get_column("actor_id").to_list() == ["TGO"]


# -- addressees ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "ordinal, expected",
    [
        # 4: "Calls upon all Member States, when appropriate, to take into consideration the Kyoto
        # Declaration ..., and requests the United Nations Office on Drugs and Crime to continue ..."
        (4, [("member_states", "calls upon", "all Member States"),
             ("unodc", "requests", "United Nations Office on Drugs and Crime")]),
        # 5: "Encourages Member States to promote the integrity ..."
        (5, [("member_states", "encourages", "Member States")]),
        # 6: "Urges Member States that have not yet done so to consider ratifying or acceding to ...,
        # and urges States parties to those conventions and protocols to make efforts ..."
        (6, [("member_states", "urges", "Member States"), ("states_parties", "urges", "States parties")]),
        # 9: "Urges States parties to actively participate in the review process ..."
        (9, [("states_parties", "urges", "States parties")]),
        # 13: "Urges States parties to the United Nations Convention against Corruption to continue ...,
        # welcomes ... and calls upon States parties to ensure the timely conclusion ..."
        (13, [("states_parties", "urges", "States parties"), ("states_parties", "calls upon", "States parties")]),
        # 18: "Requests the United Nations Office on Drugs and Crime to continue to provide technical assistance"
        (18, [("unodc", "requests", "United Nations Office on Drugs and Crime")]),
        # 21: "Encourages all States to have national and local action plans for crime prevention ..."
        (21, [("states", "encourages", "all States")]),
        # 23: "Takes note of the launch of ... by the United Nations Office on Drugs and Crime ..., and
        # requests the Office to continue ... its relevant efforts"
        (23, [("unodc", "requests", "the Office")]),
        # 27: "Invites the President of the General Assembly, in cooperation with the United Nations Office
        # on Drugs and Crime and with the involvement of relevant stakeholders, to hold ... a high-level debate"
        (27, [("president_general_assembly", "invites", "President of the General Assembly")]),
        # 34: "Calls upon Member States to address ..., and calls upon the United Nations, especially the
        # United Nations Office on Drugs and Crime, to continue to support Member States ..."
        (34, [("member_states", "calls upon", "Member States"), ("un_system", "calls upon", "the United Nations"),
              ("unodc", "calls upon", "United Nations Office on Drugs and Crime")]),
        # 37: "Requests the Secretary-General to continue to provide the United Nations Office on Drugs and
        # Crime with adequate resources ..., and requests the Secretariat to continue to provide support ..."
        (37, [("secretary_general", "requests", "Secretary-General"), ("secretariat", "requests", "Secretariat")]),
        # 52: "... encourages Member States to promote ..., invites the Office to systematically collect
        # data ..., and invites Member States and other donors to provide extrabudgetary resources ..."
        (52, [("member_states", "encourages", "Member States"), ("unodc", "invites", "the Office"),
              ("member_states", "invites", "Member States"), ("donors", "invites", "donors")]),
        # 76: "Also encourages Member States to strengthen their efforts ..., and in this regard reiterates its
        # request to the United Nations Office on Drugs and Crime to provide technical assistance ..."
        (76, [("member_states", "also encourages", "Member States"),
              ("unodc", "reiterates its request", "United Nations Office on Drugs and Crime")]),
        # 86: "Reiterates its invitation to Member States to gradually adopt the International Classification
        # of Crime ..., requests the United Nations Office on Drugs and Crime, within its existing mandate, to
        # continue ..., and strongly encourages Member States to share such data and information with the Office"
        (86, [("member_states", "reiterates its invitation", "Member States"),
              ("unodc", "requests", "United Nations Office on Drugs and Crime"),
              ("member_states", "strongly encourages", "Member States")]),
        # 90: "Welcomes the Kyoto Declaration, and requests the Commission on Crime Prevention and Criminal
        # Justice, in accordance with its mandate, to continue to implement ..."
        (90, [("ccpcj", "requests", "Commission on Crime Prevention and Criminal Justice")]),
        # 92: "Requests the Secretary-General to submit a report to the General Assembly at its seventy-ninth
        # and eightieth sessions ..."
        (92, [("secretary_general", "requests", "Secretary-General")]),
        # 93: "Decides to consider the question ... at its eightieth session." The Assembly decides for
        # itself: general_assembly, with no matched text.
        (93, [("general_assembly", "decides", None)]),
        # 3: "Underlines the important role of the Commission on Crime Prevention and Criminal Justice ..."
        (3, []),
    ],
)
def test_addressees_of_78_229(actors_78_229, ordinal, expected):
    assert _addressees(actors_78_229, ordinal) == expected


def test_mentions_of_78_229_are_not_addressees(actors_78_229):
    # 27: UNODC and relevant stakeholders are named after "in cooperation with": mentioned only.
    assert {"unodc", "relevant_stakeholders", "ccpcj", "member_states"} <= _mentioned(actors_78_229, 27)
    assert "unodc" not in {a for a, _, _ in _addressees(actors_78_229, 27)}
    # 37: the SG is asked to provide UNODC with resources: UNODC is mentioned.
    assert {"unodc", "ccpcj", "cnd"} <= _mentioned(actors_78_229, 37)
    # 34: the Office of Counter-Terrorism is named after "with".
    assert "unoct" in _mentioned(actors_78_229, 34)
    # The addressee is not repeated as mentioned for the same match.
    both = actors_78_229.group_by("paragraph_kind", "paragraph_ordinal", "position").agg(pl.col("role").n_unique())
    assert both.filter(pl.col("role") > 1).height == 0
    assert actors_78_229.schema == pl.Schema(A.PARAGRAPH_ACTOR_SCHEMA)


def test_preambular_mentions_of_78_229(actors_78_229):
    pre = actors_78_229.filter(pl.col("paragraph_kind") == "preambular")
    assert pre.filter(pl.col("role") == "addressee").height == 0
    assert {"unodc", "ccpcj", "general_assembly"} <= set(pre.get_column("actor_id").to_list())


@pytest.mark.parametrize(
    "symbol, ordinal, expected",
    [
        # "Encourages Member States and all relevant stakeholders to continue to increase public awareness"
        ("A/RES/74/227", 15, [("member_states", "encourages", "Member States"),
                              ("relevant_stakeholders", "encourages", "all relevant stakeholders")]),
        # "Invites the President of the General Assembly, the President of the Economic and Social Council
        # and the Secretary-General to give appropriate consideration ..."
        ("A/RES/74/206", 26, [("president_general_assembly", "invites", "President of the General Assembly"),
                              ("president_ecosoc", "invites", "President of the Economic and Social Council"),
                              ("secretary_general", "invites", "Secretary-General")]),
        # "Requests the Secretary-General and the Office of the United Nations High Commissioner for Human
        # Rights to provide the resources necessary ..."
        ("A/RES/74/137", 18, [("secretary_general", "requests", "Secretary-General"),
                              ("ohchr", "requests",
                               "Office of the United Nations High Commissioner for Human Rights")]),
        # "Urges Member States and other donors to continue to provide bilateral and other funding ..."
        ("A/RES/74/178", 53, [("member_states", "urges", "Member States"), ("donors", "urges", "donors")]),
        # "Decides that the Secretary-General shall conclude the review of the jurisdictional set-up ..."
        ("A/RES/77/257", 10, [("secretary_general", "decides", "Secretary-General")]),
        # "Urges Afghanistan to honour and fully respect and implement all treaties ..."
        ("A/RES/77/10", 6, [("AFG", "urges", "Afghanistan")]),
        # "Requests the Special Committee to continue the examination of the question of ... New Caledonia":
        # "the Special Committee" refers back to the Special Committee on decolonization.
        ("A/RES/74/106", 34, [("special_committee_decolonization", "requests", "the Special Committee")]),
    ],
)
def test_addressees_elsewhere(corpus, symbol, ordinal, expected):
    para = corpus["paragraph"].filter(pl.col("symbol") == symbol)
    assert _addressees(A.paragraph_actors(para), ordinal, symbol) == expected


def test_text_exclusions_and_word_boundaries():
    para = pl.DataFrame(
        {
            "symbol": ["X"] * 3,
            "kind": ["preambular", "preambular", "operative"],
            "ordinal": [1, 2, 1],
            "number": [None, None, "1"],
            "lead_phrase": ["Noting", "Noting", "Urges"],
            "text": [
                "Noting piracy in the Gulf of Guinea and costs in United States dollars, under the Charter of "
                "the United Nations,",
                "Noting the Nigerian and Malian authorities and the Arab States, and Guinea-Bissau,",
                "Urges States to cooperate with the Niger and Nigeria;",
            ],
        }
    )
    out = A.paragraph_actors(para)
    first = out.filter(pl.col("paragraph_ordinal") == 1, pl.col("paragraph_kind") == "preambular")
    assert first.height == 0
    second = out.filter(pl.col("paragraph_ordinal") == 2, pl.col("paragraph_kind") == "preambular")
    assert second.get_column("actor_id").to_list() == ["GNB"]
    op = out.filter(pl.col("paragraph_kind") == "operative")
    assert op.select("actor_id", "role").rows() == [("states", "addressee"), ("NER", "mentioned"),
                                                    ("NGA", "mentioned")]
    assert op.get_column("position").to_list() == [6, 35, 45]


# -- mandates ------------------------------------------------------------------------


def test_mandates_of_78_229(res_78_229, actors_78_229):
    m = A.mandates(res_78_229, actors_78_229)
    assert m.schema == pl.Schema(A.MANDATE_SCHEMA)
    row = m.filter(pl.col("paragraph_ordinal") == 92).row(0, named=True)
    assert row["actor_id"] == "secretary_general"
    assert row["entity"] == "Secretary-General"
    assert row["number"] == "92"
    assert row["verb"] == "requests"
    assert row["action"].startswith("submit a report to the General Assembly at its seventy-ninth and eightieth")
    assert row["action"].endswith("reflecting also emerging policy issues and possible responses")
    assert row["report_requested"] is True
    assert row["report_session"] == "79, 80"
    assert row["report_to"] == "General Assembly"
    by_para = {(r["paragraph_ordinal"], r["actor_id"]): r for r in m.iter_rows(named=True)}
    # 18: a request to UNODC, no report.
    assert by_para[(18, "unodc")]["report_requested"] is False
    assert by_para[(18, "unodc")]["action"].startswith("continue to provide technical assistance to Member States")
    # 90: "requests the Commission on Crime Prevention and Criminal Justice ... to continue to implement"
    assert by_para[(90, "ccpcj")]["verb"] == "requests"
    # 39: "requests the Secretary-General ... to continue to report ... on the financial situation of the Office"
    assert by_para[(39, "secretary_general")]["report_requested"] is True
    # Not mandates: Member States (4, 5), an invitation to the President of the Assembly (27),
    # the Assembly's own decision (93).
    assert not any(a in {"member_states", "states", "states_parties"} for _, a in by_para)
    assert (27, "president_general_assembly") not in by_para
    assert not any(o == 93 for o, _ in by_para)


def test_mandate_decides_that_shall(corpus):
    para = corpus["paragraph"].filter(pl.col("symbol") == "A/RES/77/257")
    m = A.mandates(para, A.paragraph_actors(para))
    row = m.filter(pl.col("paragraph_ordinal") == 10).row(0, named=True)
    assert (row["actor_id"], row["verb"]) == ("secretary_general", "decides that ... shall")
    assert row["action"].startswith("conclude the review of the jurisdictional set-up")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("at its seventy-ninth and eightieth sessions", "79, 80"),
        ("to the General Assembly at its eightieth session", "80"),
        ("at its seventy-seventh, seventy-eighth and seventy-ninth sessions", "77, 78, 79"),
        ("to the Human Rights Council at its fifty-eighth session", "58"),
        ("at its twenty-first session", "21"),
        ("on an annual basis", None),
    ],
)
def test_report_sessions(text, expected):
    assert A.report_sessions(text) == expected


# -- the whole corpus: speed and coverage ----------------------------------------------


def test_runtime_and_coverage_over_sessions_74_to_79(corpus):
    paragraphs = corpus["paragraph"].select("symbol", "kind", "ordinal", "number", "lead_phrase", "text")
    A._default_catalogue()  # reference data read once, outside the timing
    start = time.perf_counter()
    out = A.paragraph_actors(paragraphs)
    elapsed = time.perf_counter() - start
    operative = paragraphs.filter(pl.col("kind") == "operative")
    addressed = out.filter(pl.col("role") == "addressee")
    covered = addressed.select("symbol", "paragraph_ordinal").unique().height
    explicit = addressed.filter(pl.col("matched_text").is_not_null()).select("symbol", "paragraph_ordinal")
    start = time.perf_counter()
    m = A.mandates(paragraphs, out)
    m_elapsed = time.perf_counter() - start
    print(
        f"\nparagraph_actors: {paragraphs.height} paragraphs in {elapsed:.2f} s -> {out.height} rows "
        f"({addressed.height} addressee, {out.height - addressed.height} mentioned); "
        f"operative paragraphs with an addressee: {covered}/{operative.height} = {covered / operative.height:.1%} "
        f"({explicit.unique().height / operative.height:.1%} without the Assembly's own 'Decides'); "
        f"mandates: {m.height} in {m_elapsed:.2f} s, {m.get_column('report_requested').mean():.1%} ask for a report"
    )
    assert paragraphs.height > 80_000
    # Its speed is measured by `make bench` against the machine's floor, not asserted here (a loaded
    # machine made this fail with unchanged code).
    assert covered / operative.height > 0.45
    # Every addressee row of an operative paragraph carries its verb; a match is one row.
    assert addressed.get_column("verb").null_count() == 0
    assert not out.select("symbol", "paragraph_kind", "paragraph_ordinal", "position").is_duplicated().any()
    assert set(m.get_column("actor_id").unique().to_list()).isdisjoint({"member_states", "states", "general_assembly"})
