"""HTML bodies go through the allow-list; plain fields lose their tags; text is derived from HTML."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsroom_ingest import sanitize
from newsroom_ingest.errors import InputError
from newsroom_ingest.importers import parse_article
from newsroom_ingest.sanitize import (
    ALLOWED_TAGS,
    MAX_NESTING,
    html_to_text,
    nesting_estimate,
    sanitize_html,
    sanitize_html_and_text,
    strip_tags,
)

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


def test_divs_become_paragraphs_not_glued_words() -> None:
    result = with_html(
        "<div>Talks between the two ministers ended in Berlin</div>"
        "<div>Paris reacted with caution on Friday.</div>"
    )
    assert result.body_html == (
        "<p>Talks between the two ministers ended in Berlin</p><p>Paris reacted with caution on Friday.</p>"
    )
    assert result.body_text == (
        "Talks between the two ministers ended in Berlin\n\nParis reacted with caution on Friday."
    )


def test_table_rows_become_paragraphs_with_cells_apart() -> None:
    result = with_html(
        "<table><caption>Results</caption><thead><tr><th>Party</th><th>Votes</th></tr></thead>\n"
        "<tbody><tr><td>Labour</td> <td>12,000</td></tr><tr><td>Reform</td><td></td><td>9,500</td></tr>"
        "</tbody></table>"
    )
    assert result.body_html == (
        "<p>Results</p><p>Party | Votes</p><p>Labour | 12,000</p><p>Reform | 9,500</p>"
    )
    assert result.body_text == "Results\n\nParty | Votes\n\nLabour | 12,000\n\nReform | 9,500"


def test_definition_lists_give_terms_and_descriptions_their_own_paragraphs() -> None:
    result = with_html("<dl><dt>Berlin</dt><dd>Sunny</dd><dt>Paris</dt><dd>Rain</dd></dl>")
    assert result.body_html == "<p>Berlin</p><p>Sunny</p><p>Paris</p><p>Rain</p>"
    assert result.body_text == "Berlin\n\nSunny\n\nParis\n\nRain"


def test_unlisted_heading_levels_become_the_nearest_allowed_level() -> None:
    result = with_html("<h1>Vote</h1><p>Text.</p><h5>Detail</h5><h6>Note</h6>")
    assert result.body_html == "<h2>Vote</h2><p>Text.</p><h4>Detail</h4><h4>Note</h4>"
    assert result.body_text == "Vote\n\nText.\n\nDetail\n\nNote"


@pytest.mark.parametrize(
    "tag", ["section", "article", "header", "footer", "aside", "main", "nav", "pre", "address", "center"]
)
def test_unlisted_block_elements_end_paragraphs(tag: str) -> None:
    result = with_html(f"Berlin<{tag}>Paris</{tag}>Rome")
    assert result.body_html == "<p>Berlin</p><p>Paris</p><p>Rome</p>"
    assert result.body_text == "Berlin\n\nParis\n\nRome"


def test_a_horizontal_rule_ends_a_paragraph() -> None:
    assert sanitize_html_and_text("Berlin<hr>Paris<hr/>") == ("<p>Berlin</p><p>Paris</p>", "Berlin\n\nParis")


@pytest.mark.parametrize(
    ("markup", "body_html", "body_text"),
    [
        (  # in a quote or list item, runs of text a block boundary separates become paragraphs
            "<blockquote><div>Berlin</div><div>Paris</div></blockquote>",
            "<blockquote><p>Berlin</p><p>Paris</p></blockquote>",
            "Berlin\n\nParis",
        ),
        (
            "<ul><li><div>Berlin</div>Paris</li></ul>",
            "<ul><li><p>Berlin</p><p>Paris</p></li></ul>",
            "Berlin\n\nParis",
        ),
        ("<ul><li><div>Berlin</div></li></ul>", "<ul><li>Berlin</li></ul>", "Berlin"),  # one run: no <p>
        (
            "<ol><div>Berlin</div><div>Paris</div></ol>",
            "<ol><li>Berlin</li><li>Paris</li></ol>",
            "Berlin\n\nParis",
        ),
        # in a heading or inline element a boundary is a line break; at an inline element's edge,
        # one of its parent's
        ("<h2><div>Berlin</div><div>Paris</div></h2>", "<h2>Berlin<br>Paris</h2>", "Berlin\nParis"),
        ("<b><div>Berlin</div><div>Paris</div></b>", "<p><b>Berlin<br>Paris</b></p>", "Berlin\nParis"),
        (
            "Rome<b><div>Berlin</div></b>Paris",
            "<p>Rome</p><p><b>Berlin</b></p><p>Paris</p>",
            "Rome\n\nBerlin\n\nParis",
        ),
        (
            "<li><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></li>",
            "<li><p>a | b</p><p>c</p></li>",
            "a | b\n\nc",
        ),
        # what already was a paragraph stays one
        (
            "<div><p>Berlin</p></div><section>\n<p>Paris</p>\n</section>",
            "<p>Berlin</p><p>Paris</p>",
            "Berlin\n\nParis",
        ),
    ],
)
def test_block_boundaries_inside_allowed_elements_keep_words_apart(
    markup: str, body_html: str, body_text: str
) -> None:
    assert sanitize_html_and_text(markup) == (body_html, body_text)


def test_unlisted_inline_elements_are_still_unwrapped_without_space() -> None:
    result = with_html("<p>Ber<span>lin</span> and <font color=red>Pa</font>ris</p>")
    assert result.body_html == "<p>Berlin and Paris</p>"


def test_unlisted_blocks_keep_no_attributes_scripts_or_handlers() -> None:
    body_html = sanitize_html(
        '<div onclick="x()" style="color:red"><script>alert(1)</script><table onmouseover="y()">'
        '<tr><td class="c"><a href="javascript:alert(1)">one</a></td><td><img src=x onerror=z>two</td>'
        "</tr></table><h1 onclick=x>head</h1></div>"
    )
    assert body_html == '<p><a rel="noopener noreferrer nofollow">one</a> | two</p><h2>head</h2>'
    assert_only_allowed_markup(body_html)


RESTRUCTURED = [
    "<div>Talks ended in Berlin</div><div>Paris reacted.</div>",
    "<table><tr><th>Party</th><th>Votes</th></tr><tr><td><b>Labour</b> </td><td> 12,000</td></tr></table>",
    "<dl><dt>Berlin</dt><dd>Sunny <i>and</i> warm</dd></dl><h1>Title</h1><h6>Six</h6>",
    "<blockquote><div>a</div> <div><p>b</p>c</div></blockquote><ul><div>d</div><li>e<div>f</div></li></ul>",
    '<a href="https://x.example/"><div>Title</div><div>Sub</div></a><figure><div>x</div>y</figure>',
    "<h2><table><tr><td>a</td><td>b</td></tr></table></h2><pre>one\ntwo</pre><hr><address>Main St</address>",
]


@pytest.mark.parametrize("markup", RESTRUCTURED)
def test_restructured_blocks_sanitize_again_to_the_same_body(markup: str) -> None:
    body_html, body_text = sanitize_html_and_text(markup)
    assert_only_allowed_markup(body_html)
    assert sanitize_html_and_text(body_html) == (body_html, body_text)
    assert html_to_text(body_html) == body_text


# Each block element with its end tag; left open (no end tag) it still begins a block. A whole
# table only: a browser moves what a table holds outside its cells before the table, and ignores
# a cell tag outside one, and so does the sanitizer's HTML parser.
_BLOCKS = [
    *(("<div>", "</div>"), ("<section>", "</section>"), ("<article>", "</article>"), ("<pre>", "</pre>")),
    *(("<dl><dt>", "</dt></dl>"), ("<dd>", "</dd>"), ("<h1>", "</h1>"), ("<h5>", "</h5>"), ("<h6>", "</h6>")),
    *(("<header>", "</header>"), ("<li>", "</li>"), ("<p>", "</p>"), ("<blockquote>", "</blockquote>")),
    *(("<hr>", ""), ("<address>", "</address>")),
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(_BLOCKS), st.booleans()),
            st.integers(1, 3).map(lambda cells: (("<table><tr>", "</tr></table>"), cells)),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_words_in_block_elements_never_run_together(blocks: list[tuple[tuple[str, str], Any]]) -> None:
    words: list[str] = []
    markup = ""
    for (opener, closer), detail in blocks:
        if opener == "<table><tr>":  # `detail` cells in a row
            cells = [f"w{len(words) + index}" for index in range(detail)]
            words += cells
            markup += opener + "".join(f"<td>{cell}</td>" for cell in cells) + closer
        else:  # closed when `detail` says so
            words.append(f"w{len(words)}")
            markup += opener + words[-1] + (closer if detail else "")
    body_html, body_text = sanitize_html_and_text(markup)
    assert re.findall(r"w\d+", body_text) == words
    assert body_text.replace("|", " ").split() == words
    assert sanitize_html_and_text(body_html) == (body_html, body_text)


def test_a_link_around_only_an_empty_paragraph_is_dropped_not_kept_empty_at_top_level() -> None:
    # kept, it read back as loose inline content with no text, so a re-send of the served markup
    # lost the link (and its target from the content hash) and became a new revision
    empty_link = '<a href="https://x.example/"><p></p></a>'
    assert sanitize_html(f"<p>Ferries run.</p>{empty_link}") == "<p>Ferries run.</p>"
    linked = '<a href="https://x.example/"><p>Timetable</p></a>'
    assert sanitize_html(sanitize_html(linked)) == sanitize_html(linked)


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


# --- NFC never turns sanitized text into markup --------------------------------------------------


class _Elements(HTMLParser):
    """Every start tag (name and attribute names) a browser-like tokenizer reads in some markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [name for name, _ in attrs]))

    handle_startendtag = handle_starttag


