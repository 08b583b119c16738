"""One structlog configuration: readable on a terminal, JSON lines otherwise (containers)."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import orjson
import structlog

from newsroom_shared.settings import NewsroomSettings


def configure_logging(settings: NewsroomSettings, service: str) -> None:
    json_out = settings.log_format == "json" or (settings.log_format == "auto" and not sys.stderr.isatty())
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
    ]
    factory: Any
    if json_out:
        processors += [structlog.processors.format_exc_info, structlog.processors.JSONRenderer(_dumps)]
        factory = structlog.BytesLoggerFactory(file=sys.stderr.buffer)
    else:
        processors.append(structlog.dev.ConsoleRenderer(colors=False))
        factory = structlog.PrintLoggerFactory(file=sys.stderr)
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=factory,
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=max(level, logging.WARNING), stream=sys.stderr, format="%(name)s %(message)s")


def _dumps(event: Any, **_: Any) -> bytes:
    """orjson: every stage writes a line per article, and it is several times faster than json.
    It refuses lone surrogates (bytes a producer wrote that are not UTF-8, see connection.py);
    json escapes those instead of losing the line."""
    try:
        return orjson.dumps(event, default=str)
    except TypeError:
        return json.dumps(event, default=str).encode()


def _add_service(service: str) -> structlog.types.Processor:
    def add(_: object, __: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
        event.setdefault("service", service)
        return event

    return add
