"""HTML page and Atom feed rendering: pure functions over published documents."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import escape
from typing import Final
from zoneinfo import ZoneInfo

from newsroom_publish.contracts import PublishedArticle

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def closed_bidi(value: str) -> str:
    """The text with every direction embedding, override or isolate it opens closed at its end.

    Left open ("\u202eevil"), one reorders what a page or feed reader puts after the text on the
    same line (the withdrawn page's "… is no longer available", a date after a byline). Closers
    follow the Unicode bidi algorithm: PDI closes the last isolate and what opened after it, PDF the
    last embedding opened after the last isolate, a line break everything. The text as sent is
    kept as it is everywhere else (the JSON, the events, the content hash)."""
    if _BIDI_CONTROLS.search(value) is None:
        return value
    out: list[str] = []
    for line in value.split("\n"):
        stack: list[str] = []
        for char in line:
            if char in _EMBEDDINGS or char in _ISOLATES:
                stack.append(char)
            elif char == _PDI and _ISOLATES.intersection(stack):
                while stack.pop() not in _ISOLATES:
                    pass
            elif char == _PDF and stack and stack[-1] in _EMBEDDINGS:
                stack.pop()
        out.append(line + "".join(_PDI if c in _ISOLATES else _PDF for c in reversed(stack)))
    return "\n".join(out)


def _text(value: str) -> str:
    """Text placed in a page: escaped, and with its direction controls closed."""
    return escape(closed_bidi(value))


def long_date(dt: datetime, tz: ZoneInfo) -> str:
    local = dt.astimezone(tz)
    return f"{local:%B} {local.day}, {local.year}"


def last_update_line(doc: PublishedArticle, tz: ZoneInfo) -> str | None:
    """'Last update: January 24, 2025 15:36' once the article has been revised: whenever it has an
    update time later than its first publication, as the JSON, feed and JSON-LD show it, even at
    revision 1 (the source page was already revised when it was first captured)."""
    if doc.updated_at is None or doc.updated_at <= doc.first_published_at:
        return None
    local = doc.updated_at.astimezone(tz)
    return f"Last update: {long_date(local, tz)} {local:%H:%M}"


def structured_data(doc: PublishedArticle) -> str:
    """schema.org NewsArticle as JSON-LD: how search engines and aggregators read a news page."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": doc.headline,
        "datePublished": doc.first_published_at.isoformat(),
        "dateModified": (doc.updated_at or doc.first_published_at).isoformat(),
        "author": [{"@type": "Person", "name": name} for name in doc.authors],
        "inLanguage": doc.language,
        "mainEntityOfPage": doc.url,
        "description": doc.summary,
        "keywords": doc.keywords,
        "wordCount": doc.word_count,
    }
    text = json.dumps(data, ensure_ascii=False)
    # inside <script> a "</" in a headline would end the element: escape markup characters in JSON
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def article_page(doc: PublishedArticle, tz: ZoneInfo) -> str:
    update = last_update_line(doc, tz)
    published = doc.first_published_at.astimezone(tz)
    parts = [
        "<!doctype html>",
        f'<html lang="{escape(doc.language)}"><head><meta charset="utf-8">',
        f"<title>{_text(doc.headline)}</title>",
        f'<meta name="description" content="{_text(doc.summary)}">',
        f'<link rel="canonical" href="{escape(doc.url)}">',
        f'<script type="application/ld+json">{structured_data(doc)}</script>',
        "</head><body><article>",
    ]
    if update:
        parts.append(
            f'<p class="last-update"><time datetime="{doc.updated_at.isoformat() if doc.updated_at else ""}">'
            f"{escape(update)}</time></p>"
        )
    byline = f"{_text(doc.byline)} " if doc.byline.strip() else ""  # unsigned: the date alone
    parts += [
        f"<h1>{_text(doc.headline)}</h1>",
        f'<p class="byline">{byline}'
        f'<time datetime="{published.isoformat()}">{escape(long_date(published, tz))}</time></p>',
    ]
    if doc.standfirst:
        parts.append(f'<p class="standfirst">{_text(doc.standfirst)}</p>')
    parts.append(f'<div class="body">{doc.body_html}</div>')  # sanitized by ingest's allow-list
    parts.append(f"<footer>Revision {doc.revision} · {doc.reading_time_minutes} min read</footer>")
    parts.append("</article></body></html>")
    return "\n".join(parts)


def gone_page(headline: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Article withdrawn</title></head>'
        f"<body><h1>Article withdrawn</h1><p>{_text(headline)} is no longer available.</p></body></html>"
    )


# characters XML 1.0 forbids; ingest drops them, but one that slipped through must not make the
# whole feed unreadable for every subscriber
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return escape(closed_bidi(_NOT_XML.sub("", text)))


FEED_ID: Final = "urn:newsroom:feed:latest"
"""The feed's Atom id, in the form of its entries' `urn:newsroom:article:<id>`: it must never change
(RFC 4287 §4.2.6), so it names the feed, not the URL it is served at, which moves with
NEWSROOM_PUBLIC_BASE_URL (only the rel="self" link follows that)."""


def atom_feed(docs: list[PublishedArticle], self_url: str, updated: datetime) -> str:
    """`updated`: when the feed last changed, a withdrawal included (`store.FEED_CHANGED`)."""
    entries = []
    for d in docs:
        entries.append(
            "<entry>"
            f"<id>urn:newsroom:article:{_xml(d.article_id)}</id>"
            f"<title>{_xml(d.headline)}</title>"
            f'<link href="{_xml(d.url)}"/>'
            f"<published>{d.first_published_at.isoformat()}</published>"
            f"<updated>{(d.updated_at or d.first_published_at).isoformat()}</updated>"
            + "".join(f"<author><name>{_xml(a)}</name></author>" for a in d.authors)
            + f"<summary>{_xml(d.summary)}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Newsroom Streams: latest articles</title>"
        # RFC 4287 4.1.1: a feed needs an author unless every entry has one; unsigned articles exist
        "<author><name>Newsroom Streams</name></author>"
        f"<id>{FEED_ID}</id>"
        f'<link rel="self" href="{_xml(self_url)}"/>'
        f"<updated>{updated.isoformat()}</updated>" + "".join(entries) + "</feed>"
    )
