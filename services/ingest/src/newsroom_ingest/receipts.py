"""Receipts: a sender on the submissions stream learns what became of each entry it wrote.

HTTP senders read the answer in the response; a stream sender gets the same answer as one entry on
`newsroom.articles.receipts.v1`, keyed by the id its XADD returned (`submission_id`) and by its own
`correlation_id` if it gave one (which also survives a dead letter's replay, unlike the entry id).
A receipt is written in the same atomic step as the decision or the dead letter it reports, so it
never announces a revision whose event was not written, and no settled entry goes without one
(an entry a stalled consumer held and another took over may get a second, `duplicate`, receipt;
a step retried after a later write failed writes the same receipt again).
Receipts older than `NEWSROOM_RETENTION_MS` are trimmed as new ones are written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from newsroom_shared.commit import Op, xadd_op
from newsroom_shared.errors import PermanentError

from newsroom_ingest.events import RECEIPTS, ReceiptStatus
from newsroom_ingest.pipeline import Planned

MAX_CORRELATION_ID: Final = 256
_DECIDED: Final[dict[str, ReceiptStatus]] = {
    "accepted": "accepted",
    "duplicate": "duplicate",
    "superseded": "superseded",
}
"""Decisions a receipt reports as such; a refused one is a dead letter's receipt (`dead_lettered`)."""


def correlation_id(fields: dict[str, str], headers: dict[str, str] | None = None) -> str | None:
    """The sender's own id for the entry (a field, or a FastStream producer's header), echoed in
    its receipt; bounded and valid UTF-8, since it is stored where every sender reads."""
    value = fields.get("correlation_id") or (headers or {}).get("correlation_id")
    if not value:
        return None
    if len(value) > MAX_CORRELATION_ID:
        raise PermanentError(f"correlation_id: longer than {MAX_CORRELATION_ID} characters")
    if _echo(value) is None:
        raise PermanentError("correlation_id: not valid UTF-8")
    return value


def _echo(value: str | None) -> str | None:
    """What a receipt may repeat of an entry: text any reader can decode, of a sane length; bytes a
    sender wrote that are not UTF-8 would make the whole receipts stream unreadable to strict clients."""
    if not value or len(value) > MAX_CORRELATION_ID:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def receipt_fields(
    submission_id: str,
    status: ReceiptStatus,
    now: datetime,
    **values: str | int | None,
) -> dict[str, str]:
    """The entry as written: `SubmissionReceipt`'s fields, those without a value left out."""
    fields = {"submission_id": submission_id, "status": status}
    fields.update({k: str(v) for k, v in values.items() if v is not None and v != ""})
    fields["time"] = now.isoformat()
    return fields


def decided(submission_id: str, p: Planned, correlation: str | None, now: datetime) -> dict[str, str]:
    """The receipt of a submission ingest decided on: accepted, duplicate or superseded."""
    accepted = p.decision.status == "accepted"
    return receipt_fields(
        submission_id,
        _DECIDED[p.decision.status],
        now,
        article_id=p.article_id,
        revision=p.decision.revision,
        change_kind=p.decision.change_kind if accepted else None,
        event_id=p.event_id,
        correlation_id=correlation,
    )


def dead_lettered(
    submission_id: str,
    fields: dict[str, str],
    error: BaseException,
    dead_letter_stream: str,
    now: datetime,
    headers: dict[str, str] | None = None,
) -> dict[str, str]:
    """The receipt of an entry that went to the dead letters: refused, or failed to be processed."""
    try:
        correlation = correlation_id(fields, headers)
    except PermanentError:
        correlation = None  # the one thing the sender got wrong: the receipt says so in `error`
    return receipt_fields(
        submission_id,
        "refused" if isinstance(error, PermanentError) else "failed",
        now,
        article_id=_echo(fields.get("article_id") or getattr(error, "article_id", "")),
        correlation_id=correlation,
        error=str(error)[:2000].encode("utf-8", "replace").decode(),
        dead_letter_stream=dead_letter_stream,
    )


def receipt_op(fields: dict[str, str], now: datetime, retention_ms: int) -> Op:
    """Written with the step; receipts past the retention period are trimmed as it is written."""
    oldest = max(0, int(now.timestamp() * 1000) - retention_ms)
    return xadd_op(RECEIPTS, fields, minid=f"{oldest}-0")
