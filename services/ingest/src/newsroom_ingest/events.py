"""What ingest emits: `newsroom.articles.ingested.v1` (its JSON Schema is exported to schemas/)."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

EVENT_TYPE: Final = "org.newsroom.article.ingested.v1"
DATASCHEMA: Final = "https://schemas.newsroom.example/article-ingested/v1.json"
STAGE: Final = "ingest"

ChangeKind = Literal["new", "update", "correction", "withdrawal"]


class ArticleIngested(BaseModel):
    """One accepted revision of an article, validated and normalised.

    `article_id` and `revision` travel in the envelope; they are repeated here so the payload
    stands on its own when stored or forwarded.
    """

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
    language: str | None
    url: str | None
    source: str
    source_version: str | None
    format: Literal["native", "ninjs", "text"]
    content_hash: str
    ingested_at: datetime
