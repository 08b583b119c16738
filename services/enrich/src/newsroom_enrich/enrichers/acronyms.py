"""Acronym definitions in the text: "Organization of American States (OAS)".

The long form is found with the Schwartz–Hearst rule (Pacific Symposium on Biocomputing, 2003):
the acronym's letters must appear, in order, in the words before the parenthesis, its first letter
at the start of a word. That also finds forms with lowercase words ("Agence française de
développement (AFD)") and compounds ("Europäische Zentralbank (EZB)").
"""

from __future__ import annotations

from dataclasses import dataclass

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.document import Field
from newsroom_enrich.enrichers.text import fold
from newsroom_enrich.enrichers.tokens import Kind

_EXTRA_WORDS = 5
"""A long form may hold this many words beyond one per letter ("of", "the", "de", "und"...)."""


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """Long form `field.tokens[start:stop]` defines the acronym at `field.tokens[acronym]`."""

    field: Field
    start: int
    stop: int
    acronym: int


def find_definitions(field: Field) -> list[AcronymDefinition]:
    """Every "Long Form (LF)" in the field whose long form starts with a capital."""
    if "(" not in field.text:
        return []  # every "(" is a token of its own
    tokens = field.tokens
    found: list[AcronymDefinition] = []
    for index in range(1, len(tokens) - 2):
        short = tokens[index + 1]
        if tokens[index].text != "(" or tokens[index + 2].text != ")" or not short.acronym:
            continue
        if short.key.replace(".", "") in lexicon.COMMON_ACRONYMS:
            continue
        start = _long_form_start(field, index, short.key)
        if start is not None:
            found.append(AcronymDefinition(field, start, index, index + 1))
    return found


def _long_form_start(field: Field, paren: int, short: str) -> int | None:
    """Index of the first token of the long form ending before `tokens[paren]`, if any."""
    tokens = field.tokens
    letters = [ch for ch in short if ch.isalnum()]
    first = paren
    words = 0
    while first > 0 and words < len(letters) + _EXTRA_WORDS:
        token = tokens[first - 1]
        if token.kind is Kind.PUNCT and token.text not in "&-":
            break
        first -= 1
        words += token.kind is not Kind.PUNCT
    if first == paren:
        return None
    base = tokens[first].start
    raw = field.text[base : tokens[paren - 1].end]
    # One folded character per character, so offsets in `window` are offsets in the text.
    window = raw.lower() if raw.isascii() else "".join((fold(ch) or ch)[0] for ch in raw)
    offset = _schwartz_hearst(letters, window)
    if offset is None:
        return None
    start = next((k for k in range(first, paren) if tokens[k].start == base + offset), None)
    if start is None or not tokens[start].capitalised:
        return None
    return start


def _schwartz_hearst(letters: list[str], window: str) -> int | None:
    """Offset in `window` where the long form begins, matching letters right to left."""
    position = len(window) - 1
    for place in range(len(letters) - 1, -1, -1):
        letter = letters[place]
        while position >= 0 and (
            window[position] != letter or (place == 0 and position > 0 and window[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
    return position + 1
