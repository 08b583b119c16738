"""Any text in, a valid enrichment out: no exception, offsets inside their field, limits respected."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsroom_enrich.enrichers.keywords import MAX_KEYWORD_LENGTH
from newsroom_enrich.enrichers.spans import MAX_SPAN_TOKENS
from newsroom_enrich.enrichment import Enrichment

WORDS = [
    "The",
    "the",
    "Minister",
    "President",
    "Anna",
    "Keller",
    "of",
    "Bank",
    "Union",
    "(",
    ")",
    "UN",
    "NATO",
    "ABC",
    "’s",
    "'",
    "“",
    "”",
    ".",
    ",",
    ":",
    "-",
    "Lima",
    "Paris",
    "de",
    "la",
    "von",
    "der",
    "said",
    "Monday",
    "May",
    "Ltd",
    "Co",
    "&",
    "and",
    "for",
    "\n\n",
    "\n",
    "\u00a0",
    "Ministry",
    "Moskau",
    "l’",
    "d’",
    "Élysée",
    "ß",
    "Straße",
    "2025",
    "3.5",
    "Dr",
    "Mr.",
    "J.",
    "X",
    "é",
    "Москва",
    "東京",
    "Org",
    "Organization",
    "Security",
    "Council",
    "in",
    "Europe",
    "-based",
    "Singapore",
]

text = st.lists(st.sampled_from(WORDS), max_size=80).map(lambda parts: " ".join(parts))


def check(result: Enrichment, fields: dict[str, str]) -> None:
    assert len(result.summary) <= 300
    assert len(result.keywords) <= 10
    assert result.reading_time_minutes >= 1
    assert 1 <= len(result.slug) <= 80 and not result.slug.endswith("-")
    for entity in result.entities:
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(fields[mention.field])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=text.filter(str.strip), standfirst=st.none() | text, body=text)
def test_enrich_never_fails_on_odd_text(enricher, headline, standfirst, body):
    result = enricher.enrich(headline=headline, standfirst=standfirst, body_text=body)
    check(result, {"headline": headline, "standfirst": standfirst or "", "body": body})


@settings(max_examples=60, deadline=None)
@given(body=st.text(max_size=300))
def test_enrich_never_fails_on_arbitrary_unicode(enricher, body):
    result = enricher.enrich(headline="Headline", standfirst=None, body_text=body)
    check(result, {"headline": "Headline", "standfirst": "", "body": body})


def test_windows_line_endings_still_separate_paragraphs(enricher):
    body = "Anna Keller spoke in Lima.\r\n\r\nKeller left for Paris."
    result = enricher.enrich(headline="Trip", standfirst=None, body_text=body)
    names = {e.name: len(e.mentions) for e in result.entities}
    assert names == {"Anna Keller": 2, "Lima": 1, "Paris": 1}


@pytest.mark.parametrize(
    "body",
    ["Mr Smith " * 600, "Monday Tuesday Wednesday Thursday Friday Saturday Sunday " * 200, "In The " * 600],
)
def test_long_runs_of_capitalised_words_are_enriched_with_bounded_names(enricher, body):
    result = enricher.enrich(headline="Schedule", standfirst=None, body_text=body)
    assert all(len(e.name.split()) <= MAX_SPAN_TOKENS for e in result.entities)


def test_keywords_and_names_stay_short_whatever_the_text(enricher):
    result = enricher.enrich(
        headline="Long", standfirst=None, body_text="a" * 100_000 + " " + "Bank Of The " * 1000
    )
    assert all(len(k) <= MAX_KEYWORD_LENGTH for k in result.keywords if " " not in k)
    assert all(len(k) < 200 for k in result.keywords)
    assert all(len(e.name) < 200 for e in result.entities)
