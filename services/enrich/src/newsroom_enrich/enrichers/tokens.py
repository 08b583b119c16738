"""Tokenisation with character offsets, so every entity mention can point back into its field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.lexicon import ABBREVIATIONS
from newsroom_enrich.enrichers.text import JOINERS, SOFT_HYPHEN, fold, is_acronym, is_capitalised


def _combining_marks() -> str:
    """Every combining mark of the Basic Multilingual Plane as the body of a character class:
    accents NFC leaves uncomposed ("Olúṣẹ́gun"), Indic and Thai vowel signs. A word character
    class leaves them out, which would cut a word at each. (Within the plane, Python's regex
    engine tests a class in one step; marks beyond it belong to historic scripts.)"""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


COMBINING_MARKS = _combining_marks()
_WORD = f"[\\w{COMBINING_MARKS}{SOFT_HYPHEN}{JOINERS}]"
# One cheap pattern finds dotted acronyms, numbers, words (with inner hyphens and apostrophes)
# and single punctuation marks; elisions and "X-based" compounds are split afterwards in Python.
# Each token comes with the whitespace before it: offsets follow from lengths, line breaks from
# that whitespace. Quantifiers are possessive, as no part can match what another gives back.
# A word starts with a letter, digit or underscore: a mark, soft hyphen or joiner alone (the
# variation selector and joiner inside an emoji sequence) is no word, and is matched as a mark.
_TOKEN_RE = re.compile(
    rf"(\s*+)((?:[A-Z]\.){{2,}}+|\d++(?:[.,:]\d++)++|\w{_WORD}*+(?:[-'’]\w{_WORD}*+)*+|\S)"
)
# Elided articles and prepositions ("l’", "d’", "dell’", "qu’") become tokens of their own so that
# "l’Élysée" exposes the capitalised name and "Côte d’Ivoire" keeps its particle.
_ELISION_RE = re.compile(
    r"(?:[dDlLjJmMnNsStTcC]|[Qq]u|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Dd]all|[Uu]n)['’](?=[^\W\d_])"
)
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
_SENTENCE_END = frozenset(".!?…:;")
OPENERS = frozenset("\"“”„«»‘’'([{—–-")
"""Quotes, brackets and dashes that may sit between a sentence start and its first word."""


class Kind(Enum):
    """What a token is, which decides how spans and sentences treat it."""

    WORD = "word"
    ELISION = "elision"
    NUMBER = "number"
    PUNCT = "punct"


@dataclass(slots=True)
class Token:
    """One token of one field; `end` excludes a possessive "’s", which `possessive` records.

    Only word tokens are `capitalised`. The fields from `key` on are facts of the token's text
    alone, so the tokenizer works them out once per distinct word; `date_word`, `org_head` and
    `title` answer `names.is_date_word`, `spans.is_org_head` and `names.is_title`.
    """

    text: str
    start: int
    end: int
    kind: Kind
    possessive: bool
    sentence_initial: bool
    newline_before: bool
    paragraph_start: bool
    key: str
    capitalised: bool
    acronym: bool
    date_word: bool
    org_head: bool
    title: bool


_Facts = tuple[str, bool, bool, bool, bool, bool]
"""(key, capitalised, acronym, date_word, org_head, title): the last fields of a `Token`."""
_FACTS_LIMIT = 50_000
"""Distinct texts whose facts are remembered; a cache is emptied when it grows past this."""
_plain_facts: dict[str, _Facts] = {}
"""Facts of raw matches that become one word token as they stand (no apostrophe, no split)."""
_mark_facts: dict[str, _Facts] = {}
"""Facts of single punctuation marks."""
_APOSTROPHES = frozenset("'’")


def tokenize(text: str) -> list[Token]:
    """Split a field into tokens, flagging sentence starts, line breaks and possessives."""
    tokens: list[Token] = []
    append = tokens.append
    plain_facts = _plain_facts.get
    word_kind = Kind.WORD
    apostrophes = _APOSTROPHES if "'" in text or "’" in text else frozenset()
    at_sentence_start = True
    previous_end = 0
    # Every non-space character belongs to a token, so only whitespace lies between two tokens.
    for space, raw in _TOKEN_RE.findall(text):
        start = previous_end + len(space)
        previous_end = end = start + len(raw)
        if "\n" in space or not tokens:
            newline = True
            paragraph = not tokens or _BLANK_LINE_RE.search(space) is not None
            at_sentence_start = at_sentence_start or paragraph
        else:
            newline = paragraph = False
        facts = plain_facts(raw)
        if facts is not None and (not apostrophes or text[end : end + 1] not in apostrophes):
            key, capitalised, acronym, date_word, org_head, title = facts  # faster than a starred call
            append(
                Token(
                    raw,
                    start,
                    end,
                    word_kind,
                    False,
                    at_sentence_start,
                    newline,
                    paragraph,
                    key,
                    capitalised,
                    acronym,
                    date_word,
                    org_head,
                    title,
                )
            )
            at_sentence_start = False
            continue
        first = raw[0]
        if len(raw) == 1 and not first.isalnum():
            mark = _mark_facts.get(raw)
            if mark is None:
                mark = _remember(_mark_facts, raw, (raw, False, False, *_cue_facts(raw, raw, False)))
            append(Token(raw, start, end, Kind.PUNCT, False, False, newline, paragraph, *mark))
            if raw in _SENTENCE_END and not _is_abbreviation_stop(raw, tokens):
                at_sentence_start = True
            continue
        if first.isdigit():
            append(_other(raw, start, Kind.NUMBER, raw, at_sentence_start, newline, paragraph))
        elif ("’" in raw or "'" in raw) and (elision := _ELISION_RE.match(raw)) is not None:
            cut = elision.end()
            particle = raw[:cut]
            append(
                _other(particle, start, Kind.ELISION, fold(particle), at_sentence_start, newline, paragraph)
            )
            append(_word(raw[cut:], start + cut, text, False, False, False))
        elif "-" in raw and first.isupper() and _split_compound(raw):
            head, _, tail = raw.rpartition("-")  # "Singapore-based": the name stands alone
            append(_word(head, start, text, at_sentence_start, newline, paragraph))
            dash = start + len(head)
            append(_other("-", dash, Kind.PUNCT, "-", False, False, False))
            append(_word(tail, dash + 1, text, False, False, False))
        else:
            append(_word(raw, start, text, at_sentence_start, newline, paragraph))
            if "'" not in raw and "’" not in raw:  # the same raw text will make the same token
                _remember(_plain_facts, raw, _word_facts(raw))
        at_sentence_start = False
    return tokens


def _remember(cache: dict[str, _Facts], text: str, facts: _Facts) -> _Facts:
    if len(cache) >= _FACTS_LIMIT:
        cache.clear()
    cache[text] = facts
    return facts


def forget_word_facts() -> None:
    """Empty the caches of word facts (the gazetteer's aliases fill them while it is built)."""
    _plain_facts.clear()
    _mark_facts.clear()


def _other(
    raw: str, start: int, kind: Kind, key: str, initial: bool, newline: bool, paragraph: bool
) -> Token:
    """A punctuation mark, number or elided particle."""
    return Token(
        raw,
        start,
        start + len(raw),
        kind,
        False,
        initial,
        newline,
        paragraph,
        key,
        False,
        False,
        *_cue_facts(raw, key, False),
    )


def _word(raw: str, start: int, text: str, initial: bool, newline: bool, paragraph: bool) -> Token:
    end = start + len(raw)
    possessive = False
    if "'" in raw or "’" in raw or text.startswith(("’", "'"), end):
        possessive, raw = _strip_possessive(raw, text, end)
    return Token(
        raw, start, start + len(raw), Kind.WORD, possessive, initial, newline, paragraph, *_word_facts(raw)
    )


def _word_facts(raw: str) -> _Facts:
    capitalised = raw[0].isupper() or is_capitalised(raw)
    key = raw.lower() if raw.isascii() else fold(raw)
    acronym = capitalised and is_acronym(raw)
    return (key, capitalised, acronym, *_cue_facts(raw, key, capitalised))


def _cue_facts(text: str, key: str, capitalised: bool) -> tuple[bool, bool, bool]:
    """Weekday or month name; organisation head; title before a name."""
    date_word = text.lower() in lexicon.DAYS_AND_MONTHS
    org_head = key in lexicon.ORG_HEADS or (
        capitalised and len(key) > 6 and key.endswith(lexicon.ORG_HEAD_SUFFIXES)
    )
    title = key in lexicon.TITLES or (len(key) > 8 and key.endswith(lexicon.TITLE_SUFFIXES))
    if not title and "-" in key:  # "GDL-Chef", "SPD-Kanzlerkandidat": the title after the hyphen
        tail = key.rpartition("-")[2]
        title = (len(tail) > 3 and tail in lexicon.TITLES) or tail.endswith(lexicon.TITLE_SUFFIXES)
    return date_word, org_head, title


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
    return token.kind is Kind.PUNCT and token.text in OPENERS
