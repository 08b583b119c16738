"""Word count and reading time."""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 230
"""Typical adult silent reading speed for news prose."""


# From a chunk's first letter or digit to its end: one match per chunk that holds one.
_WORD_RE = re.compile(r"[^\W_]\S*+")


def count_words(text: str) -> int:
    """Whitespace-separated chunks holding a letter or digit, so a lone dash or quote is no word."""
    return len(_WORD_RE.findall(text))


def reading_time_minutes(word_count: int) -> int:
    """Whole minutes at `WORDS_PER_MINUTE`, rounded half up, never below one."""
    return max(1, math.floor(word_count / WORDS_PER_MINUTE + 0.5))
