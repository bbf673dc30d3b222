"""Documents with a symbol cited in text: resolutions of the Assembly and of other bodies, who
issued them, and document symbols (:func:`cited_documents`)."""

from __future__ import annotations

import polars as pl

from transforms.instruments.matching import _attach, _finish, _prepare, _spans


DOCUMENT_TYPES = (
    "ga_resolution", "ecosoc_resolution", "ccpcj_resolution", "cnd_resolution", "cop_resolution",
    "sc_resolution", "hrc_resolution", "document",
)


# Highest session number each body could have printed by 2025 (with a little headroom):
# a number above it is not that body's resolution. CCPCJ held its 34th session in 2025,
# CND its 68th, the Human Rights Council its 60th; the UNTOC Conference of the Parties
# its 12th (2024), the UNCAC Conference of the States Parties its 11th (2025).
_MAX_SESSION = {"ccpcj": 36, "cnd": 70, "hrc": 65, "cop_untoc": 14, "cosp_uncac": 13, "ga": 99}
# Nor has any of them adopted more than a few dozen resolutions at one session: "56/266" is
# the Assembly's even where the Human Rights Council is named before it.
_MAX_NUMBER = {"ccpcj": 30, "cnd": 30, "hrc": 99, "cop_untoc": 30, "cosp_uncac": 30}
_GA_LAST_ROMAN_SESSION = 30  # "3474 (XXX)"; "990 (LIV)" is another body's
_GA_FIRST_TWO_PART_SESSION = 31  # "31/20" (1976) onwards; earlier resolutions are "1514 (XV)"


_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}"
# 74/172, 67/234 B, ES-11/1, S-32/1, 2017/19 | 1373 (2001) | 2200 A (XXI), 1514 (XV), 1874 (S-IV)
# Parts: "67/234 B", "36/87 A and B", "51/211 A to E", "53/77 AA".
_PARTS = r"[A-Z]{1,2}(?:(?:\s(?:and|to)\s|\s?-\s?|,\s)[A-Z]{1,2})*\b"
_NUM = (rf"(?:(?:E?S-)?\d{{1,4}}/\d{{1,4}}(?:\s{_PARTS})?"
        r"|\d{1,4}\s?\(\d{4}\)"
        r"|\d{1,4}(?:\s[A-H])?\s?\((?:S-)?[IVXL]+\))")
_SECTION = r"(?:,\s+(?:section|part)\s+[IVXLC]+[A-Z]?,?)?"  # "45/248 B, section VI, of 21 December 1990"
_ITEM = rf"{_NUM}{_SECTION}(?:,?\s+(?:of|on)\s+{_DATE})?"
_LIST_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
# Between the numbers of a list: a title or a subject ("74/306 of 11 September 2020, entitled
# “...”, 74/307 ..."; "78/132 of 19 December 2023 on information and communications
# technologies for sustainable development, 78/160 ..."; "60/251 of 15 March 2006, by which it
# established the Human Rights Council, and 65/281 ..."). A subject never crosses a "/", so it
# cannot swallow another body's "resolution 5/1".
_TAIL = r"(?:,?\s+entitled\s+“[^”]{0,300}”|\s+on\s+[^;/“”]{1,200}?|,\s+(?:by|in|through) which\s+[^;/“”]{1,200}?)?"
_GROUP = rf"\b[Rr]esolutions?\s+{_ITEM}(?:{_TAIL}{_LIST_SEP}{_ITEM})*"
_ITEM_PARTS = (
    rf"^(?:(?P<ses>(?:E?S-)?\d{{1,4}})/(?P<num>\d{{1,4}})(?:\s(?P<part>{_PARTS}))?"
    r"|(?P<scn>\d{1,4})\s?\((?P<scy>\d{4})\)"
    r"|(?P<ron>\d{1,4})(?:\s(?P<rop>[A-H]))?\s?\((?P<ros>(?:S-)?[IVXL]+)\))"
    rf"{_SECTION}(?:,?\s+(?:of|on)\s+(?P<date>{_DATE}))?"
)

