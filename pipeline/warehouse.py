"""The DuckDB warehouse: migrations, run lineage and idempotent batch loading.

One ``Warehouse`` holds one read-write connection, and DuckDB locks the file for as long as
it is open, so a second writer fails at ``open``; that error is reworded for the person at the
terminal. Each batch is one transaction (articles, removed lines and failures together), so a
crash never leaves half a batch, and a run is marked ``completed`` only by ``finish_run``, after
the caller has committed every batch.

Loading is set-based: a batch becomes Arrow tables, is deduplicated and classified against the
stored rows in SQL, then written with a few ``INSERT … SELECT`` statements. Rows whose
``content_sha256`` did not change are not rewritten at all, which keeps re-runs cheap and the
file from growing (a full upsert on DuckDB 1.5.5 rewrites every row).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, cast

import duckdb
import pyarrow as pa

from pipeline.document import Article, Failure
from pipeline.duckdb_memory import apply_limits
from pipeline.heap import trim_heap
from pipeline.raw import StoredRaw
from pipeline.search import clear_index, index_terms, load_fts, registered
from pipeline.source_state import SourceState
from pipeline.terms import term_counts

RunStatus = Literal["running", "completed", "failed"]

_MIGRATION_FILE = re.compile(r"\d{3}_[a-z0-9_]+\.sql")
_LOCK_HOLDER = re.compile(r"Could not set lock on file.*\(PID (\d+)\)", re.DOTALL)
_LOCK_POLL_SECONDS = 0.5
ROW_GROUP_ROWS = 2048
"""Rows per row group in the warehouse file (DuckDB's default is 122,880); see
``_connect_and_migrate``."""
REINDEX_CHUNK = 1000
"""Articles per transaction when the search index is rebuilt whole: memory stays flat."""
_STORAGE_PROBLEMS = {
    "No space left on device": "the disk is full",
    "Disk quota exceeded": "the disk quota is used up",
    "File too large": "the file has reached the size the system allows",
    "Read-only file system": "the file system is read-only",
    "Permission denied": "presswash is not allowed to write there (permission denied)",
}
_DAMAGED_MARKERS = (
    "not a valid DuckDB database file",
    "Corrupt database file",
    "Could not read enough bytes",
)

_ARTICLES_SCHEMA = pa.schema(
    [
        ("ordinal", pa.int64()),
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("published_at", pa.string()),
        ("site", pa.string()),
        ("language", pa.string()),
        ("language_prob", pa.float64()),
        ("text", pa.string()),
        ("words_before", pa.int64()),
        ("words_after", pa.int64()),
        ("content_sha256", pa.string()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("raw_sha256", pa.string()),
        ("cleaner_version", pa.string()),
    ]
)
_RAW_SCHEMA = pa.schema(
    [
        ("raw_sha256", pa.string()),
        ("kind", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("content", pa.binary()),
        ("content_bytes", pa.int64()),
    ]
)
_REMOVALS_SCHEMA = pa.schema(
    [
        ("ordinal", pa.int64()),
        ("article_id", pa.string()),
        ("position", pa.int64()),
        ("text", pa.string()),
        ("reason", pa.string()),
        ("evidence", pa.string()),
    ]
)
_FAILURES_SCHEMA = pa.schema(
    [
        ("ordinal", pa.int64()),
        ("source", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("error_class", pa.string()),
        ("message", pa.string()),
        ("http_status", pa.int32()),
    ]
)
_STATES_SCHEMA = pa.schema(
    [
        ("ordinal", pa.int64()),
        ("source", pa.string()),
        ("kind", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
    ]
)

# Within a batch the last copy of an article wins (it is the most recent reading of it);
# each copy is classified against the stored row by content hash.
_STAGE_ARTICLES = """
CREATE OR REPLACE TEMP TABLE _staged_articles AS
WITH batch AS (
    SELECT * FROM _batch_articles
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY ordinal DESC) = 1
)
SELECT
    batch.*,
    CASE
        WHEN stored.article_id IS NULL THEN 'inserted'
        WHEN stored.content_sha256 <> batch.content_sha256 THEN 'updated'
        ELSE 'unchanged'
    END AS outcome,
    stored.raw_sha256 AS stored_raw_sha256
FROM batch LEFT JOIN articles AS stored USING (article_id)
"""

_COUNT_OUTCOMES = """
SELECT
    count(*) FILTER (WHERE outcome = 'inserted'),
    count(*) FILTER (WHERE outcome = 'updated'),
    count(*) FILTER (WHERE outcome = 'unchanged')
