"""Article identity: the derived id for imports that carry none, and the content hash for dedupe."""

from __future__ import annotations

import hashlib
import re
from typing import Final

import orjson

from newsroom_ingest.contracts import ChangeKind, NormalisedArticle

_ID_PREFIX: Final = {"text": "pc", "native": "na", "ninjs": "nj"}


def derive_article_id(article: NormalisedArticle) -> str:
    """A stable id for an article whose source gave none.

    Derivation: ``<prefix>-`` followed by the first 20 hex digits of SHA-256 over the
    UTF-8 JSON array ``[source, sorted casefolded author names, first-publication date]``,
    where the date is ``first_published_at.date()`` in the article's own UTC offset and
    the prefix names the format ("pc" page capture, "na" native, "nj" ninjs).

    Only facts that a revision of the same page keeps are used, so editing body
    paragraphs, correcting the headline or adding a "Last update" line keeps the id;
    author order and letter case do not matter either.

    Known limits: two articles by the same author(s) on the same day from the same
    source get the same id (the newsroom must pass an explicit id for such cases,
    e.g. ``parse_article(..., article_id=...)``); a revision that changes the byline
    or the first-publication date gets a new id; articles without authors collide
    for a whole day per source. A collision is caught, not merged: a submission under a derived id
    that shares neither headline nor any paragraph with the current revision is refused
    (`story_fingerprint`, and the rule in revisions.py).
    """
    authors = sorted(name.casefold() for name in article.authors)
    material = [article.source, authors, article.first_published_at.date().isoformat()]
    digest = hashlib.sha256(_canonical(material)).hexdigest()[:20]
    return f"{_ID_PREFIX[article.format]}-{digest}"


_MAX_FINGERPRINT_PARTS: Final = 256


def story_fingerprint(headline: str, body_text: str) -> str:
    """Short hashes of the headline and of each paragraph (case and spacing ignored), so a later
    submission under the same derived id can be told apart from another article (revisions.py)."""
    paragraphs = [line for line in body_text.split("\n") if line.strip()]
    parts = [headline, *paragraphs][:_MAX_FINGERPRINT_PARTS]
    return " ".join(_short_hash(" ".join(part.casefold().split())) for part in parts)


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=5).hexdigest()


def content_hashes(
    *,
    headline: str,
    standfirst: str | None,
    authors: list[str],
    body_text: str,
    url: str | None,
    change_kind: ChangeKind | None,
    body_html: str = "",
) -> tuple[str, str | None]:
    """``sha256:<hex>`` over the normalised content only, so an identical re-send is a duplicate;
    and for a body with links, the hash without them (what was recorded before they counted).

    Times and the source's version are left out on purpose; the change kind counts only
    when it is a withdrawal (the same text withdrawn is a real change). Of the markup, the link
    targets count (a corrected link is a correction readers must get), and only when there are
    any, so a body without links hashes as it always has; formatting alone does not.
    """
    material: dict[str, object] = {
        "headline": headline,
        "standfirst": standfirst,
        "authors": authors,
        "body_text": body_text,
        "url": url,
        "withdrawn": change_kind == "withdrawal",
    }
    text_only = "sha256:" + hashlib.sha256(_canonical(material)).hexdigest()
    if not (links := link_targets(body_html)):
        return text_only, None
    return "sha256:" + hashlib.sha256(_canonical(material | {"links": links})).hexdigest(), text_only


# in sanitized markup <a> is the only element with an href, each attribute is written name="value"
# with the value escaped (no '"', '<' or '>' inside), and text escapes '<' (so "<a " is never text)
_LINK_TAG: Final = re.compile(r'<a((?:\s[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE: Final = re.compile(r'\s([a-z-]+)="([^"]*)"')


def link_targets(body_html: str) -> list[str]:
    """The href of each link in sanitized markup, in order (read attribute by attribute, so a
    title that ends in 'href=' is not taken for one)."""
    if "href=" not in body_html:
        return []
    return [
        value
        for attributes in _LINK_TAG.findall(body_html)
        for name, value in _ATTRIBUTE.findall(attributes)
        if name == "href"
    ]


def _canonical(value: object) -> bytes:
    """Compact, key-sorted UTF-8 JSON: byte for byte what ``json.dumps(value, ensure_ascii=False,
    sort_keys=True, separators=(",", ":"))`` gives for these values, so hashes stay stable."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
