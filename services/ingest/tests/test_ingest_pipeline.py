"""Planning a batch of submissions into steps, without a server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from newsroom_ingest import pipeline
from newsroom_ingest.identity import content_hashes, link_targets
from newsroom_ingest.importers import parse_article
from newsroom_ingest.pipeline import (
    Unavailable,
    first_to_keep,
    plan,
    plan_batch,
    publication_times,
    refusal,
    resolve_id,
)
from newsroom_ingest.revisions import ArticleState, Decision, Version
from newsroom_shared.commit import CommitResult

TZ = ZoneInfo("Europe/Berlin")


def parse(**doc: Any) -> Any:
    base = {
        "headline": "Mayor resigns",
        "body_text": "The mayor stepped down.",
        "first_published_at": "2025-05-05",
    }
    return parse_article(json.dumps(base | doc).encode(), tz=TZ, fmt="native")


def test_two_unsigned_articles_of_one_day_do_not_merge_under_their_derived_id() -> None:
    first = parse()
    other = parse(headline="Football club wins cup", body_text="The club won the final.")
    corrected = parse(headline="Mayor resigns after vote", body_text="The mayor stepped down.")
    aid = resolve_id(first)
    assert resolve_id(other) == aid == resolve_id(corrected)  # the derivation's known limit

    planned = plan_batch([(first, aid), (other, aid), (corrected, aid)], {})
    assert [p.decision.status for p in planned] == ["accepted", "different_article", "accepted"]
    assert [p.decision.revision for p in planned] == [1, 1, 2]
    problem = refusal(planned[1])
    assert problem is not None and problem.field == "article_id" and aid in problem.reason
    assert refusal(planned[0]) is None and refusal(planned[2]) is None


def test_fingerprint_is_stored_only_for_derived_ids() -> None:
    derived, explicit = parse(), parse(article_id="cms-42")
    [d, e] = plan_batch([(derived, resolve_id(derived)), (explicit, "cms-42")], {})
    hset_d, hset_e = d.commit.applied_ops[-1], e.commit.applied_ops[-1]
    assert hset_d[0] == hset_e[0] == "HSET"
    assert "fp" in hset_d and "fp" not in hset_e
    stored = ArticleState.from_hash({str(k): str(v) for k, v in zip(hset_d[2::2], hset_d[3::2], strict=True)})
    assert stored.fingerprint == hset_d[hset_d.index("fp") + 1]


def test_a_corrected_link_target_is_the_next_revision_not_a_duplicate() -> None:
    def linked(target: str) -> Any:
        body = f'<p>Read <a href="{target}">the council statement</a>.</p>'
        return parse(article_id="cms-7", body_html=body, change_kind="correction")

    wrong, right = linked("https://phish.example/statement"), linked("https://council.example/statement")
    assert wrong.body_text == right.body_text  # the text alone cannot tell them apart
    planned = plan_batch([(wrong, "cms-7"), (right, "cms-7"), (right, "cms-7")], {})
    assert [(p.decision.status, p.decision.revision) for p in planned] == [
        ("accepted", 1),
        ("accepted", 2),
        ("duplicate", 2),
    ]


def test_formatting_alone_is_a_duplicate_and_a_body_without_links_keeps_its_hash() -> None:
    plain = parse(article_id="cms-8", body_html="<p>The mayor stepped down.</p>")
    bold = parse(article_id="cms-8", body_html="<p>The <b>mayor</b> stepped down.</p>")
    assert plain.content_hash == bold.content_hash
    # hashes stored before link targets counted still match (no link: no change)
    assert (plain.content_hash, None) == content_hashes(
        headline=plain.headline,
        standfirst=plain.standfirst,
        authors=plain.authors,
        body_text=plain.body_text,
        url=plain.url,
        change_kind=plain.change_kind,
    )


def test_an_article_stored_before_link_targets_counted_stays_a_duplicate_when_sent_again() -> None:
    body = '<p>Read <a href="https://council.example/statement">the statement</a>.</p>'
    linked = parse(article_id="cms-9", body_html=body)
    assert linked.text_hash is not None and linked.text_hash != linked.content_hash
    # as the state of an article last written before: its hash without links, and no "hv"
    before = ArticleState.from_hash({"revision": "1", f"h:{linked.text_hash}": "1"})
    [again] = plan_batch([(linked, "cms-9")], {"cms-9": before})
    assert (again.decision.status, again.decision.revision) == ("duplicate", 1)
    # once a revision is written the new way, the text alone no longer matches
    moved = parse(article_id="cms-9", body_html=body.replace("council.example", "city.example"))
    first_new, corrected = plan_batch(
        [(parse(article_id="cms-9"), "cms-9"), (moved, "cms-9")], {"cms-9": before}
    )
    assert first_new.state.links_hashed
    assert (corrected.decision.status, corrected.decision.revision) == ("accepted", 3)


def test_a_title_ending_in_href_is_not_taken_for_the_link_target() -> None:
    def linked(target: str) -> Any:
        return parse(body_html=f'<p><a title="source href=" href="{target}">statement</a></p>')

    one, two = linked("https://a.example/one"), linked("https://a.example/two")
    assert link_targets(one.body_html) == ["https://a.example/one"]
    assert one.content_hash != two.content_hash


def test_a_revision_dated_only_by_its_version_keeps_the_first_publication_of_its_article() -> None:
    def article_with(**changes: Any) -> Any:
        return parse(article_id="surge-1").model_copy(update=changes)

    received = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    version_time = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
    state = ArticleState(revision=1, first_published="2025-06-01T06:00:00+00:00")
    by_version = article_with(first_published_at=version_time, first_published_is_version_time=True)
    assert publication_times(by_version, state, 2, received) == (
        datetime(2025, 6, 1, 6, tzinfo=UTC),
        version_time,
    )
    # a sender that gave the first publication is believed; one that gave no date is dated on receipt
    given = article_with(first_published_at=version_time)
    assert publication_times(given, state, 2, received) == (version_time, received)
    assert publication_times(by_version, ArticleState(revision=1), 2, received) == (version_time, received)


def test_an_article_stored_before_its_first_publication_was_kept_never_keeps_a_version_time() -> None:
    by_version = parse(article_id="surge-1").model_copy(update={"first_published_is_version_time": True})
    legacy = ArticleState(revision=1)  # stored before the state kept `first`
    assert first_to_keep(by_version, legacy, datetime(2025, 6, 1, 9, 30, tzinfo=UTC)) == ""
    assert first_to_keep(by_version, ArticleState(), datetime(2025, 6, 1, 6, tzinfo=UTC)).startswith(
        "2025-06-01T06"
    )
    given = parse(article_id="surge-1")
    assert first_to_keep(given, legacy, given.first_published_at) == given.first_published_at.isoformat()


def test_an_update_dated_before_the_first_publication_is_dated_on_receipt() -> None:
    received = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
    early = parse(
        article_id="surge-1",
        updated_at="2025-05-05T10:00:00+02:00",
        first_published_at="2025-05-05T09:00:00+02:00",
    )
    state = ArticleState(revision=1, first_published="2025-06-01T10:00:00+00:00")
    by_version = early.model_copy(
        update={
            "first_published_is_version_time": True,
            "first_published_at": datetime(2025, 6, 1, 9, tzinfo=UTC),
        }
    )
    first, updated = publication_times(by_version, state, 2, received)
    assert first == datetime(2025, 6, 1, 10, tzinfo=UTC) and updated == received


def test_an_update_that_does_not_move_the_article_date_forward_is_dated_on_receipt() -> None:
    received = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
    sent = [
        ("One.", "2025-05-09T10:00:00+00:00"),
        ("Two.", "2025-05-07T10:00:00+00:00"),  # goes back
        ("Three.", "2025-05-07T10:00:00+00:00"),  # stands still
        ("Four.", "2025-07-01T10:00:00+00:00"),  # after the receipt that dated the others
    ]
    state, dates = ArticleState(), []
    for body, updated in sent:
        p = plan(parse(article_id="dated-1", body_text=body, updated_at=updated), "dated-1", state, received)
        state = p.state
        op = p.commit.applied_ops[0]
        dates.append(
            datetime.fromisoformat(
                json.loads(dict(zip(op[3::2], op[4::2], strict=True))["data"])["updated_at"]
            )
        )
    # a feed entry's date going back or standing still would hide the revision from aggregators
    assert dates == [
        datetime(2025, 5, 9, 10, tzinfo=UTC),
        received,
        received + timedelta(seconds=1),  # received at the same instant (a pinned clock): still after
        datetime(2025, 7, 1, 10, tzinfo=UTC),
    ]


class Refusing:
    """A committer whose every step meets `result`."""

    def __init__(self, result: CommitResult) -> None:
        self.result = result

    async def run(self, commits: list[Any]) -> list[CommitResult]:
        return [self.result for _ in commits]


@pytest.mark.parametrize(
    "result",
    [CommitResult("conflict", stored="x"), CommitResult("error", error="OOM command not allowed")],
)
async def test_a_submission_that_cannot_be_committed_for_now_is_unavailable_not_an_error(
    result: CommitResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_state(_: Any, ids: Any) -> dict[str, ArticleState]:
        return {aid: ArticleState() for aid in ids}

    monkeypatch.setattr(pipeline, "read_states", no_state)
    with pytest.raises(Unavailable):
        await pipeline.submit(Any, Refusing(result), parse(article_id="busy-1"), attempts=3)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="WRONGTYPE"):  # a real failure stays one
        await pipeline.submit(
            Any,  # type: ignore[arg-type]
            Refusing(CommitResult("error", error="WRONGTYPE Operation against a key")),  # type: ignore[arg-type]
            parse(article_id="busy-1"),
        )


def test_the_same_document_sent_again_is_a_duplicate_whatever_normalising_makes_of_it_now() -> None:
    article = parse(article_id="resent-1", source_version=3, body_html="<div>Berlin</div><div>Paris</div>")
    assert article.source_hash is not None
    accepted = plan(article, "resent-1", ArticleState())
    assert accepted.state.known_hashes[article.source_hash] == 1
    # stored when the rules read it otherwise (its content hash then was another), then sent again
    earlier = ArticleState(
        revision=1,
        version=Version(number=3),
        known_hashes={"sha256:read-otherwise": 1, article.source_hash: 1},
    )
    assert plan(article, "resent-1", earlier).decision == Decision("duplicate", 1)
    changed = parse(article_id="resent-1", source_version=3, body_html="<div>Berlin</div><div>Rome</div>")
    assert plan(changed, "resent-1", earlier).decision.status == "accepted"


def test_an_update_after_one_dated_ahead_of_the_clock_still_moves_its_date_forward() -> None:
    received = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
    ahead = datetime(2025, 6, 3, 18, 0, tzinfo=UTC)  # a sender's clock six hours fast
    state = ArticleState(revision=2, known_hashes={"a": 1, "b": 2}, dated=ahead.isoformat())
    later = parse(article_id="dated-2", body_text="Three.", updated_at="2025-06-03T12:00:00+00:00")
    assert publication_times(later, state, 3, received)[1] == ahead + timedelta(seconds=1)
