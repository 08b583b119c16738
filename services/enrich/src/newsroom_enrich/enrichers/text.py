"""String folding shared by every matcher, so "Bélarus", "BELARUS" and "belarus" meet on one key."""

from __future__ import annotations

import unicodedata

SOFT_HYPHEN = "\u00ad"
"""A hyphenation hint inside a word ("Baer&shy;bock"): part of the word, never in its key or name."""
JOINERS = "\u200c\u200d"
"""Zero-width non-joiner and joiner: inside Persian, Urdu and Indic words ("می‌خواهم"), part of the
word and of its name (they shape how it is drawn), not of its key (writers differ in using them)."""
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_NO_DECOMPOSITION = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", SOFT_HYPHEN: None}
    | dict.fromkeys(JOINERS)
)


def without_soft_hyphens(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "") if SOFT_HYPHEN in text else text


def fold(word: str) -> str:
    """Case-, accent- and apostrophe-insensitive key; ASCII words take the cheap path."""
    if word.isascii():
        return word.lower()
    word = word.translate(_APOSTROPHES).translate(_NO_DECOMPOSITION)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def is_capitalised(word: str) -> bool:
    """True for "Lima", "NATO", "Jean-Paul" and "al-Assad"-style particles before a capital."""
    first = word[0]
    if first.isupper():
        return True
    dash = word.find("-")
    return (
        0 < dash <= 3
        and dash + 1 < len(word)
        and word[dash + 1].isupper()
        and word[:dash] in _ARABIC_PARTICLES
    )


_ARABIC_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "an", "az", "ash", "ibn", "bin", "abu"})


def is_acronym(word: str) -> bool:
    """Two to six capitals ("NATO", "OSCE", "G7", "U.S."), the shape of abbreviations, not of words."""
    letters = word.replace(".", "").replace("&", "")
    if not 2 <= len(letters) <= 6 or not letters[0].isalpha():
        return False
    if not letters[0].isupper():
        return False
    if letters[1:].isdigit():
        return True  # "G7", "G20"
    return all(ch.isupper() or ch.isdigit() for ch in letters)
