"""Text and HTML cleaning: allow-list sanitizing, paragraph structure, whitespace and character rules."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

import nh3

ALLOWED_TAGS: Final = frozenset(
    {"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote"}
    | {"h2", "h3", "h4", "figure", "figcaption"}
)
BLOCK_TAGS: Final = frozenset(ALLOWED_TAGS - {"br", "strong", "em", "b", "i", "a"})
# Dropped together with their content: executable, styling or embedded material is never text.
DROP_WITH_CONTENT: Final = frozenset(
    {"script", "style", "noscript", "iframe", "template", "object", "embed", "svg", "math"}
    | {"textarea", "select", "title", "head", "frame", "frameset", "noembed", "noframes"}
)
LINK_REL: Final = "noopener noreferrer nofollow"
MAX_NESTING: Final = 200

_VOID_OR_SELF_CLOSING: Final = frozenset(
    {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "param"}
    | {"source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup"}
    | {"rb", "rt", "rp", "thead", "tbody", "tfoot", "colgroup", "caption"}
)
_TAG: Final = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_CONTROL: Final = re.compile("[\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufeff]")
_SPACE_RUN: Final = re.compile(r"\s+")
_MARKUP_SPACE: Final = re.compile(r"[ \t\n\r\f]+")
_BLANK_LINE: Final = re.compile(r"\n[^\S\n]*\n\s*")


def bad_character(value: str) -> str | None:
    """Why `value` cannot be stored (NUL, lone surrogate), or None when it is fine."""
    for index, char in enumerate(value):
        if char == "\x00":
            return f"contains a NUL character at position {index}"
        if "\ud800" <= char <= "\udfff":
            return f"contains a lone surrogate (U+{ord(char):04X}) at position {index}"
    return None


def nfc(value: str) -> str:
    """Unicode NFC, so composed and decomposed spellings compare and hash the same."""
    return unicodedata.normalize("NFC", value)


def unify_newlines(value: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators become LF."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x85", "\n")


def collapse(value: str) -> str:
    """One line of text: control characters dropped, whitespace runs (NBSP too) to one space."""
    return _SPACE_RUN.sub(" ", _CONTROL.sub("", value)).strip()


def strip_tags(value: str) -> str:
    """Plain text from a field that should hold none: tags (and script content) go, entities resolve."""
    if "<" not in value and "&" not in value:
        return collapse(value)
    cleaned = nh3.clean(value, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    return collapse(nfc(html.unescape(cleaned)))


def text_paragraphs(value: str) -> list[str]:
    """Paragraphs of plain text: split at blank lines, each collapsed to one line."""
    parts = _BLANK_LINE.split(unify_newlines(value))
    return [p for p in (collapse(part) for part in parts) if p]


def text_to_html(value: str) -> str:
    """HTML for a text-only body: each paragraph escaped into its own <p>."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in text_paragraphs(value))


def nesting_estimate(markup: str) -> int:
    """Upper estimate of element nesting, to refuse pathological markup before parsing it."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(markup):
        if name.lower() in _VOID_OR_SELF_CLOSING or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


@dataclass
class _Node:
    tag: str | None
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    text: str = ""


class _TreeBuilder(HTMLParser):
    """Rebuilds the (already well-formed) sanitizer output as a small tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node(tag="#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag=tag, attrs=attrs)
        self.stack[-1].children.append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag=tag, attrs=attrs))

    def handle_endtag(self, tag: str) -> None:
        names = [node.tag for node in self.stack[1:]]
        if tag in names:
            del self.stack[len(names) - names[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(_Node(tag=None, text=data))


def _parse(markup: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _has_text(node: _Node) -> bool:
    if node.tag is None:
        return bool(collapse(node.text))
    return any(_has_text(child) for child in node.children)


def _is_inline(node: _Node) -> bool:
    if node.tag is None:
        return True
    return node.tag not in BLOCK_TAGS and all(_is_inline(child) for child in node.children)


def _render(node: _Node) -> str:
    if node.tag is None:
        return html.escape(_MARKUP_SPACE.sub(" ", node.text), quote=False)
    if node.tag == "br":
        return "<br>"
    if node.tag in BLOCK_TAGS and not _has_text(node):
        return ""
    attrs = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in node.attrs)
    inner = "".join(_render(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner.strip(' ') if node.tag in BLOCK_TAGS else inner}</{node.tag}>"


def _render_root(root: _Node) -> str:
    """Top-level runs of loose inline content are wrapped in <p>, so paragraphs are always <p>."""
    out: list[str] = []
    run: list[_Node] = []

    def flush() -> None:
        if any(_has_text(node) for node in run):
            out.append("<p>" + "".join(_render(node) for node in run).strip(" ") + "</p>")
        run.clear()

    for child in root.children:
        if _is_inline(child):
            run.append(child)
        else:
            flush()
            out.append(_render(child))
    flush()
    return "".join(out)


def sanitize_html(markup: str) -> str:
    """Allow-listed HTML: no scripts/styles (content too), no handlers, only http(s)/mailto links."""
    cleaned = nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return nfc(_render_root(_parse(cleaned)))


_BREAK: Final = "\n"


def _collect(node: _Node, paragraphs: list[str], buffer: list[str]) -> None:
    for child in node.children:
        if child.tag is None:
            buffer.append(_MARKUP_SPACE.sub(" ", child.text))
        elif child.tag == "br":
            buffer.append(_BREAK)
        elif child.tag in BLOCK_TAGS:
            _flush(paragraphs, buffer)
            _collect(child, paragraphs, buffer)
            _flush(paragraphs, buffer)
        else:
            _collect(child, paragraphs, buffer)


def _flush(paragraphs: list[str], buffer: list[str]) -> None:
    lines = (collapse(line) for line in "".join(buffer).split(_BREAK))
    text = "\n".join(line for line in lines if line)
    if text:
        paragraphs.append(text)
    buffer.clear()


def html_to_text(markup: str) -> str:
    """Plain text of sanitized HTML: blocks become paragraphs split by a blank line, <br> a newline."""
    paragraphs: list[str] = []
    buffer: list[str] = []
    _collect(_parse(markup), paragraphs, buffer)
    _flush(paragraphs, buffer)
    return nfc("\n\n".join(paragraphs))
