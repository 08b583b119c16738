"""The enrich step as the consumer runs it: one ingested entry in, one guarded enriched event out."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from newsroom_enrich.contracts import ArticleEnriched, IngestedView
from newsroom_enrich.enrichment import Enricher
from newsroom_enrich.handler import EnrichHandler, enriched_event, unenriched
from newsroom_shared.consumer import Delivery
from newsroom_shared.envelope import encode, event_id, make_envelope
from newsroom_shared.errors import PermanentError
from pydantic import BaseModel, ConfigDict

INGESTED = {
    "change_kind": "update",
    "headline": "Ferry operators in Bergen agree winter timetable",
    "standfirst": "Three companies will share the night crossings.",
    "authors": ["Kari Holm"],
    "byline": "By Kari Holm",
    "body_html": "<p>Operators met in Bergen on Tuesday.</p>",
    "body_text": "Operators met in Bergen on Tuesday.\n\nThe mayor, Ola Berg, welcomed the deal.",
    "first_published_at": "2026-03-02T08:00:00+01:00",
    "updated_at": "2026-03-03T09:30:00Z",
    "language": "en",
    "url": "https://news.example/bergen-ferries",
    "source": "coast-desk",
    "content_hash": "sha256:0f",
    "an_upstream_field_enrich_ignores": 42,
}


class _Data(BaseModel):
    """Stands in for ingest's payload: enrich only ever sees the JSON it writes."""

    model_config = ConfigDict(extra="allow")


def delivery(revision: int = 2, **changes: object) -> Delivery:
    env = make_envelope(
        stage="ingest",
        event_type="org.newsroom.article.ingested.v1",
        article_id="coast-desk-17",
        revision=revision,
        dataschema="https://schemas.newsroom.example/article-ingested/v1.json",
    )
    return Delivery("newsroom.articles.ingested.v1", "1-0", encode(env, _Data(**{**INGESTED, **changes})), 1)


@pytest.mark.parametrize("enabled", [True, False], ids=["enriched", "enrichment-off"])
def test_enriched_event_is_what_validation_would_build(enricher: Enricher, enabled: bool) -> None:
    view = IngestedView.model_validate(INGESTED)
    found = (
        enricher.enrich(headline=view.headline, standfirst=view.standfirst, body_text=view.body_text)
        if enabled
        else unenriched("coast-desk-17", view)
    )
    built = enriched_event("coast-desk-17", 2, view, found, datetime(2026, 3, 3, 10, tzinfo=UTC))
    validated = ArticleEnriched.model_validate(built.model_dump())
    assert validated.model_dump_json() == built.model_dump_json()
    assert set(built.model_fields_set) == set(ArticleEnriched.model_fields)


def test_enrichment_off_emits_a_valid_slug_for_any_article_id() -> None:
    view = IngestedView.model_validate(INGESTED)
    aid = "urn:newsml:harbour.example:20250303:Ferry_Service_" + "x" * 80  # ':', '.', '_', 128 chars
    built = enriched_event(aid, 1, view, unenriched(aid, view), datetime(2026, 3, 3, 10, tzinfo=UTC))
    assert ArticleEnriched.model_validate(built.model_dump()).slug.startswith("urn-newsml-harbour-example")


def test_step_emits_one_event_with_a_deterministic_id_even_when_older_than_the_high_water_mark(
    enricher: Enricher,
) -> None:
    commit = EnrichHandler(enricher).step(delivery(revision=2))
    assert commit.guard is not None
    assert (commit.guard.mode, commit.guard.value) == ("gt", 2)
    assert not commit.applied_ops  # the event goes out whatever the guard says: publish keeps history
    (op,) = commit.always_ops
    flat = [str(a) for a in op[op.index("*") + 1 :]]
    fields = dict(zip(flat[::2], flat[1::2], strict=True))
    assert fields["id"] == event_id("enrich", "coast-desk-17", 2)
    assert (fields["article_id"], fields["revision"]) == ("coast-desk-17", "2")
    data = ArticleEnriched.model_validate_json(fields["data"])
    assert data.headline == INGESTED["headline"]
    assert "Bergen" in {e.name for e in data.entities}
    assert "an_upstream_field_enrich_ignores" not in orjson.loads(fields["data"])


def test_an_invalid_event_is_a_permanent_error_naming_the_field(enricher: Enricher) -> None:
    with pytest.raises(PermanentError, match="headline: String should have at least 1 character"):
        EnrichHandler(enricher).step(delivery(headline=""))
