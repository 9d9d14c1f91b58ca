from lxml.html import HtmlElement, document_fromstring

from pipeline.continuation import Continuation, find_continuation

FIRST = [
    f"Part one, paragraph {n}: the council met on Tuesday evening and agreed to fund repairs "
    "to the northern pier before the start of the summer season."
    for n in range(3)
]
SECOND = [
    f"Part two, paragraph {n}: ferry operators will move their departures to the southern "
    "terminal, which runs an extended timetable from next week."
    for n in range(3)
]
AD = '<div class="row ad"><p>Advertisement</p></div>'
NOTHING = Continuation([], [])


def chunk(paragraphs: list[str], extra: str = "", cls: str = "story-chunk") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<div class="{cls}"><div class="body">{body}{extra}</div></div>'


def page(*chunks: str) -> HtmlElement:
    return document_fromstring(f"<html><body><article>{''.join(chunks)}</article></body></html>")


def test_later_chunks_of_the_same_class_are_brought_back_in_order() -> None:
    third = [p.replace("Part two", "Part three") for p in SECOND]
    tree = page(chunk(FIRST), AD, chunk(SECOND), AD, chunk(third))
    assert find_continuation(tree, "\n".join(FIRST)) == Continuation([], SECOND + third)


def test_nothing_when_trafilatura_read_the_later_chunk() -> None:
    note = "Ferries resume next week."
    tree = page(chunk(FIRST), AD, chunk([*SECOND, note]))
    # It kept a (short) line of the second chunk: dropping the rest was its choice.
    assert find_continuation(tree, "\n".join([*FIRST, note])) == NOTHING


def test_nothing_when_the_body_is_not_split() -> None:
    tree = page(chunk(FIRST), chunk(SECOND, cls="related"))
    assert find_continuation(tree, "\n".join(FIRST)) == NOTHING


def test_a_following_article_with_its_own_title_is_not_a_continuation() -> None:
    tree = page(chunk(FIRST), chunk(SECOND, extra="<h1>Another story</h1>"))
    assert find_continuation(tree, "\n".join(FIRST)) == NOTHING


def test_a_lone_paragraph_is_a_box_not_a_continuation() -> None:
    bio = "Jane Doe is the senior editor of the Gazette and has covered the harbour since 2014."
    tree = page(chunk(FIRST), chunk([bio]))
    assert find_continuation(tree, "\n".join(FIRST)) == NOTHING


def test_only_prose_outside_asides_lists_and_links_is_taken() -> None:
    linked = f'<p><a href="/next">{SECOND[0]}</a></p>'
    boxed = f"<aside><p>{SECOND[1]}</p></aside><ul><li><p>{SECOND[2]}</p></li></ul>"
    short = "<p>Share this story</p><p>Tags: harbour, pier, ferries, council, budget, summer</p>"
    prose = [p.replace("Part two", "Part four") for p in SECOND[:2]]
    tree = page(chunk(FIRST), chunk(prose, extra=linked + boxed + short))
    assert find_continuation(tree, "\n".join(FIRST)) == Continuation([], prose)


def test_nothing_when_the_body_cannot_be_found_in_the_page() -> None:
    tree = page(chunk(FIRST), chunk(SECOND))
    assert (
        find_continuation(tree, "A text that is nowhere in this page at all, in any form.")
        == NOTHING
    )
    assert find_continuation(tree, "Too short") == NOTHING


def test_earlier_chunks_come_back_before_the_text() -> None:
    third = [p.replace("Part two", "Part three") for p in SECOND]
    tree = page(chunk(FIRST), AD, chunk(SECOND), AD, chunk(third))
    # trafilatura took the middle chunk only: the story starts above it and goes on below.
    assert find_continuation(tree, "\n".join(SECOND)) == Continuation(FIRST, third)


def test_chunks_are_found_when_the_text_ends_outside_the_body() -> None:
    form = "Your comment is too long: at most 2048 characters are allowed here, please shorten it."
    tree = page(chunk(FIRST), AD, chunk(SECOND), f'<div class="comments"><p>{form}</p></div>')
    # The last extracted line is the comment form's: the body's chunks are found from the others.
    assert find_continuation(tree, "\n".join([*FIRST, form])) == Continuation([], SECOND)


def test_chunks_of_a_kind_that_holds_little_of_the_text_are_not_the_body() -> None:
    reply = [
        f"Reply {n}: thanks for the write-up, the pier has needed this for years and the "
        "summer crowds will be glad of it."
        for n in range(4)
    ]
    replies = chunk(reply[:2], cls="comment") + chunk(reply[2:], cls="comment")
    body = "".join(f"<p>{p}</p>" for p in FIRST + SECOND)
    tree = page(f'<div class="body">{body}</div>', replies)
    # trafilatura took one reply's paragraph beside the body: the other reply is no continuation.
    extracted = "\n".join([*FIRST, *SECOND, reply[0]])
    assert find_continuation(tree, extracted) == NOTHING
