"""The publish stage: an enriched revision becomes the current one if it is newer."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsroom_shared.consumer import Delivery, Outcome, each
from newsroom_shared.envelope import Envelope, decode_data, decode_envelope, make_envelope

from newsroom_publish.contracts import (
    DATASCHEMA,
    EVENT_TYPE,
    STAGE,
    ArticlePublished,
    EnrichedView,
    PublishedArticle,
)
from newsroom_publish.store import ArticleStore, publish_step


def unique_slug(slug: str, article_id: str, owner: str | None) -> str:
    """Two articles with one headline still get distinct pages."""
    if owner is None or owner == article_id:
        return slug
    return f"{slug}-{hashlib.sha256(article_id.encode()).hexdigest()[:6]}"


def to_document(
    env: Envelope, view: EnrichedView, slug: str, base_url: str, now: datetime
) -> PublishedArticle:
    """Built without validating again: every field comes from the validated view and envelope."""
    return PublishedArticle.model_construct(
        article_id=env.article_id,
        revision=env.revision,
        change_kind=view.change_kind,
        headline=view.headline,
        standfirst=view.standfirst,
        byline=view.byline,
        authors=view.authors,
        body_html=view.body_html,
        first_published_at=view.first_published_at,
        updated_at=view.updated_at,
        language=view.language,
        entities=view.entities,
        keywords=view.keywords,
        summary=view.summary,
        word_count=view.word_count,
        reading_time_minutes=view.reading_time_minutes,
        slug=slug,
        url=f"{base_url}/articles/{slug}",
        source_url=view.url,
        published_at=now,
    )


def announcement(doc: PublishedArticle, base_url: str) -> ArticlePublished:
    return ArticlePublished(
        article_id=doc.article_id,
        revision=doc.revision,
        change_kind=doc.change_kind,
        headline=doc.headline,
        slug=doc.slug,
        url=doc.url,
        api_url=f"{base_url}/v1/articles/{doc.article_id}",
        first_published_at=doc.first_published_at,
        updated_at=doc.updated_at,
        published_at=doc.published_at,
        withdrawn=doc.change_kind == "withdrawal",
    )


@dataclass
class PublishHandler:
    store: ArticleStore
    base_url: str
    stage: str = STAGE

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        decoded = each(deliveries, lambda d: (decode_envelope(d.fields), decode_data(d.fields, EnrichedView)))
        slugs = {item[1].slug for item in decoded if not isinstance(item, Exception)}
        owners = await self.store.slug_owners(sorted(slugs))
        now = datetime.now(UTC)
        out: list[Outcome] = []
        for item in decoded:
            if isinstance(item, Exception):
                out.append(item)
                continue
            env, view = item
            slug = unique_slug(view.slug, env.article_id, owners.get(view.slug))
            owners.setdefault(slug, env.article_id)  # a later article of this batch with one headline
            doc = to_document(env, view, slug, self.base_url, now)
            out_env = make_envelope(
                stage=STAGE,
                event_type=EVENT_TYPE,
                article_id=env.article_id,
                revision=env.revision,
                dataschema=DATASCHEMA,
                time=now,
            )
            out.append(publish_step(doc, out_env, announcement(doc, self.base_url)))
        return out
