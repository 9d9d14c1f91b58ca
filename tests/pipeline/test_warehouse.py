"""The warehouse against real DuckDB files in tmp_path: migrations, idempotent loads, lineage."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.document import Article, Failure, Removal, sha256_text
from pipeline.raw import StoredRaw
from pipeline.source_state import SourceState
from pipeline.warehouse import (
    ROW_GROUP_ROWS,
    LoadCounts,
    Warehouse,
    WarehouseError,
    new_run_id,
)
from tests.pipeline.warehouse_fixture import MIGRATIONS, older_warehouse
from tests.unprivileged import as_unprivileged

CONFIG_JSON = '{"strip": {"enabled": true}}'
CONFIG_SHA = sha256_text(CONFIG_JSON)
TABLES = ("runs", "articles", "removed_lines", "failures")


def article(article_id: str, text: str = "Body text.", **changes: object) -> Article:
    base = Article(
        article_id=article_id,
        source=f"/in/{article_id}.html",
        url=f"https://example.com/{article_id}",
        title=f"Title {article_id}",
        author=None,
        published_at="2026-11-27",
        site="Example",
        language="en",
        language_prob=0.99,
        text=text,
        words_before=len(text.split()) + 2,
        words_after=len(text.split()),
        content_sha256=sha256_text(text),
        removals=(
            Removal(0, "Read more: other story", "strip.read_more", "read more"),
            Removal(5, "Share on X", "strip.share_follow", "share on"),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def failure(source: str, reason: str = "extract.empty", message: str = "no main text") -> Failure:
    return Failure(source, reason.split(".")[0], reason, "Drop", message)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "presswash.duckdb"


@pytest.fixture
def wh(db_path: Path) -> Iterator[Warehouse]:
    with Warehouse.open(db_path) as warehouse:
        yield warehouse


def started(wh: Warehouse) -> str:
    run_id = new_run_id()
    wh.start_run(run_id, config_json=CONFIG_JSON, config_sha256=CONFIG_SHA, sources=["/in"])
    return run_id


def rows(wh: Warehouse, sql: str) -> list[tuple[object, ...]]:
    return wh._con.execute(sql).fetchall()


def table_sizes(wh: Warehouse) -> dict[str, int]:
    return {t: rows(wh, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}  # type: ignore[misc]


# --- migrations ---------------------------------------------------------------------------


def test_open_creates_parent_dir_applies_migrations_once_and_reopen_is_a_no_op(
    db_path: Path,
) -> None:
    with Warehouse.open(db_path) as wh:
        first = rows(wh, "SELECT name, applied_at FROM _migrations ORDER BY name")
        shipped = sorted(p.name for p in MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
        assert shipped[0] == "001_init.sql"
        assert [name for name, _ in first] == shipped
    with Warehouse.open(db_path) as wh:
        assert rows(wh, "SELECT name, applied_at FROM _migrations ORDER BY name") == first


def test_every_table_and_column_is_commented(wh: Warehouse) -> None:
    uncommented_tables = rows(
        wh, "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL OR comment = ''"
    )
    uncommented_columns = rows(
        wh,
        "SELECT table_name, column_name FROM duckdb_columns()"
        " WHERE NOT internal AND (comment IS NULL OR comment = '')",
    )
    assert uncommented_tables == []
    assert uncommented_columns == []


def test_file_from_newer_code_is_refused(db_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        wh._con.execute("INSERT INTO _migrations VALUES ('999_future.sql', now())")
    with pytest.raises(WarehouseError, match=r"newer presswash.*999_future\.sql"):
        Warehouse.open(db_path)


REBUILT_COLUMNS = (
    "SELECT table_name, column_name, data_type FROM duckdb_columns()"
    " WHERE table_name IN ('articles', 'raw_documents', 'source_state') ORDER BY ALL"
)


def test_a_004_warehouse_loses_its_keys_but_no_row_or_comment(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with duckdb.connect(str(db_path)) as con:
        older_warehouse(con, 4, CONFIG_SHA)
        con.execute(
            "INSERT INTO articles (article_id, source, language, language_prob, text,"
            " words_before, words_after, content_sha256, run_id, ingested_at, raw_sha256)"
            f" VALUES ('a', '/in/a.txt', 'en', 0.9, 'Old text.', 2, 2, '{CONFIG_SHA}', 'r1',"
            f" now(), '{CONFIG_SHA}')"
        )
        con.execute(
            "INSERT INTO raw_documents VALUES"
            f" ('{CONFIG_SHA}', 'text', NULL, NULL, 'zlib', 'x'::BLOB, 1, 'r1', now())"
        )
        con.execute(
            "INSERT INTO source_state VALUES ('https://f.example/', 'feed', NULL, NULL,"
            " now(), 'r1')"
        )
        before = {
            table: con.execute(f"SELECT * FROM {table}").fetchall()
            for table in ("articles", "raw_documents", "source_state")
        }
        columns = con.execute(REBUILT_COLUMNS).fetchall()

    with Warehouse.open(db_path) as wh:
        for table, stored in before.items():
            assert rows(wh, f"SELECT * FROM {table}") == stored
        assert rows(wh, REBUILT_COLUMNS) == columns
        assert rows(
            wh, "SELECT count(*) FROM duckdb_columns() WHERE NOT internal AND comment IS NULL"
        ) == [(0,)]
        assert (
            rows(
                wh,
                "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL"
                " OR table_name LIKE '%unkeyed%'",
            )
            == []
        )
        with pytest.raises(duckdb.ConstraintException):  # the checks came along
            wh._con.execute("UPDATE articles SET language_prob = 2")


def test_the_large_tables_have_no_index_and_the_writer_keeps_their_keys_unique(
    wh: Warehouse,
) -> None:
    """DuckDB 1.5.5 rewrites every index whole at each checkpoint (see 005_unkeyed.sql)."""
    keyed = rows(
        wh,
        "SELECT DISTINCT table_name FROM duckdb_constraints()"
        " WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1",
    )
    assert keyed == [("_migrations",), ("runs",)]
    assert rows(wh, "SELECT count(*) FROM duckdb_indexes()") == [(0,)]

    raw = [StoredRaw(sha256_text(k), "text", None, None, b"x", 1) for k in "ab"]
    state = SourceState("https://f.example/feed", "feed", '"v1"', None)
    run_id = started(wh)
    for text in ("One.", "One.", "Two."):  # inserted, unchanged, updated
        batch = [article("a", text, raw_sha256=raw[0].raw_sha256), article("b", text)]
        states = [state, replace(state, etag='"v2"')]
        wh.load_batch(run_id, batch + batch, [], raw=raw + raw, states=states)
    wh.load_batch(
        started(wh),
        [article("b", "Three.", raw_sha256=raw[1].raw_sha256)],
        [],
        raw=raw,
        states=[state],
    )

    for table, key, stored in (
        ("articles", "article_id", 2),
        ("raw_documents", "raw_sha256", 2),
        ("source_state", "source", 1),
    ):
        sql = f"SELECT count(*), count(DISTINCT {key}) FROM {table}"
        assert rows(wh, sql) == [(stored, stored)], table
    assert rows(wh, "SELECT article_id, text FROM articles ORDER BY 1") == [
        ("a", "Two."),
        ("b", "Three."),
    ]
    assert rows(wh, "SELECT etag FROM source_state") == [('"v1"',)]


def test_the_writer_starts_small_row_groups_and_spills_beside_its_file(
    wh: Warehouse, db_path: Path
) -> None:
    assert rows(wh, "SELECT current_setting('temp_directory')") == [(f"{db_path}.tmp",)]
    run_id = started(wh)
    wh.load_batch(run_id, [article(f"a{i}") for i in range(2 * ROW_GROUP_ROWS + 1)], [])
    wh._con.execute("CHECKPOINT")
    groups = rows(wh, "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('articles')")
    assert groups == [(3,)]


# --- loading ------------------------------------------------------------------------------


def test_new_articles_are_inserted_with_their_removed_lines(wh: Warehouse) -> None:
    run_id = started(wh)
    counts = wh.load_batch(run_id, [article("a"), article("b", removals=())], [])

    assert counts == LoadCounts(inserted=2, updated=0, unchanged=0, failures=0, lines_removed=2)
    assert rows(wh, "SELECT article_id, run_id, updated_at FROM articles ORDER BY 1") == [
        ("a", run_id, None),
        ("b", run_id, None),
    ]
    assert rows(
        wh, "SELECT run_id, article_id, position, reason FROM removed_lines ORDER BY position"
    ) == [(run_id, "a", 0, "strip.read_more"), (run_id, "a", 5, "strip.share_follow")]


def test_same_input_again_is_unchanged_and_adds_no_rows(wh: Warehouse) -> None:
    batch = [article("a"), article("b")]
    failures = [failure("/in/broken.html")]
    first_run = started(wh)
    wh.load_batch(first_run, batch, failures)
    before = rows(wh, "SELECT * FROM articles ORDER BY article_id")
    sizes = table_sizes(wh)

    # A retried batch within the same run must not add anything either.
    again = wh.load_batch(first_run, batch, failures)
    assert again == LoadCounts(unchanged=2)
    assert table_sizes(wh) == sizes

    second_run = started(wh)
    counts = wh.load_batch(second_run, batch, [])
    assert counts == LoadCounts(unchanged=2)
    assert rows(wh, "SELECT * FROM articles ORDER BY article_id") == before
    assert table_sizes(wh) == {**sizes, "runs": sizes["runs"] + 1}


def test_an_article_changed_twice_in_one_run_keeps_only_its_last_version(wh: Warehouse) -> None:
    run = started(wh)
    wh.load_batch(run, [article("a")], [])
    changed = article(
        "a", text="New body text.", removals=(Removal(2, "Sign up", "strip.signup_consent", "x"),)
    )
    assert wh.load_batch(run, [changed], []).updated == 1
    assert rows(wh, "SELECT run_id, text FROM article_versions") == [(run, "New body text.")]
    assert rows(wh, "SELECT position, reason FROM removed_lines") == [(2, "strip.signup_consent")]


def test_changed_text_updates_the_row_and_adds_a_version_with_its_removed_lines(
    wh: Warehouse,
) -> None:
    first_run = started(wh)
    wh.load_batch(first_run, [article("a"), article("b")], [])
    (ingested_at,) = rows(wh, "SELECT ingested_at FROM articles WHERE article_id = 'a'")[0]

    second_run = started(wh)
    changed = article(
        "a",
        text="New body text.",
        removals=(Removal(3, "Subscribe now", "strip.signup_consent", "subscribe"),),
    )
    counts = wh.load_batch(second_run, [changed, article("b")], [])

    assert counts == LoadCounts(inserted=0, updated=1, unchanged=1, lines_removed=1)
    stored = rows(
        wh,
        "SELECT text, content_sha256, run_id, ingested_at, updated_at IS NOT NULL"
        " FROM articles WHERE article_id = 'a'",
    )
    assert stored == [
        ("New body text.", sha256_text("New body text."), second_run, ingested_at, True)
    ]
    # removed_lines and article_versions are history: each version keeps its own lines.
    assert sorted(
        rows(wh, "SELECT run_id, position, reason FROM removed_lines WHERE article_id = 'a'")
    ) == sorted(
        [
            (first_run, 0, "strip.read_more"),
            (first_run, 5, "strip.share_follow"),
            (second_run, 3, "strip.signup_consent"),
        ]
    )
    assert rows(
        wh, "SELECT run_id, text FROM article_versions WHERE article_id = 'a' ORDER BY written_at"
    ) == [(first_run, "Body text."), (second_run, "New body text.")]
    # The unchanged article keeps its lines from the first run.
    assert rows(wh, "SELECT DISTINCT run_id FROM removed_lines WHERE article_id = 'b'") == [
        (first_run,)
    ]


def test_duplicate_ids_in_one_batch_keep_the_last_copy(wh: Warehouse) -> None:
    run_id = started(wh)
    old = article("a", text="First reading.")
    new = article(
        "a",
        text="Second reading.",
        removals=(Removal(1, "Advertisement", "strip.ad_marker", "advertisement"),),
    )
    counts = wh.load_batch(run_id, [old, article("b"), new], [])

    assert counts == LoadCounts(inserted=2, lines_removed=3)
    assert rows(wh, "SELECT text FROM articles WHERE article_id = 'a'") == [("Second reading.",)]
    assert rows(wh, "SELECT reason FROM removed_lines WHERE article_id = 'a'") == [
        ("strip.ad_marker",)
    ]


def test_failures_are_stored_once_per_source_and_reason_within_a_run(wh: Warehouse) -> None:
    run_id = started(wh)
    counts = wh.load_batch(
        run_id,
        [],
        [
            failure("/in/x.html", message="first"),
            failure("/in/x.html", message="second"),
            failure("/in/x.html", reason="lang.undetermined"),
            failure("/in/y.gz", reason="read.bad_gzip"),
        ],
    )
    later = wh.load_batch(run_id, [], [failure("/in/x.html"), failure("/in/z.html")])

    assert counts == LoadCounts(failures=3)
    assert later == LoadCounts(failures=1)
    assert rows(
        wh, "SELECT run_id, source, stage, reason, error_class, message FROM failures ORDER BY 2, 4"
    ) == [
        (run_id, "/in/x.html", "extract", "extract.empty", "Drop", "first"),
        (run_id, "/in/x.html", "lang", "lang.undetermined", "Drop", "no main text"),
        (run_id, "/in/y.gz", "read", "read.bad_gzip", "Drop", "no main text"),
        (run_id, "/in/z.html", "extract", "extract.empty", "Drop", "no main text"),
    ]
    # Another run records its own failures: they are facts about that run.
    assert wh.load_batch(started(wh), [], [failure("/in/x.html")]) == LoadCounts(failures=1)


def test_a_failing_batch_rolls_back_completely(wh: Warehouse) -> None:
    run_id = started(wh)
    wh.load_batch(run_id, [article("kept")], [])
    sizes = table_sizes(wh)
    bad = [
        article("a"),
        article("kept", text="Changed text."),
        article("b", language_prob=1.5),
    ]

    with pytest.raises(WarehouseError, match=r"rolled back.*language_prob"):
        wh.load_batch(run_id, bad, [failure("/in/x.html")])

    assert table_sizes(wh) == sizes
    assert rows(wh, "SELECT text FROM articles WHERE article_id = 'kept'") == [("Body text.",)]
    # The connection is still usable after the rollback.
    assert wh.load_batch(run_id, [article("a")], []) == LoadCounts(inserted=1, lines_removed=2)


def test_batches_need_a_running_run(wh: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="no such run"):
        wh.load_batch("20260101T000000Z-000000", [article("a")], [])
    run_id = started(wh)
    wh.finish_run(run_id, "completed", LoadCounts(), documents_seen=0)
    with pytest.raises(WarehouseError, match="it is completed"):
        wh.load_batch(run_id, [article("a")], [])
    assert table_sizes(wh)["articles"] == 0


# --- runs ---------------------------------------------------------------------------------


def test_run_goes_from_running_to_completed_with_its_counts(wh: Warehouse) -> None:
    run_id = new_run_id()
    wh.start_run(
        run_id,
        config_json=CONFIG_JSON,
        config_sha256=CONFIG_SHA,
        flow_run_id="flow-123",
        sources=["/in/a", "https://example.com/feed"],
    )
    assert rows(wh, f"SELECT status, finished_at FROM runs WHERE run_id = '{run_id}'") == [
        ("running", None)
    ]

    totals = wh.load_batch(run_id, [article("a")], []) + wh.load_batch(
        run_id, [article("a"), article("b")], [failure("/in/x.html")]
    )
    wh.finish_run(run_id, "completed", totals, documents_seen=4)

    (row,) = rows(
        wh,
        "SELECT flow_run_id, status, finished_at >= started_at, config_sha256,"
        " config_json->>'$.strip.enabled', sources->>'$[1]', documents_seen, articles_inserted,"
        " articles_updated, articles_unchanged, failures, lines_removed"
        f" FROM runs WHERE run_id = '{run_id}'",
    )
    assert row == (
        "flow-123",
        "completed",
        True,
        CONFIG_SHA,
        "true",
        "https://example.com/feed",
        4,
        2,
        0,
        1,
        1,
        4,
    )
    with pytest.raises(WarehouseError, match="it is completed"):
        wh.finish_run(run_id, "failed", totals, documents_seen=4)


def test_run_ids_are_unique_and_sort_by_time() -> None:
    ids = [new_run_id() for _ in range(200)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{12}", i) for i in ids)
    assert [i[:16] for i in ids] == sorted(i[:16] for i in ids)


def test_duplicate_run_id_is_refused(wh: Warehouse) -> None:
    run_id = started(wh)
    with pytest.raises(WarehouseError, match=f"cannot start run {run_id}"):
        wh.start_run(run_id, config_json=CONFIG_JSON, config_sha256=CONFIG_SHA)


def test_run_summary(wh: Warehouse) -> None:
    first_run = started(wh)
    wh.load_batch(first_run, [article("a"), article("b")], [])
    wh.finish_run(first_run, "completed", LoadCounts(inserted=2, lines_removed=4), 2)

    run_id = started(wh)
    totals = wh.load_batch(
        run_id,
        [
            article("a"),  # unchanged: stays with the first run
            article("b", text="Changed body."),
            article("c", language="de", removals=()),
            article("d", language="und", language_prob=0.4),
        ],
        [failure("/in/x.html"), failure("/in/y.html"), failure("/in/z.gz", "read.bad_gzip")],
    )
    wh.finish_run(run_id, "failed", totals, documents_seen=7)

    summary = wh.run_summary(run_id)
    assert summary.run_id == run_id
    assert summary.status == "failed"
    assert summary.finished_at is not None and summary.finished_at >= summary.started_at
    assert summary.documents_seen == 7
    assert summary.counts == LoadCounts(
        inserted=2, updated=1, unchanged=1, failures=3, lines_removed=4
    )
    assert summary.by_language == {"de": 1, "en": 1, "und": 1}
    assert summary.removed_by_reason == {"strip.read_more": 2, "strip.share_follow": 2}
    assert summary.failures_by_reason == {"extract.empty": 2, "read.bad_gzip": 1}
    assert wh.run_summary(first_run).by_language == {"en": 1}


def test_run_summary_counts_by_publisher_and_keeps_stage_seconds(wh: Warehouse) -> None:
    run_id = started(wh)
    wh.load_batch(
        run_id,
        [
            article("a"),
            article("b"),
            article("c", site=None),
            article("d", site=None, url=None, source="/in/texts/d.txt"),
            article("e", site=None, url=None, source="/in/feed.jsonl#3"),
        ],
        [],
    )
    wh.finish_run(run_id, "completed", LoadCounts(inserted=5), 5, {"extract": 1.5, "load": 0.25})
    summary = wh.run_summary(run_id)
    # the same rule as the views' source_name: site, else URL host, else the file's folder
    assert summary.by_source == {"Example": 2, "example.com": 1, "texts": 1, "in": 1}
    assert summary.stage_seconds == {"extract": 1.5, "load": 0.25}


def test_run_summary_of_unknown_run(wh: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="no run nope"):
        wh.run_summary("nope")


def test_load_counts_add_up() -> None:
    total = LoadCounts(1, 2, 3, 4, 5) + LoadCounts(10, 20, 30, 40, 50)
    assert total == LoadCounts(11, 22, 33, 44, 55)
    assert sum([LoadCounts(1, 0, 0, 0, 0)] * 3, LoadCounts()) == LoadCounts(inserted=3)


# --- errors a user can act on -------------------------------------------------------------


def test_file_held_by_another_process_gives_a_friendly_error(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time, duckdb
                con = duckdb.connect({str(db_path)!r})
                print("ready", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseError) as caught:
            Warehouse.open(db_path)
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert message.startswith(f"{db_path} is in use by another process (PID {holder.pid})")
    assert "use --db to write elsewhere" in message
    # Once the holder is gone the file opens again.
    Warehouse.open(db_path).close()


def test_garbage_file_gives_an_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "presswash.duckdb"
    path.write_bytes(b"this is not a database\n" * 500)
    with pytest.raises(WarehouseError, match="is damaged") as caught:
        Warehouse.open(path)
    assert str(caught.value).startswith(str(path))
    assert "move it aside" in str(caught.value)


def test_corrupt_blocks_give_an_error_naming_the_path(db_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        wh.start_run(new_run_id(), config_json=CONFIG_JSON, config_sha256=CONFIG_SHA)
    data = bytearray(db_path.read_bytes())
    data[8192:] = b"A" * (len(data) - 8192)
    db_path.write_bytes(bytes(data))
    with pytest.raises(WarehouseError, match="is damaged") as caught:
        Warehouse.open(db_path)
    assert str(caught.value).startswith(str(db_path))


def test_other_open_errors_still_name_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(WarehouseError, match="cannot create the warehouse directory"):
        Warehouse.open(blocker / "presswash.duckdb")


# --- reliability: waiting for the lock, interrupted runs, damage and storage faults -------------


def hold_lock(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that holds the warehouse open for ``seconds``, then lets go."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time, duckdb\ncon = duckdb.connect({str(db_path)!r})\n"
            f"print('ready', flush=True)\ntime.sleep({seconds})\ncon.close()",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def test_open_waits_for_a_lock_that_is_released_in_time(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    holder = hold_lock(db_path, 1.0)
    try:
        start = time.monotonic()
        Warehouse.open(db_path, lock_timeout_seconds=30).close()
        assert 0.3 < time.monotonic() - start < 20
    finally:
        holder.kill()
        holder.wait()


def test_open_gives_up_after_the_lock_timeout_with_a_sentence(db_path: Path) -> None:
    Warehouse.open(db_path).close()
    holder = hold_lock(db_path, 60)
    try:
        start = time.monotonic()
        with pytest.raises(WarehouseError) as caught:
            Warehouse.open(db_path, lock_timeout_seconds=1)
        assert 1 <= time.monotonic() - start < 10
    finally:
        holder.kill()
        holder.wait()
    assert str(caught.value).startswith(
        f"{db_path} is in use by another process (PID {holder.pid})"
        " (waited 1 s, warehouse.lock_timeout_seconds)"
    )


def test_a_new_run_marks_interrupted_runs_failed_without_a_finish_time(wh: Warehouse) -> None:
    done, crashed = started(wh), started(wh)
    assert rows(wh, "SELECT status FROM runs ORDER BY started_at") == [("failed",), ("running",)]
    wh.finish_run(crashed, "completed", LoadCounts(), 0)
    with pytest.raises(WarehouseError, match="it is failed"):
        wh.finish_run(done, "completed", LoadCounts(), 0)
    assert rows(wh, f"SELECT status, finished_at FROM runs WHERE run_id = '{done}'") == [
        ("failed", None)
    ]


def test_damage_found_only_at_query_time_is_reported_as_damage(db_path: Path) -> None:
    with Warehouse.open(db_path) as wh:
        run_id = started(wh)
        wh.load_batch(run_id, [article(f"a{i}", "word " * 2000 + str(i)) for i in range(300)], [])
        wh._con.execute("CHECKPOINT")
    data = bytearray(db_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 100] = b"X" * 100
    db_path.write_bytes(bytes(data))
    with Warehouse.open(db_path) as wh:  # the damage is in data blocks: it opens
        run_id = started(wh)
        with pytest.raises(WarehouseError) as caught:
            wh.load_batch(run_id, [article(f"a{i}", "changed") for i in range(300)], [])
    message = str(caught.value)
    assert "was rolled back, nothing of it was written" in message
    assert f"{db_path} is damaged" in message and "move it aside" in message


def test_a_read_only_directory_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = as_unprivileged(
            "from pathlib import Path\nfrom pipeline.warehouse import Warehouse, WarehouseError\n"
            f"try:\n    Warehouse.open(Path({str(folder / 'w.duckdb')!r}))\n"
            "except WarehouseError as exc:\n    print(exc)\n"
        )
    finally:
        folder.chmod(0o755)
    assert done.stdout.startswith(f"cannot write the warehouse {folder / 'w.duckdb'}: presswash")
    assert "permission denied" in done.stdout and "use --db" in done.stdout
    assert list(folder.iterdir()) == []


DISK_FULL = """
import os
import shutil
from pathlib import Path
from pipeline.warehouse import LoadCounts, Warehouse, WarehouseError, new_run_id
from tests.pipeline.test_warehouse import CONFIG_JSON, CONFIG_SHA, article
path = Path(os.environ["TINY"]) / "w.duckdb"
filler = path.parent / "filler"
with Warehouse.open(path) as wh:
    first = new_run_id()
    wh.start_run(first, config_json=CONFIG_JSON, config_sha256=CONFIG_SHA)
    wh.load_batch(first, [article("checkpointed")], [])
    wh.finish_run(first, "completed", LoadCounts(), 1)
    run_id = new_run_id()
    wh.start_run(run_id, config_json=CONFIG_JSON, config_sha256=CONFIG_SHA)
    wh.load_batch(run_id, [article("in the log")], [])
    filler.write_bytes(bytes(shutil.disk_usage(path.parent).free - 100_000))
    try:
        wh.load_batch(run_id, [article(f"b{i}", os.urandom(4000).hex()) for i in range(400)], [])
    except WarehouseError as exc:
        print(exc)
    print(wh._con.execute("SELECT count(*) FROM articles").fetchone()[0])
