import asyncio
import json
import re
from pathlib import Path
from uuid import UUID

import duckdb
import psutil
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

from flows.ingest import ingest

ARTICLE = [
    "The regional rail operator will add forty trains a day to its coastal line from June, "
    "the transport ministry announced on Thursday.",
    "Commuters have complained for years about overcrowded carriages during the morning peak, "
    "when trains between the two largest towns often leave passengers on the platform.",
    "READ MORE: Rail strike called off after last-minute pay deal",
    "The ministry said the new timetable would be paid for by a fare increase of two percent, "
    "which passenger groups called a fair price for a reliable service.",
    "Sign up to our Morning Briefing newsletter. We use your sign-up to provide content in ways "
    "you've consented to. You can unsubscribe at any time.",
]
GERMAN = (
    "Die Stadtverwaltung hat am Montag den neuen Radweg entlang des Flusses eröffnet. "
    "Der Weg ist vier Kilometer lang und verbindet die Altstadt mit dem Industriegebiet. "
    "Viele Pendler hatten sich seit Jahren eine sichere Verbindung gewünscht."
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "rail.txt").write_text("More Trains for the Coast\n" + "\n".join(ARTICLE))
    (root / "empty.txt").write_bytes(b"")
    (root / "records.jsonl").write_text(
        json.dumps(
            {"url": "https://news.example.test/radweg", "title": "Neuer Radweg", "text": GERMAN}
        )
        + "\n{not json\n"
    )
    return root


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def test_ingest_loads_articles_records_failures_and_is_idempotent(
    corpus: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    first = ingest(sources=[str(corpus)], db=str(db))

    assert first.status == "completed"
    assert (first.counts.inserted, first.counts.updated, first.counts.unchanged) == (2, 0, 0)
    assert first.by_language == {"de": 1, "en": 1}
    assert first.failures_by_reason == {"read.bad_record": 1, "read.empty": 1}
    assert first.removed_by_reason == {"strip.read_more": 1, "strip.signup_consent": 1}

    (text,) = rows(db, "SELECT text FROM articles WHERE source LIKE '%rail.txt'")[0]
    assert text.splitlines() == [line for i, line in enumerate(ARTICLE) if i not in (2, 4)]
    assert rows(db, "SELECT title, url FROM articles WHERE language = 'de'") == [
        ("Neuer Radweg", "https://news.example.test/radweg")
    ]

    second = ingest(sources=[str(corpus)], db=str(db))
    assert (second.counts.inserted, second.counts.updated, second.counts.unchanged) == (0, 0, 2)
    assert rows(db, "SELECT count(*) FROM articles") == [(2,)]
    assert rows(db, "SELECT count(*) FROM removed_lines") == [(2,)]
    assert rows(db, "SELECT status, count(*) FROM runs GROUP BY 1") == [("completed", 2)]


def test_extraction_workers_are_stopped_before_the_index_rebuild(
    corpus: Path, tmp_path: Path
) -> None:
    # Idle through the rebuild, the run's memory peak, they would only add to it.
    ingest(sources=[str(corpus)], db=str(tmp_path / "w.duckdb"))
    workers = [
        child
        for child in psutil.Process().children(recursive=True)
        if "pipeline.extract_pool" in " ".join(child.cmdline())
    ]
    assert workers == []


def test_changed_content_updates_the_article(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ingest(sources=[str(corpus)], db=str(db))
    rail = corpus / "rail.txt"
    rail.write_text(rail.read_text().replace("forty trains", "fifty trains"))
    run = ingest(sources=[str(corpus)], db=str(db))
    assert (run.counts.inserted, run.counts.updated, run.counts.unchanged) == (0, 1, 1)
    assert rows(db, "SELECT count(*) FROM articles WHERE text LIKE '%fifty trains%'") == [(1,)]


def test_run_is_named_for_its_group_and_its_report_matches_the_warehouse(
    corpus: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    state = ingest(sources=[str(corpus)], db=str(db), group="nightly", return_state=True)
    summary = state.result()
    flow_run_id = str(state.state_details.flow_run_id)
    ((stored_flow_run_id, sha),) = rows(
        db, f"SELECT flow_run_id, config_sha256 FROM runs WHERE run_id = '{summary.run_id}'"
    )
    assert stored_flow_run_id == flow_run_id
    assert len(sha) == 64

    async def read_back() -> tuple[str, list[str], list[str]]:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

        async with get_client() as client:
            run = await client.read_flow_run(UUID(flow_run_id))
            artifacts = await client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(flow_run_id)])
                )
            )
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)]))
            )
            return run.name, [f"{a.key}\n{a.data}" for a in artifacts], [t.name for t in tasks]

    name, artifacts, task_names = asyncio.run(read_back())
    assert re.fullmatch(r"nightly-\d{8}-\d{6}", name)
    (artifact,) = artifacts
    key, markdown = artifact.split("\n", 1)
    assert key == "presswash-report-nightly"
    assert summary.run_id in markdown
    for reason, count in summary.removed_by_reason.items():
        assert f"| `{reason}` | {count} |" in markdown
    for reason, count in summary.failures_by_reason.items():
        assert f"| `{reason}` | {count} |" in markdown
    assert f"| `inserted` | {summary.counts.inserted} |" in markdown
    assert "extract-clean-1" in task_names
    stages = {name.split("-")[0] for name in task_names if name != "extract-clean-1"}
    assert stages == {"discover", "load", "publish", "report"}


