"""What publish accepts (a tolerant view of enrich's event), serves and announces."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal, NotRequired

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

EVENT_TYPE: Final = "org.newsroom.article.published.v1"
DATASCHEMA: Final = "https://schemas.newsroom.example/article-published/v1.json"
STAGE: Final = "publish"

ChangeKind = Literal["new", "update", "correction", "withdrawal"]

MENTION_FIELDS: Final = {"headline": "headline", "standfirst": "standfirst", "body": "body_text"}
"""A mention's `field` (enrich's name) and the field of `PublishedArticle` its offsets index."""


class Mention(TypedDict):
    """`field` names the text the offsets index, in code points: `headline`, `standfirst`, or
    `body` for the served `body_text` (`MENTION_FIELDS`)."""

    field: str
    start: int
    end: int


class Entity(TypedDict):
    """Entities are typed dicts, not models: an article carries a hundred or more mentions, and
    validating and serialising them as model instances was most of publish's cost per article."""

    name: str
    type: str
    country_code: NotRequired[str | None]
    mentions: NotRequired[list[Mention]]


class EnrichedView(BaseModel):
    """The fields of an enriched article publish relies on; unknown upstream fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    change_kind: ChangeKind = "update"
    headline: str = Field(min_length=1)
    standfirst: str | None = None
    authors: list[str] = []
    byline: str = ""
    body_html: str = ""
    body_text: str = ""
    first_published_at: AwareDatetime
    updated_at: AwareDatetime | None = None
    url: str | None = None
    language: str = "und"
    entities: list[Entity] = []
    keywords: list[str] = []
    summary: str = ""
    word_count: int = 0
    reading_time_minutes: int = 1
    slug: str = Field(min_length=1)


class PublishedArticle(BaseModel):
    """One revision as publish serves it at `GET /v1/articles/{article_id}`."""

    article_id: str
    revision: int
    change_kind: ChangeKind
    headline: str
    standfirst: str | None
    byline: str
    authors: list[str]
    body_html: str
    # the plain text enrich read: the offsets of mentions in the "body" index it, not body_html.
    # None only for a revision stored before publish kept it (its mentions cannot be resolved)
    body_text: str | None = None
    first_published_at: AwareDatetime
    updated_at: AwareDatetime | None
    language: str
    entities: list[Entity]
    keywords: list[str]
    summary: str
    word_count: int
    reading_time_minutes: int
    slug: str
    url: str
    source_url: str | None
    published_at: datetime


class ArticlePublished(BaseModel):
    """Announced on `newsroom.articles.published.v1` once per newly published revision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str
    revision: int
    change_kind: ChangeKind
    headline: str
    slug: str
    url: str
    api_url: str
    first_published_at: AwareDatetime
    updated_at: AwareDatetime | None
    published_at: datetime
    withdrawn: bool
