"""A small end-to-end ``presswash bench`` run: every section prints, on a few documents."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from flows.cli import main
from pipeline import bench
from tests.pipeline.test_extract import PAGE


def test_bench_prints_ratios_shares_memory_and_metadata_agreement(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.html").write_text(PAGE)
    (real / "b.html").write_text(bench.synthetic_page(5))
    result = CliRunner().invoke(
        main,
        [
            "bench",
            "--real",
            str(real),
            "--real-docs",
            "8",
            "--reference-docs",
            "4",
            "--no-one-worker",
            "--metadata",
            "--workdir",
            str(tmp_path / "work"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== metadata" in out and "title" in out
    assert "repeated to 8" in out
    for row in (
        "trafilatura.extract, no metadata",
        "bare_extraction(with_metadata) + langdetect",
        "presswash ingest (Prefect flow, 2 workers)",
        "library path, 2 workers (no Prefect)",
    ):
        assert row in out
    assert "library path, 1 worker" not in out
    assert "stage shares, presswash ingest" in out and "extract " in out
    assert "DuckDB file:" in out and "for 8 articles" in out
    assert "MB before the presswash ingest" in out and "MB before the library path" in out
    assert "Prefect fixed cost per run" in out
    assert not (tmp_path / "work" / "real").exists()  # the corpus is removed after its run