FROM _staged_articles
"""

# A version is (article_id, run_id): an article changed twice within one run keeps only the
# last, so a retried or repeated batch never leaves two versions or mixed removed lines.
_DELETE_SAME_RUN_VERSIONS = [
    f"""
DELETE FROM {table}
WHERE run_id = $run_id
  AND article_id IN (SELECT article_id FROM _staged_articles WHERE outcome = 'updated')
"""
    for table in ("removed_lines", "article_versions")
]

# Raw input is stored once per hash, for every article written now and for stored articles
# that predate raw storage (their row then learns its raw_sha256 without being rewritten).
_INSERT_RAW = """
INSERT INTO raw_documents (
    raw_sha256, kind, title, url, codec, content, content_bytes, run_id, stored_at
)
SELECT raw_sha256, kind, title, url, 'zlib', content, content_bytes, $run_id, now()
FROM (
    SELECT * FROM _batch_raw
    WHERE raw_sha256 IN (
        SELECT raw_sha256 FROM _staged_articles
        WHERE outcome <> 'unchanged' OR stored_raw_sha256 IS NULL
    )
      AND raw_sha256 NOT IN (SELECT raw_sha256 FROM raw_documents)
    QUALIFY row_number() OVER (PARTITION BY raw_sha256) = 1
)
"""

_BACKFILL_RAW_SHA = """
UPDATE articles SET raw_sha256 = s.raw_sha256
FROM _staged_articles AS s
WHERE articles.article_id = s.article_id AND s.outcome = 'unchanged'
  AND s.stored_raw_sha256 IS NULL AND s.raw_sha256 IS NOT NULL
"""

_INSERT_VERSIONS = """
INSERT INTO article_versions
SELECT
    article_id, $run_id, source, url, title, author, published_at, site, language,
    language_prob, text, words_before, words_after, content_sha256, raw_sha256,
    cleaner_version, now()
FROM _staged_articles
WHERE outcome <> 'unchanged'
"""

# Only inserted and updated rows are written, so unchanged rows are never rewritten;
# ingested_at keeps the first insertion time. The staging step classified each id against
# the stored rows, which is what keeps article_id unique without an index (see 005_unkeyed).
_UPDATE_ARTICLES = """
UPDATE articles SET
    source = s.source,
    url = s.url,
    title = s.title,
    author = s.author,
    published_at = s.published_at,
    site = s.site,
    language = s.language,
    language_prob = s.language_prob,
    text = s.text,
    words_before = s.words_before,
    words_after = s.words_after,
    content_sha256 = s.content_sha256,
    raw_sha256 = s.raw_sha256,
    cleaner_version = s.cleaner_version,
    run_id = $run_id,
    fetched_at = s.fetched_at,
    updated_at = now()
FROM _staged_articles AS s
WHERE articles.article_id = s.article_id AND s.outcome = 'updated'
"""

_INSERT_ARTICLES = """
INSERT INTO articles (
    article_id, source, url, title, author, published_at, site, language, language_prob,
    text, words_before, words_after, content_sha256, raw_sha256, cleaner_version, run_id,
    ingested_at, fetched_at
)
SELECT
    article_id, source, url, title, author, published_at, site, language, language_prob,
    text, words_before, words_after, content_sha256, raw_sha256, cleaner_version, $run_id,
    now(), fetched_at
