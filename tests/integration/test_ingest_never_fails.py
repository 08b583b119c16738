"""No input makes ingest answer 500 or die: random bytes and random JSON against the real service."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsroom_shared.testing import Stack

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=12,
)
FIELDS = [
    "article_id",
    "headline",
    "body_text",
    "body_html",
    "authors",
    "first_published_at",
    "updated_at",
    "change_kind",
    "source_version",
    "standfirst",
    "language",
    "url",
]
NEAR_VALID = st.fixed_dictionaries(
    {
        "headline": st.text(max_size=40),
        "body_html": st.text(max_size=200),
        "first_published_at": st.sampled_from(["2025-02-29T10:00:00", "2024-02-29T10:00:00", "x", ""]),
    },
    optional={f: JSON_VALUES for f in FIELDS if f not in ("headline", "body_html", "first_published_at")},
)


def test_random_input_never_gets_a_500(stack: Stack) -> None:
    ingest = stack.first("ingest")
    statuses: set[int] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        st.one_of(
            st.binary(max_size=300).map(lambda b: ("/v1/imports", b)),
            NEAR_VALID.map(lambda d: ("/v1/articles", json.dumps(d).encode())),
            JSON_VALUES.map(lambda v: ("/v1/imports", json.dumps(v).encode())),
        )
    )
    def post(case: tuple[str, bytes]) -> None:
        path, body = case
        r = httpx.post(f"{ingest.url}{path}", content=body, timeout=10)
        statuses.add(r.status_code)
        assert r.status_code in (202, 409, 413, 422), r.text  # 409: a derived id already taken
        if r.status_code in (409, 422):
            detail: Any = r.json()["detail"]
            assert detail and all(p["field"] and p["reason"] for p in detail)

    post()
    assert ingest.process is not None and ingest.process.poll() is None
    assert 422 in statuses


def test_a_lone_surrogate_escaped_in_json_is_refused_by_field_never_a_500(stack_factory: Any) -> None:
    ingest = stack_factory().add("ingest")
    cases = {  # legal JSON: json.dumps writes the lone surrogate as an escape
        json.dumps({"uri": "urn:x:quay-1", "X\ud800": 1, "x\ud800": 2, "headline": "Quay"}): "x\\ud800",
        json.dumps({"uri": "\ud800", "headline": "Quay"}): "uri",
    }
    for body, field in cases.items():
        r = httpx.post(f"{ingest.url}/v1/imports", content=body.encode(), timeout=10)
        assert r.status_code == 422, r.text
        assert field in [p["field"] for p in r.json()["detail"]], r.text
    assert ingest.process is not None and ingest.process.poll() is None


def test_concurrent_submissions_of_one_article_each_get_their_own_revision(stack: Stack) -> None:
    ingest = stack.first("ingest")

    async def send_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=ingest.url, timeout=30) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        "/v1/articles",
                        json={
                            "article_id": "many-at-once",
                            "headline": "Many at once",
                            "body_text": f"Version {n} of the text.",
                            "first_published_at": "2025-05-05T10:00:00Z",
                        },
                    )
                    for n in range(24)
                )
            )

    answers = asyncio.run(send_all())
    assert [r.status_code for r in answers] == [202] * 24, [r.text for r in answers if r.status_code != 202]
    assert sorted(r.json()["revision"] for r in answers) == list(range(1, 25))