# Who issues resolutions, as the words before "resolution" name them. Order matters where
# two alternatives start at the same place (the specific Conference before the generic).
_ISSUERS: list[tuple[str, str]] = [
    ("cop_untoc", r"Conference of the Parties to the United Nations Convention against Transnational Organized Crime"),
    ("cosp_uncac", r"Conference of the States Parties to the United Nations Convention against Corruption"),
    # A footnote citing a body's report names the body by the report's symbol: "Official
    # Records of the General Assembly, ..., Supplement No. 53A (A/74/53/Add.1), chap. III,
    # resolution 42/12" is the Human Rights Council's; E/yyyy/30 is CCPCJ's report, E/yyyy/28
    # CND's, E/yyyy/27 the Commission on the Status of Women's, A/nn/25 UNEP's.
    ("ccpcj", r"Commission on Crime Prevention and Criminal Justice|\(E/\d{4}/30\b[^)]*\)"),
    ("cnd", r"Commission on Narcotic Drugs|\(E/\d{4}/28\b[^)]*\)"),
    ("ecosoc", r"Economic and Social Council"),
    ("sc", r"Security Council"),
    ("hrc", r"Human Rights Council|\(A/\d+/53\b[^)]*\)"),
    # Other bodies that number resolutions "N/M" or "YYYY/N": their numbers are not extracted
    # and must not fall to the Assembly. Bodies numbering otherwise (WHA72.3, IMO A.1090(28),
    # UNESCO 40 C/...) need no entry: their numbers do not look like the Assembly's.
    ("other", r"Commission on Human Rights|Commission on the Status of Women|Commission on Population and "
              r"Development|Commission for Social Development|Commission on Sustainable Development|Commission "
              r"on Science and Technology for Development|Statistical Commission|[A-Z][a-z]+ (?:Tuna|Fisheries) "
              r"Commission|(?:United Nations )?Environment Assembly|UN-Habitat Assembly|Assembly of States Parties|"
              r"World Health Assembly|Food and Agriculture Organization|Governing Council|Executive Board|Trusteeship "
              r"Council|Conference of the (?:States )?Parties|Meeting of (?:the )?States Parties|"
              r"\(E/\d{4}/27\b[^)]*\)|\(A/\d+/25\b[^)]*\)"),
    ("council", r"Council"),
    ("ga", r"General Assembly|Assembly"),
]
_OTHER = dict(_ISSUERS)["other"]
# A new clause or sentence: an issuer named before it no longer counts. The window before a
# citation is cut after the last one (keeping the capital that opens the sentence).
_BREAK = r"(?s)^.*(?:;|\n|\.\s+([A-Z][a-z]))"
_ITS_DIRECT = r"\b(?:in|by|through|under)\s+(?:paragraph\s+\S+\s+of\s+)?its\s+$"  # "the Council, in its resolution"
_ITS = r"\b[Ii]ts\s+$"  # "Recalling its resolution": the Assembly's own
_ISSUER_TOKENS = "|".join([f"(?:{_ITS_DIRECT})", f"(?:{_ITS})"] + [f"(?:{p})" for _, p in _ISSUERS])
# "resolution 8/12 of 20 December 2019, entitled “...”, of the Conference of the States Parties ..."
_ISSUER_AFTER = (r"^(?:,?\s+entitled\s+“[^”]*”)?,?\s+(?:of|by)\s+the\s+("
                 + "|".join(p for _, p in _ISSUERS) + ")")
_WINDOW = 400  # characters before a citation searched for its issuer



def _roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


_ROMAN = {_roman(n): n for n in range(1, 100)}  # "XXI" -> 21: the session of "2200 A (XXI)"

# A document symbol: at least three parts ("A/78/264", "CTOC/COP/2022/9", "A/CONF.234/16",
# "E/CN.15/2019/5", "ICCD/COP(14)/23/Add.1", "A/ES-10/273"), a Security Council year kept.
_DOC = (r"\b[A-Z][A-Z0-9]{0,9}(?:\.\d+)?"
        r"(?:/(?:[A-Z]+(?:-[A-Z]+)+|(?:[A-Z]{1,2}-)?[A-Za-z0-9][A-Za-z0-9.]*(?:\(\d+\))?)){2,}"
        r"(?:\s?\(\d{4}\))?")


def _classify_tokens(token: pl.Expr) -> pl.Expr:
    expr = pl.when(token.is_null()).then(pl.lit(None, pl.Utf8))
    expr = expr.when(token.str.contains(f"^(?:{_ITS_DIRECT})")).then(pl.lit("its_direct"))
    expr = expr.when(token.str.contains(f"^(?:{_ITS})")).then(pl.lit("its"))
    for key, pattern in _ISSUERS:
        expr = expr.when(token.str.contains(f"^(?:{pattern})$")).then(pl.lit(key))
    return expr.otherwise(pl.lit(None, pl.Utf8))


