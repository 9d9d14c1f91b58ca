"""Typed configuration: ``config.yaml`` overrides only what it sets; defaults live here.

Unknown keys are rejected and every error names the file and the dotted key path, because a
misspelt option that is silently ignored is the worst kind of configuration bug.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_CONFIG_FILE = Path("config.yaml")


class ConfigError(Exception):
    """A configuration problem worded for the person who wrote the file."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourcesConfig(_Section):
    paths: tuple[str, ...] = ()
    """Files or directories to ingest when none are given on the command line."""
    max_file_bytes: Annotated[int, Field(gt=0)] = 50_000_000
    """Inputs larger than this (after decompression) are recorded as ``read.too_large``."""


class ExtractConfig(_Section):
    """trafilatura's options. Its default mode without comments, then the stripper, measured
    best on aeb-dev and trafeval-dev (favor_precision drops body text nothing brings back)."""

    favor_precision: bool = False
    favor_recall: bool = False
    include_comments: bool = False
    include_tables: bool = True
    with_metadata: bool = True
    max_seconds: Annotated[float, Field(gt=0)] | None = 30
    """Per-document limit in CPU seconds (``extract.timeout``); extraction then runs in worker
    processes. CPU time, not the clock, so a page's verdict does not depend on the machine's load.

    None extracts in-process with no limit (a pathological page can then stall a batch).
    """
    link_density: bool = True
    """Measure each block's share of link text for the stripper's related-links rule."""
    min_extracted_words: Annotated[int, Field(ge=0)] | None = 20
    """A result with fewer words is extracted again in favor_recall mode, and the longer text
    kept: on a page where trafilatura picks the wrong block, recall mode finds the story. The
    default is quality.min_words' default, the length below which the article would be dropped
    anyway; a higher value retries more pages, each at the cost of a second extraction."""
    fallback_below_chars: Annotated[int, Field(ge=0)] | None = 2500
    """trafilatura checks its text against readability's (and jusText's) only when the text is
    shorter than this or structurally deficient (``pipeline/fallback_gate.py``); a long, well
    formed text is kept as it is (extraction 0.89x the CPU on the dev pages). The default is
    trafilatura's own threshold for this skip in recall mode; None compares every page."""
    recover_lead: bool = True
    """Put back a page's lead paragraph (class "lead", "intro", "teaser", ...) when trafilatura
    leaves it out above the body (``pipeline/lead.py``)."""
    recover_continuation: bool = True
    """Put back the prose of the other chunks of a body the page splits into same-class
    containers (around an advert, say) when trafilatura took only some of them, before or
    after its text (``pipeline/continuation.py``)."""


class StripConfig(_Section):
    enabled: bool = True
    disabled_rules: tuple[str, ...] = ()
    """Reason codes (e.g. ``strip.share_follow``) whose rules are switched off."""
    elements: bool = True
    """Read trafilatura's element types (headings and their levels) for the structural rules
    (``strip.orphan_heading``, ``strip.standfirst``); off, HTML is stripped like plain text
    apart from link density."""
    standfirst: bool = False
    """Also remove a sentence-long heading above the first paragraph (``strip.standfirst``).
    Off by default: benchmarks disagree on whether a standfirst is article text (measured on
    dev: AEB's articleBody leaves it out, F1 +.003; trafilatura's evaluation keeps it, -.003)."""


class LanguageConfig(_Section):
    min_prob: Annotated[float, Field(ge=0, le=1)] = 0.70
    """Below this probability the language is recorded as ``und``."""
    min_chars: Annotated[int, Field(ge=0)] = 20
    max_chars: Annotated[int, Field(gt=0)] = 1000
    """Only the first characters are read: accuracy is the same and detection 2x faster."""
    trials: Annotated[int, Field(ge=1)] = 5
    """Random sampling trials averaged per text (langdetect's own default is 7). Measured on
    langid-dev: 5 trials cost 0.77x the CPU of 7 at the same accuracy (sentences .960 against
    .961 with ``min_prob``, paragraphs and articles 1.000); 3 cost 0.55x but left 0.4 % of
    paragraphs below ``min_prob``."""


class QualityConfig(_Section):
    min_words: Annotated[int, Field(ge=0)] | None = 20
    """Articles with fewer clean words are dropped as ``quality.too_few_words``; None keeps all."""
    max_link_ratio: Annotated[float, Field(gt=0)] | None = 10.0
    """Words in headline links per word of text above which a page is a listing
    (``quality.not_article``); the 121 aeb-dev articles reach 5."""
    max_login_ratio: Annotated[float, Field(gt=0, le=1)] | None = 0.3
    """Share of the body in lines with sign-in / subscribe cues above which a page is a login
    or paywall page (``quality.not_article``)."""


_MEMORY_SIZE = r"^\d+(\.\d+)?\s*[KMGT]i?B$"
"""A size DuckDB's ``SET memory_limit`` takes: ``256MB``, ``1.5GB``, ``2GiB``."""


class WarehouseConfig(_Section):
    path: Path = Path("warehouse/presswash.duckdb")
    lock_timeout_seconds: Annotated[float, Field(ge=0)] = 30
    """How long an ingest waits for another process to release the file before giving up."""
    min_snapshot_interval_seconds: Annotated[float, Field(ge=0)] | None = 60.0
    """During a run, publish the read-only snapshot after a batch at most this often (0: after
    every batch); None publishes only when the run ends. Each publish copies the whole file."""
    memory_limit: Annotated[str, Field(pattern=_MEMORY_SIZE)] | None = "96MB"
    """DuckDB's buffer pool for the writer (``SET memory_limit``, e.g. ``512MB``, ``2GiB``);
    beyond it DuckDB spills to ``<file>.tmp``. None: DuckDB's default, 80 % of the RAM, which
    keeps the writer growing with the warehouse (3 GB at 100,000 articles)."""
    threads: Annotated[int, Field(gt=0)] | None = 1
    """DuckDB threads for the writer (``SET threads``). One, because the extraction workers
    already keep the cores busy: loading 779 real articles took 1.9 CPU-s on one thread and
    3.1 on two, and no less time. None: DuckDB's default, one per core."""
    search_index: bool = True
    """Index each batch's new and changed articles for full-text search as it commits; when
    off, loading skips that work and ``presswash index`` indexes everything on demand."""


