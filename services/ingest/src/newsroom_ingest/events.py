"""What ingest emits: `newsroom.articles.ingested.v1` (its JSON Schema is exported to schemas/)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, PlainSerializer

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


RECEIPTS: Final = "newsroom.articles.receipts.v1"
"""Where a sender on the submissions stream reads what became of each entry (see `receipts.py`)."""


def _as_text(value: int | None) -> str | None:
    return None if value is None else str(value)


ReceiptStatus = Literal["accepted", "duplicate", "superseded", "refused", "failed"]


class SubmissionReceipt(BaseModel):
    """The answer to one submissions-stream entry: what an HTTP sender reads in its response.

    Plain stream fields, not an enveloped event: it is addressed to the sender, not to a stage.
    Fields without a value are left out of the entry. `refused`: the document cannot be accepted
    (`error` names the field and the reason); `failed`: it could not be processed and waits in the
    dead letters for an operator. Both carry the dead-letter stream.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    submission_id: str
    status: ReceiptStatus
    article_id: str | None = None
    # stream fields are strings: the schema says what is written, validation reads it back as a number
    revision: Annotated[int | None, PlainSerializer(_as_text, return_type=str | None)] = None
    change_kind: ChangeKind | None = None
    event_id: str | None = None
    correlation_id: str | None = None
    error: str | None = None
    dead_letter_stream: str | None = None
    time: AwareDatetime
