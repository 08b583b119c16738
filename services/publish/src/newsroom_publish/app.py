"""Publish's HTTP API: current revision, history, HTML page, feed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from newsroom_publish.contracts import PublishedArticle
from newsroom_publish.pages import article_page, atom_feed, gone_page
from newsroom_publish.store import ArticleStore


def create_app(store: ArticleStore, tz: ZoneInfo, base_url: str) -> FastAPI:
    app = FastAPI(title="Newsroom Streams · publish", version="1")

    def not_found(article_id: str) -> JSONResponse:
        return JSONResponse({"detail": f"article {article_id} not found"}, status_code=404)

    @app.get("/v1/articles/{article_id}", response_model=PublishedArticle)
    async def get_article(article_id: str) -> Response:
        current = await store.current(article_id)
        if current is None:
            return not_found(article_id)
        if current.withdrawn:
            return JSONResponse(
                {"detail": f"article {article_id} was withdrawn", "revision": current.doc.revision},
                status_code=410,
            )
        return Response(current.doc.model_dump_json(), media_type="application/json")

    @app.get("/v1/articles/{article_id}/revisions", response_model=list[PublishedArticle])
    async def get_revisions(article_id: str) -> Response:
        docs = await store.history(article_id)
        if not docs:
            return not_found(article_id)
        body = "[" + ",".join(d.model_dump_json() for d in docs) + "]"
        return Response(body, media_type="application/json")

    @app.get("/articles/{slug}", response_class=HTMLResponse)
    async def get_page(slug: str) -> Response:
        article_id = await store.by_slug(slug)
        current = await store.current(article_id) if article_id else None
        if current is None:
            return HTMLResponse("<!doctype html><title>Not found</title><h1>Not found</h1>", 404)
        if current.withdrawn:
            return HTMLResponse(gone_page(current.doc.headline), status_code=410)
        if current.doc.slug != slug:  # the headline was corrected: old links still lead here
            return RedirectResponse(f"/articles/{current.doc.slug}", status_code=301)
        return HTMLResponse(article_page(current.doc, tz))

    @app.get("/feeds/latest.atom")
    async def feed() -> Response:
        docs = await store.latest()
        return Response(
            atom_feed(docs, f"{base_url}/feeds/latest.atom", datetime.now(UTC)),
            media_type="application/atom+xml",
        )

    return app
