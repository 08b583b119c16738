"""Extractive summary: the one or two opening sentences that best echo the headline and keywords.

Sentences are copied, never rewritten, so the summary cannot state what the article does not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from newsroom_enrich.enrichers.document import Document
from newsroom_enrich.enrichers.sentences import Sentence, iter_sentences
from newsroom_enrich.enrichers.text import fold
from newsroom_enrich.enrichers.tokens import Token

MAX_SUMMARY_CHARS = 300
_CANDIDATE_SENTENCES = 8
"""News puts the point first: only the opening sentences compete."""
_STEM = 5
_MIN_WORDS = 6


def summarise(document: Document, keywords: Sequence[str]) -> str:
    """One or two sentences, at most `MAX_SUMMARY_CHARS` characters, taken from the text."""
    sentences = _candidates(document)
    headline = document.field("headline")
    if not sentences:
        return _clip(" ".join(headline.text.split())) if headline else ""
    headline_stems = _stems(headline.tokens if headline else ())
    keyword_stems = {fold(word)[:_STEM] for phrase in keywords for word in phrase.split()}
    scores = [_score(s, position, headline_stems, keyword_stems) for position, s in enumerate(sentences)]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    summary = sentences[best].text
    if len(summary) > MAX_SUMMARY_CHARS:
        return _clip(summary)
    if best + 1 < len(sentences):
        following = sentences[best + 1].text
        gap = "" if _written_together(sentences[best], sentences[best + 1]) else " "
        combined = f"{summary}{gap}{following}"
        if len(combined) <= MAX_SUMMARY_CHARS and not following.startswith(("“", '"', "«", "„")):
            return combined
    return summary


def _candidates(document: Document) -> list[Sentence]:
    """Opening sentences of standfirst and body, each text once."""
    seen: set[str] = set()
    chosen: list[Sentence] = []
    for name in ("standfirst", "body"):
        current = document.field(name)
        if current is None:
            continue
        for sentence in iter_sentences(current):
            text = sentence.text
            if text not in seen:
                seen.add(text)
                chosen.append(sentence)
            if len(chosen) >= _CANDIDATE_SENTENCES:
                return chosen
    return chosen


def _written_together(sentence: Sentence, following: Sentence) -> bool:
    """Nothing between the two in the text, as Chinese and Japanese write sentences ("好。我们")."""
    tokens = sentence.field.tokens
    return (
        following.field is sentence.field
        and following.first == sentence.stop
        and tokens[sentence.stop - 1].end == tokens[following.first].start
    )


def _stems(tokens: Iterable[Token]) -> set[str]:
    return {t.key[:_STEM] for t in tokens if len(t.key) > 3}


def _score(sentence: Sentence, position: int, headline: set[str], keywords: set[str]) -> float:
    """Headline echo counts double, keywords once; later, short, quoted or long sentences lose."""
    words = sentence.words
    stems = _stems(words)
    score = 2.0 * len(stems & headline) + len(stems & keywords)
    score *= 1.0 / (1.0 + 0.15 * position)
    text = sentence.text
    if len(words) < _MIN_WORDS:
        score *= 0.5
    if text.startswith(("“", '"', "«", "„")):
        score *= 0.6
    if len(text) > MAX_SUMMARY_CHARS:
        score *= 0.5
    return score


def _clip(text: str) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis; with no space to cut at (Chinese,
    one endless word), between two characters a reader sees as separate."""
    if len(text) <= MAX_SUMMARY_CHARS:
        return text
    head = text[: MAX_SUMMARY_CHARS - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head[: _grapheme_start(text, len(head))]
    return cut.rstrip(",;:—– ") + "…"


_JOINED = frozenset("\u200d\ufe0e\ufe0f")  # zero-width joiner, variation selectors


def _grapheme_start(text: str, at: int) -> int:
    """The nearest index at or before `at` that does not split a character from its combining
    marks, an emoji sequence joined by ZWJ (or its skin tone), or a flag's two letters."""
    while at > 0 and (
        unicodedata.category(text[at])[0] == "M"
        or text[at] in _JOINED
        or text[at - 1] == "\u200d"
        or 0x1F3FB <= ord(text[at]) <= 0x1F3FF
    ):
        at -= 1
    run = at
    while run > 0 and 0x1F1E6 <= ord(text[run - 1]) <= 0x1F1FF:  # regional indicators before the cut
        run -= 1
    return at - 1 if (at - run) % 2 else at
