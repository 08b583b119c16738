"""The publish stage: an enriched revision becomes the current one if it is newer."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
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

SLUG_SUFFIX_DIGITS = (6, 12, 64)
"""Hex digits of the article id's hash that tell apart articles with one headline: short first,
longer only when another article already holds the shorter one (6 digits meet by chance within a
few thousand articles of one recurring headline), the whole hash last."""


def slug_candidates(slug: str, article_id: str) -> list[str]:
    """The slugs an article may take, in order: always the same for one article and headline."""
    digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()
    return [slug, *(f"{slug}-{digest[:n]}" for n in SLUG_SUFFIX_DIGITS)]


def unique_slug(slug: str, article_id: str, owners: Mapping[str, str | None]) -> str:
    """Two articles with one headline still get distinct pages: the first candidate nobody else holds.

    `owners` maps slugs to the article holding them; a candidate missing from it counts as free, and
    if another article holds it after all, the commit's claim fails and the article is decided again
    with that candidate's owner read.
    """
    candidates = slug_candidates(slug, article_id)
    return next((c for c in candidates if owners.get(c) in (None, article_id)), candidates[-1])


def assign_slugs(wanted: Sequence[tuple[str, str]], owners: dict[str, str | None]) -> list[str]:
    """Each (headline slug, article id) of a batch, in order, gets its page's slug; one taken by an
    earlier article of the batch counts as held (`owners` is updated)."""
    out = []
    for slug, article_id in wanted:
        chosen = unique_slug(slug, article_id, owners)
        if owners.get(chosen) is None:
            owners[chosen] = article_id
        out.append(chosen)
    return out


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
        body_text=view.body_text,
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
        items = [item for item in decoded if not isinstance(item, Exception)]
        owners = await self._slug_owners(items)
        slugs = iter(assign_slugs([(view.slug, env.article_id) for env, view in items], owners))
        now = datetime.now(UTC)
        out: list[Outcome] = []
        for item in decoded:
            if isinstance(item, Exception):
                out.append(item)
                continue
            env, view = item
            slug = next(slugs)
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

    async def _slug_owners(self, items: Sequence[tuple[Envelope, EnrichedView]]) -> dict[str, str | None]:
        """Who holds each headline's slug; for an article that cannot have its headline's own slug
        (another article holds it, here or in this batch), who holds its longer candidates too.
        A second read only when headlines meet, which is rare."""
        owners = dict(await self.store.slug_owners(sorted({view.slug for _, view in items})))
        first_in_batch: dict[str, str] = {}
        contested: set[str] = set()
        for env, view in items:
            first = first_in_batch.setdefault(view.slug, env.article_id)
            if owners.get(view.slug) not in (None, env.article_id) or first != env.article_id:
                contested.update(slug_candidates(view.slug, env.article_id)[1:])
        if contested:
            owners.update(await self.store.slug_owners(sorted(contested)))
        return owners
