"""Boilerplate that is only boilerplate at the edges of an article, decided from the edges in.

Extractors leave a dateline, byline or reworded title above the first paragraph and
copyright footers, author contact lines and contributor credits below the last one. The same
kind of line in the middle of a story is usually content ("© Reuters" under a quoted picture,
an e-mail address the story asks readers to write to), so these rules are applied walking
inward from the top and from the bottom (``pipeline/strip.py``), stopping at the first line
that is not edge boilerplate: a kept line shields everything on the other side of it. Comment
chrome ("12 Comments") and labelled photo credits are recognised anywhere.

Walking over the lines still kept (earlier rules' removals are stepped over) keeps the
stripper idempotent: a second pass starts from the same first kept line and stops there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TITLE_REWORD_MIN_RATIO = 0.6
"""A top line sharing this share of its words with the title (both ways) repeats it."""
EDGE_MAX_WORDS = 15
"""Datelines, bylines, credits and sign-offs are short; a longer line is prose."""
STAMP_MAX_WORDS = 8
DATE_STAMP_MIN_SHARE = 0.6
"""An update stamp is its cue and a date; a connector ("am", "on", "le") may sit between."""
GATE_MAX_WORDS = 25
"""A paywall's gate and its offer are a sentence or two."""
POINTER_MAX_WORDS = 12
"""A pointer is its cue, a connector and an address (the address may split into words)."""
POINTER_GAP_WORDS = 2
LABEL_MAX_WORDS = 8
"""A widget's label: a button's words, or a note and its date."""
COMMENT_MAX_WORDS = 8
CAPTION_MAX_WORDS = 60
"""A caption is a sentence or two; a longer paragraph ending on a credit is the story's own."""
COPYRIGHT_MIN_WORDS = 2
"""A bare "© Agency" may be the credit the story itself carries (AEB keeps "© Reuters");
a credit naming agency and photographer, or a caption ending in one, is the picture's."""
POLICY_MAX_WORDS = 40
POLICY_SUBJECT_WORDS = 3
"""Comments are the subject of a policy notice ("Note: comments are moderated"), not a word
somewhere in a sentence ("declined to comment")."""
TAGS_MAX_WORDS = 12
CTA_MAX_WORDS = 40
APPEAL_MAX_WORDS = 80
"""Asking how the reader liked the story opens a paragraph-long pitch (support, membership)."""
"""An appeal to the reader is a sentence or two; a longer closing paragraph is the story's."""

_TOKEN = re.compile(r"\w+")
_DATE = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}(?:T[\d:+.-]+)?|"
    r"\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?|(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_DAY_DATE = re.compile(r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
