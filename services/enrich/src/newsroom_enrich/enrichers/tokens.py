"""Tokenisation with character offsets, so every entity mention can point back into its field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from newsroom_enrich.enrichers.lexicon import ABBREVIATIONS
from newsroom_enrich.enrichers.text import fold, is_acronym, is_capitalised

# One cheap pattern finds dotted acronyms, numbers, words (with inner hyphens and apostrophes)
# and single punctuation marks; elisions and "X-based" compounds are split afterwards in Python.
_TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,:]\d+)+|\w+(?:[-'’]\w+)*|\S")
# Elided articles and prepositions ("l’", "d’", "dell’", "qu’") become tokens of their own so that
# "l’Élysée" exposes the capitalised name and "Côte d’Ivoire" keeps its particle.
_ELISION_RE = re.compile(
    r"(?:[dDlLjJmMnNsStTcC]|[Qq]u|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Dd]all|[Uu]n)['’](?=[^\W\d_])"
)
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
_SENTENCE_END = frozenset(".!?…:;")
_OPENERS = frozenset("\"“”„«»‘’'([{—–-")


class Kind(Enum):
    """What a token is, which decides how spans and sentences treat it."""

    WORD = "word"
    ELISION = "elision"
    NUMBER = "number"
    PUNCT = "punct"


@dataclass(slots=True)
class Token:
    """One token of one field; `end` excludes a possessive "’s", which `possessive` records."""

    text: str
    start: int
    end: int
    kind: Kind
    key: str
    capitalised: bool
    acronym: bool
    possessive: bool
    sentence_initial: bool
    newline_before: bool
    paragraph_start: bool = False


def tokenize(text: str) -> list[Token]:
    """Split a field into tokens, flagging sentence starts, line breaks and possessives."""
    tokens: list[Token] = []
    append = tokens.append
    at_sentence_start = True
    previous_end = 0
    for match in _TOKEN_RE.finditer(text):
        raw = match.group()
        start = match.start()
        newline = paragraph = not tokens
        if start > previous_end and text.find("\n", previous_end, start) != -1:
            newline = True
            paragraph = paragraph or _BLANK_LINE_RE.search(text, previous_end, start) is not None
        at_sentence_start = at_sentence_start or paragraph
        previous_end = match.end()
        first = raw[0]
        if len(raw) == 1 and not first.isalnum():
            append(
                Token(
                    raw, start, previous_end, Kind.PUNCT, raw, False, False, False, False, newline, paragraph
                )
            )
            if raw in _SENTENCE_END and not _is_abbreviation_stop(raw, tokens):
                at_sentence_start = True
            continue
        if first.isdigit():
            append(
                Token(
                    raw,
                    start,
                    previous_end,
                    Kind.NUMBER,
                    raw,
                    False,
                    False,
                    False,
                    at_sentence_start,
                    newline,
                    paragraph,
                )
            )
        elif ("’" in raw or "'" in raw) and (elision := _ELISION_RE.match(raw)) is not None:
            cut = elision.end()
            append(
                Token(
                    raw[:cut],
                    start,
                    start + cut,
                    Kind.ELISION,
                    fold(raw[:cut]),
                    False,
                    False,
                    False,
                    at_sentence_start,
                    newline,
                    paragraph,
                )
            )
            append(_word(raw[cut:], start + cut, text, False, False, False))
        elif "-" in raw and first.isupper() and _split_compound(raw):
            head, _, tail = raw.rpartition("-")  # "Singapore-based": the name stands alone
            append(_word(head, start, text, at_sentence_start, newline, paragraph))
            dash = start + len(head)
            append(Token("-", dash, dash + 1, Kind.PUNCT, "-", False, False, False, False, False, False))
            append(_word(tail, dash + 1, text, False, False, False))
        else:
            append(_word(raw, start, text, at_sentence_start, newline, paragraph))
        at_sentence_start = False
    return tokens


def _word(raw: str, start: int, text: str, initial: bool, newline: bool, paragraph: bool) -> Token:
    end = start + len(raw)
    possessive = False
    if "'" in raw or "’" in raw or text.startswith(("’", "'"), end):
        possessive, raw = _strip_possessive(raw, text, end)
    capitalised = raw[0].isupper() or is_capitalised(raw)
    key = raw.lower() if raw.isascii() else fold(raw)
    acronym = capitalised and is_acronym(raw)
    return Token(
        raw,
        start,
        start + len(raw),
        Kind.WORD,
        key,
        capitalised,
        acronym,
        possessive,
        initial,
        newline,
        paragraph,
    )


def _split_compound(raw: str) -> bool:
    head, _, tail = raw.rpartition("-")
    return tail.islower() and (len(head) >= 4 or head.isupper())  # not "Co-operation"


def _strip_possessive(raw: str, text: str, end: int) -> tuple[bool, str]:
    """Possessive flag and bare word: "Okafor’s" -> (True, "Okafor"); "Paris’ mayor" keeps "Paris"."""
    if raw.endswith(("’s", "'s", "’S", "'S")) and len(raw) > 3:
        return True, raw[:-2]
    bare_apostrophe = text[end : end + 1] in ("’", "'") and not text[end + 1 : end + 2].isalpha()
    return bare_apostrophe and raw[-1] in "sSzZ", raw


def _is_abbreviation_stop(raw: str, tokens: list[Token]) -> bool:
    """A full stop after "Mr" or an initial ("J.") does not start a sentence."""
    if raw != "." or len(tokens) < 2:
        return False
    previous = tokens[-2]
    if previous.kind is not Kind.WORD or previous.end != tokens[-1].start:
        return False
    return previous.key in ABBREVIATIONS or (len(previous.text) == 1 and previous.text.isupper())


def is_opener(token: Token) -> bool:
    """Quotes, brackets and dashes that may sit between a sentence start and its first word."""
    return token.kind is Kind.PUNCT and token.text in _OPENERS
