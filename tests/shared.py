"""Where the shared folder sits: beside the checkout (``../shared``), wherever that is cloned.

Tests that read the seeds or the benchmarks skip when it is missing; a fixed absolute path
would make them skip silently on every machine but one.
"""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