class FlowConfig(_Section):
    batch_size: Annotated[int, Field(gt=0, le=10_000)] = 100
    """Documents per Prefect task: large enough that task overhead is negligible."""
    executor: Literal["threads", "dask"] = "threads"
    """Where extract-clean batches run: the flow's threads or a Dask cluster (presswash[dask]).

    Reading, fetching and the one DuckDB writer stay in the flow's process either way."""
    dask_address: Annotated[str, Field(pattern=r"^\S+$")] | None = None
    """Scheduler of a running cluster (``tcp://host:8786``); None starts a LocalCluster here."""
    dask_workers: Annotated[int, Field(gt=0, le=256)] = 2
    """Worker processes of the local cluster (one thread each); unused with ``dask_address``."""
    dask_connect_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    """How long to try to reach the scheduler before the run stops, having written nothing."""

    @model_validator(mode="after")
    def _address_needs_dask(self) -> FlowConfig:
        if self.dask_address is not None and self.executor != "dask":
            raise ValueError("dask_address is only used with executor: dask")
        return self


class Schedule(_Section):
    """A named source group that ``presswash serve`` runs on a cron or an interval."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    cron: str | None = None
    interval_minutes: Annotated[float, Field(gt=0)] | None = None
    timezone: str = "UTC"

    @model_validator(mode="after")
    def _one_trigger(self) -> Schedule:
        if (self.cron is None) == (self.interval_minutes is None):
            raise ValueError("give exactly one of cron or interval_minutes")
        return self


class FetchConfig(_Section):
    """How presswash behaves on the web: polite, bounded, and kept out of private networks."""

    user_agent: str = "presswash/0.1 (news ingestion; +https://pypi.org/project/presswash/)"
    """Sent with every request; its first word is the name robots.txt rules are matched against."""
    connect_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    read_timeout_seconds: Annotated[float, Field(gt=0)] = 20.0
    """Longest silence between two reads of one response."""
    max_request_seconds: Annotated[float, Field(gt=0)] = 60.0
    """Wall-clock cap on one attempt, so a server that trickles bytes cannot hold a worker."""
    retries: Annotated[int, Field(ge=0, le=10)] = 3
    """Extra attempts after a connection error, a timeout, 429 or a 5xx answer."""
    backoff_seconds: Annotated[float, Field(ge=0)] = 1.0
    """First retry delay; doubled on each further attempt."""
    max_retry_after_seconds: Annotated[float, Field(ge=0)] = 120.0
    """A Retry-After longer than this is not waited for: the URL is recorded as rate limited."""
    max_redirects: Annotated[int, Field(ge=0, le=30)] = 5
    max_body_bytes: Annotated[int, Field(gt=0)] = 10_000_000
    """Cap on a body, both as sent and after gzip/deflate/brotli decoding."""
    global_concurrency: Annotated[int, Field(gt=0, le=256)] = 8
    per_host_concurrency: Annotated[int, Field(gt=0, le=64)] = 2
    per_host_delay_seconds: Annotated[float, Field(ge=0)] = 1.0
    """Least time between two request starts on one host (a longer robots.txt Crawl-delay wins)."""
    respect_robots: bool = True
    allow_private_addresses: bool = False
    """Allow loopback, private, link-local and metadata addresses (local test servers)."""
    max_sitemaps: Annotated[int, Field(gt=0)] = 100
    """Child sitemaps followed per sitemap source, so an index cannot fan out without end."""


class Config(_Section):
    sources: SourcesConfig = SourcesConfig()
    fetch: FetchConfig = FetchConfig()
    extract: ExtractConfig = ExtractConfig()
    strip: StripConfig = StripConfig()
    language: LanguageConfig = LanguageConfig()
    quality: QualityConfig = QualityConfig()
    warehouse: WarehouseConfig = WarehouseConfig()
    flow: FlowConfig = FlowConfig()
    schedules: tuple[Schedule, ...] = ()

    @model_validator(mode="after")
    def _unique_schedule_names(self) -> Config:
        names = [s.name for s in self.schedules]
        if duplicates := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"schedule names must be unique: {', '.join(duplicates)}")
        return self

    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True)


def load_config(path: Path | None = None) -> Config:
    """Load and validate a config file; a missing default file means all defaults."""
    explicit = path is not None
    path = path or DEFAULT_CONFIG_FILE
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: config file not found")
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    return parse_config(data or {}, origin=str(path))


def parse_config(data: Any, origin: str = "<config>") -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping of sections")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, origin)) from None


def _explain(exc: ValidationError, origin: str) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            parent = _model_at(err["loc"][:-1])
            allowed = ", ".join(parent.model_fields) if parent else "?"
            lines.append(f"{origin}: {key}: unknown key (allowed here: {allowed})")
            continue
        message = err["msg"].removeprefix("Value error, ")
        given = err.get("input")
        shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
        lines.append(f"{origin}: {key}: {message}{shown}")
    return "\n".join(lines)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that validates the mapping at ``loc``, to list the keys allowed there."""
    annotation: Any = Config
    for part in loc:
        if isinstance(part, int):  # an item of a tuple such as schedules
            args = get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            annotation = field.annotation if field else None
        else:
            return None
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )
