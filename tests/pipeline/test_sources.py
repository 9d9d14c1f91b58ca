import gzip
import json
import os
from pathlib import Path

import pytest

from pipeline.document import Failure, RawDocument
from pipeline.sources import SourceItem, discover, read_item, split_headline
from tests.unprivileged import as_unprivileged

BODY = "First paragraph of the story.\nSecond paragraph, with more detail."


def read_all(path: Path, max_bytes: int = 1_000_000) -> list[RawDocument | Failure]:
    return list(read_item(SourceItem(str(path)), max_bytes=max_bytes))


def only_failure(results: list[RawDocument | Failure]) -> Failure:
    assert len(results) == 1
    assert isinstance(results[0], Failure)
    return results[0]


def test_discover_walks_directories_sorted_and_skips_unknown_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ["b/z.html", "a.txt", "b/c.jsonl", "notes.md", "x.html.gz"]:
        (tmp_path / name).write_text("x")
    items, failures = discover([str(tmp_path)])
    names = [Path(i.locator).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["a.txt", "b/c.jsonl", "b/z.html", "x.html.gz"]
    assert failures == []


def test_discover_orders_by_path_component_and_resolves_file_links(tmp_path: Path) -> None:
    """'a/z' before 'a-b/y' before 'a.txt': whole names compare, as ``Path`` ordering does
    (character order would put 'a-b/' first, since '-' < '/')."""
    elsewhere, tree = tmp_path / "elsewhere", tmp_path / "tree"
    for name in ["tree/a-b/y.txt", "tree/a/z.html", "tree/a.txt", "elsewhere/real.html"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    os.symlink(elsewhere / "real.html", tree / "a" / "link.html")
    os.symlink(elsewhere, tree / "dir.html")  # a link to a directory is neither walked nor read
    items, failures = discover([str(tree)])
    assert [i.locator for i in items] == [
        str(elsewhere.resolve() / "real.html"),  # a/link.html
        str(tree.resolve() / "a" / "z.html"),
        str(tree.resolve() / "a-b" / "y.txt"),
        str(tree.resolve() / "a.txt"),
    ]
    assert failures == []


def test_discover_reports_missing_and_unsupported_paths(tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_text("x")
    items, failures = discover([str(tmp_path / "nope"), str(tmp_path / "doc.pdf")])
    assert items == []
    assert [f.reason for f in failures] == ["read.missing", "read.unsupported"]


def test_discover_survives_symlink_loops_and_dedups(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "loop")
    items, _ = discover([str(tmp_path), str(tmp_path / "a.txt")])
    assert items == [SourceItem(str((tmp_path / "a.txt").resolve()))]


def test_txt_with_headline_first_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Council Approves New Budget\n" + BODY, encoding="utf-8")
    (doc,) = read_all(path)
    assert isinstance(doc, RawDocument)
    assert doc.title == "Council Approves New Budget"
    assert doc.content == BODY
    assert doc.kind == "text"
    assert doc.source == str(path)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("A sentence that ends with a full stop.\nMore.", None),
        ("Only one line without a stop", None),
        ("Headline: a longer one?\nBody here.", None),
        ("Kurze Überschrift ohne Punkt\nText.", "Kurze Überschrift ohne Punkt"),
        (" ".join(["word"] * 40) + "\nBody.", None),
    ],
)
def test_split_headline(text: str, title: str | None) -> None:
    assert split_headline(text)[0] == title


def test_html_and_gzipped_html(tmp_path: Path) -> None:
    html = "<html><body><p>Grüße</p></body></html>"
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(html.encode()))
    for name in ["a.html", "b.html.gz"]:
        (doc,) = read_all(tmp_path / name)
        assert isinstance(doc, RawDocument)
        assert (doc.kind, doc.content) == ("html", html)


def test_jsonl_records_bad_lines_do_not_stop_the_rest(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": BODY, "url": "https://example.test/a", "title": "A"}),
        "{broken json",
        json.dumps({"html": "<p>x</p>"}),
        json.dumps({"url": "https://example.test/no-body"}),
        json.dumps([1, 2]),
        "",
        json.dumps({"text": "last one"}),
    ]
    path = tmp_path / "f.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    results = read_all(path)
    kinds = [r.reason if isinstance(r, Failure) else r.kind for r in results]
    assert kinds == [
        "text",
        "read.bad_record",
        "html",
        "read.missing_field",
        "read.bad_record",
        "text",
    ]
    first = results[0]
    assert isinstance(first, RawDocument)
    assert (first.url, first.title, first.source) == ("https://example.test/a", "A", f"{path}#1")
    assert results[1].source == f"{path}#2"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "read.empty"),
        ("blank.html", b"  \n\n ", "read.empty"),
        ("binary.html", bytes(range(256)) * 8, "read.binary"),
        ("nul.txt", b"\x00" * 1000, "read.binary"),
        ("truncated.html.gz", gzip.compress(b"<p>hello</p>" * 100)[:30], "read.bad_gzip"),
        ("notgzip.html.gz", b"plain text", "read.bad_gzip"),
    ],
)
def test_bad_files_become_failures(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    failure = only_failure(read_all(path))
    assert failure.reason == reason
    assert failure.stage == "read"
    assert failure.source == str(path)


def test_too_large_and_gzip_bomb_are_capped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 2000)
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"a" * 5_000_000))
    assert only_failure(read_all(tmp_path / "big.txt", max_bytes=1000)).reason == "read.too_large"
    assert only_failure(read_all(tmp_path / "bomb.html.gz", max_bytes=1000)).reason == (
        "read.too_large"
    )


def test_vanished_unreadable_and_special_files(tmp_path: Path) -> None:
    assert only_failure(read_all(tmp_path / "gone.txt")).reason == "read.missing"
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    assert only_failure(read_all(tmp_path / "dangling.html")).reason == "read.missing"
    os.mkfifo(tmp_path / "pipe.html")  # opening it for reading would wait for a writer forever
    fifo = only_failure(read_all(tmp_path / "pipe.html"))
    assert (fifo.reason, fifo.message) == ("read.unsupported", "not a regular file")
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    done = as_unprivileged(
        "from pipeline.sources import SourceItem, read_item\n"
        f"print(next(read_item(SourceItem({str(locked)!r}), max_bytes=100)).reason)"
    )
    assert done.stdout.strip() == "read.permission", done.stderr
