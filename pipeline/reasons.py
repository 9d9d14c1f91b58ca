"""Every reason code presswash records, in one place.

A removed line or a dropped document always names one of these codes, ``<step>.<rule>``,
so analysts can group by them in SQL and a test can check that each is documented.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # read: a source item could not be turned into a document
    "read.missing": "the file vanished or never existed",
    "read.permission": "the file could not be opened for reading",
    "read.binary": "the bytes are not text (NULs or control characters)",
    "read.undecodable": "no text encoding decodes the bytes cleanly",
    "read.too_large": "the input is larger than the configured maximum",
    "read.bad_gzip": "a .gz file is truncated or corrupt",
    "read.bad_record": "a JSONL line is not a JSON object",
    "read.missing_field": "a JSONL record has neither `text` nor `html`",
    "read.empty": "the input holds no text at all",
    "read.unsupported": "the file type is not one presswash reads",
    # extract: HTML to text
    "extract.empty": "trafilatura found no main text in the HTML",
    "extract.error": "trafilatura raised an error on the HTML",
    "extract.timeout": "extraction took longer than extract.max_seconds",
    "extract.crashed": "the extraction process died (e.g. a crash in the HTML parser)",
    # strip: boilerplate lines removed from the body
    "strip.read_more": "a 'read more' / 'read also' teaser line",
    "strip.promo_block": 'a headline list introduced by a cue such as "Don\'t miss"',
    "strip.signup_consent": "newsletter sign-up or consent text",
    "strip.source_tail": "a 'Source: Read Full Article' style tail",
    "strip.share_follow": "a share / follow-us line",
    "strip.ad_marker": "an advertisement marker",
    "strip.affiliate": "an affiliate-link disclaimer",
    "strip.title_repeat": "the page title repeated (or reworded) inside the body",
    "strip.comments": "comment-section chrome such as '12 Comments' or 'Leave a reply'",
    "strip.credit": "a photo credit or copyright line ('Photo: …', '© 2020 …')",
    "strip.byline": "a dateline, byline or reading time at the top, a contact line at the end",
    "strip.related_links": "a line or list of lines that is mostly link text (HTML only)",
    "strip.tags": "a category / tags line at the top or bottom of the body",
    "strip.call_to_action": "a closing appeal to the reader (subscribe, click, download, donate)",
    # quality: the clean article is not worth keeping
    "quality.too_few_words": "the clean body has fewer words than the minimum",
    "quality.not_article": "a listing (home/index) page or a login/paywall page, not an article",
}


def describe(code: str) -> str:
    """Return the documentation line of a reason code; unknown codes are a programming error."""
    return REASONS[code]
