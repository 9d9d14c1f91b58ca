"""The cleaner version: which code, cue lexicon and settings turned raw input into text.

Every article version records it, so an analyst can tell which articles a stripper fix has
reached and ``presswash reclean`` knows what it is replacing. It is the presswash version
plus a short hash of everything that decides the clean text: the source of the cleaning
modules (a fix need not bump the version number), the cue lexicon, the trafilatura version
and the extract/strip/language/quality sections of the config.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata, resources

from pipeline import __version__
from pipeline.config import Config

CLEANING_MODULES = (
    "basic_clean.py",
    "blocks.py",
    "continuation.py",
    "decode.py",
    "extract.py",
    "fallback_gate.py",
    "html_tree.py",
    "language.py",
    "lead.py",
    "metadata.py",
    "process.py",
    "quality.py",
    "raw_prune.py",
    "sources.py",
    "strip.py",
    "strip_edges.py",
    "structure.py",
)
"""The library modules whose code decides an article's text and metadata."""


def cleaner_version(config: Config) -> str:
    """``<presswash version>+<12 hex>``, e.g. ``0.1.0+3f9a1c2b7d10``."""
    settings = config.model_dump(mode="json", include={"extract", "strip", "language", "quality"})
    digest = hashlib.sha256(_code_and_lexicon_digest().encode())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def _code_and_lexicon_digest() -> str:
    digest = hashlib.sha256(metadata.version("trafilatura").encode())
    package = resources.files("pipeline")
    for name in CLEANING_MODULES:
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    cues = sorted(
        (e for e in package.joinpath("cues").iterdir() if e.name.endswith(".yaml")),
        key=lambda e: e.name,
    )
    for entry in cues:
        digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()
