"""Turns any importer's ArticleIn into the one NormalisedArticle shape, refusing what cannot be stored."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from newsroom_ingest.contracts import (
    ARTICLE_ID_RULE,
    FORMATS,
    MAX_AUTHOR,
    MAX_AUTHORS,
    MAX_BODY,
    MAX_HEADLINE,
    MAX_SOURCE,
    MAX_STANDFIRST,
    MAX_URL,
    MAX_VERSION,
    ArticleIn,
    Format,
    NormalisedArticle,
    is_valid_article_id,
)
from newsroom_ingest.errors import InputError, Problems
from newsroom_ingest.identity import content_hashes
from newsroom_ingest.sanitize import (
    MAX_NESTING,
    bad_character,
    can_be_seen,
    code_hiding_text,
    collapse,
    has_text,
    nesting_estimate,
    nfc,
    sanitize_html_and_text,
    start_tags,
    strip_tags,
    text_body,
)

MIN_YEAR: Final = 1800
MAX_YEAR: Final = 2999
_INTEGER: Final = re.compile(r"[+-]?\d+")
_LANGUAGE: Final = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_VERSION_RULE: Final = "must be an integer or an ISO-8601 timestamp"
# A plain-text field may arrive with tags and entities that are removed before its limit applies;
# one this many times longer than its limit is refused unread, before any HTML parsing (whose cost
# grows faster than the length of hostile markup).
RAW_TEXT_FACTOR: Final = 20
MAX_TAGS: Final = 5_000
"""Start tags in a body: bounds the HTML parser's work whatever the nesting estimate says (5,000
nested elements take about 50 ms to sanitize; an article with thousands of elements is rare)."""
_STRING_FIELDS: Final = (
    *("article_id", "source", "source_version", "headline", "standfirst"),
    *("body_html", "body_text", "language", "url"),
)


def _length(value: str, field: str, limit: int, problems: Problems) -> None:
    if len(value) > limit:
        problems.add(field, f"is {len(value)} characters long; the limit is {limit}")


def _plain_text(value: str, field: str, limit: int, problems: Problems) -> str | None:
    """strip_tags() of the field, or None once a problem is recorded: the raw value is checked
    for size and nesting first, so no hostile value reaches the HTML parser."""
    if len(value) > limit * RAW_TEXT_FACTOR:
        problems.add(
            field,
            f"is {len(value)} characters long; the limit is {limit} "
            f"(and {limit * RAW_TEXT_FACTOR} as sent, before tags are removed)",
        )
        return None
    if "<" in value and nesting_estimate(value, MAX_NESTING) > MAX_NESTING:
        problems.add(field, f"markup is nested more than {MAX_NESTING} levels deep")
        return None
    if "<" in value and (code := code_hiding_text(value)) is not None:
        problems.add(
            field, f"holds <{code}> markup, which would drop text with it; in plain text write '<' as &lt;"
        )
        return None
    text = strip_tags(nfc(value))
    _length(text, field, limit, problems)
    return text


def _required_text(value: str, field: str, limit: int, problems: Problems) -> str:
    text = _plain_text(value, field, limit, problems)
    if text is None:
        return ""
    if not can_be_seen(text):
        problems.add(field, "must not be empty, whitespace or invisible characters only")
    return text


def _optional_text(value: str | None, field: str, limit: int, problems: Problems) -> str | None:
    if value is None:
        return None
    return _plain_text(value, field, limit, problems) or None


def _authors(values: list[str], problems: Problems) -> list[str]:
    if len(values) > MAX_AUTHORS:
        problems.add("authors", f"lists {len(values)} authors; the limit is {MAX_AUTHORS}")
    return [_required_text(v, f"authors.{i}", MAX_AUTHOR, problems) for i, v in enumerate(values)]


def byline(authors: list[str]) -> str:
    """Display byline: "By A", "By A and B", "By A, B and C"; empty without authors."""
    if not authors:
        return ""
    if len(authors) == 1:
        return f"By {authors[0]}"
    return f"By {', '.join(authors[:-1])} and {authors[-1]}"


def _markup_body(markup: str, problems: Problems) -> tuple[str, str]:
    """(sanitized HTML, its plain text); both empty once a problem is recorded."""
    markup = nfc(markup)
    if len(markup) > MAX_BODY:  # checked before parsing, to bound the sanitizer's work
        _length(markup, "body_html", MAX_BODY, problems)
        return "", ""
    if nesting_estimate(markup, MAX_NESTING) > MAX_NESTING:
        problems.add("body_html", f"markup is nested more than {MAX_NESTING} levels deep")
        return "", ""
    if (tags := start_tags(markup)) > MAX_TAGS:
        problems.add("body_html", f"has {tags} tags; the limit is {MAX_TAGS}")
        return "", ""
    try:
        return sanitize_html_and_text(markup)
    except RecursionError:
        problems.add("body_html", f"markup is nested more than {MAX_NESTING} levels deep")
        return "", ""


def _body(article: ArticleIn, problems: Problems) -> tuple[str, str]:
    """Sanitized HTML wins when given; plain text is derived from it so both always agree."""
    text = None if article.body_text is None else nfc(article.body_text)
    if text is not None and len(text) > MAX_BODY:
        _length(text, "body_text", MAX_BODY, problems)
        return "", ""
    if article.body_html is not None and has_text(article.body_html):
        field, (body_html, body_text) = "body_html", _markup_body(article.body_html, problems)
    elif text is not None and has_text(article.body_text or ""):
        field, (body_html, body_text) = "body_text", text_body(text)
    else:
        given = article.body_html is not None or article.body_text is not None
        reason = (
            "must not be empty or only whitespace" if given else "one of body_html or body_text is required"
        )
        problems.add("body_text" if article.body_html is None else "body_html", reason)
        return "", ""
    if not body_html:
        body_text = ""
    if not can_be_seen(body_text) and not any(p.field == field for p in problems.items):
        problems.add(field, "has no visible text left once markup is removed")
    return body_html, body_text


def localise(value: datetime, tz: ZoneInfo, field: str, problems: Problems) -> datetime | None:
    """Tz-aware with an explicit fixed offset; naive wall times are read in the newsroom zone `tz`.

    A wall time skipped by a clock change is refused, except midnight: a date without a time is
    read as midnight, and where a clock change skips midnight (Santiago, Beirut, Cairo) the day
    starts when the clock resumes. One that occurs twice takes the first (earlier) offset.
    """
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        problems.add(field, f"year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}")
        return None
    offset = value.utcoffset()
    if offset is None:
        wall = value.replace(tzinfo=None, fold=0)
        aware = wall.replace(tzinfo=tz)
        resolved = aware.astimezone(UTC).astimezone(tz)
        if resolved.replace(tzinfo=None) != wall:
            if wall.time() == time(0) and resolved.date() == wall.date():
                return resolved.replace(tzinfo=timezone(resolved.utcoffset() or timedelta(0)))
            problems.add(field, f"{wall.isoformat()} does not exist in {tz.key} (clock change)")
            return None
        offset = aware.utcoffset()
        value = wall
    assert offset is not None  # a ZoneInfo always yields an offset for an in-range time
    return value.replace(tzinfo=timezone(offset))


def _times(article: ArticleIn, tz: ZoneInfo, problems: Problems) -> tuple[datetime | None, datetime | None]:
    first = localise(article.first_published_at, tz, "first_published_at", problems)
    updated = None
    if article.updated_at is not None:
        updated = localise(article.updated_at, tz, "updated_at", problems)
    if first is not None and updated is not None and updated < first:
        problems.add("updated_at", "is earlier than first_published_at")
    return first, updated


def _parse_timestamp(text: str) -> datetime | None:
    if not re.match(r"\d{4}-?\d{2}", text):
        return None
    if text.endswith("z"):  # RFC 3339 allows a lower-case "z" (and "t"), fromisoformat only "Z"
        text = text[:-1] + "Z"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _version(
    raw: int | str | None, tz: ZoneInfo, problems: Problems
) -> tuple[str | None, int | None, int | None]:
    """The source's version kept as given, plus its order: an integer exactly, a time in epoch µs."""
    if raw is None:
        return None, None, None
    if isinstance(raw, int) and abs(raw) >= 2**63:
        problems.add("source_version", "integer does not fit in 64 bits")
        return None, None, None
    text = collapse(nfc(str(raw)))
    if len(text) > MAX_VERSION:
        problems.add("source_version", f"is {len(text)} characters long; the limit is {MAX_VERSION}")
        return None, None, None
    if _INTEGER.fullmatch(text):
        number = int(text)
        if abs(number) >= 2**63:
            problems.add("source_version", "integer does not fit in 64 bits")
            return None, None, None
        return text, number, None
    parsed = _parse_timestamp(text)
    if parsed is None:
        problems.add("source_version", _VERSION_RULE)
        return None, None, None
    aware = localise(parsed, tz, "source_version", problems)
    return text, None, None if aware is None else epoch_us(aware)


