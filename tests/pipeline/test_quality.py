"""The quality gate on generated pages, and (where the benchmark exists) on 121 real articles."""

import pytest

from pipeline.config import Config, QualityConfig
from pipeline.document import Article, Failure, RawDocument
from pipeline.process import Processor
from pipeline.quality import PageSignals, quality_problem
from pipeline.sources import SourceItem
from tests.shared import SHARED

SHARED_AEB = SHARED / "bench" / "aeb-dev" / "html"
HEADLINES = [
    "Council approves budget for new schools",
    "Storm closes coastal roads overnight",
    "Local team wins cup final in extra time",
    "Hospital opens new children's ward",
    "Rail fares to rise in January",
    "Museum returns looted artefacts to Benin",
    "Police appeal for witnesses after crash",
    "Farmers protest over new water rules",
    "New bridge opens to traffic on Friday",
    "Mayor resigns after expenses row",
    "Heatwave warning issued for the weekend",
    "University cuts two hundred jobs",
]
STORY = [
    "The council's finance chief said on Tuesday that the authority faced a shortfall of four "
    "million pounds next year, and that every department would have to find savings.",
    "Opposition councillors called the plan a betrayal of the promises made at the last "
    "election and demanded a public meeting before any cuts were agreed.",
    "The budget will be put to a vote of the full council at the end of the month.",
]


def home_page() -> str:
    """A section front: navigation and a list of headline links with timestamps."""
    items = "".join(
        f'<li><h3><a href="/news/{i}">{h}</a></h3><span>{i + 1} hours ago</span></li>'
        for i, h in enumerate(HEADLINES)
    )
    return (
        "<html><head><title>Daily Courier - Home</title></head><body><nav><a href='/'>Home</a>"
        f" <a href='/sport'>Sport</a></nav><main><h1>Top stories</h1><ul>{items}</ul></main>"
        "<footer><a href='?page=2'>Next page</a></footer></body></html>"
    )


def login_page() -> str:
    return (
        "<html><head><title>Sign in | Daily Courier</title></head><body><main>"
        "<h1>Sign in to continue reading</h1>"
        "<p>This article is for subscribers only. Subscribe now for unlimited access.</p>"
        "<form><label>Email address</label><input name='email'><label>Password</label>"
        "<input type='password'><button>Log in</button></form>"
        "<p>Forgot your password? Reset it here.</p>"
        "<p>Not a subscriber yet? Create an account and get your first month free.</p>"
        "<p>Already a subscriber? Sign in with your account to keep reading.</p>"
        "</main></body></html>"
    )


def article_page(paragraphs: list[str], related: bool = False) -> str:
    links = "".join(f'<li><a href="/r/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES))
    return (
        "<html><head><title>Budget row deepens</title></head><body><article>"
        "<h1>Budget row deepens</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article>"
        + (f"<aside><h2>Related</h2><ul>{links}</ul></aside>" if related else "")
        + "</body></html>"
    )


def outcome(html: str) -> Article | Failure:
    return Processor(Config()).process(RawDocument("page.html", html, "html"))


def test_a_listing_page_is_not_an_article_and_says_why() -> None:
    failure = outcome(home_page())
    assert isinstance(failure, Failure)
    assert (failure.stage, failure.reason) == ("quality", "quality.not_article")
    assert failure.message.startswith("listing page: 12 headline links")
    assert "> max_link_ratio 10" in failure.message


def test_a_login_wall_is_not_an_article_and_names_its_cues() -> None:
    failure = outcome(login_page())
    assert isinstance(failure, Failure) and failure.reason == "quality.not_article"
    assert failure.message.startswith("login wall:")
    assert "'password'" in failure.message and "'sign in'" in failure.message


def test_an_article_with_a_related_list_and_one_about_passwords_are_kept() -> None:
    assert isinstance(outcome(article_page(STORY, related=True)), Article)
    about = [
        *STORY,
        "Residents who want to follow the debate online must log in to the council website "
        "with a password, which critics say puts older people off.",
    ]
    assert isinstance(outcome(article_page(about)), Article)


PROSE = " ".join(["word"] * 50)
"""50 words of prose: 500 headline-link words is the ratio limit of 10."""
SHORT = "five words in this line"
SHORT_LINES = "\n".join(["2 hours ago"] * 20)


@pytest.mark.parametrize(
    ("page", "config", "expected"),
    [
        (PageSignals("two words", "", 8, 100), QualityConfig(), "quality.not_article"),
        (PageSignals("two words", "", 7, 100), QualityConfig(), "quality.too_few_words"),
        (PageSignals(PROSE, "", 20, 500), QualityConfig(), None),
        (PageSignals(PROSE, "", 20, 501), QualityConfig(), "quality.not_article"),
        (PageSignals(SHORT_LINES, "", 8, 100), QualityConfig(), "quality.not_article"),
        (
            PageSignals("a b", "", 8, 100),
            QualityConfig(max_link_ratio=None),
            "quality.too_few_words",
        ),
        (PageSignals(PROSE, f"Sign in\nPassword\n{PROSE}"), QualityConfig(), None),
        (PageSignals(PROSE, f"Sign in or log in\n{SHORT}"), QualityConfig(), "quality.not_article"),
        (
            PageSignals(PROSE, f"Sign in or log in\n{SHORT}", 0, 0),
            QualityConfig(max_login_ratio=None),
            None,
        ),
    ],
)
def test_rules_thresholds_and_switches(
    page: PageSignals, config: QualityConfig, expected: str | None
) -> None:
    problem = quality_problem(page, config)
    assert (problem[0] if problem else None) == expected


@pytest.mark.skipif(not SHARED_AEB.is_dir(), reason="the shared aeb-dev benchmark is not here")
def test_no_real_article_of_aeb_dev_is_called_a_non_article() -> None:
    items = [SourceItem(str(p)) for p in sorted(SHARED_AEB.glob("*.html.gz"))]
    result = Processor(Config()).process_items(items)
    assert len(items) == 121
    assert [f for f in result.failures if f.reason == "quality.not_article"] == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("three plain words", 3),
        ("市政府周一宣布", 4),  # seven characters, two per word, rounded up
        ("図書館 opens today", 4),
        ("", 0),
    ],
)
def test_words_are_counted_by_characters_in_cjk(text: str, words: int) -> None:
    from pipeline.document import word_count

    assert word_count(text) == words
