"""The benchmark harness behind ``presswash eval``: the project scores itself, with each
benchmark's own metric, against plain trafilatura in the same run.

Three dev benchmarks are supported, each with the metric its README defines, re-implemented
here so a claim like "the stripper beats every extractor" rests on code we can read:

- ``aeb``: article-extraction-benchmark (scrapinghub), 4-token shingle precision / recall
  averaged over pages. A text-only variant (JSONL of ``raw_text`` / ``clean_text``) scores
  the stripper alone against not stripping at all.
- ``trafeval``: trafilatura's evaluation set, "with" / "without" snippets found by
  whitespace-collapsed substring matching, counts summed over pages.
- ``langid``: macro accuracy of language identification on sentences, 5-sentence
  paragraphs, 20-sentence articles, word pairs and single words.

Systems run one after another on the same page, so drifting machine load hits them alike,
and are timed in CPU seconds (``time.process_time``), so other work on the machine does not
skew the docs/s ratios. The ``presswash`` system is the ingestion path itself
(``Processor.process``), with the quality gate off: the benchmark asks for every page's
text, and dropping a short article would score as an empty prediction.
"""

from __future__ import annotations

import gzip
import json
import math
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import trafilatura

from pipeline.config import Config, LanguageConfig, QualityConfig
from pipeline.decode import decode
from pipeline.document import Article, Failure, RawDocument
from pipeline.language import UNDETERMINED, detect_language
from pipeline.process import WARM_UP_HTML, Processor
from pipeline.strip import Stripper, StripResult

TRAFILATURA_DEFAULT = "trafilatura-default"
TRAFILATURA_PRECISION = "trafilatura-precision"
TRAFILATURA_NO_COMMENTS = "trafilatura-no-comments"
PRESSWASH = "presswash"
SYSTEMS: tuple[str, ...] = (TRAFILATURA_DEFAULT, TRAFILATURA_PRECISION, PRESSWASH)
"""The systems compared on HTML benchmarks by default, in table order."""
KNOWN_SYSTEMS: tuple[str, ...] = (*SYSTEMS, TRAFILATURA_NO_COMMENTS)
"""Opt-in: trafilatura's defaults without comments, the setting trafilatura's own evaluation
(and so the trafeval README's "default" reference row) uses."""

NO_STRIPPING = "no-stripping"
PRESSWASH_STRIP = "presswash-strip"

SHINGLE_SIZE = 4
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 0
"""A fixed seed keeps the reported spread identical between runs of the same outputs."""

PARAGRAPH_SENTENCES = 5
ARTICLE_SENTENCES = 20
LANGID_CATEGORIES: tuple[str, ...] = (
    "sentences",
    "paragraphs",
    "articles",
    "word-pairs",
    "single-words",
)
CONFIGURED_SUFFIX = " (configured)"
"""Marks langid rows scored with the project's LanguageConfig, which may answer ``und``."""

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Score:
    """One system's result on one benchmark (or one langid category)."""

    precision: float
    recall: float
    f1: float
    docs: int
    seconds: float
    """CPU seconds spent inside the system, not in reading or scoring."""
    accuracy: float | None = None
    f1_std: float | None = None
    """Bootstrap standard deviation of F1 over pages (AEB metric only)."""
    und_rate: float | None = None
    """Share of items answered ``und`` (langid only)."""

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds > 0 else math.inf


