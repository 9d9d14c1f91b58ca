"""The benchmark's measuring pieces: corpora, stage shares, RSS and CPU of a process tree."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipeline import bench
from pipeline.config import Config
from pipeline.extract import Extractor
from tests.pipeline.test_extract import PAGE

ALLOCATE_AND_WAIT = (
    "import sys, time; block = bytearray(80 * 2**20); block[::4096] = b'x' * len(block[::4096]);"
    " print('ready', flush=True); sys.stdin.readline()"
)
BUSY = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"


def test_the_synthetic_corpus_is_deterministic_and_varied(tmp_path: Path) -> None:
    assert bench.synthetic_page(7, seed=1) == bench.synthetic_page(7, seed=1)
    assert bench.synthetic_page(7, seed=1) != bench.synthetic_page(8, seed=1)
    assert bench.synthetic_page(7, seed=1) != bench.synthetic_page(7, seed=2)
    first = [p.read_bytes() for p in bench.write_synthetic(tmp_path / "a", 5, seed=3)]
    again = [p.read_bytes() for p in bench.write_synthetic(tmp_path / "b", 5, seed=3)]
    assert first == again and len(set(first)) == 5


def test_a_synthetic_page_is_an_article_with_metadata() -> None:
    page = bench.synthetic_page(3)
    extracted = Extractor()(page)
    assert len(extracted.text.split()) > 40
    assert extracted.author and extracted.published_at and extracted.title
    assert extracted.url and extracted.url.startswith("https://news3.example/")


def test_repeated_real_pages_become_distinct_articles(tmp_path: Path) -> None:
    paths = bench.write_repeated(tmp_path, [("a.html", PAGE), ("b.html", PAGE)], 5)
    assert len(paths) == 5
    urls = {Extractor()(p.read_text()).url for p in paths}
    assert urls == {
        "https://gazette.example.test/news/pier-closure",  # round 0: the pages as they are
        "https://copy1.bench.example/a.html",
        "https://copy1.bench.example/b.html",
        "https://copy2.bench.example/a.html",
    }
    assert Extractor()(paths[2].read_text()).text == Extractor()(PAGE).text


def test_stage_shares_divide_each_stage_by_the_sum_of_the_stages() -> None:
    shares = bench.stage_shares({"extract": 6.0, "strip": 1.0, "language": 1.0, "load": 2.0})
    assert shares == {"extract": 0.6, "strip": 0.1, "language": 0.1, "load": 0.2}
    assert bench.stage_shares({"not-a-stage": 3.0}) == {}
    assert bench.stage_shares({}) == {}


def test_tree_rss_includes_a_child_and_the_peak_catches_it() -> None:
    before = bench.tree_rss_bytes()
    with bench.PeakRss(interval=0.02) as peak:
        child = subprocess.Popen(
            [sys.executable, "-c", ALLOCATE_AND_WAIT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        during = bench.tree_rss_bytes()
        time.sleep(0.1)
        child.communicate("\n")
    assert during - before > 70 * 2**20
    assert peak.peak >= during - 5 * 2**20
    assert abs(peak.start - before) < 20 * 2**20  # the start excludes the child
    assert bench.tree_rss_bytes() < during


def test_tree_cpu_counts_children_live_and_reaped() -> None:
    start = bench.tree_cpu_seconds()
    subprocess.run([sys.executable, "-c", BUSY], check=True)
    assert bench.tree_cpu_seconds() - start >= 0.35


def test_metadata_agreement_on_a_page_with_every_field() -> None:
    agreement = bench.metadata_agreement([PAGE, bench.synthetic_page(1)])
    assert agreement.pages == 2
    assert {name: agreement.share(name) for name in bench.METADATA_FIELDS} == dict.fromkeys(
        bench.METADATA_FIELDS, 1.0
    )
    assert "title" in bench.render_agreement(agreement)


def test_the_library_ingest_loads_every_document(tmp_path: Path) -> None:
    bench.write_synthetic(tmp_path / "corpus", 6)
    db = bench.fresh_db(tmp_path, "w")
    timing = bench.library_timing("lib", [str(tmp_path / "corpus")], Config(), db, workers=2)
    assert (timing.docs, timing.articles) == (6, 6)
    assert {"read", "extract", "strip", "language", "load"} <= set(timing.stages)
    assert timing.db_bytes and timing.peak_rss > 0 and timing.cpu > 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (6,)
