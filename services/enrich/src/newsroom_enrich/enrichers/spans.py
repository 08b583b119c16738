"""Candidate name spans: runs of capitalised words, with the particles names contain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.document import Field
from newsroom_enrich.enrichers.tokens import Kind, Token

_TITLE_CASE_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class Span:
    """Tokens `field.tokens[start:stop]`."""

    field: Field
    start: int
    stop: int


def is_org_head(token: Token) -> bool:
    """A word that ends (or, in Romance languages, starts) an organisation's name."""
    key = token.key
    if key in lexicon.ORG_HEADS:
        return True
    return token.capitalised and len(key) > 6 and key.endswith(lexicon.ORG_HEAD_SUFFIXES)


def find_spans(field: Field, extends_known: KnownTest) -> list[Span]:
    """Maximal capitalised runs; `extends_known` lets a lowercase word continue a known name."""
    spans: list[Span] = []
    tokens = field.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind is Kind.WORD and token.capitalised:
            stop = _extend(tokens, index, extends_known)
            spans.append(Span(field, index, stop))
            index = stop
        else:
            index += 1
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
    """Index just past the span that starts at `start`."""
    run = _Run(tokens, start, is_org_head(tokens[start]))
    while run.stop < len(tokens) and not tokens[run.stop - 1].possessive:
        following = tokens[run.stop]
        if following.newline_before:
            break
        if following.kind is Kind.WORD and following.capitalised:
            run.take(run.stop + 1)
        elif _is_initial_stop(tokens, run.stop):
            run.stop += 1
        elif (after := _connector_run(run, extends_known)) > run.stop:
            run.take(after)
        elif (
            following.kind is Kind.WORD
            and following.key in lexicon.ORG_ADJECTIVES
            and (run.has_head or extends_known(tokens, start, run.stop + 1))
        ):
            run.stop += 1
        else:
            break
    return run.stop


class _Run:
    """A span being grown, with what it holds so far."""

    def __init__(self, tokens: Sequence[Token], start: int, has_head: bool) -> None:
        self.tokens = tokens
        self.start = start
        self.stop = start + 1
        self.has_head = has_head
        self.has_preposition = False

    def take(self, stop: int) -> None:
        for token in self.tokens[self.stop : stop]:
            self.has_head = self.has_head or is_org_head(token)
            self.has_preposition = self.has_preposition or (
                not token.capitalised and token.key not in lexicon.CONJUNCTIONS
            )
        self.stop = stop


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


def _connector_run(run: _Run, extends_known: KnownTest) -> int:
    """Index past lowercase particles and the capitalised word after them, or `run.stop` if none."""
    tokens, index = run.tokens, run.stop
    position = index
    conjunction = False
    while position < len(tokens):
        token = tokens[position]
        if token.newline_before or token.capitalised or (token.kind is Kind.PUNCT and token.text != "&"):
            break
        key = token.key
        allowed = (
            key in lexicon.CONNECTORS
            or key in lexicon.CONJUNCTIONS
            or (run.has_head and key in lexicon.WEAK_CONNECTORS)
        )
        if not allowed or (position == index and key in lexicon.SECOND_PARTICLES):
            break
        conjunction = conjunction or key in lexicon.CONJUNCTIONS
        position += 1
    if position == index or position >= len(tokens):
        return index
    landing = tokens[position]
    if landing.kind is not Kind.WORD or not landing.capitalised or landing.newline_before:
        return index
    if conjunction and not (run.has_head and run.has_preposition):
        return position + 1 if extends_known(tokens, run.start, position + 1) else index
    return position + 1
