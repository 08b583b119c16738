"""Candidate name spans: runs of capitalised words, with the particles names contain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.document import Field
from newsroom_enrich.enrichers.tokens import Kind, Token

_TITLE_CASE_SHARE = 0.6
_CONJUNCTIONS = lexicon.CONJUNCTIONS
_CONNECTORS = lexicon.CONNECTORS
_WEAK_CONNECTORS = lexicon.WEAK_CONNECTORS
_SECOND_PARTICLES = lexicon.SECOND_PARTICLES
_ORG_ADJECTIVES = lexicon.ORG_ADJECTIVES


class Span(NamedTuple):
    """Tokens `field.tokens[start:stop]`."""

    field: Field
    start: int
    stop: int


_new_span = partial(tuple.__new__, Span)
"""`Span(field, start, stop)` without the named tuple's Python-level constructor."""


def is_org_head(token: Token) -> bool:
    """A word that ends (or, in Romance languages, starts) an organisation's name."""
    return token.org_head  # worked out by the tokenizer from its key and capital


MAX_SPAN_TOKENS = 16
"""No name is longer; a longer capitalised run (a listing, a block in capitals) is cut into pieces of
this size, so that names stay bounded and the recogniser, which splits a run recursively, stays
shallow (500 capitalised words in a row used to exhaust Python's recursion limit)."""


def find_spans(field: Field, extends_known: KnownTest) -> list[Span]:
    """Maximal capitalised runs; `extends_known` lets a lowercase word continue a known name."""
    spans: list[Span] = []
    tokens = field.tokens
    resume = 0
    for index, token in enumerate(tokens):
        if index >= resume and token.capitalised:  # only word tokens are capitalised
            resume = _extend(tokens, index, extends_known)
            for start in range(index, resume, MAX_SPAN_TOKENS):
                spans.append(_new_span((field, start, min(start + MAX_SPAN_TOKENS, resume))))
    return spans


def is_title_case(field: Field) -> bool:
    """Headline Style Capitalises Most Words, so capitals there say nothing about names."""
    words = [t for t in field.tokens[1:] if t.kind is Kind.WORD and len(t.text) > 3]
    if len(words) < 2:
        return False
    capitalised = sum(1 for t in words if t.capitalised and not t.acronym)
    return capitalised / len(words) >= _TITLE_CASE_SHARE


KnownTest = Callable[[Sequence[Token], int, int], bool]
"""Does `tokens[start:stop]` spell a known name? Lets a lowercase word continue it ("Nations unies")."""


def _extend(tokens: Sequence[Token], start: int, extends_known: KnownTest) -> int:
    """Index just past the span that starts at `start`.

    `has_head`: the span holds an organisation head; `has_preposition`: a lowercase word that is
    not a conjunction joined it.
    """
    count = len(tokens)
    has_head = tokens[start].org_head
    has_preposition = False
    stop = start + 1
    while stop < count and not tokens[stop - 1].possessive:
        following = tokens[stop]
        if following.newline_before:
            break
        if following.capitalised:  # a capitalised word (only words are capitalised)
            has_head = has_head or following.org_head
            stop += 1
        elif following.text == "." and _is_initial_stop(tokens, stop):
            stop += 1
        elif following.kind is Kind.PUNCT and following.text != "&":
            break  # what `_connector_run` and the adjective test below would both refuse
        elif (after := _connector_run(tokens, start, stop, has_head, has_preposition, extends_known)) > stop:
            for token in tokens[stop:after]:
                has_head = has_head or token.org_head
                has_preposition = has_preposition or (
                    not token.capitalised and token.key not in _CONJUNCTIONS
                )
            stop = after
        elif (
            following.kind is Kind.WORD
            and following.key in _ORG_ADJECTIVES
            and (has_head or extends_known(tokens, start, stop + 1))
        ):
            stop += 1
        else:
            break
    return stop


def _is_initial_stop(tokens: Sequence[Token], index: int) -> bool:
    """The full stop of an initial inside a name ("George W. Bush")."""
    previous = tokens[index - 1]
    return (
        tokens[index].text == "."
        and len(previous.text) == 1
        and previous.text.isupper()
        and index + 1 < len(tokens)
        and tokens[index + 1].capitalised
    )


def _connector_run(
    tokens: Sequence[Token],
    start: int,
    index: int,
    has_head: bool,
    has_preposition: bool,
    extends_known: KnownTest,
) -> int:
    """Index past lowercase particles and the capitalised word after them, or `index` if none.

    The span being grown is `tokens[start:index]`, with the `has_head` and `has_preposition` of `_extend`.
    """
    count = len(tokens)
    position = index
    conjunction = False
    while position < count:
        token = tokens[position]
        if token.newline_before or token.capitalised or (token.kind is Kind.PUNCT and token.text != "&"):
            break
        key = token.key
        is_conjunction = key in _CONJUNCTIONS
        allowed = key in _CONNECTORS or is_conjunction or (has_head and key in _WEAK_CONNECTORS)
        if not allowed or (position == index and key in _SECOND_PARTICLES):
            break
        conjunction = conjunction or is_conjunction
        position += 1
    if position == index or position >= count:
        return index
    landing = tokens[position]
    if landing.kind is not Kind.WORD or not landing.capitalised or landing.newline_before:
        return index
    if conjunction and not (has_head and has_preposition):
        return position + 1 if extends_known(tokens, start, position + 1) else index
    return position + 1
