"""Offline language identification: writing system first, then function-word profiles.

News text is dense in function words ("the", "der", "les", "и"), which separate the supported Latin
and Cyrillic languages reliably from a paragraph on; anything weaker answers "und" rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

from newsroom_enrich.enrichers.stopwords import FIRST_LANGUAGES, LANGUAGE_WORDS
from newsroom_enrich.enrichers.text import fold

UNDETERMINED = "und"
SAMPLE_WORDS = 250
"""Function words settle the language long before this; the rest of a long text is not read."""
_SAMPLE_CHARS = 4000
_MIN_EVIDENCE = 1.5
_MIN_SHARE = 0.06
_MIN_MARGIN = 1.25
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_BCP47_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

# Scripts that pin the language on their own, by the Unicode name prefix of their letters.
_SCRIPT_LANGUAGES: Mapping[str, str] = {
    "GREEK": "el",
    "ARABIC": "ar",
    "HEBREW": "he",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
    "THAI": "th",
    "DEVANAGARI": "hi",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "BENGALI": "bn",
}
# Languages the detector cannot tell apart from the one it reports for their script (it knows no
# words of them): a hint naming one of them is believed over that report (Persian is not Arabic).
_HIDDEN_BY: Mapping[str, frozenset[str]] = {
    "ar": frozenset({"fa", "ur", "ps", "sd", "ug", "ckb"}),
    "hi": frozenset({"ne", "mr", "sa"}),
    "bn": frozenset({"as"}),
    "he": frozenset({"yi"}),
    "zh": frozenset({"yue"}),
    "ru": frozenset({"bg", "kk", "ky", "mk", "mn", "tg", "tt", "ba"}),
    "uk": frozenset({"kk", "ky", "tt", "ba"}),
    "sr": frozenset({"mk"}),
    "no": frozenset({"nb", "nn"}),
}
# Belarusian shares "і" with Ukrainian, so its own "ў" is checked first.
_CYRILLIC_MARKERS: Mapping[str, str] = {
    "ў": "be",
    "і": "uk",
    "ї": "uk",
    "є": "uk",
    "ґ": "uk",
    "ђ": "sr",
    "ћ": "sr",
    "џ": "sr",
    "љ": "sr",
    "њ": "sr",
}


def _word_weights() -> dict[str, dict[str, float]]:
    """Per word, the languages it votes for, each vote shared among the languages that use it.

    A language added later shares its words' votes with every language using them, while the first
    languages share theirs only among themselves: Danish "der" and Polish "się" (folded "sie") do not
    halve the evidence for German, so adding a language never turns a German headline into "und".
    """
    owners: dict[str, list[str]] = {}
    for language, words in LANGUAGE_WORDS.items():
        for word in words:
            owners.setdefault(word, []).append(language)
    weights: dict[str, dict[str, float]] = {}
    for word, langs in owners.items():
        first = [lang for lang in langs if lang in FIRST_LANGUAGES]
        weights[word] = {lang: 1.0 / len(first if lang in FIRST_LANGUAGES else langs) for lang in langs}
    return weights


_WEIGHTS = _word_weights()
_VOTES = {word: tuple(votes.items()) for word, votes in _WEIGHTS.items()}
"""`_WEIGHTS` as (language, weight) pairs, in the same order."""


def detect_language(text: str, hint: str | None = None) -> str:
    """BCP 47 tag of `text`.

    A hint that agrees keeps its region ("pt-BR"); a hint decides when the text cannot ("und").
    """
    words = _LETTERS_RE.findall(text[:_SAMPLE_CHARS])
    return _with_hint(_detect(words, [fold(w) for w in words]), hint)


def detect_language_of_words(words: Sequence[str], folded: Sequence[str], hint: str | None = None) -> str:
    """As `detect_language`, for text already split into words and folded (`text.fold`)."""
    return _with_hint(_detect(words[:SAMPLE_WORDS], folded[:SAMPLE_WORDS]), hint)


def _with_hint(detected: str, hint: str | None) -> str:
    normalised_hint = normalise_tag(hint)
    if normalised_hint is None:
        return detected
    primary = normalised_hint.split("-")[0]
    if detected == UNDETERMINED or primary == detected or primary in _HIDDEN_BY.get(detected, ()):
        return normalised_hint
    return detected


def normalise_tag(tag: str | None) -> str | None:
    """Normalise "EN_gb" to "en-GB"; None for anything not shaped like a language tag."""
    if not tag or not _BCP47_RE.match(tag.strip()):
        return None
    parts = tag.strip().replace("_", "-").split("-")
    head = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else (p.title() if len(p) == 4 else p.lower()) for p in parts[1:]]
    return "-".join([head, *rest])


def _detect(words: Sequence[str], folded: Sequence[str]) -> str:
    if not words:
        return UNDETERMINED
    script = _dominant_script(words)
    if script == "LATIN":
        return _by_function_words(folded)
    if script == "CYRILLIC":
        lowered = " ".join(words).lower()
        marker = next((lang for mark, lang in _CYRILLIC_MARKERS.items() if mark in lowered), None)
        return marker or _by_function_words(folded)
    if script == "CJK" and any(_KANA_RE.search(w) for w in words):
        return "ja"  # Japanese mixes kanji with kana; Chinese has none
    return _SCRIPT_LANGUAGES.get(script, UNDETERMINED)


def _dominant_script(words: Sequence[str]) -> str:
    """Script of most letters, sampled from the first words so long texts stay cheap."""
    sample = words[:200]
    if "".join(sample).isascii():
        return "LATIN"  # the common case: every word starts with an ASCII letter
    counts: Counter[str] = Counter()
    for word in sample:
        ch = word[0]
        if ch.isascii():
            counts["LATIN"] += len(word)
            continue
        name = unicodedata.name(ch, "")
        counts[name.split(" ")[0] if name else "UNKNOWN"] += len(word)
    script, _ = counts.most_common(1)[0]
    return script


def _by_function_words(words: Sequence[str]) -> str:
    scores: dict[str, float] = {}
    total = len(words)
    for votes in map(_VOTES.get, words):
        if votes:
            for language, weight in votes:
                scores[language] = scores.get(language, 0.0) + weight
    if not scores:
        return UNDETERMINED
    ranked = sorted(scores.items(), key=lambda item: -item[1])[:2]
    best_language, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < _MIN_EVIDENCE or best / total < _MIN_SHARE or best < runner_up * _MIN_MARGIN:
        return UNDETERMINED
    return best_language
