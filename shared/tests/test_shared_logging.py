"""Log lines: JSON outside a terminal, and never lost to an odd value."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest
import structlog
from newsroom_shared.logging import configure_logging
from newsroom_shared.settings import NewsroomSettings


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.BytesIO]:
    sink = io.BytesIO()
    stderr = io.TextIOWrapper(sink, write_through=True)
    monkeypatch.setattr(sys, "stderr", stderr)
    configure_logging(NewsroomSettings(log_format="json"), "ingest")
    yield sink
    structlog.reset_defaults()
    stderr.detach()  # so that collecting the wrapper does not close the sink


def test_json_lines_carry_the_service_and_the_fields_given(captured: io.BytesIO) -> None:
    structlog.get_logger("t").info("applied", article_id="a-1", revision=2, event_id="e-1", stage="ingest")
    line = json.loads(captured.getvalue())
    assert line["service"] == "ingest" and line["level"] == "info" and line["event"] == "applied"
    assert (line["article_id"], line["revision"], line["event_id"]) == ("a-1", 2, "e-1")


def test_a_value_with_bytes_that_were_not_utf8_is_escaped_not_dropped(captured: io.BytesIO) -> None:
    odd = b"caf\xe9".decode("utf-8", "surrogateescape")  # how such a field reaches a stage
    structlog.get_logger("t").error("dead-lettered", article_id=odd)
    assert json.loads(captured.getvalue())["article_id"] == odd
