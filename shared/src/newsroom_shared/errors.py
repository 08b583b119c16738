"""The few exception types the consumption mechanism routes on."""

from __future__ import annotations


class PermanentError(Exception):
    """Retrying cannot help (the payload breaks its contract): dead-letter at once."""


class TransientError(Exception):
    """Worth retrying with backoff (a dependency hiccup); dead-lettered after the attempt limit."""


class ConflictError(TransientError):
    """A concurrent writer moved the article on first; decide again against the new state."""
