"""The native article contract (what senders POST) and the normalised article every importer yields."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ChangeKind = Literal["new", "update", "correction", "withdrawal"]
Format = Literal["native", "ninjs", "text"]
FORMATS: Final[tuple[Format, ...]] = ("native", "ninjs", "text")

ARTICLE_ID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
ARTICLE_ID_RULE: Final = (
    "must be 1-128 characters of letters, digits, '.', '_', ':' or '-', starting with a letter or digit"
)

MAX_SOURCE: Final = 200
MAX_HEADLINE: Final = 300
MAX_STANDFIRST: Final = 1000
MAX_AUTHOR: Final = 200
MAX_AUTHORS: Final = 50
MAX_BODY: Final = 200_000
MAX_URL: Final = 2048
MAX_VERSION: Final = 64

_ISO_SHAPE: Final = re.compile(r"\d{4}-\d{2}-\d{2}(?:[Tt ].*)?", re.DOTALL)
_DATETIME_RULE: Final = "must be an ISO-8601 date-time string such as 2024-08-22T10:00:00+01:00"


def is_valid_article_id(value: str) -> bool:
    """True when `value` can be used as an article id as-is."""
    return ARTICLE_ID_RE.fullmatch(value) is not None


class ArticleIn(BaseModel):
    """The native JSON contract of POST /v1/articles: strict types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    article_id: str | None = Field(
        default=None,
        description="The source system's id; " + ARTICLE_ID_RULE + ". Omitted: ingest derives one.",
        json_schema_extra={"pattern": "^" + ARTICLE_ID_RE.pattern + "$"},
    )
    source: str = Field(default="api", description="Name of the sending system.")
    source_version: int | str | None = Field(
        default=None,
        description="The source's own version: an integer, or an ISO-8601 timestamp string.",
    )
    headline: str = Field(description=f"Plain text; at most {MAX_HEADLINE} characters once normalised.")
    standfirst: str | None = Field(default=None, description=f"Plain text; at most {MAX_STANDFIRST}.")
    authors: list[str] = Field(
        default_factory=list, description=f"Author names, each at most {MAX_AUTHOR} characters."
    )
    body_html: str | None = Field(
        default=None,
        description=f"HTML body (allow-listed on ingest); at most {MAX_BODY} characters. "
        "One of body_html / body_text is required; body_html wins when both are given.",
    )
    body_text: str | None = Field(
        default=None, description="Plain-text body; paragraphs separated by a blank line."
    )
    first_published_at: datetime = Field(
        strict=False,
        description="ISO-8601; without an offset it is read in the newsroom time zone.",
    )
    updated_at: datetime | None = Field(
        default=None, strict=False, description="ISO-8601; not earlier than first_published_at."
    )
    change_kind: ChangeKind | None = Field(
        default=None, description="Requested kind; omitted: 'new' for a first revision, else 'update'."
    )
    language: str | None = Field(default=None, description="BCP 47 language tag hint, e.g. 'en-GB'.")
    url: str | None = Field(default=None, description="Canonical http(s) URL at the source.")

    @field_validator("article_id")
    @classmethod
    def _id_pattern(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_article_id(value):
            raise ValueError(ARTICLE_ID_RULE)
        return value

    @field_validator("source_version", mode="before")
    @classmethod
    def _version_type(cls, value: object) -> object:
        if value is None or (isinstance(value, int | str) and not isinstance(value, bool)):
            return value
        raise ValueError("must be an integer or an ISO-8601 timestamp string")

    @field_validator("first_published_at", "updated_at", mode="before")
    @classmethod
    def _iso_datetime_only(cls, value: object) -> object:
        # Lax datetime parsing is on only so JSON strings are accepted; numbers
        # (epoch seconds) and other shapes stay refused, as strict typing promises.
        if value is None or isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_SHAPE.fullmatch(value.strip()):
            return value.strip()
        raise ValueError(_DATETIME_RULE)


class NormalisedArticle(BaseModel):
    """What every importer produces: clean, tz-aware, sanitized, hashed; immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str | None
    source: str
    source_version: str | None
    # the source's order (revisions.Version): an integer version, and the version's time in epoch
    # µs (a timestamp version, or ninjs versionCreated beside an integer version)
    version_number: int | None = None
    version_time: int | None = None
    headline: str
    standfirst: str | None
    authors: list[str]
    byline: str
    body_html: str
    body_text: str
    first_published_at: datetime
    updated_at: datetime | None
    change_kind: ChangeKind | None
    language: str | None
    url: str | None
    format: Format
    content_hash: str
    # the hash as it was before link targets counted, when the body has links (revisions.py)
    text_hash: str | None = None
    # of the document as sent (importers.parse_article): its re-send is a duplicate whatever a
    # later version of the normalising rules makes of it
    source_hash: str | None = None
    # the sender gave no first-publication time, only this version's (ninjs without firstCreated):
    # a later revision keeps the article's first one and is dated by this one (pipeline.py)
    first_published_is_version_time: bool = False
