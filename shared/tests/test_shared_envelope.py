"""Event ids and envelopes, without a server."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from newsroom_shared.envelope import (
    _ID_NAMESPACE,
    decode_data,
    decode_envelope,
    encode,
    event_id,
    make_envelope,
)
from newsroom_shared.errors import PermanentError
from pydantic import BaseModel


@given(st.sampled_from(["ingest", "enrich", "publish"]), st.text(min_size=1), st.integers(1, 10**9))
def test_event_id_is_uuid5(stage: str, article_id: str, revision: int) -> None:
    expected = uuid.uuid5(_ID_NAMESPACE, f"{stage}/{article_id}/{revision}")
    assert event_id(stage, article_id, revision) == str(expected)


def test_event_id_differs_by_stage_article_and_revision() -> None:
    ids = {event_id(s, a, r) for s in ("ingest", "enrich") for a in ("a", "b") for r in (1, 2)}
    assert len(ids) == 8


class _Payload(BaseModel):
    headline: str


def test_envelope_round_trips_through_entry_fields() -> None:
    env = make_envelope(stage="enrich", event_type="t.v1", article_id="a-1", revision=3, dataschema="s")
    fields = encode(env, _Payload(headline="h"))
    assert decode_envelope(fields) == env
    assert fields["id"] == event_id("enrich", "a-1", 3)


def test_an_envelope_without_a_revision_is_permanent_and_names_it() -> None:
    env = make_envelope(stage="enrich", event_type="t.v1", article_id="a-1", revision=3, dataschema="s")
    fields = encode(env, _Payload(headline="h"))
    del fields["revision"]
    with pytest.raises(PermanentError, match="revision: Field required"):
        decode_envelope(fields)


def test_event_data_that_is_not_utf8_is_permanent() -> None:
    """A producer's stray byte reaches us escaped (connection.py); it can never parse, so no retries."""
    env = make_envelope(stage="enrich", event_type="t.v1", article_id="a-1", revision=3, dataschema="s")
    fields = encode(env, _Payload(headline="h"))
    fields["data"] = b'{"headline": "caf\xe9"}'.decode("utf-8", "surrogateescape")
    with pytest.raises(PermanentError, match="unicode string"):
        decode_data(fields, _Payload)
