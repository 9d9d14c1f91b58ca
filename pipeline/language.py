"""Language identification with langdetect, made deterministic and cheaper.

langdetect samples randomly unless its factory is seeded, so the seed is set when this
module is imported, which happens in every process that detects languages. presswash keeps
its own factory (the profiles load once per process, as in langdetect's ``detect_langs``)
so that each detector can be given fewer sampling trials than langdetect's seven.
"""

from __future__ import annotations

from functools import cache

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from pipeline.config import LanguageConfig

DetectorFactory.seed = 0

UNDETERMINED = "und"


@cache
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


def detect_language(text: str, config: LanguageConfig = LanguageConfig()) -> tuple[str, float]:
    """Return an ISO code and its probability, or ``("und", p)`` when unsure.

    Only the first ``max_chars`` characters are read: accuracy is the same and detection is
    about twice as fast on full articles.
    """
    sample = text[: config.max_chars]
    if len(sample.strip()) < config.min_chars:
        return UNDETERMINED, 0.0
    detector = _factory().create()
    detector.n_trial = config.trials
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except LangDetectException:  # raised on text without letters
        return UNDETERMINED, 0.0
    if best.prob < config.min_prob:
        return UNDETERMINED, round(best.prob, 4)
    return best.lang, round(best.prob, 4)
