"""The revision rule: when a submission becomes a new revision, a duplicate, or is superseded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newsroom_ingest.events import ChangeKind

Status = Literal["accepted", "duplicate", "superseded"]


@dataclass(frozen=True)
class ArticleState:
    """What ingest remembers of an article between submissions (one Redis hash)."""

    revision: int = 0
    version_key: float | None = None
    known_hashes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> ArticleState:
        vk = raw.get("version_key")
        return cls(
            revision=int(raw.get("revision") or 0),
            version_key=float(vk) if vk else None,
            known_hashes={k[2:]: int(v) for k, v in raw.items() if k.startswith("h:")},
        )

    def after(self, decision: Decision, content_hash: str, version_key: float | None) -> ArticleState:
        if decision.status != "accepted":
            return self
        vk = self.version_key if version_key is None else max(version_key, self.version_key or version_key)
        return ArticleState(decision.revision, vk, self.known_hashes | {content_hash: decision.revision})


@dataclass(frozen=True)
class Decision:
    status: Status
    revision: int
    change_kind: ChangeKind | None = None


def decide_revision(
    state: ArticleState, *, content_hash: str, version_key: float | None, requested: ChangeKind | None
) -> Decision:
    """Identical content is a duplicate; an older source version never becomes current; else n+1."""
    if content_hash in state.known_hashes:
        return Decision("duplicate", state.known_hashes[content_hash])
    if version_key is not None and state.version_key is not None and version_key <= state.version_key:
        return Decision("superseded", state.revision)
    revision = state.revision + 1
    if revision == 1:
        kind: ChangeKind = "withdrawal" if requested == "withdrawal" else "new"
    else:
        kind = requested if requested in ("update", "correction", "withdrawal") else "update"
    return Decision("accepted", revision, kind)
