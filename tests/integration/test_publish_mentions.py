"""Entity mentions index text the API serves: each one's offsets cut its name out of that field."""

from __future__ import annotations

import json

import httpx
from newsroom_publish.contracts import MENTION_FIELDS
from newsroom_shared.processes import Stack

from tests.integration.test_chain import submit, wait_published

ARTICLE = {
    "article_id": "grain-desk-7",
    "source": "steppe-wire",
    "headline": "Kazakhstan and Belarus Sign Grain Deal in Minsk",
    "standfirst": "Officials from Astana met their counterparts in Minsk on Tuesday.",
    "authors": ["Aigerim Sultanova"],
    # characters outside ASCII and the BMP before a mention: offsets count code points
    "body_text": (
        "The agreement 🌾 was signed in Minsk by ministers from Kazakhstan and Belarus.\n\n"
        "Kazakhstan will ship grain by rail through Russia, the ministry in Astana said — “by autumn”."
    ),
    "first_published_at": "2026-03-03T08:00:00Z",
}


def test_every_mentions_offsets_slice_its_name_out_of_the_served_field_it_names(stack: Stack) -> None:
    assert submit(stack, json.dumps(ARTICLE).encode(), path="/v1/articles").status_code == 202
    doc = wait_published(stack, "grain-desk-7", 1)
    assert doc["body_text"] == ARTICLE["body_text"]
    fields: set[str] = set()
    for entity in doc["entities"]:
        for mention in entity["mentions"]:
            served = doc[MENTION_FIELDS[mention["field"]]]
            assert served[mention["start"] : mention["end"]] == entity["name"], (entity, mention)
            fields.add(mention["field"])
    assert fields == {"headline", "standfirst", "body"}
    assert {"Kazakhstan", "Belarus", "Minsk", "Astana", "Russia"} <= {e["name"] for e in doc["entities"]}
    history = httpx.get(f"{stack.first('publish').url}/v1/articles/grain-desk-7/revisions", timeout=5)
    assert history.json()[0]["body_text"] == ARTICLE["body_text"]
