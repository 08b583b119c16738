"""Each consumer accepts what its producer emits, and notices when a field it needs goes missing.

Examples are generated from the producer's own JSON Schema (hypothesis-jsonschema), not picked by
hand, then validated by the consumer's tolerant model.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from newsroom_enrich.contracts import ArticleEnriched, IngestedView
from newsroom_ingest.events import ArticleIngested
from newsroom_publish.contracts import EnrichedView
from pydantic import BaseModel, ValidationError

from tests.contract.export_schemas import SCHEMA_DIR, SCHEMAS, render

PAIRS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (ArticleIngested, IngestedView),
    (ArticleEnriched, EnrichedView),
]


def producer_examples(producer: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Instances of the producer's model, as it would serialise them onto the stream."""
    schema = producer.model_json_schema(mode="serialization")
    return (
        from_schema(schema)
        .filter(lambda d: _valid(producer, d))
        .map(lambda d: json.loads(producer.model_validate(d).model_dump_json()))
    )


def _valid(model: type[BaseModel], data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


def required_by(consumer: type[BaseModel]) -> list[str]:
    return [name for name, f in consumer.model_fields.items() if f.is_required()]


@pytest.mark.parametrize(("producer", "consumer"), PAIRS, ids=lambda m: m.__name__)
def test_consumer_accepts_every_event_its_producer_emits(
    producer: type[BaseModel], consumer: type[BaseModel]
) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(producer_examples(producer))
    def check(example: dict[str, Any]) -> None:
        consumer.model_validate_json(json.dumps(example))

    check()


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
    @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
    @given(producer_examples(producer))
    def check(example: dict[str, Any]) -> None:
        for name in required_by(consumer):
            broken = {k: v for k, v in example.items() if k != name}
            with pytest.raises(ValidationError) as caught:
                consumer.model_validate_json(json.dumps(broken))
            assert name in str(caught.value)

    assert required_by(consumer), f"{consumer.__name__} requires nothing: the check would be empty"
    check()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_file_is_current(name: str) -> None:
    path = SCHEMA_DIR / name
    assert path.exists(), f"schemas/{name} missing: run `make schemas`"
    assert path.read_text(encoding="utf-8") == render(SCHEMAS[name]), (
        f"schemas/{name} is stale: run `make schemas` and commit it"
    )
