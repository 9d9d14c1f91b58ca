"""The performance benchmark behind ``presswash bench``: what presswash costs beyond trafilatura.

Every figure is a ratio within one run (the machine is shared and noisy). The references are
single-process loops over the same pages: ``trafilatura.extract`` with presswash's options and
no metadata, and what a user would hand-write, ``bare_extraction(with_metadata=True)`` plus
langdetect. The ingest runs (the Prefect flow in ``flows/bench.py``, the library path here) go
through files on disk into a fresh DuckDB file, with the stage times the pipeline records.

Two clocks: wall time (what parallelism buys: the ingest uses both cores, the references
one) and CPU seconds of the whole process tree, extraction workers included (what each
document costs). Memory is the peak of the summed RSS of the process and its children,
sampled while a run goes on.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import trafilatura
from langdetect import detect_langs
from langdetect.lang_detect_exception import LangDetectException
from trafilatura.settings import use_config

from pipeline.config import Config
from pipeline.decode import decode
from pipeline.html_tree import parse_html
from pipeline.metadata import page_metadata
from pipeline.process import BatchResult, Processor
from pipeline.sources import SourceItem, discover
from pipeline.warehouse import LoadCounts, Warehouse, new_run_id

STAGES: tuple[str, ...] = (
    "read",
    "extract",
    "strip",
    "language",
    "index",
    "pack",
    "load",
    "publish",
)
"""Stages the pipeline times; orchestration is measured as the flow's cost over the library."""
LANGDETECT_CHARS = 1000
"""The hand-written loop detects the language on the first characters, as presswash does."""
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_RSS_SAMPLE_SECONDS = 0.1
T = TypeVar("T")


# ------------------------------------------------------------------------- measuring


def _descendants(pid: int) -> list[int]:
    """Child processes, recursively, from /proc (a process's children per thread)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        parent = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    children = [int(c) for c in handle.read().split()]
            except OSError:
                continue
            found.extend(children)
            stack.extend(children)
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(pid: int | None = None) -> int:
    """Summed resident memory of a process and all its descendants (the extraction workers)."""
    root = pid or os.getpid()
    return sum(rss_bytes(p) for p in [root, *_descendants(root)])


def _cpu_of(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime + stime


def tree_cpu_seconds() -> float:
    """CPU seconds of this process, its reaped children and its live descendants.

    A difference of two readings is the tree's CPU over the interval even when a worker was
    reaped in between (its time then moves from the live sum to ``children_*``).
    """
    own = os.times()
    live = sum(_cpu_of(p) for p in _descendants(os.getpid()))
    return own.user + own.system + own.children_user + own.children_system + live


class PeakRss:
    """Samples the process tree's RSS in a thread while the ``with`` block runs."""

    def __init__(self, interval: float = _RSS_SAMPLE_SECONDS) -> None:
        self.interval = interval
        self.start = 0
        """The tree's RSS when the block began: what the bench process held already."""
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        self.start = self.peak = tree_rss_bytes()
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_bytes())

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, tree_rss_bytes())


@dataclass(slots=True)
class Timing:
    """One measured run: documents, both clocks, memory and the pipeline's own stage times."""

    name: str
    docs: int
    wall: float
    cpu: float
    peak_rss: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage as the pipeline recorded them (summed over threads and workers)."""
    db_bytes: int | None = None
    articles: int | None = None
    task_runs: int | None = None
    start_rss: int = 0
    """The process tree's RSS when the run began (imports, what earlier runs left)."""

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.wall if self.wall else 0.0

    @property
    def docs_per_cpu_s(self) -> float:
        return self.docs / self.cpu if self.cpu else 0.0


@dataclass(frozen=True, slots=True)
class Measured:
    seconds_wall: float
    seconds_cpu: float
    peak_rss: int
    start_rss: int = 0