FROM _staged_articles
WHERE outcome = 'inserted'
"""

# Joining on ordinal keeps only the removals of the copy of each article that was kept.
_INSERT_REMOVALS = """
INSERT INTO removed_lines (run_id, article_id, position, text, reason, evidence)
SELECT $run_id, r.article_id, r.position, r.text, r.reason, r.evidence
FROM _batch_removals AS r
JOIN _staged_articles AS s ON s.article_id = r.article_id AND s.ordinal = r.ordinal
WHERE s.outcome <> 'unchanged'
"""

# The same (source, reason) is recorded once per run, however often a retried batch reports it.
_INSERT_FAILURES = """
INSERT INTO failures (
    run_id, source, stage, reason, error_class, message, http_status, failed_at
)
SELECT $run_id, f.source, f.stage, f.reason, f.error_class, f.message, f.http_status, now()
FROM _batch_failures AS f
WHERE NOT EXISTS (
    SELECT 1 FROM failures AS seen
    WHERE seen.run_id = $run_id AND seen.source = f.source AND seen.reason = f.reason
)
QUALIFY row_number() OVER (PARTITION BY f.source, f.reason ORDER BY f.ordinal) = 1
"""


# One row per source: the batch's last state of a source replaces the stored one.
_DELETE_STATES = "DELETE FROM source_state WHERE source IN (SELECT source FROM _batch_states)"
_INSERT_STATES = """
INSERT INTO source_state (source, kind, etag, last_modified, checked_at, run_id)
SELECT source, kind, etag, last_modified, now(), $run_id FROM _batch_states
QUALIFY row_number() OVER (PARTITION BY source ORDER BY ordinal DESC) = 1
"""


class WarehouseError(Exception):
    """A warehouse problem worded for the person running presswash, saying what to do."""


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """What one batch (or, summed, one run) did to the warehouse."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: int = 0
    lines_removed: int = 0

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(
            inserted=self.inserted + other.inserted,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
            failures=self.failures + other.failures,
            lines_removed=self.lines_removed + other.lines_removed,
        )


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run as the warehouse sees it, for reports.

    ``counts`` and ``documents_seen`` are the totals ``finish_run`` stored (zero while the run
    is running); the breakdowns are read from the rows the run wrote, so they are live.
    """

    run_id: str
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    documents_seen: int
    counts: LoadCounts
    by_language: dict[str, int]
    """Articles whose current row this run wrote (inserted or updated), per language."""
    by_source: dict[str, int]
    """The same articles per publisher: site name, else URL host, else the file's folder."""
    removed_by_reason: dict[str, int]
    failures_by_reason: dict[str, int]
    stage_seconds: dict[str, float]