@dataclass(frozen=True)
class EvalReport:
    """All systems' scores on one benchmark plus what presswash's stripper did there."""

    benchmark: str
    rows: dict[str, Score]
    """System name -> score, in the order the systems were given."""
    removed_by_reason: dict[str, int] = field(default_factory=dict)
    """Lines the presswash stripper removed, per reason code, summed over the benchmark."""
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    """presswash documents that became a ``Failure`` (scored as empty), per reason code."""
    notes: tuple[str, ...] = ()
    """Further measurements, printed under the table."""

    def to_table(self) -> str:
        """A plain-text table; optional columns appear only when some row has them."""
        columns: list[tuple[str, Callable[[Score], str]]] = [
            ("P", lambda s: f"{s.precision:.3f}"),
            ("R", lambda s: f"{s.recall:.3f}"),
            ("F1", lambda s: f"{s.f1:.3f}"),
        ]
        scores = self.rows.values()
        if any(s.f1_std is not None for s in scores):
            columns.append(("±F1", lambda s: _optional(s.f1_std, ".3f")))
        if any(s.accuracy is not None for s in scores):
            columns.append(("acc", lambda s: _optional(s.accuracy, ".3f")))
        if any(s.und_rate is not None for s in scores):
            columns.append(("und", lambda s: _optional(s.und_rate, ".3f")))
        columns += [("docs", lambda s: str(s.docs)), ("docs/s", _rate)]
        header = ["system", *(name for name, _ in columns)]
        body = [
            [system, *(fmt(score) for _, fmt in columns)] for system, score in self.rows.items()
        ]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
        lines = [f"benchmark: {self.benchmark}"]
        for row in [header, *body]:
            cells = [
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells))
        for title, counts in (
            ("presswash removed lines", self.removed_by_reason),
            ("presswash failures (scored empty)", self.failed_by_reason),
        ):
            if counts:
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                lines.append(f"{title}: " + ", ".join(f"{k} {v}" for k, v in ranked))
        lines.extend(self.notes)
        return "\n".join(lines)


def _rate(score: Score) -> str:
    """docs/s, or "-" for a system that does no work (the no-stripping baseline)."""
    return f"{score.docs_per_s:.1f}" if math.isfinite(score.docs_per_s) else "-"