def measure(work: Callable[[], T]) -> tuple[T, Measured]:
    """Run ``work`` and return its result with wall, process-tree CPU and peak RSS."""
    with PeakRss() as rss:
        cpu, wall = tree_cpu_seconds(), time.perf_counter()
        result = work()
        wall, cpu = time.perf_counter() - wall, tree_cpu_seconds() - cpu
    return result, Measured(wall, cpu, rss.peak, rss.start)


def stage_shares(stages: dict[str, float]) -> dict[str, float]:
    """Each stage's share of the summed stage seconds (the time the documents took).

    Stage times are clocked per thread or worker, so on a busy machine they stretch alike;
    their shares stay comparable where their sum and the run's CPU seconds would not.
    """
    total = sum(stages.get(stage, 0.0) for stage in STAGES)
    if total <= 0:
        return {}
    return {stage: stages[stage] / total for stage in STAGES if stage in stages}


# ------------------------------------------------------------------------- corpora


_WORD_TEXT = (
    "council harbour budget ferry terminal residents minister election court police hospital "
    "school teachers union strike weather storm flood river bridge railway airport company "
    "shares market bank inflation prices energy wind solar farmers harvest festival museum "
    "football coach season league stadium players fans report study scientists university "
    "climate emissions water drought city mayor plan housing rent tenants street traffic "
    "announced said expected approved rejected warned agreed reported confirmed plans new week "
    "year month today yesterday local national regional public private first second last "
)
_WORDS = _WORD_TEXT.split()
_SECTIONS = ("news", "politics", "business", "sport", "science", "culture", "local")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(9, 22))]
    return " ".join(words).capitalize() + "."


def synthetic_page(index: int, seed: int = 0) -> str:
    """A small, realistic-ish news article page (~4 KB): head metadata, navigation, a byline,
    paragraphs, a teaser, related links and a footer. The same (index, seed) gives the same page.
    """
    rng = random.Random(seed * 1_000_003 + index)
    section = rng.choice(_SECTIONS)
    title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 9))).capitalize()
    url = f"https://news{index % 50}.example/{section}/{index}-{title.lower().replace(' ', '-')}"
    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    author = f"{rng.choice(['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eva'])} {rng.choice(_WORDS).title()}"
    paragraphs = [
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(4, 9))
    ]
    teaser = f"READ MORE: {_sentence(rng)}"
    paragraphs.insert(rng.randint(1, len(paragraphs) - 1), teaser)
    related = "".join(
        f'<li><a href="/{section}/{index + k}">{_sentence(rng)}</a></li>' for k in range(1, 5)
    )
    nav = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in _SECTIONS)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | '
        f'News {index % 50}</title><link rel="canonical" href="{url}">'
        f'<meta property="og:title" content="{title}"><meta name="author" content="{author}">'
        f'<meta property="article:published_time" content="{day}T08:00:00Z">'
        f'<meta property="og:site_name" content="News {index % 50}"></head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>{title}</h1>"
        f'<p class="byline">By {author}, {day}</p>{body}</article>'
        f"<aside><h2>Related</h2><ul>{related}</ul></aside></main>"
        f"<footer><p>© 2025 News {index % 50}. All rights reserved.</p>"
        f'<p><a href="/newsletter">Sign up for our newsletter</a></p></footer></body></html>'
    )


def write_synthetic(folder: Path, docs: int, seed: int = 0) -> list[Path]:
    """Write ``docs`` synthetic pages as ``.html`` files (deterministic for a seed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(docs):
        path = folder / f"s{index:07d}.html"
        path.write_text(synthetic_page(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def real_pages(folders: Sequence[Path]) -> list[tuple[str, str]]:
    """``(name, html)`` of every HTML page (``.html``, ``.htm``, ``.html.gz``) in the folders."""
    pages = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if not path.name.endswith((".html", ".htm", ".html.gz")):
                continue
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
            pages.append((path.name.removesuffix(".gz"), decode(data, html=True)))
    return pages


def write_repeated(folder: Path, pages: Sequence[tuple[str, str]], docs: int) -> list[Path]:
    """Write the pages round-robin until there are ``docs`` files.

    Each copy after the first gets its own ``og:url`` (the last one in a page wins), so a
    repeat is a new article for the warehouse rather than an unchanged one; the text is the
    page's own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(docs):
        name, html = pages[index % len(pages)]
        copy = index // len(pages)
        if copy:
            tag = f'<meta property="og:url" content="https://copy{copy}.bench.example/{name}">'
            head_end = html.find("</head>")
            html = html[:head_end] + tag + html[head_end:] if head_end >= 0 else tag + html
        path = folder / f"r{index:07d}-{name}"
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths


def load_pages(paths: Sequence[Path]) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in paths]


# ------------------------------------------------------------------------- reference loops


def _trafilatura_options(config: Config) -> dict[str, Any]:
    settings = use_config()
    settings.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    extract = config.extract
    return {
        "favor_precision": extract.favor_precision,
        "favor_recall": extract.favor_recall,
        "include_comments": extract.include_comments,
        "include_tables": extract.include_tables,
        "deduplicate": False,
        "config": settings,
    }


def reference_extract(pages: Sequence[str], config: Config) -> Timing:
    """The reference: a single-process ``trafilatura.extract`` loop, no metadata."""
    options = _trafilatura_options(config)
    _, spent = measure(lambda: [trafilatura.extract(page, **options) for page in pages])
    return Timing(
        "trafilatura.extract, no metadata",
        len(pages),
        spent.seconds_wall,
        spent.seconds_cpu,
        spent.peak_rss,
    )


def _hand_written(page: str, options: dict[str, Any]) -> tuple[object, str | None]:
    document = trafilatura.bare_extraction(page, with_metadata=True, **options)
    text = getattr(document, "text", None) or ""
    try:
        language = detect_langs(text[:LANGDETECT_CHARS])[0].lang if text else None
    except LangDetectException:
        language = None
    return document, language


def reference_hand_written(pages: Sequence[str], config: Config) -> Timing:
    """What a user would write: ``bare_extraction(with_metadata=True)`` + langdetect."""
    options = _trafilatura_options(config)
    _hand_written(pages[0], options)  # langdetect loads its profiles on first use
    _, spent = measure(lambda: [_hand_written(page, options) for page in pages])
    return Timing(
        "bare_extraction(with_metadata) + langdetect",
        len(pages),
        spent.seconds_wall,
        spent.seconds_cpu,
        spent.peak_rss,
    )


# ------------------------------------------------------------------------- library ingest


