"""Acceptance on the seed article (read by path, never copied): the entities an editor would tag."""

from __future__ import annotations

import pytest

REQUIRED_PLACES = {"Kazakhstan": "KZ", "Belarus": "BY", "Russia": "RU", "Moscow": "RU", "Minsk": "BY"}
REQUIRED_PEOPLE = {
    "Alexander Lukashenko",
    "Kassym-Jomart Tokayev",
    "Murat Nurtleu",
    "Pavel Utyupin",
    "Gaziz Abishev",
}


@pytest.mark.parametrize(("name", "country"), sorted(REQUIRED_PLACES.items()))
def test_reference_article_finds_places_with_their_country_codes(reference, name, country):
    entity = reference.entity(name)
    assert entity.type == "place"
    assert entity.country_code == country


def test_reference_article_finds_every_person_named(reference):
    assert reference.names("person") >= REQUIRED_PEOPLE


def test_reference_article_finds_the_organisations(reference):
    organisations = reference.names("organisation")
    assert {"NATO", "United Nations", "Collective Security Treaty Organization"} <= organisations


def test_reference_article_has_no_junk_entities(reference):
    names = {e.name for e in reference.result.entities}
    junk = {"Wednesday", "January", "The", "He", "In", "On", "These", "Political", "Charter", "Belarusian"}
    assert not names & junk
    assert all(not e.name.endswith(("’s", "'s")) for e in reference.result.entities)


def test_reference_article_people_are_not_places_and_places_not_people(reference):
    assert not reference.names("person") & set(REQUIRED_PLACES)
    assert not reference.names("place") & REQUIRED_PEOPLE


def test_surname_mentions_link_to_full_name(reference):
    surfaces = reference.surfaces("Kassym-Jomart Tokayev")
    assert "Tokayev" in surfaces and "Kassym-Jomart Tokayev" in surfaces
    assert reference.surfaces("Gaziz Abishev").count("Abishev") >= 3


def test_surname_mention_before_the_full_name_still_links(reference):
    lukashenko = reference.entity("Alexander Lukashenko")
    first = min(lukashenko.mentions, key=lambda m: (m.field != "headline", m.start))
    assert first.field == "headline"
    assert reference.text_of("headline")[first.start : first.end] == "Lukashenko"


def test_acronym_links_to_its_long_form(reference):
    surfaces = reference.surfaces("Collective Security Treaty Organization")
    assert surfaces.count("CSTO") == 2
    assert "Collective Security Treaty Organization" in surfaces


def test_named_organisation_inside_a_longer_name_is_found(reference):
    assert reference.surfaces("United Nations") == ["United Nations"]


def test_every_mention_reads_as_a_form_of_its_entity(reference):
    for entity in reference.result.entities:
        for mention in entity.mentions:
            surface = reference.text_of(mention.field)[mention.start : mention.end]
            assert surface.strip() == surface and surface
            assert surface.split()[-1] in entity.name or entity.type == "organisation"


def test_reference_article_summary_keywords_and_slug(reference):
    result = reference.result
    assert result.language == "en"
    assert result.slug == "kazakhstan-summons-belarusian-ambassador-over-lukashenkos-remarks"
    assert 1 <= len(result.summary) <= 300
    assert result.summary.split(". ")[0].rstrip(".") in " ".join(reference.body.split())
    assert 5 <= len(result.keywords) <= 10
    assert result.keywords[0] == "Kazakhstan"
    assert 300 < result.word_count < 400
    assert result.reading_time_minutes == 2