filler.unlink()
with Warehouse.open(path) as wh:
    print(wh._con.execute("SELECT string_agg(article_id ORDER BY 1) FROM articles").fetchone()[0])
"""


def test_a_full_disk_is_a_clear_error_and_leaves_no_half_batch(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    mount = f"mount -t tmpfs -o size=8m tmpfs {tiny} && exec {sys.executable} -c '{DISK_FULL}'"
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", mount],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TINY": str(tiny), "PYTHONPATH": str(Path(__file__).parents[2])},
        check=False,
    )
    if "mount" in done.stderr and done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    message, count, recovered = done.stdout.strip().splitlines()
    assert message.startswith("batch of 400 articles and 0 failures for run")
    assert "nothing of it was written: cannot write the warehouse" in message
    assert "the disk is full" in message
    assert count == "2"  # the connection still sees only the committed batches
    # once space is free the file opens with every committed batch and no half batch
    assert recovered == "checkpointed,in the log"


CRASH_IN_MIGRATION = """
import os, sys, duckdb
from pipeline.warehouse import _known_migrations
con = duckdb.connect(sys.argv[1])
for name, sql in _known_migrations():
    con.begin()
    con.execute(sql)
    con.execute("INSERT INTO _migrations VALUES (?, now())", [name])
    con.commit()
