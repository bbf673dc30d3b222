"""word_count() (ddl/001_schemas.sql) counts exactly what core.fact_paragraph.words counted
before it: len(string_split_regex(trim(text), '\\s+')), on crafted edge cases, on every
character up to U+30FF next to spaces and words, and on every paragraph of the full build."""

from __future__ import annotations

import itertools

import duckdb
import pytest

from warehouse import db

ORIGINAL = r"len(string_split_regex(trim(s), '\s+'))"

# RE2's \s is [\t\n\f\r ]; trim() strips Unicode space separators (NBSP, U+2000-U+200A,
# U+3000...) at the ends only; \v, U+0085 and U+200B are neither.
EDGE = ["", " ", "  ", "\n", "\t", "\r\n", "\f", "\v", "a", " a ", "\na", "a\n", "a \n b", "a  b",
        "a   b", " a  b ", "a\tb", "a\t b", "\u00a0", "\u00a0a\u00a0", "a\u00a0b", " \u00a0 a", "a \u00a0",
        "a\u2003b", "\u3000a\u3000", "a\x0bb", "\x0b", "a\x0cb", "a\rb", "\u0085", "a\u0085b", "\u200b",
        "a\u200bb", "\n\n", " \n ", "\t \t", "word", "two words", "Three  spaced   words",
        "ends with space ", " starts", "é è", "日本 語", "a\u2028b", "a\u1680b"]


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    db.run_sql(c, (db.SQL_ROOT / "ddl" / "001_schemas.sql").read_text(encoding="utf-8"), name="ddl/001_schemas.sql")
    yield c
    c.close()


def _differences(con, texts: list[str]) -> list[tuple[str, int, int]]:
    return con.execute(f"""
        SELECT s, {ORIGINAL} AS before, word_count(s) AS now
        FROM (SELECT unnest(?::VARCHAR[]) AS s)
        WHERE before IS DISTINCT FROM now""", [texts]).fetchall()


def test_edge_cases(con):
    assert _differences(con, EDGE) == []
    assert con.execute("SELECT word_count(NULL::VARCHAR)").fetchone()[0] is None


def test_every_character_among_spaces_and_words(con):
    chars = [chr(i) for i in range(1, 0x3100) if not 0xD800 <= i <= 0xDFFF]
    texts = []
    for c in chars:
        for a, b in itertools.product(["", " ", "a", "a ", " a", "\n"], repeat=2):
            texts.append(a + c + b)
        texts += [c + c, f"a{c}{c}b", f" {c} ", f"a {c} b"]
    assert _differences(con, texts) == []


def test_every_paragraph_of_the_full_build(full_build):
    con = duckdb.connect(str(full_build.snapshot), read_only=True)
    try:
        con.execute("CREATE TEMP MACRO word_count_before(s) AS " + ORIGINAL)
        rows, wrong = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE words IS DISTINCT FROM word_count_before(text))
            FROM core.fact_paragraph""").fetchone()
    finally:
        con.close()
    assert rows > 80_000 and wrong == 0
