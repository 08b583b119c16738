"""The revision rule: when a submission becomes a new revision, a duplicate, or is superseded, and
when a derived id turns out to name a different article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newsroom_ingest.events import ChangeKind

Status = Literal["accepted", "duplicate", "superseded", "different_article"]


@dataclass(frozen=True)
class Version:
    """A submission's place in its source's order, of either kind a source gives: an integer it
    counts up, or a time (epoch µs). The two kinds never compare with each other (version 2 is not
    older than a time), so an article remembers the highest of each it has seen."""

    number: int | None = None
    time: int | None = None


Order = Literal["newer", "older", "same", "unordered"]


@dataclass(frozen=True)
class ArticleState:
    """What ingest remembers of an article between submissions (one Redis hash)."""

    revision: int = 0
    version: Version = Version()
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
    # the current revision's own date (ISO: its update, or for the first its publication), which
    # a later revision's date must pass (pipeline.publication_times)
    dated: str = ""
    # the one version an article stored before versions had kinds kept (int or epoch s, as float):
    # compared as it was, for each kind until the article records a version of that kind
    legacy_version: float | None = None

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> ArticleState:
        vk = raw.get("version_key")
        vn, vt = raw.get("vn"), raw.get("vt")
        return cls(
            revision=int(raw.get("revision") or 0),
            version=Version(int(vn) if vn else None, int(vt) if vt else None),
            known_hashes={k[2:]: int(v) for k, v in raw.items() if k.startswith("h:")},
            fingerprint=raw.get("fp", ""),
            head=raw.get("head", ""),
            links_hashed=raw.get("hv") == HASHES_COUNT_LINKS,
            first_published=raw.get("first", ""),
            dated=raw.get("dated", ""),
            legacy_version=float(vk) if vk else None,
        )

    def after(
        self,
        decision: Decision,
        content_hash: str,
        version: Version,
        fingerprint: str | None = None,
        first_published: str = "",
        dated: str = "",
        source_hash: str | None = None,
    ) -> ArticleState:
        if decision.status != "accepted":
            return self
        hashes = self.known_hashes | {content_hash: decision.revision}
        if source_hash is not None:
            hashes[source_hash] = decision.revision
        head = head_token(decision.revision, content_hash)
        fp = fingerprint or self.fingerprint
        first = self.first_published or first_published
        return ArticleState(
            decision.revision,
            Version(_highest(self.version.number, version.number), _highest(self.version.time, version.time)),
            hashes,
            fp,
            head,
            links_hashed=True,
            first_published=first,
            dated=dated or self.dated,
            legacy_version=self.legacy_version,
        )


def _highest(a: int | None, b: int | None) -> int | None:
    return a if b is None else b if a is None else max(a, b)


def compare_versions(state: ArticleState, version: Version) -> Order:
    """Where `version` stands against the highest the article has seen: by number when both have
    one, else by time when both have one; a version of a kind the article never had is unordered,
    like none at all (so a stale time never passes an integer version, nor blocks the next one).
    An article stored before versions had kinds compares a kind it has not recorded since with
    the one version it kept, as it did then (so an older version of that kind stays older)."""
    mine, theirs = version, state.version
    a: float
    b: float
    if mine.number is not None and theirs.number is not None:
        a, b = mine.number, theirs.number
    elif mine.time is not None and theirs.time is not None:
        a, b = mine.time, theirs.time
    elif state.legacy_version is not None and mine != Version():
        a = float(mine.number) if mine.number is not None else (mine.time or 0) / 1_000_000
        b = state.legacy_version
    else:
        return "unordered"
    return "newer" if a > b else "older" if a < b else "same"


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
    version: Version,
    requested: ChangeKind | None,
    fingerprint: str | None = None,
    text_hash: str | None = None,
    source_hash: str | None = None,
) -> Decision:
    """Identical content is a duplicate; an older source version never becomes current; else n+1.

    Content an earlier revision had is a duplicate of it (a re-send), unless the source gives a
    newer version than the current one: then the article went back to that text, a new revision.
    New content under the same version as the current one is the next revision too (the later
    arrival wins, as without versions): a source that versions by the day or the minute, or a
    kill notice sent under the version it withdraws, would otherwise be dropped. A hash recorded
    above the current revision was left by a step that failed midway and is not trusted.
    `fingerprint` is given only when the id was derived: then a submission that shares neither
    the headline nor any paragraph with the current revision is another article whose derivation
    collided, and is refused instead of replacing it (or being dropped as superseded).
    `text_hash` is the hash without link targets, given when the body has links: it is matched
    only for an article whose hashes were all recorded before link targets counted.
    `source_hash` is the hash of the document as sent: the same document sent again is a re-send
    even when normalising it now gives other content (a sanitizer that reads it better).
    """
    order = compare_versions(state, version)
    seen = state.known_hashes.get(content_hash)
    if seen is None and source_hash is not None:
        seen = state.known_hashes.get(source_hash)
    if seen is None and text_hash is not None and not state.links_hashed:
        seen = state.known_hashes.get(text_hash)
    reverted = seen is not None and seen < state.revision and order == "newer"
    if seen is not None and seen <= state.revision and not reverted:
        return Decision("duplicate", seen)
    different = (
        fingerprint is not None and state.fingerprint and not same_story(state.fingerprint, fingerprint)
    )
    if different and not reverted:
        return Decision("different_article", state.revision)
    if order == "older":
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
