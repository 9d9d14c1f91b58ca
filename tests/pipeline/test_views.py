"""The analyst views on a fixture warehouse: known numbers, and only completed runs count."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from pipeline.warehouse import snapshot_path
from tests.pipeline.warehouse_fixture import build


@pytest.fixture(scope="module")
def fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[duckdb.DuckDBPyConnection, str, str]]:
    db = tmp_path_factory.mktemp("views") / "w.duckdb"
    first, second = build(db)
    con = duckdb.connect(str(snapshot_path(db)), read_only=True)
    yield con, first, second
    con.close()


Fixture = tuple[duckdb.DuckDBPyConnection, str, str]


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def test_current_articles_are_the_latest_versions_of_completed_runs(fixture: Fixture) -> None:
    con, first, second = fixture
    assert rows(con, "SELECT article_id, run_id, text FROM current_articles ORDER BY 1") == [
        ("a", second, "Flood waters fell along the river by the morning."),
        ("b", first, "Der Fluss trat über die Ufer."),  # the failed run's change is invisible
        ("c", first, "Rain again on Sunday."),
        ("d", second, "Dry weather is forecast for the week."),
    ]
    assert rows(con, "SELECT source_name FROM current_articles ORDER BY article_id") == [
        ("Daily Planet",),
        ("zeitung.example",),  # no site name: the URL host
        ("Daily Planet",),
        ("Daily Planet",),
    ]


def test_daily_articles(fixture: Fixture) -> None:
    con, _, _ = fixture
    assert rows(
        con,
        "SELECT day::VARCHAR, is_published_date, source_name, language, articles"
        " FROM daily_articles WHERE is_published_date ORDER BY ALL",
    ) == [
        ("2026-11-20", True, "Daily Planet", "en", 1),
        ("2026-11-20", True, "zeitung.example", "de", 1),
        ("2026-11-21", True, "Daily Planet", "en", 1),
    ]
    # The undated article counts on the day it was first seen.
    assert rows(
        con,
        "SELECT day = current_date, articles FROM daily_articles WHERE NOT is_published_date",
    ) == [(True, 1)]


def test_removed_by_reason_and_site_count_only_current_versions(fixture: Fixture) -> None:
    con, _, _ = fixture
    # a's first version lost a read-more and a share line; its current one only a sign-up.
    assert rows(con, "SELECT * FROM removed_by_reason ORDER BY reason") == [
        ("strip.ad_marker", 1, 1, 25.0),
        ("strip.read_more", 2, 2, 50.0),
        ("strip.signup_consent", 1, 1, 25.0),
    ]
    assert rows(con, "SELECT * FROM removed_by_site ORDER BY reason") == [
        ("Daily Planet", "strip.ad_marker", 1, 1),
        ("Daily Planet", "strip.read_more", 2, 2),
        ("Daily Planet", "strip.signup_consent", 1, 1),
    ]


def test_failures_by_kind_per_completed_run(fixture: Fixture) -> None:
    con, first, second = fixture
    assert rows(
        con, "SELECT run_id, stage, reason, failures FROM failures_by_kind ORDER BY ALL"
    ) == sorted(
        [
            (first, "extract", "extract.empty", 1),
            (first, "read", "read.empty", 1),
            (second, "quality", "quality.too_few_words", 1),
        ]
    )


def test_run_overview_lists_completed_runs_with_durations_and_counts(fixture: Fixture) -> None:
    con, first, second = fixture
    overview = rows(
        con,
        "SELECT run_id, kind, seconds >= 0, articles_inserted, articles_updated, failures"
        " FROM run_overview ORDER BY started_at",
    )
    assert overview == [(first, "ingest", True, 3, 0, 2), (second, "ingest", True, 1, 1, 1)]
    assert rows(con, "SELECT count(*) FROM runs") == [(4,)]
