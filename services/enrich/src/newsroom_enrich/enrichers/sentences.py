"""Sentence boundaries over tokens, for extractive summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from newsroom_enrich.enrichers.document import Field
from newsroom_enrich.enrichers.lexicon import ABBREVIATIONS, MONTHS
from newsroom_enrich.enrichers.tokens import Kind, Token, is_opener

_FULL_WIDTH_TERMINATORS = frozenset("。！？")
"""Chinese and Japanese stops: the next sentence follows with no space."""
_TERMINATORS = frozenset(".!?…।॥؟۔։") | _FULL_WIDTH_TERMINATORS
_CLOSERS = frozenset("\"”’»)]'」』）》】")
_ENDINGS = _TERMINATORS | _CLOSERS
_ORDINAL_DATE_LANGUAGES = frozenset({"de", "pl", "cs", "sk", "sv", "da", "no", "nb", "nn", "tr"})
"""Languages that write a day as an ordinal with a stop before its month ("am 15. November",
"15. marca"); in English, French or Spanish "rose 5. March figures..." ends a sentence."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a field: tokens `field.tokens[first:stop]`, with its words and text worked out once."""

    field: Field
    first: int
    stop: int
    words: list[Token]
    """Word tokens of the sentence."""
    text: str
    """The sentence as written, with runs of whitespace made single spaces."""


def _sentence(field: Field, first: int, stop: int) -> Sentence | None:
    """The sentence of `field.tokens[first:stop]`, or None when it holds no word."""
    tokens = field.tokens
    words = [t for t in tokens[first:stop] if t.kind is Kind.WORD]
    if not words:
        return None
    text = " ".join(field.text[tokens[first].start : tokens[stop - 1].end].split())
    return Sentence(field, first, stop, words, text)


def iter_sentences(field: Field) -> Iterator[Sentence]:
    """Split at ., !, ? or … before a capital, digit or quote, and at paragraph breaks; not after "Mr."
    or an initial, nor after a day's ordinal stop before its month in a language that writes dates
    so ("am 15. November"), nor inside "z. B." or before "p. 12". In scripts without capitals a stop
    before a space is enough (".", "؟", "।"); "。", "！" and "？" need none.

    Lazily, so a summary that needs the opening sentences does not split the whole article.
    """
    tokens = field.tokens
    count = len(tokens)
    ordinal_dates = field.language.split("-")[0] in _ORDINAL_DATE_LANGUAGES
    first = 0
    for index in range(1, count):
        if tokens[index - 1].text not in _ENDINGS and not tokens[index].paragraph_start:
            continue  # no terminator (or closing mark after one) before it
        if _starts_sentence(tokens, index, ordinal_dates):
            sentence = _sentence(field, first, index)
            if sentence is not None:
                yield sentence
            first = index
    if count:
        sentence = _sentence(field, first, count)
        if sentence is not None:
            yield sentence


def _starts_sentence(tokens: tuple[Token, ...], index: int, ordinal_dates: bool) -> bool:
    token = tokens[index]
    if token.paragraph_start:
        return True
    kind = token.kind
    if not (kind is Kind.WORD or kind is Kind.NUMBER or is_opener(token)):
        return False
    ending = index - 1
    while ending > 0 and tokens[ending].text in _CLOSERS and tokens[ending].start == tokens[ending - 1].end:
        ending -= 1
    terminator = tokens[ending].text
    if terminator not in _TERMINATORS:
        return False
    spaced = token.start != tokens[index - 1].end
    if terminator in _FULL_WIDTH_TERMINATORS:
        # "好。我们": no space needed; after a closing quote ("吧！”他说") the attribution follows
        return (ending == index - 1 and token.text not in _CLOSERS) or spaced
    if not spaced:
        return False
    if kind is Kind.WORD and not (token.capitalised or _is_caseless(token.text)):
        return False  # a word in lowercase continues the sentence
    before = tokens[ending - 1] if ending >= 1 else None
    if terminator != "." or before is None:
        return True
    if before.kind is Kind.NUMBER:
        return not (ordinal_dates and _is_ordinal_date(tokens, ending - 1, token))
    return before.kind is not Kind.WORD or _stop_after_word_ends(tokens, ending - 1, index)


def _stop_after_word_ends(tokens: tuple[Token, ...], word: int, following: int) -> bool:
    """Whether the stop after `tokens[word]` ends the sentence: not after an initial ("J."), "Mr."
    or a lowercase letter of an abbreviation (`_in_letter_abbreviation`)."""
    text = tokens[word].text
    if len(text) == 1 and text.isupper():
        return False
    if tokens[word].key in ABBREVIATIONS:  # also "m" of "p.m."
        return False
    return not (len(text) == 1 and text.islower() and _in_letter_abbreviation(tokens, word, following))


def _in_letter_abbreviation(tokens: tuple[Token, ...], letter: int, following: int) -> bool:
    """A lowercase letter's stop inside an abbreviation of spaced letters ("z. B.", "u. a.", "d. h.",
    "h. c.") or before a number ("p. 12"); "vitamin d. It helped", "option a. The second" and, as
    before, "firms, e.g. Some were fined" end there."""
    after = tokens[following]
    if after.kind is Kind.NUMBER:
        return True
    if len(after.text) == 1 and after.kind is Kind.WORD:
        return following + 1 < len(tokens) and tokens[following + 1].text == "."
    if letter >= 2 and tokens[letter - 1].text == "." and tokens[letter - 1].end != tokens[letter].start:
        previous = tokens[letter - 2]
        return len(previous.text) == 1 and previous.kind is Kind.WORD
    return False


def _is_caseless(word: str) -> bool:
    """A word of a script without capitals (Arabic, Hebrew, Devanagari, Chinese), which can start a
    sentence after a stop and a space."""
    first = word[0]
    return first.isalpha() and not first.islower() and not first.isupper()


def _is_ordinal_date(tokens: tuple[Token, ...], number: int, following: Token) -> bool:
    """A day of the month written as an ordinal, with its stop: "am 15. November", "le 1. mai".

    Not "on May 5. June was...", where the day follows its month and the stop ends the sentence.
    """
    day = tokens[number].text
    if not (len(day) <= 2 and day.isdecimal() and int(day) > 0) or following.text.lower() not in MONTHS:
        return False
    return number == 0 or tokens[number - 1].text.lower() not in MONTHS
