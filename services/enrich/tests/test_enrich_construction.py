"""The enricher builds its result models without pydantic's `model_construct`: both must agree."""

from __future__ import annotations

from newsroom_enrich.enrichers.domain import FoundEntity, MentionSpan
from newsroom_enrich.enrichment import Enricher, Entity, Mention, _entity


def _constructed(found: FoundEntity) -> Entity:
    """What `_entity` built before it was made faster: pydantic's own `model_construct`."""
    mentions = [
        Mention.model_construct(field=m.field, start=m.start, end=m.end) for m in sorted(found.mentions)
    ]
    return Entity.model_construct(
        name=found.name, type=found.type, country_code=found.country_code, mentions=mentions
    )


def _internals(model: Mention | Entity) -> tuple[object, ...]:
    return (
        type(model),
        model.__dict__,
        model.model_fields_set,
        model.__pydantic_extra__,
        model.__pydantic_private__,
    )


def test_entity_is_built_as_model_construct_builds_it() -> None:
    spans = {MentionSpan(2, 40, 46), MentionSpan(0, 0, 6), MentionSpan(2, 3, 9), MentionSpan(1, 12, 18)}
    for found in (
        FoundEntity("Kazakhstan", "place", "KZ", set(spans)),
        FoundEntity("Amara Okafor", "person", None, {MentionSpan(2, 100, 112)}),
    ):
        fast, reference = _entity(found), _constructed(found)
        assert fast == reference
        assert _internals(fast) == _internals(reference)
        assert [_internals(m) for m in fast.mentions] == [_internals(m) for m in reference.mentions]
        assert fast.model_dump() == reference.model_dump()
        assert fast.model_dump_json() == reference.model_dump_json()


def test_built_models_behave_like_constructed_ones() -> None:
    entity = _entity(FoundEntity("NATO", "organisation", None, {MentionSpan(2, 5, 9)}))
    copy = entity.model_copy(update={"name": "North Atlantic Treaty Organization"})
    assert copy.name == "North Atlantic Treaty Organization"
    assert entity.name == "NATO"
    assert entity.mentions[0].model_fields_set == {"field", "start", "end"}
    assert Mention.model_validate(entity.mentions[0].model_dump()) == entity.mentions[0]


def test_timings_name_every_enricher_and_leave_the_result_unchanged(enricher: Enricher) -> None:
    text = "Mayor Ilse Brandt of Rotterdam met officials from Antwerp.\n\nThe port talks resume in May."
    timings: dict[str, float] = {}
    timed = enricher.enrich(headline="Port talks resume", standfirst=None, body_text=text, timings=timings)
    assert timed == enricher.enrich(headline="Port talks resume", standfirst=None, body_text=text)
    assert {"entities", "keywords", "summary", "slug", "result model"} <= set(timings)
    assert all(seconds >= 0 for seconds in timings.values())
