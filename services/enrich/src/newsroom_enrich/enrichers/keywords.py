"""Keywords: the article's entities and its most repeated content words and word pairs.

Scores are occurrence counts weighted by where they occur (headline over standfirst over body),
so a topic named in the headline and repeated in the body ranks first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.document import Document, Field
from newsroom_enrich.enrichers.domain import FoundEntity
from newsroom_enrich.enrichers.spans import is_title_case
from newsroom_enrich.enrichers.text import fold, without_soft_hyphens
from newsroom_enrich.enrichers.tokens import Kind, Token

MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 48  # longer than any word (German compounds included): a run without spaces
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
    weights = _FIELD_WEIGHTS
    for entity in entities:
        key = fold(entity.name)
        candidate = candidates.get(key)
        if candidate is None:
            candidate = candidates[key] = _Candidate(proper=True)
        mentions = entity.mentions
        candidate.score += _ENTITY_BOOST * sum([weights[rank] for rank, _, _ in mentions])
        candidate.count += len(mentions)
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
    """Count the field's content words, and each pair of content words that follow one another.

    A content word is a word of three letters or more, outside any entity mention, that is neither
    a stopword nor news noise (nor, in English, an "-ly" adverb).
    """
    weight = _FIELD_WEIGHTS[current.rank]
    pair_weight = weight * _PAIR_BOOST
    votes_case = not (current.rank == 0 and is_title_case(current))
    keep_case = document.language.split("-")[0] == "de"  # German nouns are capitalised
    english = document.language.startswith("en")
    excluded = _excluded(document.stopwords)
    word = Kind.WORD
    previous: Token | None = None
    follows = False
    title_leads = lexicon.TITLE_LEADS
    for index, token in enumerate(current.tokens):
        key = token.key
        if (
            token.kind is not word
            or key in excluded
            or len(key) <= 2
            or len(key) > MAX_KEYWORD_LENGTH
            or covered[token.start]
            or (english and key.endswith("ly"))
            or (key in title_leads and _opens_title(current, index))
        ):
            follows = False
            continue
        text = without_soft_hyphens(token.text)
        candidate = candidates.get(key)
        if candidate is None:
            candidate = candidates[key] = _Candidate(0.0, 0, None, text if keep_case else text.lower())
        candidate.score += weight
        candidate.count += 1
        if votes_case and not token.sentence_initial:
            forms = candidate.forms
            if forms is None:
                forms = candidate.forms = {}
            forms[text] = forms.get(text, 0) + 1  # `_Candidate.vote`
        if follows and previous is not None and not token.paragraph_start:
            pair_key = f"{previous.key} {key}"
            pair = candidates.get(pair_key)
            if pair is None:
                first = without_soft_hyphens(previous.text)
                first = first if keep_case or not previous.sentence_initial else first.lower()
                pair = candidates[pair_key] = _Candidate(0.0, 0, None, f"{first} {text}")
            pair.score += pair_weight
            pair.count += 1
            if votes_case and not previous.sentence_initial:
                form = f"{without_soft_hyphens(previous.text)} {text}"
                forms = pair.forms
                if forms is None:
                    forms = pair.forms = {}
                forms[form] = forms.get(form, 0) + 1  # `_Candidate.vote`
        previous = token
        follows = True


def _opens_title(current: Field, index: int) -> bool:
    """The "Prime" of "Prime Minister": part of a title, which is no keyword (`lexicon.TITLE_LEADS`)."""
    following = current.next_word(index + 1)
    return following is not None and following.title


_EXCLUDED: dict[frozenset[str], frozenset[str]] = {}


def _excluded(stopwords: frozenset[str]) -> frozenset[str]:
    """The language's stopwords and the words that are never keywords, as one set."""
    excluded = _EXCLUDED.get(stopwords)
    if excluded is None:
        excluded = _EXCLUDED[stopwords] = stopwords | _NOT_KEYWORDS
    return excluded


def _merge_plurals(candidates: dict[str, _Candidate]) -> None:
    """Fold plurals into singulars ("remarks", "remark"), shown in the form used more.

    Longest first, and a pair one of whose words was folded already is passed over: in a chain
    ("brass", "bras", "bra") a fold may remove the word the next pair starts from."""
    plurals = [k for k in candidates if k.endswith("s") and k[:-1] in candidates]
    for key in sorted(plurals, key=lambda k: (-len(k), k)):
        if key not in candidates or key[:-1] not in candidates:
            continue
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
    chosen: list[tuple[str, _Candidate]] = []
    chosen_words: list[set[str]] = []
    best: float | None = None
    for key, candidate in ranked:
        if not (candidate.proper or candidate.count >= _MIN_REPEATS):
            continue
        if best is None:
            best = candidate.score
        enough = len(chosen) >= MIN_KEYWORDS and candidate.score < best * _RELATIVE_FLOOR
        if len(chosen) >= MAX_KEYWORDS or enough:
            break
        words = set(key.split())
        if not _overlaps(words, chosen_words):
            chosen.append((key, candidate))
            chosen_words.append(words)
    taken = {key for key, _ in chosen}
    for key, candidate in ranked:
        if len(chosen) >= MIN_KEYWORDS:
            break
        if " " in key or key in taken:
            continue
        words = set(key.split())
        if not _overlaps(words, chosen_words):
            chosen.append((key, candidate))
            chosen_words.append(words)
            taken.add(key)
    return [_display(key, candidate) for key, candidate in chosen]


def _overlaps(words: set[str], chosen: list[set[str]]) -> bool:
    """A word already inside a chosen phrase or name, or a phrase around a chosen word, adds nothing."""
    return any(words <= other or other <= words for other in chosen)


def _display(key: str, candidate: _Candidate) -> str:
    """Entity names as found; words as the text writes them mid-sentence, else lowercased."""
    if candidate.forms:
        return max(candidate.forms.items(), key=lambda item: item[1])[0]
    return candidate.fallback or key