def assert_only_allowed_markup(markup: str) -> None:
    reader = _Elements()
    reader.feed(markup)
    reader.close()
    for tag, attrs in reader.tags:
        assert tag in ALLOWED_TAGS, (tag, markup)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs, markup)
        assert set(attrs) <= ({"href", "title", "rel"} if tag == "a" else set()), (tag, attrs, markup)


def assert_safe_under_nfc(body_html: str) -> None:
    """The output, and the output normalised again (as anything downstream might), hold only
    allow-listed elements without handlers, and sanitizing either again changes nothing."""
    normalised = unicodedata.normalize("NFC", body_html)
    assert normalised == body_html
    for markup in (body_html, normalised):
        assert_only_allowed_markup(markup)
        assert sanitize_html(markup) == body_html


OVERLAY_AFTER_MARKUP = [
    "<p>Real paragraph.</p><p>hi<br>&#x338; onfocus=alert(document.domain) autofocus tabindex=0 x</p>",
    '<p><a href="https://x.example/">&#x338; onclick=alert(1) x</a></p>',
    "<blockquote>&#x338;style=background:url(x) onmouseover=alert(1)</blockquote>",
    "<p>hi<br>\u0338 onfocus=alert(1) autofocus x</p>",  # the character itself, not a reference
    "<ul><li>&#x338; onclick=alert(1)</li></ul><h2>a</h2>&#x338;<b>b</b>&#x338; onclick=x",
    "<p>a &lt;&#x338; b =&#x338; c &gt;&#x338; d</p>",  # escaped "<", "=", ">" in text
    '<a href="https://x.example/" title="&#x338; onclick=x">t</a>',
]


