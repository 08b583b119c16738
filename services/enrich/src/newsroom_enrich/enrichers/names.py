"""Word-level tests that tell a person's name from the capitalised words around it."""

from __future__ import annotations

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.document import Document
from newsroom_enrich.enrichers.gazetteer import Gazetteer
from newsroom_enrich.enrichers.tokens import Token

# German capitalises every noun; these endings mark nouns, never names.
_GERMAN_NOUN_ENDINGS = (
    "ung",
    "ungen",
    "heit",
    "heiten",
    "keit",
    "keiten",
    "schaft",
    "schaften",
    "ionen",
    "tat",
    "taten",
    "ismus",
    "nisse",
    "tum",
    "itat",
)
_NOT_PERSON_WORDS = (
    lexicon.DETERMINERS
    | lexicon.TITLES
    | lexicon.ORG_HEADS
    | lexicon.PLACE_HEADS
    | lexicon.NOT_NAMES
    | lexicon.PERSON_CUES
)


def is_title(token: Token) -> bool:
    """A role that introduces the name after it: "President", "Ambassador", "Außenministerin"."""
    return token.title  # worked out by the tokenizer: key in TITLES or ending in TITLE_SUFFIXES


def is_date_word(token: Token) -> bool:
    """Weekday or month name in any supported language."""
    return token.date_word  # worked out by the tokenizer: lowercased text in DAYS_AND_MONTHS


class NameRules:
    """Name tests bound to one article's vocabulary."""

    def __init__(self, document: Document, gazetteer: Gazetteer) -> None:
        self._document = document
        self._gazetteer = gazetteer
        self._german = document.language.split("-")[0] == "de"
        self._stopwords = document.stopwords
        self._lowercase_words = document.lowercase_words
        self._not_names = gazetteer.not_names
        self._alone: frozenset[str] | None = None

    def is_common_word(self, token: Token) -> bool:
        """A function word, or a word this article also writes in lowercase ("Political" -> "political")."""
        return (
            token.key in self._document.stopwords
            or token.key in lexicon.DETERMINERS
            or (token.key in self._document.lowercase_words)
        )

    def is_name_word(self, token: Token, *, position: str) -> bool:
        """Could `token` be part of a person's name? `position` is "first", "middle" or "last"."""
        if not token.capitalised:  # only word tokens are capitalised
            return False
        text = token.text
        if len(text) == 1:
            return text.isupper() and position != "last"  # an initial
        key = token.key
        if token.acronym or key in _NOT_PERSON_WORDS or key in self._not_names:
            return False
        if key in self._stopwords:
            return False
        if token.date_word and not (key in lexicon.NAME_LIKE_MONTHS and position == "last"):  # `is_date_word`
            return False
        if (position == "last" or token.sentence_initial) and key in self._lowercase_words:
            return False
        entry = self._gazetteer.lookup_key(key)
        if entry is not None and entry.kind in ("country", "region", "org"):
            return False
        return not (self._german and self._looks_like_german_noun(token))

    def _looks_like_german_noun(self, token: Token) -> bool:
        key = token.key
        return key in self._document.determined_words or key.endswith(_GERMAN_NOUN_ENDINGS)

    def closes_with_month_name(self, token: Token) -> bool:
        """A month that is also a surname ("May", "June") closing a name after a given name: a
        stopword or a word written in lowercase elsewhere ("may") does not stop "Theresa May"."""
        return token.capitalised and len(token.text) > 1 and token.key in lexicon.NAME_LIKE_MONTHS

    def opens_with_name_like_word(self, first: Token, second: Token, *, after_title: bool = False) -> bool:
        """A given name that also names a country or a thing ("Jordan", "Christian", "Bill") before a
        surname-like word that is no place ("Jordan Bardella", not "Jordan Amman"), when something
        beyond the pair says it is a name: a title before it ("Defence Minister Israel Katz") or the
        surname standing alone elsewhere in the article ("... Bardella said"). The pair alone is no
        evidence: "Kenya Power", "India Today", "Israel Hayom", "Chad Basin" are no people."""
        return (
            first.capitalised
            and not first.acronym
            and first.key in lexicon.NAME_LIKE_WORDS
            and len(second.text) > 1
            and self._gazetteer.lookup_key(second.key) is None
            and (after_title or second.key in self._alone_after_no_name_like_word())
        )

    def _alone_after_no_name_like_word(self) -> frozenset[str]:
        """Capitalised words of the article seen at least once without a `NAME_LIKE_WORDS` word
        right before them; worked out on the first question, which few articles ask."""
        if self._alone is None:
            alone: set[str] = set()
            name_like = lexicon.NAME_LIKE_WORDS
            for fld in self._document.fields:
                previous: Token | None = None
                for token in fld.tokens:
                    if token.capitalised and (previous is None or previous.key not in name_like):
                        alone.add(token.key)
                    previous = token
            self._alone = frozenset(alone)
        return self._alone

    def is_person_run(self, tokens: tuple[Token, ...], *, after_title: bool = False) -> bool:
        """Two to four name words, with particles ("von der") and initials' stops between them;
        `after_title` when a title ("Defence Minister") stands right before them."""
        words = [t for t in tokens if t.text != "."]
        if not 2 <= len(words) <= 6:
            return False
        names = 0
        for place, token in enumerate(words):
            position = "first" if place == 0 else "last" if place == len(words) - 1 else "middle"
            if position == "middle" and token.key in lexicon.NAME_PARTICLES:
                continue
            if token.key in lexicon.DATE_LEADS and place + 1 < len(words) and words[place + 1].date_word:
                return False  # "Early May", "Last June": a date
            if not self.is_name_word(token, position=position) and not (
                (position == "last" and names > 0 and self.closes_with_month_name(token))
                or (
                    position == "first"
                    and self.opens_with_name_like_word(token, words[1], after_title=after_title)
                )
            ):
                return False
            names += 1
        return 2 <= names <= 4