def _optional(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


# ---------------------------------------------------------------------------- AEB metric


class ShingleCounts(NamedTuple):
    """A page's shingle tp / fp / fn, normalised by their sum so every page weighs the same."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """None when the prediction is empty: such pages are left out of the precision mean."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        """None when the truth is empty (never in AEB), mirroring the reference script."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    # A text shorter than a shingle is one shingle of all its tokens.
    count = max(1, len(tokens) - SHINGLE_SIZE + 1)
    return Counter(tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(count))


def aeb_metric(prediction: str, truth: str) -> ShingleCounts:
    """Compare multisets of 4-token shingles of one page (the AEB reference metric)."""
    pred, true = _shingles(prediction), _shingles(truth)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return ShingleCounts(0.0, 0.0, 0.0)
    return ShingleCounts(tp / total, fp / total, fn / total)


def aeb_means(pages: Sequence[ShingleCounts]) -> tuple[float, float, float]:
    """Precision (mean over pages with a prediction), recall (mean over pages), F1 of the two.

    An empty mean is 0.0 rather than an error, so a bootstrap sample of a tiny set in which
    no page has a prediction still counts, as a failure.
    """
    precisions = [p for page in pages if (p := page.precision) is not None]
    recalls = [r for page in pages if (r := page.recall) is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    total = precision + recall
    return precision, recall, 2 * precision * recall / total if total else 0.0


def _aeb_score(pages: Sequence[ShingleCounts], seconds: float) -> Score:
    precision, recall, f1 = aeb_means(pages)
    rng = random.Random(BOOTSTRAP_SEED)
    n = len(pages)
    samples = [
        aeb_means([pages[i] for i in rng.choices(range(n), k=n)])[2]
        for _ in range(BOOTSTRAP_SAMPLES)
    ]
    return Score(precision, recall, f1, docs=n, seconds=seconds, f1_std=statistics.stdev(samples))


# ---------------------------------------------------------------------------- systems


class _Systems:
    """Runs the chosen HTML systems on each page, timing each and tallying presswash's work."""

    def __init__(self, config: Config, names: Sequence[str]) -> None:
        unknown = [name for name in names if name not in KNOWN_SYSTEMS]
        if unknown or not names:
            raise ValueError(f"unknown or no systems {unknown} (known: {', '.join(KNOWN_SYSTEMS)})")
        self.names = tuple(names)
        self.seconds = dict.fromkeys(self.names, 0.0)
        self.removed: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        # Extraction in-process: CPU time is measured here, and a worker process would hide it.
        in_process = config.extract.model_copy(update={"max_seconds": None})
        ungated = config.model_copy(
            update={"quality": QualityConfig(min_words=None), "extract": in_process}
        )
        self._processor = Processor(ungated)
        self._stripper = self._processor.strip = _TimedStripper(ungated.strip)
        for name in self.names:
            self._run(name, RawDocument("warm-up", WARM_UP_HTML, "html"))
        self._stripper.seconds = 0.0

    def outputs(self, source: str, html: str, url: str | None) -> dict[str, str]:
        """Each system's body text for one page; a presswash ``Failure`` is an empty text."""
        doc = RawDocument(source=source, content=html, kind="html", url=url)
        texts = {}
        for name in self.names:
            start = time.process_time()
            outcome = self._run(name, doc)
            self.seconds[name] += time.process_time() - start
            if isinstance(outcome, Article):
                self.removed.update(removal.reason for removal in outcome.removals)
                outcome = outcome.text
            elif isinstance(outcome, Failure):
                self.failed[outcome.reason] += 1
                outcome = ""
            texts[name] = outcome
        return texts

    def report(self, benchmark: str, rows: dict[str, Score]) -> EvalReport:
        """The systems' scores with what presswash removed, failed and spent stripping."""
        return EvalReport(
            benchmark=benchmark,
            rows=rows,
            removed_by_reason=dict(self.removed),
            failed_by_reason=dict(self.failed),
            notes=self._stripper_note(),
        )

    def _stripper_note(self) -> tuple[str, ...]:
        """The stripper's CPU time on these pages against trafilatura's extraction of them
        (its budget is a tenth) and against presswash's whole time."""
        total = self.seconds.get(PRESSWASH)
        if not total:
            return ()
        strip = self._stripper.seconds
        parts = [f"{strip / total:.1%} of presswash's time"]
        if reference := self.seconds.get(TRAFILATURA_DEFAULT):
            parts.insert(0, f"{strip / reference:.1%} of trafilatura-default's")
        return (f"presswash stripper: {strip:.2f} CPU-s, " + ", ".join(parts),)

    def _run(self, name: str, doc: RawDocument) -> str | Article | Failure:
        if name == PRESSWASH:
            return self._processor.process(doc)
        if name == TRAFILATURA_PRECISION:
            text = trafilatura.extract(
                doc.content, url=doc.url, favor_precision=True, include_comments=False
            )
        elif name == TRAFILATURA_NO_COMMENTS:
            text = trafilatura.extract(doc.content, url=doc.url, include_comments=False)
        else:
            text = trafilatura.extract(doc.content, url=doc.url)
        return text or ""


class _TimedStripper(Stripper):
    """The stripper, adding up the CPU time it takes."""

    seconds: float = 0.0

    def __call__(self, text: str, **signals: Any) -> StripResult:
        start = time.process_time()
        try:
            return super().__call__(text, **signals)
        finally:
            self.seconds += time.process_time() - start


def _read_html(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return decode(data, html=True)


# ---------------------------------------------------------------------------- AEB


def evaluate_aeb(
    root: Path, config: Config, systems: Sequence[str] = SYSTEMS, limit: int | None = None
) -> EvalReport:
    """Score the systems on an AEB folder (``ground-truth.json`` + ``html/<id>.html.gz``).

    Pages are taken in sorted id order, so ``limit`` always picks the same pages.
    """
    truth: dict[str, dict[str, str]] = json.loads(
        (root / "ground-truth.json").read_text(encoding="utf-8")
    )
    runner = _Systems(config, systems)
    pages: dict[str, list[ShingleCounts]] = {name: [] for name in runner.names}
    for page_id in sorted(truth)[:limit]:
        html = _read_html(root / "html" / f"{page_id}.html.gz")
        outputs = runner.outputs(page_id, html, truth[page_id].get("url"))
        for name, text in outputs.items():
            pages[name].append(aeb_metric(text, truth[page_id].get("articleBody") or ""))
    return runner.report(
        "aeb", {name: _aeb_score(pages[name], runner.seconds[name]) for name in runner.names}
    )


def _text_records(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record, dict) or not {"raw_text", "clean_text"} <= record.keys():
                raise ValueError(f"{path}:{number}: a record needs raw_text and clean_text")
            yield str(record["raw_text"] or ""), str(record["clean_text"] or "")


def evaluate_aeb_text(
    root: Path, config: Config, file: str = "aeb_text_trafilatura.jsonl"
) -> EvalReport:
    """Score the stripper alone on ``{raw_text, clean_text}`` records, against not stripping.

    ``root`` is a JSONL file, or a folder holding ``file``. The page title is unknown here,
    so the title-repeat rule cannot fire; every other rule sees what it sees in ingestion.
    The clean texts also go through the stripper on their own: text without boilerplate
    should come out whole, and the note says how many of its lines did.
    """
    path = root if root.is_file() else root / file
    stripper = Stripper(config.strip)
    seconds = dict.fromkeys((NO_STRIPPING, PRESSWASH_STRIP), 0.0)
    pages: dict[str, list[ShingleCounts]] = {name: [] for name in seconds}
    removed: Counter[str] = Counter()
    clean_lines = clean_kept = 0
    for raw_text, clean_text in _text_records(path):
        start = time.process_time()
        stripped = stripper(raw_text, title=None)
        seconds[PRESSWASH_STRIP] += time.process_time() - start
        removed.update(removal.reason for removal in stripped.removals)
        pages[NO_STRIPPING].append(aeb_metric(raw_text, clean_text))
        pages[PRESSWASH_STRIP].append(aeb_metric(stripped.text, clean_text))
        lines = [line for line in clean_text.splitlines() if line.strip()]
        clean_lines += len(lines)
        clean_kept += len(lines) - len(stripper("\n".join(lines), title=None).removals)
    share = clean_kept / clean_lines if clean_lines else 1.0
    return EvalReport(
        benchmark=f"aeb-text ({path.name})",
        rows={name: _aeb_score(pages[name], seconds[name]) for name in seconds},
        removed_by_reason=dict(removed),
        notes=(
            f"clean texts through the stripper alone: {clean_kept:,} of {clean_lines:,} lines"
            f" kept ({share:.2%})",
        ),
    )


# ---------------------------------------------------------------------------- trafeval


class Confusion(NamedTuple):
    """Snippet counts: "with" found = tp, missed = fn; "without" found = fp, absent = tn."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def trafeval_counts(output: str, with_: Iterable[str], without: Iterable[str]) -> Confusion:
    """Count one page's snippets in the output, whitespace collapsed on both sides."""
    text = _collapse(output)
    found_with = [_collapse(snippet) in text for snippet in with_]
    found_without = [_collapse(snippet) in text for snippet in without]
    return Confusion(
        tp=sum(found_with),
        fp=sum(found_without),
        fn=found_with.count(False),
        tn=found_without.count(False),
    )


def trafeval_score(pages: Sequence[Confusion], seconds: float = 0.0) -> Score:
    """Precision, recall, accuracy and F1 of the counts summed over pages (0.0 when undefined)."""
    tp, fp, fn, tn = (sum(column) for column in zip(*pages, strict=True)) if pages else (0,) * 4
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    return Score(
        precision=precision,
        recall=recall,
        f1=2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
        docs=len(pages),
        seconds=seconds,
        accuracy=(tp + tn) / total if total else 0.0,
    )


def evaluate_trafeval(
    root: Path, config: Config, systems: Sequence[str] = SYSTEMS, limit: int | None = None
) -> EvalReport:
    """Score the systems on a trafeval folder (``pages.json`` + ``html/``), counts summed."""
    pages = json.loads((root / "pages.json").read_text(encoding="utf-8"))["pages"][:limit]
    runner = _Systems(config, systems)
    counts: dict[str, list[Confusion]] = {name: [] for name in runner.names}
    for page in pages:
        outputs = runner.outputs(page["id"], _read_html(root / page["html"]), page.get("url"))
        for name, text in outputs.items():
            counts[name].append(trafeval_counts(text, page["with"], page["without"]))
    return runner.report(
        "trafeval",
        {name: trafeval_score(counts[name], runner.seconds[name]) for name in runner.names},
    )


# ---------------------------------------------------------------------------- langid


def _langid_items(root: Path) -> dict[str, dict[str, list[str]]]:
    """category -> language -> items; paragraphs and articles join consecutive sentences.

    A trailing group shorter than its size is dropped so every paragraph has five sentences.
    A category without files (or too few sentences) is left out.
    """
    items: dict[str, dict[str, list[str]]] = {}
    for category in ("sentences", "word-pairs", "single-words"):
        for path in sorted((root / category).glob("*.txt")):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            items.setdefault(category, {})[path.stem] = [line for line in lines if line]
    for category, size in (("paragraphs", PARAGRAPH_SENTENCES), ("articles", ARTICLE_SENTENCES)):
        for lang, sentences in items.get("sentences", {}).items():
            groups = [
                " ".join(sentences[i : i + size]) for i in range(0, len(sentences) - size + 1, size)
            ]
            if groups:
                items.setdefault(category, {})[lang] = groups
    return {c: items[c] for c in LANGID_CATEGORIES if c in items}


def _langid_score(by_lang: dict[str, list[str]], config: LanguageConfig) -> Score:
    """Macro scores over languages; ``und`` is a wrong answer.

    accuracy = recall = mean per-language share of correct answers; precision = mean
    per-language share correct among the items that got an answer, which shows what the
    ``und`` threshold buys.
    """
    accuracies: list[float] = []
    precisions: list[float] = []
    undetermined = total = 0
    seconds = 0.0
    for lang, texts in by_lang.items():
        start = time.process_time()
        answers = [detect_language(text, config)[0] for text in texts]
        seconds += time.process_time() - start
        # langdetect names Chinese zh-cn / zh-tw; the files use the 2-letter code.
        codes = [answer.split("-")[0] for answer in answers]
        correct = codes.count(lang)
        answered = len(codes) - codes.count(UNDETERMINED)
        accuracies.append(correct / len(codes))
        precisions.append(correct / answered if answered else 0.0)
        undetermined += len(codes) - answered
        total += len(codes)
    accuracy = statistics.fmean(accuracies)
    precision = statistics.fmean(precisions)
    total_pr = precision + accuracy
    return Score(
        precision=precision,
        recall=accuracy,
        f1=2 * precision * accuracy / total_pr if total_pr else 0.0,
        docs=total,
        seconds=seconds,
        accuracy=accuracy,
        und_rate=undetermined / total,
    )


def evaluate_langid(root: Path, config: Config) -> EvalReport:
    """Score ``detect_language`` per category, forced to answer and as configured.

    The forced rows (min_chars=1, min_prob=0) are comparable with the README's langdetect
    anchors; the ``(configured)`` rows show what ingestion records, ``und`` included.
    """
    forced = config.language.model_copy(update={"min_chars": 1, "min_prob": 0.0})
    detect_language(WARM_UP_HTML, forced)  # load langdetect's profiles before timing
    rows: dict[str, Score] = {}
    for category, by_lang in _langid_items(root).items():
        rows[category] = _langid_score(by_lang, forced)
        rows[category + CONFIGURED_SUFFIX] = _langid_score(by_lang, config.language)
    return EvalReport(benchmark="langid", rows=rows)


# ---------------------------------------------------------------------------- dispatch


def detect_benchmark(root: Path) -> str:
    """Name the benchmark format of ``root`` from what it holds, so the CLI needs no flag."""
    if root.is_file() and root.suffix == ".jsonl":
        return "text-jsonl"
    if (root / "ground-truth.json").is_file() and (root / "html").is_dir():
        return "aeb"
    if (root / "pages.json").is_file():
        return "trafeval"
    if (root / "sentences").is_dir():
        return "langid"
    raise ValueError(
        f"{root}: not a benchmark (expected ground-truth.json + html/, pages.json, "
        "sentences/, or a .jsonl file of raw_text/clean_text records)"
    )
