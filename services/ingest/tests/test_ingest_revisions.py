"""The revision rule, without a server."""

from __future__ import annotations

from newsroom_ingest.identity import story_fingerprint
from newsroom_ingest.revisions import ArticleState, Decision, Version, compare_versions, decide_revision

UNVERSIONED = Version()


def test_first_submission_is_revision_one_of_kind_new() -> None:
    d = decide_revision(ArticleState(), content_hash="h1", version=UNVERSIONED, requested=None)
    assert d == Decision("accepted", 1, "new")


def test_identical_content_is_a_duplicate_of_the_revision_that_had_it() -> None:
    state = ArticleState(revision=3, known_hashes={"h1": 1, "h2": 2, "h3": 3})
    assert decide_revision(state, content_hash="h1", version=UNVERSIONED, requested=None) == Decision(
        "duplicate", 1
    )


def test_changed_content_is_the_next_revision_with_its_requested_kind() -> None:
    state = ArticleState(revision=2, known_hashes={"a": 1, "b": 2})
    d = decide_revision(state, content_hash="c", version=UNVERSIONED, requested="correction")
    assert d == Decision("accepted", 3, "correction")
    assert (
        decide_revision(state, content_hash="c", version=UNVERSIONED, requested=None).change_kind == "update"
    )


def test_older_source_version_never_becomes_current() -> None:
    state = ArticleState(revision=2, version=Version(number=200), known_hashes={"a": 1, "b": 2})
    d = decide_revision(state, content_hash="old", version=Version(number=100), requested=None)
    assert d == Decision("superseded", 2)


def test_newer_source_version_moves_forward_and_is_remembered() -> None:
    state = ArticleState(revision=1, version=Version(number=100), known_hashes={"a": 1})
    d = decide_revision(state, content_hash="b", version=Version(number=150), requested=None)
    assert d == Decision("accepted", 2, "update")
    after = state.after(d, "b", Version(number=150))
    assert (after.revision, after.version, after.known_hashes) == (2, Version(number=150), {"a": 1, "b": 2})


def test_unversioned_submission_keeps_the_highest_version_seen() -> None:
    state = ArticleState(revision=1, version=Version(number=100), known_hashes={"a": 1})
    d = decide_revision(state, content_hash="b", version=UNVERSIONED, requested=None)
    assert state.after(d, "b", UNVERSIONED).version == Version(number=100)


def test_state_round_trips_through_the_redis_hash_layout() -> None:
    raw = {
        "revision": "2",
        "vn": "9007199254740993",
        "vt": "1737733000000001",
        "h:abc": "1",
        "h:def": "2",
        "updated": "x",
        "fp": "f1 f2",
    }
    s = ArticleState.from_hash(raw)
    assert (s.revision, s.known_hashes) == (2, {"abc": 1, "def": 2})
    assert s.version == Version(number=2**53 + 1, time=1737733000000001)  # exact, not floats
    assert s.fingerprint == "f1 f2"


def test_another_article_under_the_same_derived_id_is_refused_not_merged() -> None:
    stored = story_fingerprint("Mayor resigns", "The mayor stepped down on Monday.\nA vote follows.")
    other = story_fingerprint("Football club wins cup", "The club won 2-1.\nFans celebrated.")
    state = ArticleState(revision=1, known_hashes={"a": 1}, fingerprint=stored)
    d = decide_revision(state, content_hash="b", version=UNVERSIONED, requested=None, fingerprint=other)
    assert d == Decision("different_article", 1)
    assert state.after(d, "b", UNVERSIONED, other) == state  # nothing about the other article is remembered


def test_different_article_is_caught_before_an_older_version_would_drop_it() -> None:
    state = ArticleState(revision=1, version=Version(number=200), fingerprint=story_fingerprint("A", "one"))
    d = decide_revision(
        state,
        content_hash="x",
        version=Version(number=100),
        requested=None,
        fingerprint=story_fingerprint("B", "two"),
    )
    assert d.status == "different_article"


def test_revision_under_a_derived_id_keeps_its_headline_or_one_paragraph() -> None:
    stored = story_fingerprint("Ferry resumes", "Service restarts at dawn.\nTickets are half price.")
    retitled = story_fingerprint("Ferry service resumes", "Service restarts at dawn.\nTickets cost more.")
    rewritten = story_fingerprint("ferry  RESUMES", "Everything in the text changed.")
    state = ArticleState(revision=1, known_hashes={"a": 1}, fingerprint=stored)
    for fp in (retitled, rewritten):
        d = decide_revision(state, content_hash="b", version=UNVERSIONED, requested=None, fingerprint=fp)
        assert d == Decision("accepted", 2, "update")
        assert state.after(d, "b", UNVERSIONED, fp).fingerprint == fp  # the next comparison is with this one


