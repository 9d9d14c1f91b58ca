"""One real ingest over a generated directory holding every kind of broken input at once.

Each kind must end as a recorded failure with its reason, or as an article, never as a crash
or a hang; the run completes, and a second run over the same directory adds nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest
from pipeline.sources import SourceItem, discover
from tests.pipeline.test_extract_pool import SENTENCE
from tests.pipeline.test_quality import STORY, article_page, home_page, login_page

MiB = 1024 * 1024
ENGLISH = " ".join(STORY)
ARABIC = (
    "أعلنت وزارة النقل يوم الخميس أنها ستضيف أربعين قطارا يوميا على الخط الساحلي اعتبارا من شهر"
    " يونيو المقبل. وقال المتحدث باسم الوزارة إن الجدول الزمني الجديد سيخفف الازدحام في ساعات"
    " الذروة الصباحية بين أكبر مدينتين في المنطقة."
)
JAPANESE = (
    "市議会は月曜日、新しい図書館の建設計画を承認した。図書館は駅の近くに建てられ、二年後に開館する予定だ。"
    "市長は記者会見で、子どもたちが安心して勉強できる場所を作りたいと述べた。建設費は約三十億円と見込まれている。"
)
CHINESE = (
    "市政府周一宣布，将在明年春天开通一条新的地铁线路，连接火车站和大学城。"
    "这条线路全长十八公里，共设十二个车站。市长在新闻发布会上说，新线路将大大缓解早高峰的交通压力。"
)
FRENCH = (
    "Le conseil municipal a approuvé lundi la rénovation de l’école élémentaire, fermée depuis"
    " l’été dernier. Les travaux coûteront près de deux millions d’euros et dureront un an. "
    "« C’est une très bonne nouvelle pour les familles du quartier », a déclaré la maire."
)


def page(text: str, title: str = "Local news", charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.replace("。", "。\n").splitlines() if p)
    return (
        f"<html><head>{meta}<title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    )


def gzip_bomb(path: Path) -> None:
    """200 MB of spaces in about 200 KB: decompression must stop at sources.max_file_bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = b" " * MiB
    with path.open("wb") as out:
        for _ in range(200):
            out.write(packer.compress(chunk))
        out.write(packer.flush())


@dataclass(frozen=True)
class Kind:
    name: str
    make: Callable[[Path], None]
    expected: str
    """A failure reason, or ``article:`` and a prefix of the language code langdetect gives.

    langdetect is unsure between close relatives on one paragraph (zh-cn / zh-tw, ar / fa):
    those kinds test the script arrives intact, not the detector.
    """
    contains: str = ""
    """For articles: text that must arrive intact (encodings)."""
    recorded_as: str = ""
    """The file name the outcome is recorded under, when not the kind's own."""


