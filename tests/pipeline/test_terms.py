"""The workers' Python tokeniser makes exactly the terms the warehouse's SQL macros make."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.terms
from pipeline.search import load_fts
from pipeline.terms import term_counts, term_keys, words
from tests.pipeline.warehouse_fixture import MIGRATIONS

# Letters, marks, digits and punctuation of many scripts, with the characters whose lower
# case differs between Python and DuckDB (İ, Σ) and words that stem.
_TEXT = st.lists(
    st.characters(
        codec="utf-8",
        categories=("L", "M", "N", "P", "Zs"),
        max_codepoint=0x2FFFF,
        exclude_characters="\x00",
    )
    | st.sampled_from(["İ", "Σ", "ς", "é", "ö", "ﬁ", "Ǆ", "ǅ", "ß", "ẞ", "ŉ", "½", "²", " "])
    | st.sampled_from([" floods ", " running ", " Köln ", " Москва ", " 서울 ", " ΣΟΦΙΑΣ "]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_python_terms_equal_the_sql_macros_terms(text: str) -> None:
    """The workers' term keys (Python) and the queries' (SQL macros) must agree, or a query
    misses words the index holds."""
    sql_keys = _macros().execute("SELECT search_keys_of(?)", [text]).fetchone()
    assert sql_keys is not None
    assert term_keys(words(text)) == sql_keys[0]


@cache
def _macros() -> duckdb.DuckDBPyConnection:
    """A bare connection with only the search macros of migrations 006 and 007."""
    con = duckdb.connect()
    load_fts(con)
    for name in ("006_search_index.sql", "007_search_keys.sql"):
        sql = (MIGRATIONS / name).read_text()
        for statement in re.findall(r"^CREATE MACRO .*?;$", sql, re.MULTILINE | re.DOTALL):
            con.execute(statement)
    return con


def test_keys_stay_right_when_the_cache_overflows(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(f"word{i} flooding" for i in range(40))
    expected = term_keys(words(text))
    monkeypatch.setattr(pipeline.terms, "TERM_CACHE", 8)
    monkeypatch.setattr(pipeline.terms, "_keys", {})
    assert term_keys(words(text)) == expected
    assert term_keys(words(text)) == expected


def test_the_workers_tokeniser_loads_neither_duckdb_nor_arrow() -> None:
    """Each extraction worker imports the per-document steps; DuckDB and Arrow would add
    ~55 MB to each."""
    code = "import sys, pipeline.process; print(sorted({'duckdb', 'pyarrow'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_term_counts_fold_words_with_one_stem_and_count_the_title() -> None:
    counts = term_counts("Floods", "Flooding floods flooded river. River!")
    flood, river = term_keys(["flood", "river"])
    assert counts == {flood: 4, river: 2}
