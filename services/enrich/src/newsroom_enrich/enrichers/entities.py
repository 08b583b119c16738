"""Named-entity recognition by rules: capitalised spans classified by gazetteer, cue words and shape.

Reading happens in two passes. The first classifies every span that carries its own evidence
(a full name, a title before it, an organisation head, a gazetteer entry, an acronym defined in
parentheses). The second resolves single words against what the first found, so "Okafor" links
to "Amara Okafor" and "AFD" to its long form even when the short form comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.acronyms import AcronymDefinition, find_definitions
from newsroom_enrich.enrichers.document import Document, Field
from newsroom_enrich.enrichers.domain import EntityType, FoundEntity, MentionSpan
from newsroom_enrich.enrichers.gazetteer import Gazetteer, GazetteerEntry
from newsroom_enrich.enrichers.names import NameRules, is_title
from newsroom_enrich.enrichers.spans import find_spans, is_org_head, is_title_case
from newsroom_enrich.enrichers.text import without_soft_hyphens
from newsroom_enrich.enrichers.tokens import Kind, Token

_ORG_ADJECTIVES = lexicon.ORG_ADJECTIVES
_MAX_KNOWN_REACH = 6
"""How many words before a month a gazetteer name holding it may start ("Rio de Janeiro")."""
_new_span = partial(tuple.__new__, MentionSpan)
"""`MentionSpan(rank, start, end)` without the named tuple's Python-level constructor."""