def test_explicit_ids_and_states_without_a_fingerprint_are_not_compared() -> None:
    other = story_fingerprint("Unrelated", "Nothing in common.")
    legacy = ArticleState(revision=1, known_hashes={"a": 1})
    assert decide_revision(
        legacy, content_hash="b", version=UNVERSIONED, requested=None, fingerprint=other
    ) == (Decision("accepted", 2, "update"))
    fingerprinted = ArticleState(revision=1, known_hashes={"a": 1}, fingerprint=story_fingerprint("A", "b"))
    assert decide_revision(fingerprinted, content_hash="b", version=UNVERSIONED, requested=None).status == (
        "accepted"
    )


def test_earlier_text_under_a_newer_source_version_is_a_revert_and_becomes_current() -> None:
    state = ArticleState(revision=2, version=Version(number=2), known_hashes={"a": 1, "b": 2})
    d = decide_revision(state, content_hash="a", version=Version(number=3), requested=None)
    assert d == Decision("accepted", 3, "update")
    assert state.after(d, "a", Version(number=3)).known_hashes["a"] == 3


def test_earlier_text_without_a_newer_version_is_a_resend_not_a_revision() -> None:
    state = ArticleState(revision=2, version=Version(number=2), known_hashes={"a": 1, "b": 2})
    for version in (UNVERSIONED, Version(number=1), Version(number=2)):
        assert decide_revision(state, content_hash="a", version=version, requested=None) == Decision(
            "duplicate", 1
        )
    current = decide_revision(state, content_hash="b", version=Version(number=9), requested=None)
    assert current == Decision("duplicate", 2)  # the current text again is never a new revision


def test_hash_left_by_a_step_that_failed_midway_does_not_make_the_retry_a_duplicate() -> None:
    state = ArticleState(revision=1, known_hashes={"a": 1, "b": 2})  # "b" recorded, revision 2 never was
    assert decide_revision(state, content_hash="b", version=UNVERSIONED, requested=None) == Decision(
        "accepted", 2, "update"
    )


def test_a_time_never_compares_with_an_integer_version() -> None:
    # version 2 with its time at 12:00; a document giving only a 09:00 time is older, by time
    state = ArticleState(revision=2, version=Version(number=2, time=12), known_hashes={"a": 1, "b": 2})
    assert decide_revision(state, content_hash="stale", version=Version(time=9), requested=None) == (
        Decision("superseded", 2)
    )
    # and a time-only state does not make version 3 look older than a time in epoch µs
    timed = ArticleState(revision=1, version=Version(time=1_724_313_600_000_000), known_hashes={"a": 1})
    assert compare_versions(timed, Version(number=3)) == "unordered"
    assert decide_revision(timed, content_hash="b", version=Version(number=3), requested=None).status == (
        "accepted"
    )


def test_integer_versions_beyond_float_precision_stay_ordered() -> None:
    state = ArticleState(revision=1, version=Version(number=2**53), known_hashes={"a": 1})
    d = decide_revision(state, content_hash="b", version=Version(number=2**53 + 1), requested=None)
    assert d == Decision("accepted", 2, "update")


def test_new_content_under_the_current_version_is_the_next_revision_not_dropped() -> None:
    # a source versioned by the day, or a kill notice sent under the version it withdraws
    state = ArticleState(revision=2, version=Version(time=24), known_hashes={"a": 1, "b": 2})
    assert decide_revision(state, content_hash="c", version=Version(time=24), requested="withdrawal") == (
        Decision("accepted", 3, "withdrawal")
    )
    assert decide_revision(state, content_hash="a", version=Version(time=24), requested=None) == (
        Decision("duplicate", 1)  # an earlier revision's text under it is still a re-send
    )


def test_an_article_stored_before_versions_had_kinds_compares_its_one_version_as_before() -> None:
    legacy = ArticleState.from_hash({"revision": "1", "version_key": "1737733000.0", "h:a": "1"})
    assert compare_versions(legacy, Version(time=1_737_732_000_000_000)) == "older"
    assert compare_versions(legacy, Version(time=1_737_734_000_000_000)) == "newer"
    recorded = legacy.after(Decision("accepted", 2, "update"), "b", Version(time=1_737_734_000_000_000))
    assert compare_versions(recorded, Version(time=1_737_733_500_000_000)) == "older"  # its kind since
    assert compare_versions(recorded, Version(time=1_737_735_000_000_000)) == "newer"
    # a kind not recorded since is still compared with the version it kept
    numbered = ArticleState.from_hash({"revision": "1", "version_key": "5.0", "h:a": "1"})
    timed = numbered.after(Decision("accepted", 2, "update"), "b", Version(time=1_737_734_000_000_000))
    assert compare_versions(timed, Version(number=3)) == "older"