def epoch_us(when: datetime) -> int:
    """Exact, unlike `timestamp()`'s float: two versions a microsecond apart stay apart."""
    return (when - _EPOCH) // timedelta(microseconds=1)


def _url(raw: str | None, problems: Problems) -> str | None:
    if raw is None or not raw.strip():
        return None
    url = nfc(raw.strip())
    reason = None
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError:
        reason = "is not a valid URL"
    else:
        if len(url) > MAX_URL:
            reason = f"is {len(url)} characters long; the limit is {MAX_URL}"
        elif re.search(r"[\s\x00-\x1f\x7f]", url):
            reason = "must not contain whitespace or control characters"
        elif parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            reason = "must be an absolute http or https URL"
    if reason:
        problems.add("url", reason)
        return None
    return url


def _language(raw: str | None, problems: Problems) -> str | None:
    """BCP 47 hint in canonical case (en-GB, zh-Hant-TW); refused when not tag-shaped."""
    if raw is None or not raw.strip():
        return None
    tag = raw.strip().replace("_", "-")
    if len(tag) > 35 or not _LANGUAGE.fullmatch(tag):
        problems.add("language", "must be a BCP 47 language tag such as 'en' or 'en-GB'")
        return None
    first, *rest = tag.split("-")
    out = [first.lower()]
    for sub in rest:
        if len(sub) == 4 and sub.isalpha():
            out.append(sub.title())
        elif (len(sub) == 2 and sub.isalpha()) or (len(sub) == 3 and sub.isdigit()):
            out.append(sub.upper())
        else:
            out.append(sub.lower())
    return "-".join(out)


