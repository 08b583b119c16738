"""Invented articles in three languages: the rules find names they were never shown.

Every name below is made up for these tests (people, companies); places are real, since the
gazetteer is what should recognise them.
"""

from __future__ import annotations

import pytest

SHIPPING_HEADLINE = "Harbourline Logistics to open Rotterdam hub as Asian trade rebounds"
SHIPPING_STANDFIRST = "The Singapore-based shipping group said the terminal would create 1,200 jobs."
SHIPPING_BODY = """\
Harbourline Logistics Ltd said on Tuesday it would invest €450 million in a container terminal in \
Rotterdam, betting that trade between Asia and Europe will keep recovering this year.

Chief executive Priya Raman told reporters in Singapore that the Dutch port had been chosen over \
Antwerp and Hamburg because of its rail links. “Rotterdam gives us the fastest route into \
Germany,” Raman said.

The Port of Rotterdam Authority welcomed the decision. Its spokesman, Willem de Groot, said the \
terminal would open in 2027 once the European Commission had cleared the state-aid questions.

Analysts at Meridian Capital said the investment was the largest by an Asian operator in the \
Netherlands since 2019. Harbourline shares rose 3% in Singapore trading.
"""

SOLAR_HEADLINE = "Le Sénégal et la France signent un accord sur l’énergie solaire"
SOLAR_BODY = """\
Le ministre sénégalais de l’Énergie, Moussa Diallo-Ndiaye, a signé mardi à Dakar un accord avec \
l’Agence française de développement (AFD) pour financer trois centrales solaires.

Selon le ministère, le projet représente un investissement de 240 millions d’euros et doit \
fournir de l’électricité à près de 400 000 foyers dans la région de Thiès.

« C’est une étape décisive pour notre souveraineté énergétique », a déclaré Moussa Diallo-Ndiaye \
lors d’une conférence de presse. La directrice de l’AFD, Claire Vautrin, a salué la rapidité des \
négociations menées entre Paris et Dakar.

L’accord prévoit également la formation de techniciens à l’Université Cheikh Anta Diop. La \
Banque mondiale pourrait rejoindre le financement l’an prochain, a précisé Mme Vautrin.
"""

WIND_HEADLINE = "Nordwind Energie AG baut Windpark vor Rügen"
WIND_BODY = """\
Der Hamburger Energiekonzern Nordwind Energie AG will bis 2028 rund 1,2 Milliarden Euro in einen \
neuen Windpark in der Ostsee investieren. Das teilte Vorstandschefin Katrin Albers am Mittwoch in \
Hamburg mit.

Die Genehmigung durch das Bundesamt für Seeschifffahrt und Hydrographie (BSH) liegt nach Angaben \
des Unternehmens bereits vor. Bundeswirtschaftsminister Jonas Reiter begrüßte das Projekt und \
sprach von einem wichtigen Signal für den Standort Deutschland.

Kritik kam dagegen von Umweltverbänden. Der Naturschutzbund Deutschland (NABU) warnte vor Risiken \
für Schweinswale. Albers sagte, Nordwind werde die Bauarbeiten mit Meeresbiologen der Universität \
Kiel abstimmen.

Den Strom will das Unternehmen nach Polen und Dänemark exportieren. Auch die Europäische \
Investitionsbank prüft nach Angaben aus Luxemburg eine Beteiligung.
"""


@pytest.fixture(scope="module")
def shipping(enrich):
    return enrich(SHIPPING_HEADLINE, SHIPPING_BODY, SHIPPING_STANDFIRST)


@pytest.fixture(scope="module")
def solar(enrich):
    return enrich(SOLAR_HEADLINE, SOLAR_BODY)


@pytest.fixture(scope="module")
def wind(enrich):
    return enrich(WIND_HEADLINE, WIND_BODY)


