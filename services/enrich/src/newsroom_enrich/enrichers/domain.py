"""Plain result types of the enrichers; the pydantic contract is built from them at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

EntityType = Literal["person", "organisation", "place"]
FieldName = Literal["headline", "standfirst", "body"]
FIELD_ORDER: tuple[FieldName, ...] = ("headline", "standfirst", "body")


class MentionSpan(NamedTuple):
    """Where a name occurs: field and character offsets into that field's text.

    A tuple, so hashing, equality and reading-order sorting run in C.
    """

    field_rank: int
    start: int
    end: int

    @property
    def field(self) -> FieldName:
        """Field name from its rank, so mentions sort in reading order."""
        return FIELD_ORDER[self.field_rank]


@dataclass(slots=True)
class FoundEntity:
    """An entity gathered while reading one article, with every mention linked to it."""

    name: str
    type: EntityType
    country_code: str | None = None
    mentions: set[MentionSpan] = field(default_factory=set)

    def first_mention(self) -> MentionSpan:
        """Earliest mention in reading order."""
        return min(self.mentions)
