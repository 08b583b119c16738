"""Language identification: offline, eight languages and more, "und" when the text cannot tell."""

from __future__ import annotations

import pytest
from newsroom_enrich.enrichers.language import detect_language, normalise_tag

SAMPLES = {
    "en": "The council said on Monday that the new bridge would open to traffic before the end of the year.",
    "fr": "Le conseil a indiqué lundi que le nouveau pont serait ouvert à la circulation avant la fin.",
    "de": "Der Rat teilte am Montag mit, dass die neue Brücke vor Ende des Jahres für den Verkehr öffnet.",
    "es": "El consejo dijo el lunes que el nuevo puente se abrirá al tráfico antes de que termine el año.",
    "it": "Il consiglio ha detto lunedì che il nuovo ponte sarà aperto al traffico prima della fine.",
    "pt": "O conselho disse na segunda-feira que a nova ponte vai abrir ao trânsito antes do fim do ano.",
    "nl": "De raad zei maandag dat de nieuwe brug voor het einde van het jaar voor het verkeer opengaat.",
    "ru": "Совет заявил в понедельник, что новый мост откроется для движения до конца этого года.",
    "uk": "Рада заявила в понеділок, що новий міст відкриється для руху до кінця року.",
    "el": "Το συμβούλιο ανακοίνωσε τη Δευτέρα ότι η νέα γέφυρα θα ανοίξει πριν από το τέλος του έτους.",
    "ar": "قال المجلس يوم الاثنين إن الجسر الجديد سيفتح أمام حركة المرور قبل نهاية العام.",
    "zh": "理事会周一表示，新桥将在年底前通车。",
    "ja": "評議会は月曜日、新しい橋が年内に開通すると発表した。",
}


@pytest.mark.parametrize(("language", "text"), sorted(SAMPLES.items()))
def test_language_is_identified_from_one_sentence(language, text):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "Kazakhstan Belarus", "2025 — 3,200", "xyzzy plugh frobnicate"])
def test_text_without_evidence_is_undetermined(text):
    assert detect_language(text) == "und"


def test_hint_that_agrees_keeps_its_region():
    assert detect_language(SAMPLES["pt"], "pt_br") == "pt-BR"


def test_hint_decides_when_the_text_cannot():
    assert detect_language("Kazakhstan Belarus", "kk") == "kk"


def test_text_overrules_a_contradicting_hint():
    assert detect_language(SAMPLES["de"], "en") == "de"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("این یک خبر مهم درباره اقتصاد کشور است و دولت برنامه جدیدی دارد", "fa"),  # Persian
        ("یہ ملک کی معیشت کے بارے میں ایک اہم خبر ہے", "ur"),  # Urdu
        ("Бұл елдің экономикасы туралы маңызды жаңалық", "kk"),  # Kazakh
        ("Това е важна новина за икономиката на страната и за правителството", "bg"),  # Bulgarian
        ("यो देशको अर्थतन्त्रबारे महत्त्वपूर्ण समाचार हो", "ne"),  # Nepali
    ],
)
def test_a_hint_naming_a_language_of_the_same_script_the_detector_cannot_tell_apart_is_believed(text, hint):
    assert detect_language(text, hint) == hint


