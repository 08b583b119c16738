"""The few exception types the consumption mechanism routes on."""

from __future__ import annotations


class PermanentError(Exception):
    """Retrying cannot help (the payload breaks its contract): dead-letter at once."""

    def __init__(self, message: str, *, article_id: str = "") -> None:
        super().__init__(message)
        self.article_id = article_id  # when the entry's fields do not say, so dead letters can be found


class TransientError(Exception):
    """Worth retrying with backoff (a dependency hiccup); dead-lettered after the attempt limit."""


class ConflictError(TransientError):
    """A concurrent writer moved the article on first; decide again against the new state."""
