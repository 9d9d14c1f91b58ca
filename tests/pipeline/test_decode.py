import codecs

import pytest

from pipeline.decode import DecodeError, decode

GERMAN = (
    "Die Bürgermeisterin äußerte sich am Dienstag über die Größe des neuen Parks. "
    "Über dreihundert Bürger waren anwesend, die Bäckerei öffnete früh. "
) * 3


def test_utf8() -> None:
    assert decode(GERMAN.encode("utf-8")) == GERMAN


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(encoding: str) -> None:
    assert decode(GERMAN.encode(encoding)) == GERMAN


def test_undeclared_cp1252_is_detected() -> None:
    assert decode(GERMAN.encode("cp1252")) == GERMAN


def test_undeclared_shift_jis_is_detected() -> None:
    text = "東京都は本日、新しい交通政策を発表しました。市民の多くはこの決定を歓迎しています。" * 3
    assert decode(text.encode("shift_jis")) == text


def test_html_meta_charset_is_honoured() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body>café crème</body></html>'
    assert "café crème" in decode(html.encode("cp1252"), html=True)


def test_false_declared_charset_is_not_trusted() -> None:
    assert decode(GERMAN.encode("utf-8"), declared="ascii") == GERMAN


@pytest.mark.parametrize("data", [b"\x00" * 64, bytes(range(256)) * 4, b"abc\x00def"])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert info.value.reason == "read.binary"


def test_control_characters_are_refused() -> None:
    with pytest.raises(DecodeError) as info:
        decode(bytes([1, 2, 3, 4, 5, 6, 7, 8] * 50))
    assert info.value.reason == "read.binary"


def test_bom_is_not_kept() -> None:
    assert not decode(codecs.BOM_UTF8 + b"hello").startswith("\ufeff")


def test_utf8_with_a_few_bad_bytes_keeps_every_good_character() -> None:
    data = "Déjà « vu » – l’école".encode() + "<p>fin: été</p>".encode("cp1252")
    text = decode(data, html=True)
    assert text.startswith("Déjà « vu » – l’école")
    assert text.endswith("<p>fin: \ufffdt\ufffd</p>")


def test_a_legacy_page_is_still_detected_not_patched_as_utf8() -> None:
    text = "Le conseil a approuvé la rénovation de l’école élémentaire. " * 5
    assert decode(text.encode("cp1252"), html=True) == text
