"""trafilatura's basic cleaning, without its cookie-consent test where no class or id can pass it.

``basic_cleaning`` deletes asides, footers, scripts, styles and, since trafilatura 2.3,
cookie-consent banners: elements whose class or id matches a case-insensitive regex. That
regex runs as an lxml ``re:test`` callback on every element: on a dev page's body the
expression takes 3.6 ms with it and 0.4 ms without. trafilatura cleans this way for its
escalation measure (``html2txt`` of the whole page, on 335 of the 781 dev pages), before
jusText and in its baseline; presswash's block lookup cleans a block's copy the same way.

Every branch of the regex contains one of a few words ("cookie", "consent", "onetrust", ...),
so where no class or id below the cleaned element contains one, the test cannot pass and the
expression without it finds the same elements in the same (document) order. Collecting the
classes and ids and searching them costs 0.4 ms a page body; 532 of the 781 dev page bodies
have none of the words in them (143 match the regex). Attributes with non-ASCII text get the
full expression: Python's case-insensitive matching folds a few letters (the long s, the
dotless i) that ``str.lower`` leaves alone. Measured: identical extractions of every dev
page, trafilatura's extraction at 0.973x the CPU (three alternating runs).

Only inside ``cleaning_by_attributes`` (presswash's ``Extractor`` sets it), and only for the
expression and regex the words were read from: anything else gets trafilatura's expression
(``ACTIVE`` is then False, which a test reports).
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from contextvars import ContextVar

import trafilatura.baseline  # noqa: F401 (loaded before it is patched below)
from lxml.etree import XPath, _Element
from trafilatura.settings import _COOKIE_CONSENT_RE, BASIC_CLEAN_XPATH

from pipeline.scoped import scoped

_READ_FROM = (
    "cookie[-_]?(?:banner|bar|consent|law|notice|policy|description)|notice[-_]{0,2}cookie"
    "|consent[-_]?(?:banner|manager|sdk)|borlabs|cookiebot|cmplz|onetrust|moove[-_]?gdpr"
)
"""The consent regex the words below were read from."""
_WORDS = ("cookie", "consent", "borlabs", "cmplz", "onetrust", "moove")
"""One of these occurs, lower-cased, in every string the regex matches."""
_CONSENT_TEST = (
    f"|.//*[re:test(@class, '{_COOKIE_CONSENT_RE}', 'i') "
    f"or re:test(@id, '{_COOKIE_CONSENT_RE}', 'i')]"
)

ACTIVE = _COOKIE_CONSENT_RE == _READ_FROM and BASIC_CLEAN_XPATH.path.endswith(_CONSENT_TEST)

_full = BASIC_CLEAN_XPATH
_without_consent = XPath(_full.path.removesuffix(_CONSENT_TEST)) if ACTIVE else _full
_classes_and_ids = XPath(".//*/@class|.//*/@id", smart_strings=False)
_on: ContextVar[bool] = ContextVar("presswash_clean_by_attributes", default=False)


def cleaning_by_attributes() -> AbstractContextManager[None]:
    """Within the block, trafilatura's basic cleaning looks at the classes and ids first."""
    return scoped(_on, True)


def may_be_consent(element: _Element) -> bool:
    """False only when no class or id below ``element`` can match trafilatura's consent regex."""
    values = "\n".join(_classes_and_ids(element))
    if not values.isascii():
        return True
    lowered = values.lower()
    return any(word in lowered for word in _WORDS)


def _basic_clean_nodes(element: _Element) -> list[_Element]:
    if _on.get() and not may_be_consent(element):
        found: list[_Element] = _without_consent(element)
    else:
        found = _full(element)
    return found


if ACTIVE:
    # By name: the package's ``trafilatura.baseline`` attribute is the function of that name.
    # (mypy: the module imports the name from trafilatura.settings rather than exporting it.)
    sys.modules["trafilatura.baseline"].BASIC_CLEAN_XPATH = _basic_clean_nodes  # type: ignore[attr-defined]
