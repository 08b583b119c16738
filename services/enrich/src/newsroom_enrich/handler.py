"""The enrich stage: one ingested revision in, one enriched revision out, never backwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsroom_shared import streams
from newsroom_shared.commit import Commit, Guard, xadd_op
from newsroom_shared.consumer import Delivery, Outcome, each
from newsroom_shared.envelope import decode_data, decode_envelope, encode, make_envelope

from newsroom_enrich.contracts import DATASCHEMA, EVENT_TYPE, STAGE, ArticleEnriched, IngestedView
from newsroom_enrich.enrichers.slug import slugify
from newsroom_enrich.enrichment import Enricher, Enrichment


def enriched_event(
    article_id: str, revision: int, view: IngestedView, found: Enrichment, now: datetime
) -> ArticleEnriched:
    """The upstream article as enrich sees it, plus what enrich found (its language wins).

    Built without validating again (half the cost): the view was validated on the way in and the
    findings by `Enrichment`; `test_enriched_event_is_what_validation_would_build` keeps it honest.
    """
    return ArticleEnriched.model_construct(
        article_id=article_id,
        revision=revision,
        enriched_at=now,
        **{**view.__dict__, **found.__dict__},
    )


def unenriched(article_id: str, view: IngestedView) -> Enrichment:
    """Enrichment switched off (the relay benchmark): forward the article with empty findings."""
    return Enrichment.model_construct(
        language=view.language or "und",
        entities=[],
        keywords=[],
        summary="",
        word_count=0,
        reading_time_minutes=1,
        slug=slugify(article_id),  # ids may hold '.', '_' or ':' and run to 128 characters
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
        if self.enricher is None:
            found = unenriched(env.article_id, view)
        else:
            found = self.enricher.enrich(
                headline=view.headline,
                standfirst=view.standfirst,
                body_text=view.body_text,
                language_hint=view.language,
            )
        data = enriched_event(env.article_id, env.revision, view, found, now)
        hw = streams.key("enrich", "seen", env.article_id)
        return Commit(
            guard=Guard(key=hw, field="revision", mode="gt", value=env.revision),
            # forwarded even when older than the high-water mark (a revision overtaken by a newer
            # one on another replica): publish keeps it in the history and never makes it current,
            # and a repeated event has the same id, which publish records once
            always_ops=[xadd_op(streams.ENRICHED, encode(out_env, data))],
            keys=[streams.ENRICHED],
            log_context={
                "revision": env.revision,
                "event_id": out_env.id,
                "outcome": "enriched",
                "language": data.language,
            },
        )

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        return each(deliveries, self.step)
