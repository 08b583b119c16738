"""Publish's pure rules: the page, the revision step, slugs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from newsroom_publish.app import page_path
from newsroom_publish.contracts import MENTION_FIELDS, ArticlePublished, EnrichedView, PublishedArticle
from newsroom_publish.handler import announcement, assign_slugs, slug_candidates, to_document, unique_slug
from newsroom_publish.pages import article_page, atom_feed, closed_bidi, gone_page, last_update_line
from newsroom_publish.store import FEED, FEED_CHANGED, article_key, history_key, publish_step, with_own_pages
from newsroom_shared.envelope import make_envelope

UTC_TZ = ZoneInfo("UTC")


def doc(revision: int = 1, **kw: object) -> PublishedArticle:
    base: dict[str, object] = dict(
        article_id="a-1",
        revision=revision,
        change_kind="new" if revision == 1 else "update",
        headline="Bridge <Reopens> in Porto",
        standfirst=None,
        byline="By Rui Costa",
        authors=["Rui Costa"],
        body_html="<p>Text.</p>",
        first_published_at=datetime(2024, 8, 22, 9, 0, tzinfo=UTC),
        updated_at=None if revision == 1 else datetime(2025, 1, 24, 15, 36, tzinfo=UTC),
        language="en",
        entities=[],
        keywords=[],
        summary="S",
        word_count=1,
        reading_time_minutes=1,
        slug="bridge-reopens-in-porto",
        url="http://x/articles/bridge-reopens-in-porto",
        source_url=None,
        published_at=datetime(2025, 1, 24, 15, 40, tzinfo=UTC),
    )
    return PublishedArticle.model_validate(base | kw)


def test_last_update_line_appears_only_once_revised() -> None:
    assert last_update_line(doc(1), UTC_TZ) is None
    assert last_update_line(doc(2), UTC_TZ) == "Last update: January 24, 2025 15:36"


def test_last_update_line_shows_on_a_first_revision_whose_source_was_already_revised() -> None:
    captured_revised = doc(1, updated_at=datetime(2025, 1, 24, 15, 36, tzinfo=UTC))
    assert last_update_line(captured_revised, UTC_TZ) == "Last update: January 24, 2025 15:36"
    page = article_page(captured_revised, UTC_TZ)
    assert '<time datetime="2025-01-24T15:36:00+00:00">Last update: January 24, 2025 15:36</time>' in page
    never_updated = doc(2, updated_at=datetime(2024, 8, 22, 9, 0, tzinfo=UTC))  # = first publication
    assert last_update_line(never_updated, UTC_TZ) is None


def test_last_update_line_is_shown_in_the_newsroom_time_zone() -> None:
    assert last_update_line(doc(2), ZoneInfo("Asia/Almaty")) == "Last update: January 24, 2025 20:36"


def test_page_escapes_text_and_shows_byline_date_and_update() -> None:
    page = article_page(doc(2), UTC_TZ)
    assert "Bridge &lt;Reopens&gt; in Porto" in page and "<Reopens>" not in page
    assert "By Rui Costa" in page and "August 22, 2024" in page
    assert "Last update: January 24, 2025 15:36" in page


def test_publish_step_guards_on_revision_and_keeps_history_unconditionally() -> None:
    d = doc(2)
    env = make_envelope(stage="publish", event_type="t", article_id="a-1", revision=2, dataschema="s")
    step = publish_step(d, env, announcement(d, "http://x"))
    assert step.guard is not None
    assert (step.guard.key, step.guard.mode, step.guard.value) == (article_key("a-1"), "gt", 2)
    assert [op[0] for op in step.always_ops] == ["HSETNX"] and step.always_ops[0][1] == history_key("a-1")
    assert {op[0] for op in step.applied_ops} == {"HSET", "SET", "ZADD", "XADD"}


def test_withdrawal_leaves_the_feed() -> None:
    d = doc(2, change_kind="withdrawal")
    env = make_envelope(stage="publish", event_type="t", article_id="a-1", revision=2, dataschema="s")
    step = publish_step(d, env, announcement(d, "http://x"))
    assert ("ZREM", FEED, "a-1") in step.applied_ops
    # and the feed's own time moves, so a reader polling with If-Modified-Since sees it leave
    assert ("ZADD", FEED_CHANGED, "GT", d.published_at.timestamp(), "feed") in step.applied_ops
    assert ArticlePublished.model_validate(announcement(d, "http://x").model_dump()).withdrawn


def test_a_second_article_with_the_same_headline_gets_its_own_slug() -> None:
    assert unique_slug("bridge", "a-1", {}) == "bridge"
    assert unique_slug("bridge", "a-1", {"bridge": "a-1"}) == "bridge"
    other = unique_slug("bridge", "a-2", {"bridge": "a-1"})
    assert other == slug_candidates("bridge", "a-2")[1] and other.startswith("bridge-")


def test_a_suffix_another_article_holds_by_chance_is_passed_over_for_a_longer_one() -> None:
    # two ids whose hashes share their first six hex digits: both headlines' pages must exist
    first, second = slug_candidates("briefing", "briefing-2436"), slug_candidates("briefing", "briefing-9441")
    assert first[1] == second[1] and first[2] != second[2]
    owners = {"briefing": "briefing-0", first[1]: "briefing-2436"}
    assert unique_slug("briefing", "briefing-9441", owners) == second[2]
    # and the article keeps that page in its next revision
    owners[second[2]] = "briefing-9441"
    assert unique_slug("briefing", "briefing-9441", owners) == second[2]
    assert unique_slug("briefing", "briefing-2436", owners) == first[1]


def test_two_new_articles_with_one_headline_in_one_batch_get_two_slugs_at_once() -> None:
    # read as free before the batch: the first takes it, the second must not claim it too
    owners: dict[str, str | None] = {"bridge": None}
    assert assign_slugs([("bridge", "X"), ("bridge", "Z"), ("bridge", "X")], owners) == [
        "bridge",
        slug_candidates("bridge", "Z")[1],
        "bridge",
    ]


def test_feed_lists_entries_with_escaped_titles() -> None:
    feed = atom_feed([doc(1)], "http://x/feeds/latest.atom", datetime(2025, 1, 1, tzinfo=UTC))
    assert "<title>Bridge &lt;Reopens&gt; in Porto</title>" in feed and feed.count("<entry>") == 1


def test_feed_names_an_author_even_when_an_entry_is_unsigned() -> None:
    unsigned = doc(1).model_copy(update={"authors": []})
    feed = ElementTree.fromstring(atom_feed([unsigned], "http://x/f", datetime(2025, 1, 1, tzinfo=UTC)))
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}entry/{atom}author") is None
    assert feed.findtext(f"{atom}author/{atom}name") == "Newsroom Streams"


def test_feed_stays_well_formed_xml_whatever_characters_an_article_holds() -> None:
    odd = doc(1).model_copy(
        update={"headline": "Market \ufffe rally\x01", "summary": "Up \uffff", "authors": ["A\x0bB"]}
    )
    feed = ElementTree.fromstring(atom_feed([odd], "http://x/f", datetime(2025, 1, 1, tzinfo=UTC)))
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}entry/{atom}title") == "Market  rally"


def test_page_carries_news_article_structured_data_that_markup_in_a_headline_cannot_break() -> None:
    hostile = doc(2, headline="Council votes </script><script>alert(1)</script> & more")
    page = article_page(hostile, UTC_TZ)
    assert "</script><script>alert(1)" not in page
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle" and data["headline"] == hostile.headline
    assert data["datePublished"] == "2024-08-22T09:00:00+00:00"
    assert data["dateModified"] == "2025-01-24T15:36:00+00:00"
    assert data["author"] == [{"@type": "Person", "name": "Rui Costa"}]


def test_an_old_slug_redirects_under_the_path_publish_is_served_at() -> None:
    assert page_path("https://news.example/newsroom", "new-title") == "/newsroom/articles/new-title"
    assert page_path("https://news.example/newsroom/", "new-title") == "/newsroom/articles/new-title"
    assert page_path("http://127.0.0.1:8003", "new-title") == "/articles/new-title"


def test_a_revision_that_was_never_current_names_the_articles_page_not_a_slug_it_never_held() -> None:
    first = doc(1, slug="ferry-delayed", url="http://x/articles/ferry-delayed")
    late = doc(2, slug="ferry-cancelled", url="http://x/articles/ferry-cancelled")  # overtaken by 3
    current = doc(3, slug="ferry-back", url="http://x/articles/ferry-back")
    owners = {"ferry-delayed": "a-1", "ferry-cancelled": "other-article", "ferry-back": "a-1"}
    entries = with_own_pages([first, late, current], owners, current_revision=3)
    assert [(d.revision, d.slug, d.url) for d in entries] == [
        (
            1,
            "ferry-delayed",
            "http://x/articles/ferry-delayed",
        ),  # it was current once: its slug still leads here
        (2, "ferry-back", "http://x/articles/ferry-back"),
        (3, "ferry-back", "http://x/articles/ferry-back"),
    ]
    assert with_own_pages([first, late], {**owners, "ferry-cancelled": None}, current_revision=1)[1].slug == (
        "ferry-delayed"
    )


def test_a_direction_override_left_open_is_closed_where_a_page_or_feed_shows_the_text() -> None:
    # open, "\u202e" would reverse what follows the headline on the same line
    reversed_headline = doc(
        1, headline="Police \u202eyas", authors=["\u2067Rania Haddad"], byline="By \u2067Rania Haddad"
    )
    page = article_page(reversed_headline, UTC_TZ)
    assert "<h1>Police \u202eyas\u202c</h1>" in page and "By \u2067Rania Haddad\u2069" in page
    assert "Police \u202eyas\u202c is no longer available." in gone_page("Police \u202eyas")
    feed = atom_feed([reversed_headline], "http://x/feeds/latest.atom", datetime(2025, 1, 24, tzinfo=UTC))
    assert "<title>Police \u202eyas\u202c</title>" in feed and "<name>\u2067Rania Haddad\u2069</name>" in feed
    assert reversed_headline.headline == "Police \u202eyas"  # the text itself is kept as sent
    assert closed_bidi("a\u2067b\u202bc\u2069d") == "a\u2067b\u202bc\u2069d"  # closed already
    assert closed_bidi("\u202b\u2066x") == "\u202b\u2066x\u2069\u202c"  # innermost first


def test_the_served_article_carries_the_body_text_its_mentions_index() -> None:
    body = "The bridge in Porto reopened.\n\nPorto's mayor cut the ribbon."
    view = EnrichedView.model_validate(
        {
            "headline": "Porto Bridge Reopens",
            "body_html": "<p>The bridge in <b>Porto</b> reopened.</p><p>Porto's mayor cut the ribbon.</p>",
            "body_text": body,
            "first_published_at": "2024-08-22T09:00:00Z",
            "slug": "porto-bridge-reopens",
            "entities": [
                {
                    "name": "Porto",
                    "type": "place",
                    "mentions": [
                        {"field": "headline", "start": 0, "end": 5},
                        {"field": "body", "start": 14, "end": 19},
                        {"field": "body", "start": 31, "end": 36},
                    ],
                }
            ],
        }
    )
    env = make_envelope(stage="enrich", event_type="t", article_id="a-1", revision=1, dataschema="s")
    doc = to_document(env, view, "porto-bridge-reopens", "http://x", datetime(2025, 1, 1, tzinfo=UTC))
    served = json.loads(PublishedArticle.model_validate_json(doc.model_dump_json()).model_dump_json())
    assert served["body_text"] == body
    for mention in served["entities"][0]["mentions"]:
        assert served[MENTION_FIELDS[mention["field"]]][mention["start"] : mention["end"]] == "Porto"


def test_a_revision_stored_before_body_text_was_kept_still_reads_back() -> None:
    stored = doc(1).model_dump(mode="json")
    del stored["body_text"]
    old = PublishedArticle.model_validate_json(json.dumps(stored))
    assert old.body_text is None and old.body_html == "<p>Text.</p>"


def test_feed_and_entry_ids_stay_the_same_when_the_service_moves_to_another_base_url() -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    when = datetime(2025, 1, 1, tzinfo=UTC)
    feeds = [
        ElementTree.fromstring(
            atom_feed(
                [doc(1).model_copy(update={"url": f"{base}/articles/x"})], f"{base}/feeds/latest.atom", when
            )
        )
        for base in ("http://127.0.0.1:8003", "https://news.example/newsroom")
    ]
    assert [f.findtext(f"{atom}id") for f in feeds] == ["urn:newsroom:feed:latest"] * 2
    assert [f.findtext(f"{atom}entry/{atom}id") for f in feeds] == ["urn:newsroom:article:a-1"] * 2
    assert [f.find(f"{atom}link[@rel='self']").get("href") for f in feeds] == [  # type: ignore[union-attr]
        "http://127.0.0.1:8003/feeds/latest.atom",
        "https://news.example/newsroom/feeds/latest.atom",
    ]


def test_an_unsigned_page_shows_its_date_without_a_stray_space_before_it() -> None:
    unsigned = article_page(doc(1, byline="", authors=[]), UTC_TZ)
    assert (
        '<p class="byline"><time datetime="2024-08-22T09:00:00+00:00">August 22, 2024</time></p>' in unsigned
    )
    signed = article_page(doc(1), UTC_TZ)
    assert '<p class="byline">By Rui Costa <time datetime=' in signed