def test_batches_are_many_tasks_not_one_per_document(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(7):
        (corpus / f"{i}.txt").write_text(f"Story number {i}\n" + "\n".join(ARTICLE))
    config = tmp_path / "c.yaml"
    config.write_text("flow:\n  batch_size: 3\n")
    run = ingest(sources=[str(corpus)], config_path=str(config), db=str(tmp_path / "w.duckdb"))
    assert run.counts.inserted == 7
    assert run.documents_seen == 7


def test_a_failing_batch_marks_the_run_failed_and_keeps_earlier_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import process

    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"{i}.txt").write_text(f"Story number {i}\n" + "\n".join(ARTICLE))
    config = tmp_path / "c.yaml"
    config.write_text("flow:\n  batch_size: 2\n")
    original = process.Processor.process_items
    calls = []

    def flaky(self: process.Processor, items: list) -> process.BatchResult:  # type: ignore[type-arg]
        calls.append(items)
        if any(item.locator.endswith("3.txt") for item in items):
            raise RuntimeError("boom")
        return original(self, items)

    monkeypatch.setattr(process.Processor, "process_items", flaky)
    db = tmp_path / "w.duckdb"
    with pytest.raises(RuntimeError, match="boom"):
        ingest(sources=[str(corpus)], config_path=str(config), db=str(db))
    assert rows(db, "SELECT status FROM runs") == [("failed",)]
    assert rows(db, "SELECT count(*) FROM articles") == [(2,)]


def test_the_flows_writer_gets_the_configured_memory_limit_and_threads(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.warehouse

    seen: list[tuple[str | None, int | None]] = []
    real = pipeline.warehouse.apply_limits

    def spy(con: duckdb.DuckDBPyConnection, memory_limit: str | None, threads: int | None) -> None:
        seen.append((memory_limit, threads))
        real(con, memory_limit, threads)

    monkeypatch.setattr(pipeline.warehouse, "apply_limits", spy)
    config = tmp_path / "c.yaml"
    config.write_text("warehouse:\n  memory_limit: 300MB\n  threads: 2\n  search_index: false\n")
    run = ingest(sources=[str(corpus)], config_path=str(config), db=str(tmp_path / "w.duckdb"))
    assert run.status == "completed"
    assert seen == [("300MB", 2)]
