"""URL slugs from headlines: lowercase ASCII words joined by hyphens."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from newsroom_enrich.enrichers.text import SOFT_HYPHEN

MAX_SLUG_LENGTH = 80

# Letters NFKD does not decompose into ASCII, plus Cyrillic and Greek (simplified BGN/PCGN).
_LATIN = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "þ": "th",
    "ð": "d",
    "ı": "i",
    "ħ": "h",
    "ɓ": "b",  # Hausa hooked letters
    "ɗ": "d",
    "ƙ": "k",
    "ƴ": "y",
    "ŋ": "ng",
    "ə": "e",  # Azerbaijani
}


def _pairs(text: str) -> dict[str, str]:
    """Parse "а=a б=b" into {"а": "a", "б": "b"}; an empty right side drops the letter."""
    return dict(pair.split("=") for pair in text.split())


_CYRILLIC = _pairs(
    """
    а=a б=b в=v г=g д=d е=e ё=yo ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u
    ф=f х=kh ц=ts ч=ch ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya і=i ї=yi є=ye ґ=g ў=w
    ђ=dj ј=j љ=lj њ=nj ћ=c џ=dz ѓ=gj ќ=kj ѕ=dz
    ә=a ғ=gh қ=q ң=ng ө=o ұ=u ү=u һ=h
    """
)
_GREEK = _pairs(
    """
    α=a β=v γ=g δ=d ε=e ζ=z η=i θ=th ι=i κ=k λ=l μ=m ν=n ξ=x ο=o π=p ρ=r σ=s ς=s τ=t υ=y
    φ=f χ=ch ψ=ps ω=o ά=a έ=e ή=i ί=i ό=o ύ=y ώ=o ϊ=i ϋ=y ΐ=i ΰ=y
    """
)
_TABLE = str.maketrans({**_LATIN, **_CYRILLIC, **_GREEK, SOFT_HYPHEN: None})
_GERMAN_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_ELISION_RE = re.compile(r"\b(qu|[cdjlmnst])['’](?=[a-z])")
_APOSTROPHES_RE = re.compile(r"['’‘ʼ`]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def transliterate(text: str, language: str = "") -> str:
    """Lowercase ASCII rendering; German umlauts follow German usage ("Müller" -> "mueller")."""
    lowered = text.lower()
    if language.split("-")[0] == "de":
        lowered = lowered.translate(_GERMAN_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_TABLE)


def slugify(headline: str, language: str = "") -> str:
    """Slug of at most `MAX_SLUG_LENGTH` characters, cut at a word boundary.

    Headlines in scripts without a transliteration here (Chinese, Arabic...) get a stable
    "article-<hash>" so the slug is never empty.
    """
    ascii_text = transliterate(headline, language)
    # "l’émissaire" -> "l-emissaire", but "Okafor’s" -> "okafors"
    ascii_text = _APOSTROPHES_RE.sub("", _ELISION_RE.sub(r"\1-", ascii_text))
    slug = _NON_ALNUM_RE.sub("-", ascii_text).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[: MAX_SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:MAX_SLUG_LENGTH]
        slug = slug.rstrip("-")
    if not slug:
        digest = hashlib.sha1(headline.encode("utf-8")).hexdigest()[:10]
        slug = f"article-{digest}"
    return slug