def _check_characters(article: ArticleIn, problems: Problems) -> None:
    fields: list[tuple[str, object]] = [(name, getattr(article, name)) for name in _STRING_FIELDS]
    fields += [(f"authors.{i}", author) for i, author in enumerate(article.authors)]
    for field, value in fields:
        if isinstance(value, str) and (reason := bad_character(value)):
            problems.add(field, reason)


def normalise(
    article: ArticleIn, *, tz: ZoneInfo, fmt: Format = "native", source_hash: str | None = None
) -> NormalisedArticle:
    """Validate and clean `article`; raises InputError listing every problem found. `source_hash`:
    of the document `article` was read from (importers.source_hash)."""
    problems = Problems()
    if fmt not in FORMATS:
        problems.add("format", f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if article.article_id is not None and not is_valid_article_id(article.article_id):
        problems.add("article_id", ARTICLE_ID_RULE)
    _check_characters(article, problems)
    problems.raise_if_any()  # later steps (nh3) cannot take NUL or lone surrogates

    source = _required_text(article.source, "source", MAX_SOURCE, problems)
    headline = _required_text(article.headline, "headline", MAX_HEADLINE, problems)
    standfirst = _optional_text(article.standfirst, "standfirst", MAX_STANDFIRST, problems)
    authors = _authors(article.authors, problems)
    body_html, body_text = _body(article, problems)
    first, updated = _times(article, tz, problems)
    source_version, version_number, version_time = _version(article.source_version, tz, problems)
    url = _url(article.url, problems)
    language = _language(article.language, problems)
    problems.raise_if_any()
    if first is None:  # pragma: no cover - localise() recorded a problem already
        raise InputError.one("first_published_at", "could not be read")

    hashed, text_hash = content_hashes(
        headline=headline,
        standfirst=standfirst,
        authors=authors,
        body_text=body_text,
        url=url,
        change_kind=article.change_kind,
        body_html=body_html,
    )
    return NormalisedArticle(
        article_id=article.article_id,
        source=source,
        source_version=source_version,
        version_number=version_number,
        version_time=version_time,
        headline=headline,
        standfirst=standfirst,
        authors=authors,
        byline=byline(authors),
        body_html=body_html,
        body_text=body_text,
        first_published_at=first,
        updated_at=updated,
        change_kind=article.change_kind,
        language=language,
        url=url,
        format=fmt,
        content_hash=hashed,
        text_hash=text_hash,
        source_hash=source_hash,
    )
