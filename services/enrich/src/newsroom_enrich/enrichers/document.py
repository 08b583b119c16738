"""One article, tokenised once and shared by every enricher."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, pairwise

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.domain import FIELD_ORDER, FieldName
from newsroom_enrich.enrichers.language import SAMPLE_WORDS, detect_language_of_words
from newsroom_enrich.enrichers.lexicon import ABBREVIATIONS
from newsroom_enrich.enrichers.stopwords import STOPWORDS
from newsroom_enrich.enrichers.tokens import Kind, Token, is_opener, tokenize


@dataclass(frozen=True, slots=True)
class Field:
    """A field's text and its tokens; `rank` orders headline, standfirst, body."""

    rank: int
    text: str
    tokens: tuple[Token, ...]
    language: str = "und"
    """The article's language (`Document.language`), which decides some sentence ends."""

    @property
    def name(self) -> FieldName:
        """Field name: "headline", "standfirst" or "body"."""
        return FIELD_ORDER[self.rank]

    def previous_word(self, index: int) -> Token | None:
        """The word before `tokens[index]`, looking through quotes and an abbreviation's stop ("Mr.")."""
        for position in range(index - 1, -1, -1):
            token = self.tokens[position]
            if token.kind in (Kind.WORD, Kind.ELISION):
                return token
            if token.text == "." and position > 0 and self.tokens[position - 1].key in ABBREVIATIONS:
                continue
            if not is_opener(token):
                return None
        return None

    def next_word(self, index: int) -> Token | None:
        """The word after `tokens[index - 1]`, looking through closing quotes only."""
        for position in range(index, len(self.tokens)):
            token = self.tokens[position]
            if token.kind is Kind.WORD:
                return token
            if not is_opener(token):
                return None
        return None


@dataclass(frozen=True, slots=True)
class Document:
    """Tokenised fields plus vocabulary facts that tell names from ordinary capitalised words."""

    fields: tuple[Field, ...]
    language: str
    lowercase_words: frozenset[str]
    """Folded words that also occur in lowercase: "Analysts" opening a sentence is an ordinary word."""
    determined_words: frozenset[str]
    """Folded words seen after an article: in German this marks a common noun, not a name."""
    stopwords: frozenset[str]

    def field(self, name: FieldName) -> Field | None:
        """The named field, if the article has it."""
        return next((f for f in self.fields if f.name == name), None)


def build_document(
    headline: str, standfirst: str | None, body: str, language_hint: str | None = None
) -> Document:
    """Tokenise each non-empty field, identify the language and gather the vocabulary facts."""
    texts = (headline, standfirst or "", body)
    parts = [(rank, text, tuple(tokenize(text))) for rank, text in enumerate(texts) if text.strip()]
    word, elision = Kind.WORD, Kind.ELISION
    determiners = lexicon.DETERMINERS
    lowercase: set[str] = set()
    determined: set[str] = set()
    for _, _, tokens in parts:
        lowercase.update([t.key for t in tokens if t.kind is word and not t.capitalised])
        # Only words are capitalised; the first word of a field follows no determiner.
        determined.update([t.key for p, t in pairwise(tokens) if t.capitalised and p.key in determiners])
    # Language identification reads only the opening words (and elided particles).
    sample = list(
        islice(
            (t for _, _, tokens in parts for t in tokens if t.kind is word or t.kind is elision), SAMPLE_WORDS
        )
    )
    texts_seen = [t.text for t in sample]
    keys_seen = [t.key if t.kind is word else t.key.rstrip("'") for t in sample]
    language = detect_language_of_words(texts_seen, keys_seen, language_hint)
    stopwords = _STOPWORDS_WITH_ENGLISH.get(language.split("-")[0], STOPWORDS["en"])
    fields = tuple(Field(rank, text, tokens, language) for rank, text, tokens in parts)
    return Document(fields, language, frozenset(lowercase), frozenset(determined), stopwords)


# English function words are added to every language's: quotes and names from English are common.
_STOPWORDS_WITH_ENGLISH = {language: words | STOPWORDS["en"] for language, words in STOPWORDS.items()}
