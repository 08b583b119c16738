"""Word count and reading time."""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 230
"""Typical adult silent reading speed for news prose."""


# From a chunk's first letter or digit to its end: one match per chunk that holds one.
_WORD_RE = re.compile(r"[^\W_]\S*+")


# Chinese and Japanese are written without spaces: each ideograph or kana counts as a word, as word
# processors count them (reading speeds in characters a minute are close to 230 for Chinese).
_IDEOGRAPHIC_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def count_words(text: str) -> int:
    """Whitespace-separated chunks holding a letter or digit, so a lone dash or quote is no word;
    in Chinese and Japanese, each character."""
    if not text.isascii() and (ideographs := len(_IDEOGRAPHIC_RE.findall(text))):
        return ideographs + len(_WORD_RE.findall(_IDEOGRAPHIC_RE.sub(" ", text)))
    return len(_WORD_RE.findall(text))


def reading_time_minutes(word_count: int) -> int:
    """Whole minutes at `WORDS_PER_MINUTE`, rounded half up, never below one."""
    return max(1, math.floor(word_count / WORDS_PER_MINUTE + 0.5))
