"""Remove the boilerplate lines that extractors leave inside an article body.

trafilatura already drops navigation, share bars and related-link blocks that it can see in
the HTML structure; what survives are plain paragraphs such as "READ MORE: <headline>", a
"Don't miss…" list, a newsletter consent paragraph or "Source: Read Full Article". Matching a
keyword anywhere in a line was measured to cost more than it gains (F1 .953 -> .905), because
"twitter", "sign up" or "subscribe" occur in real sentences. So every rule here looks at the
*shape* and *position* of a line: a cue must open a short line or be the whole line, a list is
only removed after a cue, consent text needs several consent phrases at once, and a source tail
only counts at the very end.

The cue phrases are data (``pipeline/cues/*.yaml``, one file per language). All languages are
merged, because the stripper runs before language detection and pages mix languages anyway.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType

import yaml

from pipeline.config import StripConfig
from pipeline.document import Removal
from pipeline.reasons import REASONS
from pipeline.strip_edges import QUOTE_MARKS, EdgeHit, EdgeRules, title_tokens
from pipeline.structure import density_of, heading_level, is_heading, kind_of

READ_MORE = "strip.read_more"
PROMO_BLOCK = "strip.promo_block"
SIGNUP_CONSENT = "strip.signup_consent"
SOURCE_TAIL = "strip.source_tail"
SHARE_FOLLOW = "strip.share_follow"
AD_MARKER = "strip.ad_marker"
AFFILIATE = "strip.affiliate"
TITLE_REPEAT = "strip.title_repeat"
RELATED_LINKS = "strip.related_links"
TAGS = "strip.tags"
BYLINE = "strip.byline"
STANDFIRST = "strip.standfirst"
ORPHAN_HEADING = "strip.orphan_heading"
REPEATED_COPY = "strip.repeated_copy"
CREDIT = "strip.credit"
STRUCTURAL: frozenset[str] = frozenset({STANDFIRST, ORPHAN_HEADING})
"""The rules that read element types; ``StripConfig.elements`` switches them off together."""

DEFAULT_CONFIG = StripConfig()
RULES: frozenset[str] = frozenset(code for code in REASONS if code.startswith("strip."))

CUE_FAMILIES = frozenset(
    {
        "read_more",
        "promo_block",
        "share_follow",
        "follow_verbs",
        "our",
        "signup",
        "consent",
        "newsletter",
        "addressee",
        "offer_verbs",
        "by_email",
        "affiliate",
        "no_guarantee",
        "reprint",
        "reader",
        "ad_marker",
        "source_label",
        "source_tail",
        "social",
        "share_words",
        "login_wall",
        "comments",
        "moderation",
        "credit",
        "byline",
        "reading_time",
        "contact",
        "contact_label",
        "permalink",
        "this_site",
        "more_info",
        "about_label",
        "enlarge",
        "availability",
        "paywall",
        "months",
        "call_to_action",
        "app_stores",
        "article_appeal",
        "letters",
        "link_pointer",
        "tags",
    }
)

TEASER_MAX_WORDS = 30
"""A cue line longer than this is a sentence that happens to start with the cue."""
HEADLINE_MAX_WORDS = 20
SHORT_LINE_WORDS = 15
"""Share, follow and sign-up calls are short; a longer line is prose about them."""
SIGNUP_MAX_WORDS = 25
"""A line opening with a sign-up call may promise what the newsletter brings in a clause."""
NEWSLETTER_HEADING_WORDS = 4
"""A newsletter box's heading: the word and the site's or the letter's name ("PC Tips
Newsletter", "Der Morgen-Newsletter")."""
PARAGRAPH_MAX_WORDS = 120
"""Consent and affiliate notices are one paragraph; longer text is an article about them."""
PROMO_RUN_MAX = 10
"""A cue takes at most this many headlines with it, so a missed stop cannot eat an article."""
TEASER_RUN_MAX = 1
"""A lone "Read more:" links one headline, which some pages put on the next line."""
MIN_PHRASES = 3
MIN_PHRASES_ADDRESSED = 2
"""Consent text needs three distinct phrases, or two when it also addresses the reader."""
EVIDENCE_CHARS = 60
LINKED_MIN_RATIO = 0.7
"""A line at least this much link text is navigation, not prose that cites a source."""
MIN_LINK_RUN = 3
LINKED_CUE_MIN_RATIO = 0.5
MIN_SHOUT_WORDS = 3
"""A cue opening a line that is at least this much link text introduces a linked headline,
whatever follows the cue ("Also on example.com Headline of another story")."""
SUMMARY_MAX_WORDS = 25
"""A teaser's one-line summary under its linked headline."""
KICKER_MAX_WORDS = 4
DATE_LABEL_WORDS = 2
"""A dateline's label set on its own line: "Published:", "Publié le :"."""
MIN_COPY_LINES = 4
MIN_COPY_WORDS = 60
"""A repeated run this long is a copy of the story, not a repeated heading or quote."""
COPY_START_LINES = 3
"""The run must repeat one of the body's first lines: the copy starts where the story does."""
SOURCE_MAX_WORDS = 8
"""A source credit names an agency or a publication, maybe with a date and place."""
NAME_MAX_WORDS = 4
"""A cue followed by at most this many capitalised words names a site or section."""
MAX_CONNECTOR_CHARS = 4
"""A preposition between a cue and the name ("auf", "bei", "on", "at", "de")."""
ABOUT_MAX_LINES = 3
"""An author's bio or a publisher's blurb under its label is a paragraph or a few."""
CONTACT_LINE_WORDS = 10
"""A line of an address block: a name, an office, a street, a phone number or an e-mail."""
CONTACT_BLOCK_MAX_LINES = 15
"""A press office's address block names a few people; a longer run of short lines under a
"Contact" label is a list the story gives (opening hours, a programme)."""
CHANNEL_MAX_WORDS = 10
"""A promotion of the publisher's own channel is a call of a few words; a longer line is a
story telling what was posted where."""
CHANNEL_GAP = 2
"""Words between "our" and the network: "unseren YouTube-Kanal", "nuestro canal de YouTube"."""
SHARE_ITEM_MAX_WORDS = 3
"""One button of a share column: a network's name, maybe with a count or "Share on"."""
WIDGET_LINE_MAX_WORDS = 5
"""A widget's label ("Teilen Sie dies mit:", "Like this:") or its loading text ("Like
Loading…") beside a share column."""
MIN_COLUMN_NETWORKS = 3
"""Share buttons set one per line: three networks in a row, or two under a share label. Two
network names alone may be a story's list (companies, where a video was posted)."""
DISCLOSURE_MAX_WORDS = 12
"""An advertising label says what kind of advertising it is in a few words."""
NO_GUARANTEE_MAX_WORDS = 8
"""A no-guarantee disclaimer is a phrase of a few words set on its own line."""
MIN_MIXED_SCRIPT_WORDS = 3
"""Words spelt with Cyrillic or Greek look-alikes among Latin letters: one may
be a typo or a unit, three on a line are ad text disguised from filters."""
STANDFIRST_MIN_WORDS = 8
"""A heading above the story this long is a sentence: a standfirst, not a section label
("Claim", "GIRLS BASKETBALL") or a short deal headline that the story's text starts with."""

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LINE_START_FAMILIES = (
    "read_more",
    "promo_block",
    "ad_marker",
    "share_follow",
    "follow_verbs",
    "signup",
    "source_label",
    "source_tail",
)
"""The families whose regexes only match a line that opens with one of their phrases."""
_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
_SEPARATOR = re.compile(r"\s*(?:[:|»\u203a>→\u2013\u2014\-]+|\.{3}|…)\s*")
_TRAILING_TAGS = re.compile(r"(?:[\s|]*\[[^\[\]]{1,24}\])+[\s|]*$")
_CAPS_TAG = re.compile(r"\S\s*\[\s*[A-Z]{3,}(?:\s+[A-Z]{2,})*\s*\][\s|]*$")
_LEADING_BULLET = re.compile(r"^[\s\-\u2013\u2014•·*▪►»>]+")
_CLOSING_QUOTES = "\"'\u2019”»)] "
_OPENING_QUOTES = "\"'\u2018\u201c\u201e«\u2039"
_NOT_HEADLINE_END = tuple(".,;:…")
_TOKEN = re.compile(r"\w+")
_LOOKALIKES = (
    # Cyrillic capitals like A B E K M H O P C T X
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425"
    # Cyrillic small letters like a e o p c y x i j s h d q w l
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb\u0501\u051b\u051d\u04cf"
    # Greek capitals like A B E Z H I K M N O P T Y X, and small o
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf"
)
"""Cyrillic and Greek letters drawn like Latin ones; a letter that looks foreign, such as
Greek mu in "5 \u03bcm", is not among them."""
_LOOKALIKE = re.compile(f"[{_LOOKALIKES}]")
"""Any look-alike at all: a scan in C that spares most lines the word pattern below."""
_MIXED_WORD = re.compile(rf"\b(?=[^\W\d_]*[A-Za-z])(?=[^\W\d_]*[{_LOOKALIKES}])[^\W\d_]+\b")
"""A word with both a plain Latin letter and a Cyrillic or Greek look-alike in it."""
_NON_WORD = re.compile(r"\W+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:[;,&/|]|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b)\s*")
_ARROWED = re.compile(r"^\s*>{2,}\s*(?P<head>\w.*?)\s*<{2,}\s*$")
"""">> Headline <<": arrows on both sides point at a linked teaser; one-sided ">>>" also opens
an interpreter prompt in a programming story."""
_SIGN_OFF = re.compile(r"^\W*[^\W\d_]{1,8}(?:\s*/\s*[^\W\d_]{1,8}){1,3}\W*$")
"""An agency sign-off: the editor's initials and the agency, joined by slashes ("aja/PAP",
"dpa/lni", "(AFP/ANSA)")."""
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
"""A linked address is a reference the story cites, not a headline of another story."""