os.kill(os.getpid(), 9)
"""

CRASH_AFTER_A_BATCH = """
import os, sys
from pathlib import Path
from tests.pipeline.test_warehouse import article, started
from pipeline.warehouse import Warehouse
wh = Warehouse.open(Path(sys.argv[1]))
wh.load_batch(started(wh), [article("a"), article("b")], [])
os.kill(os.getpid(), 9)
"""


def crash_in(code: str, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-c", code, str(db_path)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        check=False,
        timeout=60,
    )


def test_a_log_of_schema_changes_left_by_a_crash_is_replayed(db_path: Path) -> None:
    """``connect(file)`` on DuckDB 1.5.5 cannot replay such a log; the attached file can."""
    crash_in(CRASH_IN_MIGRATION, db_path)
    assert Path(f"{db_path}.wal").stat().st_size > 0
    with Warehouse.open(db_path) as wh:
        shipped = sorted(p.name for p in MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
        assert [n for (n,) in rows(wh, "SELECT name FROM _migrations ORDER BY 1")] == shipped
        wh.load_batch(started(wh), [article("a")], [])


def test_a_damaged_log_is_explained(db_path: Path) -> None:
    crash_in(CRASH_AFTER_A_BATCH, db_path)
    wal = Path(f"{db_path}.wal")
    data = bytearray(wal.read_bytes())
    assert len(data) > 200, "the batch is in the log, not yet in the file"
    data[100:200] = bytes(b ^ 0xFF for b in data[100:200])
    wal.write_bytes(bytes(data))
    with pytest.raises(WarehouseError) as caught:
        Warehouse.open(db_path)
    assert str(caught.value).startswith(f"{db_path}: its write-ahead log {wal}")
    assert "Move the .wal file aside and run the same ingest again" in str(caught.value)
    wal.rename(f"{wal}.aside")
    with Warehouse.open(db_path) as wh:
        assert rows(wh, "SELECT count(*) FROM articles") == [(0,)]


def test_a_crash_right_after_migrating_leaves_a_file_that_opens(db_path: Path) -> None:
    crash_in(
        "import os, sys\nfrom pathlib import Path\nfrom pipeline.warehouse import Warehouse\n"
        "Warehouse.open(Path(sys.argv[1]))\nos.kill(os.getpid(), 9)\n",
        db_path,
    )
    with Warehouse.open(db_path) as wh:
        shipped = len(list(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")))
        assert rows(wh, "SELECT count(*) FROM _migrations") == [(shipped,)]


# --- remote sources: source state and HTTP status ------------------------------------------


def test_source_state_commits_with_its_batch_and_rolls_back_with_it(wh: Warehouse) -> None:
    run_id = started(wh)
    feed = SourceState("https://news.example/feed", "feed", '"v1"', "Fri, 27 Nov 2026 10:00 GMT")
    with pytest.raises(WarehouseError, match="rolled back"):
        wh.load_batch(run_id, [article("b", language_prob=1.5)], [], states=[feed])
    assert wh.source_states() == {}

    wh.load_batch(run_id, [article("a")], [], states=[feed])
    assert wh.source_states() == {feed.source: feed}
    newer = replace(feed, etag='"v2"')
    wh.load_batch(run_id, [], [], states=[newer])
    assert wh.source_states() == {feed.source: newer}
    assert rows(wh, "SELECT count(*), any_value(run_id) FROM source_state") == [(1, run_id)]


def test_failures_keep_their_http_status(wh: Warehouse) -> None:
    run_id = started(wh)
    wh.load_batch(run_id, [], [replace(failure("https://x.example/a"), http_status=404)])
    assert rows(wh, "SELECT source, http_status FROM failures") == [("https://x.example/a", 404)]


def test_seen_urls_match_the_url_or_the_source_of_stored_articles(wh: Warehouse) -> None:
    run_id = started(wh)
    wh.load_batch(run_id, [article("a", source="https://feed.example/a?x=1")], [])
    candidates = ["https://example.com/a", "https://feed.example/a?x=1", "https://example.com/b"]
    assert wh.seen_urls(candidates) == {"https://example.com/a", "https://feed.example/a?x=1"}


def test_a_001_warehouse_is_upgraded_keeping_its_articles_as_first_versions(
    db_path: Path,
) -> None:
    from importlib import resources

    db_path.parent.mkdir(parents=True)
    init = resources.files("warehouse").joinpath("migrations/001_init.sql").read_text()
    with duckdb.connect(str(db_path)) as con:
        con.execute(init)
        con.execute("INSERT INTO _migrations VALUES ('001_init.sql', now())")
        con.execute(
            "INSERT INTO runs (run_id, status, started_at, config_sha256, config_json, sources)"
            f" VALUES ('r1', 'completed', now(), '{CONFIG_SHA}', '{{}}', '[]')"
        )
        con.execute(
            "INSERT INTO articles (article_id, source, language, language_prob, text,"
            " words_before, words_after, content_sha256, run_id, ingested_at)"
            f" VALUES ('a', '/in/a.txt', 'en', 0.9, 'Old text.', 2, 2, '{CONFIG_SHA}', 'r1',"
            " now())"
        )

    with Warehouse.open(db_path) as wh:
        shipped = sorted(p.name for p in MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
        assert [name for (name,) in rows(wh, "SELECT name FROM _migrations ORDER BY name")] == (
            shipped
        )
        assert rows(wh, "SELECT article_id, run_id, text, raw_sha256 FROM current_articles") == [
            ("a", "r1", "Old text.", None)
        ]
        assert rows(wh, "SELECT kind FROM runs") == [("ingest",)]
