"""What enrich accepts (its own tolerant view of ingest's event) and what it emits."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from newsroom_enrich.enrichment import Entity

EVENT_TYPE: Final = "org.newsroom.article.enriched.v1"
DATASCHEMA: Final = "https://schemas.newsroom.example/article-enriched/v1.json"
STAGE: Final = "enrich"

ChangeKind = Literal["new", "update", "correction", "withdrawal"]


class IngestedView(BaseModel):
    """The fields of an ingested article enrich relies on; anything else upstream adds is ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    change_kind: ChangeKind = "update"
    headline: str = Field(min_length=1)
    standfirst: str | None = None
    authors: list[str] = []
    byline: str = ""
    body_html: str = ""
    body_text: str
    first_published_at: AwareDatetime
    updated_at: AwareDatetime | None = None
    language: str | None = None
    url: str | None = None
    source: str | None = None
    content_hash: str | None = None


class ArticleEnriched(BaseModel):
    """An ingested revision plus what enrich found in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str
    revision: int
    change_kind: ChangeKind
    headline: str
    standfirst: str | None
    authors: list[str]
    byline: str
    body_html: str
    body_text: str
    first_published_at: AwareDatetime
    updated_at: AwareDatetime | None
    url: str | None
    source: str | None
    content_hash: str | None
    language: str
    entities: list[Entity]
    keywords: list[str]
    summary: str
    word_count: int
    reading_time_minutes: int
    slug: str
    enriched_at: datetime