QUOTE_MARKS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')
"""Quotation marks: a line holding them quotes someone, it is not the page speaking."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_SOCIAL_URL = re.compile(
    r"(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram|linkedin)\.com/\S*", re.IGNORECASE
)
"""A profile link closes a bio; any other bare URL may be the story's own reference."""
_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_LICENCE = re.compile(r"\b(?:cc[ -]?(?:by|0)\b|creative[ -]commons\b)", re.IGNORECASE)
"""A Creative Commons licence by name or code ("CC BY-SA 4.0", "CC0")."""
_COPYRIGHT_SIGN = re.compile(r"©|\(c\)", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\W*(?:©|\(c\)|copyright\b)", re.IGNORECASE)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _address_label(line: str) -> list[str] | None:
    """The words around the line's one web address (its label), or None unless it holds
    exactly one: a permalink and a pointer to another site are a label and an address."""
    if len(_URL.findall(line)) != 1:
        return None
    return _tokens(_URL.sub(" ", line))


def title_tokens(title: str) -> tuple[list[str], ...]:
    """The title without a trailing " - Site name" / " | Site" part, which bodies leave out,
    and the whole title when it has such a part: "Milan Design Week | Flos installation" is
    a title in two parts, not a title and a site."""
    core = re.split(r"\s+[|\u2013\u2014-]\s+(?=[^|\u2013\u2014-]*$)", title.strip())[0]
    whole = _tokens(title)
    return (_tokens(core), whole) if core != title.strip() else (whole,)


@dataclass(frozen=True, slots=True)
class EdgeHit:
    reason: str
    evidence: str


class _Phrases:
    """Cue phrases matched as whole token sequences at the start of a line or as the line."""

    __slots__ = ("_first", "_max", "_phrases")

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = frozenset(tuple(_tokens(p)) for p in phrases if _tokens(p))
        self._max = max((len(p) for p in self._phrases), default=0)
        self._first = frozenset(p[0] for p in self._phrases)
        """Every line is asked about every family: most fail on their first word, in C."""

    def absent(self, tokens: list[str]) -> bool:
        """No cue can start anywhere in the tokens."""
        return self._first.isdisjoint(tokens)

    def opening(self, tokens: list[str]) -> str | None:
        """The longest cue the tokens start with."""
        if not tokens or tokens[0] not in self._first:
            return None
        for size in range(min(self._max, len(tokens)), 0, -1):
            if tuple(tokens[:size]) in self._phrases:
                return " ".join(tokens[:size])
        return None

    def within(self, tokens: list[str]) -> str | None:
        """The first cue found anywhere in the tokens."""
        if self.absent(tokens):
            return None
        for start, token in enumerate(tokens):
            if token in self._first and (found := self.opening(tokens[start:])):
                return found
        return None

    def whole(self, tokens: list[str]) -> bool:
        return tuple(tokens) in self._phrases

    def share(self, tokens: list[str]) -> float:
        """Share of single tokens that are one-word cues (month and day names)."""
        return sum((t,) in self._phrases for t in tokens) / len(tokens) if tokens else 0.0


class EdgeRules:
    """The top and bottom walks; which families run is decided by the caller's rule set."""

    def __init__(self, cues: Mapping[str, tuple[str, ...]], enabled: frozenset[str]) -> None:
        self._on = enabled
        self._comments = _Phrases(cues["comments"])
        self._comment_words = frozenset(
            tokens[0] for p in cues["comments"] if len(tokens := _tokens(p)) == 1
        )
        self._moderation = _Phrases(cues["moderation"])
        self._credit = _Phrases(cues["credit"])
        credit = "|".join(sorted(map(re.escape, cues["credit"]), key=len, reverse=True))
        # Text, then a labelled credit in brackets that ends the line.
        self._caption_credit = re.compile(
            r"\S\s*\((?P<cue>" + credit + r")\s*:[^()]{2,80}\)\W*$", re.IGNORECASE
        )
        self._byline = _Phrases(cues["byline"])
        self._reading = _Phrases(cues["reading_time"])
        self._contact = _Phrases(cues["contact"])
        self._contact_label = _Phrases(cues["contact_label"])
        self._permalink = _Phrases(cues["permalink"])
        self._this_site = _Phrases(cues["this_site"])
        self._more_info = _Phrases(cues["more_info"])
        self._about = _Phrases(cues["about_label"])
        self._enlarge = _Phrases(cues["enlarge"])
        buttons = sorted(
            (p for p in cues["enlarge"] if len(_tokens(p)) == 1), key=len, reverse=True
        )
        # "VergrößernDie neue Fähre am Kai …": the button's word, then the caption's capital.
        self._glued_button = re.compile(
            r"^\W*(?P<cue>" + "|".join(map(re.escape, buttons)) + r")(?=[^\W\d_])", re.IGNORECASE
        )
        self._availability = _Phrases(cues["availability"])
        self._paywall = _Phrases(cues["paywall"])
        self._login = _Phrases(cues["login_wall"])
        self._dates = _Phrases(cues["months"])
        self._cta = _Phrases(cues["call_to_action"])
        self._appeal = _Phrases(cues["article_appeal"])
        self._letters = _Phrases(cues["letters"])
        self._tags = _Phrases(cues["tags"])
        self._reader = frozenset(t for p in cues["reader"] for t in _tokens(p))
        self._stores = _Phrases(cues["app_stores"])
        self._pointers = frozenset(t for p in cues["link_pointer"] for t in _tokens(p))
        self._contact_anywhere = [tuple(_tokens(p)) for p in cues["contact"] if len(_tokens(p)) > 2]

    # ------------------------------------------------------------------ anywhere

    def comment_line(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """ "12 Comments", "Leave a reply": comment-section chrome, wherever it sits."""
        if "strip.comments" not in self._on or self._comments.absent(tokens):
            return None
        tokens = [t for t in tokens if not t.isdigit()]
        if not tokens:
            return None
        if len(tokens) > COMMENT_MAX_WORDS:
            return self._comment_policy(tokens)
        if self._comments.whole(tokens):
            return EdgeHit("strip.comments", f"comment chrome {' '.join(tokens)!r}")
        cue = self._comments.opening(tokens)
        if cue and " " in cue and not line.rstrip().endswith("."):
            return EdgeHit("strip.comments", f"comment cue {cue!r}")
        return None

    def _comment_policy(self, tokens: list[str]) -> EdgeHit | None:
        """ "Comments that are off-topic will not be approved by the moderator": a notice that
        opens with comments and says how they are moderated; a story about moderation is
        longer than this."""
        opening = tokens[:POLICY_SUBJECT_WORDS]
        if len(tokens) > POLICY_MAX_WORDS or self._comment_words.isdisjoint(opening):
            return None
        cue = self._moderation.within(tokens)
        return EdgeHit("strip.comments", f"comment policy {cue!r}") if cue else None

    def appeal_opening(self, tokens: list[str]) -> EdgeHit | None:
        """ "Enjoyed this article? Support us …", "Gefällt dir unser Magazin? …": a paragraph
        that opens by asking how the reader liked the piece is the publisher's pitch, wherever
        it sits; stories do not open a paragraph that way."""
        if "strip.call_to_action" not in self._on or len(tokens) > APPEAL_MAX_WORDS:
            return None
        appeal = self._appeal.opening(tokens)
        return (
            EdgeHit("strip.call_to_action", f"opens asking the reader {appeal!r}")
            if appeal
            else None
        )

    def letters_appeal(self, tokens: list[str]) -> EdgeHit | None:
        """ "Submit your letter to the editor via this form", "Schreiben Sie uns einen
        Leserbrief": a short line naming letters to the editor that calls on the reader to
        write one is the publisher's invitation, wherever the page put it. A story that
        reports on a letter to the editor neither addresses the reader nor calls for action."""
        if "strip.call_to_action" not in self._on or len(tokens) > CTA_MAX_WORDS:
            return None
        letters = self._letters.within(tokens)
        if letters is None or self._reader.isdisjoint(tokens):
            return None
        cue = self._cta.within(tokens)
        return EdgeHit("strip.call_to_action", f"invites a {letters!r}") if cue else None

    def paywall_gate(self, tokens: list[str]) -> EdgeHit | None:
        """ "To view the full story, please subscribe to …", "Pour accéder en illimité": a line
        that opens with a paywall's gate and is the gate alone or asks the reader to subscribe
        or log in, wherever the page left it. A story's sentence may open with "To continue
        reading …" but does not go on to ask the reader for a subscription."""
        if "strip.call_to_action" not in self._on or len(tokens) > GATE_MAX_WORDS:
            return None
        gate = self._paywall.opening(tokens)
        if gate is None:
            return None
        rest = tokens[len(gate.split()) :]
        if rest and not (self._login.within(rest) or self._cta.within(rest)):
            return None
        return EdgeHit("strip.call_to_action", f"paywall gate {gate!r}")

    def credit_line(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """ "Photo: Jane Doe / Agency", "Crédits photos : …": a labelled credit, anywhere."""
        if "strip.credit" not in self._on or not tokens:
            return None
        caption = ")" in line and len(tokens) <= CAPTION_MAX_WORDS  # the regex only if it can
        if caption and (m := self._caption_credit.search(line)):
            # "Crowds at the pier on Sunday (Photo: Jane Doe/Agency)": a caption ends on its
            # picture's credit. A credit alone in brackets follows a caption the benchmarks'
            # gold keeps ("(Image credit: …)"), so it stays below with its caption's line.
            return EdgeHit("strip.credit", f"caption with credit {m.group('cue')!r}")
        if len(tokens) > EDGE_MAX_WORDS:
            return None
        if (
            len(tokens) >= COPYRIGHT_MIN_WORDS
            and _COPYRIGHT_SIGN.search(line)
            and not line.rstrip().endswith(".")
        ):
            return EdgeHit("strip.credit", "copyright credit")
        cue = self._credit.opening(tokens)
        if cue is None or len(tokens) == len(cue.split()) or line.lstrip().startswith("("):
            # "(Image credit: …)" belongs to the caption or sentence it follows.
            return None
        # The cue must be a label ("Foto:", "Fot.", "Photo credit -"), not a sentence's subject.
        label = r"^\W*" + r"\W+".join(map(re.escape, cue.split())) + r"\s*[:./|\-\u2013©]"
        if re.match(label, line, re.IGNORECASE):
            return EdgeHit("strip.credit", f"credit {cue!r}")
        return None

    def media_label(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """A picture's or a player's label left as a line of text, wherever it sits: the zoom
        button alone ("Zum Vergrößern bitte anklicken") or glued to the caption it opens
        ("VergrößernDie neue Fähre am Kai …", which no sentence starts with), and a
        video's availability note ("Video verfügbar bis 14.03.2025"): the note's phrase
        after at most one word (the medium) and a day's date after it, nothing else."""
        if "strip.media_label" not in self._on or not tokens or len(tokens) > CAPTION_MAX_WORDS:
            return None
        if len(tokens) <= LABEL_MAX_WORDS and self._enlarge.whole(tokens):
            return EdgeHit("strip.media_label", f"zoom button {' '.join(tokens)!r}")
        m = self._glued_button.match(line)
        if m and m.group("cue")[-1].islower() and line[m.end()].isupper():  # not "ENLARGEMENT"
            return EdgeHit("strip.media_label", f"zoom button {m.group('cue')!r} on a caption")
        if len(tokens) > LABEL_MAX_WORDS or self._availability.absent(tokens[:2]):
            return None
        for start in (0, 1):
            if cue := self._availability.opening(tokens[start:]):
                rest = tokens[start + len(cue.split()) :]
                if rest and self._date_only(line, rest):
                    return EdgeHit("strip.media_label", f"availability note {cue!r}")
        return None

    # ------------------------------------------------------------------ top

    def top_line(self, line: str, titles: tuple[list[str], ...]) -> EdgeHit | None:
        tokens = _tokens(line)
        if not tokens:
            return None
        rewords = any(title and self._rewords(tokens, title) for title in titles)
        if "strip.title_repeat" in self._on and rewords:
            return EdgeHit("strip.title_repeat", "rewords the title")
        if hit := self.tags_line(line, tokens):
            return hit
        if "strip.byline" in self._on and len(tokens) <= EDGE_MAX_WORDS:
            if cue := self._reading.opening(tokens) or self._reading_time_tail(tokens):
                return EdgeHit("strip.byline", f"reading time {cue!r}")
            if self._dateline(line, tokens):
                return EdgeHit("strip.byline", "dateline")
            cue = self._byline.opening(tokens)
            if cue and not line.rstrip().endswith(".") and self._names_follow(line, cue):
                return EdgeHit("strip.byline", f"byline {cue!r}")
        return None

    def dateline(self, line: str) -> bool:
        """A short line made mostly of a date, on its own: what a label above it labels."""
        tokens = _tokens(line)
        return 0 < len(tokens) <= EDGE_MAX_WORDS and self._dateline(line, tokens)

    def _rewords(self, tokens: list[str], title: list[str]) -> bool:
        line_set, title_set = set(tokens), set(title)
        common = len(line_set & title_set)
        return (
            len(tokens) <= 2 * len(title)
            and common / len(line_set) >= TITLE_REWORD_MIN_RATIO
            and common / len(title_set) >= TITLE_REWORD_MIN_RATIO
        )

    def _reading_time_tail(self, tokens: list[str]) -> str | None:
        return "min read" if tokens[-2:] == ["min", "read"] and len(tokens) <= 4 else None

    def _dateline(self, line: str, tokens: list[str]) -> bool:
        """A short line made mostly of a date, a time and date words, maybe with a byline."""
        if not _DATE.search(line) or line.rstrip().endswith("."):
            return False
        numeric = sum(t.isdigit() for t in tokens)
        if (numeric + self._dates.share(tokens) * len(tokens)) / len(tokens) >= 0.5:
            return True
        if self._byline.opening(tokens) is not None or " by " in f" {line.casefold()} ":
            return True
        # "05/10/2018 - Publicado por: …": a byline phrase of two words or more after the date.
        cue = self._byline.within(tokens)
        return cue is not None and " " in cue

    @staticmethod
    def _names_follow(line: str, cue: str) -> bool:
        """After "By" / "Von" come capitalised names, not a lower-case sentence."""
        words = line.split()[len(cue.split()) :]
        named = [w for w in words if w[:1].isalpha()]
        return bool(named) and all(w[:1].isupper() for w in named[:2])

    # ------------------------------------------------------------------ bottom

    def bottom_line(self, line: str) -> EdgeHit | None:
        tokens = _tokens(line)
        if not tokens:
            return None
        if (
            "strip.credit" in self._on
            and len(tokens) <= EDGE_MAX_WORDS
            and _COPYRIGHT.match(line)
            and _YEAR.search(line)
        ):
            # A footer notice carries its year; a bare "© Agency" credits the last picture.
            return EdgeHit("strip.credit", "copyright line")
        if hit := self._licence_notice(line, tokens):
            return hit
        if hit := (
            self.tags_line(line, tokens)
            or self._call_to_action(tokens)
            or self._pointer(line, tokens)
        ):
            return hit
        if "strip.byline" not in self._on:
            return None
        stripped = line.strip()
        rest = _HANDLE.sub(" ", _SOCIAL_URL.sub(" ", _EMAIL.sub(" ", stripped)))
        if len(tokens) <= EDGE_MAX_WORDS and not _TOKEN.search(rest):
            return EdgeHit("strip.byline", "contact address")
        cue = self._contact.opening(tokens)
        if cue and len(tokens) <= EDGE_MAX_WORDS:
            return EdgeHit("strip.byline", f"sign-off {cue!r}")
        if stamp := self._date_stamp(line, tokens):
            return EdgeHit("strip.byline", f"date stamp {stamp!r}")
        if label := self._permalink_line(stripped):
            return EdgeHit("strip.byline", f"the page's own link {label!r}")
        if len(tokens) <= 2 * EDGE_MAX_WORDS and any(
            _contains(tokens, phrase) for phrase in self._contact_anywhere
        ):
            return EdgeHit("strip.byline", "contributor credit")
        return None

    def more_info_pointer(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """ "Weitere Infos unter www.example.de.", "More information: https://…": a line that is
        only a pointer to another site, wherever the page left it. A sentence around the
        address says more than where to look (at most two words, "at", "visit", join them)."""
        if "strip.read_more" not in self._on or len(tokens) > POINTER_MAX_WORDS:
            return None
        if self._more_info.absent(tokens) or (label := _address_label(line)) is None:
            return None
        cue = self._more_info.opening(label)
        if cue is None or len(label) - len(cue.split()) > POINTER_GAP_WORDS:
            return None
        return EdgeHit("strip.read_more", f"pointer {cue!r} to another site")

    def _licence_notice(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """ "Unless otherwise noted, content on this site is licensed under CC BY 4.0": the
        site's licence under the story, as a copyright footer is. It must name the site
        (cue family `this_site`): a story about a licence names the licence, not this site."""
        if "strip.credit" not in self._on or len(tokens) > 2 * EDGE_MAX_WORDS:
            return None
        if not _LICENCE.search(line) or (site := self._this_site.within(tokens)) is None:
            return None
        return EdgeHit("strip.credit", f"licence notice for {site!r}")

    def _date_stamp(self, line: str, tokens: list[str]) -> str | None:
        """ "Aktualisiert am 3.5.2024.", "Last updated: 13 July 2020": the page's publication
        or update stamp under the story. The byline cue must open the line and a date must be
        most of what follows it; a sentence that goes on after the date ("Updated figures for
        2021 show …") is the story's. A full stop after a date is how German writes one."""
        if len(tokens) > STAMP_MAX_WORDS or not _DATE.search(line):
            return None
        cue = self._byline.opening(tokens)
        if cue is None:
            return None
        rest = tokens[len(cue.split()) :]
        return cue if rest and self._date_only(line, rest) else None

    def _date_only(self, line: str, rest: list[str]) -> bool:
        """The tokens after a cue are a day's date, maybe with a connector ("am", "on", "le").
        A bare year ("By 2030.", "Von 2019 bis 2021") is a span, not a date."""
        named = self._dates.share(rest) * len(rest)
        if not (named or _DAY_DATE.search(line)):
            return False
        dated = sum(t.isdigit() for t in rest) + named
        return dated / len(rest) >= DATE_STAMP_MIN_SHARE

    def _permalink_line(self, line: str) -> str | None:
        """ "Permalink: https://…", "Kurzlink: …": the page's own address under a label, left
        below the story by its footer. Only the label and one address: a line that says more
        about the link is the story pointing at a source."""
        label = _address_label(line)
        return " ".join(label) if label is not None and self._permalink.whole(label) else None

    def about_label(self, line: str) -> bool:
        """ "About the author", "Über diese Reihe:": the label alone, not a sentence."""
        return self._about.whole(_tokens(line)) and not line.rstrip().endswith(".")

    def contact_label(self, line: str) -> bool:
        """ "Kontakt:", "Press contact": a label alone on its line, the head of an address
        block; "Contact was lost on Sunday." is a sentence."""
        return self._contact_label.whole(_tokens(line)) and not line.rstrip().endswith(".")

    def tags_line(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """ "Tags: …", "Kategorie:", "Temas": the page's taxonomy, alone or as a label."""
        if "strip.tags" not in self._on or len(tokens) > TAGS_MAX_WORDS:
            return None
        cue = self._tags.opening(tokens)
        if cue is None:
            return None
        label = r"^\W*" + r"\W+".join(map(re.escape, cue.split())) + r"\s*(?:[:|]|$)"
        if len(tokens) == len(cue.split()) or re.match(label, line.strip(), re.IGNORECASE):
            return EdgeHit("strip.tags", f"taxonomy {cue!r}")
        return None

    def _pointer(self, line: str, tokens: list[str]) -> EdgeHit | None:
        """ "Alles über nachhaltige Wanderschuhe findest Du hier.", "You can find all the
        results here!": a closing line that ends by pointing the reader at "here" is a teaser whose
        link the plain text lost. It must address the reader; a colon after "here" means the
        story goes on to give what it points at, and a quotation is someone speaking ("“We
        stay here.”")."""
        if "strip.read_more" not in self._on or len(tokens) > EDGE_MAX_WORDS:
            return None
        if tokens[-1] not in self._pointers or line.rstrip().endswith(":"):
            return None
        if QUOTE_MARKS.search(line):
            return None
        if self._reader.isdisjoint(tokens):
            return None
        return EdgeHit("strip.read_more", f"points the reader {tokens[-1]!r}")

    def _call_to_action(self, tokens: list[str]) -> EdgeHit | None:
        """ "Subscribe now to our e-edition", "Klicken Sie hier, um …": the closing appeal
        to the reader. It needs both an action and a word addressing the reader, since an
        article's own last sentence may well mention subscribing or downloading."""
        if "strip.call_to_action" not in self._on or len(tokens) > APPEAL_MAX_WORDS:
            return None
        if appeal := self._appeal.within(tokens):
            return EdgeHit("strip.call_to_action", f"asks the reader {appeal!r}")
        if len(tokens) > CTA_MAX_WORDS:
            return None
        cue = self._cta.within(tokens)
        if cue is None:
            return None
        if not self._reader.isdisjoint(tokens):
            return EdgeHit("strip.call_to_action", f"appeal {cue!r} to the reader")
        if store := self._stores.within(tokens):
            return EdgeHit("strip.call_to_action", f"appeal {cue!r} naming {store!r}")
        return None


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))
