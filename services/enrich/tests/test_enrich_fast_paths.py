"""The enricher's fast paths give the results of the plain algorithms they replaced.

Tokens come from a per-word cache, offsets from whitespace lengths, whole-run gazetteer lookups
from `Gazetteer.match_whole`; whole enrichments are pinned to the digests the straightforward
implementation produced, for invented articles and for the reference article.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.gazetteer import Gazetteer
from newsroom_enrich.enrichers.reading import count_words
from newsroom_enrich.enrichers.text import fold, is_acronym, is_capitalised
from newsroom_enrich.enrichers.tokens import COMBINING_MARKS, Kind, forget_word_facts, tokenize
from newsroom_enrich.enrichers.tokens import Token as FastToken
from newsroom_enrich.enrichment import Enricher, Enrichment

# -- invented articles --------------------------------------------------------------------------

_PEOPLE = ["Marta Silva", "Jaan Tamm", "Amara Okafor", "Lena Ostrova", "Pieter de Vries", "Jan K. Novak"]
_PLACES = ["Lisbon", "Tallinn", "Riga", "Rotterdam", "Kazakhstan", "Moscow", "Lyon", "Peru"]
_ORGS = ["European Commission", "NATO", "World Bank", "Baltic Ports Authority", "Harbourline Logistics Ltd"]
_ENGLISH = [
    "In {place}, {person} of the {org} said on {day} that the plan would cost €{n} million.",
    "“We will not wait,” {person} told reporters in {place}.",
    "The {org} (BPA) and {place}’s Foreign Ministry met President {person} in {month}.",
    "A {place}-based group, {org}, rejected the claims; {person}’s office declined to comment.",
    "Analysts at the {org} expect growth of {n}.5 percent, according to Mr. {person}.",
    "THE {org} announced a new tram line for {place} and the U.S. embassy.",
    "{person} met Johnson & Johnson and Bank of Marsh & Sons executives in {place} (Reuters).",
]
_FRENCH = [
    "Le ministre de l’Énergie, {person}, a signé {day} à {place} un accord avec l’{org}.",
    "Selon l’Agence française de développement (AFD), le projet coûtera {n} millions d’euros.",
    "« C’est une étape décisive », a déclaré {person} lors d’une conférence à {place}.",
]
_GERMAN = [
    "Die Außenministerin {person} traf am {day} in {place} Vertreter der {org}.",
    "Nach Angaben der Europäischen Zentralbank (EZB) wächst die Wirtschaft in {place} um {n} Prozent.",
    "Der Energiekonzern Nordwind Energie AG kündigte Investitionen in {place} an.",
]
_DAYS = {"en": ["Monday", "Tuesday"], "fr": ["mardi", "jeudi"], "de": ["Montag", "Freitag"]}


def _invented(seed: int, language: str) -> dict[str, str | None]:
    """A few paragraphs of made-up news in one language, the same for the same seed."""
    rng = random.Random(seed)
    templates = {"en": _ENGLISH, "fr": _FRENCH, "de": _GERMAN}[language]

    def sentence() -> str:
        return rng.choice(templates).format(
            person=rng.choice(_PEOPLE),
            place=rng.choice(_PLACES),
            org=rng.choice(_ORGS),
            day=rng.choice(_DAYS[language]),
            month=rng.choice(["May", "August", "January"]),
            n=rng.randint(2, 900),
        )

    paragraphs = [" ".join(sentence() for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(2, 7))]
    headline = sentence().rstrip(".")
    return {
        "headline": headline.title() if seed % 2 else headline,
        "standfirst": sentence() if seed % 3 == 0 else None,
        "body_text": "\n\n".join(paragraphs),
    }


_ARTICLES = [(seed, language) for language in ("en", "fr", "de") for seed in range(4)]

# sha256 of each enrichment's canonical JSON, as the straightforward implementation produced it.
_PINNED = {
    ("en", 0): "0be112f12907deefe434016a672864f774ab754ea630695ff1fc7fcd907c1fa3",
    ("en", 1): "01e5043e50d8eec837af943584905bd2e7a762203958ad203e350993fc9ea3ac",
    ("en", 2): "75a1ec07c7df50302ccad069976c833543f16ad4a27717d43f9d47c13a15cff7",
    ("en", 3): "d1b63d33c0243c40ecd6e869015ca1e3af47b0748a7357738195cb5f3e55e955",
    ("fr", 0): "a829162d5919b244980f926ff1ce7c1ac2ae1ac09c2b4d3efad0932ff8ea5c72",
    ("fr", 1): "11df8377e35e8e7fe7f0eb143aa11a087c766f0816e5d958e8cb7b8fbdc98276",
    ("fr", 2): "32a64c3bbf4d5b8eb332697d6cbff5b8c430b806dd4a58fc13b546e358c8e483",
    ("fr", 3): "d456d3a1694251a969db44d1cd573d926bf4c9071388ee7ad6d7482acfb5ce00",
    ("de", 0): "0bc6a0dca385b88f22d38379c897ea6ac0e391cc9fe31ee71ce158959f388ac8",
    ("de", 1): "e0a69c39706e15e237ef002913c8e8420271abd02e67302e6fa25cf40541dd7e",
    ("de", 2): "741748300ed0f62496f062c2933cb4238b8f059fb665f62f54f4b99022a4ba1a",
    ("de", 3): "2df02ebbe6c6da38bf52d634379f9707f556d7d417d042cdc4f148cd9fbcd567",
}
_REFERENCE_PIN = "490bcd9c58ce7f7e11410c6337a6b563df06987f11cf3f3fa53d921425cae84e"


def _digest(result: Enrichment) -> str:
    canonical = json.dumps(result.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(("seed", "language"), _ARTICLES)
def test_invented_articles_enrich_as_before(enricher: Enricher, seed: int, language: str) -> None:
    article = _invented(seed, language)
    result = enricher.enrich(
        headline=str(article["headline"]),
        standfirst=article["standfirst"],
        body_text=str(article["body_text"]),
    )
    assert _digest(result) == _PINNED[(language, seed)], result.model_dump_json(indent=2)


def test_reference_article_enriches_as_before(reference) -> None:  # type: ignore[no-untyped-def]
    assert _digest(reference.result) == _REFERENCE_PIN, reference.result.model_dump_json(indent=2)


def test_warm_and_cold_word_caches_give_the_same_enrichment(enricher: Enricher) -> None:
    article = _invented(7, "en")
    kwargs = {
        "headline": str(article["headline"]),
        "standfirst": article["standfirst"],
        "body_text": str(article["body_text"]),
    }
    forget_word_facts()
    cold = enricher.enrich(**kwargs)  # type: ignore[arg-type]
    warm = enricher.enrich(**kwargs)  # type: ignore[arg-type]
    assert cold == warm


# -- the tokenizer against the plain algorithm --------------------------------------------------

_LETTER = f"[\\w{COMBINING_MARKS}\u00ad\u200c\u200d]"  # and its marks, soft hyphens and joiners
_PLAIN_TOKEN_RE = re.compile(rf"(?:[A-Z]\.){{2,}}|\d+(?:[.,:]\d+)+|\w{_LETTER}*(?:[-'’]\w{_LETTER}*)*|\S")
_ELISION_RE = re.compile(
    r"(?:[dDlLjJmMnNsStTcC]|[Qq]u|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Dd]all|[Uu]n)['’](?=[^\W\d_])"
)
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")


def _plain_token(
    raw: str, start: int, kind: Kind, flags: tuple[bool, bool, bool, bool], possessive: bool = False
) -> tuple[object, ...]:
    """All fields of a token, worked out from its text with no cache."""
    initial, newline, paragraph = flags[0], flags[1], flags[2]
    if kind is Kind.WORD:
        capitalised = raw[0].isupper() or is_capitalised(raw)
        key = raw.lower() if raw.isascii() else fold(raw)
        acronym = capitalised and is_acronym(raw)
    else:
        capitalised, acronym = False, False
        key = fold(raw) if kind is Kind.ELISION else raw
    date_word = raw.lower() in lexicon.DAYS_AND_MONTHS
    org_head = key in lexicon.ORG_HEADS or (
        capitalised and len(key) > 6 and key.endswith(lexicon.ORG_HEAD_SUFFIXES)
    )
    title = key in lexicon.TITLES or (len(key) > 8 and key.endswith(lexicon.TITLE_SUFFIXES))
    position = (raw, start, start + len(raw), kind, possessive, initial, newline, paragraph)
    return (*position, key, capitalised, acronym, date_word, org_head, title)


def _plain_word(raw: str, start: int, text: str, flags: tuple[bool, bool, bool, bool]) -> tuple[object, ...]:
    end = start + len(raw)
    possessive = False
    if "'" in raw or "’" in raw or text.startswith(("’", "'"), end):
        if raw.endswith(("’s", "'s", "’S", "'S")) and len(raw) > 3:
            possessive, raw = True, raw[:-2]
        else:
            bare = text[end : end + 1] in ("’", "'") and not text[end + 1 : end + 2].isalpha()
            possessive = bare and raw[-1] in "sSzZ"
    return _plain_token(raw, start, Kind.WORD, flags, possessive)


def _plain_tokenize(text: str) -> list[tuple[object, ...]]:
    """The tokenizer before its word cache: one regex match at a time, every fact recomputed."""
    tokens: list[tuple[object, ...]] = []
    at_sentence_start = True
    previous_end = 0
    none = (False, False, False, False)
    for match in _PLAIN_TOKEN_RE.finditer(text):
        raw, start = match.group(), match.start()
        newline = paragraph = not tokens
        if start > previous_end and text.find("\n", previous_end, start) != -1:
            newline = True
            paragraph = paragraph or _BLANK_LINE_RE.search(text, previous_end, start) is not None
        at_sentence_start = at_sentence_start or paragraph
        previous_end = match.end()
        first = raw[0]
        flags = (at_sentence_start, newline, paragraph, False)
        if len(raw) == 1 and not first.isalnum():
            tokens.append(_plain_token(raw, start, Kind.PUNCT, (False, newline, paragraph, False)))
            if raw in ".!?…:;" and not _plain_abbreviation_stop(raw, tokens):
                at_sentence_start = True
            continue
        if first.isdigit():
            tokens.append(_plain_token(raw, start, Kind.NUMBER, flags))
        elif ("’" in raw or "'" in raw) and (elision := _ELISION_RE.match(raw)) is not None:
            cut = elision.end()
            tokens.append(_plain_token(raw[:cut], start, Kind.ELISION, flags))
            tokens.append(_plain_word(raw[cut:], start + cut, text, none))
        elif "-" in raw and first.isupper() and _plain_split_compound(raw):
            head, _, tail = raw.rpartition("-")
            tokens.append(_plain_word(head, start, text, flags))
            tokens.append(_plain_token("-", start + len(head), Kind.PUNCT, none))
            tokens.append(_plain_word(tail, start + len(head) + 1, text, none))
        else:
            tokens.append(_plain_word(raw, start, text, flags))
        at_sentence_start = False
    return tokens


def _plain_split_compound(raw: str) -> bool:
    head, _, tail = raw.rpartition("-")
    return tail.islower() and (len(head) >= 4 or head.isupper())


def _plain_abbreviation_stop(raw: str, tokens: list[tuple[object, ...]]) -> bool:
    if raw != "." or len(tokens) < 2:
        return False
    previous = tokens[-2]
    text, kind, end, key = previous[0], previous[3], previous[2], previous[8]
    if kind is not Kind.WORD or end != tokens[-1][1]:
        return False
    return key in lexicon.ABBREVIATIONS or (len(str(text)) == 1 and str(text).isupper())


def _fields(token: FastToken) -> tuple[object, ...]:
    return (
        token.text,
        token.start,
        token.end,
        token.kind,
        token.possessive,
        token.sentence_initial,
        token.newline_before,
        token.paragraph_start,
        token.key,
        token.capitalised,
        token.acronym,
        token.date_word,
        token.org_head,
        token.title,
    )


def _texts() -> list[str]:
    texts = []
    for seed, language in _ARTICLES:
        article = _invented(seed, language)
        texts.extend(str(article[name]) for name in ("headline", "standfirst", "body_text"))
    return texts


def test_tokens_match_the_plain_tokenizer_on_articles() -> None:
    for text in _texts():
        forget_word_facts()
        cold = [_fields(t) for t in tokenize(text)]
        warm = [_fields(t) for t in tokenize(text)]
        assert cold == warm == _plain_tokenize(text)


def test_tokens_match_the_plain_tokenizer_on_the_reference(reference) -> None:  # type: ignore[no-untyped-def]
    for text in (reference.headline, reference.body):
        assert [_fields(t) for t in tokenize(text)] == _plain_tokenize(text)


_PIECES = [
    "The", "Anna", "Okafor", "Okafor’s", "Paris’", "Lukashenko's", "’s", "'", "’", "“", "”", ".", ",", ":",
    "!", "?", "…", ";", "-", "—", "(", ")", "UN", "U.S.", "J.", "Mr.", "Mr", "Dr.", "X-based",
    "Singapore-based", "Co-operation", "al-Assad", "l’Élysée", "d’Ivoire", "qu’il", "L'Oréal", "Monday",
    "May", "Außenministerin", "Bundesbank", "Ministry", "ß", "Straße", "Ελλάδα", "Москва", "北京", "_",
    "__", "3.5", "1,200", "2025", "²", "\n", "\n\n", "\n \n", "\u00a0", "\u2028", "\t", " ", "  ",
    "Olúṣẹ́gun", "मजबूत", "ภาษาไทย", "\u0301", "e\u0301-\u0301", "Baer\u00adbock", "\u00ad",
    "می\u200cخواهم", "\u200c", "\U0001f469\u200d\U0001f4bb", "\U0001f3f3\ufe0f\u200d\U0001f308",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(["", " ", "\n"]), max_size=40)
)
def test_tokens_match_the_plain_tokenizer_on_any_text(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(piece + (gaps[i] if i < len(gaps) else " ") for i, piece in enumerate(pieces))
    expected = _plain_tokenize(text)
    assert [_fields(t) for t in tokenize(text)] == expected
    assert [_fields(t) for t in tokenize(text)] == expected  # now from the word cache


# -- other shortcuts ----------------------------------------------------------------------------


def test_whole_run_lookup_agrees_with_the_longest_match() -> None:
    gazetteer = Gazetteer()
    text = " ".join(
        [*_texts(), "United Nations Security Council", "Frankfurt am Main", "Côte d’Ivoire", "EU", "USA"]
    )
    tokens = tokenize(text)
    for start in range(len(tokens)):
        for stop in range(start, min(start + 7, len(tokens)) + 1):
            match = gazetteer.match(tokens, start, stop)
            longest = match[1] if match is not None and match[0] == stop - start else None
            assert gazetteer.match_whole(tokens, start, stop) == longest


_PLAIN_WORD_RE = re.compile(r"\S*[^\W_]\S*")


@given(st.text(alphabet=st.sampled_from([*"Ab1_ -—'’\n\t.,é中²", "\u00a0", "\u2028"]), max_size=60))
def test_word_count_counts_chunks_holding_a_letter_or_digit(text: str) -> None:
    ideographs = [ch for ch in text if "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "")]
    spaced = "".join(" " if ch in ideographs else ch for ch in text)
    assert count_words(text) == len(ideographs) + sum(1 for _ in _PLAIN_WORD_RE.finditer(spaced))


def test_a_word_with_combining_marks_is_one_token() -> None:
    # Yoruba keeps a combining acute after NFC; Hindi and Thai write vowels as marks
    assert [t.text for t in tokenize("Olúṣẹ́gun Obasanjo and मजबूत व्यवस्था")] == [
        "Olúṣẹ́gun",
        "Obasanjo",
        "and",
        "मजबूत",
        "व्यवस्था",
    ]