class WriterLock:
    """An advisory lock next to the warehouse that presswash writers queue on.

    Measured on DuckDB 1.5.5: a process polling ``duckdb.connect`` while another writes can
    momentarily take the ``.wal`` lock and make the writer's commit fail. Waiting writers
    therefore wait here, on ``<name>.duckdb.lock``, and touch the database only once it is
    theirs. The kernel drops the lock when its process dies, so a kill -9 leaves none behind.
    """

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, path: Path, *, deadline: float, waited: float) -> WriterLock:
        lock_path = path.with_name(f"{path.name}.lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            message = f"{exc.strerror}: {lock_path}"
            raise _diagnosed(path, message) or WarehouseError(
                f"cannot create the writer lock {lock_path}: {exc.strerror}"
            ) from exc
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    holder = os.pread(fd, 32, 0).decode("ascii", "ignore").strip() or "?"
                    os.close(fd)
                    after = f" (waited {waited:g} s, warehouse.lock_timeout_seconds)" * bool(waited)
                    raise WarehouseError(
                        f"{path} is in use by another process (PID {holder}){after}, another"
                        " presswash run; wait for it to finish or use --db to write elsewhere"
                    ) from None
                time.sleep(min(_LOCK_POLL_SECONDS, remaining))
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def new_run_id() -> str:
    """A run id that sorts by start time (UTC, to the second); 48 random bits keep it unique."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(6)}"


class Warehouse:
    """A read-write connection to one warehouse file; use ``Warehouse.open``."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        path: Path,
        writer_lock: WriterLock | None = None,
        *,
        search_index: bool = True,
    ) -> None:
        self._con = con
        self.path = path
        self._writer_lock = writer_lock
        self._search_index = search_index
        self._published_at: float | None = None

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        lock_timeout_seconds: float = 0.0,
        memory_limit: str | None = None,
        threads: int | None = None,
        search_index: bool = True,
    ) -> Warehouse:
        """Open (creating if needed) the warehouse at ``path`` and apply pending migrations.

        While another process holds the file, retry for up to ``lock_timeout_seconds``: a
        scheduled run that overlaps the previous one, or a short query, then only waits.
        ``memory_limit`` and ``threads`` cap DuckDB's buffer pool and threads
        (``warehouse.memory_limit``, ``warehouse.threads``);
        ``search_index`` indexes each batch's new and changed articles for full-text search.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(
                f"cannot create the warehouse directory {path.parent}: {exc.strerror}"
            ) from exc
        deadline = time.monotonic() + lock_timeout_seconds
        writer_lock = WriterLock.acquire(path, deadline=deadline, waited=lock_timeout_seconds)
        try:
            while True:
                try:
                    con = _connect_and_migrate(path, memory_limit, threads)
                    return cls(con, path, writer_lock, search_index=search_index)
                except duckdb.Error as exc:
                    # Another program (a DuckDB session) may hold the file: wait for it too.
                    remaining = deadline - time.monotonic()
                    if not _LOCK_HOLDER.search(str(exc)) or remaining <= 0:
                        raise _open_error(path, exc, waited=lock_timeout_seconds) from exc
                    time.sleep(min(_LOCK_POLL_SECONDS, remaining))
        except BaseException:
            writer_lock.release()
            raise

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the file lock; safe to call twice."""
        self._con.close()
        if self._writer_lock is not None:
            self._writer_lock.release()

    def start_run(
        self,
        run_id: str,
        *,
        config_json: str,
        config_sha256: str,
        flow_run_id: str | None = None,
        sources: Sequence[str] = (),
        kind: Literal["ingest", "reclean"] = "ingest",
        cleaner_version: str | None = None,
    ) -> None:
        """Register a run as ``running`` before any batch is loaded, so every row has a parent.

        Runs still ``running`` were interrupted (killed, machine down): this process holds the
        only write lock, so none of them can be alive. They are marked ``failed`` with
        ``finished_at`` left NULL, which is how an interrupted run is told from one that
        ended with an error.
        """
        try:
            with _transaction(self._con):
                self._con.execute("UPDATE runs SET status = 'failed' WHERE status = 'running'")
                self._con.execute(
                    "INSERT INTO runs (run_id, flow_run_id, status, started_at, config_sha256,"
                    " config_json, sources, kind, cleaner_version)"
                    " VALUES (?, ?, 'running', now(), ?, ?, ?, ?, ?)",
                    [
                        run_id,
                        flow_run_id,
                        config_sha256,
                        config_json,
                        json.dumps(list(sources)),
                        kind,
                        cleaner_version,
                    ],
                )
        except duckdb.Error as exc:
            raise _write_error(self.path, f"cannot start run {run_id}", exc) from exc

    def load_batch(
        self,
        run_id: str,
        articles: Sequence[Article],
        failures: Sequence[Failure],
        raw: Sequence[StoredRaw] = (),
        states: Sequence[SourceState] = (),
    ) -> LoadCounts:
        """Write one batch in one transaction; on any error nothing of it is kept.

        Loading the same batch again is harmless: unchanged articles are counted, not
        rewritten, and failures already recorded for this run are not repeated. ``raw`` is
        the compressed input of the articles (matched by ``raw_sha256``), kept for re-cleaning.
        ``states`` (source cursors) commit with the batch, so a crash before the commit keeps
        the old ones.
        """
        con = self._con
        views = {
            "_batch_articles": _articles_table(articles),
            "_batch_removals": _removals_table(articles),
            "_batch_failures": _failures_table(failures),
            "_batch_raw": _raw_table(raw),
            "_batch_states": _states_table(states),
        }
        terms = [_search_terms(a) for a in articles] if self._search_index else None
        try:
            with registered(con, views), _transaction(con):
                self._require_running(run_id)
                counts = _write_batch(
                    con, run_id, terms=terms, failures=bool(failures), states=bool(states)
                )
        except duckdb.Error as exc:
            raise _write_error(
                self.path,
                f"batch of {len(articles)} articles and {len(failures)} failures for run"
                f" {run_id} was rolled back, nothing of it was written",
                exc,
            ) from exc
        del views  # the batch's Arrow tables, freed before the heap is trimmed
        trim_heap()
        return counts

    def source_states(self) -> dict[str, SourceState]:
        """Every stored source state (one per feed, sitemap or page URL: a small table)."""
        rows = self._con.execute(
            "SELECT source, kind, etag, last_modified FROM source_state"
        ).fetchall()
        return {row[0]: SourceState(row[0], row[1], row[2], row[3]) for row in rows}

    def seen_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` already stored as an article, by URL or by the source it came from."""
        table = pa.table({"url": pa.array(list(urls), pa.string())})
        self._con.register("_candidate_urls", table)
        try:
            rows = self._con.execute(
                "SELECT c.url FROM _candidate_urls AS c WHERE EXISTS ("
                " SELECT 1 FROM articles AS a WHERE a.url = c.url OR a.source = c.url)"
            ).fetchall()
        finally:
            self._con.unregister("_candidate_urls")
        return {url for (url,) in rows}

    def finish_run(
        self,
        run_id: str,
        status: Literal["completed", "failed"],
        totals: LoadCounts,
        documents_seen: int,
        stage_seconds: Mapping[str, float] | None = None,
    ) -> None:
        """Store the run's totals, its time per stage and its final status.

        Call with ``completed`` only after every batch committed: views and reports trust
        completed runs, so this must be the last write of a run.
        """
        if status not in ("completed", "failed"):
            raise ValueError(f"a run finishes as 'completed' or 'failed', not {status!r}")
        try:
            finished = self._con.execute(
                """
                UPDATE runs SET
                    status = ?, finished_at = now(), documents_seen = ?, articles_inserted = ?,
                    articles_updated = ?, articles_unchanged = ?, failures = ?, lines_removed = ?,
                    stage_seconds = ?
                WHERE run_id = ? AND status = 'running'
                RETURNING run_id
                """,
                [
                    status,
                    documents_seen,
                    totals.inserted,
                    totals.updated,
                    totals.unchanged,
                    totals.failures,
                    totals.lines_removed,
                    json.dumps(dict(stage_seconds or {})),
                    run_id,
                ],
            ).fetchall()
        except duckdb.Error as exc:
            raise _write_error(self.path, f"cannot mark run {run_id} {status}", exc) from exc
        if not finished:
            raise WarehouseError(
                f"cannot mark run {run_id} {status}: {self._run_state(run_id)} in {self.path}"
            )
        # Fold the log into the file once per run: if a later commit is cut short (full disk),
        # what a damaged log can cost is then at most that later run, which a re-run restores.
        with suppress(duckdb.Error):
            self._con.execute("CHECKPOINT")

    def run_summary(self, run_id: str) -> RunSummary:
        """Read back a run: stored totals plus per-language and per-reason breakdowns."""
        con = self._con
        row = con.execute(
            """
            SELECT status, started_at, finished_at, stage_seconds, documents_seen,
                   articles_inserted, articles_updated, articles_unchanged, failures, lines_removed
            FROM runs WHERE run_id = ?
            """,
            [run_id],
        ).fetchone()
        if row is None:
            raise WarehouseError(f"no run {run_id} in {self.path}")
        status, started_at, finished_at, stage_seconds, documents_seen, *counts = row
        return RunSummary(
            run_id=run_id,
            status=cast(RunStatus, status),
            started_at=started_at,
            finished_at=finished_at,
            documents_seen=documents_seen,
            counts=LoadCounts(*counts),
            by_language=self._count_by("language", "articles", run_id),
            by_source=self._count_by("source_name(site, url, source)", "articles", run_id),
            removed_by_reason=self._count_by("reason", "removed_lines", run_id),
            failures_by_reason=self._count_by("reason", "failures", run_id),
            stage_seconds=json.loads(stage_seconds) if stage_seconds else {},
        )

    def publish_snapshot(self, *, min_interval_seconds: float | None = None) -> bool:
        """Publish a consistent read-only copy for analysts, atomically; True if published.

        DuckDB's file lock lasts as long as any connection is open, and even read-only readers
        block the writer, so nobody reads the live file: it is checkpointed (the file then
        holds every committed row), copied next to the target and swapped in with
        ``os.replace``. Readers with the old snapshot open keep reading it undisturbed.
        With ``min_interval_seconds``, a publish sooner than that after the last is skipped.
        """
        now = time.monotonic()
        if (
            min_interval_seconds is not None
            and self._published_at is not None
            and now - self._published_at < min_interval_seconds
        ):
            return False
        self._con.execute("CHECKPOINT")
        target = snapshot_path(self.path)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            shutil.copyfile(self.path, partial)
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise WarehouseError(f"cannot publish the snapshot {target}: {exc}") from exc
        self._published_at = now
        return True

    def rebuild_search_index(self) -> None:
        """Index every stored article afresh: for warehouses loaded with indexing off.

        A chunk of articles per transaction keeps memory flat; an interrupted rebuild leaves
        a partial index that the next one replaces.
        """
        try:
            ids = self.article_ids()
            with _transaction(self._con):
                clear_index(self._con)
            for start in range(0, len(ids), REINDEX_CHUNK):
                rows = self._con.execute(
                    "SELECT article_id, title, text FROM articles"
                    " WHERE article_id IN (SELECT unnest($ids))",
                    {"ids": ids[start : start + REINDEX_CHUNK]},
                ).fetchall()
                views = {
                    "_chunk_docs": pa.table(
                        {"article_id": [r[0] for r in rows], "ordinal": range(len(rows))}
                    ),
                }
                counts = [term_counts(title, text) for _, title, text in rows]
                with registered(self._con, views), _transaction(self._con):
                    index_terms(self._con, "SELECT * FROM _chunk_docs", counts, replace=False)
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot build the search index in {self.path}: {exc}") from exc

    def stored_raw(self, article_ids: Sequence[str]) -> list[tuple[str, str, StoredRaw]]:
        """``(article_id, source, raw)`` of the given articles whose raw input is stored."""
        rows = self._con.execute(
            """
            SELECT a.article_id, a.source, r.raw_sha256, r.kind, r.title, r.url, r.content,
                   r.content_bytes
            FROM articles AS a JOIN raw_documents AS r USING (raw_sha256)
            WHERE a.article_id IN (SELECT unnest($ids))
            ORDER BY a.article_id
            """,
            {"ids": list(article_ids)},
        ).fetchall()
        return [(article_id, source, StoredRaw(*raw)) for article_id, source, *raw in rows]

    def article_ids(self, *, only_cleaner_not: str | None = None) -> list[str]:
        """Ids of stored articles, optionally only those cleaned by another cleaner version."""
        rows = self._con.execute(
            "SELECT article_id FROM articles"
            " WHERE $v IS NULL OR cleaner_version IS DISTINCT FROM $v ORDER BY article_id",
            {"v": only_cleaner_not},
        ).fetchall()
        return [article_id for (article_id,) in rows]

    def _count_by(self, column: str, table: str, run_id: str) -> dict[str, int]:
        rows = self._con.execute(
            f"SELECT {column}, count(*) FROM {table} WHERE run_id = ? GROUP BY 1 ORDER BY 1",
            [run_id],
        ).fetchall()
        return {key: n for key, n in rows}

    def _require_running(self, run_id: str) -> None:
        row = self._con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if row is None or row[0] != "running":
            raise WarehouseError(
                f"cannot load into run {run_id}: {self._run_state(run_id)} in {self.path}"
                " (call start_run first; finished runs take no more batches)"
            )

    def _run_state(self, run_id: str) -> str:
        row = self._con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
        return "no such run" if row is None else f"it is {row[0]}"


def _write_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    terms: Sequence[Mapping[int, int]] | None,
    failures: bool,
    states: bool,
) -> LoadCounts:
    """Run the batch statements inside the caller's transaction and count what they did.

    ``terms`` are the batch's articles' search terms in batch order (None: indexing is off).
    A statement with nothing to write is skipped (``failures`` and ``states``: the batch has
    some): each costs a few milliseconds even then, and the deletes of earlier same-run
    versions scan whole tables (6x a fresh file's cost at 100k articles).
    """
    params = {"run_id": run_id}
    con.execute(_STAGE_ARTICLES)
    inserted, updated, unchanged = _one_row(con, _COUNT_OUTCOMES)
    if updated:
        for statement in _DELETE_SAME_RUN_VERSIONS:
            con.execute(statement, params)
    con.execute(_INSERT_RAW, params)
    if unchanged:
        con.execute(_BACKFILL_RAW_SHA)
    if updated:
        con.execute(_UPDATE_ARTICLES, params)
    if inserted:
        con.execute(_INSERT_ARTICLES, params)
    lines_removed = failed = 0
    if inserted or updated:
        con.execute(_INSERT_VERSIONS, params)
        (lines_removed,) = _one_row(con, _INSERT_REMOVALS, params)
        if terms is not None:
            written = (
                "SELECT article_id, ordinal FROM _staged_articles WHERE outcome <> 'unchanged'"
            )
            index_terms(con, written, terms, replace=updated > 0)
    if failures:
        (failed,) = _one_row(con, _INSERT_FAILURES, params)
    if states:
        con.execute(_DELETE_STATES)
        con.execute(_INSERT_STATES, params)
    con.execute("DROP TABLE _staged_articles")
    return LoadCounts(inserted, updated, unchanged, failed, lines_removed)


def _search_terms(article: Article) -> dict[int, int]:
    if article.search_terms is not None:
        return article.search_terms
    return term_counts(article.title, article.text)


def snapshot_path(db: Path) -> Path:
    """The published read-only copy analysts open: ``presswash.duckdb`` ->
    ``presswash.snapshot.duckdb`` in the same folder."""
    return db.with_name(f"{db.stem}.snapshot{db.suffix}")


# A view column that repeats a table column (same name) is documented by that column's
# comment; views.sql comments only the columns a view computes.
_INHERITED_VIEW_COMMENTS = """
SELECT v.table_name, v.column_name,
       any_value(t.comment ORDER BY t.table_name IN (SELECT view_name FROM duckdb_views()),
                                    t.table_name)
FROM duckdb_columns() AS v
JOIN duckdb_views() AS dv ON dv.view_name = v.table_name AND dv.schema_name = v.schema_name
JOIN duckdb_columns() AS t
    ON t.schema_name = 'main' AND t.column_name = v.column_name AND t.table_name <> v.table_name
WHERE v.schema_name = 'main' AND NOT dv.internal AND v.comment IS NULL AND t.comment IS NOT NULL
GROUP BY ALL
"""


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the analyst views; they are code, so every open brings them up to date."""
    sql = resources.files("warehouse").joinpath("views.sql").read_text(encoding="utf-8")
    with _transaction(con):
        con.execute(sql)
        # Views built on views inherit in a second pass.
        for _ in range(2):
            for view, column, comment in con.execute(_INHERITED_VIEW_COMMENTS).fetchall():
                # COMMENT ON takes no parameters: quote the (our own) comment text as a literal.
                con.execute(f"COMMENT ON COLUMN {view}.{column} IS {_sql_literal(comment)}")


def _sql_literal(text: str) -> str:
    """``text`` as a SQL string literal, for the statements that take no parameters."""
    return "'" + text.replace("'", "''") + "'"


def _one_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str] | None = None
) -> tuple[Any, ...]:
    row = con.execute(sql, params).fetchone()
    assert row is not None, "aggregate and DML statements always return one row"
    return row


def _articles_table(articles: Sequence[Article]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "ordinal": i,
                "article_id": a.article_id,
                "source": a.source,
                "url": a.url,
                "title": a.title,
                "author": a.author,
                "published_at": a.published_at,
                "site": a.site,
                "language": a.language,
                "language_prob": a.language_prob,
                "text": a.text,
                "words_before": a.words_before,
                "words_after": a.words_after,
                "content_sha256": a.content_sha256,
                "fetched_at": a.fetched_at,
                "raw_sha256": a.raw_sha256,
                "cleaner_version": a.cleaner_version,
            }
            for i, a in enumerate(articles)
        ],
        schema=_ARTICLES_SCHEMA,
    )


def _raw_table(raw: Sequence[StoredRaw]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "raw_sha256": r.raw_sha256,
                "kind": r.kind,
                "title": r.title,
                "url": r.url,
                "content": r.content,
                "content_bytes": r.content_bytes,
            }
            for r in raw
        ],
        schema=_RAW_SCHEMA,
    )


def _removals_table(articles: Sequence[Article]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "ordinal": i,
                "article_id": a.article_id,
                "position": r.position,
                "text": r.text,
                "reason": r.reason,
                "evidence": r.evidence,
            }
            for i, a in enumerate(articles)
            for r in a.removals
        ],
        schema=_REMOVALS_SCHEMA,
    )


def _failures_table(failures: Sequence[Failure]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "ordinal": i,
                "source": f.source,
                "stage": f.stage,
                "reason": f.reason,
                "error_class": f.error_class,
                "message": f.message,
                "http_status": f.http_status,
            }
            for i, f in enumerate(failures)
        ],
        schema=_FAILURES_SCHEMA,
    )


def _states_table(states: Sequence[SourceState]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "ordinal": i,
                "source": s.source,
                "kind": s.kind,
                "etag": s.etag,
                "last_modified": s.last_modified,
            }
            for i, s in enumerate(states)
        ],
        schema=_STATES_SCHEMA,
    )


def _known_migrations() -> list[tuple[str, str]]:
    """The migrations this code ships, ``(file name, SQL)``, in the order they must run."""
    folder = resources.files("warehouse").joinpath("migrations")
    files = sorted(
        (entry.name, entry) for entry in folder.iterdir() if _MIGRATION_FILE.fullmatch(entry.name)
    )
    return [(name, entry.read_text(encoding="utf-8")) for name, entry in files]


def _migrate(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Apply pending migrations, each in its own transaction, and refuse files from newer code."""
    known = _known_migrations()
    has_table = _one_row(
        con,
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND table_name = '_migrations'",
    )[0]
    applied = (
        {name for (name,) in con.execute("SELECT name FROM _migrations").fetchall()}
        if has_table
        else set()
    )
    unknown = sorted(applied - {name for name, _ in known})
    if unknown:
        raise WarehouseError(
            f"{path} was written by a newer presswash (it has migration {', '.join(unknown)},"
            " which this version does not know); upgrade presswash or use --db to write elsewhere"
        )
    for name, sql in known:
        if name in applied:
            continue
        try:
            with _transaction(con):
                con.execute(sql)
                con.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, now())", [name])
        except duckdb.Error as exc:
            raise WarehouseError(
                f"{path}: migration {name} failed and was rolled back, the file is as before: {exc}"
            ) from exc
    if set(applied) != {name for name, _ in known}:
        # Fold the migrations into the file at once (005 rewrites whole tables), so the log
        # of the first run holds that run's batches only.
        con.execute("CHECKPOINT")


def _connect_and_migrate(
    path: Path, memory_limit: str | None, threads: int | None
) -> duckdb.DuckDBPyConnection:
    """Attach the file rather than open it, for two things ``duckdb.connect(file)`` cannot do.

    ``ROW_GROUP_SIZE`` is an ATTACH option: measured on 1.5.5 with 100k articles loaded in
    batches of 100, row groups of ``ROW_GROUP_ROWS`` kept the writer at 408 MB instead of
    703 MB, because each checkpoint rewrites the table's last, partly filled row group and a
    smaller one costs less to rewrite. And an attached file replays a log holding schema DDL
    after a crash, which ``connect(file)`` fails on ("GetDefaultDatabase with no default
    database set").
    """
    con = duckdb.connect()
    try:
        apply_limits(con, memory_limit, threads)
        # Spill beside the file, as a file connection would, not into the working directory.
        con.execute(f"SET temp_directory = {_sql_literal(f'{path}.tmp')}")
        con.execute(
            f"ATTACH {_sql_literal(str(path))} AS warehouse (ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
        )
        con.execute("USE warehouse")
        load_fts(con)  # its stemmer indexes each batch (and the stored articles, migration 006)
        _migrate(con, path)
        _create_views(con)
    except BaseException:
        con.close()
        raise
    return con


def schema_status(path: Path) -> tuple[int, int]:
    """``(applied, known)`` migration counts of a warehouse, read without taking the write lock."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            applied = _one_row(con, "SELECT count(*) FROM _migrations")[0]
    except duckdb.Error as exc:
        raise _open_error(path, exc) from exc
    return int(applied), len(_known_migrations())


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the block's writes together or roll them all back.

    The commit sits outside the rollback handler because DuckDB has already rolled back a
    transaction whose commit failed, and a second rollback would hide the real error.
    """
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _open_error(path: Path, exc: duckdb.Error, *, waited: float = 0.0) -> WarehouseError:
    """Reword DuckDB's open-time errors (lock held, damaged file, storage) as what to do."""
    message = str(exc)
    holder = _LOCK_HOLDER.search(message)
    if holder:
        after = f" (waited {waited:g} s, warehouse.lock_timeout_seconds)" if waited else ""
        return WarehouseError(
            f"{path} is in use by another process (PID {holder.group(1)}){after}, perhaps"
            " another presswash run or an open DuckDB session; wait for it to finish or use"
            " --db to write elsewhere"
        )
    return _diagnosed(path, message) or WarehouseError(
        f"cannot open the warehouse {path}: {message}"
    )


def _write_error(path: Path, what: str, exc: duckdb.Error) -> WarehouseError:
    """A failed write: what was lost (nothing, thanks to the transaction) and why, in words."""
    message = str(exc)
    diagnosed = _diagnosed(path, message)
    if diagnosed:
        return WarehouseError(f"{what}: {diagnosed}")
    return WarehouseError(f"{what} to {path}: {message}")


def _diagnosed(path: Path, message: str) -> WarehouseError | None:
    """Damage and storage problems, which DuckDB may report at open or only at query time."""
    if "Failure while replaying WAL file" in message:
        # A log cut short or damaged (a crash mid-write, a disk fault): DuckDB refuses it whole.
        return WarehouseError(
            f"{path}: its write-ahead log {path}.wal cannot be replayed (DuckDB fails on it"
            " after a crash). Move the .wal file aside and run the same"
            " ingest again: the file opens as of its last checkpoint, and re-ingesting restores"
            f" what the log held without duplicates ({message.splitlines()[0]})"
        )
    if any(marker in message for marker in _DAMAGED_MARKERS):
        return WarehouseError(
            f"{path} is damaged or is not a DuckDB database ({message}); move it aside and"
            " re-run the ingestion into a fresh file, or use --db to write elsewhere"
        )
    for marker, meaning in _STORAGE_PROBLEMS.items():
        if marker in message:
            return WarehouseError(
                f"cannot write the warehouse {path}: {meaning} ({message}); nothing was left"
                " half-written. Free space or fix the permissions, or use --db to write"
                " elsewhere, then run again"
            )
    return None
