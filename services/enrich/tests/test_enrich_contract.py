"""The public contract: models, offsets, determinism, thread safety and cost per article."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from newsroom_enrich.enrichment import Enricher, Enrichment, Mention
from pydantic import ValidationError

ARTICLES = [
    ("Oslo hosts Arctic talks", "Norway’s Foreign Minister Ingrid Lunde opened the talks in Oslo on Monday."),
    (
        "Rail strike in Lyon",
        "La grève des cheminots a paralysé Lyon mardi, selon la SNCF et la mairie de Lyon.",
    ),
    ("Neue Regierung in Wien", "Bundeskanzlerin Eva Strobl stellte am Freitag in Wien ihr Kabinett vor."),
]


def test_mentions_are_frozen_and_ordered():
    mention = Mention(field="body", start=3, end=8)
    with pytest.raises(ValidationError):
        mention.start = 4  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Mention(field="body", start=8, end=8)


def test_every_mention_slices_its_field(enrich):
    for headline, body in ARTICLES:
        article = enrich(headline, body)
        for entity in article.result.entities:
            assert entity.mentions
            for mention in entity.mentions:
                assert 0 <= mention.start < mention.end <= len(article.text_of(mention.field))


def test_enrichment_round_trips_through_json(enricher):
    result = enricher.enrich(headline=ARTICLES[0][0], standfirst=None, body_text=ARTICLES[0][1])
    assert Enrichment.model_validate_json(result.model_dump_json()) == result


def test_enrich_is_deterministic_and_thread_safe(enricher):
    def run(article: tuple[str, str]) -> Enrichment:
        return enricher.enrich(headline=article[0], standfirst=None, body_text=article[1])

    sequential = [run(a) for a in ARTICLES]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(run, ARTICLES * 20))
    assert concurrent == sequential * 20


def test_enricher_instances_agree(enricher):
    headline, body = ARTICLES[2]
    fresh = Enricher().enrich(headline=headline, standfirst=None, body_text=body)
    assert fresh == enricher.enrich(headline=headline, standfirst=None, body_text=body)