def _batches(items: Sequence[SourceItem], size: int) -> list[list[SourceItem]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def ingest_library(
    sources: Sequence[str], config: Config, db: Path, *, workers: int = 2
) -> tuple[LoadCounts, dict[str, float], int]:
    """The flow's work without Prefect: batches processed on ``workers`` extraction workers
    and loaded in order by one writer, then published.

    One batch thread more than workers, as in the flow: a worker never waits while its thread
    reads the next file or the writer loads.

    Returns the run's load counts, stage seconds and documents seen.
    """
    items, failures = discover(sources)
    processor = Processor(config, workers=workers)
    threads = workers + 1
    seconds: dict[str, float] = {}
    counts = LoadCounts()
    documents = 0

    def spend(stage: str, value: float) -> None:
        seconds[stage] = seconds.get(stage, 0.0) + value

    with (
        Warehouse.open(
            db,
            lock_timeout_seconds=config.warehouse.lock_timeout_seconds,
            memory_limit=config.warehouse.memory_limit,
            threads=config.warehouse.threads,
            search_index=config.warehouse.search_index,
        ) as wh,
        ThreadPoolExecutor(max_workers=threads) as pool,
    ):
        run_id = new_run_id()
        wh.start_run(run_id, config_json=config.to_json(), config_sha256=config.sha256())
        if failures:
            counts += wh.load_batch(run_id, [], failures)
        pending: deque[Future[BatchResult]] = deque()

        def load(result: BatchResult) -> None:
            nonlocal counts, documents
            start = time.perf_counter()
            counts += wh.load_batch(run_id, result.articles, result.failures, raw=result.raw)
            spend("load", time.perf_counter() - start)
            documents += result.documents
            for stage, value in result.seconds.items():
                spend(stage, value)

        for batch in _batches(items, config.flow.batch_size):
            pending.append(pool.submit(processor.process_items, batch))
            if len(pending) >= threads:
                load(pending.popleft().result())
        while pending:
            load(pending.popleft().result())
        processor.close()  # before the final checkpoint, as the flow does
        wh.finish_run(run_id, "completed", counts, documents, seconds)
        start = time.perf_counter()
        wh.publish_snapshot()
        spend("publish", time.perf_counter() - start)
    return counts, seconds, documents


def library_timing(
    name: str, sources: Sequence[str], config: Config, db: Path, *, workers: int
) -> Timing:
    (counts, stages, docs), spent = measure(
        lambda: ingest_library(sources, config, db, workers=workers)
    )
    return Timing(
        name,
        docs,
        spent.seconds_wall,
        spent.seconds_cpu,
        spent.peak_rss,
        stages=stages,
        db_bytes=database_bytes(db),
        articles=counts.inserted + counts.updated,
        start_rss=spent.start_rss,
    )


def database_bytes(db: Path) -> int:
    """The warehouse file plus its write-ahead log (the snapshot is a copy, not counted)."""
    wal = db.with_name(db.name + ".wal")
    return db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def fresh_db(folder: Path, name: str) -> Path:
    """A path for a new warehouse file (any earlier one of that name removed)."""
    for suffix in ("", ".wal", ".lock"):
        Path(folder / f"{name}.duckdb{suffix}").unlink(missing_ok=True)
    snapshot = folder / f"{name}.snapshot.duckdb"
    snapshot.unlink(missing_ok=True)
    return folder / f"{name}.duckdb"


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------------- metadata agreement


@dataclass(slots=True)
class Agreement:
    """How often presswash's metadata equals trafilatura's default metadata on the same pages."""

    pages: int = 0
    same: dict[str, int] = field(default_factory=dict)
    found_default: dict[str, int] = field(default_factory=dict)
    found_presswash: dict[str, int] = field(default_factory=dict)
    cpu_default: float = 0.0
    cpu_presswash: float = 0.0

    def share(self, name: str) -> float:
        return self.same.get(name, 0) / self.pages if self.pages else 0.0


METADATA_FIELDS: tuple[str, ...] = ("title", "author", "date", "sitename")


def metadata_agreement(pages: Sequence[str]) -> Agreement:
    """Compare ``page_metadata`` with trafilatura's ``extract_metadata`` defaults, timing both."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    agreement = Agreement()
    for page in pages:
        # Each side on its own parser's tree, as each runs in production.
        tree, ours_tree = load_html(page), parse_html(page)
        if tree is None or ours_tree is None:
            continue
        start = time.process_time()
        default = extract_metadata(tree)
        middle = time.process_time()
        ours = page_metadata(ours_tree)
        agreement.cpu_default += middle - start
        agreement.cpu_presswash += time.process_time() - middle
        agreement.pages += 1
        for name in METADATA_FIELDS:
            theirs, mine = getattr(default, name), getattr(ours, name)
            agreement.same[name] = agreement.same.get(name, 0) + (theirs == mine)
            agreement.found_default[name] = agreement.found_default.get(name, 0) + bool(theirs)
            agreement.found_presswash[name] = agreement.found_presswash.get(name, 0) + bool(mine)
    return agreement


# ------------------------------------------------------------------------- report


@dataclass(slots=True)
class CorpusReport:
    """Everything measured on one corpus, in the order the table prints it."""

    corpus: str
    reference: Timing
    hand_written: Timing
    flow: Timing | None = None
    library: Timing | None = None
    one_worker: Timing | None = None
    fixed_cost: float | None = None
    """Seconds the flow adds to a one-document ingest (Prefect's per-run fixed cost)."""
    notes: list[str] = field(default_factory=list)


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:,.0f} MB"


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}x" if reference else "-"


