"""Keywords: the article's entities and its most repeated content words and word pairs.

Scores are occurrence counts weighted by where they occur (headline over standfirst over body),
so a topic named in the headline and repeated in the body ranks first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.document import Document, Field
from newsroom_enrich.enrichers.domain import FoundEntity
from newsroom_enrich.enrichers.spans import is_title_case
from newsroom_enrich.enrichers.text import fold
from newsroom_enrich.enrichers.tokens import Kind, Token

MAX_KEYWORDS = 10
MIN_KEYWORDS = 5
_FIELD_WEIGHTS = (3.0, 2.0, 1.0)
_ENTITY_BOOST = 1.2
_PAIR_BOOST = 1.6
_MIN_REPEATS = 2
"""A word or pair must recur to count as a topic; single words only fill up to the minimum."""
_RELATIVE_FLOOR = 0.12
"""Beyond the minimum, keywords scoring under this share of the best are left out."""


def _folded_words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


# Words frequent in any news story whatever it is about.
_NEWS_NOISE = _folded_words(
    "said says say told tell added also would could should one two three four five first second "
    "last next year years month months week weeks day days time times including according "
    "percent per cent new make made take taken like well many much more most part number however "
    "recent recently later earlier today yesterday tomorrow another way ways thing things even "
    "just still since amid around among within without other others us mr mrs ms dr "
    "dit selon ans deux trois plus aussi fait sagte jahr jahre prozent dijo según años"
)


_NOT_KEYWORDS = (
    _NEWS_NOISE | _folded_words(" ".join(lexicon.DAYS_AND_MONTHS)) | lexicon.DETERMINERS | lexicon.TITLES
)


@dataclass(slots=True)
class _Candidate:
    score: float = 0.0
    count: int = 0
    forms: dict[str, int] | None = None
    """Spellings seen mid-sentence outside a title-case headline: they show the word's own case."""
    fallback: str = ""
    proper: bool = False

    def vote(self, form: str, votes: int = 1) -> None:
        if self.forms is None:
            self.forms = {}
        self.forms[form] = self.forms.get(form, 0) + votes


def extract_keywords(document: Document, entities: Sequence[FoundEntity]) -> list[str]:
    """5-10 keywords, best first; entity names keep their case, other words follow the text's usage."""
    candidates: dict[str, _Candidate] = {}
    for entity in entities:
        candidate = candidates.setdefault(fold(entity.name), _Candidate(proper=True))
        candidate.score += _ENTITY_BOOST * sum(_FIELD_WEIGHTS[m.field_rank] for m in entity.mentions)
        candidate.count += len(entity.mentions)
        candidate.vote(entity.name)
    covered = _covered_positions(document, entities)
    for current in document.fields:
        _count_terms(document, current, covered[current.rank], candidates)
    _merge_plurals(candidates)
    return _select(candidates)


def _covered_positions(document: Document, entities: Sequence[FoundEntity]) -> dict[int, bytearray]:
    """Per field, a mask of characters inside entity mentions, so names are not counted twice."""
    masks = {f.rank: bytearray(len(f.text)) for f in document.fields}
    for entity in entities:
        for mention in entity.mentions:
            mask = masks[mention.field_rank]
            mask[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    return masks


def _count_terms(
    document: Document, current: Field, covered: bytearray, candidates: dict[str, _Candidate]
) -> None:
    weight = _FIELD_WEIGHTS[current.rank]
    votes_case = not (current.rank == 0 and is_title_case(current))
    keep_case = document.language.split("-")[0] == "de"  # German nouns are capitalised
    previous: Token | None = None
    for token, follows in _content_tokens(document, current, covered):
        candidate = candidates.get(token.key)
        if candidate is None:
            fallback = token.text if keep_case else token.text.lower()
            candidate = candidates[token.key] = _Candidate(fallback=fallback)
        candidate.score += weight
        candidate.count += 1
        if votes_case and not token.sentence_initial:
            candidate.vote(token.text)
        if follows and previous is not None:
            pair = candidates.get(f"{previous.key} {token.key}")
            if pair is None:
                first = previous.text if keep_case or not previous.sentence_initial else previous.text.lower()
                pair = candidates[f"{previous.key} {token.key}"] = _Candidate(
                    fallback=f"{first} {token.text}"
                )
            pair.score += weight * _PAIR_BOOST
            pair.count += 1
            if votes_case and not previous.sentence_initial:
                pair.vote(f"{previous.text} {token.text}")
        previous = token


def _content_tokens(document: Document, current: Field, covered: bytearray) -> Iterator[tuple[Token, bool]]:
    """Content words of a field, each with whether it directly follows the previous one."""
    stopwords = document.stopwords
    english = document.language.startswith("en")
    follows = False
    for token in current.tokens:
        key = token.key
        if (
            token.kind is Kind.WORD
            and len(key) > 2
            and not covered[token.start]
            and key not in stopwords
            and key not in _NOT_KEYWORDS
            and not (english and key.endswith("ly"))
        ):
            yield token, follows and not token.paragraph_start
            follows = True
        else:
            follows = False


def _merge_plurals(candidates: dict[str, _Candidate]) -> None:
    """Fold plurals into singulars ("remarks", "remark"), shown in the form used more."""
    for key in [k for k in candidates if k.endswith("s") and k[:-1] in candidates]:
        plural, singular = candidates[key], candidates[key[:-1]]
        if plural.proper or singular.proper:
            continue
        keep, drop = (key, key[:-1]) if plural.count > singular.count else (key[:-1], key)
        candidates[keep].score += candidates[drop].score
        candidates[keep].count += candidates[drop].count
        for form, votes in (candidates[drop].forms or {}).items():
            candidates[keep].vote(form, votes)
        candidates[keep].fallback = candidates[keep].fallback or candidates[drop].fallback
        del candidates[drop]


def _select(candidates: dict[str, _Candidate]) -> list[str]:
    """Names and repeated words first; words seen once only fill up to the minimum."""
    ranked = sorted(candidates.items(), key=lambda item: (-item[1].score, item[0]))
    repeated = [(k, c) for k, c in ranked if c.proper or c.count >= _MIN_REPEATS]
    chosen: list[tuple[str, _Candidate]] = []
    best = repeated[0][1].score if repeated else 0.0
    for key, candidate in repeated:
        enough = len(chosen) >= MIN_KEYWORDS and candidate.score < best * _RELATIVE_FLOOR
        if len(chosen) >= MAX_KEYWORDS or enough:
            break
        if not _overlaps(key, [k for k, _ in chosen]):
            chosen.append((key, candidate))
    for key, candidate in ranked:
        if len(chosen) >= MIN_KEYWORDS:
            break
        taken = [k for k, _ in chosen]
        if " " not in key and key not in taken and not _overlaps(key, taken):
            chosen.append((key, candidate))
    return [_display(key, candidate) for key, candidate in chosen]


def _overlaps(key: str, chosen: list[str]) -> bool:
    """A word already inside a chosen phrase or name, or a phrase around a chosen word, adds nothing."""
    words = set(key.split())
    return any(words <= set(other.split()) or set(other.split()) <= words for other in chosen)


def _display(key: str, candidate: _Candidate) -> str:
    """Entity names as found; words as the text writes them mid-sentence, else lowercased."""
    if candidate.forms:
        return max(candidate.forms.items(), key=lambda item: item[1])[0]
    return candidate.fallback or key
