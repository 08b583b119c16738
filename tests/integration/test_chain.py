"""The whole chain against a real server, with the services as real processes."""

from __future__ import annotations

import json
from typing import Any

import httpx
import redis
from newsroom_shared import streams
from newsroom_shared.testing import SEED_DIR, Stack, wait_for

SEED = SEED_DIR / "000_ac197daf77e00fac.txt"


def first_version_of_seed() -> bytes:
    """The reference page as first published: no 'Last update' line and one paragraph different."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Last update:")
    body = lines[2:]
    paragraphs = [i for i, line in enumerate(body) if len(line) > 200]
    body[paragraphs[-1]] = "An earlier wording of this paragraph, replaced when the page was revised."
    return "\n".join(body).encode()


def published_events(client: redis.Redis, article_id: str) -> list[dict[str, str]]:
    entries: Any = client.xrange(streams.PUBLISHED)
    return [f for _, f in entries if f["article_id"] == article_id]


def wait_published(stack: Stack, article_id: str, revision: int) -> dict[str, Any]:
    url = f"{stack.first('publish').url}/v1/articles/{article_id}"

    def current() -> dict[str, Any] | None:
        r = httpx.get(url, timeout=5)
        if r.status_code == 200 and r.json()["revision"] >= revision:
            return dict(r.json())
        return None

    try:
        result: dict[str, Any] = wait_for(current, timeout=30, message=f"{article_id} revision {revision}")
    except AssertionError:
        print(stack.logs())
        raise
    return result


def submit(stack: Stack, body: bytes, path: str = "/v1/imports", **params: str) -> httpx.Response:
    return httpx.post(f"{stack.first('ingest').url}{path}", content=body, params=params, timeout=10)


def test_reference_page_and_its_revision_end_as_one_article_at_revision_2(
    stack: Stack, redis_client: redis.Redis
) -> None:
    first = submit(stack, first_version_of_seed())
    assert first.status_code == 202, first.text
    a1 = first.json()
    assert a1["status"] == "accepted" and a1["revision"] == 1
    wait_published(stack, a1["article_id"], 1)

    second = submit(stack, SEED.read_bytes())
    assert second.status_code == 202, second.text
    a2 = second.json()
    assert (a2["article_id"], a2["revision"], a2["status"]) == (a1["article_id"], 2, "accepted")

    doc = wait_published(stack, a1["article_id"], 2)
    assert doc["revision"] == 2
    assert doc["change_kind"] == "update"
    assert doc["updated_at"].startswith("2025-01-24T15:36")
    assert doc["first_published_at"].startswith("2024-08-22")
    assert doc["byline"] == "By Vusala Abbasova"
    names = {e["name"] for e in doc["entities"]}
    assert {"Kazakhstan", "Belarus", "Minsk"} <= names

    page = httpx.get(doc["url"], timeout=5)
    assert page.status_code == 200
    assert "Last update: January 24, 2025 15:36" in page.text
    assert doc["headline"].split()[0] in page.text and "August 22, 2024" in page.text

    history = httpx.get(f"{stack.first('publish').url}/v1/articles/{a1['article_id']}/revisions").json()
    assert [h["revision"] for h in history] == [1, 2]

    again = submit(stack, SEED.read_bytes()).json()
    assert again["status"] == "duplicate" and again["revision"] == 2
    wait_for(lambda: len(published_events(redis_client, a1["article_id"])) >= 2)
    events = published_events(redis_client, a1["article_id"])
    assert [e["revision"] for e in events] == ["1", "2"]


def test_an_article_written_elsewhere_goes_through_the_same_way(stack: Stack) -> None:
    article = {
        "article_id": "lakeside-2025-031",
        "source": "lakeside-gazette",
        "headline": "Finnish Town Opens Floating Sauna on Lake Pyhajarvi",
        "authors": ["Aino Virtanen"],
        "body_text": "The city of Tampere opened a floating sauna on Lake Pyhajarvi on Saturday.\n\n"
        "Mayor Janne Laine said the project was funded with help from the European Union.",
        "first_published_at": "2025-02-01T09:00:00+02:00",
    }
    r = submit(stack, json.dumps(article).encode(), path="/v1/articles")
    assert r.status_code == 202, r.text
    assert r.json() == {**r.json(), "article_id": "lakeside-2025-031", "revision": 1, "status": "accepted"}
    doc = wait_published(stack, "lakeside-2025-031", 1)
    assert doc["first_published_at"] == "2025-02-01T09:00:00+02:00"
    assert {"Tampere", "Janne Laine"} <= {e["name"] for e in doc["entities"]}
    assert httpx.get(doc["url"]).status_code == 200

    corrected = {
        **article,
        "headline": "Finnish Town Opens Floating Sauna on Pyhajarvi",
        "change_kind": "correction",
    }
    r2 = submit(stack, json.dumps(corrected).encode(), path="/v1/articles").json()
    assert (r2["revision"], r2["status"]) == (2, "accepted")
    doc2 = wait_published(stack, "lakeside-2025-031", 2)
    assert doc2["change_kind"] == "correction" and doc2["updated_at"] is not None
    old_page = httpx.get(doc["url"], follow_redirects=False)
    assert old_page.status_code == 301 and old_page.headers["location"].endswith(doc2["slug"])
    assert old_page.headers["cache-control"] == "no-cache"  # a later correction may move it back


def test_submissions_stream_entry_is_ingested_like_http(stack: Stack, redis_client: redis.Redis) -> None:
    page = (
        "Harbour Weekly logo\n\nDock Workers in Gdansk Agree New Contract\n\n"
        "By Marta Nowak July 9, 2025\n\nNone\n\nThe deal ends a two-week dispute.\n\n"
        "Dock workers in Gdansk approved a three-year contract with the port operator on Wednesday."
    )
    redis_client.xadd(streams.SUBMITTED, {"body": page, "article_id": "harbour-weekly-77"})
    doc = wait_published(stack, "harbour-weekly-77", 1)
    assert doc["headline"] == "Dock Workers in Gdansk Agree New Contract"


def test_each_stage_logs_one_line_per_article_that_traces_it_through_the_chain(
    stack: Stack, redis_client: redis.Redis
) -> None:
    doc = {
        "headline": "Tram line opens",
        "body_text": "The first tram ran at six.",
        "first_published_at": "2025-06-01",
    }
    redis_client.xadd(streams.SUBMITTED, {"body": json.dumps(doc), "article_id": "tram-7"})
    wait_published(stack, "tram-7", 1)

    def applied(service: str) -> dict[str, Any]:
        def line() -> dict[str, Any] | None:
            for raw in stack.first(service).log_path.read_text().splitlines():
                if raw.startswith("{") and '"tram-7"' in raw and json.loads(raw)["event"] == "applied":
                    return dict(json.loads(raw))
            return None

        found: dict[str, Any] = wait_for(line, timeout=10, message=f"{service}'s line about tram-7")
        return found

    ingested, enriched, published = applied("ingest"), applied("enrich"), applied("publish")
    for stage, line in (("ingest", ingested), ("enrich", enriched), ("publish", published)):
        assert (line["stage"], line["article_id"], line["revision"]) == (stage, "tram-7", 1)
    assert enriched["source_event_id"] == ingested["event_id"]
    assert published["source_event_id"] == enriched["event_id"]
    assert published["event_id"] == published_events(redis_client, "tram-7")[0]["id"]
    assert (ingested["outcome"], published["outcome"]) == ("accepted", "published")


def test_bad_input_is_refused_naming_the_field_and_nothing_is_emitted(
    stack: Stack, redis_client: redis.Redis
) -> None:
    bad = {"headline": "   ", "body_text": "x", "first_published_at": "2025-02-30T10:00:00", "colour": "red"}
    r = submit(stack, json.dumps(bad).encode(), path="/v1/articles")
    assert r.status_code == 422
    assert {p["field"] for p in r.json()["detail"]} >= {"first_published_at", "colour"}
    blank = {"headline": "   ", "body_text": "x", "first_published_at": "2025-02-27T10:00:00"}
    r = submit(stack, json.dumps(blank).encode(), path="/v1/articles")
    assert r.status_code == 422 and [p["field"] for p in r.json()["detail"]] == ["headline"]
    assert submit(stack, b"\xff\xfe\x00garbage").status_code == 422
    assert submit(stack, b"{" * 10, path="/v1/articles").status_code == 422
    r = submit(stack, b"x", format="xml")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "format", r.text
    assert "input" not in r.json()["detail"][0] and "native" in r.json()["message"]
    assert redis_client.xlen(streams.INGESTED) == 0


def test_two_unsigned_articles_of_one_day_are_refused_not_merged(
    stack: Stack, redis_client: redis.Redis
) -> None:
    day = "2025-05-05T08:00:00Z"
    first = {"headline": "Mayor resigns", "body_text": "The mayor stepped down.", "first_published_at": day}
    other = {"headline": "Club wins cup", "body_text": "The club won the final.", "first_published_at": day}
    accepted = submit(stack, json.dumps(first).encode(), path="/v1/articles")
    assert accepted.status_code == 202
    refused = submit(stack, json.dumps(other).encode(), path="/v1/articles")
    assert refused.status_code == 409
    [problem] = refused.json()["detail"]
    assert problem["field"] == "article_id" and accepted.json()["article_id"] in problem["reason"]
    named = submit(stack, json.dumps(other).encode(), path="/v1/imports", article_id="club-cup-1")
    assert named.status_code == 202
    assert wait_published(stack, accepted.json()["article_id"], 1)["headline"] == "Mayor resigns"
    assert wait_published(stack, "club-cup-1", 1)["headline"] == "Club wins cup"

    redis_client.xadd(streams.SUBMITTED, {"body": json.dumps(other | {"body_text": "Fans cheered."})})
    dead = streams.dead_letter_stream("ingest")
    wait_for(lambda: redis_client.xlen(dead) == 1, message="the stream submission refused")
    [(_, letter)] = redis_client.xrange(dead)
    assert letter["error"].startswith("article_id: not given")
    assert letter["article_id"] == accepted.json()["article_id"]  # found by `newsroom dlq --article`


def test_articles_with_one_headline_get_a_page_each_even_across_publish_replicas(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    stack: Stack = stack_factory()
    for name in ("ingest", "enrich", "publish", "publish"):
        stack.add(name)
    articles = [f"weather-{i}" for i in range(40)]
    pipe = redis_client.pipeline()
    for aid in articles:  # written at once: read in one batch, or raced by the two publishers
        body = f"Forecast number {aid} for the coast."
        doc = {"headline": "Weather", "body_text": body, "first_published_at": "2025-06-01"}
        pipe.xadd(streams.SUBMITTED, {"body": json.dumps(doc | {"article_id": aid})})
    pipe.execute()
    docs = {aid: wait_published(stack, aid, 1) for aid in articles}
    assert len({d["slug"] for d in docs.values()}) == len(articles)
    for aid, d in docs.items():
        page = httpx.get(f"{stack.first('publish').url}/articles/{d['slug']}", timeout=5)
        assert page.status_code == 200 and f"Forecast number {aid} for" in page.text


def test_a_recurring_headline_gets_a_page_for_every_article_even_when_suffixes_meet(stack: Stack) -> None:
    # the hashes of the last two ids begin alike: the second had no page it could ever take
    articles = ["briefing-0", "briefing-2436", "briefing-9441"]
    for aid in articles:
        doc = {"article_id": aid, "headline": "Morning briefing", "first_published_at": "2025-03-01"}
        r = submit(stack, json.dumps(doc | {"body_text": f"What {aid} says today."}).encode(), "/v1/articles")
        assert r.status_code == 202, r.text
    docs = {aid: wait_published(stack, aid, 1) for aid in articles}
    assert len({d["slug"] for d in docs.values()}) == 3
    for aid, d in docs.items():
        page = httpx.get(f"{stack.first('publish').url}/articles/{d['slug']}", timeout=5)
        assert page.status_code == 200 and f"What {aid} says today." in page.text


def test_older_source_version_arriving_late_never_becomes_current(stack: Stack) -> None:
    revised = submit(stack, SEED.read_bytes()).json()
    assert revised["revision"] == 1
    late = submit(stack, first_version_of_seed()).json()
    assert (late["article_id"], late["status"]) == (revised["article_id"], "superseded")
    doc = wait_published(stack, revised["article_id"], 1)
    assert doc["updated_at"].startswith("2025-01-24T15:36")


def test_withdrawal_takes_page_api_entry_and_history_down_until_a_later_revision(stack: Stack) -> None:
    article = {
        "article_id": "wire-4411",
        "headline": "Storm Closes Mountain Pass in Tyrol",
        "authors": ["Jakob Huber"],
        "body_text": "Police in Innsbruck closed the Brenner road after heavy snow.",
        "first_published_at": "2025-01-10T07:00:00Z",
    }
    submit(stack, json.dumps(article).encode(), path="/v1/articles")
    doc = wait_published(stack, "wire-4411", 1)
    withdrawal = {**article, "change_kind": "withdrawal", "body_text": "This article has been withdrawn."}
    r = submit(stack, json.dumps(withdrawal).encode(), path="/v1/articles").json()
    assert r["revision"] == 2
    api = f"{stack.first('publish').url}/v1/articles/wire-4411"
    wait_for(lambda: httpx.get(api).status_code == 410, message="410 Gone")
    assert httpx.get(doc["url"]).status_code == 410
    # nor is what was withdrawn served from its history
    gone = httpx.get(f"{api}/revisions")
    assert gone.status_code == 410 and gone.json()["revision"] == 2
    assert "Brenner" not in gone.text
    # a later revision puts it back, with its whole history
    restored = {**article, "change_kind": "update", "body_text": f"{article['body_text']} It reopened."}
    r = submit(stack, json.dumps(restored).encode(), path="/v1/articles").json()
    assert r["revision"] == 3
    wait_for(lambda: httpx.get(api).status_code == 200, message="back")
    history = httpx.get(f"{api}/revisions").json()
    assert [h["change_kind"] for h in history] == ["new", "withdrawal", "update"]


def test_a_ninjs_revision_without_first_created_keeps_the_articles_first_publication(stack: Stack) -> None:
    # a sender that gives only each version's time: the update is dated by it, and the article
    # keeps the first version's time as its first publication
    def version(n: int, at: str, body: str) -> bytes:
        return json.dumps(
            {
                "uri": "urn:newsml:tide.example:20250601:surge",
                "version": str(n),
                "versionCreated": at,
                "headlines": [{"role": "main", "value": "Storm Surge Floods Harbour Road"}],
                "bodies": [{"role": "main", "contentType": "text/plain", "value": body}],
            }
        ).encode()

    assert submit(stack, version(1, "2025-06-01T06:00:00Z", "Water reached the road.")).status_code == 202
    first = submit(stack, version(2, "2025-06-01T09:30:00Z", "Water reached the road. It has gone down."))
    doc = wait_published(stack, first.json()["article_id"], 2)
    assert doc["first_published_at"].startswith("2025-06-01T06:00:00")
    assert doc["updated_at"].startswith("2025-06-01T09:30:00")
