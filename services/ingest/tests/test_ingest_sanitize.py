"""HTML bodies go through the allow-list; plain fields lose their tags; text is derived from HTML."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from newsroom_ingest.errors import InputError
from newsroom_ingest.importers import parse_article
from newsroom_ingest.sanitize import html_to_text, sanitize_html

TZ = ZoneInfo("Europe/Berlin")


def with_html(body_html: str, **changes: Any) -> Any:
    doc = {"headline": "H", "body_html": body_html, "first_published_at": "2025-03-03T08:00:00Z"}
    doc.update(changes)
    return parse_article(json.dumps(doc).encode(), tz=TZ)


def test_script_and_event_handlers_are_removed() -> None:
    result = with_html(
        '<p onclick="steal()" style="color:red">Hello <b onmouseover="x()">there</b></p>'
        "<script>alert('x')</script><style>p { color: red }</style><img src=x onerror=alert(1)>"
    )
    assert result.body_html == "<p>Hello <b>there</b></p>"
    assert result.body_text == "Hello there"


def test_javascript_and_data_links_are_dropped() -> None:
    result = with_html(
        '<p><a href="javascript:alert(1)">one</a> <a href="data:text/html,x">two</a> '
        '<a href="https://news.example/x" title="More" target="_blank">three</a></p>'
    )
    assert "javascript:" not in result.body_html and "data:" not in result.body_html
    assert 'href="https://news.example/x"' in result.body_html
    assert 'title="More"' in result.body_html and "target" not in result.body_html
    assert 'rel="noopener noreferrer nofollow"' in result.body_html
    assert result.body_text == "one two three"


def test_allowed_structure_is_kept() -> None:
    markup = (
        "<h2>Sub</h2><p><strong>s</strong> <em>e</em> <i>i</i><br>next</p>"
        "<ul><li>one</li><li>two</li></ul><ol><li>three</li></ol>"
        "<blockquote><p>quoted</p></blockquote>"
        "<figure><figcaption>cap</figcaption></figure><h3>h3</h3><h4>h4</h4>"
    )
    result = with_html(markup)
    assert result.body_html == markup
    assert result.body_text.split("\n\n") == [
        "Sub",
        "s e i\nnext",
        "one",
        "two",
        "three",
        "quoted",
        "cap",
        "h3",
        "h4",
    ]


def test_unlisted_tags_are_unwrapped_and_loose_text_becomes_paragraphs() -> None:
    result = with_html("Intro <span>text</span><div><p>inside</p></div>tail <b>bold</b>")
    assert result.body_html == "<p>Intro text</p><p>inside</p><p>tail <b>bold</b></p>"
    assert result.body_text == "Intro text\n\ninside\n\ntail bold"


def test_entities_are_unescaped_and_nbsp_becomes_space_in_text() -> None:
    result = with_html("<p>Fish &amp; chips&nbsp;&nbsp;cost &pound;5 &lt;today&gt;</p><p>\n</p>")
    assert result.body_text == "Fish & chips cost £5 <today>"
    assert result.body_html.startswith("<p>Fish &amp; chips")


def test_body_html_wins_over_body_text_and_text_is_derived() -> None:
    result = with_html("<p>From html</p>", body_text="From text")
    assert result.body_text == "From html"


def test_tags_are_stripped_from_plain_fields() -> None:
    result = with_html(
        "<p>x</p>",
        headline="<b>Big</b> news &amp; <script>bad()</script>more",
        standfirst="<p>Short <i>summary</i></p>",
        authors=["<a href='x'>Mira</a> Holt"],
    )
    assert result.headline == "Big news & more"
    assert result.standfirst == "Short summary"
    assert result.authors == ["Mira Holt"]


def test_markup_without_text_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        with_html("<script>only()</script><p> </p>")
    assert [p.field for p in caught.value.problems] == ["body_html"]


def test_deeply_nested_markup_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        with_html("<div>" * 5000 + "x")
    assert "nested" in caught.value.problems[0].reason


def test_many_unclosed_paragraphs_are_not_mistaken_for_nesting() -> None:
    result = with_html("<p>x" * 1000)
    assert result.body_html.count("<p>") == 1000


def test_sanitized_html_is_stable_when_sanitized_again() -> None:
    once = sanitize_html('<p>a <a href="https://e.example">b</a><br>c</p>loose')
    assert sanitize_html(once) == once
    assert html_to_text(once) == "a b\nc\n\nloose"