@pytest.mark.parametrize("markup", OVERLAY_AFTER_MARKUP)
def test_a_combining_overlay_after_a_tag_never_reopens_it(markup: str) -> None:
    body_html, body_text = sanitize_html_and_text(markup)
    assert "\u0338" not in body_html  # only ever written as "&#x338;"
    assert_safe_under_nfc(body_html)
    assert sanitize_html(markup) == body_html
    assert html_to_text(body_html) == body_text
    assert unicodedata.is_normalized("NFC", body_text)


def test_a_combining_overlay_in_an_article_body_stays_text() -> None:
    result = with_html(OVERLAY_AFTER_MARKUP[0])
    assert result.body_html == (
        "<p>Real paragraph.</p><p>hi<br>&#x338; onfocus=alert(document.domain) autofocus tabindex=0 x</p>"
    )
    assert result.body_text == (
        "Real paragraph.\n\nhi\n\u0338 onfocus=alert(document.domain) autofocus tabindex=0 x"
    )
    assert_safe_under_nfc(result.body_html)


def test_a_plain_text_body_starting_a_paragraph_with_an_overlay_is_safe_under_nfc() -> None:
    doc = {
        "headline": "H",
        "body_text": "One.\n\n\u0338 onclick=alert(1) x",
        "first_published_at": "2025-03-03",
    }
    result = parse_article(json.dumps(doc).encode(), tz=TZ)
    assert result.body_html == "<p>One.</p><p>&#x338; onclick=alert(1) x</p>"
    assert_safe_under_nfc(result.body_html)


