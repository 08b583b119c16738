"""The enrich stage: one ingested revision in, one enriched revision out, never backwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsroom_shared import streams
from newsroom_shared.commit import Commit, Guard, xadd_op
from newsroom_shared.consumer import Delivery, Outcome
from newsroom_shared.envelope import decode_data, decode_envelope, encode, make_envelope

from newsroom_enrich.contracts import DATASCHEMA, EVENT_TYPE, STAGE, ArticleEnriched, IngestedView
from newsroom_enrich.enrichment import Enricher


def enrich_article(
    enricher: Enricher, article_id: str, revision: int, view: IngestedView, now: datetime
) -> ArticleEnriched:
    result = enricher.enrich(
        headline=view.headline,
        standfirst=view.standfirst,
        body_text=view.body_text,
        language_hint=view.language,
    )
    return ArticleEnriched(
        article_id=article_id,
        revision=revision,
        change_kind=view.change_kind,
        headline=view.headline,
        standfirst=view.standfirst,
        authors=view.authors,
        byline=view.byline,
        body_html=view.body_html,
        body_text=view.body_text,
        first_published_at=view.first_published_at,
        updated_at=view.updated_at,
        url=view.url,
        source=view.source,
        content_hash=view.content_hash,
        language=result.language,
        entities=result.entities,
        keywords=result.keywords,
        summary=result.summary,
        word_count=result.word_count,
        reading_time_minutes=result.reading_time_minutes,
        slug=result.slug,
        enriched_at=now,
    )


@dataclass
class EnrichHandler:
    enricher: Enricher | None
    stage: str = STAGE

    def step(self, d: Delivery) -> Commit:
        env = decode_envelope(d.fields)
        view = decode_data(d.fields, IngestedView)
        now = datetime.now(UTC)
        out_env = make_envelope(
            stage=STAGE,
            event_type=EVENT_TYPE,
            article_id=env.article_id,
            revision=env.revision,
            dataschema=DATASCHEMA,
            time=now,
        )
        if self.enricher is None:  # enrichment switched off (relay benchmark): forward as is
            data = ArticleEnriched(
                article_id=env.article_id,
                revision=env.revision,
                change_kind=view.change_kind,
                headline=view.headline,
                standfirst=view.standfirst,
                authors=view.authors,
                byline=view.byline,
                body_html=view.body_html,
                body_text=view.body_text,
                first_published_at=view.first_published_at,
                updated_at=view.updated_at,
                url=view.url,
                source=view.source,
                content_hash=view.content_hash,
                language=view.language or "und",
                entities=[],
                keywords=[],
                summary="",
                word_count=0,
                reading_time_minutes=1,
                slug=env.article_id.lower(),
                enriched_at=now,
            )
        else:
            data = enrich_article(self.enricher, env.article_id, env.revision, view, now)
        hw = streams.key("enrich", "seen", env.article_id)
        return Commit(
            guard=Guard(key=hw, field="revision", mode="gt", value=env.revision),
            applied_ops=[xadd_op(streams.ENRICHED, encode(out_env, data))],
            keys=[streams.ENRICHED],
        )

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        out: list[Outcome] = []
        for d in deliveries:
            try:
                out.append(self.step(d))
            except Exception as e:  # per-article outcome: routed to retry or dead letter, not dropped
                out.append(e)
        return out
