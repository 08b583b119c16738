"""The revision rule: when a submission becomes a new revision, a duplicate, or is superseded, and
when a derived id turns out to name a different article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newsroom_ingest.events import ChangeKind

Status = Literal["accepted", "duplicate", "superseded", "different_article"]


@dataclass(frozen=True)
class ArticleState:
    """What ingest remembers of an article between submissions (one Redis hash)."""

    revision: int = 0
    version_key: float | None = None
    known_hashes: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""  # of the current revision, kept only for derived ids (identity.py)
    # which revision, with which content, is current: what a step is decided on and guarded by, so
    # a step decided on another step of its batch cannot apply on top of a concurrent writer's
    # revision that merely has the same number
    head: str = ""
    # whether its hashes count link targets (identity.content_hash): an article last written
    # before they did is matched on `text_hash` too, so its identical re-send stays a duplicate
    links_hashed: bool = False
    # the article's first publication (ISO), which a revision that gives only its own time keeps
    first_published: str = ""

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> ArticleState:
        vk = raw.get("version_key")
        return cls(
            revision=int(raw.get("revision") or 0),
            version_key=float(vk) if vk else None,
            known_hashes={k[2:]: int(v) for k, v in raw.items() if k.startswith("h:")},
            fingerprint=raw.get("fp", ""),
            head=raw.get("head", ""),
            links_hashed=raw.get("hv") == HASHES_COUNT_LINKS,
            first_published=raw.get("first", ""),
        )

    def after(
        self,
        decision: Decision,
        content_hash: str,
        version_key: float | None,
        fingerprint: str | None = None,
        first_published: str = "",
    ) -> ArticleState:
        if decision.status != "accepted":
            return self
        vk = self.version_key if version_key is None else max(version_key, self.version_key or version_key)
        hashes = self.known_hashes | {content_hash: decision.revision}
        head = head_token(decision.revision, content_hash)
        fp = fingerprint or self.fingerprint
        first = self.first_published or first_published
        return ArticleState(decision.revision, vk, hashes, fp, head, links_hashed=True, first_published=first)


HASHES_COUNT_LINKS = "2"
"""The state's `hv` once its hashes count link targets (written with every accepted revision)."""


def head_token(revision: int, content_hash: str) -> str:
    return f"{revision}:{content_hash}"


@dataclass(frozen=True)
class Decision:
    status: Status
    revision: int
    change_kind: ChangeKind | None = None


def decide_revision(
    state: ArticleState,
    *,
    content_hash: str,
    version_key: float | None,
    requested: ChangeKind | None,
    fingerprint: str | None = None,
    text_hash: str | None = None,
) -> Decision:
    """Identical content is a duplicate; an older source version never becomes current; else n+1.

    Content an earlier revision had is a duplicate of it (a re-send), unless the source gives a
    newer version than the current one: then the article went back to that text, a new revision.
    A hash recorded above the current revision was left by a step that failed midway and is not
    trusted. `fingerprint` is given only when the id was derived: then a submission that shares
    neither the headline nor any paragraph with the current revision is another article whose
    derivation collided, and is refused instead of replacing it (or being dropped as superseded).
    `text_hash` is the hash without link targets, given when the body has links: it is matched
    only for an article whose hashes were all recorded before link targets counted.
    """
    newer = version_key is not None and state.version_key is not None and version_key > state.version_key
    seen = state.known_hashes.get(content_hash)
    if seen is None and text_hash is not None and not state.links_hashed:
        seen = state.known_hashes.get(text_hash)
    reverted = seen is not None and seen < state.revision and newer
    if seen is not None and seen <= state.revision and not reverted:
        return Decision("duplicate", seen)
    different = (
        fingerprint is not None and state.fingerprint and not same_story(state.fingerprint, fingerprint)
    )
    if different and not reverted:
        return Decision("different_article", state.revision)
    if version_key is not None and state.version_key is not None and not newer:
        return Decision("superseded", state.revision)
    revision = state.revision + 1
    if revision == 1:
        kind: ChangeKind = "withdrawal" if requested == "withdrawal" else "new"
    else:
        kind = requested if requested in ("update", "correction", "withdrawal") else "update"
    return Decision("accepted", revision, kind)


def same_story(stored: str, submitted: str) -> bool:
    """A revision keeps its headline or at least one paragraph word for word; another article of
    the same day and byline shares neither. Fingerprints: headline hash, then paragraph hashes."""
    old, new = stored.split(), submitted.split()
    if not old or not new:
        return True  # nothing to compare: trust the id
    return old[0] == new[0] or not set(old[1:]).isdisjoint(new[1:])
