"""Bytes in, NormalisedArticle out: decoding, format detection by content, and dispatch."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final
from zoneinfo import ZoneInfo

from newsroom_ingest.contracts import (
    ARTICLE_ID_RULE,
    FORMATS,
    ArticleIn,
    Format,
    NormalisedArticle,
    is_valid_article_id,
)
from newsroom_ingest.errors import InputError, quote
from newsroom_ingest.importers import native, ninjs, text
from newsroom_ingest.normalise import epoch_us, normalise
from newsroom_ingest.sanitize import bad_character

__all__ = ["MAX_INPUT_BYTES", "claimed_id", "decode", "detect_format", "parse_article"]

MAX_INPUT_BYTES: Final = 4 * 1024 * 1024
_BOM: Final = b"\xef\xbb\xbf"
# each gives the article and, per field, the name the sender used where it differs (ninjs keys)
# (document, when received, whether the caller names the article itself)
_IMPORTERS: Final[dict[Format, Callable[[str, datetime, bool], tuple[ArticleIn, dict[str, str]]]]] = {
    "native": lambda document, now, named: (native.to_article_in(document), {}),
    "ninjs": lambda document, now, named: ninjs.read(document, now, named=named),
    "text": lambda document, now, named: _text(document),
}


def _text(document: str) -> tuple[ArticleIn, dict[str, str]]:
    """A capture's version is its "Last update" time, else its first publication: a problem with
    that time is reported once, under the date it came from."""
    article = text.to_article_in(document)
    return article, {"source_version": "updated_at" if article.updated_at else "first_published_at"}


def decode(data: bytes) -> str:
    """Strict UTF-8 (a leading BOM is dropped); the refusal names the first bad byte offset."""
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError.one("body", f"not valid UTF-8 at byte {e.start + offset}") from None


def _detect_text(document: str) -> Format:
    stripped = document.lstrip()
    if not stripped.startswith(("{", "[")):
        return "text"
    try:
        obj = native.load_json(stripped)
    except InputError:
        return "native"  # parsing it as native reports the JSON syntax problem
    return "ninjs" if ninjs.looks_like_ninjs(obj) else "native"


def detect_format(data: bytes) -> Format:
    """Which importer fits, judged by content: JSON with ninjs markers, other JSON, or a page capture."""
    return _detect_text(data.removeprefix(_BOM).decode("utf-8", errors="replace"))


def claimed_id(data: bytes) -> str:
    """The id a refused JSON document names (native `article_id`, ninjs `uri`), or ""; only so that
    its dead letter can be found by article. A uri ninjs itself refuses (NUL, lone surrogate) names
    none."""
    try:
        obj = native.load_json(decode(data))
    except InputError:
        return ""
    if not isinstance(obj, dict):
        return ""
    keys = {str(k).lower(): v for k, v in obj.items()}
    given, uri = keys.get("article_id"), keys.get("uri")
    if isinstance(given, str) and is_valid_article_id(given):
        return given
    if not isinstance(uri, str) or not uri.strip() or bad_character(uri):
        return ""
    return ninjs.uri_to_id(uri.strip())


def _chosen_format(fmt: str | None, document: str) -> Format:
    if fmt is None or fmt == "auto":
        return _detect_text(document)
    for known in FORMATS:
        if fmt == known:
            return known
    raise InputError.one("format", f"unknown format {quote(fmt)!r}; expected native, ninjs or text")


def parse_article(
    data: bytes,
    *,
    tz: ZoneInfo,
    fmt: str | None = None,
    article_id: str | None = None,
    now: datetime | None = None,
) -> NormalisedArticle:
    """Decode, detect (unless `fmt` is given), import and normalise; only ever raises InputError.

    `article_id`, when given, sets or overrides the id the document carries; `now` (the clock by
    default) is when it is received, which an embargo is judged against.
    """
    if article_id is not None and not is_valid_article_id(article_id):
        raise InputError.one("article_id", ARTICLE_ID_RULE)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError.one("body", f"is {len(data)} bytes; the limit is {MAX_INPUT_BYTES}")
    document = decode(data)
    if not document.strip():
        raise InputError.one("body", "is empty")
    chosen = _chosen_format(fmt, document)
    # a refusal names the field as the sender wrote it
    article, sent_as = _IMPORTERS[chosen](document, now or datetime.now(UTC), article_id is not None)
    if article_id is not None:
        article = article.model_copy(update={"article_id": article_id})
        sent_as.pop("article_id", None)
    try:
        normalised = normalise(article, tz=tz, fmt=chosen, source_hash=source_hash(chosen, document))
    except InputError as e:
        raise e.renamed(sent_as) from None
    return _with_version_time(normalised, sent_as)


def source_hash(fmt: Format, document: str) -> str:
    """The document as sent (and read as `fmt`), for revisions.decide_revision."""
    digest = hashlib.sha256(f"{fmt}\n".encode())
    digest.update(document.encode())
    return "src:" + digest.hexdigest()


def _with_version_time(article: NormalisedArticle, sent_as: dict[str, str]) -> NormalisedArticle:
    """ninjs `versionCreated` dates the version even beside an integer `version`: a later document
    that gives only the time is then ordered against it, not let through as unversioned."""
    update: dict[str, object] = {}
    if sent_as.get("first_published_at", "").lower() == "versioncreated":
        update["first_published_is_version_time"] = True
        when: datetime | None = article.first_published_at
    else:
        when = article.updated_at if sent_as.get("updated_at", "").lower() == "versioncreated" else None
    if article.version_time is None and when is not None:
        update["version_time"] = epoch_us(when)
    return article.model_copy(update=update) if update else article
