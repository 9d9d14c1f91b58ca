"""The benchmark harness: metrics checked against hand-computed values, runners on tiny
synthetic benchmark folders, and (only where ../shared/bench exists) a plausibility check
on real AEB pages."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.evaluate import (
    NO_STRIPPING,
    PRESSWASH,
    PRESSWASH_STRIP,
    SYSTEMS,
    TRAFILATURA_DEFAULT,
    TRAFILATURA_PRECISION,
    Confusion,
    ShingleCounts,
    aeb_means,
    aeb_metric,
    detect_benchmark,
    evaluate_aeb,
    evaluate_aeb_text,
    evaluate_langid,
    evaluate_trafeval,
    trafeval_counts,
    trafeval_score,
)
from tests.shared import SHARED

SHARED_AEB = SHARED / "bench" / "aeb-dev"

PARAGRAPHS = [
    "The harbour authority confirmed on Monday that the northern pier will close for repairs "
    "until the end of the summer season, affecting ferry routes to three islands.",
    "Engineers found corrosion in the steel supports during a routine inspection in March, "
    "and the authority said it would not take any risks with passenger safety.",
    "Ferry operators have agreed to move their departures to the southern terminal, which "
    "will run an extended timetable from next week to cope with the extra traffic.",
]
TEASER = "READ MORE: Island ferry fares to rise in April"
FOOTER = "© 2024 Harbour Gazette. All rights reserved. Cookie settings."


def page_html(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><title>Pier to close | Harbour Gazette</title>"
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article>{body}</article><footer>{FOOTER}</footer></body></html>"
    )


# ---------------------------------------------------------------------------- AEB metric


def test_identical_texts_score_one() -> None:
    page = aeb_metric("one two three four five six", "one two three four five six")
    assert page == ShingleCounts(1.0, 0.0, 0.0)
    assert aeb_means([page]) == (1.0, 1.0, 1.0)


def test_disjoint_texts_score_zero() -> None:
    page = aeb_metric("alpha beta gamma delta epsilon", "one two three four five")
    assert (page.precision, page.recall) == (0.0, 0.0)
    assert aeb_means([page]) == (0.0, 0.0, 0.0)


def test_partial_overlap_counts_shingles() -> None:
    truth = "w1 w2 w3 w4 w5 w6 w7 w8"  # 5 shingles
    # 3 shingles shared (w1-w4, w2-w5, w3-w6), 2 only predicted (w4-x, w5-y), 2 only true.
    page = aeb_metric("w1 w2 w3 w4 w5 w6 x y", truth)
    assert page == pytest.approx(ShingleCounts(3 / 7, 2 / 7, 2 / 7))
    assert page.precision == pytest.approx(0.6)
    assert page.recall == pytest.approx(0.6)


def test_shingles_are_a_multiset() -> None:
    # truth: "a b c d" occurs twice among its 5 shingles; the prediction matches it once.
    page = aeb_metric("a b c d", "a b c d a b c d")
    assert page.precision == 1.0
    assert page.recall == pytest.approx(1 / 5)


def test_short_texts_are_one_shingle_of_word_tokens() -> None:
    assert aeb_metric("Hello, world!", "Hello world") == ShingleCounts(1.0, 0.0, 0.0)
    assert aeb_metric("Hello there", "Hello world") == ShingleCounts(0.0, 0.5, 0.5)
    assert aeb_metric("hello world", "Hello world").recall == 0.0  # tokens keep their case


def test_empty_prediction_counts_in_recall_but_not_in_precision() -> None:
    empty = aeb_metric("", "one two three four five")
    assert empty == ShingleCounts(0.0, 0.0, 1.0)
    assert empty.precision is None
    perfect = aeb_metric("six seven eight nine", "six seven eight nine")
    precision, recall, f1 = aeb_means([perfect, empty])
    assert (precision, recall) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)


# ---------------------------------------------------------------------------- trafeval


def test_snippets_match_with_whitespace_collapsed() -> None:
    output = "Alpha  beta\ngamma delta.\n\nSubscribe now"
    counts = trafeval_counts(
        output,
        with_=["Alpha beta gamma", "not in the output"],
        without=["delta.  Subscribe", "Cookie settings"],
    )
    assert counts == Confusion(tp=1, fp=1, fn=1, tn=1)


def test_trafeval_scores_sum_counts_over_pages() -> None:
    score = trafeval_score([Confusion(3, 1, 1, 5), Confusion(1, 0, 1, 2)])
    assert score.precision == pytest.approx(4 / 5)
    assert score.recall == pytest.approx(4 / 6)
    assert score.accuracy == pytest.approx(11 / 14)
    assert score.f1 == pytest.approx(8 / 11)
    assert score.docs == 2


def test_trafeval_run_on_synthetic_pages(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p0000.html").write_text(page_html([*PARAGRAPHS, TEASER]), "utf-8")
    pages = [
        {
            "id": "p0000",
            "html": "html/p0000.html",
            "url": "https://gazette.example.test/pier",
            "with": [PARAGRAPHS[0][:60], PARAGRAPHS[2][-50:]],
            "without": [TEASER, "All rights reserved"],
            "lang": "en",
        }
    ]
    (tmp_path / "pages.json").write_text(json.dumps({"pages": pages}), "utf-8")
    assert detect_benchmark(tmp_path) == "trafeval"
    report = evaluate_trafeval(tmp_path, Config())
    assert list(report.rows) == list(SYSTEMS)
    # trafilatura keeps the teaser paragraph, presswash's stripper removes it.
    assert report.rows[TRAFILATURA_PRECISION].precision == pytest.approx(2 / 3)
    assert report.rows[PRESSWASH].precision == 1.0
    assert report.rows[PRESSWASH].recall == 1.0
    assert report.removed_by_reason == {"strip.read_more": 1}


# ---------------------------------------------------------------------------- langid

ENGLISH = [
    "The weather in the north of the country will stay cold and wet for the rest of the week.",
    "Parents and teachers have asked the council to build a new school near the river.",
    "The museum will open a new exhibition about the history of the railway next month.",
    "Most of the shops in the old town were closed on Sunday because of the public holiday.",
    "She said that the company would hire more workers if the orders kept coming in.",
]
GERMAN = [
    "Das Wetter im Norden des Landes bleibt für den Rest der Woche kalt und nass.",
    "Eltern und Lehrer haben die Gemeinde gebeten, eine neue Schule am Fluss zu bauen.",
    "Das Museum eröffnet im nächsten Monat eine neue Ausstellung über die Eisenbahn.",
    "Die meisten Geschäfte in der Altstadt waren am Sonntag wegen des Feiertags geschlossen.",
    ENGLISH[4],  # a mislabelled line: must count as wrong
]
CHINESE = [
    "北京今天的天气很好很多人去公园散步。",
    "这家公司计划明年在上海开设新的办公室。",
    "学生们在图书馆里认真地准备期末考试。",
    "政府决定增加对农村地区教育的投入。",
    "这座城市的交通在过去十年里有了很大的改善。",
]


def test_langid_macro_accuracy_und_and_code_mapping(tmp_path: Path) -> None:
    for category, lang, lines in (
        ("sentences", "en", ENGLISH),
        ("sentences", "de", GERMAN),
        ("sentences", "zh", CHINESE),  # langdetect answers zh-cn
        ("single-words", "en", ["harbour", "railway"]),
    ):
        (tmp_path / category).mkdir(exist_ok=True)
        (tmp_path / category / f"{lang}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    assert detect_benchmark(tmp_path) == "langid"
    report = evaluate_langid(tmp_path, Config())
    rows = report.rows
    assert "articles" not in rows  # 5 sentences cannot make a 20-sentence article
    assert rows["sentences"].accuracy == pytest.approx((1 + 0.8 + 1) / 3)
    assert rows["sentences"].docs == 15
    assert rows["paragraphs"].accuracy == 1.0
    assert rows["paragraphs"].docs == 3
    # Single words are below the configured min_chars: all und, so all wrong.
    assert rows["single-words (configured)"].und_rate == 1.0
    assert rows["single-words (configured)"].accuracy == 0.0
    assert rows["single-words"].und_rate == 0.0


# ---------------------------------------------------------------------------- AEB runs


def write_aeb(root: Path, pages: dict[str, tuple[str, str]]) -> None:
    (root / "html").mkdir(parents=True)
    truth = {}
    for page_id, (html, body) in pages.items():
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
        truth[page_id] = {"articleBody": body, "url": f"https://example.test/{page_id}"}
    (root / "ground-truth.json").write_text(json.dumps(truth), "utf-8")


def test_aeb_run_scores_all_systems_and_counts_presswash_work(tmp_path: Path) -> None:
    empty_page = "<html><body><img src='photo.jpg'></body></html>"
    write_aeb(
        tmp_path,
        {
            "a-article": (page_html([*PARAGRAPHS, TEASER]), "\n".join(PARAGRAPHS)),
            "b-empty": (empty_page, "A body the extractors cannot find in this page."),
        },
    )
    assert detect_benchmark(tmp_path) == "aeb"
    report = evaluate_aeb(tmp_path, Config())
    assert list(report.rows) == list(SYSTEMS)
    presswash = report.rows[PRESSWASH]
    # The empty page is a recall of 0 and is left out of the precision mean.
    assert (presswash.precision, presswash.recall) == (1.0, 0.5)
    assert presswash.docs == 2
    assert report.rows[TRAFILATURA_DEFAULT].precision < 1.0  # the teaser is left in
    assert report.removed_by_reason == {"strip.read_more": 1}
    assert report.failed_by_reason == {"extract.empty": 1}
    table = report.to_table()
    assert table.splitlines()[1].split() == ["system", "P", "R", "F1", "±F1", "docs", "docs/s"]
    assert "strip.read_more 1" in table and "extract.empty 1" in table
    # The stripper's speed budget, measured on the same pages: against trafilatura's time.
    (note,) = report.notes
    assert re.fullmatch(
        r"presswash stripper: \d+\.\d\d CPU-s, \d+\.\d% of trafilatura-default's,"
        r" \d+\.\d% of presswash's time",
        note,
    )
    assert table.endswith(note)


def test_the_stripper_note_needs_presswash(tmp_path: Path) -> None:
    write_aeb(tmp_path, {"a": (page_html(PARAGRAPHS), PARAGRAPHS[0])})
    assert evaluate_aeb(tmp_path, Config(), systems=[TRAFILATURA_DEFAULT]).notes == ()
    (note,) = evaluate_aeb(tmp_path, Config(), systems=[PRESSWASH]).notes
    assert note.endswith("of presswash's time")  # no trafilatura run beside it


def test_aeb_limit_and_unknown_system(tmp_path: Path) -> None:
    write_aeb(tmp_path, {"a": (page_html(PARAGRAPHS), PARAGRAPHS[0]), "b": ("<p></p>", "x")})
    report = evaluate_aeb(tmp_path, Config(), systems=[TRAFILATURA_PRECISION], limit=1)
    assert list(report.rows) == [TRAFILATURA_PRECISION]
    assert report.rows[TRAFILATURA_PRECISION].docs == 1
    with pytest.raises(ValueError, match="unknown"):
        evaluate_aeb(tmp_path, Config(), systems=["readability"])


def test_text_mode_scores_the_stripper_against_no_stripping(tmp_path: Path) -> None:
    body = "\n".join(PARAGRAPHS)
    path = tmp_path / "texts.jsonl"
    records = [{"id": "1", "raw_text": f"{body}\n{TEASER}", "clean_text": body}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", "utf-8")
    assert detect_benchmark(path) == "text-jsonl"
    report = evaluate_aeb_text(path, Config())
    assert report.rows[PRESSWASH_STRIP].f1 == 1.0
    assert report.rows[NO_STRIPPING].precision < 1.0
    assert report.removed_by_reason == {"strip.read_more": 1}
    assert report.notes == ("clean texts through the stripper alone: 3 of 3 lines kept (100.00%)",)
    no_stripping_line = next(x for x in report.to_table().splitlines() if NO_STRIPPING in x)
    assert no_stripping_line.split()[-1] == "-"  # no work, no rate
    path.write_text(json.dumps({"raw_text": "only raw"}) + "\n", "utf-8")
    with pytest.raises(ValueError, match=re.escape("texts.jsonl:1")):
        evaluate_aeb_text(path, Config())


def test_text_mode_counts_the_clean_lines_the_stripper_would_remove(tmp_path: Path) -> None:
    # Gold text that itself carries a teaser: the stripper alone takes it out.
    clean = "\n".join([*PARAGRAPHS, TEASER])
    path = tmp_path / "texts.jsonl"
    path.write_text(json.dumps({"raw_text": clean, "clean_text": clean}) + "\n", "utf-8")
    report = evaluate_aeb_text(path, Config())
    assert report.notes == ("clean texts through the stripper alone: 3 of 4 lines kept (75.00%)",)
    assert report.to_table().endswith(report.notes[0])


def test_unknown_folder_is_not_a_benchmark(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a benchmark"):
        detect_benchmark(tmp_path)


@pytest.mark.skipif(not SHARED_AEB.is_dir(), reason="shared AEB dev set not present")
def test_trafilatura_precision_on_real_aeb_pages_is_plausible() -> None:
    report = evaluate_aeb(SHARED_AEB, Config(), systems=[TRAFILATURA_PRECISION], limit=15)
    score = report.rows[TRAFILATURA_PRECISION]
    assert score.docs == 15
    # The full dev part gives .964; a wrong metric lands far outside this band.
    assert 0.90 <= score.f1 <= 1.0
