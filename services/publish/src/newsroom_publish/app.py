"""Publish's HTTP API: current revision, history, HTML page, feed, and the log of changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from newsroom_shared.envelope import loads
from newsroom_shared.streams import MAX_ID_PART, entry_id_key
from pydantic import AfterValidator
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsroom_publish.contracts import PublishedArticle
from newsroom_publish.http_cache import CHANGES_CACHE_CONTROL, NOT_SERVED_CACHE_CONTROL, conditional_response
from newsroom_publish.pages import article_page, atom_feed, gone_page
from newsroom_publish.store import ArticleStore, Changes

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def get_and_head(app: FastAPI, path: str, **kwargs: Any) -> Callable[[Endpoint], Endpoint]:
    """FastAPI routes HEAD only when asked, and feed readers probe with it. The HEAD twin stays out
    of the OpenAPI schema, where it would repeat the GET's operation id; `allow_every_method`
    names both in a 405's Allow."""

    def register(endpoint: Endpoint) -> Endpoint:
        routed = app.get(path, **kwargs)(endpoint)
        app.head(path, include_in_schema=False)(endpoint)
        return routed

    return register


async def allow_every_method(request: Request, exc: Exception) -> Response:
    """A 405's Allow names the methods of every route on the path, not only those of the one route
    Starlette tried (which named GET or HEAD alone, as each is a route of its own here)."""
    assert isinstance(exc, StarletteHTTPException)
    tried = getattr(request.scope.get("route"), "path", None)
    if exc.status_code == 405 and tried is not None:
        methods = {
            method
            for route in request.app.router.routes
            if getattr(route, "path", None) == tried
            for method in getattr(route, "methods", None) or ()
        }
        headers = {**(exc.headers or {}), "Allow": ", ".join(sorted(methods))}
        exc = StarletteHTTPException(exc.status_code, exc.detail, headers=headers)
    return await http_exception_handler(request, exc)


NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def stream_id(value: str) -> str:
    """A cursor must be a stream id Redis accepts: ASCII digits, each part below 2^64."""
    digits = all(p.isascii() and p.isdigit() for p in value.split("-", 1))
    if not digits or max(entry_id_key(value)) > MAX_ID_PART:
        raise ValueError("must be a stream id: <milliseconds> or <milliseconds>-<sequence>")
    return value


def changes_response(found: Changes, after: str) -> JSONResponse:
    """The page of changes and the cursor to ask with next; 410 when some are gone unread."""
    if found.resume_after is not None:
        why = (
            f"cursor {after} is past the newest event: the log was reset, or the cursor is another server's"
            if found.ahead
            else f"events after {after} were removed from the published stream"
        )
        return JSONResponse(
            {
                "detail": f"{why}; fetch the articles you follow again, then continue from resume_after",
                "resume_after": found.resume_after,
            },
            status_code=410,
            headers={"Cache-Control": CHANGES_CACHE_CONTROL},
        )
    items = [
        {"cursor": entry_id, "event_id": fields.get("id"), **loads(fields["data"])}
        for entry_id, fields in found.entries
    ]
    return JSONResponse(
        {"changes": items, "next": found.entries[-1][0] if found.entries else after},
        headers={"Cache-Control": CHANGES_CACHE_CONTROL},
    )


def page_path(base_url: str, slug: str) -> str:
    """An article page's path under the public base URL's own path (a proxy may serve publish under
    one), without its host: behind ephemeral or internal ports the host a client used is right."""
    return f"{urlsplit(base_url).path.rstrip('/')}/articles/{slug}"


def not_found(article_id: str) -> JSONResponse:
    return JSONResponse(
        {"detail": f"article {article_id} not found"},
        status_code=404,
        headers={"Cache-Control": NOT_SERVED_CACHE_CONTROL},
    )


def gone(article_id: str, revision: int) -> JSONResponse:
    return JSONResponse(
        {"detail": f"article {article_id} was withdrawn", "revision": revision},
        status_code=410,
        headers={"Cache-Control": NOT_SERVED_CACHE_CONTROL},
    )


def create_app(store: ArticleStore, tz: ZoneInfo, base_url: str) -> FastAPI:
    app = FastAPI(title="Newsroom Streams · publish", version="1")
    app.add_exception_handler(StarletteHTTPException, allow_every_method)
    add_api_routes(app, store)

    @get_and_head(app, "/articles/{slug}", response_class=HTMLResponse)
    async def get_page(slug: str, request: Request) -> Response:
        article_id = await store.by_slug(slug)
        current = await store.current(article_id) if article_id else None
        unserved = {"Cache-Control": NOT_SERVED_CACHE_CONTROL}
        if current is None:
            return HTMLResponse(
                "<!doctype html><title>Not found</title><h1>Not found</h1>", 404, headers=unserved
            )
        if current.withdrawn:
            return HTMLResponse(gone_page(current.doc.headline), status_code=410, headers=unserved)
        if current.doc.slug != slug:  # the headline was corrected: old links still lead here
            # a later correction may move the page again (or back): caches must not keep this for good
            return RedirectResponse(
                page_path(base_url, current.doc.slug), status_code=301, headers={"Cache-Control": "no-cache"}
            )
        body = article_page(current.doc, tz).encode()
        return conditional_response(request.headers, body, "text/html", current.doc.published_at)

    add_feed_routes(app, store, base_url)
    return app


def add_api_routes(app: FastAPI, store: ArticleStore) -> None:
    """An article as JSON: its current revision, and its history."""

    @get_and_head(app, "/v1/articles/{article_id}", response_model=PublishedArticle)
    async def get_article(article_id: str, request: Request) -> Response:
        current = await store.current(article_id)
        if current is None:
            return not_found(article_id)
        if current.withdrawn:
            return gone(article_id, current.doc.revision)
        body = current.doc.model_dump_json().encode()
        return conditional_response(request.headers, body, "application/json", current.doc.published_at)

    @get_and_head(app, "/v1/articles/{article_id}/revisions", response_model=list[PublishedArticle])
    async def get_revisions(article_id: str, request: Request) -> Response:
        history = await store.history(article_id)
        docs = history.docs
        if not docs:
            return not_found(article_id)
        if history.withdrawn:  # what was withdrawn is not served from its history either
            return gone(article_id, history.current_revision)
        body = ("[" + ",".join(d.model_dump_json() for d in docs) + "]").encode()
        # the latest time, not the highest revision's: a late older revision still joins the history
        changed = max(d.published_at for d in docs)
        return conditional_response(request.headers, body, "application/json", changed)


def add_feed_routes(app: FastAPI, store: ArticleStore, base_url: str) -> None:
    """What aggregators poll: the Atom feed of the latest articles, and the complete log of changes."""

    @get_and_head(app, "/feeds/latest.atom")
    async def feed(request: Request) -> Response:
        # the time first: entries read after it are at least that new, so a later change always
        # carries a later Last-Modified and a reader polling by date never misses it
        changed = await store.feed_changed()
        docs = await store.latest()
        updated = changed or NEVER  # nothing was ever published: a stable body, so 304s work
        body = atom_feed(docs, f"{base_url}/feeds/latest.atom", updated).encode()
        return conditional_response(request.headers, body, "application/atom+xml", changed)

    @get_and_head(app, "/v1/changes")
    async def get_changes(
        after: Annotated[str, Query(max_length=41), AfterValidator(stream_id)] = "0-0",
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        """Every published revision and withdrawal after `after`, oldest first, from the published
        stream: an aggregator that keeps `next` misses nothing, unlike one polling the feed's latest 50."""
        return changes_response(await store.changes(after, limit), after)
