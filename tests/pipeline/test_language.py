from array import array

import pytest
from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import PROFILES_DIRECTORY

from pipeline.config import LanguageConfig
from pipeline.language import UNDETERMINED, _detector, _factory, detect_language

SAMPLES = {
    "en": "The city council approved the new budget on Tuesday after a long debate.",
    "de": "Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen.",
    "fr": "Le conseil municipal a approuvé mardi le nouveau budget après un long débat.",
    "es": "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate.",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_detects_language(code: str, text: str) -> None:
    language, probability = detect_language(text)
    assert language == code
    assert probability >= 0.7


def test_is_deterministic_on_ambiguous_text() -> None:
    text = "Hotel Restaurant Taxi Bar Pizza Radio"
    assert len({detect_language(text, LanguageConfig(min_chars=1)) for _ in range(20)}) == 1


def test_trials_set_how_many_samples_are_averaged() -> None:
    """Seven trials is langdetect's own default: the same answer as its ``detect_langs``."""
    text = "Hotel Restaurant Taxi Bar Pizza Radio"
    own = detect_langs(text)[0]
    answers = {
        trials: detect_language(text, LanguageConfig(min_chars=1, min_prob=0, trials=trials))
        for trials in (1, 3, 7)
    }
    assert answers[7] == (own.lang, round(own.prob, 4))
    assert len(set(answers.values())) == 3


@pytest.mark.parametrize("text", ["", "   ", "Hi there", "1234 5678 9012 3456 7890 !!!"])
def test_short_or_letterless_text_is_undetermined(text: str) -> None:
    assert detect_language(text)[0] == UNDETERMINED


def test_low_confidence_is_undetermined_but_keeps_probability() -> None:
    mixed = SAMPLES["en"] + " " + SAMPLES["de"]
    language, probability = detect_language(mixed, LanguageConfig(min_prob=0.99))
    assert language == UNDETERMINED
    assert 0 < probability < 0.99


@pytest.fixture(scope="module")
def langdetects_own() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


@pytest.mark.parametrize("text", [*SAMPLES.values(), "Ciao! Hello? Hallo. Olá, hola"])
def test_compact_profiles_give_langdetects_own_probabilities(
    text: str, langdetects_own: DetectorFactory
) -> None:
    """The sparse single-precision profiles (24 MB in every worker, not 61) must not
    change what is detected: langdetect's own detector on its own loading agrees."""
    results = []
    for detector in (langdetects_own.create(), _detector()):
        detector.append(text)
        results.append([(p.lang, round(p.prob, 4)) for p in detector.get_probabilities()])
    assert results[0] == results[1]


def test_every_ngram_keeps_langdetects_probabilities(langdetects_own: DetectorFactory) -> None:
    """Each n-gram's 55 probabilities, read back from a dense row or from its pairs, are
    langdetect's own rounded to 4-byte floats: the grouping of pairs by n-gram is exact.
    (langdetect reads its profiles in the file system's order, presswash by name.)"""
    _, profiles = _factory()
    assert sorted(langdetects_own.langlist) == profiles.languages
    theirs = [langdetects_own.langlist.index(name) for name in profiles.languages]
    assert profiles.rows.keys() == langdetects_own.word_lang_prob_map.keys()
    for ngram, own in langdetects_own.word_lang_prob_map.items():
        row = profiles.rows[ngram]
        if isinstance(row, array):
            stored = row
        else:
            stored = array("f", bytes(4 * len(profiles.languages)))
            for pair in range(profiles.starts[row], profiles.starts[row + 1]):
                stored[profiles.language_of[pair]] = profiles.probability_of[pair]
        assert stored == array("f", [own[i] for i in theirs]), ngram


WALKED = [
    *SAMPLES.values(),
    "Ciao! Hello? Hallo. Olá, hola",
    "NASA and the EU said: OK   then,\u2014 see https://example.org/a?b=1 or write to a.b@c.de",
    "Tiếng Việt có dấu: Người ta nói rằng thời tiết hôm nay đẹp. Ngựa chạy.",
    "東京都は火曜日に新しい予算を承認した。ひらがな カタカナ 한국어 문장입니다 ㄅㄆㄇ",
    "Московский городской совет утвердил новый бюджет во вторник. A few LATIN words.",
    "مجلس المدينة وافق على الميزانية الجديدة یک کلمه فارسی",
    "Înțelegerea și țara: românește, ştiinţă. ΑΘΗΝΑ Ελληνικά κείμενα \u1e9e\u1ea0\u1ec3",
    "ALL CAPS HEADLINE WITH Mixed Case And iPhone eBay McDonald",
    "   leading and trailing spaces   ",
    "\u1ea0\u1ea1\u1ea2\u1ea3\u1ea4\u1ea5\u1ea6 ab",
    "a I x NASAs ABc aBC dE UN, e.g. x1y2z und-so-weiter,Komma EU",
    "ends on a word in CAPS",
    "one",
]


@pytest.mark.parametrize("text", WALKED)
def test_text_walks_cut_langdetects_own_ngrams(text: str, langdetects_own: DetectorFactory) -> None:
    """The regular-expression walks and the word-by-word n-grams give langdetect's own
    cleaned text and n-gram list, in order (the sampling draws from that list)."""
    theirs, ours = langdetects_own.create(), _detector()
    for detector in (theirs, ours):
        detector.append(text)
        detector.cleaning_text()
    assert ours.text == theirs.text
    assert ours._extract_ngrams() == theirs._extract_ngrams()