class EntityRecognizer:
    """Stateless recogniser around a compiled gazetteer; one instance serves all threads."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def recognise(self, document: Document) -> list[FoundEntity]:
        """Entities of one article, most mentioned first, each with all its mentions."""
        return _Reading(document, self._gazetteer).run()


@dataclass(frozen=True, slots=True)
class _Pending:
    """A lone capitalised word kept for the second pass; `cue` is "person", "org" or ""."""

    field: Field
    index: int
    cue: str = ""


@dataclass(slots=True)
class _Index:
    """Names found so far, by the keys a later short form can use."""

    by_name: dict[tuple[str, ...], str] = field(default_factory=dict)
    by_surname: dict[str, set[str]] = field(default_factory=dict)
    by_acronym: dict[str, str] = field(default_factory=dict)
    by_head: dict[str, set[str]] = field(default_factory=dict)


class _Reading:
    """Mutable state of one `recognise` call."""

    def __init__(self, document: Document, gazetteer: Gazetteer) -> None:
        self.doc = document
        self.gaz = gazetteer
        self.rules = NameRules(document, gazetteer)
        self.entities: dict[str, FoundEntity] = {}
        self.claimed: set[tuple[int, int]] = set()
        self.pending: list[_Pending] = []
        self.index = _Index()
        self.german = document.language.split("-")[0] == "de"
        self.adverbs = lexicon.sentence_adverbs(document.language)
        self.canonical: set[str] = set()
        """Ids of gazetteer entries, whose display names are not replaced by surface forms."""
        self.reserved: set[tuple[int, int]] = set()
        """(field rank, token index) inside an acronym's long form, classified before the spans."""

    def run(self) -> list[FoundEntity]:
        headline = self.doc.field("headline")
        guarded = headline is not None and is_title_case(headline)
        fields = [f for f in self.doc.fields if not (guarded and f is headline)]
        for current in fields:
            for definition in find_definitions(current):
                self._add_definition(definition)
        for current in fields:
            for span in find_spans(current, self._extends_known):
                self._classify_free(current, span.start, span.stop)
        self._resolve_pending()
        if guarded and headline is not None:
            self._scan_known(headline)
        self._merge_short_person_names()
        found = [e for e in self.entities.values() if e.mentions]
        return sorted(found, key=lambda e: (-len(e.mentions), e.first_mention()))

    # -- first pass ---------------------------------------------------------------------------

    def _add_definition(self, definition: AcronymDefinition) -> None:
        """The long form is an entity (usually an organisation) and the acronym its alias."""
        fld, i, j = definition.field, definition.start, definition.stop
        entry = self._gazetteer_entry(fld, i, j)
        if entry is not None:
            self._add_known(entry, fld, i, j)
            entity_id = entry.id
        else:
            entity_id = self._register_organisation(fld, i, j)
        self.index.by_acronym.setdefault(fld.tokens[definition.acronym].text, entity_id)
        self.reserved.update((fld.rank, k) for k in range(i, j))

    def _classify_free(self, fld: Field, i: int, j: int) -> None:
        """Classify the parts of [i, j) that no acronym definition has taken."""
        if not self.reserved:
            if j > i:
                self._classify(fld, i, j)
            return
        start = i
        for k in range(i, j + 1):
            if k == j or (fld.rank, k) in self.reserved:
                if k > start:
                    self._classify(fld, start, k)
                start = k + 1

    def _classify(self, fld: Field, i: int, j: int, *, allow_pending: bool = True) -> None:
        """Classify tokens [i, j) of `fld`, splitting the run where it holds several names."""
        tokens = fld.tokens
        # Only word tokens are capitalised (see `tokens.tokenize`).
        while i < j and not tokens[i].capitalised:
            i += 1
        while (
            j > i
            and not tokens[j - 1].capitalised
            and (
                tokens[j - 1].key not in _ORG_ADJECTIVES  # "Banque mondiale" keeps its adjective
            )
        ):
            j -= 1
        if i >= j:
            return
        date = None
        for k in range(i, j):
            if tokens[k].date_word:  # rare: look closer
                date = self._date_position(tokens, i, j)
                break
        if date is not None:
            self._classify(fld, i, date, allow_pending=allow_pending)
            self._classify(fld, date + 1, j, allow_pending=allow_pending)
            return
        entry = self._gazetteer_entry(fld, i, j)
        if entry is not None:  # the whole run is a gazetteer entry ("Peru", "United Nations", "Moskau")
            self._add_known(entry, fld, i, j)
            return
        if self._is_leading_common_word(tokens[i]):
            self._classify(fld, i + 1, j, allow_pending=allow_pending)
            return
        handled = (
            self._split_genitive_after_title(fld, i, j)
            or self._split_at_title(fld, i, j)
            or self._split_person_of(fld, i, j)
            or self._add_organisation(fld, i, j)
            or self._add_place_by_head(fld, i, j)
            or self._split_known(fld, i, j, allow_pending)
        )
        if not handled:
            self._classify_rest(fld, i, j, allow_pending)

    def _classify_rest(self, fld: Field, i: int, j: int, allow_pending: bool) -> None:
        """Person names, or words left for the second pass."""
        tokens = fld.tokens
        initial = i + 1 < j and tokens[i + 1].text == "."  # "the J. Edgar Hoover building": no noun first
        after_determiner = not initial and self._after_determiner(fld, i)
        if j - i > 1 and not after_determiner and self.rules.is_person_run(tokens[i:j]):
            self._add_person(fld, i, j)
        elif j - i > 2 and after_determiner and self.rules.is_person_run(tokens[i + 1 : j]):
            self._add_person(fld, i + 1, j)  # "the Kremlin-friendly Anna Petrova": the name follows a noun
        elif allow_pending:
            for k in range(i, j):
                if tokens[k].kind is Kind.WORD and tokens[k].capitalised:
                    self.pending.append(_Pending(fld, k, self._cue(fld, k) if j - i == 1 else ""))

    def _date_position(self, tokens: tuple[Token, ...], i: int, j: int) -> int | None:
        """Index of a weekday or month inside [i, j), unless it closes a name ("Theresa May") or is
        a word of a longer gazetteer name ("Rio de Janeiro")."""
        for k in range(i, j):
            token = tokens[k]
            if not token.date_word or self._inside_known_name(tokens, i, j, k):  # `is_date_word`
                continue
            closes_name = (
                token.key in lexicon.NAME_LIKE_MONTHS
                and k == j - 1
                and k > i
                and self.rules.is_name_word(tokens[k - 1], position="first")
                and not (k + 1 < len(tokens) and tokens[k + 1].kind is Kind.NUMBER)
            )
            if not closes_name:
                return k
        return None

    def _inside_known_name(self, tokens: tuple[Token, ...], i: int, j: int, k: int) -> bool:
        """`tokens[k]` is covered by a gazetteer entry of several words inside [i, j)."""
        for start in range(max(i, k - _MAX_KNOWN_REACH), k + 1):
            match = self.gaz.match(tokens, start, j)
            if match is not None and match[0] > 1 and start + match[0] > k:
                return True
        return False

    def _is_leading_common_word(self, token: Token) -> bool:
        """A function word ("The", "In"), or a sentence-initial word written in lowercase elsewhere or
        an adverb ("Yesterday")."""
        if token.acronym or token.title:
            return False  # a title stays: it introduces the name after it (`is_title`)
        key = token.key
        if key in self.doc.stopwords or key in lexicon.DETERMINERS:
            return True
        return token.sentence_initial and (
            key in self.doc.lowercase_words or key in lexicon.PERSON_CUES or key in self.adverbs
        )

    def _gazetteer_entry(self, fld: Field, i: int, j: int) -> GazetteerEntry | None:
        tokens = fld.tokens
        entry = self.gaz.match_whole(tokens, i, j)
        if entry is None and j - i == 1 and self.german and tokens[i].key.endswith("s"):
            entry = self.gaz.lookup_key(tokens[i].key[:-1])  # genitive: "Russlands", "Moskaus"
            if entry is not None and entry.kind not in ("country", "city"):
                entry = None
        if entry is not None and not entry.strong and j - i == 1 and tokens[i].sentence_initial:
            return None  # `_weak_at_sentence_start`
        return entry

    @staticmethod
    def _weak_at_sentence_start(entry: GazetteerEntry, first: Token, length: int) -> bool:
        """A smaller city's one-word name opening a sentence: "Reading the report...", "Split votes..."."""
        return not entry.strong and length == 1 and first.sentence_initial

    def _split_at_title(self, fld: Field, i: int, j: int) -> bool:
        """Split "Peru President Marisol Quispe" into a place, a title and the person."""
        tokens = fld.tokens
        if tokens[j - 1].org_head:  # `is_org_head`
            return False
        for title in range(j - 2, i - 1, -1):
            if tokens[title].title:  # `is_title`
                break
        else:
            return False
        lead = title
        while lead > i and tokens[lead - 1].key in lexicon.TITLE_LEADS:
            lead -= 1  # "Prime Minister" is one title
        rest = self._skip_title_complement(fld, title + 1, j)
        names = [t for t in tokens[rest:j] if t.kind is Kind.WORD]
        if not names:
            return False
        if not all(self._name_or_particle(t) for t in names) and not self.rules.is_person_run(
            tokens[rest:j], after_title=True
        ):
            return False  # "Prime Minister Theresa May", "Defence Minister Israel Katz" are names
        self._classify(fld, i, lead, allow_pending=False)
        if len(names) == 1:
            self.pending.append(_Pending(fld, rest, "person"))
        elif self.rules.is_person_run(tokens[rest:j], after_title=True):
            self._add_person(fld, rest, j)
        else:
            self._classify(fld, rest, j)
        return True

    def _name_or_particle(self, token: Token) -> bool:
        return token.key in lexicon.NAME_PARTICLES or self.rules.is_name_word(token, position="middle")

    def _skip_title_complement(self, fld: Field, k: int, j: int) -> int:
        """Past "of Russia" or "of State" after a title; a place there is recorded."""
        tokens = fld.tokens
        if k < j - 1 and tokens[k].key not in lexicon.CONNECTORS:
            country = self._country_in_genitive(tokens[k], j - k - 1)  # "Президент России Владимир Путин"
            if country is not None:
                self._add_known(country, fld, k, k + 1)
                return k + 1
        if k >= j or tokens[k].key not in lexicon.CONNECTORS:
            return k
        k += 1
        while k < j and tokens[k].key in lexicon.CONNECTORS:
            k += 1
        if k >= j:
            return j
        match = self.gaz.match(tokens, k, j)
        if match is not None and k + match[0] < j:
            self._add_known(match[1], fld, k, k + match[0])
            return k + match[0]
        return min(k + 1, j)

    def _split_genitive_after_title(self, fld: Field, i: int, j: int) -> bool:
        """A title outside the run ("президентом Франции Эммануэлем Макроном", "Премьер-министр
        Украины Денис Шмыгаль"), then a country in the genitive and the person."""
        if j - i < 3:
            return False
        previous = fld.previous_word(i)
        if previous is None or not previous.title:
            return False
        country = self._country_in_genitive(fld.tokens[i], j - i - 1)
        if country is None or not self.rules.is_person_run(fld.tokens[i + 1 : j], after_title=True):
            return False
        self._add_known(country, fld, i, i + 1)
        self._add_person(fld, i + 1, j)
        return True

    def _country_in_genitive(self, token: Token, words_after: int) -> GazetteerEntry | None:
        """A country named in the genitive right after a title, as Russian and German put it
        ("России", "Frankreichs"); the gazetteer knows the nominative ("Россия", "Frankreich").

        A final "s" is a genitive in German only, and only before a whole name ("Präsident
        Frankreichs Emmanuel Macron"): "Deputy Prime Minister Frances Fitzgerald" is a given name
        and a surname, not France, and neither is German "Ministerin Frances Fitzgerald"."""
        if not token.capitalised or token.acronym:
            return None
        for stem in _genitive_stems(token.key, german=self.german and words_after > 1):
            entry = self.gaz.lookup_key(stem)
            if entry is not None and entry.kind in ("country", "region"):
                return entry
        return None

    def _split_person_of(self, fld: Field, i: int, j: int) -> bool:
        """Split "Lena Ostrova of Uppsala University" into a person and where they are from."""
        tokens = fld.tokens
        for of in range(i + 2, j - 1):
            if tokens[of].key == "of":
                break
        else:
            return False
        if not self.rules.is_person_run(tokens[i:of]):
            return False
        self._add_person(fld, i, of)
        self._classify(fld, of + 1, j)
        return True

    def _add_place_by_head(self, fld: Field, i: int, j: int) -> bool:
        """Places the gazetteer does not list, by their head: "Kalinin Avenue", "Lake Baikal"."""
        tokens = fld.tokens
        if j - i < 2 or not (
            tokens[j - 1].key in lexicon.PLACE_HEADS or tokens[i].key in lexicon.PLACE_LEADS
        ):
            return False
        key = tuple(t.key for t in tokens[i:j] if t.kind is Kind.WORD)
        self._mention("place:" + " ".join(key), _surface(fld, i, j), "place", None, fld, i, j)
        return True

    def _add_organisation(self, fld: Field, i: int, j: int) -> bool:
        """Runs with an organisation head ("Foreign Ministry", "Banque de France") or descriptor."""
        tokens = fld.tokens
        last, first = tokens[j - 1], tokens[i]
        if j - i == 1:
            is_org = last.key not in lexicon.ORG_HEADS and is_org_head(last)  # "Bundesbank"
        else:
            # "Foreign Ministry", "Banque de France", "Kyiv School of Economics"
            is_org = is_org_head(last) or is_org_head(first) or self._head_before_connector(tokens, i, j)
        if not is_org and not self._has_org_descriptor(fld, i, j):
            return False
        self._register_organisation(fld, self._after_descriptive_compound(tokens, i, j), j)
        return True

    @staticmethod
    def _head_before_connector(tokens: tuple[Token, ...], i: int, j: int) -> bool:
        return any(
            is_org_head(tokens[k]) and tokens[k + 1].key in lexicon.OF_CONNECTORS for k in range(i + 1, j - 1)
        )

    @staticmethod
    def _after_descriptive_compound(tokens: tuple[Token, ...], i: int, j: int) -> int:
        """Skip a German descriptive compound before the name: "Energiekonzern Nordwind Energie AG"."""
        for k in range(j - 2, i - 1, -1):
            token = tokens[k]
            if token.key not in lexicon.ORG_HEADS and is_org_head(token):
                return k + 1
        return i

    def _register_organisation(self, fld: Field, i: int, j: int) -> str:
        tokens = fld.tokens
        key = tuple(t.key for t in tokens[i:j] if t.kind is not Kind.PUNCT or t.text == "&")
        entity_id = self.index.by_name.get(key)
        if entity_id is None and len(key) > 1 and key[-1] in lexicon.LEGAL_SUFFIXES:
            entity_id = self.index.by_name.get(key[:-1])  # "Harbourline Logistics Ltd" = "… Logistics"
        entity_id = entity_id or "org:" + " ".join(key)
        self._mention(entity_id, _surface(fld, i, j), "organisation", None, fld, i, j)
        self._index_organisation(entity_id, fld, i, j)
        return entity_id

    def _has_org_descriptor(self, fld: Field, i: int, j: int) -> bool:
        """A descriptor says organisation: "the Canal Sur channel", "carmaker Volkswagen".

        Not for ordinary words or demonyms ("an Asian operator").
        """
        last = fld.tokens[j - 1]
        if self.rules.is_common_word(last) or last.key in self.gaz.not_names or is_title(last):
            return False
        after = fld.next_word(j)
        before = fld.previous_word(i)
        descriptors = lexicon.ORG_DESCRIPTORS
        return (after is not None and not after.capitalised and after.key in descriptors) or (
            before is not None and not before.capitalised and before.key in descriptors
        )

    def _index_organisation(self, entity_id: str, fld: Field, i: int, j: int) -> None:
        index = self.index
        word = Kind.WORD
        keys = tuple([t.key for t in fld.tokens[i:j] if t.kind is word])
        index.by_name[keys] = entity_id
        head = keys[-1]
        heads = index.by_head.get(head)
        if heads is None:
            heads = index.by_head[head] = set()
        heads.add(entity_id)
        if len(keys) > 1:
            if head in lexicon.LEGAL_SUFFIXES:
                index.by_name.setdefault(keys[:-1], entity_id)
            first = next(t for t in fld.tokens[i:j] if t.kind is word)
            if self._distinctive(first):
                index.by_name.setdefault(keys[:1], entity_id)  # "Harbourline Logistics"

    def _distinctive(self, token: Token) -> bool:
        return (
            self.rules.is_name_word(token, position="last")
            and not is_org_head(token)
            and self.gaz.lookup_key(token.key) is None
        )

    def _split_known(self, fld: Field, i: int, j: int, allow_pending: bool) -> bool:
        """Gazetteer names inside a longer run ("United Nations Charter"), unless it is a person."""
        tokens = fld.tokens
        matches: list[tuple[int, int, GazetteerEntry]] = []
        k = i
        while k < j:
            match = self.gaz.match(tokens, k, j)
            if match is None or self._weak_at_sentence_start(match[1], tokens[k], match[0]):
                k += 1
                continue
            matches.append((k, k + match[0], match[1]))
            k += match[0]
        if not matches:
            return False
        only_short_places = all(b - a == 1 and e.type == "place" for a, b, e in matches)
        if only_short_places and self.rules.is_person_run(tokens[i:j]):
            return False
        cursor = i
        for start, stop, entry in matches:
            self._classify(fld, cursor, start, allow_pending=allow_pending)
            self._add_known(entry, fld, start, stop)
            cursor = stop
        self._classify(fld, cursor, j, allow_pending=allow_pending)
        return True

    def _add_person(self, fld: Field, i: int, j: int) -> None:
        key = tuple([t.key for t in fld.tokens[i:j] if t.kind is Kind.WORD])
        entity_id = "person:" + " ".join(key)
        self._mention(entity_id, _surface(fld, i, j), "person", None, fld, i, j)
        self.index.by_name[key] = entity_id
        owners = self.index.by_surname.get(key[-1])
        if owners is None:
            owners = self.index.by_surname[key[-1]] = set()
        owners.add(entity_id)

    def _add_known(self, entry: GazetteerEntry, fld: Field, i: int, j: int) -> None:
        self.canonical.add(entry.id)
        self._mention(entry.id, entry.name, entry.type, entry.country_code, fld, i, j)
        if entry.type == "organisation":
            self._index_organisation(entry.id, fld, i, j)

    def _mention(
        self, entity_id: str, name: str, kind: EntityType, country: str | None, fld: Field, i: int, j: int
    ) -> None:
        start, end = fld.tokens[i].start, fld.tokens[j - 1].end
        name = without_soft_hyphens(name)  # the mention's offsets still cover them
        claim = (fld.rank, start)
        if claim in self.claimed:
            return
        self.claimed.add(claim)
        entity = self.entities.get(entity_id)
        if entity is None:
            entity = self.entities[entity_id] = FoundEntity(name, kind, country)
        elif len(name) > len(entity.name) and entity_id not in self.canonical:
            entity.name = name  # "Amara Okafor" over "Okafor", "… Ltd" over "…"
        entity.mentions.add(_new_span((fld.rank, start, end)))

    def _after_determiner(self, fld: Field, i: int) -> bool:
        previous = fld.previous_word(i)
        return previous is not None and not previous.capitalised and previous.key in lexicon.DETERMINERS

    def _cue(self, fld: Field, k: int) -> str:
        """What the words around a lone capitalised word say it is."""
        previous = fld.previous_word(k)
        if previous is not None and (is_title(previous) or previous.key in lexicon.PERSON_CUES):
            return "person"
        return "org" if self._has_org_descriptor(fld, k, k + 1) else ""

    def _extends_known(self, tokens: Sequence[Token], start: int, stop: int) -> bool:
        return self.gaz.match_whole(tokens, start, stop) is not None

    # -- second pass --------------------------------------------------------------------------

    def _resolve_pending(self) -> None:
        unresolved = [p for p in self.pending if not self._link(p.field, p.index)]
        for item in unresolved:
            token = item.field.tokens[item.index]
            if item.cue == "person" and self.rules.is_name_word(token, position="last"):
                self._add_person(item.field, item.index, item.index + 1)
            elif item.cue == "org" or self._unknown_acronym(token):
                self._add_single_organisation(item.field, item.index)
        for item in unresolved:
            self._link(item.field, item.index)

    def _add_single_organisation(self, fld: Field, k: int) -> None:
        token = fld.tokens[k]
        entity_id = "org:" + token.key
        self._mention(entity_id, token.text, "organisation", None, fld, k, k + 1)
        self._index_organisation(entity_id, fld, k, k + 1)

    def _unknown_acronym(self, token: Token) -> bool:
        return token.acronym and token.key.replace(".", "") not in lexicon.COMMON_ACRONYMS

    def _link(self, fld: Field, k: int) -> bool:
        """Attach a lone word to an entity already found; False when nothing fits."""
        token = fld.tokens[k]
        entity_id = self._linked_id(fld, k, token)
        if entity_id is not None:
            entity = self.entities[entity_id]
            self._mention(entity_id, entity.name, entity.type, entity.country_code, fld, k, k + 1)
            return True
        entry = self._gazetteer_entry(fld, k, k + 1)
        if entry is not None:
            self._add_known(entry, fld, k, k + 1)
            return True
        return False

    def _linked_id(self, fld: Field, k: int, token: Token) -> str | None:
        entity_id = self._candidate_id(fld, k, token)
        return entity_id if entity_id in self.entities else None  # its own mention may have lost a claim

    def _candidate_id(self, fld: Field, k: int, token: Token) -> str | None:
        if token.acronym and token.text in self.index.by_acronym:
            return self.index.by_acronym[token.text]
        surname = self.index.by_surname.get(token.key, set())
        if len(surname) == 1:
            return next(iter(surname))
        named = self.index.by_name.get((token.key,))
        if named is not None:
            return named
        heads = self.index.by_head.get(token.key, set())
        if len(heads) == 1 and token.key in lexicon.ORG_HEADS and self._after_determiner(fld, k):
            return next(iter(heads))  # "the Ministry" after "the Foreign Ministry"
        return None

    def _scan_known(self, fld: Field) -> None:
        """Title-case headlines: only names already known (or in the gazetteer) count."""
        for span in find_spans(fld, self._extends_known):
            k = span.start
            while k < span.stop:
                k += self._known_length(fld, k, span.stop) or 1

    def _known_length(self, fld: Field, k: int, stop: int) -> int:
        tokens = fld.tokens
        for length in range(min(stop - k, 6), 1, -1):
            entity_id = self.index.by_name.get(tuple(t.key for t in tokens[k : k + length]))
            if entity_id is not None and entity_id in self.entities:
                entity = self.entities[entity_id]
                self._mention(entity_id, entity.name, entity.type, entity.country_code, fld, k, k + length)
                return length
        match = self.gaz.match(tokens, k, stop)
        if match is not None and match[0] > 1:
            self._add_known(match[1], fld, k, k + match[0])
            return match[0]
        return 1 if self._link(fld, k) else 0

    # -- tidying ------------------------------------------------------------------------------

    def _merge_short_person_names(self) -> None:
        """A surname found alone (after a title) folds into the one full name that ends with it."""
        singles = [
            entity_id
            for entity_id, entity in self.entities.items()
            if entity.type == "person" and " " not in entity_id.removeprefix("person:")
        ]
        for single_id in singles:
            surname = single_id.removeprefix("person:")
            owners = {i for i in self.index.by_surname.get(surname, set()) if i != single_id}
            if len(owners) == 1:
                (owner,) = owners
                self.entities[owner].mentions |= self.entities.pop(single_id).mentions


# Russian genitive endings and the nominative ones they replace, on folded keys ("й" folds to
# "и"): России -> Россия, Украины -> Украина, Беларуси -> Беларусь, Китая -> Китай, Ирана -> Иран.
_RUSSIAN_GENITIVES = (("ии", "ия"), ("ы", "а"), ("и", "ь"), ("я", "и"), ("я", "ь"), ("а", ""))


def _genitive_stems(key: str, *, german: bool) -> list[str]:
    if "а" <= key[:1] <= "я":
        return [key[: -len(end)] + nominative for end, nominative in _RUSSIAN_GENITIVES if key.endswith(end)]
    if german and key.endswith("s") and len(key) > 4:
        return [key[:-1]]  # German: "Frankreichs", "Russlands"
    return []


def _surface(fld: Field, i: int, j: int) -> str:
    """The run's text with line breaks and no-break spaces made plain spaces."""
    return " ".join(fld.text[fld.tokens[i].start : fld.tokens[j - 1].end].split())
