"""Article enrichment: language, entities, keywords, summary, reading time and slug, fully offline.

`Enricher` compiles its gazetteers once; `Enricher.enrich` is then a pure function of the article
text, cheap enough to run inline for every revision and safe to call from several threads.
"""

from __future__ import annotations

from time import perf_counter
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsroom_enrich.enrichers.document import build_document
from newsroom_enrich.enrichers.domain import FIELD_ORDER, FoundEntity
from newsroom_enrich.enrichers.entities import EntityRecognizer
from newsroom_enrich.enrichers.gazetteer import Gazetteer
from newsroom_enrich.enrichers.keywords import extract_keywords
from newsroom_enrich.enrichers.language import detect_language
from newsroom_enrich.enrichers.reading import count_words, reading_time_minutes
from newsroom_enrich.enrichers.slug import MAX_SLUG_LENGTH, slugify
from newsroom_enrich.enrichers.summary import MAX_SUMMARY_CHARS, summarise

__all__ = ["Enricher", "Enrichment", "Entity", "Mention"]


class Mention(BaseModel):
    """Where an entity is named: `text[start:end]` of the field is the surface form."""

    model_config = ConfigDict(frozen=True)

    field: Literal["headline", "standfirst", "body"]
    start: int = Field(ge=0)
    end: int = Field(gt=0)

    @model_validator(mode="after")
    def _end_after_start(self) -> Self:
        if self.end <= self.start:
            raise ValueError("mention end must be after its start")
        return self


class Entity(BaseModel):
    """A person, organisation or place, named once and linked to all its mentions."""

    name: str = Field(min_length=1)
    type: Literal["person", "organisation", "place"]
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    mentions: list[Mention]


class Enrichment(BaseModel):
    """What the enrich stage adds to an article."""

    language: str = Field(min_length=2)
    entities: list[Entity]
    keywords: list[str] = Field(max_length=10)
    summary: str = Field(max_length=MAX_SUMMARY_CHARS)
    word_count: int = Field(ge=0)
    reading_time_minutes: int = Field(ge=1)
    slug: str = Field(max_length=MAX_SLUG_LENGTH, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Enricher:
    """Built once at start-up (compiles gazetteers and matchers); `enrich` is then cheap and thread-safe."""

    def __init__(self) -> None:
        self._entities = EntityRecognizer(Gazetteer())

    def enrich(
        self,
        *,
        headline: str,
        standfirst: str | None,
        body_text: str,
        language_hint: str | None = None,
        timings: dict[str, float] | None = None,
    ) -> Enrichment:
        """Enrich one article; `body_text` is plain text with blank lines between paragraphs.

        `timings`, when given, gathers the seconds each enricher took (the benchmark's breakdown).
        """
        lap = _Laps(timings)
        document = build_document(headline, standfirst, body_text, language_hint)
        lap("document: tokens, sentences, language")
        found = self._entities.recognise(document)
        lap("entities")
        keywords = extract_keywords(document, found)
        lap("keywords")
        word_count = count_words(body_text)
        minutes = reading_time_minutes(word_count)
        lap("word count, reading time")
        summary = summarise(document, keywords)
        lap("summary")
        # from the headline alone (and the sender's hint): a revision whose body reads as another
        # language must not move the page of an unchanged headline
        slug = slugify(headline, detect_language(headline, language_hint))
        lap("slug")
        enrichment = Enrichment(
            language=document.language,
            entities=[_entity(e) for e in found],
            keywords=keywords,
            summary=summary,
            word_count=word_count,
            reading_time_minutes=minutes,
            slug=slug,
        )
        lap("result model")
        return enrichment


class _Laps:
    """Adds the time since the previous lap to `timings[name]`; costs nothing when there are none."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = perf_counter() if timings is not None else 0.0

    def __call__(self, name: str) -> None:
        if self.timings is None:
            return
        now = perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def _entity(found: FoundEntity) -> Entity:
    """Build without re-validating: offsets come from the tokenizer, types from the recogniser.

    Each model is built as `model_construct` builds it, less its general loop over fields:
    Mention and Entity have no aliases, defaults left unset, extras, private attributes or
    post-init hooks (`test_enrich_construction` keeps the two ways in step).
    """
    new, set_attribute, field_names = object.__new__, object.__setattr__, FIELD_ORDER
    mentions: list[Mention] = []
    append = mentions.append
    for rank, start, end in sorted(found.mentions):
        mention = new(Mention)
        set_attribute(mention, "__dict__", {"field": field_names[rank], "start": start, "end": end})
        set_attribute(mention, "__pydantic_fields_set__", {"field", "start", "end"})
        set_attribute(mention, "__pydantic_extra__", None)
        set_attribute(mention, "__pydantic_private__", None)
        append(mention)
    entity = new(Entity)
    set_attribute(
        entity,
        "__dict__",
        {"name": found.name, "type": found.type, "country_code": found.country_code, "mentions": mentions},
    )
    set_attribute(entity, "__pydantic_fields_set__", {"name", "type", "country_code", "mentions"})
    set_attribute(entity, "__pydantic_extra__", None)
    set_attribute(entity, "__pydantic_private__", None)
    return entity
