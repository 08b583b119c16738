"""The native JSON contract: strict validation, refusals by field, time zones, versions, hashing."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from newsroom_ingest.contracts import ArticleIn
from newsroom_ingest.errors import InputError, InputProblem
from newsroom_ingest.identity import derive_article_id
from newsroom_ingest.importers import claimed_id, detect_format, parse_article
from newsroom_ingest.normalise import normalise

TZ = ZoneInfo("Europe/Berlin")


def article(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "article_id": "wire-1001",
        "source": "cms",
        "headline": "Council approves new cycle lanes",
        "standfirst": "Work starts in spring.",
        "authors": ["Mira Holt"],
        "body_text": "The vote passed narrowly.\n\nCampaigners welcomed it.",
        "first_published_at": "2025-03-03T08:00:00+01:00",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def parse(doc: dict[str, Any], **kwargs: Any) -> Any:
    return parse_article(json.dumps(doc).encode(), tz=TZ, **kwargs)


def refusal(doc: dict[str, Any] | bytes, **kwargs: Any) -> dict[str, str]:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    with pytest.raises(InputError) as caught:
        parse_article(data, tz=TZ, **kwargs)
    return {p.field: p.reason for p in caught.value.problems}


def test_minimal_native_article_is_normalised() -> None:
    result = parse(article())
    assert detect_format(json.dumps(article()).encode()) == "native"
    assert result.format == "native"
    assert result.article_id == "wire-1001"
    assert result.body_html == "<p>The vote passed narrowly.</p><p>Campaigners welcomed it.</p>"
    assert result.byline == "By Mira Holt"
    assert result.first_published_at.isoformat() == "2025-03-03T08:00:00+01:00"
    assert result.content_hash.startswith("sha256:") and len(result.content_hash) == 71
    assert result.change_kind is None and (result.version_number, result.version_time) == (None, None)


def test_unknown_field_is_refused_by_name() -> None:
    problems = refusal(article(colour="blue"))
    assert list(problems) == ["colour"]
    assert "unknown field" in problems["colour"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", 5),
        ("authors", "Mira Holt"),
        ("source_version", 1.5),
        ("source_version", True),
        ("first_published_at", 1740985200),
        ("first_published_at", "1740985200"),
        ("change_kind", "rewrite"),
        ("article_id", "has space"),
    ],
)
def test_wrong_type_or_shape_is_refused_without_coercion(field: str, value: object) -> None:
    assert list(refusal(article(**{field: value}))) == [field]


def test_author_problem_names_the_list_position() -> None:
    assert list(refusal(article(authors=["Mira Holt", 7]))) == ["authors.1"]
    assert list(refusal(article(authors=["Mira Holt", "  "]))) == ["authors.1"]


def test_every_problem_is_reported_at_once() -> None:
    problems = refusal(article(headline="  ", url="ftp://example.org/x", language="not a tag!"))
    assert set(problems) == {"headline", "url", "language"}


def test_input_error_message_lists_field_and_reason() -> None:
    error = InputError([InputProblem(field="headline", reason="r1"), InputProblem(field="url", reason="r2")])
    assert str(error) == "headline: r1; url: r2"
    assert isinstance(error, ValueError)


def test_naive_time_is_read_in_newsroom_timezone() -> None:
    winter = parse(article(first_published_at="2025-01-10T09:00:00"))
    summer = parse(article(first_published_at="2025-07-10T09:00:00"))
    assert winter.first_published_at.utcoffset() == timedelta(hours=1)
    assert summer.first_published_at.utcoffset() == timedelta(hours=2)
    assert summer.first_published_at.isoformat() == "2025-07-10T09:00:00+02:00"


def test_explicit_offset_is_kept() -> None:
    result = parse(article(first_published_at="2025-07-10T09:00:00+05:30"))
    assert result.first_published_at.isoformat() == "2025-07-10T09:00:00+05:30"
    zulu = parse(article(first_published_at="2025-07-10T09:00:00Z"))
    assert zulu.first_published_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    ["2025-02-30T10:00:00", "2025-13-01T10:00:00", "2025-03-03T24:61:00", "2025-03-03T23:60:00"],
)
def test_impossible_date_is_refused_without_rollover(value: str) -> None:
    assert list(refusal(article(first_published_at=value))) == ["first_published_at"]


def test_nonexistent_local_time_is_refused() -> None:
    problems = refusal(article(first_published_at="2025-03-30T02:30:00"))  # clocks jump 02:00→03:00
    assert "does not exist" in problems["first_published_at"]


def test_updated_before_first_published_is_refused() -> None:
    problems = refusal(article(updated_at="2025-03-03T07:59:59+01:00"))
    assert list(problems) == ["updated_at"]


def test_out_of_range_year_is_refused() -> None:
    assert list(refusal(article(first_published_at="0001-01-01T00:00:00+01:00"))) == ["first_published_at"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('"headline": "Bad \\u0000 title"', "headline"),
        ('"authors": ["Mira Holt", "Bad \\ud800 name"]', "authors.1"),
        ('"body_text": "x\\udfff"', "body_text"),
    ],
)
def test_nul_and_lone_surrogates_are_refused(raw: str, field: str) -> None:
    doc = article()
    key = raw.split('"')[1]
    doc.pop(key)
    data = (json.dumps(doc)[:-1] + ", " + raw + "}").encode()
    problems = refusal(data)
    assert list(problems) == [field]
    assert "NUL" in problems[field] or "surrogate" in problems[field]


def test_surrogate_in_unknown_key_is_reported_printably() -> None:
    data = (json.dumps(article())[:-1] + ', "\\ud800x": 1}').encode()
    problems = refusal(data)
    assert list(problems) == ["\\ud800x"]
    json.dumps(problems).encode("utf-8")  # safe to put in a JSON response


@pytest.mark.parametrize(
    ("field", "limit"),
    [("headline", 300), ("standfirst", 1000), ("body_text", 200_000), ("body_html", 200_000)],
)
def test_length_limits_are_refused_with_the_limit_in_the_reason(field: str, limit: int) -> None:
    assert parse(article(**{field: "x" * limit}))
    problems = refusal(article(**{field: "x" * (limit + 1)}))
    assert list(problems) == [field]
    assert str(limit) in problems[field]


def test_author_length_limit() -> None:
    problems = refusal(article(authors=["a" * 201]))
    assert "200" in problems["authors.0"]


def test_length_is_measured_after_normalising() -> None:
    padded = "  " + "x" * 300 + "\u00a0\t "
    assert parse(article(headline=padded)).headline == "x" * 300


def test_empty_or_whitespace_only_fields_are_refused() -> None:
    assert list(refusal(article(headline="\u00a0 \t"))) == ["headline"]
    assert list(refusal(article(body_text=" \n\n "))) == ["body_text"]
    assert list(refusal(article(body_text=..., body_html=None))) == ["body_text"]
    assert "required" in refusal(article(body_text=...))["body_text"]


def test_invalid_utf8_is_refused_with_byte_offset() -> None:
    problems = refusal(b'{"headline": "caf\xe9"}')
    assert problems == {"body": "not valid UTF-8 at byte 17"}
    assert refusal(b"\xef\xbb\xbf" + b'{"headline": "caf\xe9"}') == {"body": "not valid UTF-8 at byte 20"}


def test_bom_before_json_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + json.dumps(article()).encode()
    assert parse_article(data, tz=TZ).headline == "Council approves new cycle lanes"


@pytest.mark.parametrize(
    "data",
    [b"{", b"[1, 2]", b'{"headline": NaN}', b'{"a": 1, "a": 2}', b"[" * 100_000, b"   "],
)
def test_malformed_json_is_refused_as_body(data: bytes) -> None:
    assert list(refusal(data, fmt="native")) == ["body"]


def test_explicit_id_overrides_and_is_checked() -> None:
    assert parse(article(), article_id="other-7").article_id == "other-7"
    assert list(refusal(article(), article_id="no spaces please")) == ["article_id"]
    assert list(refusal(article(), fmt="xml")) == ["format"]


def test_url_must_be_http_or_https() -> None:
    assert parse(article(url="https://news.example/a/1")).url == "https://news.example/a/1"
    for bad in ("javascript:alert(1)", "ftp://news.example/a", "https://", "http://a b/"):
        assert list(refusal(article(url=bad))) == ["url"]


def test_source_version_integer_and_timestamp_give_an_order_of_their_own_kind() -> None:
    numbered = parse(article(source_version=7))
    assert (numbered.version_number, numbered.version_time) == (7, None)
    stamped = parse(article(source_version="2025-03-03T09:00:00"))
    assert stamped.source_version == "2025-03-03T09:00:00"
    assert stamped.version_number is None
    assert stamped.version_time == int(datetime(2025, 3, 3, 8, tzinfo=UTC).timestamp()) * 1_000_000
    assert list(refusal(article(source_version="v2"))) == ["source_version"]
    assert list(refusal(article(source_version=2**70))) == ["source_version"]


def test_text_only_body_is_escaped_into_paragraphs() -> None:
    result = parse(article(body_text="a < b & c\r\n\r\n<script>x</script>"))
    assert result.body_html == "<p>a &lt; b &amp; c</p><p>&lt;script&gt;x&lt;/script&gt;</p>"
    assert result.body_text == "a < b & c\n\n<script>x</script>"


def test_resend_with_new_times_and_version_is_a_duplicate() -> None:
    first = parse(article(source_version=1))
    again = parse(article(source_version=2, updated_at="2025-03-04T10:00:00+01:00"))
    assert first.content_hash == again.content_hash
    corrected = parse(article(change_kind="correction"))
    withdrawn = parse(article(change_kind="withdrawal"))
    assert corrected.content_hash == first.content_hash
    assert withdrawn.content_hash != first.content_hash


def test_crlf_and_nfd_variants_hash_the_same() -> None:
    plain = parse(article(headline="Café reopens", body_text="Une première.\n\nDeux."))
    variant = parse(
        article(
            headline=unicodedata.normalize("NFD", "Café reopens"),
            body_text=unicodedata.normalize("NFD", "Une première.\r\n\r\nDeux.  "),
        )
    )
    assert variant.headline == "Café reopens"
    assert variant.content_hash == plain.content_hash


def test_language_is_canonicalised_or_refused() -> None:
    assert parse(article(language="EN_gb")).language == "en-GB"
    assert parse(article(language="zh-hant-tw")).language == "zh-Hant-TW"
    assert list(refusal(article(language="<en>"))) == ["language"]


def test_normalise_accepts_article_in_built_in_python() -> None:
    built = ArticleIn(headline="Hi", body_text="Body", first_published_at=datetime(2025, 1, 2, 3, 4))
    result = normalise(built, tz=TZ)
    assert result.source == "api"
    assert result.first_published_at.isoformat() == "2025-01-02T03:04:00+01:00"

    with pytest.raises(InputError) as caught:
        normalise(built.model_copy(update={"headline": "a\ud800"}), tz=TZ)
    assert caught.value.problems[0].field == "headline"


def test_derived_id_for_native_without_id_is_stable_across_revisions() -> None:
    a = parse(article(article_id=...))
    b = parse(article(article_id=..., headline="Council approves cycle lanes", source_version=2))
    assert a.article_id is None
    assert derive_article_id(a) == derive_article_id(b)
    assert derive_article_id(a).startswith("na-")


def test_repeated_local_time_takes_the_earlier_offset() -> None:
    result = parse(article(first_published_at="2025-10-26T02:30:00"))  # clocks go back 03:00→02:00
    assert result.first_published_at.isoformat() == "2025-10-26T02:30:00+02:00"


def test_huge_integer_version_from_python_is_refused() -> None:
    built = ArticleIn(
        headline="Hi", body_text="Body", first_published_at=datetime(2025, 1, 2), source_version=10**5000
    )
    with pytest.raises(InputError) as caught:
        normalise(built, tz=TZ)
    assert caught.value.problems[0].field == "source_version"


def test_a_refused_document_still_names_its_claimed_id() -> None:
    assert claimed_id(json.dumps(article(headline=None)).encode()) == "wire-1001"
    assert claimed_id(b'{"URI": "urn:x:1", "headlines": 3}') == "urn:x:1"
    assert claimed_id(b'{"article_id": "no spaces allowed"}') == ""
    assert claimed_id(b"not json") == claimed_id(b"[1]") == ""


def test_noncharacters_are_dropped_like_controls_and_a_headline_keeps_its_text() -> None:
    result = parse(article(headline="Market \ufffe rally\uffff", body_text="Up \ufffe today."))
    assert (result.headline, result.body_text) == ("Market rally", "Up today.")
    assert parse(article(headline="The <title> element explained")).headline == "The element explained"
    assert parse(article(headline="Safe <script>alert(1)</script>now")).headline == "Safe now"


@pytest.mark.parametrize(
    ("zone", "day", "starts"),
    [("America/Santiago", "2024-09-08", "01:00:00-03:00"), ("Asia/Beirut", "2024-03-31", "01:00:00+03:00")],
)
def test_a_date_on_a_day_whose_midnight_a_clock_change_skips_starts_when_the_clock_resumes(
    zone: str, day: str, starts: str
) -> None:
    result = parse_article(json.dumps(article(first_published_at=day)).encode(), tz=ZoneInfo(zone))
    assert result.first_published_at.isoformat() == f"{day}T{starts}"


def test_a_time_a_clock_change_skips_is_still_refused() -> None:
    assert (
        "does not exist in Europe/Berlin"
        in refusal(article(first_published_at="2024-03-31T02:30:00"))["first_published_at"]
    )
