"""The revision rule, without a server."""

from __future__ import annotations

from newsroom_ingest.identity import story_fingerprint
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
    raw = {
        "revision": "2",
        "version_key": "1737733000.0",
        "h:abc": "1",
        "h:def": "2",
        "updated": "x",
        "fp": "f1 f2",
    }
    s = ArticleState.from_hash(raw)
    assert (s.revision, s.version_key, s.known_hashes) == (2, 1737733000.0, {"abc": 1, "def": 2})
    assert s.fingerprint == "f1 f2"


def test_another_article_under_the_same_derived_id_is_refused_not_merged() -> None:
    stored = story_fingerprint("Mayor resigns", "The mayor stepped down on Monday.\nA vote follows.")
    other = story_fingerprint("Football club wins cup", "The club won 2-1.\nFans celebrated.")
    state = ArticleState(revision=1, known_hashes={"a": 1}, fingerprint=stored)
    d = decide_revision(state, content_hash="b", version_key=None, requested=None, fingerprint=other)
    assert d == Decision("different_article", 1)
    assert state.after(d, "b", None, other) == state  # nothing about the other article is remembered


def test_different_article_is_caught_before_an_older_version_would_drop_it() -> None:
    state = ArticleState(revision=1, version_key=200.0, fingerprint=story_fingerprint("A", "one"))
    d = decide_revision(
        state, content_hash="x", version_key=100.0, requested=None, fingerprint=story_fingerprint("B", "two")
    )
    assert d.status == "different_article"


def test_revision_under_a_derived_id_keeps_its_headline_or_one_paragraph() -> None:
    stored = story_fingerprint("Ferry resumes", "Service restarts at dawn.\nTickets are half price.")
    retitled = story_fingerprint("Ferry service resumes", "Service restarts at dawn.\nTickets cost more.")
    rewritten = story_fingerprint("ferry  RESUMES", "Everything in the text changed.")
    state = ArticleState(revision=1, known_hashes={"a": 1}, fingerprint=stored)
    for fp in (retitled, rewritten):
        d = decide_revision(state, content_hash="b", version_key=None, requested=None, fingerprint=fp)
        assert d == Decision("accepted", 2, "update")
        assert state.after(d, "b", None, fp).fingerprint == fp  # the next comparison is with this one


def test_explicit_ids_and_states_without_a_fingerprint_are_not_compared() -> None:
    other = story_fingerprint("Unrelated", "Nothing in common.")
    legacy = ArticleState(revision=1, known_hashes={"a": 1})
    assert decide_revision(legacy, content_hash="b", version_key=None, requested=None, fingerprint=other) == (
        Decision("accepted", 2, "update")
    )
    fingerprinted = ArticleState(revision=1, known_hashes={"a": 1}, fingerprint=story_fingerprint("A", "b"))
    assert decide_revision(fingerprinted, content_hash="b", version_key=None, requested=None).status == (
        "accepted"
    )


def test_earlier_text_under_a_newer_source_version_is_a_revert_and_becomes_current() -> None:
    state = ArticleState(revision=2, version_key=2.0, known_hashes={"a": 1, "b": 2})
    d = decide_revision(state, content_hash="a", version_key=3.0, requested=None)
    assert d == Decision("accepted", 3, "update")
    assert state.after(d, "a", 3.0).known_hashes["a"] == 3


def test_earlier_text_without_a_newer_version_is_a_resend_not_a_revision() -> None:
    state = ArticleState(revision=2, version_key=2.0, known_hashes={"a": 1, "b": 2})
    for version in (None, 1.0, 2.0):
        assert decide_revision(state, content_hash="a", version_key=version, requested=None) == Decision(
            "duplicate", 1
        )
    current = decide_revision(state, content_hash="b", version_key=9.0, requested=None)
    assert current == Decision("duplicate", 2)  # the current text again is never a new revision


def test_hash_left_by_a_step_that_failed_midway_does_not_make_the_retry_a_duplicate() -> None:
    state = ArticleState(revision=1, known_hashes={"a": 1, "b": 2})  # "b" recorded, revision 2 never was
    assert decide_revision(state, content_hash="b", version_key=None, requested=None) == Decision(
        "accepted", 2, "update"
    )
