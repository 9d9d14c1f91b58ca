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
    "read.bad_warc": "a WARC file is truncated or not WARC at all",
    # discover: a feed, sitemap or URL list could not be expanded into article URLs
    "discover.unrecognised": "a URL source is neither a feed, a sitemap nor an HTML page",
    "discover.bad_feed": "an RSS/Atom feed could not be parsed",
    "discover.bad_sitemap": "a sitemap is not valid sitemap XML (or its gzip is corrupt)",
    "discover.too_many_sitemaps": "a sitemap index lists more sitemaps than fetch.max_sitemaps",
    # fetch: a URL could not be downloaded (failures.http_status holds the last status)
    "fetch.bad_url": "the URL is malformed or has no host",
    "fetch.unsupported_scheme": "only http and https URLs are fetched",
    "fetch.blocked_address": "the host resolves to a loopback, private, link-local or "
    "metadata address (fetch.allow_private_addresses allows them)",
    "fetch.robots_disallowed": "robots.txt forbids fetching the URL (or could not be read)",
    "fetch.connection": "the connection failed or was reset, after retries",
    "fetch.timeout": "connecting or reading took longer than the configured timeouts",
    "fetch.too_many_redirects": "a redirect loop, or more redirects than fetch.max_redirects",
    "fetch.rate_limited": "429 after retries, or a Retry-After longer than allowed",
    "fetch.http_client_error": "the server answered 4xx (not found, forbidden, ...)",
    "fetch.http_server_error": "the server answered 5xx, after retries",
    "fetch.too_large": "the body, as sent or decompressed, exceeds fetch.max_body_bytes",
    "fetch.bad_encoding": "the gzip/deflate/brotli body is corrupt or uses an unknown coding",
    "fetch.unsupported_type": "the Content-Type is not HTML or plain text",
    # extract: HTML to text
    "extract.empty": "trafilatura found no main text in the HTML",
    "extract.error": "trafilatura raised an error on the HTML",
    "extract.timeout": "extraction took longer than extract.max_seconds",
    "extract.crashed": "the extraction process died (e.g. a crash in the HTML parser)",
    # strip: boilerplate lines removed from the body
    "strip.read_more": "a 'read more' / 'read also' teaser line, such a cue opening a "
    "mostly linked line, a headline between '>>' and '<<', a closing line pointing the "
    "reader 'here', or a line that only points to another site ('More information at www…')",
    "strip.promo_block": 'a headline list introduced by a cue such as "Don\'t miss" or '
    '"More from <site>", or the press room\'s link ("Press kit", "All press releases of '
    '<company>")',
    "strip.signup_consent": "newsletter sign-up or consent text, a sign-up box's heading "
    "('Harbour Gazette Newsletter'), or the publisher's stories offered to the reader by e-mail",
    "strip.source_tail": "a 'Source: Read Full Article' style tail, a short 'Source: "
    "<agency>' credit under the story or inside it, or an agency sign-off ('aja/PAP') at the "
    "end",
    "strip.share_follow": "a share / follow-us line, or a short line promoting the "
    "publisher's own channel on a network ('Check out our Instagram')",
    "strip.ad_marker": "an advertisement marker, an advertising disclosure above the story, "
    "or ad text disguised with look-alike letters (Cyrillic or Greek among Latin ones)",
    "strip.affiliate": "an affiliate-link disclaimer, or a no-guarantee disclaimer alone on "
    "its line ('All information without guarantee')",
    "strip.title_repeat": "the page title repeated (or reworded) inside the body",
    "strip.comments": "comment-section chrome such as '12 Comments', 'Total comments: 3' or "
    "'Leave a reply', the "
    "comment form's log-in status ('You are not logged in.'), or the comment moderation notice",
    "strip.credit": "a photo credit or copyright line ('Photo: …', '© 2020 …'), or the site's "
    "licence notice under the story ('… on this site is licensed under CC BY')",
    "strip.byline": "a dateline (with a bare label over it: 'Published:'), byline or reading "
    "time at the top, a contact line, a "
    "labelled contact block, an update stamp ('Last updated: 13 July 2020'), a permalink, the "
    "author's bio or a short section under 'About the author' / 'About this series' at the end",
    "strip.related_links": "a line or list of lines that is mostly link text, or a linked "
    "line in capitals (HTML only)",
    "strip.tags": "a category / tags line at the top or bottom of the body",
    "strip.call_to_action": "a closing appeal to the reader (subscribe, click, download, "
    "donate), a paragraph opening by asking how the reader liked the piece, a call for "
    "letters to the editor, or a paywall's gate ('To continue reading, subscribe …')",
    "strip.standfirst": "a sentence-long heading above the first paragraph: a subtitle or "
    "standfirst (HTML only)",
    "strip.orphan_heading": "a heading left with nothing under it: its section was boilerplate "
    "or it ends the body (HTML only)",
    "strip.media_label": "a picture's or player's label left as text: a zoom button alone or "
    "glued to its caption ('VergrößernDie …'), or a video's 'available until <date>' note",
    "strip.repeated_copy": "the body's opening lines repeated further down: a second copy of "
    "the story on the same page",
    # quality: the clean article is not worth keeping
    "quality.too_few_words": "the clean body has fewer words than the minimum",
    "quality.not_article": "a listing (home/index) page or a login/paywall page, not an article",
}


def describe(code: str) -> str:
    """Return the documentation line of a reason code; unknown codes are a programming error."""
    return REASONS[code]
