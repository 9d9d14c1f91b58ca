from pipeline.document import Failure
from pipeline.source_state import SourceState, StateLedger

FEED_A = SourceState("https://a.example/feed", "feed", etag='"a"')
FEED_B = SourceState("https://b.example/feed", "feed", etag='"b"')
QUIET = SourceState("https://c.example/feed", "feed", etag='"c"')


def failure(source: str, reason: str) -> Failure:
    return Failure(source, reason.split(".")[0], reason, "X", "m")


def ledger() -> StateLedger:
    batches = [
        [("https://a.example/1", FEED_A.source), ("https://b.example/1", FEED_B.source)],
        [("https://a.example/2", FEED_A.source)],
    ]
    return StateLedger([FEED_A, FEED_B, QUIET], batches)


def test_a_state_is_due_with_the_batch_holding_its_last_item() -> None:
    book = ledger()
    assert book.due(0, []) == [FEED_B]
    assert book.due(1, []) == [FEED_A]
    assert book.remaining() == [QUIET]
    assert book.remaining() == []


def test_a_transient_failure_holds_the_state_back_a_permanent_one_does_not() -> None:
    book = ledger()
    assert book.due(0, [failure("https://a.example/1", "fetch.timeout")]) == [FEED_B]
    assert book.due(1, [failure("https://a.example/2", "fetch.http_client_error")]) == []


def test_a_failed_source_itself_keeps_its_old_state() -> None:
    book = ledger()
    book.note([failure(QUIET.source, "fetch.http_server_error")])
    assert book.remaining() == [FEED_A, FEED_B]
