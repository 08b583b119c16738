"""The few exception types the consumption mechanism routes on."""

from __future__ import annotations

from newsroom_shared.commit import Guard


class PermanentError(Exception):
    """Retrying cannot help (the payload breaks its contract): dead-letter at once.

    `holds_if`: a refusal decided on state that may still change (another step of the batch, another
    writer) is dead-lettered only while the guard's field still holds the guard's value (whatever
    its mode); otherwise it is decided again.
    """

    def __init__(self, message: str, *, article_id: str = "", holds_if: Guard | None = None) -> None:
        super().__init__(message)
        self.article_id = article_id  # when the entry's fields do not say, so dead letters can be found
        self.holds_if = holds_if


class TransientError(Exception):
    """Worth retrying with backoff (a dependency hiccup); dead-lettered after the attempt limit."""


class ConflictError(TransientError):
    """A concurrent writer moved the article on first; decide again against the new state."""
