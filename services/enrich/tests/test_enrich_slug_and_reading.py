"""Slugs and reading time: the small deterministic parts of an enrichment."""

from __future__ import annotations

import pytest
from newsroom_enrich.enrichers.reading import count_words, reading_time_minutes
from newsroom_enrich.enrichers.slug import MAX_SLUG_LENGTH, slugify


@pytest.mark.parametrize(
    ("headline", "language", "slug"),
    [
        (
            "Kazakhstan Summons Envoy Over Minister’s Remarks",
            "en",
            "kazakhstan-summons-envoy-over-ministers-remarks",
        ),
        ("Élysée: le président reçoit l’émissaire", "fr", "elysee-le-president-recoit-l-emissaire"),
        ("Straße nach Köln gesperrt", "de", "strasse-nach-koeln-gesperrt"),
        ("Straße nach Köln gesperrt", "en", "strasse-nach-koln-gesperrt"),
        ("Москва и Минск: новые переговоры", "ru", "moskva-i-minsk-novye-peregovory"),
        ("  --Prices up 5%!--  ", "en", "prices-up-5"),
        ("Новак Ђоковић освојио турнир", "sr", "novak-djokovic-osvojio-turnir"),
        ("Қазақстан үкіметі жаңа заң қабылдады", "kk", "qazaqstan-ukimeti-zhanga-zang-qabyldady"),
        ("Ɗan majalisa ya ƙi amincewa", "ha", "dan-majalisa-ya-ki-amincewa"),
    ],
)
def test_slug_is_lowercase_ascii_with_hyphens(headline, language, slug):
    assert slugify(headline, language) == slug


def test_long_headline_is_cut_at_a_word_boundary():
    slug = slugify("Parliament " * 20)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"parliament"}


def test_one_overlong_word_is_cut_to_the_limit():
    assert len(slugify("x" * 200)) == MAX_SLUG_LENGTH


def test_untransliterable_headline_still_gets_a_stable_slug():
    assert slugify("東京で会議") == slugify("東京で会議")
    assert slugify("東京で会議").startswith("article-")


def test_words_are_counted_without_lone_punctuation():
    assert count_words("Kazakhstan’s foreign policy — balanced, “peaceful” and 2022-proof.") == 7
    assert count_words("\u00a0 \n\n") == 0


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (100, 1), (344, 1), (345, 2), (1150, 5)])
def test_reading_time_rounds_at_230_words_a_minute_and_is_at_least_one(words, minutes):
    assert reading_time_minutes(words) == minutes


def test_an_unchanged_headline_keeps_its_slug_whatever_language_the_body_reads_as(enrich):
    # a stub first revision reads as no language, the full second one as German: the page stays put
    headline = "Müller übernimmt Führung bei Wahl in Köln"
    body = (
        "Der Parteitag hat am Samstag in Berlin einen neuen Vorsitzenden gewählt. Die Delegierten "
        "stimmten mit großer Mehrheit für den bisherigen Stellvertreter, der nun die Partei führt."
    )
    stub, full = enrich(headline, "Ergebnis folgt."), enrich(headline, body)
    assert full.result.language == "de"
    assert stub.result.slug == full.result.slug
    assert (
        enrich(headline, body, hint="de").result.slug
        == enrich(headline, "Results follow.", hint="de").result.slug
    )


def test_chinese_and_japanese_count_each_character_as_a_word():
    assert count_words("東京で会議") == 5
    assert count_words("Tokyo 会议召开。G7 summit") == 1 + 4 + 2
    assert reading_time_minutes(count_words("新闻" * 2300)) == 20  # not one minute for any length
