"""Export every event's JSON Schema into schemas/ for other newsroom systems: `make schemas`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsroom_enrich.contracts import ArticleEnriched
from newsroom_ingest.contracts import ArticleIn
from newsroom_ingest.events import ArticleIngested, SubmissionReceipt
from newsroom_publish.contracts import ArticlePublished
from newsroom_shared.envelope import Envelope
from pydantic import BaseModel

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"

SCHEMAS: dict[str, type[BaseModel]] = {
    "envelope.v1.json": Envelope,
    "article-submission.v1.json": ArticleIn,
    "article-ingested.v1.json": ArticleIngested,
    "submission-receipt.v1.json": SubmissionReceipt,
    "article-enriched.v1.json": ArticleEnriched,
    "article-published.v1.json": ArticlePublished,
}


def render(model: type[BaseModel]) -> str:
    schema: dict[str, Any] = model.model_json_schema(mode="serialization")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, model in SCHEMAS.items():
        (SCHEMA_DIR / name).write_text(render(model), encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
