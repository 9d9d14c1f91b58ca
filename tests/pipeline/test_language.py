import pytest
from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import PROFILES_DIRECTORY

from pipeline.config import LanguageConfig
from pipeline.language import UNDETERMINED, _detector, detect_language

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
