"""The plain-text page capture: 'Last update' line, site logo, headline, byline with date, paragraphs.

Layout (items separated by blank lines; CRLF/CR/LF, BOM, NFD, NBSP and trailing spaces tolerated):

    Last update: January 24, 2025 15:36     (optional)
    Example News logo                       (optional site-logo line)
    <headline>
    By <A> | <A and B> | <A, B and C> <Month D, YYYY>
    None                                    (optional stray line, dropped)
    <standfirst: first paragraph>
    <body paragraphs...>

Dates are naive wall times; normalise() reads them in the newsroom time zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import Final

from newsroom_ingest.contracts import ArticleIn
from newsroom_ingest.errors import InputError, quote
from newsroom_ingest.sanitize import bad_character, collapse, nfc, text_paragraphs, unify_newlines

SOURCE: Final = "page-capture"
HEADER_LINES: Final = 6
MAX_HEADER_LINE: Final = 1000  # longer lines cannot be header lines; also bounds regex work

_MONTH_NAMES: Final = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
_MONTHS: Final = {
    name: number
    for number, full in enumerate(_MONTH_NAMES, start=1)
    for name in (full, full[:3], "sept" if number == 9 else full)
}
_DATE: Final = (
    r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?)?)?"
)
_LAST_UPDATE: Final = re.compile(r"last\s+updated?\s*:?\s*(?P<when>.*)", re.IGNORECASE)
_WHEN: Final = re.compile(_DATE)
_BYLINE: Final = re.compile(r"[Bb][Yy]\s+(?P<authors>.+?)[\s,|·-]+" + _DATE)
_LOGO: Final = re.compile(r".*\S\s+logo", re.IGNORECASE)
_AUTHOR_SPLIT: Final = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")

_DATE_FORMAT: Final = "like 'January 24, 2025 15:36'"


def split_authors(raw: str) -> list[str]:
    """Names from a byline: "A", "A and B", "A, B and C" (Oxford comma and "&" too)."""
    names = re.sub(r"^by\s+", "", collapse(raw), flags=re.IGNORECASE)
    return [part for part in (p.strip() for p in _AUTHOR_SPLIT.split(names)) if part]


def _hour(match: re.Match[str]) -> int:
    hour = int(match["hour"] or 0)
    if match["ampm"] and 1 <= hour <= 12:
        return hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    if match["ampm"]:
        return 99  # refused below, like any other impossible hour
    return hour


def parse_when(match: re.Match[str], field: str) -> datetime:
    """A naive datetime from a date match; impossible dates are refused, never rolled over."""
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        raise InputError.one(field, f"unknown month name {quote(match['month'])!r}")
    try:
        return datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            _hour(match),
            int(match["minute"] or 0),
            int(match["second"] or 0),
        )
    except ValueError as e:
        raise InputError.one(field, f"{quote(match[0])!r} is not a real date and time ({e})") from None


def _find_byline(lines: list[str]) -> int:
    """Index of the byline: the first 'By … <date>' line not straight after 'Last update'."""
    for index in range(1, min(len(lines), HEADER_LINES)):
        if len(lines[index]) > MAX_HEADER_LINE:
            break
        if _BYLINE.fullmatch(lines[index]) and not _LAST_UPDATE.match(lines[index - 1]):
            return index
    raise InputError.one(
        "byline", "expected a line 'By <author(s)> <Month D, YYYY>' right after the headline"
    )


def _updated_at(preamble: list[str]) -> datetime | None:
    updated = None
    for line in preamble:
        last = _LAST_UPDATE.match(line) if len(line) <= MAX_HEADER_LINE else None
        if last is None and (len(line) > MAX_HEADER_LINE or not _LOGO.fullmatch(line)):
            raise InputError.one("headline", f"unexpected line before the headline: {quote(line)!r}")
        if last is not None:
            when = _WHEN.fullmatch(last["when"])
            if when is None:
                raise InputError.one("updated_at", f"'Last update' must be a date {_DATE_FORMAT}")
            updated = parse_when(when, "updated_at")
    return updated


def _paragraphs(rest: str) -> tuple[str | None, list[str]]:
    paragraphs = text_paragraphs(rest)
    if paragraphs and paragraphs[0] == "None":
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise InputError.one("body_text", "the page has no paragraphs after the byline")
    if len(paragraphs) == 1:
        return None, paragraphs
    return paragraphs[0], paragraphs[1:]


def _non_blank(raw_lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, collapsed line) of each non-blank line, lazily: only the header is needed."""
    for number, line in enumerate(raw_lines):
        if cleaned := collapse(line):
            yield number, cleaned


def to_article_in(document: str) -> ArticleIn:
    """Read a page capture into the native contract (dates naive; id left to identity)."""
    if reason := bad_character(document):
        raise InputError.one("body", reason)
    raw_lines = unify_newlines(nfc(document)).split("\n")
    numbered = list(islice(_non_blank(raw_lines), HEADER_LINES))
    lines = [line for _, line in numbered]
    at = _find_byline(lines)
    byline = _BYLINE.fullmatch(lines[at])
    assert byline is not None  # _find_byline matched it
    updated = _updated_at(lines[: at - 1])
    first = parse_when(byline, "first_published_at")
    standfirst, body = _paragraphs("\n".join(raw_lines[numbered[at][0] + 1 :]))
    when = updated or first
    return ArticleIn(
        source=SOURCE,
        source_version=when.isoformat(),
        headline=lines[at - 1],
        standfirst=standfirst,
        authors=split_authors(byline["authors"]),
        body_text="\n\n".join(body),
        first_published_at=first,
        updated_at=updated,
    )