def _phrase_pattern(phrase: str) -> str:
    """Regex for one cue that tolerates curly apostrophes, "sign-up"/"sign up"/"signup" and
    any run of spaces or dashes between words, with word boundaries only at word characters."""
    words = " ".join(phrase.split())
    parts: list[str] = []
    for ch in words:
        if ch in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif ch == " ":
            parts.append(r"[\s\-\u2010\u2011\u2013\u2014]+")
        elif ch == "-":
            parts.append(r"[\s\-\u2010\u2011]?")
        else:
            parts.append(re.escape(ch))
    head = r"(?<!\w)" if words[0].isalnum() else ""
    tail = r"(?!\w)" if words[-1].isalnum() else ""
    return head + "".join(parts) + tail


def _alternation(phrases: Iterable[str]) -> str:
    """Longest phrase first, so "related articles" wins over "related" at the same place."""
    unique = sorted(
        {p.strip().casefold() for p in phrases if p.strip()}, key=lambda p: (-len(p), p)
    )
    return "(?:" + "|".join(_phrase_pattern(p) for p in unique) + ")"


class _PhraseSet:
    """Phrases found by word lookup rather than a regex alternation.

    An unanchored alternation of a hundred phrases is tried at every character of a long
    paragraph: measured on aeb-dev, the whole stripper took 8 ms per article that way and
    0.5 ms with one dict probe per word, which costs the same whatever the lexicon's size.
    """

    __slots__ = ("_by_first",)

    def __init__(self, phrases: Iterable[str]) -> None:
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for phrase in phrases:
            # "sign-up" must also find "signup"; the tokens already cover "sign up".
            for variant in {phrase, re.sub(r"(?<=\w)-(?=\w)", "", phrase)}:
                words = tuple(_tokens(variant))
                if words:
                    by_first.setdefault(words[0], set()).add(words)
        self._by_first = {
            first: sorted(options, key=len, reverse=True) for first, options in by_first.items()
        }

    def find(self, tokens: list[str]) -> set[str]:
        """The distinct phrases among the tokens, longest first where two start together."""
        if self._by_first.keys().isdisjoint(tokens):  # most lines: one pass in C, no phrase
            return set()
        hits: set[str] = set()
        i = 0
        while i < len(tokens):
            step = 1
            for words in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(words)]) == words:
                    hits.add(" ".join(words))
                    step = len(words)
                    break
            i += step
        return hits


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


