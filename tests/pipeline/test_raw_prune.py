import pytest
import trafilatura
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from pipeline import raw_prune
from pipeline.extract import Extractor

STORY = (
    "The county council approved a new cycle lane along the river road on Thursday, after "
    "two years of consultation with residents, shop owners and the local bus company. "
) * 3
COMMENT = "Reader comment: finally, about time they did something for cyclists in this town."
NEXT_STORY = "Next story: the library extends its opening hours during the winter exams season."


def page(extra: str = "") -> str:
    return (
        "<html><body><article><h1>Cycle lane approved</h1>"
        f"<p>{STORY}</p><p>{STORY}</p></article>{extra}</body></html>"
    )


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which of the two raw-tree prunes trafilatura actually ran, in order."""
    runs: list[str] = []
    names = {id(RAW_TREE_PRUNE_XPATH): "scroll", id(REMOVE_COMMENTS_AND_LISTS_XPATH): "comments"}
    prune = raw_prune._prune

    def counted(tree: HtmlElement, nodelist: list[XPath], with_backup: bool = False) -> HtmlElement:
        if id(nodelist) in names:
            runs.append(names[id(nodelist)])
        pruned: HtmlElement = prune(tree, nodelist, with_backup)
        return pruned

    monkeypatch.setattr(raw_prune, "_prune", counted)
    return runs


def test_the_shortcut_knows_the_installed_trafilaturas_expressions() -> None:
    # Fails after a trafilatura upgrade that changed either prune: read the tokens from the
    # new expressions, then update raw_prune._READ_FROM to expressions_digest().
    assert raw_prune.ACTIVE, raw_prune.expressions_digest()


def test_a_page_without_the_tokens_skips_both_prunes(searched: list[str]) -> None:
    result = Extractor()(page("<footer><p>Contact the newsroom.</p></footer>"))
    assert searched == []
    assert result.text.startswith("Cycle lane approved")


@pytest.mark.parametrize(
    ("extra", "prune", "gone"),
    [
        (f'<div id="comments"><p>{COMMENT}</p></div>', "comments", COMMENT),
        (f'<section class="post-comments"><p>{COMMENT}</p></section>', "comments", COMMENT),
        (
            f'<div class="infinite-scroll"><article><p>{NEXT_STORY}</p></article></div>',
            "scroll",
            NEXT_STORY,
        ),
        (
            f'<section id="mvp-post-add-box"><article><p>{NEXT_STORY}</p></article></section>',
            "scroll",
            NEXT_STORY,
        ),
        (
            f'<div class="elementor-share-buttons"><p>{NEXT_STORY}</p></div>',
            "scroll",
            NEXT_STORY,
        ),
    ],
)
def test_a_page_with_a_token_is_pruned_as_trafilatura_prunes_it(
    searched: list[str], extra: str, prune: str, gone: str
) -> None:
    html = page(extra)
    assert gone not in (trafilatura.extract(html, include_comments=False) or "")
    assert searched.count(prune) == 1
    searched.clear()
    assert gone not in Extractor()(html).text
    assert prune in searched


@pytest.mark.parametrize(
    "extra",
    [
        # The tokens in text, a link and a script, but in no class or id.
        "<p>Comments are closed for this article.</p>",
        '<p><a href="/comments?page=2">Older posts from our readers</a></p>',
        "<script>window.infiniteScroll = false;</script>",
        # A class that contains "comment" but does not start with it.
        f'<div class="no-comment-count"><p>{COMMENT}</p></div>',
    ],
)
def test_tokens_outside_the_tested_classes_and_ids_skip_the_prunes(
    searched: list[str], extra: str
) -> None:
    assert Extractor()(page(extra)).text.startswith("Cycle lane approved")
    assert searched == []


def test_outside_an_extractor_trafilatura_prunes_every_page(searched: list[str]) -> None:
    trafilatura.extract(page(), include_comments=False)
    assert searched == ["scroll", "comments"]
