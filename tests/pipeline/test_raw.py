from pipeline.document import RawDocument
from pipeline.raw import pack, raw_sha256, unpack

PAGE = "<html><body><p>Großer Regen – café ☔</p></body></html>" * 50


def test_pack_compresses_and_unpack_restores_the_document() -> None:
    doc = RawDocument("in/a.html", PAGE, "html", url="https://x.example/a", title="T")
    stored = pack(doc)
    assert stored.content_bytes == len(PAGE.encode("utf-8"))
    assert len(stored.content) < stored.content_bytes / 5
    assert unpack(stored, source="in/a.html") == doc


def test_hash_covers_what_the_cleaner_reads_but_not_the_source_path() -> None:
    doc = RawDocument("in/a.html", PAGE, "html")
    assert raw_sha256(doc) == raw_sha256(RawDocument("elsewhere/b.html", PAGE, "html"))
    assert raw_sha256(doc) != raw_sha256(RawDocument("in/a.html", PAGE, "text"))
    assert raw_sha256(doc) != raw_sha256(RawDocument("in/a.html", PAGE, "html", title="T"))
    assert raw_sha256(doc) != raw_sha256(RawDocument("in/a.html", PAGE + " ", "html"))


def test_hash_keeps_fields_apart_where_they_meet() -> None:
    """The header is self-delimiting: text moved between title, URL and page changes it."""
    a = RawDocument("a", '"]\nbody', "text", title="T")
    b = RawDocument("a", "body", "text", title='T"]\n')
    c = RawDocument("a", "body", "text", title="T", url=None)
    assert len({raw_sha256(a), raw_sha256(b), raw_sha256(c)}) == 3
