"""Publish's HTTP answers over an in-memory store: cache headers, methods, preconditions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from newsroom_publish.app import create_app
from newsroom_publish.contracts import PublishedArticle
from newsroom_publish.store import Changes, Current, History

PUBLISHED = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)


def article(article_id: str, slug: str, revision: int = 1) -> PublishedArticle:
    return PublishedArticle.model_validate(
        {
            "article_id": article_id,
            "revision": revision,
            "change_kind": "new" if revision == 1 else "withdrawal",
            "headline": "Harbour Wall Repaired",
            "standfirst": None,
            "byline": "By Ana Lima",
            "authors": ["Ana Lima"],
            "body_html": "<p>Done.</p>",
            "body_text": "Done.",
            "first_published_at": PUBLISHED,
            "updated_at": None,
            "language": "en",
            "entities": [],
            "keywords": [],
            "summary": "Done.",
            "word_count": 1,
            "reading_time_minutes": 1,
            "slug": slug,
            "url": f"http://x/articles/{slug}",
            "source_url": None,
            "published_at": PUBLISHED,
        }
    )


class MemoryStore:
    """The reads `create_app` makes, over two articles: `live` is served, `pulled` was withdrawn."""

    def __init__(self) -> None:
        self.docs = {
            "live": Current(article("live", "harbour-wall"), withdrawn=False),
            "pulled": Current(article("pulled", "pulled-story", revision=2), withdrawn=True),
        }

    async def current(self, article_id: str) -> Current | None:
        return self.docs.get(article_id)

    async def history(self, article_id: str) -> History:
        found = self.docs.get(article_id)
        if found is None:
            return History([], 0, withdrawn=False)
        return History([found.doc], found.doc.revision, found.withdrawn)

    async def by_slug(self, slug: str) -> str | None:
        return next((aid for aid, c in self.docs.items() if c.doc.slug == slug), None)

    async def feed_changed(self) -> datetime | None:
        return PUBLISHED

    async def latest(self, limit: int = 50) -> list[PublishedArticle]:
        return [c.doc for c in self.docs.values() if not c.withdrawn][:limit]

    async def changes(self, after: str, limit: int) -> Changes:
        if after == "1-0":
            return Changes([], "5-0")  # events after this cursor were trimmed
        return Changes([], None)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(MemoryStore(), ZoneInfo("UTC"), "http://news.example")  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/articles/missing", 404),
        ("/v1/articles/missing/revisions", 404),
        ("/articles/no-such-page", 404),
        ("/v1/articles/pulled", 410),
        ("/v1/articles/pulled/revisions", 410),
        ("/articles/pulled-story", 410),
    ],
)
async def test_404_and_410_answers_tell_caches_to_revalidate_so_a_later_revision_is_seen(
    client: httpx.AsyncClient, path: str, status: int
) -> None:
    for method in ("GET", "HEAD"):
        r = await client.request(method, path)
        assert r.status_code == status, (method, path)
        assert r.headers["cache-control"] == "no-cache", (method, path)


@pytest.mark.parametrize(("after", "status"), [("0-0", 200), ("1-0", 410)])
async def test_changes_pages_are_never_stored_so_a_cached_page_cannot_hide_events(
    client: httpx.AsyncClient, after: str, status: int
) -> None:
    r = await client.get("/v1/changes", params={"after": after})
    assert r.status_code == status
    assert r.headers["cache-control"] == "no-store"


GET_ENDPOINTS = [
    "/v1/articles/live",
    "/v1/articles/live/revisions",
    "/articles/harbour-wall",
    "/feeds/latest.atom",
    "/v1/changes",
]


@pytest.mark.parametrize("path", GET_ENDPOINTS)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_a_405_allows_both_get_and_head(client: httpx.AsyncClient, path: str, method: str) -> None:
    r = await client.request(method, path)
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", [*GET_ENDPOINTS, "/v1/articles/missing", "/articles/pulled-story"])
async def test_every_get_endpoint_answers_head_with_its_headers_and_no_body(
    client: httpx.AsyncClient, path: str
) -> None:
    got, head = await client.get(path), await client.head(path)
    assert head.status_code == got.status_code and head.content == b""
    assert {k: v for k, v in head.headers.items() if k != "date"} == {
        k: v for k, v in got.headers.items() if k != "date"
    }


def test_the_openapi_schema_names_each_endpoint_once_as_a_get() -> None:
    app = create_app(MemoryStore(), ZoneInfo("UTC"), "http://news.example")  # type: ignore[arg-type]
    paths = app.openapi()["paths"]
    assert set(paths) == {
        "/v1/articles/{article_id}",
        "/v1/articles/{article_id}/revisions",
        "/articles/{slug}",
        "/feeds/latest.atom",
        "/v1/changes",
    }
    assert all(list(operations) == ["get"] for operations in paths.values())