def _classified(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """The issuer tokens in ``columns`` replaced by their class (:func:`_classify_tokens`).

    A class depends on the token alone, and a session's few thousand citations name a few
    dozen distinct tokens: each is classified once (a dozen regexes), not each row.
    """
    tokens = pl.concat([frame.get_column(c) for c in columns]).drop_nulls().unique()
    classes = pl.DataFrame({"token": tokens}, schema={"token": pl.Utf8}).select(
        "token", _classify_tokens(pl.col("token")).alias("class"))
    mapping = dict(zip(classes.get_column("token").to_list(), classes.get_column("class").to_list()))
    return frame.with_columns(pl.col(c).replace_strict(mapping, default=None, return_dtype=pl.Utf8)
                              for c in columns)


def cited_documents(texts: pl.DataFrame) -> pl.DataFrame:
    """Resolutions and documents cited in ``texts``, with a normalised identifier.

    ``texts``: symbol, paragraph_kind, paragraph_ordinal, text, source ('paragraph' |
    'footnote'). Returns one row per citation (CITED_SCHEMA): symbol, paragraph_kind,
    paragraph_ordinal, instrument_id (A/RES/74/172, E/RES/2017/19, S/RES/1373(2001),
    A/HRC/RES/53/4, CCPCJ/RES/25/2, CND/RES/61/2, CTOC/COP/RES/10/6, CAC/COSP/RES/9/8, or
    the document symbol), instrument_type (DOCUMENT_TYPES), cited_date (the "of 18 December
    2014" after the number, or after the last number of a list it closes; null when not
    stated or when the date cannot belong to that resolution), matched_text, position
    (character offset in the text) and source.
    """
    frame = _prepare(texts)
    parts = [_resolution_citations(frame), _document_citations(frame)]
    return _finish(pl.concat([p for p in parts if not p.is_empty()], how="diagonal_relaxed")
                   if any(not p.is_empty() for p in parts) else pl.DataFrame())


def _resolution_citations(frame: pl.DataFrame) -> pl.DataFrame:
    groups = _spans(frame, _GROUP).with_row_index("_group")
    if groups.is_empty():
        return pl.DataFrame()
    # Who issued the group: the last issuer named before it in the same sentence.
    text = frame.select("_row", "text")
    groups = groups.join(text, on="_row", how="left")
    start = (pl.col("position") - _WINDOW).clip(lower_bound=0)
    before = pl.col("text").str.slice(start, pl.col("position") - start).str.replace(_BREAK, "$1")
    end = pl.col("position") + pl.col("match").str.len_chars().cast(pl.Int32)
    after = pl.col("text").str.slice(end, 600)
    tokens = before.str.extract_all(_ISSUER_TOKENS)
    groups = _classified(groups.with_columns(
        tokens.list.get(-1, null_on_oob=True).alias("_last"),
        tokens.list.get(-2, null_on_oob=True).alias("_prev"),
        after.str.extract(_ISSUER_AFTER, 1).alias("_after"),
        pl.col("text").str.contains("Human Rights Council").alias("_hrc_context"),
    ), ["_last", "_prev", "_after"]).with_columns(
        # Another body blocks only when named right before the number ("Commission on the Status
        # of Women resolution 60/2", "the Environment Assembly, in its resolution 5/8"); further
        # back it is a subject ("... the Commission on the Status of Women ... resolutions 75/161").
        # Read only where the last issuer named is such a body, the one place it is used (null
        # elsewhere, which the rule below reads as false).
        pl.when(pl.col("_last") == "other").then(before.str.contains(f"(?:{_OTHER})[^;]{{0,80}}$"))
        .alias("_other_near"),
    )
    issuer_keys = [k for k, _ in _ISSUERS]
    prev_issuer = pl.when(pl.col("_prev").is_in(issuer_keys)).then(pl.col("_prev"))
    groups = groups.with_columns(
        pl.coalesce(
            pl.col("_after"),
            pl.when(pl.col("_last") == "its_direct").then(pl.coalesce(prev_issuer, pl.lit("ga")))
            .when((pl.col("_last") == "other") & ~pl.col("_other_near")).then(pl.lit(None, pl.Utf8))
            .otherwise(pl.col("_last")),
        ).alias("_issuer"),
        prev_issuer.alias("_fallback"),
    )
    # The numbers of each group, each with its own position, number parts and date.
    items = _spans(groups.select(pl.col("_group").alias("_row"), pl.col("match").alias("text")), _ITEM)
    items = items.rename({"_row": "_group", "position": "_offset", "match": "matched_text"}).join(
        groups.select("_group", "_row", pl.col("position").alias("_gpos"), "_issuer", "_fallback", "_hrc_context"),
        on="_group", how="left",
    )
    items = items.with_columns(
        pl.col("matched_text").str.extract_groups(_ITEM_PARTS).alias("_p"),
        (pl.col("_gpos") + pl.col("_offset")).alias("position"),
    ).unnest("_p")
    # A date closes the list before it: "69/193 and 69/196 of 18 December 2014".
    items = items.sort("_group", "_offset").with_columns(
        pl.col("date").str.to_date("%d %B %Y", strict=False).alias("_date"),
    ).with_columns(pl.col("_date").backward_fill().over("_group").alias("_date"))
    return _type_resolutions(items).join(
        frame.select("_row", "symbol", "paragraph_kind", "paragraph_ordinal", "source"), on="_row", how="left")


def _type_resolutions(items: pl.DataFrame) -> pl.DataFrame:
    ses, num = pl.col("ses"), pl.col("num").cast(pl.Int32, strict=False).cast(pl.Utf8)
    special = ses.str.contains("^E?S-")
    n = ses.cast(pl.Int32, strict=False)
    fmt = (pl.when(pl.col("scn").is_not_null()).then(pl.lit("sc"))
           .when(pl.col("ron").is_not_null()).then(pl.lit("roman"))
           .when(special).then(pl.lit("special"))
           .when(ses.str.len_chars() == 4).then(pl.lit("ecosoc"))
           .otherwise(pl.lit("slash")))
    items = items.with_columns(fmt.alias("_fmt"), n.alias("_n"))
    ga_ok = (pl.col("_fmt") == "slash") & pl.col("_n").is_between(_GA_FIRST_TWO_PART_SESSION, _MAX_SESSION["ga"])
    issuer = (pl.when((pl.col("_issuer") == "its") & ~ga_ok).then(pl.col("_fallback"))
              .when(pl.col("_issuer") == "its").then(pl.lit("ga"))
              .otherwise(pl.col("_issuer")))
    items = items.with_columns(issuer.alias("_who"))
    who, fmt_, nn = pl.col("_who"), pl.col("_fmt"), pl.col("_n")

    def fits(body: str) -> pl.Expr:
        return (nn <= _MAX_SESSION[body]) & (pl.col("num").cast(pl.Int32, strict=False) <= _MAX_NUMBER[body])

    slash_type = (
        pl.when(who == "ccpcj").then(pl.when(fits("ccpcj")).then(pl.lit("ccpcj_resolution")))
        .when(who == "cnd").then(pl.when(fits("cnd")).then(pl.lit("cnd_resolution")))
        .when(who == "hrc").then(pl.when(fits("hrc")).then(pl.lit("hrc_resolution")))
        .when(who.is_in(["cop_untoc", "cosp_uncac"])).then(
            pl.when(fits("cop_untoc") & (who == "cop_untoc") | fits("cosp_uncac") & (who == "cosp_uncac"))
            .then(pl.lit("cop_resolution")))
        .when((who == "council") & pl.col("_hrc_context") & fits("hrc")).then(pl.lit("hrc_resolution"))
        .when(who == "other").then(pl.lit(None, pl.Utf8))
    )
    # A body that cannot have issued the number (CCPCJ "78/225") leaves it to the Assembly.
    slash_type = pl.coalesce(
        slash_type,
        pl.when((who != "other") | who.is_null()).then(pl.when(ga_ok).then(pl.lit("ga_resolution"))),
    )
    roman_session = pl.col("ros").replace_strict(_ROMAN, default=None, return_dtype=pl.Int32)
    rtype = (
        pl.when(fmt_ == "sc").then(pl.lit("sc_resolution"))
        .when(fmt_ == "roman").then(pl.when(pl.col("ros").str.starts_with("S-")
                                            | (roman_session <= _GA_LAST_ROMAN_SESSION))
                                    .then(pl.lit("ga_resolution")))
        .when(fmt_ == "special").then(
            pl.when(who == "hrc").then(pl.lit("hrc_resolution"))
            .when((who != "other") | who.is_null()).then(pl.lit("ga_resolution")))
        .when(fmt_ == "ecosoc").then(
            pl.when(((who != "other") | who.is_null()) & nn.is_between(1946, 2100)).then(pl.lit("ecosoc_resolution")))
        .otherwise(slash_type)
    )
    items = items.with_columns(rtype.alias("instrument_type")).filter(pl.col("instrument_type").is_not_null())
    # "36/87 A and B" is two resolutions, "51/211 A to E" five.
    letters = pl.col("part").str.extract_all(r"[A-Z]{1,2}")
    is_range = (pl.col("part").str.contains(r"^[A-Z](?:\s?-\s?|\sto\s)[A-Z]$")
                & (letters.list.first() < letters.list.last()))
    codes = {chr(65 + i): i for i in range(26)}
    lo = letters.list.first().replace_strict(codes, default=None, return_dtype=pl.Int32)
    hi = letters.list.last().replace_strict(codes, default=None, return_dtype=pl.Int32)
    span = pl.int_ranges(lo, pl.when(is_range).then(hi + 1).otherwise(lo)).list.eval(
        pl.element().replace_strict({v: k for k, v in codes.items()}, return_dtype=pl.Utf8))
    items = items.with_columns(pl.when(is_range).then(span).otherwise(letters).alias("part")).explode("part")
    body = pl.col("ses") + "/" + num
    part = pl.when(pl.col("part").is_not_null()).then(" " + pl.col("part")).otherwise(pl.lit(""))
    t = pl.col("instrument_type")
    ident = (
        pl.when(t == "sc_resolution").then("S/RES/" + pl.col("scn").cast(pl.Int32).cast(pl.Utf8) + "(" + pl.col("scy") + ")")
        .when((t == "ga_resolution") & (fmt_ == "roman")).then(
            "A/RES/" + pl.col("ron").cast(pl.Int32).cast(pl.Utf8) + "(" + pl.col("ros") + ")")
        .when(t == "ga_resolution").then("A/RES/" + body + part)
        .when(t == "ecosoc_resolution").then("E/RES/" + body)
        .when(t == "hrc_resolution").then("A/HRC/RES/" + body)
        .when(t == "ccpcj_resolution").then("CCPCJ/RES/" + body)
        .when(t == "cnd_resolution").then("CND/RES/" + body)
        .when((t == "cop_resolution") & (who == "cop_untoc")).then("CTOC/COP/RES/" + body)
        .otherwise("CAC/COSP/RES/" + body)
    )
    # A stated date is kept only where it can be that resolution's: inside the Assembly
    # session, in the Council's year.
    d = pl.col("_date")
    ga_session = pl.when(fmt_ == "roman").then(roman_session).when(fmt_ == "slash").then(nn)
    in_session = d.is_between(pl.date(ga_session + 1945, 9, 1), pl.date(ga_session + 1946, 9, 30))
    valid = (
        pl.when(t == "sc_resolution").then(d.dt.year() == pl.col("scy").cast(pl.Int32))
        .when(t == "ecosoc_resolution").then(d.dt.year() == nn)
        .when((t == "ga_resolution") & ga_session.is_not_null()).then(in_session)
        .otherwise(pl.lit(True))
    )
    return items.with_columns(
        ident.alias("instrument_id"),
        pl.when(valid).then(d).alias("cited_date"),
    ).select("_row", "instrument_id", "instrument_type", "cited_date", "matched_text", "position")


def _document_type(symbol: pl.Expr) -> pl.Expr:
    return (pl.when(symbol.str.starts_with("A/RES/")).then(pl.lit("ga_resolution"))
            .when(symbol.str.starts_with("S/RES/")).then(pl.lit("sc_resolution"))
            .when(symbol.str.starts_with("E/RES/")).then(pl.lit("ecosoc_resolution"))
            .when(symbol.str.starts_with("A/HRC/RES/")).then(pl.lit("hrc_resolution"))
            .otherwise(pl.lit("document")))


def _document_citations(frame: pl.DataFrame) -> pl.DataFrame:
    docs = _spans(frame, _DOC)
    if docs.is_empty():
        return pl.DataFrame()
    # A symbol has a number in it: "FAO/ILO/IMO" is a list of agencies.
    docs = docs.with_columns(pl.col("match").str.strip_chars_end(".").alias("matched_text")).filter(
        pl.col("matched_text").str.contains(r"\d"))
    ident = pl.col("matched_text").str.replace(r"\s+\(", "(")
    docs = docs.with_columns(ident.alias("instrument_id")).with_columns(
        _document_type(pl.col("instrument_id")).alias("instrument_type"),
        pl.lit(None, pl.Date).alias("cited_date"),
    )
    return _attach(frame, docs.select("_row", "instrument_id", "instrument_type", "cited_date",
                                      "matched_text", "position"))
