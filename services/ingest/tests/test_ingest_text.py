"""The plain-text page capture: the shared reference page and pages written for these tests."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from newsroom_ingest.errors import InputError
from newsroom_ingest.identity import derive_article_id
from newsroom_ingest.importers import detect_format, parse_article
from newsroom_ingest.normalise import epoch_us

TZ = ZoneInfo("Europe/Berlin")
REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_ac197daf77e00fac.txt"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason=f"{REFERENCE} not present")

OWN_PAGE = """Last update: March 4, 2025 09:15

Harbour Gazette logo

Ferry timetable rewritten after pier repairs

By Ada Quill and Bo Renner March 3, 2025

None

The island ferry will run hourly again from Monday, the operator said.

Crews finished welding the north pier on Friday, two weeks ahead of plan.

Passengers with season tickets will get a month added at no cost.
"""


def page(text: str = OWN_PAGE) -> bytes:
    return text.encode()


def reference_paragraphs() -> list[str]:
    """Paragraphs of the reference page, read from the file itself (never copied here)."""
    text = REFERENCE.read_text(encoding="utf-8").replace("\r\n", "\n")
    blocks = [" ".join(b.replace("\u00a0", " ").split()) for b in text.split("\n\n")]
    return [b for b in blocks if b]


@needs_reference
def test_reference_page_parses_into_its_parts() -> None:
    article = parse_article(REFERENCE.read_bytes(), tz=TZ)
    paragraphs = reference_paragraphs()
    after_none = paragraphs[paragraphs.index("None") + 1 :]

    assert detect_format(REFERENCE.read_bytes()) == "text"
    assert article.format == "text"
    assert article.source == "page-capture"
    assert article.headline.startswith("Kazakhstan Summons Belarusian Ambassador")
    assert article.authors == ["Vusala Abbasova"]
    assert article.byline == "By Vusala Abbasova"
    assert article.first_published_at == datetime(2024, 8, 22, tzinfo=TZ)
    assert article.first_published_at.utcoffset() == TZ.utcoffset(datetime(2024, 8, 22))
    assert article.updated_at == datetime(2025, 1, 24, 15, 36, tzinfo=TZ)
    assert article.standfirst == after_none[0]
    assert article.body_text.split("\n\n") == after_none[1:]
    assert article.body_html.count("<p>") == len(after_none) - 1
    assert "\u00a0" not in article.body_text
    assert article.version_time == epoch_us(datetime(2025, 1, 24, 15, 36, tzinfo=TZ))
    assert article.article_id is None


@needs_reference
def test_reference_page_without_last_update_keeps_the_derived_id() -> None:
    original = REFERENCE.read_text(encoding="utf-8")
    first_line, rest = original.split("\n", 1)
    assert first_line.startswith("Last update:")

    with_update = parse_article(original.encode(), tz=TZ)
    without = parse_article(rest.lstrip("\n").encode(), tz=TZ)

    assert without.updated_at is None
    assert without.version_time == epoch_us(datetime(2024, 8, 22, tzinfo=TZ))
    assert derive_article_id(without) == derive_article_id(with_update)
    assert without.content_hash == with_update.content_hash


@needs_reference
def test_reference_page_in_crlf_cr_bom_and_nfd_hashes_the_same() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    variants = [
        text.replace("\n", "\r\n").encode(),
        text.replace("\n", "\r").encode(),
        b"\xef\xbb\xbf" + text.encode(),
        unicodedata.normalize("NFD", text).encode(),
        "\n".join(line + "  \t" for line in text.split("\n")).encode(),
    ]
    expected = parse_article(text.encode(), tz=TZ)
    for data in variants:
        article = parse_article(data, tz=TZ)
        assert article.content_hash == expected.content_hash
        # the same article, though not the same document as sent
        assert article.model_copy(update={"source_hash": None}) == expected.model_copy(
            update={"source_hash": None}
        )


def test_own_page_with_two_authors() -> None:
    article = parse_article(page(), tz=TZ)

    assert article.headline == "Ferry timetable rewritten after pier repairs"
    assert article.authors == ["Ada Quill", "Bo Renner"]
    assert article.byline == "By Ada Quill and Bo Renner"
    assert article.standfirst == "The island ferry will run hourly again from Monday, the operator said."
    assert article.body_text == (
        "Crews finished welding the north pier on Friday, two weeks ahead of plan.\n\n"
        "Passengers with season tickets will get a month added at no cost."
    )
    assert article.first_published_at.isoformat() == "2025-03-03T00:00:00+01:00"
    assert article.updated_at is not None
    assert article.updated_at.isoformat() == "2025-03-04T09:15:00+01:00"


def test_three_authors_with_and_without_oxford_comma() -> None:
    for names in ("Ada Quill, Bo Renner and Cy Ode", "Ada Quill, Bo Renner, and Cy Ode"):
        text = OWN_PAGE.replace("Ada Quill and Bo Renner", names)
        article = parse_article(page(text), tz=TZ)
        assert article.authors == ["Ada Quill", "Bo Renner", "Cy Ode"]
        assert article.byline == "By Ada Quill, Bo Renner and Cy Ode"


def test_revised_page_keeps_the_derived_id() -> None:
    first = OWN_PAGE.split("\n", 2)[2]  # as first published: no "Last update" line
    revised = (
        OWN_PAGE.replace("March 4, 2025 09:15", "March 5, 2025 18:40")
        .replace("Ferry timetable rewritten", "Ferry timetable is rewritten")
        .replace("two weeks ahead of plan", "ten days ahead of plan")
        + "\nA second operator may add evening sailings in summer.\n"
    )
    original, later = parse_article(page(first), tz=TZ), parse_article(page(revised), tz=TZ)

    assert derive_article_id(original) == derive_article_id(later)
    assert derive_article_id(original).startswith("pc-")
    assert original.content_hash != later.content_hash
    assert original.version_time is not None and later.version_time is not None
    assert later.version_time > original.version_time


def test_author_order_and_case_do_not_change_the_derived_id() -> None:
    swapped = OWN_PAGE.replace("Ada Quill and Bo Renner", "BO RENNER and ada quill")
    assert derive_article_id(parse_article(page(swapped), tz=TZ)) == derive_article_id(
        parse_article(page(), tz=TZ)
    )


def test_same_authors_same_day_collide_unless_an_id_is_given() -> None:
    other = OWN_PAGE.replace("Ferry timetable rewritten after pier repairs", "Lighthouse reopens")
    a, b = parse_article(page(), tz=TZ), parse_article(page(other), tz=TZ)
    assert derive_article_id(a) == derive_article_id(b)  # the documented limit

    explicit = parse_article(page(other), tz=TZ, article_id="gazette-2025-0042")
    assert explicit.article_id == "gazette-2025-0042"


def test_byline_date_is_read_in_newsroom_time_zone() -> None:
    summer = OWN_PAGE.replace("March 3, 2025", "July 3, 2025").replace("March 4", "July 4")
    article = parse_article(page(summer), tz=TZ)
    assert article.first_published_at.isoformat() == "2025-07-03T00:00:00+02:00"

    elsewhere = parse_article(page(summer), tz=ZoneInfo("America/New_York"))
    assert elsewhere.first_published_at.isoformat() == "2025-07-03T00:00:00-04:00"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("March 3, 2025", "February 30, 2025", "first_published_at"),
        ("March 3, 2025", "Smarch 3, 2025", "first_published_at"),
        ("March 4, 2025 09:15", "March 4, 2025 24:61", "updated_at"),
        ("March 4, 2025 09:15", "February 29, 2025 10:00", "updated_at"),
        ("March 4, 2025 09:15", "yesterday", "updated_at"),
    ],
)
def test_impossible_page_date_is_refused_without_rollover(old: str, new: str, field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_article(page(OWN_PAGE.replace(old, new)), tz=TZ)
    assert [p.field for p in caught.value.problems] == [field]


def test_last_update_before_publication_is_refused() -> None:
    text = OWN_PAGE.replace("March 4, 2025 09:15", "March 2, 2025 09:15")
    with pytest.raises(InputError) as caught:
        parse_article(page(text), tz=TZ)
    assert [p.field for p in caught.value.problems] == ["updated_at"]


def test_page_without_byline_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_article(page(OWN_PAGE.replace("By Ada Quill and Bo Renner March 3, 2025", "")), tz=TZ)
    assert caught.value.problems[0].field == "byline"


def test_unexpected_line_before_headline_is_refused() -> None:
    text = OWN_PAGE.replace("Harbour Gazette logo", "Harbour Gazette logo\n\nFerry timetable")
    with pytest.raises(InputError) as caught:
        parse_article(page(text), tz=TZ)
    assert caught.value.problems[0].field == "headline"


def test_page_with_no_paragraphs_is_refused() -> None:
    text = OWN_PAGE.split("None")[0]
    with pytest.raises(InputError) as caught:
        parse_article(page(text), tz=TZ)
    assert caught.value.problems[0].field == "body_text"


def test_single_paragraph_page_is_body_without_standfirst() -> None:
    text = OWN_PAGE.split("None")[0] + "None\n\nOnly this paragraph.\n"
    article = parse_article(page(text), tz=TZ)
    assert article.standfirst is None
    assert article.body_text == "Only this paragraph."


def test_headline_ending_in_logo_is_kept_as_headline() -> None:
    text = OWN_PAGE.replace("Ferry timetable rewritten after pier repairs", "Ferry firm unveils new logo")
    assert parse_article(page(text), tz=TZ).headline == "Ferry firm unveils new logo"


def test_page_without_logo_or_update_lines_parses() -> None:
    text = OWN_PAGE.split("Harbour Gazette logo\n\n", 1)[1]
    article = parse_article(page(text), tz=TZ)
    assert article.headline == "Ferry timetable rewritten after pier repairs"
    assert article.updated_at is None


def test_nbsp_tabs_and_wrapped_lines_are_collapsed() -> None:
    text = OWN_PAGE.replace(
        "Crews finished welding the north pier on Friday, two weeks ahead of plan.",
        "Crews\u00a0finished \t welding\nthe north pier on Friday,\u00a0 two weeks ahead of plan.\u00a0 ",
    )
    article = parse_article(page(text), tz=TZ)
    assert article.body_text.split("\n\n")[0] == (
        "Crews finished welding the north pier on Friday, two weeks ahead of plan."
    )


def test_twelve_hour_clock_and_abbreviated_month_are_understood() -> None:
    text = OWN_PAGE.replace("March 4, 2025 09:15", "Mar. 4, 2025 9:15 PM")
    updated = parse_article(page(text), tz=TZ).updated_at
    assert updated is not None and (updated.hour, updated.minute) == (21, 15)


def test_nul_in_page_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_article(page(OWN_PAGE.replace("hourly", "hour\x00ly")), tz=TZ)
    assert caught.value.problems[0].field == "body"
    assert "NUL" in caught.value.problems[0].reason


def test_a_capture_time_the_clock_change_skips_is_refused_once_under_its_own_name() -> None:
    capture = OWN_PAGE.replace("March 4, 2025 09:15", "March 30, 2025 02:30")
    assert capture != OWN_PAGE
    with pytest.raises(InputError) as caught:
        parse_article(page(capture), tz=TZ)
    assert [p.field for p in caught.value.problems] == ["updated_at"]
