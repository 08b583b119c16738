"""Each consumer accepts what its producer emits, and notices when a field it needs goes missing.

Examples are generated from the producer's own pydantic models (polyfactory, seeded), not picked by
hand, serialised as the producer would put them on the stream, then validated by the consumer's
tolerant model.
"""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from newsroom_enrich.contracts import ArticleEnriched, IngestedView
from newsroom_enrich.enrichment import Mention
from newsroom_ingest.events import ArticleIngested
from newsroom_publish.contracts import MENTION_FIELDS, EnrichedView, PublishedArticle
from polyfactory import PostGenerated
from polyfactory.factories.pydantic_factory import ModelFactory
from pydantic import BaseModel, ValidationError

from tests.contract.export_schemas import SCHEMA_DIR, SCHEMAS, render

PAIRS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (ArticleIngested, IngestedView),
    (ArticleEnriched, EnrichedView),
]


class MentionFactory(ModelFactory[Mention]):
    """Mentions must end after they start; polyfactory cannot guess a model validator."""

    __set_as_default_factory_for_type__ = True
    end = PostGenerated(lambda _name, values: values["start"] + 1 + len(values["field"]))


def producer_examples(producer: type[BaseModel], count: int) -> list[dict[str, Any]]:
    """Instances of the producer's model, as it would serialise them onto the stream."""
    factory = ModelFactory.create_factory(producer)
    factory.seed_random(20250124)
    return [json.loads(factory.build().model_dump_json()) for _ in range(count)]


def required_by(consumer: type[BaseModel]) -> list[str]:
    return [name for name, f in consumer.model_fields.items() if f.is_required()]


@pytest.mark.parametrize(("producer", "consumer"), PAIRS, ids=lambda m: m.__name__)
def test_consumer_accepts_every_event_its_producer_emits(
    producer: type[BaseModel], consumer: type[BaseModel]
) -> None:
    for example in producer_examples(producer, 50):
        consumer.model_validate_json(json.dumps(example))


@pytest.mark.parametrize(("producer", "consumer"), PAIRS, ids=lambda m: m.__name__)
def test_every_field_the_consumer_requires_is_one_the_producer_always_sends(
    producer: type[BaseModel], consumer: type[BaseModel]
) -> None:
    produced = {n for n, f in producer.model_fields.items() if f.is_required()}
    assert set(required_by(consumer)) <= produced


@pytest.mark.parametrize(("producer", "consumer"), PAIRS, ids=lambda m: m.__name__)
def test_removing_a_required_field_is_caught_by_the_consumer(
    producer: type[BaseModel], consumer: type[BaseModel]
) -> None:
    assert required_by(consumer), f"{consumer.__name__} requires nothing: the check would be empty"
    for example in producer_examples(producer, 5):
        for name in required_by(consumer):
            broken = {k: v for k, v in example.items() if k != name}
            with pytest.raises(ValidationError) as caught:
                consumer.model_validate_json(json.dumps(broken))
            assert name in str(caught.value)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_file_is_current(name: str) -> None:
    path = SCHEMA_DIR / name
    assert path.exists(), f"schemas/{name} missing: run `make schemas`"
    assert path.read_text(encoding="utf-8") == render(SCHEMAS[name]), (
        f"schemas/{name} is stale: run `make schemas` and commit it"
    )


def test_publish_serves_every_field_an_entity_mention_can_name() -> None:
    """A mention's offsets index the text of the field it names, as enrich sent it: publish must
    read that field from enrich's event and serve it."""
    named = get_args(Mention.model_fields["field"].annotation)
    assert named and set(named) == set(MENTION_FIELDS)
    for name in named:
        field = MENTION_FIELDS[name]
        assert field in ArticleEnriched.model_fields, name
        assert field in EnrichedView.model_fields, name
        assert field in PublishedArticle.model_fields, name
