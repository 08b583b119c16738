"""Sentence boundaries over tokens, for extractive summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from newsroom_enrich.enrichers.document import Field
from newsroom_enrich.enrichers.lexicon import ABBREVIATIONS
from newsroom_enrich.enrichers.tokens import Kind, Token, is_opener

_TERMINATORS = frozenset(".!?…")
_CLOSERS = frozenset("\"”’»)]'")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a field: tokens `field.tokens[first:stop]`."""

    field: Field
    first: int
    stop: int

    @property
    def text(self) -> str:
        """The sentence as written, with runs of whitespace made single spaces."""
        tokens = self.field.tokens
        return " ".join(self.field.text[tokens[self.first].start : tokens[self.stop - 1].end].split())

    @property
    def words(self) -> list[Token]:
        """Word tokens of the sentence."""
        return [t for t in self.field.tokens[self.first : self.stop] if t.kind is Kind.WORD]


def iter_sentences(field: Field) -> Iterator[Sentence]:
    """Split at ., !, ? or … before a capital, digit or quote, and at paragraph breaks; not after "Mr.".

    Lazily, so a summary that needs the opening sentences does not split the whole article.
    """
    tokens = field.tokens
    first = 0
    for index in range(1, len(tokens) + 1):
        if index == len(tokens) or _starts_sentence(tokens, index):
            sentence = Sentence(field, first, index)
            if sentence.words:
                yield sentence
            first = index


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
    if tokens[ending].text != "." or before is None or before.kind is not Kind.WORD:
        return True
    is_initial = len(before.text) == 1 and before.text.isupper()
    return not (is_initial or before.key in ABBREVIATIONS)