def write(data: bytes | str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    return make


def nested(levels: int) -> str:
    return "<html><body>" + "<div>" * levels + f"<p>{ENGLISH}</p>" + "</div>" * levels


JSONL = "\n".join(
    [
        json.dumps({"url": "https://x.test/1", "title": "First record", "text": ENGLISH}),
        '{"url": "https://x.test/2", "text": "cut off in the mid',
        json.dumps({"url": "https://x.test/3", "html": article_page(STORY)}),
        json.dumps({"url": "https://x.test/4", "title": "No body at all"}),
    ]
)
BOILERPLATE = "\n".join(
    [
        "Breaking Update",
        "READ MORE: Rail strike called off after last-minute pay deal",
        "Share on Facebook",
        "Follow us on Twitter",
        "Advertisement",
        "Sign up to our Morning Briefing newsletter. We use your sign-up to provide content in"
        " ways you've consented to. You can unsubscribe at any time.",
    ]
)
SLOW_PAGE = "<html><body>" + f"<p>{SENTENCE * 3}</p>" * 80_000 + "</body></html>"

KINDS = [
    Kind("empty.html", write(b""), "read.empty"),
    Kind("binary.html", write(os.urandom(64 * 1024)), "read.binary"),
    Kind("huge.html", write(b"<p>" + b"x" * (50 * MiB) + b"</p>"), "read.too_large"),
    Kind("nested_100k.html", write(nested(100_000)), "extract.empty"),
    Kind(
        "only_scripts.html",
        write("<script>var a=1;</script>" * 500 + "<style>p{}</style>"),
        "extract.empty",
    ),
    Kind(
        "invalid_utf8.html",
        write(page(ENGLISH).encode() + b"\xff\xfe\xc3("),
        "article:en",
        "finance chief",
    ),
    Kind("utf16_bom.html", write(page(FRENCH).encode("utf-16")), "article:fr", "« C’est une très"),
    Kind("cp1252.html", write(page(FRENCH).encode("cp1252")), "article:fr", "l’école élémentaire"),
    Kind(
        "shift_jis.html",
        write(page(JAPANESE, "図書館").encode("shift_jis")),
        "article:ja",
        "図書館",
    ),
    Kind(
        "gb18030.html", write(page(CHINESE, "地铁").encode("gb18030")), "article:zh-cn", "地铁线路"
    ),
    Kind(
        "mixed.html",
        write(page(FRENCH).encode() + "<p>Fin: déjà vu</p>".encode("cp1252")),
        "article:fr",
        "l’école",
    ),
    Kind("nul.txt", write(b"\x00" * 4096), "read.binary"),
    Kind("long_line.html", write(page(ENGLISH + " word" * 300_000)), "article:en", "finance chief"),
    Kind(
        "long_attr.html",
        write(article_page(STORY).replace("<p>", f"<p title='{'a' * 2 * MiB}'>", 1)),
        "article:en",
        "finance chief",
    ),
    Kind("bomb.html.gz", gzip_bomb, "read.too_large"),
    Kind("truncated.html.gz", write(gzip.compress(page(ENGLISH).encode())[:60]), "read.bad_gzip"),
    Kind("home.html", write(home_page()), "quality.not_article"),
    Kind("login.html", write(login_page()), "quality.not_article"),
    Kind("boilerplate.txt", write(BOILERPLATE), "quality.too_few_words"),
    Kind("arabic.html", write(page(ARABIC, "قطارات")), "article:", "الخط الساحلي"),
    Kind("slow.html", write(SLOW_PAGE), "extract.timeout"),
    Kind("vanishes.html", write(page(ENGLISH)), "read.missing"),
    Kind(
        "dangling.html",
        lambda p: p.symlink_to(p.parent / "nowhere.html"),
        "read.missing",
        recorded_as="nowhere.html",  # discovery resolves links, so the target is named
    ),
    Kind("pipe.html", lambda p: os.mkfifo(p), "read.unsupported"),
    Kind("unreadable.html", write(page(ENGLISH)), "read.permission"),
]
JSONL_LINES = {1: "article:en", 2: "read.bad_record", 3: "article:en", 4: "read.missing_field"}


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    for kind in KINDS:
        kind.make(corpus / kind.name)
    (corpus / "records.jsonl").write_text(JSONL, encoding="utf-8")
    os.symlink(corpus, corpus / "sub" / "loop")  # a symlink loop inside the source directory
    (corpus / "unreadable.html").chmod(0)
    config = root / "config.yaml"
    config.write_text("extract:\n  max_seconds: 3\nflow:\n  batch_size: 8\n")
    db = root / "w.duckdb"

    def discover_then_vanish(paths: list[str]) -> tuple[list[SourceItem], list[object]]:
        found = discover(paths)
        (corpus / "vanishes.html").unlink()  # between discovery and reading
        return found  # type: ignore[return-value]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pipeline.web_sources.discover", discover_then_vanish)
        summary = ingest(sources=[str(corpus)], config_path=str(config), db=str(db))
    assert summary.status == "completed"
    got: dict[str, str] = {}
    for source, reason in rows(db, "SELECT source, reason FROM failures"):
        got[Path(str(source)).name] = str(reason)
    for source, language in rows(db, "SELECT source, language FROM articles"):
        got[Path(str(source)).name] = f"article:{language}"
    return corpus, db, got


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_kind_has_its_outcome(outcome: tuple[Path, Path, dict[str, str]], kind: Kind) -> None:
    corpus, db, got = outcome
    expected = kind.expected
    if kind.name == "unreadable.html" and os.access(corpus / kind.name, os.R_OK):
        expected = "article:en"  # root reads anyway; tests/pipeline/test_sources.py drops root
    recorded = got.get(kind.recorded_as or kind.name, "nothing recorded")
    if expected.startswith("article:"):
        assert recorded.startswith(expected)
    else:
        assert recorded == expected
    if kind.contains:
        name = f"%/{kind.name}"
        ((text,),) = rows(
            db, f"SELECT title || '\n' || text FROM articles WHERE source LIKE '{name}'"
        )
        assert kind.contains in str(text)


def test_a_broken_jsonl_line_does_not_stop_the_rest(
    outcome: tuple[Path, Path, dict[str, str]],
) -> None:
    _, _, got = outcome
    assert {n: got.get(f"records.jsonl#{n}") for n in JSONL_LINES} == JSONL_LINES


def test_failures_carry_evidence_and_the_loop_is_read_once(
    outcome: tuple[Path, Path, dict[str, str]],
) -> None:
    _, db, got = outcome
    assert len(KINDS) + len(JSONL_LINES) >= 25
    assert all(str(message).strip() for (message,) in rows(db, "SELECT message FROM failures"))
    (evidence,) = rows(db, "SELECT message FROM failures WHERE source LIKE '%/home.html'")[0]
    assert str(evidence).startswith("listing page:")
    # the loop adds no second copy of anything: one row per source
    assert rows(db, "SELECT count(*) - count(DISTINCT source) FROM failures") == [(0,)]
    assert not any("/loop/" in name for name in got)


def test_a_second_run_adds_nothing(
    outcome: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    corpus, db, _ = outcome
    before = rows(db, "SELECT article_id, content_sha256 FROM articles ORDER BY 1")
    config = tmp_path / "c.yaml"
    config.write_text("extract:\n  max_seconds: 3\n")
    again = ingest(sources=[str(corpus)], config_path=str(config), db=str(db))
    assert again.status == "completed"
    assert (again.counts.inserted, again.counts.updated) == (0, 0)
    assert rows(db, "SELECT article_id, content_sha256 FROM articles ORDER BY 1") == before
