"""Typed configuration: ``config.yaml`` overrides only what it sets; defaults live here.

Unknown keys are rejected and every error names the file and the dotted key path, because a
misspelt option that is silently ignored is the worst kind of configuration bug.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    """trafilatura's options; favor_precision without comments measured best on aeb-dev."""

    favor_precision: bool = True
    favor_recall: bool = False
    include_comments: bool = False
    include_tables: bool = True
    with_metadata: bool = True


class StripConfig(_Section):
    enabled: bool = True
    disabled_rules: tuple[str, ...] = ()
    """Reason codes (e.g. ``strip.share_follow``) whose rules are switched off."""


class LanguageConfig(_Section):
    min_prob: Annotated[float, Field(ge=0, le=1)] = 0.70
    """Below this probability the language is recorded as ``und``."""
    min_chars: Annotated[int, Field(ge=0)] = 20
    max_chars: Annotated[int, Field(gt=0)] = 1000
    """Only the first characters are read: accuracy is the same and detection 2x faster."""


class QualityConfig(_Section):
    min_words: Annotated[int, Field(ge=0)] | None = 20
    """Articles with fewer clean words are dropped as ``quality.too_few_words``; None keeps all."""


class WarehouseConfig(_Section):
    path: Path = Path("warehouse/presswash.duckdb")
    min_snapshot_interval_seconds: Annotated[float, Field(ge=0)] | None = 60.0
    """During a run, publish the read-only snapshot after a batch at most this often (0: after
    every batch); None publishes only when the run ends. Each publish copies the whole file."""
    search_index_after_run: bool = True
    """Rebuild the full-text index when a run completes (on 100k articles ~2 min); when off,
    ``presswash index`` rebuilds it on demand."""


class FlowConfig(_Section):
    batch_size: Annotated[int, Field(gt=0, le=10_000)] = 100
    """Documents per Prefect task: large enough that task overhead is negligible."""


class Config(_Section):
    sources: SourcesConfig = SourcesConfig()
    extract: ExtractConfig = ExtractConfig()
    strip: StripConfig = StripConfig()
    language: LanguageConfig = LanguageConfig()
    quality: QualityConfig = QualityConfig()
    warehouse: WarehouseConfig = WarehouseConfig()
    flow: FlowConfig = FlowConfig()

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
        else:
            lines.append(f"{origin}: {key}: {err['msg']} (got {err.get('input')!r})")
    return "\n".join(lines)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] = Config
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model
