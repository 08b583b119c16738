"""Conditional GET for publish's read endpoints (RFC 9110 §8.8, §13).

Feed readers poll the same few URLs all day; answering an unchanged resource with a 304 saves
them the body while the handler still reads Redis, so a revision or a withdrawal is never missed.
The ETag is a hash of the exact bytes served: it changes whenever anything a client sees changes
(a revision, the newsroom's time zone in a page, an entry leaving the feed), with no version
bookkeeping in the store.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Final

from starlette.datastructures import Headers
from starlette.responses import Response

CACHE_CONTROL: Final = "public, no-cache"
"""Articles are revised and withdrawn after publication, so any cache must revalidate every time;
`no-cache` still lets shared caches store the body and answer from it once we send a cheap 304."""

NOT_SERVED_CACHE_CONTROL: Final = "no-cache"
"""For a 404 or 410: both are cacheable by default (RFC 9110 §15.1), and a stored one would outlive
the revision that publishes or restores the article."""

# a page of changes grows until full and has no validator, so a stored copy could only hide events
CHANGES_CACHE_CONTROL: Final = "no-store"

# quoted, so a comma inside an opaque tag (which RFC 9110 allows) does not split the list
_ENTITY_TAG: Final = re.compile(r'(W/)?("[^"]*")')


def etag_of(body: bytes) -> str:
    """Strong, because the tag names these exact bytes; 128 bits make an accidental match moot."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _utc(dt: datetime) -> datetime:
    """A naive time is taken as UTC: publish stamps `published_at` in UTC."""
    return (dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)).astimezone(UTC)


def http_date(dt: datetime) -> str:
    """IMF-fixdate."""
    return format_datetime(_utc(dt), usegmt=True)


def parse_http_date(value: str) -> datetime | None:
    """None for anything that is not a date, so a malformed condition is ignored, not obeyed.

    The standard library reads all three HTTP-date forms (RFC 9110 §5.6.7); asctime has no zone,
    and HTTP-dates are GMT.
    """
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):  # e.g. a twenty-digit year
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): `W/"x"` matches our `"x"`; a GET only needs equivalence."""
    if if_none_match.strip() == "*":
        return True  # a representation exists whenever we are about to send a 200
    return any(tag == etag for _, tag in _ENTITY_TAG.findall(if_none_match))


def etag_matches_strongly(if_match: str, etag: str) -> bool:
    """Strong comparison (RFC 9110 §13.1.1, §8.8.3.2): a weak `W/"x"` never matches, since the
    client asks for these exact bytes; `*` matches any current representation."""
    if if_match.strip() == "*":
        return True  # a representation exists whenever we are about to send a 200
    return any(not weak and tag == etag for weak, tag in _ENTITY_TAG.findall(if_match))


def precondition_holds(request_headers: Headers, etag: str, last_modified: datetime | None) -> bool:
    """False when If-Match or If-Unmodified-Since is false, i.e. a 412 is the answer (RFC 9110
    §13.2.2 steps 1 and 2), before If-None-Match and If-Modified-Since are looked at.

    If-Match wins whenever it is present. If-Unmodified-Since counts only as a single valid
    HTTP-date (§13.1.4) and only for a resource with a modification time, compared with that time
    to the second whether or not it is recent enough to be sent as Last-Modified.
    """
    tags = request_headers.getlist("if-match")
    if tags:
        return etag_matches_strongly(", ".join(tags), etag)
    client_date = _one_date(request_headers, "if-unmodified-since")
    if last_modified is None or client_date is None:
        return True
    return _whole_seconds(last_modified) <= client_date


def is_fresh(request_headers: Headers, etag: str, last_modified: datetime | None) -> bool:
    """True when the client's copy is current, i.e. a 304 is the answer.

    If-None-Match wins whenever it is present (RFC 9110 §13.2.2): tags are exact, dates only
    to the second. If-Modified-Since counts only as a single valid HTTP-date (§13.1.3).
    """
    tags = request_headers.getlist("if-none-match")
    if tags:
        return etag_matches(", ".join(tags), etag)
    client_date = _one_date(request_headers, "if-modified-since")
    if last_modified is None or client_date is None:
        return False
    return _whole_seconds(last_modified) <= client_date


def _one_date(request_headers: Headers, name: str) -> datetime | None:
    """A date condition counts only as a single valid HTTP-date (RFC 9110 §13.1.3, §13.1.4)."""
    sent = request_headers.getlist(name)
    return parse_http_date(sent[0]) if len(sent) == 1 else None


UNSETTLED_S: Final = 2
"""How long after its date a change may still be followed by a commit dated no later: commits land
within milliseconds of their stamp, and replicas' clocks agree far better than this."""
UNSETTLED: Final = timedelta(seconds=UNSETTLED_S)


def _whole_seconds(dt: datetime) -> datetime:
    """What Last-Modified said: HTTP-dates drop fractions, so compare what the client was told."""
    return _utc(dt).replace(microsecond=0)


def conditional_response(
    request_headers: Headers,
    body: bytes,
    media_type: str,
    last_modified: datetime | None,
    now: datetime | None = None,
) -> Response:
    """The 200 with validators, a bodiless 304 carrying the same validators (RFC 9110 §15.4.5), or
    a bodiless 412 with the validators when If-Match or If-Unmodified-Since is false (§13.2.2).

    A modification time less than `UNSETTLED_S` before the response is not sent, nor compared (RFC
    9110 §8.8.2.2: such a date is weak): a later change may still carry a date no newer than it (a
    second change in that second, or a batch stamped before its commit landed, or on another
    replica's clock), and a client polling by date would be told 304 for it. The ETag covers it.
    """
    etag = etag_of(body)
    validators = {"ETag": etag}
    now = now or datetime.now(UTC)
    changed = last_modified
    if last_modified is not None and _utc(last_modified) > _utc(now) - UNSETTLED:
        last_modified = None
    if last_modified is not None:
        validators["Last-Modified"] = http_date(last_modified)
    if not precondition_holds(request_headers, etag, changed):
        # no Cache-Control: a 412 is not stored by default, and `public` would let a cache keep it
        return Response(status_code=412, headers=validators)
    headers = {**validators, "Cache-Control": CACHE_CONTROL}
    if is_fresh(request_headers, etag, last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
