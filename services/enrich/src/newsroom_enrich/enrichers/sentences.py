"""Sentence boundaries over tokens, for extractive summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from newsroom_enrich.enrichers.document import Field
from newsroom_enrich.enrichers.lexicon import ABBREVIATIONS, MONTHS
from newsroom_enrich.enrichers.tokens import OPENERS as _OPENERS
from newsroom_enrich.enrichers.tokens import Kind, Token, is_opener

_TERMINATORS = frozenset(".!?…")
_CLOSERS = frozenset("\"”’»)]'")
_ENDINGS = _TERMINATORS | _CLOSERS


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
    or an initial, nor after a day's ordinal stop before its month ("am 15. November").

    Lazily, so a summary that needs the opening sentences does not split the whole article.
    """
    tokens = field.tokens
    count = len(tokens)
    number, punct = Kind.NUMBER, Kind.PUNCT
    first = 0
    for index in range(1, count):
        token = tokens[index]
        # What `_starts_sentence` rejects at once: a word in lowercase, a closing mark, a comma...
        if not (
            token.capitalised  # only words are capitalised
            or token.paragraph_start
            or token.kind is number
            or (token.kind is punct and token.text in _OPENERS)
        ):
            continue
        if not token.paragraph_start and tokens[index - 1].text not in _ENDINGS:
            continue  # no terminator (or closing mark after one) before it
        if _starts_sentence(tokens, index):
            sentence = _sentence(field, first, index)
            if sentence is not None:
                yield sentence
            first = index
    if count:
        sentence = _sentence(field, first, count)
        if sentence is not None:
            yield sentence


def _starts_sentence(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if token.paragraph_start:
        return True
    starts_like_sentence = token.kind is Kind.NUMBER or (token.kind is Kind.WORD and token.capitalised)
    if not (starts_like_sentence or is_opener(token)) or token.start == tokens[index - 1].end:
        return False
    ending = index - 1
    while ending > 0 and tokens[ending].text in _CLOSERS and tokens[ending].start == tokens[ending - 1].end:
        ending -= 1
    if tokens[ending].text not in _TERMINATORS:
        return False
    before = tokens[ending - 1] if ending >= 1 else None
    if tokens[ending].text != "." or before is None:
        return True
    if before.kind is Kind.NUMBER:
        return not _is_ordinal_date(tokens, ending - 1, token)
    if before.kind is not Kind.WORD:
        return True
    # an initial ("J."), a letter of an abbreviation ("z. B.", "h. c.", "p. 12") or "Mr."
    is_letter = len(before.text) == 1 and (before.text.isupper() or before.text.islower())
    return not (is_letter or before.key in ABBREVIATIONS)


def _is_ordinal_date(tokens: tuple[Token, ...], number: int, following: Token) -> bool:
    """A day of the month written as an ordinal, with its stop: "am 15. November", "le 1. mai".

    Not "on May 5. June was...", where the day follows its month and the stop ends the sentence.
    """
    day = tokens[number].text
    if not (len(day) <= 2 and day.isdecimal() and int(day) > 0) or following.text.lower() not in MONTHS:
        return False
    return number == 0 or tokens[number - 1].text.lower() not in MONTHS
