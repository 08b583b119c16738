"""The fast normalisation paths give exactly what the straightforward implementation gave.

`Reference` below is the character-by-character, parse-everything-twice implementation that the
sanitizer used before its fast paths (per-character scans, a regex per paragraph, html.parser for
every read, body_text read back from the rendered body_html); every fast path is compared with it.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Final
from zoneinfo import ZoneInfo

import nh3
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from newsroom_ingest import sanitize
from newsroom_ingest.errors import InputError, quote
from newsroom_ingest.identity import _canonical
from newsroom_ingest.importers import native, parse_article
from newsroom_shared import loadgen

TZ = ZoneInfo("Europe/Berlin")
MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Reference:
    """The sanitizer's text and HTML functions as they were before the fast paths (the oracle)."""

    CONTROL: Final = re.compile("[\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufeff]")
    SPACE_RUN: Final = re.compile(r"\s+")
    MARKUP_SPACE: Final = re.compile(r"[ \t\n\r\f]+")
    BLANK_LINE: Final = re.compile(r"\n[^\S\n]*\n\s*")

    @staticmethod
    def unify_newlines(value: str) -> str:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x85", "\n")

    @staticmethod
    def load_json(document: str) -> object:
        try:
            return json.loads(
                document, object_pairs_hook=native._no_duplicates, parse_constant=native._no_constants
            )
        except json.JSONDecodeError as e:
            reason = f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
        except native._DuplicateKeyError as e:
            reason = f"not valid JSON: duplicate key {quote(e.key)!r}"
        except RecursionError:
            reason = "not valid JSON: nested too deeply"
        except ValueError as e:
            reason = f"not valid JSON: {quote(str(e), 80)}"
        raise InputError.one("body", reason)

    @staticmethod
    def bad_character(value: str) -> str | None:
        for index, char in enumerate(value):
            if char == "\x00":
                return f"contains a NUL character at position {index}"
            if "\ud800" <= char <= "\udfff":
                return f"contains a lone surrogate (U+{ord(char):04X}) at position {index}"
        return None

    @classmethod
    def collapse(cls, value: str) -> str:
        return cls.SPACE_RUN.sub(" ", cls.CONTROL.sub("", value)).strip()

    @classmethod
    def text_paragraphs(cls, value: str) -> list[str]:
        parts = cls.BLANK_LINE.split(cls.unify_newlines(value))
        return [p for p in (cls.collapse(part) for part in parts) if p]

    @staticmethod
    def escape(text: str, *, quote: bool) -> str:
        """Text or an attribute value normalised on its own, U+0338 as a character reference."""
        escaped = html.escape(unicodedata.normalize("NFC", text), quote=quote)
        return escaped.replace("\u0338", "&#x338;")

    @classmethod
    def text_to_html(cls, value: str) -> str:
        return "".join(f"<p>{cls.escape(p, quote=False)}</p>" for p in cls.text_paragraphs(value))

    @classmethod
    def has_text(cls, node: RefNode) -> bool:
        if node.tag is None:
            return bool(cls.collapse(node.text))
        return any(cls.has_text(child) for child in node.children)

    @classmethod
    def is_inline(cls, node: RefNode) -> bool:
        if node.tag is None:
            return True
        if node.tag in sanitize.BLOCK_TAGS:
            return False
        return all(cls.is_inline(c) or not cls.has_text(c) for c in node.children)  # empty blocks drop

    @classmethod
    def render_children(cls, children: list[RefNode]) -> str:
        """Blocks without text are dropped; the text runs left adjacent are escaped as one."""
        kept = [c for c in children if not (c.tag in sanitize.BLOCK_TAGS and not cls.has_text(c))]
        out: list[str] = []
        for is_text, group in itertools.groupby(kept, key=lambda c: c.tag is None):
            if is_text:
                text = "".join(cls.MARKUP_SPACE.sub(" ", c.text) for c in group)
                out.append(cls.escape(text, quote=False))
            else:
                out.extend(cls.render(c) for c in group)
        return "".join(out)

    @classmethod
    def render(cls, node: RefNode) -> str:
        if node.tag == "br":
            return "<br>"
        block = node.tag in sanitize.BLOCK_TAGS
        if block and not cls.has_text(node):
            return ""
        attrs = "".join(f' {k}="{cls.escape(v or "", quote=True)}"' for k, v in node.attrs)
        inner = cls.render_children(node.children)
        return f"<{node.tag}{attrs}>{inner.strip(' ') if block else inner}</{node.tag}>"

    @classmethod
    def render_root(cls, root: RefNode) -> str:
        out: list[str] = []
        run: list[RefNode] = []

        def flush() -> None:
            if any(cls.has_text(node) for node in run):
                out.append("<p>" + cls.render_children(run).strip(" ") + "</p>")
            run.clear()

        for child in root.children:
            if cls.is_inline(child):
                run.append(child)
            else:
                flush()
                out.append(cls.render(child))
        flush()
        return "".join(out)

    @classmethod
    def sanitize_html(cls, markup: str) -> str:
        cleaned = nh3.clean(
            markup,
            tags=set(sanitize._KEPT_TAGS),
            clean_content_tags=set(sanitize.DROP_WITH_CONTENT),
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel=sanitize.LINK_REL,
            strip_comments=True,
        )
        # Never NFC over the markup as a whole: ">" + U+0338 would compose to "≯" and reopen a tag.
        return cls.render_root(restructured(ref_parse(cleaned)))

    @classmethod
    def collect(cls, node: RefNode, paragraphs: list[str], buffer: list[str]) -> None:
        for child in node.children:
            if child.tag is None:
                buffer.append(cls.MARKUP_SPACE.sub(" ", child.text))
            elif child.tag == "br":
                buffer.append("\n")
            elif child.tag in sanitize.BLOCK_TAGS:
                cls.flush(paragraphs, buffer)
                cls.collect(child, paragraphs, buffer)
                cls.flush(paragraphs, buffer)
            else:
                cls.collect(child, paragraphs, buffer)

    @classmethod
    def flush(cls, paragraphs: list[str], buffer: list[str]) -> None:
        lines = (cls.collapse(line) for line in "".join(buffer).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
        buffer.clear()

    @classmethod
    def html_to_text(cls, markup: str) -> str:
        paragraphs: list[str] = []
        buffer: list[str] = []
        cls.collect(ref_parse(markup), paragraphs, buffer)
        cls.flush(paragraphs, buffer)
        return unicodedata.normalize("NFC", "\n\n".join(paragraphs))


@dataclass
class RefNode:
    tag: str | None
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[RefNode] = field(default_factory=list)
    text: str = ""


class RefTreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = RefNode(tag="#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = RefNode(tag=tag, attrs=attrs)
        self.stack[-1].children.append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(RefNode(tag=tag, attrs=attrs))

    def handle_endtag(self, tag: str) -> None:
        names = [node.tag for node in self.stack[1:]]
        if tag in names:
            del self.stack[len(names) - names[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(RefNode(tag=None, text=data))


def ref_parse(markup: str) -> RefNode:
    builder = RefTreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def restructured(root: RefNode) -> RefNode:
    """The tree with unlisted block elements replaced as the sanitizer replaces them: by
    sanitize._restructure() itself, which is no fast path (it runs only for bodies that hold such
    elements); what it should produce is tested in test_ingest_sanitize.py."""
    tree = sanitize._Tree()

    def replay(node: RefNode) -> None:
        for child in node.children:
            if child.tag is None:
                tree.data(child.text)
            else:
                tree.start(child.tag, child.attrs)
                replay(child)
                tree.end(child.tag)

    replay(root)
    if not tree.unlisted:
        return root
    sanitize._restructure(tree.root)

    def convert(node: Any) -> RefNode:
        return RefNode(node.tag, list(node.attrs), [convert(c) for c in node.children], node.text)

    return convert(tree.root)


def shape(node: Any) -> Any:
    """A parse tree as plain data, comparable between the reference and the fast parser."""
    if node.tag is None:
        return node.text
    return (node.tag, list(node.attrs), [shape(child) for child in node.children])


# --- inputs ------------------------------------------------------------------------------------

TRICKY_CHARS = [
    *("\x00", "\x01", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1b", "\x1c", "\x1f", " ", "  "),
    *("\x7f", "\x84", "\x85", "\x9f", "\xa0", "\u1680", "\u2000", "\u2028", "\u2029", "\u3000"),
    *("\ufeff", "\ud800", "\udfff", "e\u0301", "\u0301", ">\u0338", "\u0338", "&", "&amp;", "<", ">"),
    *("&nbsp;", "&#0;", "&#x85;", "&lt;b&gt;", '"', "'", "é", "ß", "ﬁ", "\U0001f600", "word", "x"),
]
texts = st.lists(st.sampled_from(TRICKY_CHARS) | st.text(max_size=6), max_size=40).map("".join)
HTML_PIECES = [
    *("<p>", "</p>", "<b>", "</b>", "<i>", "<em>", "</em>", "<strong>", "<br>", "<br/>", "<div>"),
    *("</div>", "<li>", "</li>", "<ul>", "</ul>", "<ol>", "<blockquote>", "</blockquote>", "<h2>"),
    *("</h2>", "<figure>", "<figcaption>", "<span>", "</span>", "<script>", "</script>", "<style>"),
    *("<!-- c -->", '<a href="https://e.example/?a=1&amp;b=2" title="t &quot;q&quot;">', "</a>"),
    *("<a href='javascript:x()'>", '<a title="a>b">', "<a href=https://e.example>", "<p onclick=x>"),
    *("<img src=x onerror=y>", "<table><tr><td>", "</td></tr></table>", "<svg><p>in</p></svg>"),
    *("text ", " ", "\n", "\r\n", "\t", "\xa0", "&nbsp;", "&amp;", "&lt;", "&#0;", "&", "<", ">"),
    *("e\u0301", "\u0301", "\u0338", ">\u0338", "\x01", "\ufeff", "\u2028", "word", "  two  "),
]
markups = st.lists(st.sampled_from(HTML_PIECES) | st.text(max_size=4), max_size=40).map("".join)
KNOWN_MARKUP = [
    "",
    "<p>Hello <b>there</b></p>",
    '<p onclick="x()">a <a href="https://e.example/x?a=1&b=2" title="T">b</a><br>c</p>loose',
    "<script>alert(1)</script><p>after</p><style>p{}</style>",
    "Intro <span>text</span><div><p>inside</p></div>tail <b>bold</b>",
    "<li>a<ul></ul>b</li><li>c<ul> </ul>d</li>",
    "<p>x" * 50,
    "<p>Fish &amp; chips&nbsp;&nbsp;cost &pound;5 &lt;today&gt;</p><p>\n</p>",
    "<b>\u0338x</b> and <i>\u0338</i>",
    "<p>hi<br>&#x338; onfocus=alert(1) autofocus x</p><p>=\u0338 a&lt;&#x338;</p>",
    '<a href="https://x.example/?q=\u0338" title="\u0338t">&#x338; onclick=x()</a>',
    "<p>cafe\u0301</p><p>e<b>\u0301</b></p>",
    "<p>line one\r\nline two\rthree</p>\r\n<p>\t tabs\x0c and\x01 controls\ufeff</p>",
    "<blockquote><p>quoted</p>tail</blockquote><h2> </h2><h3>h3</h3>",
    "<a href='javascript:x'>one</a> <a href=\"data:text/html,x\">two</a>",
    "<b><p>block in inline</p>after</b>more<br><br>",
    '<a title="a>b" href="https://e.example">t</a>',
    "<p>a <b> b </b> c<i> </i> d</p> e <em> f</em>",
    "<b><b>x</b>y</b>z<blockquote><blockquote><p>q</p></blockquote>r</blockquote>",
]


# --- character rules ---------------------------------------------------------------------------


@MANY
@given(st.lists(st.sampled_from(TRICKY_CHARS) | st.integers(0, sys.maxunicode).map(chr), max_size=30))
def test_bad_character_matches_reference(parts: list[str]) -> None:
    value = "".join(parts)
    assert sanitize.bad_character(value) == Reference.bad_character(value)


def test_bad_character_reports_the_first_problem() -> None:
    for value in ("ok", "é ok", "a\x00b\ud800", "a\udc00\x00", "\U0001f600\ud83d", "x" * 500 + "\x00"):
        assert sanitize.bad_character(value) == Reference.bad_character(value)


@MANY
@given(texts)
@example("\xa0 a \u3000 b\u2028c\x85d\x1ce\x01f\ufeff  ")
@example(" a ")
def test_collapse_and_has_text_match_reference(value: str) -> None:
    assert sanitize.collapse(value) == Reference.collapse(value)
    assert sanitize.has_text(value) == bool(Reference.collapse(value))


def test_printable_strings_hold_no_whitespace_but_space_and_no_control_characters() -> None:
    # collapse() and the renderer skip their regex passes for printable strings on this basis.
    printable = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isprintable())
    assert not re.search(r"[^\S ]", printable)
    assert not Reference.CONTROL.search(printable)
    assert not re.search("[\t\n\r\x0c]", printable)


# --- plain-text bodies -------------------------------------------------------------------------


@MANY
@given(texts)
@example("a < b & c\r\n\r\n<script>x</script>")
@example("Une premie\u0300re.\r\n\r\nDeux.\xa0\xa0 \n\n\n")
@example("a\n\x01\nb\n \n\nc\u2029d\u2028e")
@example("e\x01\u0301 and x\ufeff\u0338")
def test_text_body_matches_reference(value: str) -> None:
    value = value.replace("\x00", "").encode("utf-8", "replace").decode()  # refused earlier
    body_html = Reference.text_to_html(value)
    assert sanitize.text_to_html(value) == body_html
    assert sanitize.text_paragraphs(value) == Reference.text_paragraphs(value)
    assert sanitize.text_body(value) == (body_html, Reference.html_to_text(body_html))


ASCII_PIECES = [*(chr(c) for c in range(0x80)), " ", "  ", "\n", "\n\n", "\n \n", "\r\n", "word", "&<>"]
ascii_texts = st.lists(st.sampled_from(ASCII_PIECES), max_size=60).map("".join)


@MANY
@given(ascii_texts | texts)
@example("one\n\ntwo  three\nfour \n \n\n five ")
@example("tab\tin\n\nform\x0cfeed\x1cand\x7f")
def test_ascii_paragraphs_and_newlines_match_reference(value: str) -> None:
    # ASCII text without control characters takes a path of its own in text_paragraphs().
    value = value.replace("\x00", "")
    assert sanitize.unify_newlines(value) == Reference.unify_newlines(value)
    assert sanitize.text_paragraphs(value) == Reference.text_paragraphs(value)
    assert sanitize.text_to_html(value) == Reference.text_to_html(value)


# --- JSON --------------------------------------------------------------------------------------

JSON_PIECES = [
    *("{", "}", "[", "]", ",", ":", '"a"', '"b"', '"\\u00e9"', '"x\\n"', "1", "-0.5", "1e400", "NaN"),
    *("Infinity", "-Infinity", "true", "null", " ", "\n", "\ufeff", '"\\ud800"', "9" * 30, "x", "'"),
]
json_texts = st.lists(st.sampled_from(JSON_PIECES), max_size=30).map("".join)


def outcome(parse: Any, document: str) -> tuple[str, object]:
    try:
        return "ok", parse(document)
    except InputError as e:
        return "refused", str(e)


@MANY
@given(json_texts | st.recursive(st.none() | st.booleans() | st.text(), st.lists).map(json.dumps))
@example('{"a": 1, "b": {"a": 2, "a": 3}}')
@example('\ufeff{"a": 1}')
@example("[NaN]")
@example("[" * 3000 + "]" * 3000)
@example("1" * 5000)
def test_load_json_matches_reference(document: str) -> None:
    # One shared decoder stands in for json.loads(); refusals must read the same.
    assert outcome(native.load_json, document) == outcome(Reference.load_json, document)


# --- HTML bodies -------------------------------------------------------------------------------


def check_markup(markup: str) -> None:
    expected_html = Reference.sanitize_html(markup)
    expected_text = Reference.html_to_text(expected_html)
    assert sanitize.sanitize_html(markup) == expected_html
    assert sanitize.sanitize_html_and_text(markup) == (expected_html, expected_text)
    assert sanitize.html_to_text(markup) == Reference.html_to_text(markup)
    assert sanitize.html_to_text(expected_html) == expected_text


@pytest.mark.parametrize("markup", KNOWN_MARKUP)
def test_known_markup_matches_reference(markup: str) -> None:
    check_markup(markup)
    cleaned = sanitize._clean(markup)
    assert shape(sanitize._parse_sanitized(cleaned)) == shape(ref_parse(cleaned))


@MANY
@given(markups)
def test_random_markup_matches_reference(markup: str) -> None:
    markup = markup.replace("\x00", "").encode("utf-8", "replace").decode()  # refused earlier
    check_markup(markup)


@MANY
@given(markups)
def test_fast_parser_reads_sanitizer_output_like_html_parser(markup: str) -> None:
    markup = markup.replace("\x00", "").encode("utf-8", "replace").decode()
    cleaned = sanitize._clean(markup)
    assert shape(sanitize._parse_sanitized(cleaned)) == shape(ref_parse(cleaned))
    assert shape(sanitize._parse_sanitized(markup)) == shape(ref_parse(markup))


def test_regular_sanitizer_output_is_read_without_html_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    markups = [
        with_html_body(LOADGEN[0])["body_html"],
        '<p>a &amp; <a href="https://e.example/?a=1&amp;b=2" title="x">b</a><br>c&nbsp;d</p>',
        "<ul><li>one</li></ul><h2>t</h2><blockquote><p>q</p></blockquote>loose",
    ]
    cleaned = [sanitize._clean(m) for m in markups]
    expected = [shape(ref_parse(c)) for c in cleaned]

    def refuse(markup: str) -> Any:
        raise AssertionError(f"fell back to html.parser for {markup!r}")

    monkeypatch.setattr(sanitize, "_parse_tree", refuse)
    assert [shape(sanitize._parse_sanitized(c)) for c in cleaned] == expected


def test_a_combining_overlay_after_markup_is_written_as_a_reference_and_read_back_as_text() -> None:
    markup = "<p>a<b>\u0338b</b></p>"  # ">" + U+0338 would compose to "≯" under NFC
    body_html, body_text = sanitize.sanitize_html_and_text(markup)
    assert body_html == "<p>a<b>&#x338;b</b></p>"
    assert body_text == "a\u0338b"
    assert unicodedata.normalize("NFC", body_html) == body_html
    assert (body_html, body_text) == (
        Reference.sanitize_html(markup),
        Reference.html_to_text(Reference.sanitize_html(markup)),
    )


def test_text_left_adjacent_by_a_dropped_block_is_normalised_as_one_run() -> None:
    markup = "<blockquote>e<p> </p>\u0301</blockquote>"  # the empty <p> goes: "e" + U+0301 meet
    body_html, body_text = sanitize.sanitize_html_and_text(markup)
    assert body_html == "<blockquote>\u00e9</blockquote>"
    assert body_text == "\u00e9"
    check_markup(markup)


# --- whole documents ---------------------------------------------------------------------------


def with_html_body(doc: dict[str, Any]) -> dict[str, Any]:
    changed = dict(doc)
    text = changed.pop("body_text")
    changed["body_html"] = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return changed


LOADGEN = [json.loads(loadgen.article(f"fp-{i}", version=i % 3 + 1, size=3000)) for i in range(5)]
VARIANTS = [
    {"body_text": "Plain.\r\n\r\nWith\xa0NBSP and  spaces.\n\n\n"},
    {"body_text": unicodedata.normalize("NFD", "Café première\n\nÉté")},
    {"body_text": "a\x01b\n\x0e\nc\ufeff"},
    {"body_html": "<p>x</p><script>steal()</script><p onclick=y>caf\u0065\u0301 <b>bold</b><br>next</p>"},
    {"body_html": "Loose <i>text</i>\r\n<div>and <p>blocks</p></div>&nbsp;<li>a<ul></ul>b</li>"},
    {"body_html": "<p>a &amp; b &lt;c&gt;</p>", "body_text": "ignored"},
]


@pytest.mark.parametrize(
    "doc",
    [*LOADGEN, *(with_html_body(d) for d in LOADGEN), *({**LOADGEN[0], **v} for v in VARIANTS)],
)
def test_whole_documents_match_reference(doc: dict[str, Any]) -> None:
    result = parse_article(json.dumps(doc).encode(), tz=TZ, fmt="native")
    if doc.get("body_html") is not None:
        expected_html = Reference.sanitize_html(unicodedata.normalize("NFC", doc["body_html"]))
    else:
        expected_html = Reference.text_to_html(unicodedata.normalize("NFC", doc["body_text"]))
    assert result.body_html == expected_html
    assert result.body_text == Reference.html_to_text(expected_html)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"body_text": " \x01\ufeff\n\n\xa0"}, "body_text"),
        ({"body_html": "<script>x</script><p>\x01</p>", "body_text": None}, "body_html"),
        ({"body_html": "\x0b", "body_text": None}, "body_html"),
    ],
)
def test_bodies_without_text_are_still_refused(changes: dict[str, Any], field: str) -> None:
    doc = {**LOADGEN[0], **changes}
    with pytest.raises(InputError) as caught:
        parse_article(json.dumps(doc).encode(), tz=TZ, fmt="native")
    assert [p.field for p in caught.value.problems] == [field]


@MANY
@given(
    headline=st.text(),
    standfirst=st.none() | st.text(),
    authors=st.lists(st.text(), max_size=4),
    body_text=st.text(),  # st.text() holds no lone surrogates; normalising refuses those anyway
    url=st.none() | st.text(),
)
def test_canonical_json_is_byte_identical_to_the_stdlib_form(
    headline: str, standfirst: str | None, authors: list[str], body_text: str, url: str | None
) -> None:
    material = {"headline": headline, "standfirst": standfirst, "authors": authors, "body_text": body_text}
    material |= {"url": url, "withdrawn": bool(authors)}
    expected = json.dumps(material, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert _canonical(material) == expected
