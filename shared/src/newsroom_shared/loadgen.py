"""Synthetic articles for `newsroom soak` and `newsroom bench`: native-JSON wire documents, ~3 KB.

Texts are generated from a small vocabulary with real-looking names, places and organisations so
the enricher does real work; nothing here knows any service's models, only the documented layout.
"""

from __future__ import annotations

import json
import random

PLACES = [
    "Lisbon",
    "Porto",
    "Tallinn",
    "Riga",
    "Vilnius",
    "Gdansk",
    "Krakow",
    "Brno",
    "Graz",
    "Lyon",
    "Valencia",
    "Bilbao",
    "Turin",
    "Naples",
    "Ghent",
    "Utrecht",
    "Aarhus",
    "Bergen",
    "Tampere",
]
COUNTRIES = [
    "Portugal",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Poland",
    "Czechia",
    "Austria",
    "France",
    "Spain",
    "Italy",
    "Belgium",
    "Netherlands",
    "Denmark",
    "Norway",
    "Finland",
]
PEOPLE = [
    "Marta Silva",
    "Jaan Tamm",
    "Liga Ozola",
    "Tomas Kazlauskas",
    "Anna Nowak",
    "Petr Svoboda",
    "Lukas Gruber",
    "Claire Martin",
    "Javier Ruiz",
    "Giulia Romano",
    "Pieter Janssens",
]
ORGS = [
    "European Commission",
    "World Health Organization",
    "NATO",
    "OECD",
    "Red Cross",
    "European Central Bank",
    "UNESCO",
]
VERBS = ["announced", "approved", "rejected", "postponed", "reviewed", "expanded", "funded"]
NOUNS = [
    "a housing plan",
    "a new tram line",
    "the harbour budget",
    "a school reform",
    "a flood barrier",
    "the regional airport",
    "a water treaty",
    "a wind farm",
]


def paragraph(rng: random.Random) -> str:
    s = []
    for _ in range(3):
        s.append(
            f"In {rng.choice(PLACES)}, {rng.choice(PEOPLE)} of the {rng.choice(ORGS)} "
            f"{rng.choice(VERBS)} {rng.choice(NOUNS)} on behalf of {rng.choice(COUNTRIES)}."
        )
    return " ".join(s)


def article(article_id: str, version: int = 1, *, size: int = 3000, seed: int | None = None) -> str:
    """A native-JSON document of about `size` bytes; `version` changes its content and source version."""
    rng = random.Random(f"{article_id}/{seed if seed is not None else 0}")
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < size - 600:
        paragraphs.append(paragraph(rng))
    paragraphs.append(f"This is version {version} of the report.")
    return json.dumps(
        {
            "article_id": article_id,
            "source": "loadgen",
            "source_version": version,
            "headline": f"{rng.choice(PLACES)} {rng.choice(VERBS).capitalize()} {rng.choice(NOUNS).title()}",
            "authors": [rng.choice(PEOPLE)],
            "body_text": "\n\n".join(paragraphs),
            "first_published_at": "2025-05-01T08:00:00+00:00",
            "change_kind": "update" if version > 1 else None,
        }
    )
