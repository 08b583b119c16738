"""When a reader of `/v1/changes` has missed events, decided from XINFO STREAM alone."""

from __future__ import annotations

from typing import Any

import pytest
from newsroom_publish.app import changes_response, stream_id
from newsroom_publish.store import Changes, missed_after


def info(
    length: int, added: int, first: str = "0-0", deleted: str = "0-0", last: str = "0-0"
) -> dict[str, Any]:
    return {
        "length": length,
        "entries-added": added,
        "recorded-first-entry-id": first,
        "max-deleted-entry-id": deleted,
        "last-generated-id": last,
    }


def test_nothing_removed_means_nothing_missed() -> None:
    assert missed_after("100-3", info(10, 10, first="90-0")) is None


def test_a_cursor_before_the_trimmed_part_must_resume_after_it() -> None:
    assert missed_after("100-3", info(5, 10, first="200-0")) == "199-18446744073709551615"
    assert missed_after("100-3", info(5, 10, first="200-4")) == "200-3"


def test_a_cursor_at_or_past_the_trim_point_missed_nothing() -> None:
    assert missed_after("200-3", info(5, 10, first="200-4")) is None
    assert missed_after("300-0", info(5, 10, first="200-4")) is None


def test_a_deletion_after_the_cursor_is_a_miss_even_without_trimming() -> None:
    assert missed_after("100-0", info(9, 10, first="50-0", deleted="150-0")) == "150-0"


def test_a_fully_trimmed_stream_resumes_after_its_last_id() -> None:
    assert missed_after("100-0", info(0, 10, last="400-1")) == "400-1"


def test_reading_from_the_start_never_misses() -> None:
    assert missed_after("0-0", info(5, 10, first="200-0")) is None


def test_a_miss_is_a_410_with_the_cursor_to_resume_after() -> None:
    r = changes_response(Changes([], "150-0"), "100-0")
    assert r.status_code == 410 and b'"resume_after":"150-0"' in r.body


def test_a_page_carries_each_events_cursor_and_the_next_one() -> None:
    page = Changes([("5-0", {"id": "e1", "data": '{"article_id":"a","revision":2}'})], None)
    assert changes_response(page, "1-0").body == (
        b'{"changes":[{"cursor":"5-0","event_id":"e1","article_id":"a","revision":2}],"next":"5-0"}'
    )
    assert changes_response(Changes([], None), "7-0").body == b'{"changes":[],"next":"7-0"}'


@pytest.mark.parametrize(
    "cursor", ["\uff11\uff12", "18446744073709551616", "1-18446744073709551616", "1-", "-1", "abc", "1-2-3"]
)
def test_a_cursor_redis_would_refuse_is_refused_by_name(cursor: str) -> None:
    with pytest.raises(ValueError, match="stream id"):
        stream_id(cursor)


def test_the_largest_stream_ids_are_cursors() -> None:
    assert (
        stream_id("18446744073709551615-18446744073709551615") == "18446744073709551615-18446744073709551615"
    )
    assert stream_id("0") == "0"


def test_a_cursor_past_the_newest_event_is_a_410_to_start_over() -> None:
    r = changes_response(Changes([], "0-0", ahead=True), "900-0")
    assert r.status_code == 410 and b"past the newest event" in r.body and b'"resume_after":"0-0"' in r.body