def test_composed_and_decomposed_text_around_markup_give_the_same_body() -> None:
    composed = (
        '<p>Caf\u00e9 <b>\u00e9t\u00e9</b> <a href="https://e.example/\u00e9" title="\u00e9">\u00e9</a></p>'
    )
    decomposed = unicodedata.normalize("NFD", composed)
    assert sanitize_html_and_text(composed) == sanitize_html_and_text(decomposed)
    assert with_html(composed).body_html == with_html(decomposed).body_html


# --- pathological markup is refused before it is parsed -----------------------------------------


@pytest.fixture
def no_big_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails a test at once (instead of after minutes) if an oversized value reaches the parser."""
    clean = nh3.clean

    def guarded(html: str, *args: Any, **kwargs: Any) -> str:
        assert len(html) <= 50_000, f"parsed {len(html)} characters of a plain-text field"
        return clean(html, *args, **kwargs)

    monkeypatch.setattr(sanitize.nh3, "clean", guarded)
    cleaner = sanitize._CLEANER  # bodies go through the sanitizer's own nh3.Cleaner

    class GuardedCleaner:
        def clean(self, html: str) -> str:
            assert len(html) <= 50_000, f"parsed {len(html)} characters of a body"
            return cleaner.clean(html)

    monkeypatch.setattr(sanitize, "_CLEANER", GuardedCleaner())


@pytest.mark.usefixtures("no_big_parse")
@pytest.mark.parametrize("field", ["headline", "standfirst", "authors.0", "source"])
def test_a_huge_tag_soup_plain_field_is_refused_before_parsing(field: str) -> None:
    soup = "<div>" * 200_000 + "x"  # 1 MB: parsing it takes minutes
    changes: dict[str, Any] = {"authors": [soup]} if field == "authors.0" else {field: soup}
    with pytest.raises(InputError) as caught:
        with_html("<p>x</p>", **changes)
    assert [p.field for p in caught.value.problems] == [field]
    assert caught.value.problems[0].reason.startswith("is 1000001 characters long; the limit is ")


@pytest.mark.usefixtures("no_big_parse")
def test_a_deeply_nested_short_headline_is_refused_naming_it() -> None:
    with pytest.raises(InputError) as caught:
        with_html("<p>x</p>", headline="<b>" * (MAX_NESTING + 1) + "x")
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("headline", f"markup is nested more than {MAX_NESTING} levels deep")
    ]


def test_a_plain_field_with_tags_and_entities_over_its_limit_only_as_sent_is_kept() -> None:
    headline = "<span class='x'>" + "Big &amp; bold news " * 14 + "</span>"  # 280 chars as text
    assert len(headline) > 300
    assert with_html("<p>x</p>", headline=headline).headline == ("Big & bold news " * 14).strip()


# Markup that a parser nests arbitrarily deep, written so the old estimate read it as shallow.
NESTING_SHAPES = [
    # ruby text and optgroup nest outside <ruby> and <select>
    *("<rt>", "<rp>", "<rb>", "<optgroup>"),
    # "/>" does not close an HTML element, and closes a foreign one only in foreign content
    *("<div/>", "<svg><desc><g/>", "<svg><div/>"),
    # a stray end tag closes nothing, nor does one inside a comment or raw text
    *("<div></span>", "<div><!--</div>-->", "<div><!</div>"),
    *("<div><style></div></style>", "<div><title></div></title>"),
    # a tag name runs to whitespace, "/" or ">", and is compared in ASCII case only
    *("<x<p>", "<p_>", "<LI\u212a>"),
]


@pytest.mark.parametrize("shape", NESTING_SHAPES)
def test_markup_nested_in_any_spelling_is_refused_before_parsing(shape: str) -> None:
    assert nesting_estimate(shape * (MAX_NESTING + 1) + "x") > MAX_NESTING
    with pytest.raises(InputError) as caught:
        with_html(shape * 2000 + "x")
    assert [p.field for p in caught.value.problems] == ["body_html"]
    assert "nested" in caught.value.problems[0].reason


@pytest.mark.usefixtures("no_big_parse")
def test_ruby_text_nesting_is_refused_before_parsing() -> None:
    with pytest.raises(InputError) as caught:
        with_html("<rt>" * 49999)
    assert caught.value.problems[0].reason == f"markup is nested more than {MAX_NESTING} levels deep"


# Shapes the nesting estimate reads as shallow although a parser nests them: an old-style script,
# an integration point of the wrong namespace, and elements that each close the other's sibling
# only by scope. The count of start tags refuses them before any parsing whatever the estimate.
MISREAD_SHAPES = [
    "<script><!--</script>" + "<div>" * 6000,
    "<math><annotation-xml><style>" + "<div>" * 6000,
    "<li><dd>" * 3000,
]


@pytest.mark.usefixtures("no_big_parse")
@pytest.mark.parametrize("markup", MISREAD_SHAPES)
def test_markup_the_nesting_estimate_misreads_is_still_refused_by_its_tag_count(markup: str) -> None:
    with pytest.raises(InputError) as caught:
        with_html(markup + "x")
    [problem] = caught.value.problems
    assert problem.field == "body_html"
    assert problem.reason.startswith("has ") or "nested" in problem.reason


SHALLOW_MARKUP = [
    "<ruby>\u6f22<rp>(<rt>kan<rp>)</ruby>",  # ruby text without its optional end tags
    '<svg viewBox="0 0 9 9"><rect x="1" y="2"/><path d="M 0 0 L 1 1"/><g><use href="#a"/></g></svg>',
    "<select><optgroup label=a><option>x<optgroup label=b><option>y</select>",
    "<ul><li>one<li>two</ul><dl><dt>t<dd>d</dl><p>para<p>para",
    "<!-- <div><div> --><script>var s = '<div><div>';</script><br/><img src=x />",
    "<table><tr><td>a<td>b<tr><td>c</table><div><span>unclosed</div>",
]


@pytest.mark.parametrize("markup", SHALLOW_MARKUP)
def test_ordinary_markup_repeated_is_not_mistaken_for_nesting(markup: str) -> None:
    assert nesting_estimate(markup * 500) <= 5


@pytest.mark.parametrize(
    ("headline", "kept"),
    [
        ("Why x<y matters", "Why x<y matters"),  # no ">" follows: it cannot begin a tag
        ("<b>Rates</b> fall as x<y", "Rates fall as x<y"),
        ("Rates <i>fall</i>", "Rates fall"),
    ],
)
def test_a_less_than_sign_in_a_headline_is_text_unless_a_tag_follows(headline: str, kept: str) -> None:
    assert strip_tags(headline) == kept
    assert with_html("<p>x</p>", headline=headline).headline == kept


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u2800", " \u200d\u2060 "])
def test_a_headline_or_body_of_invisible_characters_only_is_refused_as_empty(invisible: str) -> None:
    with pytest.raises(InputError) as caught:
        with_html("<p>x</p>", headline=invisible)
    assert [p.field for p in caught.value.problems] == ["headline"]
    with pytest.raises(InputError) as caught:
        with_html(f"<p>{invisible}</p>")
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("body_html", "has no visible text left once markup is removed")
    ]


@pytest.mark.parametrize(
    "headline",
    [
        "Why <script> tags matter for developers",
        "Inline <STYLE> rules, explained",
        "Why <script> tags matter, not </scripts>",  # not an end tag: the rest would still go
        "Why <script> tags matter \u2014 </\u017fcript> for developers",  # nor with a long s
    ],
)
def test_a_plain_text_field_whose_unclosed_code_tag_would_drop_the_rest_is_refused(headline: str) -> None:
    with pytest.raises(InputError) as caught:
        with_html("<p>x</p>", headline=headline)
    [problem] = caught.value.problems
    assert problem.field == "headline" and "would drop text with it" in problem.reason


def test_a_closed_code_element_in_a_plain_text_field_is_dropped_with_its_content() -> None:
    assert with_html("<p>x</p>", headline="Safe <script>alert(1)</script>now").headline == "Safe now"
    assert with_html("<p>x</p>", headline="Safe <script>alert(1)</script\r>now").headline == "Safe now"
    assert with_html("<p>x</p>", headline="The <title> element").headline == "The element"


def test_a_heading_left_inside_a_heading_reads_back_as_served() -> None:
    # the output nested an <h2> in an <h2>; read again, a parser closes the outer one there, and
    # the markup, sent in again, came out with another link target than it was served with
    served, text = sanitize.sanitize_html_and_text(
        '<h2><a href="https://x.example/"><h2><a href="https://x.example/">go'
    )
    again, again_text = sanitize.sanitize_html_and_text(served)
    assert (again, again_text) == (served, text)
