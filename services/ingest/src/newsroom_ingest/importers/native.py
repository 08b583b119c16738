"""The native JSON contract: a JSON object validated by ArticleIn, nothing more and nothing less."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from newsroom_ingest.contracts import ArticleIn
from newsroom_ingest.errors import InputError, InputProblem, from_validation_error, quote
from newsroom_ingest.sanitize import bad_character


class _DuplicateKeyError(ValueError):
    """A JSON object names the same key twice; which one wins would be a guess."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# json.loads() with hooks builds a new decoder on every call; one shared decoder holds no state
# between documents, so it parses exactly the same without that cost (load_json keeps the one
# check json.loads makes before decoding: the leading BOM).
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def load_json(document: str) -> object:
    """Parse JSON, refusing syntax errors, duplicate keys, NaN/Infinity and absurd nesting."""
    try:
        if document.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", document, 0)
        return _DECODER.decode(document)
    except json.JSONDecodeError as e:
        reason = f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
    except _DuplicateKeyError as e:
        reason = f"not valid JSON: duplicate key {quote(e.key)!r}"
    except RecursionError:
        reason = "not valid JSON: nested too deeply"
    except ValueError as e:  # NaN/Infinity, or an integer with too many digits
        reason = f"not valid JSON: {quote(str(e), 80)}"
    raise InputError.one("body", reason)


def load_json_object(document: str) -> dict[str, Any]:
    """A JSON document that must be an object at the top."""
    obj = load_json(document)
    if not isinstance(obj, dict):
        raise InputError.one("body", "must be a JSON object")
    return obj


def to_article_in(document: str) -> ArticleIn:
    """Validate a native JSON document; unknown fields and wrong types are refused by name."""
    obj = load_json_object(document)
    bad_keys = [(key, reason) for key in obj if (reason := bad_character(key))]
    if bad_keys:  # pydantic cannot even name such a key, so refuse it here
        raise InputError([InputProblem(field=quote(key), reason=r) for key, r in bad_keys])
    try:
        return ArticleIn.model_validate(obj)
    except ValidationError as e:
        raise from_validation_error(e) from None
