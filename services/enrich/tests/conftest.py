"""Fixtures for the enrich domain tests: one `Enricher` per session, as the service builds one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from newsroom_enrich.enrichment import Enricher, Enrichment, Entity

REFERENCE_ARTICLE = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "seed" / "000_ac197daf77e00fac.txt"
)


@dataclass(frozen=True)
class Article:
    """An article as enrich receives it, plus its enrichment."""

    headline: str
    standfirst: str | None
    body: str
    result: Enrichment

    def text_of(self, field: str) -> str:
        return {"headline": self.headline, "standfirst": self.standfirst or "", "body": self.body}[field]

    def entity(self, name: str) -> Entity:
        """The entity with this normalised name; fails listing what was found."""
        for entity in self.result.entities:
            if entity.name == name:
                return entity
        found = [(e.name, e.type) for e in self.result.entities]
        raise AssertionError(f"no entity {name!r}; found {found}")

    def names(self, kind: str) -> set[str]:
        return {e.name for e in self.result.entities if e.type == kind}

    def surfaces(self, name: str) -> list[str]:
        """What each mention of the entity reads in its field."""
        return [self.text_of(m.field)[m.start : m.end] for m in self.entity(name).mentions]


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher()


@pytest.fixture(scope="session")
def enrich(enricher: Enricher):  # type: ignore[no-untyped-def]
    """Enrich an article given as headline, standfirst and body."""

    def run(headline: str, body: str, standfirst: str | None = None, hint: str | None = None) -> Article:
        result = enricher.enrich(headline=headline, standfirst=standfirst, body_text=body, language_hint=hint)
        return Article(headline, standfirst, body, result)

    return run


@pytest.fixture(scope="session")
def reference(enrich) -> Article:  # type: ignore[no-untyped-def]
    """The seed article: headline is the line after "Newsroom logo", body the paragraphs after "None"."""
    if not REFERENCE_ARTICLE.is_file():
        pytest.skip(f"reference article not found at {REFERENCE_ARTICLE} (shared/ is laid beside the repo)")
    lines = REFERENCE_ARTICLE.read_text(encoding="utf-8").splitlines()
    after_logo = lines[lines.index("Newsroom logo") + 1 :]
    headline = next(line.strip() for line in after_logo if line.strip())
    body = "\n".join(lines[lines.index("None") + 1 :]).strip()
    article: Article = enrich(headline, body)
    return article
