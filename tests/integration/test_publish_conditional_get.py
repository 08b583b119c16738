"""A feed reader polling publish over real HTTP: 304 while nothing changed, 200 once it has."""

from __future__ import annotations

import json
import time

import httpx
from newsroom_publish.http_cache import UNSETTLED_S, parse_http_date
from newsroom_shared.processes import Stack
from newsroom_shared.testing import wait_for

from tests.integration.test_chain import submit, wait_published

BODY = (
    "The overnight ferry to the outer islands resumes sailing on the first of June.\n\n"
    "The operator said two cabins on each crossing would be kept for island residents."
)
ARTICLE = {
    "article_id": "ferry-desk-114",
    "source": "coastal-courier",
    "headline": "Night Ferry to the Outer Islands Returns for Summer",
    "authors": ["Ingrid Solberg"],
    "body_text": BODY,
    "first_published_at": "2025-05-20T06:30:00Z",
}
REVISED = {
    **ARTICLE,
    "change_kind": "update",
    "updated_at": "2025-05-21T11:05:00Z",
    "body_text": BODY + "\n\nTickets go on sale on Monday at the harbour office.",
}


def test_polling_gets_304_until_a_new_revision_changes_the_etag(stack: Stack) -> None:
    api = stack.first("publish").url
    assert submit(stack, json.dumps(ARTICLE).encode(), path="/v1/articles").status_code == 202
    doc = wait_published(stack, "ferry-desk-114", 1)
    time.sleep(UNSETTLED_S + 0.1)  # a change is dated once it has settled (a date is weak before)
    urls = {
        "article": f"{api}/v1/articles/ferry-desk-114",
        "revisions": f"{api}/v1/articles/ferry-desk-114/revisions",
        "page": f"{api}/articles/{doc['slug']}",
        "feed": f"{api}/feeds/latest.atom",
    }
    with httpx.Client(timeout=5) as client:
        first = {name: client.get(url) for name, url in urls.items()}
        for name, r in first.items():
            assert r.status_code == 200 and r.content, name
            assert r.headers["etag"].startswith('"'), name
            assert r.headers["cache-control"] == "public, no-cache", name
            assert r.headers["last-modified"].endswith(" GMT"), name

        for name, url in urls.items():
            tag, last_modified = first[name].headers["etag"], first[name].headers["last-modified"]
            again = client.get(url, headers={"If-None-Match": tag})
            assert again.status_code == 304 and again.content == b"", name
            assert again.headers["etag"] == tag and again.headers["last-modified"] == last_modified, name
            assert client.get(url, headers={"If-None-Match": f'"stale", W/{tag}'}).status_code == 304
            assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
            head = client.head(url, headers={"If-None-Match": '"stale"'})
            assert head.status_code == 200 and head.headers["etag"] == tag, name
            assert int(head.headers["content-length"]) == len(first[name].content), name
            assert client.get(url, headers={"If-Match": tag}).status_code == 200, name
            changed = client.get(url, headers={"If-Match": '"stale"', "If-None-Match": tag})
            assert changed.status_code == 412 and changed.content == b"", name  # If-Match goes first
            since = client.get(url, headers={"If-Unmodified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
            assert since.status_code == 412, name

        assert submit(stack, json.dumps(REVISED).encode(), path="/v1/articles").json()["revision"] == 2
        wait_published(stack, "ferry-desk-114", 2)
        for name, url in urls.items():
            tag = first[name].headers["etag"]
            revised = client.get(url, headers={"If-None-Match": tag})  # one commit moved them all
            assert revised.status_code == 200, name
            assert revised.headers["etag"] != tag, name
            assert "Tickets go on sale on Monday" in revised.text or name == "feed", name
            assert client.get(url, headers={"If-None-Match": revised.headers["etag"]}).status_code == 304


def test_a_withdrawal_moves_the_feed_for_readers_polling_by_date(stack: Stack) -> None:
    api = stack.first("publish").url
    other = {**ARTICLE, "article_id": "ferry-desk-115", "headline": "Harbour Office Extends Opening Hours"}
    for doc in (ARTICLE, other):
        assert submit(stack, json.dumps(doc).encode(), path="/v1/articles").status_code == 202
    wait_published(stack, "ferry-desk-114", 1)
    wait_published(stack, "ferry-desk-115", 1)
    time.sleep(UNSETTLED_S + 0.1)  # a change is dated once it has settled
    with httpx.Client(timeout=5) as client:
        before = client.get(f"{api}/feeds/latest.atom")
        assert before.text.count("<entry>") == 2
        since = before.headers["last-modified"]
        withdrawal = {
            **ARTICLE,
            "change_kind": "withdrawal",
            "body_text": "Withdrawn at the source's request.",
        }
        assert submit(stack, json.dumps(withdrawal).encode(), path="/v1/articles").json()["revision"] == 2

        def gone() -> httpx.Response | None:
            r = client.get(f"{api}/feeds/latest.atom", headers={"If-Modified-Since": since})
            return r if r.status_code == 200 else None

        after = wait_for(gone, timeout=20, message="the feed to change by date")
        assert after.text.count("<entry>") == 1 and "ferry-desk-115" in after.text
        time.sleep(UNSETTLED_S + 0.1)
        dated = client.get(f"{api}/feeds/latest.atom", headers={"If-Modified-Since": since})
        assert dated.status_code == 200
        moved, was = parse_http_date(dated.headers["last-modified"]), parse_http_date(since)
        assert moved is not None and was is not None and moved > was


def test_an_empty_feed_is_stable_so_polling_it_gets_304(stack: Stack) -> None:
    feed = f"{stack.first('publish').url}/feeds/latest.atom"
    first, second = httpx.get(feed, timeout=5), httpx.get(feed, timeout=5)
    assert first.status_code == 200 and first.headers["etag"] == second.headers["etag"]
    assert httpx.get(feed, headers={"If-None-Match": first.headers["etag"]}, timeout=5).status_code == 304
