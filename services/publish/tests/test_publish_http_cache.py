"""Conditional GET rules: validators, 304s and HTTP-dates, without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from newsroom_publish.http_cache import (
    CACHE_CONTROL,
    UNSETTLED_S,
    conditional_response,
    etag_of,
    http_date,
    is_fresh,
    parse_http_date,
    precondition_holds,
)
from starlette.datastructures import Headers

BODY = b'{"article_id":"harbour-1","revision":1}'
TAG = etag_of(BODY)
PUBLISHED = datetime(2025, 3, 14, 9, 26, 53, 589_000, tzinfo=UTC)


def request(*fields: tuple[str, str]) -> Headers:
    """Raw header lines, so a field sent twice stays twice, as a server would pass it on."""
    return Headers(raw=[(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in fields])


def test_etag_is_strong_quoted_and_follows_the_bytes() -> None:
    assert TAG.startswith('"') and TAG.endswith('"') and not TAG.startswith("W/")
    assert etag_of(BODY) == TAG
    assert etag_of(BODY + b" ") != TAG


def test_first_request_gets_200_with_body_and_validators() -> None:
    r = conditional_response(request(), BODY, "application/json", PUBLISHED)
    assert r.status_code == 200 and r.body == BODY
    assert r.headers["etag"] == TAG
    assert r.headers["cache-control"] == CACHE_CONTROL == "public, no-cache"
    assert r.headers["last-modified"] == "Fri, 14 Mar 2025 09:26:53 GMT"
    assert r.headers["content-type"] == "application/json"


def test_matching_etag_answers_304_without_body() -> None:
    r = conditional_response(request(("If-None-Match", TAG)), BODY, "application/json", PUBLISHED)
    assert r.status_code == 304 and r.body == b""
    assert r.headers["etag"] == TAG and r.headers["cache-control"] == CACHE_CONTROL
    assert r.headers["last-modified"] == "Fri, 14 Mar 2025 09:26:53 GMT"
    assert "content-length" not in r.headers and "content-type" not in r.headers


def test_changed_body_answers_200_to_the_old_etag() -> None:
    r = conditional_response(request(("If-None-Match", TAG)), BODY + b"\n", "application/json", PUBLISHED)
    assert r.status_code == 200 and r.headers["etag"] != TAG


def test_weak_etag_matches_weakly() -> None:
    assert is_fresh(request(("If-None-Match", f"W/{TAG}")), TAG, None)


def test_star_matches_any_current_representation() -> None:
    assert is_fresh(request(("If-None-Match", "*")), TAG, None)


def test_any_tag_of_a_list_matches_even_across_field_lines() -> None:
    assert is_fresh(request(("If-None-Match", f'"old", W/"older" , {TAG}')), TAG, None)
    assert is_fresh(request(("If-None-Match", '"old"'), ("If-None-Match", TAG)), TAG, None)
    assert not is_fresh(request(("If-None-Match", '"old", W/"older"')), TAG, None)


def test_a_comma_inside_a_tag_does_not_split_it() -> None:
    assert is_fresh(request(("If-None-Match", '"a,b"')), '"a,b"', None)
    assert not is_fresh(request(("If-None-Match", '"a,b"')), '"a"', None)


def test_unquoted_tag_does_not_match() -> None:
    assert not is_fresh(request(("If-None-Match", TAG.strip('"'))), TAG, None)


def test_not_modified_since_answers_304() -> None:
    assert is_fresh(request(("If-Modified-Since", "Fri, 14 Mar 2025 09:26:53 GMT")), TAG, PUBLISHED)
    assert is_fresh(request(("If-Modified-Since", "Sat, 15 Mar 2025 00:00:00 GMT")), TAG, PUBLISHED)


def test_modified_since_answers_200() -> None:
    assert not is_fresh(request(("If-Modified-Since", "Fri, 14 Mar 2025 09:26:52 GMT")), TAG, PUBLISHED)


def test_fractions_of_a_second_do_not_make_the_resource_newer_than_its_last_modified() -> None:
    """Last-Modified drops the .589 s; echoing it back must still count as current."""
    echoed = http_date(PUBLISHED)
    assert is_fresh(request(("If-Modified-Since", echoed)), TAG, PUBLISHED)


def test_if_none_match_takes_precedence_over_if_modified_since() -> None:
    stale_tag_recent_date = request(
        ("If-None-Match", '"something-else"'), ("If-Modified-Since", "Sat, 15 Mar 2025 00:00:00 GMT")
    )
    assert not is_fresh(stale_tag_recent_date, TAG, PUBLISHED)
    fresh_tag_old_date = request(
        ("If-None-Match", TAG), ("If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT")
    )
    assert is_fresh(fresh_tag_old_date, TAG, PUBLISHED)


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "2025-03-15T00:00:00Z",
        "Sat, 31 Feb 2025 00:00:00 GMT",
        "Sat, 15 Mar 2025 25:00:00 GMT",
    ],
)
def test_unparseable_if_modified_since_is_ignored(value: str) -> None:
    assert parse_http_date(value) is None
    r = conditional_response(request(("If-Modified-Since", value)), BODY, "application/json", PUBLISHED)
    assert r.status_code == 200 and r.body == BODY


def test_if_modified_since_sent_twice_is_ignored() -> None:
    twice = request(
        ("If-Modified-Since", "Sat, 15 Mar 2025 00:00:00 GMT"),
        ("If-Modified-Since", "Sun, 16 Mar 2025 00:00:00 GMT"),
    )
    assert not is_fresh(twice, TAG, PUBLISHED)


def test_if_modified_since_without_a_last_modified_never_answers_304() -> None:
    assert not is_fresh(request(("If-Modified-Since", "Sat, 15 Mar 2025 00:00:00 GMT")), TAG, None)
    r = conditional_response(request(), BODY, "application/atom+xml", None)
    assert "last-modified" not in r.headers and r.headers["etag"] == TAG


def test_all_three_http_date_forms_are_read() -> None:
    expected = datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == expected
    assert parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == expected
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == expected


def test_http_date_is_imf_fixdate_in_gmt_whatever_the_zone() -> None:
    kazakhstan = timezone(timedelta(hours=5))
    assert http_date(datetime(2025, 1, 24, 20, 36, tzinfo=kazakhstan)) == "Fri, 24 Jan 2025 15:36:00 GMT"
    assert http_date(datetime(2025, 1, 24, 15, 36)) == "Fri, 24 Jan 2025 15:36:00 GMT"  # naive is UTC
    assert parse_http_date(http_date(PUBLISHED)) == PUBLISHED.replace(microsecond=0)


def test_a_date_too_large_for_any_calendar_is_ignored_not_a_server_error() -> None:
    huge = "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"
    assert parse_http_date(huge) is None
    r = conditional_response(request(("If-Modified-Since", huge)), BODY, "application/json", PUBLISHED)
    assert r.status_code == 200


def test_a_change_in_the_current_second_is_not_dated_so_a_second_one_cannot_hide_behind_it() -> None:
    just_now = PUBLISHED + timedelta(milliseconds=300)
    r = conditional_response(request(), BODY, "application/json", PUBLISHED, now=just_now)
    assert "last-modified" not in r.headers and r.headers["etag"] == TAG
    same_second = request(("If-Modified-Since", http_date(PUBLISHED)))
    assert (
        conditional_response(same_second, BODY, "application/json", PUBLISHED, now=just_now).status_code
        == 200
    )
    settled = PUBLISHED + timedelta(seconds=UNSETTLED_S)
    dated = conditional_response(request(), BODY, "application/json", PUBLISHED, now=settled)
    assert dated.headers["last-modified"] == http_date(PUBLISHED)


def test_a_change_is_dated_once_it_is_two_seconds_old_not_at_the_second_boundary_after_next() -> None:
    late_in_a_second = PUBLISHED + timedelta(milliseconds=999)
    almost = late_in_a_second + timedelta(seconds=UNSETTLED_S, milliseconds=-1)
    assert (
        "last-modified"
        not in conditional_response(request(), BODY, "text/html", late_in_a_second, now=almost).headers
    )
    settled = late_in_a_second + timedelta(seconds=UNSETTLED_S)
    assert (
        "last-modified"
        in conditional_response(request(), BODY, "text/html", late_in_a_second, now=settled).headers
    )


def test_a_change_just_past_a_second_boundary_is_not_dated_while_a_commit_stamped_earlier_may_land() -> None:
    # a batch stamped at :59.8 whose commit lands at :00.2: a reader polling at :00.1 must not be
    # given :59 as the date it will ask with, or that commit would answer it 304
    stamped = PUBLISHED + timedelta(milliseconds=800)
    poll = stamped + timedelta(milliseconds=300)
    response = conditional_response(request(), BODY, "text/html", stamped, now=poll)
    assert "last-modified" not in response.headers


def answer(*fields: tuple[str, str], now: datetime | None = None) -> int:
    r = conditional_response(request(*fields), BODY, "application/json", PUBLISHED, now=now)
    return r.status_code


def test_if_match_with_the_current_tag_gets_the_body() -> None:
    assert answer(("If-Match", TAG)) == 200


def test_if_match_with_another_tag_answers_412_without_body_or_cache_control() -> None:
    r = conditional_response(request(("If-Match", '"old"')), BODY, "application/json", PUBLISHED)
    assert r.status_code == 412 and r.body == b""
    assert r.headers["etag"] == TAG and r.headers["last-modified"] == http_date(PUBLISHED)
    assert "cache-control" not in r.headers  # `public` would let a cache store the 412


def test_if_match_compares_strongly_so_a_weak_tag_never_matches() -> None:
    assert answer(("If-Match", f"W/{TAG}")) == 412
    assert not precondition_holds(request(("If-Match", f"W/{TAG}")), TAG, PUBLISHED)


def test_if_match_star_matches_any_current_representation() -> None:
    assert answer(("If-Match", "*")) == 200


def test_if_match_any_tag_of_a_list_matches_even_across_field_lines() -> None:
    assert answer(("If-Match", f'"old", {TAG}')) == 200
    assert answer(("If-Match", '"old"'), ("If-Match", TAG)) == 200
    assert answer(("If-Match", f'"old", W/{TAG}')) == 412


def test_if_unmodified_since_before_the_change_answers_412() -> None:
    assert answer(("If-Unmodified-Since", "Fri, 14 Mar 2025 09:26:52 GMT")) == 412


def test_if_unmodified_since_the_last_modified_or_later_gets_the_body() -> None:
    assert answer(("If-Unmodified-Since", http_date(PUBLISHED))) == 200  # fractions dropped, as sent
    assert answer(("If-Unmodified-Since", "Sat, 15 Mar 2025 00:00:00 GMT")) == 200


def test_if_match_takes_precedence_over_if_unmodified_since() -> None:
    assert answer(("If-Match", TAG), ("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT")) == 200
    assert answer(("If-Match", '"old"'), ("If-Unmodified-Since", "Sat, 15 Mar 2025 00:00:00 GMT")) == 412


def test_if_none_match_is_evaluated_once_if_match_holds() -> None:
    assert answer(("If-Match", TAG), ("If-None-Match", TAG)) == 304
    assert answer(("If-Match", '"old"'), ("If-None-Match", TAG)) == 412
    assert (
        answer(("If-Unmodified-Since", http_date(PUBLISHED)), ("If-Modified-Since", http_date(PUBLISHED)))
        == 304
    )


@pytest.mark.parametrize("value", ["yesterday", "", "Sat, 31 Feb 2025 00:00:00 GMT"])
def test_an_unparseable_if_unmodified_since_is_ignored(value: str) -> None:
    assert answer(("If-Unmodified-Since", value)) == 200


def test_if_unmodified_since_sent_twice_is_ignored() -> None:
    old, older = "Mon, 01 Jan 2024 00:00:00 GMT", "Sun, 31 Dec 2023 00:00:00 GMT"
    assert answer(("If-Unmodified-Since", old), ("If-Unmodified-Since", older)) == 200


def test_if_unmodified_since_without_a_modification_time_is_ignored() -> None:
    r = conditional_response(
        request(("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT")), BODY, "application/atom+xml", None
    )
    assert r.status_code == 200


def test_if_unmodified_since_compares_a_change_too_recent_to_be_dated_by_its_own_time() -> None:
    just_now = PUBLISHED + timedelta(milliseconds=300)
    assert answer(("If-Unmodified-Since", "Sat, 15 Mar 2025 00:00:00 GMT"), now=just_now) == 200
    assert answer(("If-Unmodified-Since", "Fri, 14 Mar 2025 09:26:52 GMT"), now=just_now) == 412
