"""Refusals of input: one exception type that carries every problem found, field by field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_FIELD_NAME: Final = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # a native field's name in a reason


class InputProblem(BaseModel):
    """One thing wrong with the input; `field` is a dotted path such as "authors.1"."""

    model_config = ConfigDict(frozen=True)

    field: str
    reason: str

    @field_validator("field", "reason")
    @classmethod
    def _encodable(cls, value: str) -> str:
        """A refusal is answered as JSON, logged and written to streams as UTF-8; a lone surrogate
        echoed from the input (legal as a JSON escape) would make each of those raise, so any that
        a check forgot to `quote()` is escaped here."""
        if value.isascii() or not _SURROGATE.search(value):
            return value
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


class InputError(ValueError):
    """Raised for any refused input, so callers handle exactly one exception type."""

    problems: list[InputProblem]

    def __init__(self, problems: list[InputProblem]) -> None:
        # one value read into two fields (a capture's time is also its version) is reported once
        self.problems = list(dict.fromkeys(problems)) or [InputProblem(field="body", reason="refused")]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(f"{p.field}: {p.reason}" for p in self.problems)

    def renamed(self, names: dict[str, str]) -> InputError:
        """The same problems under the names the sender used (e.g. ninjs keys for native fields)."""
        out = []
        for p in self.problems:
            head, dot, rest = p.field.partition(".")
            field = names.get(p.field) or (names[head] + dot + rest if head in names else p.field)
            # a reason that names another field ("is earlier than first_published_at") names it
            # as the sender did too
            reason = _FIELD_NAME.sub(lambda m: names.get(m[0], m[0]), p.reason)
            out.append(InputProblem(field=field, reason=reason))
        return InputError(out)

    @classmethod
    def one(cls, field: str, reason: str) -> InputError:
        """Shorthand for the common single-problem refusal."""
        return cls([InputProblem(field=field, reason=reason)])


class Problems:
    """Collects problems while checking, so one refusal reports all of them at once."""

    def __init__(self) -> None:
        self.items: list[InputProblem] = []

    def add(self, field: str, reason: str) -> None:
        """Record one problem."""
        self.items.append(InputProblem(field=field, reason=reason))

    def extend(self, problems: Iterable[InputProblem]) -> None:
        """Record problems found elsewhere (e.g. by a nested check)."""
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        """Refuse the input if anything was recorded."""
        if self.items:
            raise InputError(self.items)


_REASONS = {
    "extra_forbidden": "unknown field (not part of the contract)",
    "missing": "required field is missing",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "list_type": "must be a list",
    "model_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "literal_error": None,
}


def quote(value: str, limit: int = 60) -> str:
    """Input echoed into a reason or field path: unprintables escaped, long values cut."""
    cut = value if len(value) <= limit else value[: limit - 1] + "…"
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in cut)


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(quote(str(part)) for part in loc) or "body"


def from_validation_error(error: ValidationError, prefix: str = "") -> InputError:
    """Turn pydantic's errors into InputProblems with dotted paths and readable reasons."""
    problems: list[InputProblem] = []
    for item in error.errors(include_url=False, include_input=False):
        path = _field_path(tuple(item["loc"]))
        reason = _REASONS.get(item["type"]) or str(item["msg"])
        if reason.startswith("Value error, "):
            reason = reason.removeprefix("Value error, ")
        problems.append(InputProblem(field=f"{prefix}{path}", reason=reason))
    return InputError(problems)