def render(report: CorpusReport) -> str:
    ref, hand = report.reference, report.hand_written
    lines = [
        f"== {report.corpus}",
        f"{'run':<46} {'docs':>7} {'docs/s':>8} {'docs/CPU-s':>10} {'/ref wall':>9} "
        f"{'/ref CPU':>8} {'/hand wall':>10} {'/hand CPU':>9} {'peak RSS':>9}",
    ]
    runs = [r for r in (ref, hand, report.flow, report.library, report.one_worker) if r]
    for run in runs:
        lines.append(
            f"{run.name:<46} {run.docs:>7} {run.docs_per_s:>8.1f} {run.docs_per_cpu_s:>10.1f} "
            f"{_ratio(run.docs_per_s, ref.docs_per_s):>9} "
            f"{_ratio(run.docs_per_cpu_s, ref.docs_per_cpu_s):>8} "
            f"{_ratio(run.docs_per_s, hand.docs_per_s):>10} "
            f"{_ratio(run.docs_per_cpu_s, hand.docs_per_cpu_s):>9} {_mb(run.peak_rss):>9}"
        )
    lines.append(
        "wall = docs per second of elapsed time (what both cores buy); CPU = docs per CPU-second"
        " of the whole process tree, extraction workers included (what a document costs)."
    )
    if report.flow and report.library:
        flow, library = report.flow, report.library
        for run in (flow, library):
            shares = stage_shares(run.stages)
            lines.append(
                f"stage shares, {run.name}: "
                + ", ".join(f"{stage} {share:.1%}" for stage, share in shares.items())
            )
        lines.append(
            f"orchestration (flow - library): {flow.wall - library.wall:+.1f} s wall"
            f" ({(flow.wall - library.wall) / max(flow.wall, 1e-9):+.1%} of the flow's),"
            f" {flow.cpu - library.cpu:+.1f} CPU-s"
            f" ({(flow.cpu - library.cpu) / max(flow.cpu, 1e-9):+.1%})"
        )
        lines.append(
            "peak RSS is the whole process tree (this process and the extraction workers);"
            " it already held "
            + ", ".join(f"{_mb(r.start_rss)} before the {r.name}" for r in (flow, library))
            + " (imports, what the earlier runs left)"
        )
        lines.append(
            f"DuckDB file: {_mb(flow.db_bytes)} for {flow.articles} articles"
            f" (library run: {_mb(library.db_bytes)}); task runs the server recorded for"
            f" the flow run: {flow.task_runs}"
        )
    if report.fixed_cost is not None:
        lines.append(
            f"Prefect fixed cost per run (flow - library, 1 document): {report.fixed_cost:.2f} s"
        )
    lines.extend(report.notes)
    return "\n".join(lines)


def render_agreement(agreement: Agreement) -> str:
    lines = [
        f"== metadata: presswash page_metadata vs trafilatura extract_metadata defaults,"
        f" {agreement.pages} pages",
        f"{'field':<10} {'same':>7} {'found (trafilatura)':>20} {'found (presswash)':>18}",
    ]
    for name in METADATA_FIELDS:
        lines.append(
            f"{name:<10} {agreement.share(name):>7.1%} {agreement.found_default.get(name, 0):>20}"
            f" {agreement.found_presswash.get(name, 0):>18}"
        )
    if agreement.cpu_presswash:
        lines.append(
            f"CPU per page: trafilatura {1000 * agreement.cpu_default / agreement.pages:.2f} ms,"
            f" presswash {1000 * agreement.cpu_presswash / agreement.pages:.2f} ms"
            f" ({agreement.cpu_default / agreement.cpu_presswash:.1f}x cheaper)"
        )
    return "\n".join(lines)