class TestEnglishCompanyStory:
    def test_company_with_legal_suffix_links_its_short_forms(self, shipping):
        surfaces = shipping.surfaces("Harbourline Logistics Ltd")
        assert {"Harbourline Logistics", "Harbourline Logistics Ltd", "Harbourline"} <= set(surfaces)
        assert shipping.entity("Harbourline Logistics Ltd").type == "organisation"

    def test_cities_carry_their_country_code(self, shipping):
        assert shipping.entity("Rotterdam").country_code == "NL"
        assert shipping.entity("Singapore").country_code == "SG"
        assert shipping.entity("Antwerp").country_code == "BE"
        assert shipping.entity("Hamburg").country_code == "DE"

    def test_compound_adjective_exposes_the_place(self, shipping):
        assert "standfirst" in {m.field for m in shipping.entity("Singapore").mentions}

    def test_people_found_after_role_and_in_apposition(self, shipping):
        assert {"Priya Raman", "Willem de Groot"} <= shipping.names("person")
        assert shipping.surfaces("Priya Raman").count("Raman") == 1

    def test_organisations_by_head_word_and_gazetteer(self, shipping):
        assert {"Port of Rotterdam Authority", "European Commission", "Meridian Capital"} <= shipping.names(
            "organisation"
        )

    def test_demonyms_and_sentence_openers_are_not_entities(self, shipping):
        names = {e.name for e in shipping.result.entities}
        assert not names & {"Asian", "Dutch", "Analysts", "Chief", "Tuesday", "The", "Its"}

    def test_language_is_english(self, shipping):
        assert shipping.result.language == "en"


class TestFrenchStory:
    def test_language_is_french(self, solar):
        assert solar.result.language == "fr"

    def test_french_country_names_map_to_iso_codes(self, solar):
        assert solar.entity("Senegal").country_code == "SN"
        assert solar.entity("France").country_code == "FR"
        assert solar.entity("Dakar").country_code == "SN"
        assert solar.entity("Paris").country_code == "FR"

    def test_people_behind_commas_and_courtesy_titles(self, solar):
        assert {"Moussa Diallo-Ndiaye", "Claire Vautrin"} <= solar.names("person")
        assert "Vautrin" in solar.surfaces("Claire Vautrin")

    def test_acronym_defines_a_long_form_with_lowercase_words(self, solar):
        surfaces = solar.surfaces("Agence française de développement")
        assert surfaces.count("AFD") == 2

    def test_translated_well_known_organisation_is_recognised(self, solar):
        assert "La Banque mondiale" not in solar.names("organisation")
        assert solar.surfaces("World Bank") == ["Banque mondiale"]

    def test_elided_articles_do_not_hide_names(self, solar):
        assert solar.entity("Université Cheikh Anta Diop").type == "organisation"
        assert not {"Énergie", "L’accord", "Selon"} & {e.name for e in solar.result.entities}


class TestGermanStory:
    def test_language_is_german(self, wind):
        assert wind.result.language == "de"

    def test_title_compounds_introduce_people(self, wind):
        assert {"Katrin Albers", "Jonas Reiter"} <= wind.names("person")
        assert "Albers" in wind.surfaces("Katrin Albers")

    def test_company_name_drops_the_descriptive_noun_before_it(self, wind):
        assert wind.entity("Nordwind Energie AG").type == "organisation"
        assert "Nordwind" in wind.surfaces("Nordwind Energie AG")
        assert "headline" in {m.field for m in wind.entity("Nordwind Energie AG").mentions}

    def test_german_place_names_map_to_iso_codes(self, wind):
        codes = {e.country_code for e in wind.result.entities if e.type == "place"}
        assert {"DE", "PL", "DK", "LU"} <= codes
        assert wind.entity("Hamburg").country_code == "DE"

    def test_acronyms_and_compound_heads_name_organisations(self, wind):
        organisations = wind.names("organisation")
        assert {
            "Bundesamt für Seeschifffahrt und Hydrographie",
            "Naturschutzbund Deutschland",
        } <= organisations
        assert "Europäische Investitionsbank" in organisations
        assert "NABU" in wind.surfaces("Naturschutzbund Deutschland")

    def test_capitalised_german_nouns_are_not_entities(self, wind):
        names = {e.name for e in wind.result.entities}
        assert not names & {
            "Genehmigung",
            "Kritik",
            "Windpark",
            "Strom",
            "Unternehmen",
            "Angaben",
            "Mittwoch",
        }
        assert wind.names("person") == {"Katrin Albers", "Jonas Reiter"}
