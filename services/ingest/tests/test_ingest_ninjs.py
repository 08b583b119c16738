"""ninjs 3.x documents: the shared examples and ninjs written for these tests."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from newsroom_ingest.errors import InputError
from newsroom_ingest.importers import claimed_id, detect_format, parse_article
from newsroom_ingest.importers.ninjs import uri_to_id
from newsroom_ingest.normalise import epoch_us
from newsroom_ingest.pipeline import plan_batch, resolve_id
from newsroom_ingest.submissions import parse_entry
from newsroom_shared.errors import PermanentError
from newsroom_shared.settings import NewsroomSettings

TZ = ZoneInfo("Europe/Berlin")
NINJS = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "ninjs"
needs_reference = pytest.mark.skipif(not NINJS.exists(), reason=f"{NINJS} not present")


def ninjs(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "standard": {
            "name": "ninjs",
            "version": "3.1",
            "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
        },
        "uri": "urn:newsml:harbour.example:20250303:ferry-1",
        "type": "text",
        "version": "3",
        "firstCreated": "2025-03-03T08:00:00+01:00",
        "versionCreated": "2025-03-03T11:30:00+01:00",
        "pubStatus": "usable",
        "language": "en-GB",
        "copyrightHolder": "Harbour Gazette",
        "headlines": [
            {"role": "short", "value": "Ferry back"},
            {"role": "main", "value": "Ferry service returns"},
        ],
        "descriptions": [{"role": "summary", "value": "Hourly sailings resume."}],
        "people": [
            {"name": "Ada Quill", "rel": "author"},
            {"name": "Harbour Master", "rel": "about"},
            {"name": "Bo Renner", "rel": "author"},
        ],
        "by": "Someone Else",
        "bodies": [
            {"role": "main", "contentType": "text/plain", "value": "Plain version."},
            {
                "role": "main",
                "contentType": "text/html",
                "value": "<p>Rich <b>version</b>.</p><p>Second.</p>",
            },
        ],
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not ...}


def parse(doc: dict[str, Any]) -> Any:
    return parse_article(json.dumps(doc).encode(), tz=TZ)


def test_own_fixture_is_valid_ninjs_3_1() -> None:
    if not NINJS.exists():
        pytest.skip("schema not present")
    schema = json.loads((NINJS / "ninjs-schema_3.1.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(ninjs())


@needs_reference
@pytest.mark.parametrize("name", ["004_simple_text_article.json", "005_complex_text_article.json"])
def test_ninjs_examples_parse(name: str) -> None:
    data = (NINJS / "examples" / name).read_bytes()
    result = parse_article(data, tz=TZ)
    raw = json.loads(data)

    assert detect_format(data) == "ninjs"
    assert result.format == "ninjs"
    assert result.source == "ninjs"
    assert result.headline == raw["headlines"][0]["value"]
    assert result.authors == ["Paulo Santalucia", "Frances d'Emilio"]
    assert result.byline == "By Paulo Santalucia and Frances d'Emilio"
    assert result.first_published_at == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)
    assert result.updated_at is None
    assert result.source_version == "2013-07-09T10:37:00Z"
    assert result.body_html.count("<p>") == 4  # the rich body wins over the plain one
    assert len(result.body_text.split("\n\n")) == 4
    assert result.article_id is not None and result.article_id.startswith("ninjs.example.com-")
    assert result.article_id.endswith(raw["uri"].rsplit("/", 1)[1] + "-" + result.article_id[-16:])


@needs_reference
def test_complex_example_keeps_language_and_ignores_people_it_is_about() -> None:
    result = parse_article((NINJS / "examples" / "005_complex_text_article.json").read_bytes(), tz=TZ)
    assert result.language == "en"
    assert "Francesco Schettino" not in result.authors


def test_own_ninjs_maps_every_field() -> None:
    result = parse(ninjs())
    assert result.article_id == "urn:newsml:harbour.example:20250303:ferry-1"
    assert result.source == "Harbour Gazette"
    assert result.source_version == "3" and result.version_number == 3
    assert result.headline == "Ferry service returns"
    assert result.standfirst == "Hourly sailings resume."
    assert result.authors == ["Ada Quill", "Bo Renner"]
    assert result.body_html == "<p>Rich <b>version</b>.</p><p>Second.</p>"
    assert result.first_published_at.isoformat() == "2025-03-03T08:00:00+01:00"
    assert result.updated_at is not None
    assert result.updated_at.isoformat() == "2025-03-03T11:30:00+01:00"
    assert result.language == "en-GB"
    assert result.change_kind is None


def test_ninjs_is_detected_by_content_not_markers_alone() -> None:
    bare = ninjs(standard=...)
    assert detect_format(json.dumps(bare).encode()) == "ninjs"
    no_uri = ninjs(standard=..., uri=...)
    assert detect_format(json.dumps(no_uri).encode()) == "ninjs"
    with pytest.raises(InputError) as caught:
        parse(no_uri)
    assert [p.field for p in caught.value.problems] == ["uri"]


@pytest.mark.parametrize("status", ["canceled", "withdrawn"])
def test_cancelled_ninjs_is_a_withdrawal(status: str) -> None:
    result = parse(ninjs(pubStatus=status))
    assert result.change_kind == "withdrawal"
    assert result.content_hash != parse(ninjs()).content_hash


def test_withheld_ninjs_is_refused_naming_pubstatus_never_published() -> None:
    with pytest.raises(InputError) as caught:
        parse(ninjs(pubStatus="withheld"))
    [problem] = caught.value.problems
    assert problem.field == "pubStatus" and "withheld content is not published" in problem.reason


def test_ninjs_under_an_embargo_still_running_is_refused_and_a_passed_one_accepted() -> None:
    def at(now: datetime) -> Any:
        doc = json.dumps(ninjs(embargoedUntil="2025-03-03T07:00:00+01:00")).encode()
        return parse_article(doc, tz=TZ, now=now)

    with pytest.raises(InputError) as caught:
        at(datetime(2025, 3, 3, 5, 59, 59, tzinfo=UTC))
    [problem] = caught.value.problems
    assert problem.field == "embargoedUntil" and "embargoed until 2025-03-03T07:00:00+01:00" in problem.reason
    assert at(datetime(2025, 3, 3, 6, 0, tzinfo=UTC)).headline == "Ferry service returns"
    with pytest.raises(InputError):  # without a clock given, the receiving machine's
        parse(ninjs(embargoedUntil="2999-01-01T06:00:00Z"))
    assert parse(ninjs(embargoedUntil="2025-03-03T07:00:00+01:00")).headline == "Ferry service returns"
    for bad in ("tomorrow", "2999-01-01T06:00:00"):
        with pytest.raises(InputError) as caught:
            parse(ninjs(embargoedUntil=bad))
        assert [p.field for p in caught.value.problems] == ["embargoedUntil"]


@pytest.mark.parametrize("version", ["1.1", "v2", "draft"])
def test_a_free_form_ninjs_version_is_accepted_and_ordered_by_its_time_alone(version: str) -> None:
    result = parse(ninjs(version=version))
    assert result.source_version is None and result.version_number is None
    assert result.version_time == epoch_us(result.updated_at or result.first_published_at)


def test_integer_versions_still_order_an_article_that_once_sent_a_free_form_one() -> None:
    # versionCreated's times in place of "1.1" would have ranked it above every later integer
    sent = [
        parse(ninjs(version=v, headlines=[{"role": "main", "value": f"Ferry {v}"}]))
        for v in ("1", "1.1", "2")
    ]
    aid = resolve_id(sent[0])
    planned = plan_batch([(a, aid) for a in sent], {})
    assert [(p.decision.status, p.decision.revision) for p in planned] == [
        ("accepted", 1),
        ("accepted", 2),
        ("accepted", 3),
    ]


def test_rfc_3339_lower_case_z_is_read_as_utc() -> None:
    upper = parse(ninjs(version=..., versionCreated="2025-03-03T10:30:00Z"))
    lower = parse(ninjs(version=..., versionCreated="2025-03-03T10:30:00z"))
    assert lower.version_time == upper.version_time is not None


def test_a_refused_author_is_named_by_its_place_among_the_people_not_among_the_authors() -> None:
    people = [{"name": "Harbour Master", "rel": "about"}, {"name": "x" * 500, "rel": "author"}]
    with pytest.raises(InputError) as caught:
        parse(ninjs(people=people))
    assert [p.field for p in caught.value.problems] == ["people.1.name"]


def test_by_is_used_when_no_person_is_an_author() -> None:
    result = parse(ninjs(people=..., by="By Ada Quill, Bo Renner and Cy Ode"))
    assert result.authors == ["Ada Quill", "Bo Renner", "Cy Ode"]


def test_plain_text_body_is_used_when_no_html_body() -> None:
    result = parse(ninjs(bodies=[{"contentType": "text/plain", "value": "One.\n\nTwo."}]))
    assert result.body_html == "<p>One.</p><p>Two.</p>"


def test_wrong_ninjs_types_are_refused_with_paths() -> None:
    with pytest.raises(InputError) as caught:
        parse(ninjs(headlines="Ferry", bodies=[{"value": 5}, "x"]))
    fields = {p.field for p in caught.value.problems}
    assert {"headlines", "bodies.0.value", "bodies.1"} <= fields


def test_ninjs_without_any_date_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse(ninjs(firstCreated=..., versionCreated=...))
    assert [p.field for p in caught.value.problems] == ["versionCreated"]


def test_lowercase_ninjs_1_spellings_are_understood() -> None:
    doc = {
        "uri": "http://harbour.example/items/42?x=1",
        "versioncreated": "2025-03-03T10:00:00Z",
        "headline": "Old style",
        "body_html": "<p>Body</p>",
        "byline": "Ada Quill",
        "pubstatus": "usable",
    }
    result = parse(doc)
    assert (result.headline, result.authors, result.body_text) == ("Old style", ["Ada Quill"], "Body")


def test_uri_becomes_a_stable_valid_id() -> None:
    uri = "https://harbour.example/news/2025/ferry back?id=1"
    first, again = uri_to_id(uri), uri_to_id(uri)
    assert first == again
    assert first.startswith("harbour.example-news-2025-ferry-back-id-1-")
    assert uri_to_id(uri + "#x") != first
    assert len(uri_to_id("http://h.example/" + "x" * 500)) <= 128


def test_one_key_in_two_letter_cases_is_refused_not_silently_dropped() -> None:
    doc = ninjs(headline="First", Headline="Second")
    with pytest.raises(InputError) as caught:
        parse(doc)
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("Headline", "repeats 'headline': keys are read regardless of letter case")
    ]
    nested = ninjs(headlines=[{"role": "main", "value": "A", "Value": "B"}])
    with pytest.raises(InputError) as caught:
        parse(nested)
    assert [p.field for p in caught.value.problems] == ["headlines.0.Value"]


def refused_fields(doc: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        parse(doc)
    return {p.field: p.reason for p in caught.value.problems}


def test_refusals_name_the_ninjs_key_or_path_the_sender_wrote() -> None:
    assert set(refused_fields(ninjs(versionCreated="nope"))) == {"versionCreated"}
    only_version = ninjs(firstCreated=..., versionCreated="2025-02-30T10:00:00Z")
    assert set(refused_fields(only_version)) == {"versionCreated"}
    assert set(refused_fields(ninjs(contentCreated="2025-13-01", firstCreated=...))) == {"contentCreated"}
    long_headline = ninjs(headlines=[{"role": "short", "value": "S"}, {"role": "main", "value": "x" * 400}])
    [(field, reason)] = refused_fields(long_headline).items()
    assert field == "headlines.1.value" and "400 characters" in reason
    blank_body = ninjs(bodies=[{"contentType": "text/html", "value": "<p> </p>"}])
    assert set(refused_fields(blank_body)) == {"bodies.0.value"}


def test_an_id_given_beside_the_document_is_named_as_article_id() -> None:
    with pytest.raises(InputError) as caught:
        parse_article(json.dumps(ninjs()).encode(), tz=TZ, article_id="bad id")
    assert [p.field for p in caught.value.problems] == ["article_id"]


# a lone surrogate is legal JSON when written as an escape (json.dumps writes one so)
LONE_SURROGATES = [
    pytest.param(json.dumps(ninjs(uri="\ud800")).encode(), "uri", id="uri"),
    pytest.param(b'{"uri":"\\ud800","headline":"h"}', "uri", id="bare-uri"),
    pytest.param(json.dumps(ninjs(**{"X\ud800": 1, "x\ud800": 2})).encode(), "x\\ud800", id="key-cases"),
]


@pytest.mark.parametrize(("data", "field"), LONE_SURROGATES)
def test_a_lone_surrogate_escaped_in_json_is_only_ever_refused_by_field(data: bytes, field: str) -> None:
    assert b"\\ud800" in data
    with pytest.raises(InputError) as caught:
        parse_article(data, tz=TZ)
    assert field in [p.field for p in caught.value.problems]
    # the stream's path: the refusal names the field, and its text can be written anywhere
    with pytest.raises(PermanentError) as refused:
        parse_entry(data, {}, NewsroomSettings())
    message = str(refused.value)
    assert message.encode("utf-8").decode("utf-8") == message
    assert re.search(rf"(^|; ){re.escape(field)}: ", message), message
    if field == "uri":  # no id is derived from a uri that is itself refused
        assert getattr(refused.value, "article_id", "") == ""


def test_a_uri_with_a_lone_surrogate_still_has_an_id_derivation_that_never_raises() -> None:
    assert claimed_id(b'{"uri": "\\ud800", "headline": 3}') == ""
    derived = uri_to_id("urn:x:\ud800")
    assert derived == uri_to_id("urn:x:\ud800") != uri_to_id("urn:x:\ud801")
    assert derived.startswith("urn:x-") and derived.isascii()


@pytest.mark.parametrize("status", ["witheld", " embargoed", "held", ""])
def test_an_unknown_or_misspelt_pub_status_is_refused_not_published(status: str) -> None:
    # a status this pipeline does not know may be one that must not go live
    with pytest.raises(InputError) as caught:
        parse(ninjs(pubStatus=status))
    [problem] = caught.value.problems
    assert problem.field == "pubStatus" and "must be usable, withheld or canceled" in problem.reason


def test_pub_status_is_read_whatever_its_case_and_surrounding_spaces() -> None:
    assert parse(ninjs(pubStatus=" Canceled ")).change_kind == "withdrawal"
    assert parse(ninjs(pubStatus="USABLE")).change_kind is None
    with pytest.raises(InputError):
        parse(ninjs(pubStatus=" withheld"))


@needs_reference
def test_the_bundled_ninjs_sample_is_valid_ninjs_3_1_and_names_its_author() -> None:
    from newsroom_shared.cli import sample_files

    [(_, body)] = [(name, body) for name, body in sample_files() if name.endswith(".ninjs.json")]
    schema = json.loads((NINJS / "ninjs-schema_3.1.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(body))
    assert parse_article(body, tz=TZ).authors == ["Lena Fischer"]


def test_a_ninjs_document_without_uri_is_accepted_when_the_caller_names_the_article() -> None:
    document = json.dumps(ninjs(uri=...)).encode()
    assert parse_article(document, tz=TZ, article_id="desk-7").article_id == "desk-7"
    with pytest.raises(InputError) as caught:
        parse_article(document, tz=TZ)
    [problem] = caught.value.problems
    assert problem.field == "uri" and "unless the article is named by article_id" in problem.reason


def body(text: str) -> list[dict[str, str]]:
    return [{"role": "main", "contentType": "text/plain", "value": text}]


def test_a_document_giving_only_an_older_time_never_replaces_an_integer_version() -> None:
    sent = [
        ninjs(version="1", versionCreated="2025-03-03T08:00:00Z", bodies=body("First text.")),
        ninjs(version="2", versionCreated="2025-03-03T12:00:00Z", bodies=body("Second text.")),
        ninjs(version=..., versionCreated="2025-03-03T09:00:00Z", bodies=body("Stale text.")),
        ninjs(version="3", versionCreated="2025-03-03T13:00:00Z", bodies=body("Third text.")),
    ]
    articles = [parse(doc) for doc in sent]
    planned = plan_batch([(a, resolve_id(a)) for a in articles], {})
    assert [(p.decision.status, p.decision.revision) for p in planned] == [  # type: ignore[union-attr]
        ("accepted", 1),
        ("accepted", 2),
        ("superseded", 2),
        ("accepted", 3),
    ]


def test_a_kill_notice_under_the_version_it_withdraws_withdraws_the_article() -> None:
    live = parse(ninjs())
    killed = parse(ninjs(pubStatus="canceled"))
    planned = plan_batch([(live, resolve_id(live)), (killed, resolve_id(killed))], {})
    assert [(p.decision.status, p.decision.change_kind) for p in planned] == [  # type: ignore[union-attr]
        ("accepted", "new"),
        ("accepted", "withdrawal"),
    ]


def test_a_refusal_names_fields_as_ninjs_spells_them_and_only_once() -> None:
    with pytest.raises(InputError) as caught:
        parse(ninjs(firstCreated="2025-03-03T12:00:00Z", versionCreated="2025-03-03T11:00:00Z"))
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("versionCreated", "is earlier than firstCreated")
    ]
    with pytest.raises(InputError) as caught:  # a wall time the clock change skips, read as both
        parse(ninjs(version=..., firstCreated=..., versionCreated="2025-03-30T02:30:00"))
    assert [p.field for p in caught.value.problems] == ["versionCreated"]
