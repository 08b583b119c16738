"""The revision rule, without a server."""

from __future__ import annotations

from newsroom_ingest.revisions import ArticleState, Decision, decide_revision


def test_first_submission_is_revision_one_of_kind_new() -> None:
    d = decide_revision(ArticleState(), content_hash="h1", version_key=None, requested=None)
    assert d == Decision("accepted", 1, "new")


def test_identical_content_is_a_duplicate_of_the_revision_that_had_it() -> None:
    state = ArticleState(revision=3, known_hashes={"h1": 1, "h2": 2, "h3": 3})
    assert decide_revision(state, content_hash="h1", version_key=None, requested=None) == Decision(
        "duplicate", 1
    )


def test_changed_content_is_the_next_revision_with_its_requested_kind() -> None:
    state = ArticleState(revision=2, known_hashes={"a": 1, "b": 2})
    d = decide_revision(state, content_hash="c", version_key=None, requested="correction")
    assert d == Decision("accepted", 3, "correction")
    assert decide_revision(state, content_hash="c", version_key=None, requested=None).change_kind == "update"


def test_older_source_version_never_becomes_current() -> None:
    state = ArticleState(revision=2, version_key=200.0, known_hashes={"a": 1, "b": 2})
    d = decide_revision(state, content_hash="old", version_key=100.0, requested=None)
    assert d == Decision("superseded", 2)
    assert decide_revision(state, content_hash="same-v", version_key=200.0, requested=None).status == (
        "superseded"
    )


def test_newer_source_version_moves_forward_and_is_remembered() -> None:
    state = ArticleState(revision=1, version_key=100.0, known_hashes={"a": 1})
    d = decide_revision(state, content_hash="b", version_key=150.0, requested=None)
    assert d == Decision("accepted", 2, "update")
    after = state.after(d, "b", 150.0)
    assert (after.revision, after.version_key, after.known_hashes) == (2, 150.0, {"a": 1, "b": 2})


def test_unversioned_submission_keeps_the_highest_version_seen() -> None:
    state = ArticleState(revision=1, version_key=100.0, known_hashes={"a": 1})
    d = decide_revision(state, content_hash="b", version_key=None, requested=None)
    assert state.after(d, "b", None).version_key == 100.0


def test_state_round_trips_through_the_redis_hash_layout() -> None:
    raw = {"revision": "2", "version_key": "1737733000.0", "h:abc": "1", "h:def": "2", "updated": "x"}
    s = ArticleState.from_hash(raw)
    assert (s.revision, s.version_key, s.known_hashes) == (2, 1737733000.0, {"abc": 1, "def": 2})