@cache
def load_lexicon() -> Mapping[str, tuple[str, ...]]:
    """Merge every ``pipeline/cues/*.yaml`` into one phrase list per cue family, once per
    process (the stripper and the quality gate both read it; libyaml parses it when present).

    An unknown family name is an error rather than being ignored: a typo in a data file
    would otherwise silently switch a rule off for one language.
    """
    merged: dict[str, set[str]] = {family: set() for family in CUE_FAMILIES}
    for entry in sorted(resources.files("pipeline.cues").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        if not isinstance(data, Mapping):
            raise ValueError(f"pipeline/cues/{entry.name}: top level must be a mapping")
        for family, phrases in data.items():
            if family not in CUE_FAMILIES:
                raise ValueError(f"pipeline/cues/{entry.name}: unknown cue family {family!r}")
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise ValueError(f"pipeline/cues/{entry.name}: {family} must be a list of strings")
            merged[family].update(p.strip() for p in phrases if p.strip())
    return MappingProxyType({family: tuple(sorted(phrases)) for family, phrases in merged.items()})


def _words(line: str) -> int:
    return len(line.split())


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def _title_words(text: str) -> list[str]:
    """Case, apostrophe, punctuation and spacing differences do not make a repeated title a
    new line. U+02BC is the one apostrophe that regex counts as a letter."""
    return _tokens(text.replace("\u02bc", "'"))


def _headline_shaped(line: str) -> bool:
    """A linked headline: a few capitalised words, no sentence-final punctuation.

    Questions and exclamations count, since headlines use them; a full stop, colon or
    ellipsis at the end marks prose or a cue instead.
    """
    core = _LEADING_BULLET.sub("", _TRAILING_TAGS.sub("", line)).rstrip(_CLOSING_QUOTES)
    if not 2 <= _words(core) <= HEADLINE_MAX_WORDS or core.endswith(_NOT_HEADLINE_END):
        return False
    first = next((ch for ch in core if ch.isalnum()), "")
    return first.isupper() or first.isdigit()


@dataclass(frozen=True, slots=True)
class StripResult:
    """The kept lines of a body and a record of every line taken out."""

    lines: tuple[str, ...]
    removals: tuple[Removal, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class _Verdict:
    reason: str
    evidence: str
    run: int = 0
    """How many following headline-shaped lines this cue line takes with it."""


class Stripper:
    """Line-level boilerplate stripper; build once per configuration and call per document."""

    def __init__(self, config: StripConfig = DEFAULT_CONFIG) -> None:
        unknown = set(config.disabled_rules) - RULES
        if unknown:
            raise ValueError(
                f"unknown strip rules in disabled_rules: {sorted(unknown)} (known: {sorted(RULES)})"
            )
        self._on = RULES - set(config.disabled_rules) if config.enabled else frozenset()
        if not config.elements:
            self._on -= STRUCTURAL
        if not config.standfirst:
            self._on -= {STANDFIRST}
        cues = load_lexicon()
        flags = re.IGNORECASE
        self._read_more = re.compile(
            r"^\W*(?P<cue>" + _alternation(cues["read_more"]) + r")(?P<rest>.*)$", flags
        )
        self._promo = re.compile(
            r"^\W*(?P<cue>" + _alternation(cues["promo_block"]) + r")(?P<rest>.*)$", flags
        )
        self._ad = re.compile(r"^\W*" + _alternation(cues["ad_marker"]) + r"\W*$", flags)
        self._ad_label = re.compile(
            r"^\W*(?P<cue>" + _alternation(cues["ad_marker"]) + r")\s*[,.:;|\]\-\u2013\u2014]",
            flags,
        )
        self._share = re.compile(r"^\W*" + _alternation(cues["share_follow"]), flags)
        self._follow = re.compile(
            r"^\W*" + _alternation(cues["follow_verbs"]) + r".*?" + _alternation(cues["social"]),
            flags,
        )
        self._networks = frozenset(w for p in cues["social"] for w in _tokens(p))
        self._share_verbs = frozenset(w for p in cues["share_words"] for w in _tokens(p))
        self._social_words = self._networks | self._share_verbs
        self._channels = frozenset(n for n in self._networks if len(n) > 1)
        self._our = frozenset(w for p in cues["our"] for w in _tokens(p))
        self._signup = re.compile(r"^\W*" + _alternation(cues["signup"]), flags)
        self._consent = _PhraseSet(cues["consent"])
        self._newsletter = _PhraseSet(cues["newsletter"])
        self._newsletter_names = frozenset(tuple(_tokens(p)) for p in cues["newsletter"])
        self._newsletter_ends = frozenset(words[-1] for words in self._newsletter_names if words)
        self._addressee = frozenset(cues["addressee"])
        self._offer_verbs = frozenset(w for p in cues["offer_verbs"] for w in _tokens(p))
        self._by_email = _PhraseSet(cues["by_email"])
        self._affiliate = _PhraseSet(cues["affiliate"])
        self._no_guarantee = re.compile(
            r"^\W*" + _alternation(cues["no_guarantee"]) + r"\W*$", flags
        )
        self._reprint = _PhraseSet(cues["reprint"])
        self._reader = _PhraseSet(cues["reader"])
        self._edges = EdgeRules(cues, self._on)
        self._cue_starts = frozenset(
            words[0]
            for family in _LINE_START_FAMILIES
            for phrase in cues[family]
            for variant in (phrase, re.sub(r"(?<=\w)-(?=\w)", "", phrase))
            if (words := _tokens(variant))
        )
        self._source = re.compile(
            r"^\W*" + _alternation(cues["source_label"]) + r"\s*[:\uff1a]\s*(?P<rest>.*)$", flags
        )
        self._tail = re.compile(
            r"^\W*(?:"
            + _alternation(cues["source_label"])
            + r"\s*[:\uff1a\-\u2013\u2014]?\s*)?"
            + _alternation(cues["source_tail"])
            + r"\W*$",
            flags,
        )

    def __call__(
        self,
        text: str,
        *,
        title: str | None = None,
        link_density: Mapping[str, float] = MappingProxyType({}),
        elements: Mapping[str, str] = MappingProxyType({}),
        author: str | None = None,
    ) -> StripResult:
        """Strip one body; ``link_density`` (block text -> link share) and ``elements`` (block
        text -> element kind), both from the extractor, switch on the rules that plain text
        alone cannot support; ``author`` (the page's byline metadata) marks a closing bio."""
        raw = text.splitlines()
        if not self._on:
            return StripResult(tuple(line for line in raw if line.strip()), ())
        title_words = _title_words(title) if title and TITLE_REPEAT in self._on else []
        tokens = [_tokens(line) for line in raw]
        verdicts: list[_Verdict | None] = [
            self._judge(line, words, title_words, link_density) if line.strip() else None
            for line, words in zip(raw, tokens, strict=True)
        ]
        self._take_runs(raw, verdicts)
        if SHARE_FOLLOW in self._on:
            self._take_share_columns(raw, tokens, verdicts)
        links = link_density if RELATED_LINKS in self._on else {}
        self._take_link_lists(raw, verdicts, links, elements)
        kinds = elements if self._on & STRUCTURAL else {}
        self._take_top(raw, verdicts, title_tokens(title) if title else (), links, kinds)
        authors = _author_names(author) if author and BYLINE in self._on else ()
        self._take_bottom(raw, verdicts, links, kinds, authors)
        self._take_about_section(raw, verdicts)
        self._take_orphan_headings(raw, verdicts, kinds)
        self._take_second_copy(raw, verdicts)
        kept: list[str] = []
        removals: list[Removal] = []
        for position, (line, verdict) in enumerate(zip(raw, verdicts, strict=True)):
            if verdict is not None:
                removals.append(Removal(position, line, verdict.reason, verdict.evidence))
            elif line.strip():
                kept.append(line)
        return StripResult(tuple(kept), tuple(removals))

    def _judge(
        self, line: str, tokens: list[str], title_words: list[str], links: Mapping[str, float]
    ) -> _Verdict | None:
        """The verdict on one line alone; the order puts the most specific rules first."""
        on = self._on
        if title_words and title_words == (tokens if "\u02bc" not in line else _title_words(line)):
            return _Verdict(TITLE_REPEAT, "equals the title")
        # The cue regexes try a hundred phrases at the line's start: skip them unless its first
        # word opens one (U+02BC, an apostrophe that tokens keep inside a word, always tries).
        cued = self._opens_like_a_cue(line, tokens)
        if cued and AD_MARKER in on and self._ad.match(line):
            return _Verdict(AD_MARKER, f"marker {_short(line.strip())!r}")
        if AD_MARKER in on and not line.isascii() and (mixed := _mixed_script(line)):
            return _Verdict(AD_MARKER, f"words in mixed scripts: {_short(', '.join(mixed))}")
        for reason, pattern, run in (
            (READ_MORE, self._read_more, TEASER_RUN_MAX),
            (PROMO_BLOCK, self._promo, PROMO_RUN_MAX),
        ):
            if (
                cued
                and reason in on
                and (verdict := self._cue_line(line, reason, pattern, run, links))
            ):
                return verdict
        # "Headline [REPORT]": a linked headline labelled in capitals is a teaser even
        # without a cue, since article sentences do not end in such a tag.
        if PROMO_BLOCK in on and _CAPS_TAG.search(line) and _headline_shaped(line):
            tag = line[line.rindex("[") :].strip(" |\u00a0")
            return _Verdict(PROMO_BLOCK, f"headline tagged {tag!r}")
        if (
            READ_MORE in on
            and (m := _ARROWED.match(line))
            and _words(m.group("head")) <= TEASER_MAX_WORDS
        ):
            return _Verdict(READ_MORE, f"teaser between arrows {_short(m.group('head'))!r}")
        if RELATED_LINKS in on and links and (hit := self._shouted_link(line, links)):
            return _Verdict(hit.reason, hit.evidence)
        words = _words(line)
        if (
            SHARE_FOLLOW in on
            and words <= SHORT_LINE_WORDS
            and (v := self._share_follow(line, tokens, cued=cued))
        ):
            return v
        if SIGNUP_CONSENT in on:
            if cued and words <= SIGNUP_MAX_WORDS and (m := self._signup.match(line)):
                return _Verdict(SIGNUP_CONSENT, f"sign-up call {_short(m.group(0).strip())!r}")
            if words <= PARAGRAPH_MAX_WORDS and (hits := self._phrases(self._consent, tokens)):
                return _Verdict(SIGNUP_CONSENT, "consent phrases: " + _short(", ".join(hits)))
            if (
                words <= SIGNUP_MAX_WORDS
                and (names := self._newsletter.find(tokens))
                and not self._addressee.isdisjoint(tokens)
            ):
                name = min(names)
                return _Verdict(
                    SIGNUP_CONSENT, f"newsletter {_short(name)!r} offered to the reader"
                )
            if words <= SIGNUP_MAX_WORDS and (way := self._mail_offer(tokens)):
                return _Verdict(SIGNUP_CONSENT, f"stories offered {_short(way)!r}")
            if words <= NEWSLETTER_HEADING_WORDS and (
                box := self._newsletter_heading(line, tokens)
            ):
                return _Verdict(SIGNUP_CONSENT, f"newsletter box heading {_short(box)!r}")
        if (
            AFFILIATE in on
            and words <= PARAGRAPH_MAX_WORDS
            and (hits := self._phrases(self._affiliate, tokens))
        ):
            return _Verdict(AFFILIATE, "affiliate phrases: " + _short(", ".join(hits)))
        # "(Alle Angaben ohne Gewähr)": the disclaimer alone on its line, brackets allowed; a
        # sentence that says so about prices or results goes on and stays.
        if AFFILIATE in on and words <= NO_GUARANTEE_MAX_WORDS and self._no_guarantee.match(line):
            return _Verdict(AFFILIATE, f"no-guarantee disclaimer {_short(line.strip())!r}")
        if (
            CREDIT in on
            and words <= PARAGRAPH_MAX_WORDS
            and (hits := self._phrases(self._reprint, tokens))
        ):
            return _Verdict(CREDIT, "reprint notice phrases: " + _short(", ".join(hits)))
        if cued and SOURCE_TAIL in on and self._source_credit(line) and not self._tail.match(line):
            return _Verdict(SOURCE_TAIL, f"source credit {_short(line.strip())!r}")
        if hit := (
            self._edges.appeal_opening(tokens)
            or self._edges.letters_appeal(tokens)
            or self._edges.paywall_gate(tokens)
        ):
            return _Verdict(hit.reason, hit.evidence)
        if hit := (
            self._edges.comment_line(line, tokens)
            or self._edges.credit_line(line, tokens)
            or self._edges.media_label(line, tokens)
            or self._edges.more_info_pointer(line, tokens)
        ):
            return _Verdict(hit.reason, hit.evidence)
        return None

    def _cue_line(
        self,
        line: str,
        reason: str,
        pattern: re.Pattern[str],
        run: int,
        links: Mapping[str, float],
    ) -> _Verdict | None:
        """A cue alone on its line, or a cue opening a short teaser line.

        After the cue there must be a separator and a teaser that does not end like a sentence
        ("Read more: …"), or the cue must be in capitals or the line end in a [TAG] ("READ MORE
        Headline[REPORT]"): a mixed-case cue followed by plain words is just a sentence that
        starts with "Read more".
        """
        m = pattern.match(line)
        if m is None:
            return None
        cue, rest = m.group("cue"), m.group("rest")
        if not _NON_WORD.sub("", rest):
            return _Verdict(reason, f"cue {_short(cue)!r} alone", run)
        if _words(line) > TEASER_MAX_WORDS:
            return None
        # A bare hyphen joins a compound ("MIRA-Award"); only a spaced one separates.
        if (sep := _SEPARATOR.match(rest)) and sep.group() != "-":
            remainder = rest[sep.end() :]
            if remainder and not remainder.rstrip(_CLOSING_QUOTES).endswith("."):
                return _Verdict(reason, f"cue {_short(cue)!r} + teaser")
        labelled = cue.isupper() or _TRAILING_TAGS.search(rest) is not None
        if labelled and rest[:1].isspace() and _headline_shaped(rest):
            return _Verdict(reason, f"cue {_short(cue)!r} + headline")
        if rest[:1].isspace() and _names_a_site(rest):
            return _Verdict(reason, f"cue {_short(cue)!r} + name {_short(rest.strip())!r}", run)
        density = density_of(line, links) if links else None
        if density is not None and density >= LINKED_CUE_MIN_RATIO:
            return _Verdict(reason, f"cue {_short(cue)!r} + link ({density:.0%} link text)")
        return None

    def _mail_offer(self, tokens: list[str]) -> str | None:
        """ "Get The Gazette's morning briefing by email and never miss our best reporting": a short
        line that opens by offering something, delivered by e-mail, to the reader is a
        newsletter box that does not say "newsletter". A story's sentence about e-mail does
        not open with the offer's verb ("He got the results by email")."""
        if not tokens or tokens[0] not in self._offer_verbs or not self._reader.find(tokens):
            return None
        ways = self._by_email.find(tokens)
        return min(ways) if ways else None

    def _newsletter_heading(self, line: str, tokens: list[str]) -> str | None:
        """ "Harbour Gazette Newsletter", "Newsletter": a label of a few words that ends with
        the word is the heading of a sign-up box, whose text the page may render apart from it.
        A sentence ends with a full stop, and one of four words rarely ends with "newsletter"."""
        if not tokens or tokens[-1] not in self._newsletter_ends or line.rstrip().endswith("."):
            return None
        for size in range(1, len(tokens) + 1):
            if tuple(tokens[-size:]) in self._newsletter_names:
                return " ".join(tokens[-size:])
        return None

    def _opens_like_a_cue(self, line: str, tokens: list[str]) -> bool:
        return bool(tokens) and (tokens[0] in self._cue_starts or "\u02bc" in line)

    def _share_follow(self, line: str, tokens: list[str], *, cued: bool) -> _Verdict | None:
        if cued and (m := self._share.match(line)):
            return _Verdict(SHARE_FOLLOW, f"share cue {_short(m.group(0).strip())!r}")
        if cued and (m := self._follow.match(line)):
            return _Verdict(SHARE_FOLLOW, f"follow on {_short(m.group(0).split()[-1])!r}")
        if len(tokens) >= 2 and all(w in self._social_words for w in tokens):
            return _Verdict(SHARE_FOLLOW, f"share bar {_short(line.strip())!r}")
        if len(tokens) <= CHANNEL_MAX_WORDS and (channel := self._own_channel(line, tokens)):
            return _Verdict(SHARE_FOLLOW, f"promotes {_short(channel)!r}")
        return None

    def _own_channel(self, line: str, tokens: list[str]) -> str | None:
        """ "Check out our Instagram", "Besuchen Sie unseren YouTube-Kanal", "¡Mira lo que tiene
        nuestro canal de YouTube!": a short line in which the publisher names its own channel
        on a network promotes it, whatever the verb. A quotation is someone else speaking
        ("“We posted it on our Facebook page,” she said")."""
        if self._channels.isdisjoint(tokens) or self._our.isdisjoint(tokens):
            return None
        if QUOTE_MARKS.search(line):
            return None
        for i, token in enumerate(tokens):
            if token in self._our:
                after = tokens[i + 1 : i + 2 + CHANNEL_GAP]
                if network := next((t for t in after if t in self._channels), None):
                    return " ".join(tokens[i : i + 1 + after.index(network) + 1])
        return None

    def _take_share_columns(
        self, raw: list[str], tokens: list[list[str]], verdicts: list[_Verdict | None]
    ) -> None:
        """Share buttons rendered one per line ("Share" / "Facebook" / "Twitter" / "Email"), with
        the widget lines around them: the label above ("Teilen mit:"), the like button's label
        and its "Like Loading…" text below. Each button alone is a word that prose uses too; a
        column of them is not prose in any language, so the widget lines need no lexicon."""
        worded = [i for i, words in enumerate(tokens) if words]
        start = 0
        while start < len(worded):
            end, networks = start, 0
            while end < len(worded) and (
                kind := self._share_item(
                    raw[worded[end]], tokens[worded[end]], verdicts[worded[end]]
                )
            ):
                networks += kind == "network"
                end += 1
            if end == start:
                start += 1
                continue
            top = start
            while top > 0 and _widget_label(raw[worded[top - 1]]):
                top -= 1
            above = worded[start - 1] if top < start else None
            labelled = above is not None and self._share_label(raw[above], tokens[above])
            if networks >= MIN_COLUMN_NETWORKS or (
                networks == MIN_COLUMN_NETWORKS - 1 and labelled
            ):
                bottom = end
                while bottom < len(worded) and (
                    _widget_label(raw[worded[bottom]]) or _loading_line(raw[worded[bottom]])
                ):
                    bottom += 1
                while bottom > end and _widget_label(raw[worded[bottom - 1]]):
                    bottom -= 1  # a label with nothing of the widget under it heads the text
                names = ", ".join(raw[worded[k]].strip() for k in range(start, min(end, start + 3)))
                for k in range(top, bottom):
                    if verdicts[worded[k]] is None:
                        verdicts[worded[k]] = _Verdict(
                            SHARE_FOLLOW, f"share buttons one per line: {_short(names)}"
                        )
            start = end

    def _share_item(self, line: str, tokens: list[str], verdict: _Verdict | None) -> str:
        """ "network" for a line naming only share targets with a network among them, "button"
        for another share button or a line already taken as one, else ""."""
        if verdict is not None:
            return "button" if verdict.reason == SHARE_FOLLOW else ""
        if line.rstrip().endswith((",", ";", ".")):
            return ""  # "… folgst du uns auf / Facebook, / Instagram," is a sentence's links
        if len(tokens) > SHARE_ITEM_MAX_WORDS or not all(
            t in self._social_words or t.isdigit() for t in tokens
        ):
            return ""
        return "network" if not self._networks.isdisjoint(tokens) else "button"

    def _share_label(self, line: str, tokens: list[str]) -> bool:
        return not self._share_verbs.isdisjoint(tokens) or bool(self._share.match(line))

    def _phrases(self, phrases: _PhraseSet, tokens: list[str]) -> list[str]:
        """The distinct cue phrases in a paragraph, if there are enough of them to trust."""
        hits = sorted(phrases.find(tokens))
        if len(hits) >= MIN_PHRASES:
            return hits
        if len(hits) >= MIN_PHRASES_ADDRESSED and self._reader.find(tokens):
            return hits
        return []

    def _take_runs(self, raw: list[str], verdicts: list[_Verdict | None]) -> None:
        """Extend each cue over the headline list that follows it.

        Lines another rule already removed are stepped over; the run stops at the first line
        that reads as prose, so the article resumes exactly where the list ends.
        """
        for i, verdict in enumerate(verdicts):
            if verdict is None or verdict.run == 0:
                continue
            taken, j = 0, i + 1
            while j < len(raw) and taken < verdict.run:
                line = raw[j]
                if line.strip() and verdicts[j] is None:
                    if not _headline_shaped(line):
                        break
                    verdicts[j] = _Verdict(verdict.reason, f"listed after {verdict.evidence}")
                    taken += 1
                j += 1

    def _take_top(
        self,
        raw: list[str],
        verdicts: list[_Verdict | None],
        title: tuple[list[str], ...],
        links: Mapping[str, float],
        kinds: Mapping[str, str],
    ) -> None:
        """Drop datelines, bylines, reworded titles, links and standfirsts above the story's
        first line."""
        for i in self._worded(raw, verdicts, range(len(raw))):
            hit = (
                self._edges.top_line(raw[i], title)
                or self._linked(raw[i], links)
                or self._standfirst(raw[i], kinds)
                or self._kicker(raw, verdicts, i)
                or self._date_label(raw, verdicts, i)
                or self._tag_word(raw[i])
                or self._ad_disclosure(raw[i])
            )
            if hit is None:
                return
            verdicts[i] = _Verdict(hit.reason, hit.evidence)

    def _ad_disclosure(self, line: str) -> EdgeHit | None:
        """ "Anzeige, enthält Affiliate Links", "Sponsored: in partnership with …": the
        advertising label a sponsored post carries above its text, the marker with a short
        disclosure after it. Inside the story a line opening "Werbung:" may be a section on
        advertising, so only the top counts."""
        m = self._ad_label.match(line) if AD_MARKER in self._on else None
        if m is None or _words(line) > DISCLOSURE_MAX_WORDS:
            return None
        return EdgeHit(AD_MARKER, f"disclosure {_short(m.group('cue'))!r} above the story")

    def _tag_word(self, line: str) -> EdgeHit | None:
        """A single lower-case word above the story is a tag of the page's taxonomy left on
        its own line; a story starts with a capital or a number."""
        word = line.strip()
        if TAGS not in self._on or " " in word or not word.isalpha() or not word.islower():
            return None
        return EdgeHit(TAGS, f"lower-case tag {_short(word)!r} above the story")

    def _date_label(
        self, raw: list[str], verdicts: list[_Verdict | None], i: int
    ) -> EdgeHit | None:
        """ "Veröffentlichung:" / "Published:" over "2. Februar 2022": a bare label above the
        story whose next line is a dateline is the dateline's own label, set apart from it.
        Any word may label a date, so the shape decides: a word or two and a colon."""
        line = raw[i].strip()
        if BYLINE not in self._on or not line.endswith(":"):
            return None
        if len(_tokens(line)) > DATE_LABEL_WORDS:
            return None
        after = next(self._worded(raw, verdicts, range(i + 1, len(raw))), None)
        if after is None or not self._edges.dateline(raw[after]):
            return None
        return EdgeHit(BYLINE, "label over the dateline")

    def _kicker(self, raw: list[str], verdicts: list[_Verdict | None], i: int) -> EdgeHit | None:
        """A label of a few words right above the repeated title ("Review", "Politik")."""
        line = raw[i].strip()
        if (
            TAGS not in self._on
            or _words(line) > KICKER_MAX_WORDS
            or line.endswith(_NOT_HEADLINE_END)
        ):
            return None
        after = next((j for j in range(i + 1, len(raw)) if raw[j].strip()), None)
        if after is None or (verdict := verdicts[after]) is None or verdict.reason != TITLE_REPEAT:
            return None
        return EdgeHit(TAGS, "label above the title")

    def _take_bottom(
        self,
        raw: list[str],
        verdicts: list[_Verdict | None],
        links: Mapping[str, float],
        kinds: Mapping[str, str],
        authors: tuple[str, ...],
    ) -> None:
        """Walk up from the end over source tails, sign-offs and trailing headline lists.

        Looking at the kept lines rather than the raw ones keeps the stripper idempotent: a
        tail hidden behind an ad marker is found now, not on a second pass. One walk serves
        every bottom rule for the same reason: two walks could each stop at the other's line.
        """
        for i in self._worded(raw, verdicts, range(len(raw) - 1, -1, -1)):
            if SOURCE_TAIL in self._on and (
                self._tail.match(raw[i]) or self._source_credit(raw[i]) or _SIGN_OFF.match(raw[i])
            ):
                verdicts[i] = _Verdict(SOURCE_TAIL, f"tail {_short(raw[i].strip())!r}")
            elif hit := (
                self._edges.bottom_line(raw[i])
                or self._linked(raw[i], links)
                or self._last_heading(raw[i], kinds)
                or _author_bio(raw[i], authors)
            ):
                verdicts[i] = _Verdict(hit.reason, hit.evidence)
            elif block := self._contact_block(raw, verdicts, i):
                label = _short(raw[block[-1]].strip())
                for j in block:
                    verdicts[j] = _Verdict(BYLINE, f"contact block under {label!r}")
            else:
                return

    def _take_about_section(self, raw: list[str], verdicts: list[_Verdict | None]) -> None:
        """ "Über die Autorin:" / "About this series" over at most a few paragraphs that end the
        body: the author's bio or the publisher's blurb, which the bottom walk cannot reach
        because it stops at the first paragraph. The label must be the whole line, so "About
        the Harbour Trust", a press release's company section that AEB's gold keeps, stays."""
        if BYLINE not in self._on:
            return
        walk = self._worded(raw, verdicts, range(len(raw) - 1, -1, -1))
        tail = list(itertools.islice(walk, ABOUT_MAX_LINES + 1))
        for n, i in enumerate(tail[1:], 1):
            if self._edges.about_label(raw[i]):
                if all(_words(raw[j]) <= PARAGRAPH_MAX_WORDS for j in tail[:n]):
                    label = _short(raw[i].strip())
                    for j in (i, *tail[:n]):
                        verdicts[j] = _Verdict(BYLINE, f"section under {label!r} ends the body")
                return

    def _contact_block(
        self, raw: list[str], verdicts: list[_Verdict | None], last: int
    ) -> list[int]:
        """ "Kontakt:" / "Press contact" over a few short lines (names, an office, a street, a
        phone number, an e-mail) that end the body: the press office's address block, which a
        sign-off rule only half recognises line by line ("Dr. Jane Doe" or "Harbour Institute"
        could be anyone's). The label is what makes it one; the lines from it to the end go
        together, and a line of prose in between means the label heads a section of the story.
        """
        if BYLINE not in self._on:
            return []
        block: list[int] = []
        for j in self._worded(raw, verdicts, range(last, -1, -1)):
            if len(block) >= CONTACT_BLOCK_MAX_LINES or _words(raw[j]) > CONTACT_LINE_WORDS:
                return []
            block.append(j)
            if self._edges.contact_label(raw[j]):
                return block
        return []

    def _source_credit(self, line: str) -> bool:
        """ "Source: Al Jazeera News", "Quelle: Verband, 2. Februar 2022": a labelled source
        credit of a few words, not a sentence. It credits the story when it ends the body and
        a table, quote or picture inside it anywhere else; either way it is not the story's
        text. A "Source: Read Full Article" tail is left to the end of the body."""
        m = self._source.match(line)
        if m is None:
            return False
        rest = m.group("rest").strip()
        return 0 < _words(rest) <= SOURCE_MAX_WORDS and not rest.endswith(_NOT_HEADLINE_END)

    def _standfirst(self, line: str, kinds: Mapping[str, str]) -> EdgeHit | None:
        """A sentence-long heading above the story: the subtitle or standfirst the page shows
        under its title. A quotation in a heading there is a pull quote the story may repeat,
        so it stays."""
        kind = kind_of(line, kinds) if STANDFIRST in self._on else None
        if not is_heading(kind) or _words(line) < STANDFIRST_MIN_WORDS:
            return None
        if line.lstrip(" -\u2013\u2014")[:1] in _OPENING_QUOTES:
            return None
        return EdgeHit(STANDFIRST, f"{kind} heading above the first paragraph")

    def _last_heading(self, line: str, kinds: Mapping[str, str]) -> EdgeHit | None:
        """A heading with nothing after it heads a section that was all boilerplate."""
        kind = kind_of(line, kinds) if ORPHAN_HEADING in self._on else None
        if not is_heading(kind):
            return None
        return EdgeHit(ORPHAN_HEADING, f"{kind} heading ends the body")

    def _take_orphan_headings(
        self, raw: list[str], verdicts: list[_Verdict | None], kinds: Mapping[str, str]
    ) -> None:
        """A heading whose whole section was removed: the next kept line is a heading of the
        same or a higher rank and the lines between were boilerplate. A heading directly
        followed by another is left alone: that is how some stories nest their sections."""
        if ORPHAN_HEADING not in self._on or not kinds:
            return
        kept = list(self._worded(raw, verdicts, range(len(raw))))
        for here, after in itertools.pairwise(kept):
            if all(verdicts[j] is None for j in range(here + 1, after)):
                continue
            kind, next_kind = kind_of(raw[here], kinds), kind_of(raw[after], kinds)
            if kind is None or next_kind is None or not is_heading(kind):
                continue
            if is_heading(next_kind) and heading_level(next_kind) <= heading_level(kind):
                verdicts[here] = _Verdict(ORPHAN_HEADING, f"{kind} heading over a removed section")

    @classmethod
    def _shouted_link(cls, line: str, links: Mapping[str, float]) -> EdgeHit | None:
        """ "CLICK HERE TO GET THE APP", "A LONG HISTORY OF HER FEUDS": a line in capitals that
        is all link is a call or a teaser set in the body; stories do not link whole sentences
        in capitals, while a linked sentence in normal case may be the story citing a source."""
        if not line.isupper() or _words(line) < MIN_SHOUT_WORDS:
            return None
        return cls._linked(line, links)

    @staticmethod
    def _linked(line: str, links: Mapping[str, float]) -> EdgeHit | None:
        density = density_of(line, links) if links else None
        if density is None or density < LINKED_MIN_RATIO:
            return None
        return EdgeHit(RELATED_LINKS, f"{density:.0%} link text")

    def _take_link_lists(
        self,
        raw: list[str],
        verdicts: list[_Verdict | None],
        links: Mapping[str, float],
        kinds: Mapping[str, str],
    ) -> None:
        """A run of short, all-link lines inside the body is a list of other stories.

        Teaser lists often give each linked headline a one-line summary, so one short unlinked
        line may sit between two linked ones, and after the last one when every headline had
        its summary; prose between links ends the run. A teaser's summary is rendered from the
        same kind of element as its headline (both from one list item, or both paragraphs):
        a paragraph between a row of linked paragraphs and a list, or a quote between links,
        is the story's own text.
        """
        if not links:
            return
        kept = list(self._worded(raw, verdicts, range(len(raw))))
        linked = [
            1 < _words(raw[i]) <= HEADLINE_MAX_WORDS
            and not _URL.search(raw[i])
            and self._linked(raw[i], links) is not None
            for i in kept
        ]
        start = 0
        while start < len(kept):
            if not linked[start]:
                start += 1
                continue
            end, heads, summaries = start + 1, 1, 0
            while end < len(kept):
                if linked[end]:
                    end, heads = end + 1, heads + 1
                elif (
                    end + 1 < len(kept)
                    and linked[end + 1]
                    and self._summary(raw[kept[end]])
                    and _same_kind(raw[kept[end - 1]], raw[kept[end]], kinds)
                    and _same_kind(raw[kept[end]], raw[kept[end + 1]], kinds)
                ):
                    end, heads, summaries = end + 2, heads + 1, summaries + 1
                else:
                    break
            if (
                summaries == heads - 1 > 0
                and end < len(kept)
                and self._summary(raw[kept[end]])
                and _same_kind(raw[kept[end - 1]], raw[kept[end]], kinds)
            ):
                end += 1
            if heads >= MIN_LINK_RUN:
                for i in self._kept(raw, verdicts, range(kept[start], kept[end - 1] + 1)):
                    verdicts[i] = _Verdict(RELATED_LINKS, f"in a list of {heads} linked lines")
            start = end

    def _take_second_copy(self, raw: list[str], verdicts: list[_Verdict | None]) -> None:
        """The story's opening lines again, further down: the page carried the article twice
        (an AMP or print copy, a preloaded next page of the same story).

        Only a run that repeats one of the body's first lines counts: stories and their
        benchmark bodies do repeat tables, questions or a block of their middle, but a body
        does not start over.
        """
        if REPEATED_COPY not in self._on:
            return
        kept = list(self._worded(raw, verdicts, range(len(raw))))
        keys = [" ".join(raw[i].split()) for i in kept]
        for start in range(min(COPY_START_LINES, len(kept))):
            i = start + 1
            while i < len(kept):
                size = 0
                while i + size < len(kept) and start + size < i:
                    if keys[start + size] != keys[i + size]:
                        break
                    size += 1
                words = sum(_words(raw[kept[k]]) for k in range(i, i + size))
                if size >= MIN_COPY_LINES and words >= MIN_COPY_WORDS:
                    for k in range(i, i + size):
                        evidence = f"repeats the body's first {size} lines"
                        verdicts[kept[k]] = _Verdict(REPEATED_COPY, evidence)
                i += max(size, 1)

    @staticmethod
    def _summary(line: str) -> bool:
        return _words(line) <= SUMMARY_MAX_WORDS

    @staticmethod
    def _kept(raw: list[str], verdicts: list[_Verdict | None], order: range) -> Iterator[int]:
        return (i for i in order if verdicts[i] is None and raw[i].strip())

    @classmethod
    def _worded(
        cls, raw: list[str], verdicts: list[_Verdict | None], order: range
    ) -> Iterator[int]:
        """Kept lines with a word in them: a list marker or rule that trafilatura put on a
        line of its own is neither story nor boilerplate, so the walks step over it."""
        return (i for i in cls._kept(raw, verdicts, order) if _TOKEN.search(raw[i]))


def _same_kind(line: str, other: str, kinds: Mapping[str, str]) -> bool:
    """Whether two lines render from the same kind of element; unknown kinds do not object."""
    kind, other_kind = kind_of(line, kinds), kind_of(other, kinds)
    return kind is None or other_kind is None or kind == other_kind


def _mixed_script(line: str) -> list[str]:
    """ "Advertise with the ..." with a Cyrillic A, e and i: no language spells its words
    with Cyrillic or Greek letters among Latin ones, but ad networks swap look-alikes in to
    slip past text filters. Russian or Greek text has whole words in its own script, so only
    words mixing both count."""
    if not _LOOKALIKE.search(line):
        return []
    mixed = _MIXED_WORD.findall(line)
    return mixed[:3] if len(mixed) >= MIN_MIXED_SCRIPT_WORDS else []


def _widget_label(line: str) -> bool:
    text = line.strip()
    return text.endswith((":", "\uff1a")) and _words(text) <= WIDGET_LINE_MAX_WORDS


def _loading_line(line: str) -> bool:
    text = line.strip()
    return text.endswith(("…", "...")) and _words(text) <= WIDGET_LINE_MAX_WORDS


def _names_a_site(rest: str) -> bool:
    """ "More from The Guardian", "Top-Themen bei FIT FOR FUN", "Mehr zum Thema auf UEPO.de":
    after a cue, a short name (capitalised words or a domain, maybe after one short
    lower-case preposition) labels a box of another site's or section's stories. A sentence
    that merely starts with a cue goes on in lower-case words."""
    words = rest.split()
    if words and len(words[0]) <= MAX_CONNECTOR_CHARS and words[0].isalpha() and words[0].islower():
        words = words[1:]
    if not 1 <= len(words) <= NAME_MAX_WORDS or rest.rstrip().endswith(_NOT_HEADLINE_END):
        return False
    return all(word[:1].isupper() or word[:1].isdigit() or "." in word[1:-1] for word in words)


def _author_names(author: str) -> tuple[str, ...]:
    """The full names in a byline ("Jane Doe and Tom Reed"); a lone first name or a handle
    could open any sentence."""
    return tuple(name for name in _AUTHOR_SPLIT.split(author.strip()) if len(name.split()) > 1)


def _author_bio(line: str, authors: tuple[str, ...]) -> EdgeHit | None:
    """A closing line that opens with the page author's name is their bio or signature
    ("Jane Doe is our deals editor …"); the walk from the bottom keeps it to the edge."""
    text = _LEADING_BULLET.sub("", line).strip()
    if _words(text) > PARAGRAPH_MAX_WORDS:
        return None
    name = next((name for name in authors if text.startswith(name)), None)
    return EdgeHit(BYLINE, f"opens with the author {_short(name)!r}") if name else None


@lru_cache(maxsize=8)
def _stripper(config: StripConfig) -> Stripper:
    return Stripper(config)


def strip(
    text: str,
    *,
    title: str | None = None,
    link_density: Mapping[str, float] = MappingProxyType({}),
    elements: Mapping[str, str] = MappingProxyType({}),
    author: str | None = None,
    config: StripConfig = DEFAULT_CONFIG,
) -> StripResult:
    """Strip one body with a stripper cached per configuration (the lexicon compiles once)."""
    return _stripper(config)(
        text, title=title, link_density=link_density, elements=elements, author=author
    )