@pytest.mark.parametrize(
    ("tag", "normalised"),
    [("EN_gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("x", None), ("not a tag", None), (None, None)],
)
def test_hint_tags_are_normalised_or_ignored(tag, normalised):
    assert normalise_tag(tag) == normalised


def test_enricher_reports_the_detected_language(enrich):
    article = enrich("Neue Brücke", SAMPLES["de"], hint="en")
    assert article.result.language == "de"


# Languages read since function-word lists were added for them; before, each was mislabelled from
# the few words it shares with a first language (Polish "że" folds to Dutch "ze", "się" to "sie").
LATER_SAMPLES = {
    "pl": "Ministerstwo ogłosiło w piątek, że od stycznia obniży opłaty dla małych sklepów w całym kraju.",
    "cs": "Ministerstvo v pátek oznámilo, že od ledna sníží poplatky pro malé obchody v celé zemi.",
    "sk": "Ministerstvo v piatok oznámilo, že od januára zníži poplatky pre malé obchody v celej krajine.",
    "sv": (
        "Ministeriet meddelade på fredagen att avgifterna för små butiker ska sänkas "
        "och att det gäller hela landet."
    ),
    "tr": (
        "Bakanlık cuma günü yaptığı açıklamada, küçük dükkanlar için harçların ocak ayından "
        "itibaren düşürüleceğini söyledi."
    ),
    "da": (
        "Ministeriet har ikke besluttet, hvad der skal ske med afgifterne efter nytår, men "
        "ministeren siger, at der vil komme en aftale af den slags inden sommer."
    ),
    "no": (
        "Departementet har ikke bestemt hva som skal skje med avgiftene etter nyttår, men "
        "statsråden sier at det vil komme en avtale av det slaget innen sommeren."
    ),
}


@pytest.mark.parametrize(("language", "text"), sorted(LATER_SAMPLES.items()))
def test_polish_czech_slovak_swedish_danish_norwegian_and_turkish_are_identified(language, text):
    assert detect_language(text) == language


def test_danish_and_norwegian_sharing_only_their_common_words_are_undetermined_not_english():
    text = "Regeringen i Danmark oplyste i går, at prisen på strøm skal ned fra næste år, og at det er godt."
    assert detect_language(text) == "und"


def test_a_hint_of_norwegian_bokmal_or_nynorsk_agrees_with_norwegian():
    assert detect_language(LATER_SAMPLES["no"], "nb") == "nb"


@pytest.mark.parametrize(
    "text",
    [
        "Der Stahlkonzern Westfalen Metall AG kündigte neue Werke in Polen an",  # German headline
        "Der Minister sagte, er werde die Steuer senken, wenn die Regierung zustimmt.",
    ],
)
def test_languages_added_later_do_not_weaken_the_evidence_for_german(text):
    # Danish "der", "er" and Polish "się" (folded "sie") also vote, but not at German's expense
    assert detect_language(text) == "de"


def test_polish_article_reads_as_polish_and_its_function_words_are_not_keywords(enrich):
    body = (
        "Burmistrz Gdańska zapowiedział we wtorek, że miasto nie zgodzi się na budowę nowej spalarni. "
        "Mieszkańcy nie chcą spalarni w pobliżu szkół, a radni nie zgodzą się na zmianę planu. "
        "Spalarnia miała powstać do końca roku, ale inwestor nie przedstawił jeszcze projektu. "
        "Burmistrz powiedział, że spalarnia nie powstanie bez zgody mieszkańców."
    )
    result = enrich("Spalarnia nie powstanie", body).result
    assert result.language == "pl"
    function_words = {"nie", "się", "że", "na", "we", "do"}
    assert not [k for k in result.keywords if function_words & set(k.lower().split())], result.keywords


# Headlines in the first eight languages, pinned as the detector read them before words shared between
# those languages (Dutch "per", "alle", "worden"; Spanish "será"; Italian "lui", "però"; Portuguese
# "sido"; German "uns") became keyword stopwords. A stopword list grown for keywords must not move them.
FIRST_LANGUAGE_HEADLINES = [
    ("Grüne fordern Tempolimit für alle", "de"),
    ("Kölner Dom für alle geöffnet", "de"),
    ("Bahn streicht Züge für uns alle", "de"),
    ("Streik bei der Bahn: Pendler müssen warten", "de"),
    ("Piano per il clima approvato", "it"),
    ("Il sindaco chiude le scuole per la neve", "it"),
    ("Il governo prepara nuove tasse per l'economia", "und"),  # not French
    ("Le budget sera voté en décembre", "fr"),
    ("Le gouvernement annonce une réforme des retraites", "fr"),
    ("Pero la oposición insiste en la reforma", "es"),
    ("El gobierno aprueba los presupuestos para el año", "es"),
    ("Tem sido um ano difícil para os agricultores", "pt"),
    ("Kabinet wil meer geld voor alle scholen", "nl"),
    ("Storm causes chaos across the country", "en"),
]


@pytest.mark.parametrize(("text", "language"), FIRST_LANGUAGE_HEADLINES)
def test_first_language_headlines_detect_as_before_the_keyword_stopwords_grew(text, language):
    assert detect_language(text) == language


def test_keyword_only_stopwords_do_not_vote_for_a_language():
    from newsroom_enrich.enrichers.stopwords import LANGUAGE_WORDS, STOPWORDS

    assert "per" in STOPWORDS["nl"] and "per" not in LANGUAGE_WORDS["nl"]
    assert "uns" in STOPWORDS["de"] and "uns" not in LANGUAGE_WORDS["de"]
    assert LANGUAGE_WORDS["de"] < STOPWORDS["de"]


def test_a_german_headline_with_alle_keeps_its_german_slug():
    from newsroom_enrich.enrichers.slug import slugify

    text = "Grüne fordern Tempolimit für alle"
    assert slugify(text, detect_language(text)) == "gruene-fordern-tempolimit-fuer-alle"
