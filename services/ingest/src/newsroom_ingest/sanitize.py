"""Text and HTML cleaning: allow-list sanitizing, paragraph structure, whitespace and character rules."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from typing import Final

import nh3

ALLOWED_TAGS: Final = frozenset(
    {"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote"}
    | {"h2", "h3", "h4", "figure", "figcaption"}
)
BLOCK_TAGS: Final = frozenset(ALLOWED_TAGS - {"br", "strong", "em", "b", "i", "a"})
# Block elements outside the allow-list. Unwrapped as inline elements are, "<div>Berlin</div>
# <div>Paris</div>" would read "BerlinParis"; so nh3 keeps them (without attributes) and
# _restructure() replaces each with what the allow-list can say before anything is rendered:
# a paragraph boundary (_BOUNDARY_TAGS; hr too), a cell of a table row (_CELL_TAGS), or an
# allowed element of the same kind (_RENAMED: headings to the nearest allowed level, old list
# elements to <ul>). None of them is ever written out. Elements whose content the tokenizer
# reads as raw text (xmp, plaintext, ...) are not among them: nh3 writes such content unescaped.
_BOUNDARY_TAGS: Final = frozenset(
    {"address", "article", "aside", "caption", "center", "dd", "details", "dialog", "div", "dl"}
    | {"dt", "fieldset", "footer", "form", "header", "hgroup", "hr", "legend", "listing", "main"}
    | {"nav", "pre", "search", "section", "summary", "table", "tbody", "tfoot", "thead", "tr"}
)
_CELL_TAGS: Final = frozenset({"td", "th"})
_RENAMED: Final = {"h1": "h2", "h5": "h4", "h6": "h4", "menu": "ul", "dir": "ul"}
_KEPT_TAGS: Final = ALLOWED_TAGS | _BOUNDARY_TAGS | _CELL_TAGS | _RENAMED.keys()
_VOID_TAGS: Final = frozenset({"br", "hr"})
# Between the text of two cells of a table row (see _join_cells()).
CELL_SEPARATOR: Final = " | "
# Dropped together with their content: executable, styling or embedded material is never text.
DROP_WITH_CONTENT: Final = frozenset(
    {"script", "style", "noscript", "iframe", "template", "object", "embed", "svg", "math"}
    | {"textarea", "select", "title", "head", "frame", "frameset", "noembed", "noframes"}
)
_CODE: Final = frozenset({"script", "style"})
LINK_REL: Final = "noopener noreferrer nofollow"
MAX_NESTING: Final = 200

# nesting_estimate()'s view of the HTML tree builder (https://html.spec.whatwg.org/#tree-construction).
# Elements that never stay open: void ones, and those a sibling start tag closes (a new <p> or
# <li> ends the open one). Ruby text (rb, rt, rp) and optgroup are not among them: outside <ruby>
# and <select> they nest like any other element.
_VOID_OR_SELF_CLOSING: Final = frozenset(
    {"br", "img", "image", "hr", "input", "meta", "link", "area", "base", "col", "embed", "param"}
    | {"source", "track", "wbr", "keygen", "basefont", "bgsound", "frame"}
    | {"p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "colgroup"}
    | {"caption"}
)
# An end tag of one of these closes what is open above its element unless one of _SCOPE is in
# between; any other end tag closes only up to its element, and not across one of these.
_SPECIAL: Final = frozenset(
    {"address", "applet", "article", "aside", "blockquote", "body", "button", "center", "details"}
    | {"dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "html", "iframe", "listing"}
    | {"main", "marquee", "menu", "nav", "noembed", "noframes", "noscript", "object", "ol", "plaintext"}
    | {"pre", "script", "search", "section", "select", "style", "summary", "table", "template"}
    | {"textarea", "title", "ul", "xmp", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"}
    | {"foreignobject", "desc"}
)
_SCOPE: Final = frozenset(
    {"applet", "html", "table", "marquee", "object", "template", "mi", "mo", "mn", "ms", "mtext"}
    | {"annotation-xml", "foreignobject", "desc", "title"}
)
# Inside <svg> or <math> a "/>" closes the element at once, except below an integration point
# (where tags are HTML again) and for the HTML tags that end the foreign content.
_FOREIGN_ROOTS: Final = frozenset({"svg", "math"})
_INTEGRATION_POINTS: Final = frozenset(
    {"foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"}
)
_BREAKOUT: Final = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em"}
    | {"embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing"}
    | {"menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike"}
    | {"sub", "sup", "table", "tt", "u", "ul", "var"}
)
# An end tag looks this far down the open elements for its own; one further down is not closed
# (an over-estimate, never an under-estimate), which bounds the work on hostile markup.
_END_TAG_REACH: Final = 64
# A tag as the HTML tokenizer reads it: the name runs to whitespace, "/" or ">"; quoted attribute
# values may hold ">"; a "/" right before the ">" (not inside a value) makes it self-closing.
_TAG_AT: Final = re.compile(
    r"<(/?)([A-Za-z][^\t\n\f\r />]*+)"
    r"(?>[\t\n\f\r ]++|/(?!>)|(?:=[^\t\n\f\r />=]*+|[^\t\n\f\r />=]++)"
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]*+))?)*+(/?)>"""
)
# Comments end at the first "-->" or "--!>", or at once for "<!-->" and "<!--->"; other "<!",
# "<?" and "</" not followed by a letter are bogus comments up to the next ">".
_COMMENT_END: Final = re.compile(r"-?>|.*?--!?>", re.DOTALL)
# Elements whose content the tokenizer reads as text, up to their own end tag.
_RAW_TEXT: Final = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "noscript"}
    | {"plaintext"}
)
# The end of raw text: its own end tag, names compared in ASCII case only, as the tokenizer does.
_RAW_TEXT_END: Final = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE | re.ASCII) for name in _RAW_TEXT
}
_FONT_BREAKOUT: Final = re.compile(r"[\t\n\f\r /](?:color|face|size)[\t\n\f\r /=>]", re.IGNORECASE)
_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_CONTROL: Final = re.compile("[\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")
_MARKUP_SPACE: Final = re.compile(r"[ \t\n\r\f]+")
_BLANK_LINE: Final = re.compile(r"\n[^\S\n]*\n\s*")
_BAD_CHARACTER: Final = re.compile("[\x00\ud800-\udfff]")
# A character that survives collapse(): neither whitespace nor a dropped control character.
_VISIBLE: Final = re.compile("[^\\s\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")
# A character a reader sees: not whitespace, a control, or one of the characters that render as
# nothing (soft hyphen, zero-width and joiner characters, direction marks, variation selectors,
# fillers, the blank braille pattern)
_SEEN: Final = re.compile(
    "[^\\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufffe\uffff]"
)
# Every ASCII character that is not printable, except the line feed.
_ASCII_CONTROL_BUT_LF: Final = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])


def bad_character(value: str) -> str | None:
    """Why `value` cannot be stored (NUL, lone surrogate), or None when it is fine."""
    if "\x00" not in value:
        if value.isascii():
            return None
        try:  # strict UTF-8 refuses exactly the surrogate code points; C-speed for the common case
            value.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return None
    found = _BAD_CHARACTER.search(value)
    if found is None:  # pragma: no cover - one of the checks above failed, so there is a match
        return None
    index, char = found.start(), found.group()
    if char == "\x00":
        return f"contains a NUL character at position {index}"
    return f"contains a lone surrogate (U+{ord(char):04X}) at position {index}"


def nfc(value: str) -> str:
    """Unicode NFC, so composed and decomposed spellings compare and hash the same."""
    return unicodedata.normalize("NFC", value)


def unify_newlines(value: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators become LF."""
    # Each replace() scans the whole text even when nothing matches; the `in` and isascii()
    # checks are far cheaper, and the other three separators lie outside ASCII.
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isascii():
        return value
    return value.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x85", "\n")


def collapse(value: str) -> str:
    """One line of text: control characters dropped, whitespace runs (NBSP too) to one space."""
    # Same result as `\s+` → " " then strip(): str.split() splits on exactly the characters `\s`
    # matches. A printable string holds no control character and no whitespace but " ", so the
    # common case needs neither the control-character pass nor (without double spaces) the split.
    if value.isprintable():
        return value.strip(" ") if "  " not in value else " ".join(value.split())
    return " ".join(_CONTROL.sub("", value).split())


def has_text(value: str) -> bool:
    """True when collapse(value) would not be empty, without building it."""
    return _VISIBLE.search(value) is not None


def can_be_seen(value: str) -> bool:
    """Whether the text shows anything at all: a headline of zero-width spaces is empty to a reader."""
    return _SEEN.search(value) is not None


def strip_tags(value: str, *, keep_code: bool = False) -> str:
    """Plain text from a field that should hold none: tags (and script content) go, entities resolve.

    Only code loses its content here: in a headline "The <title> element" an unclosed `title`
    would otherwise take the rest of the text with it. A "<" with no ">" after it cannot begin a
    tag, so it is text ("Why x<y matters"), not a tag that swallows the rest of the field."""
    if "<" not in value and "&" not in value:
        return collapse(value)
    last_close = value.rfind(">")
    if value.find("<", last_close + 1) >= 0:
        value = value[: last_close + 1] + value[last_close + 1 :].replace("<", "&lt;")
    cleaned = nh3.clean(value, tags=set(), clean_content_tags=set() if keep_code else set(_CODE))
    return collapse(nfc(html.unescape(cleaned)))


_CODE_TAG: Final = re.compile(r"<(script|style)(?![A-Za-z0-9-])", re.IGNORECASE | re.ASCII)


def code_hiding_text(value: str) -> str | None:
    """A code element (script, style) never closed, which would take the text after it with it:
    in a plain-text field "Why <script> tags matter" is prose, refused rather than cut to "Why".
    A closed one ("<script>x()</script>") is code, dropped with its content."""
    for found in _CODE_TAG.finditer(value):
        name = found[1].lower()
        # only a real end tag closes it ("</scripts>" is text to the tokenizer), and HTML folds
        # ASCII letters only ("</ſcript>" is text too)
        end_tag = rf"</{name}[\t\n\f\r />]"
        if re.search(end_tag, value[found.end() :], re.IGNORECASE | re.ASCII) is None:
            return name if strip_tags(value, keep_code=True) != strip_tags(value) else None
    return None


def text_paragraphs(value: str) -> list[str]:
    """Paragraphs of plain text: split at blank lines, each collapsed to one line."""
    value = unify_newlines(value)
    parts = _BLANK_LINE.split(value)
    if _plain_ascii_lines(value):  # one check for the whole text instead of one per paragraph
        return [p for p in (_collapse_plain(part) for part in parts) if p]
    return [p for p in (collapse(part) for part in parts) if p]


def _plain_ascii_lines(value: str) -> bool:
    """ASCII text with no unprintable character but LF needs none of collapse()'s control handling;
    one translate() over the whole text costs less than an isprintable() scan of each paragraph."""
    if not value.isascii():
        return False
    return len(value.encode("ascii").translate(None, _ASCII_CONTROL_BUT_LF)) == len(value)


def _collapse_plain(value: str) -> str:
    """collapse() for text that _plain_ascii_lines() accepts: nothing to drop, only " " and LF to join."""
    if "\n" in value or "  " in value:
        return " ".join(value.split())
    return value.strip(" ")


def text_to_html(value: str) -> str:
    """HTML for a text-only body: each paragraph escaped into its own <p>."""
    return _paragraphs_html(text_paragraphs(value))


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "".join([f"<p>{_escape_text(p)}</p>" for p in paragraphs])


# NFC composes "<", "=" and ">" (and no other ASCII character but letters) with a following U+0338
# COMBINING LONG SOLIDUS OVERLAY into "≮", "≠" and "≯". Normalising serialized markup as a whole
# could so swallow the ">" that closes a tag and turn the text after it into attributes. Markup is
# therefore never normalised as a whole: each text run and attribute value is normalised on its
# own before it is escaped, and U+0338 is written as a character reference, so that no markup
# character is ever followed by one and normalising the output again (anything downstream may)
# changes nothing.
_OVERLAY: Final = "\u0338"
_OVERLAY_REFERENCE: Final = "&#x338;"


def _escape_text(text: str) -> str:
    """html.escape(nfc(text), quote=False) with U+0338 as a character reference.

    Most text is ASCII (nothing to normalise) and holds none of "&<>", and looking is cheaper than
    the passes that would find nothing."""
    if not text.isascii():
        text = nfc(text)
        if _OVERLAY in text:
            return html.escape(text, quote=False).replace(_OVERLAY, _OVERLAY_REFERENCE)
    if "&" in text or "<" in text or ">" in text:
        return html.escape(text, quote=False)
    return text


def _escape_value(value: str) -> str:
    """An attribute value for a double-quoted attribute: _escape_text() with quotes escaped too."""
    if not value.isascii():
        value = nfc(value)
    return html.escape(value, quote=True).replace(_OVERLAY, _OVERLAY_REFERENCE)


_START_TAG: Final = re.compile(r"<[A-Za-z]")


def start_tags(markup: str) -> int:
    """At least as many as the start tags a parser reads (each begins "<" and a letter): no parser
    nests deeper than about that, and its work grows with the square of the depth."""
    return len(_START_TAG.findall(markup)) if "<" in markup else 0


def nesting_estimate(markup: str, limit: int | None = None) -> int:
    """Estimate of element nesting, to refuse pathological markup before parsing it.

    Reads tags, comments and raw text the way an HTML tokenizer does and follows the tree
    builder's stack of open elements: "/>" closes only void and foreign elements, an end tag closes
    only an element of its name that the parser would close, and a stray one (or one inside a
    comment or raw text) closes nothing. Stops once the depth passes `limit`. It is not the whole
    tree builder (elements a sibling closes, namespaces of integration points), so in rare shapes
    it counts less than a parser builds: `start_tags` bounds the parser's work regardless."""
    stack = _OpenElements()
    position, end = markup.find("<"), len(markup)
    while 0 <= position < end:
        tag = _TAG_AT.match(markup, position)
        if tag is None:
            position = _skip_non_tag(markup, position, stack)
        elif tag.group(1):
            stack.close(tag.group(2).translate(_ASCII_LOWER))
            position = tag.end()
        else:
            name = tag.group(2).translate(_ASCII_LOWER)
            opened = stack.open(name, tag.group(), self_closing=bool(tag.group(3)))
            position = tag.end()
            if limit is not None and stack.deepest > limit:
                break
            if opened and not stack.foreign[-1] and name in _RAW_TEXT:
                if name == "plaintext":  # the rest of the markup is text
                    break
                position = _raw_text_end(markup, position, name)
        position = markup.find("<", position) if position >= 0 else -1
    return stack.deepest


def _skip_non_tag(markup: str, position: int, stack: _OpenElements) -> int:
    """Past a comment, a bogus comment or CDATA at `position`, or past a "<" that is just text;
    -1 when the markup ends inside one."""
    if markup.startswith("<!--", position):
        found = _COMMENT_END.match(markup, position + 4)
        return -1 if found is None else found.end()
    if markup.startswith("<![CDATA[", position) and stack.in_foreign():
        found_at = markup.find("]]>", position + 9)
        return -1 if found_at < 0 else found_at + 3
    if markup.startswith(("<!", "<?", "</"), position):
        found_at = markup.find(">", position + 2)
        if found_at < 0:
            return -1
        return found_at + 1
    if markup[position + 1 : position + 2].isalpha() and markup[position + 1].isascii():
        return -1  # a tag that never ends: the rest of the markup is inside it
    return position + 1


def _raw_text_end(markup: str, position: int, name: str) -> int:
    """Where raw text (the content of <script>, <style>, ...) that starts at `position` ends: at
    its own end tag (left for the caller to read), or -1 when the markup ends first."""
    found = _RAW_TEXT_END[name].search(markup, position)
    # in an old-style script ("<!--" then "<script") the tokenizer may read past this end tag;
    # ending here then counts what follows as tags, which can only count more
    return -1 if found is None else found.start()


class _OpenElements:
    """nesting_estimate()'s stack of open elements: names, innermost last, and their namespaces."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.foreign: list[bool] = []  # SVG or MathML rather than HTML
        self.deepest = 0

    def in_foreign(self) -> bool:
        """Whether a start tag here would be an SVG or MathML element."""
        return bool(self.foreign) and self.foreign[-1] and self.names[-1] not in _INTEGRATION_POINTS

    def open(self, name: str, tag: str, *, self_closing: bool) -> bool:
        """A start tag; True when it leaves an element open."""
        if self.in_foreign():
            if name not in _BREAKOUT and not (name == "font" and _FONT_BREAKOUT.search(tag)):
                return not self_closing and self._push(name, foreign=True)
            while self.in_foreign():  # an HTML tag ends the foreign content
                self.names.pop()
                self.foreign.pop()
        if name in _FOREIGN_ROOTS:
            return not self_closing and self._push(name, foreign=True)
        return name not in _VOID_OR_SELF_CLOSING and self._push(name, foreign=False)

    def _push(self, name: str, *, foreign: bool) -> bool:
        self.names.append(name)
        self.foreign.append(foreign)
        self.deepest = max(self.deepest, len(self.names))
        return True

    def close(self, name: str) -> None:
        """An end tag: the open elements down to its own, if the tree builder would close them."""
        names = self.names
        blockers = _SCOPE if name in _SPECIAL else _SPECIAL
        for index in range(len(names) - 1, max(len(names) - 1 - _END_TAG_REACH, -1), -1):
            found = names[index]
            if found == name:
                del names[index:], self.foreign[index:]
                return
            if found in blockers:
                return


class _Node:
    """An element (`tag` set) or a text node (`tag` None); `visible` when some text below has text."""

    __slots__ = ("attrs", "children", "tag", "text", "visible")

    def __init__(
        self, tag: str | None, attrs: list[tuple[str, str | None]] | None = None, text: str = ""
    ) -> None:
        self.tag = tag
        self.attrs: list[tuple[str, str | None]] = attrs if attrs is not None else []
        self.children: list[_Node] = []
        self.text = text
        self.visible = False


class _Tree:
    """Builds the tree from parser events; nodes are never closed implicitly, stray end tags ignored."""

    def __init__(self) -> None:
        self.root = _Node(tag="#root")
        self.stack = [self.root]
        self.unlisted = False  # an element outside the allow-list was read: see _restructure()

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag in ALLOWED_TAGS:
            if tag != "br":
                self.stack.append(node)
        else:
            self.unlisted = True
            if tag not in _VOID_TAGS:
                self.stack.append(node)

    def start_end(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, attrs))

    def end(self, tag: str) -> None:
        stack = self.stack
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].tag == tag:
                del stack[index:]
                return

    def data(self, text: str) -> None:
        node = _Node(None, text=text)
        self.stack[-1].children.append(node)
        if has_text(text):
            node.visible = True
            for ancestor in reversed(self.stack):  # an element is visible once any text below it is
                if ancestor.visible:
                    break
                ancestor.visible = True


class _TreeBuilder(HTMLParser):
    """Rebuilds the (already well-formed) sanitizer output as a small tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tree = _Tree()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tree.start(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tree.start_end(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tree.end(tag)

    def handle_data(self, data: str) -> None:
        self.tree.data(data)


def _parse_tree(markup: str) -> _Tree:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.tree


# nh3 serializes its output in one regular shape: lower-case tags (allow-listed or kept, see
# _KEPT_TAGS), attributes as ` name="value"`, and text with "<" always escaped. For markup made
# only of such tokens, html.parser reports exactly these tags, attributes and text runs (values
# and text unescaped), so _parse_sanitized() reads them with str.find instead of running
# html.parser. Anything else (comments, "<br/>", other quoting, ">" inside a value, other tags)
# is left to html.parser.
_SANITIZED_TAG: Final = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z]+="[^"<>]*")*)>')
_SANITIZED_ATTR: Final = re.compile(r' ([a-z]+)="([^"<>]*)"')


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _parse_sanitized(markup: str) -> _Node:
    """_parse_tree() for markup in nh3's output shape, without html.parser when every token fits it."""
    return _parse_sanitized_tree(markup).root


def _parse_sanitized_tree(markup: str) -> _Tree:
    tree = _Tree()
    find = markup.find
    position, end = 0, len(markup)
    while position < end:
        less = find("<", position)
        if less != position:  # a text run, up to the next "<"
            stop = end if less < 0 else less
            tree.data(_unescape(markup[position:stop]))
            position = stop
            continue
        greater = find(">", position)
        name = markup[position + 1 : greater] if greater > 0 else ""
        if name in _KEPT_TAGS:
            tree.start(name, [])
        elif name[:1] == "/" and name[1:] in _KEPT_TAGS:
            tree.end(name[1:])
        else:
            token = _SANITIZED_TAG.fullmatch(markup, position, greater + 1) if greater > 0 else None
            if token is None or token[1] or token[2] not in _KEPT_TAGS:
                return _parse_tree(markup)  # not the regular shape: let html.parser read all of it
            found = _SANITIZED_ATTR.findall(token[3])
            tree.start(token[2], [(key, _unescape(value)) for key, value in found])
        position = greater + 1
    return tree


def _has_text(node: _Node) -> bool:
    return node.visible if node.tag is not None else has_text(node.text)


def _is_inline(node: _Node) -> bool:
    """Rendered as inline content: a block without text inside does not count, since it is dropped
    (so the output, sanitized again, wraps the same runs in <p> and comes out the same)."""
    if node.tag is None:
        return True
    if node.tag in BLOCK_TAGS:
        return False
    return all(_is_inline(child) or not child.visible for child in node.children)


# Markers _flatten() leaves where an unlisted element began or ended, for _resolve() to turn into
# structure: a paragraph boundary, and the edge of a table cell.
_BOUNDARY: Final = _Node("#boundary")
_CELL: Final = _Node("#cell")
# Containers whose content _resolve() splits into paragraphs at boundaries: these hold blocks as
# well as text (lists take list items instead); in any other element a boundary is a line break.
_FLOW_CONTAINERS: Final = frozenset({"#root", "blockquote", "li", "figure"})
_LISTS: Final = frozenset({"ul", "ol"})


def _restructure(root: _Node) -> None:
    """Replaces every element outside the allow-list that nh3 kept (see _BOUNDARY_TAGS) with
    allowed structure, so that a block boundary is never lost and text never runs together:

    - at the top level, and in a <blockquote>, <li> or <figure> where it separates two runs of
      text, a boundary ends a paragraph: each run becomes a <p> ("<div>a</div><div>b</div>"
      becomes "<p>a</p><p>b</p>"); in a <ul> or <ol> each run becomes an <li>;
    - in any other element (a heading, a paragraph, a link, bold text) a boundary between two runs
      of text is a <br>, and one at the edge of an inline element counts for its parent;
    - a table row is a paragraph of its cells, written between them as CELL_SEPARATOR. Not a
      plain space: a row is a record, and "Social Democrats 12,000 Greens 9,500" hides where one
      cell ends, while "Social Democrats | 12,000 | Greens | 9,500" does not; nor do entity
      extraction and word counts (the "|" holds no letter or digit) run one cell into the next;
    - h1 becomes h2 and h5, h6 h4 (the nearest allowed level), menu and dir ul.

    Inline elements outside the allow-list (span, font, ...) never get here: nh3 unwraps them, so
    "Ber<span>lin</span>" stays one word. What is written holds only allowed elements, so
    sanitizing it again reads no unlisted element and gives the same markup and text."""
    root.children = _resolve(root.tag or "", _flatten(root.children))[0]


def _flatten(children: list[_Node]) -> list[_Node]:
    """The children with unlisted elements replaced by their content between markers; allowed
    elements are restructured on their own, inline ones passing a boundary at an edge up."""
    items: list[_Node] = []
    for child in children:
        tag = child.tag
        if tag is None or tag in _VOID_TAGS:
            items.append(_BOUNDARY if tag == "hr" else child)
        elif tag in _BOUNDARY_TAGS or tag in _CELL_TAGS:
            marker = _BOUNDARY if tag in _BOUNDARY_TAGS else _CELL
            items.append(marker)
            items.extend(_flatten(child.children))
            items.append(marker)
        else:
            child.tag = tag = _RENAMED.get(tag, tag)
            child.children, leading, trailing = _resolve(tag, _flatten(child.children))
            if leading and tag not in BLOCK_TAGS:
                items.append(_BOUNDARY)
            items.append(child)
            if trailing and tag not in BLOCK_TAGS:
                items.append(_BOUNDARY)
    return items


def _resolve(tag: str, items: list[_Node]) -> tuple[list[_Node], bool, bool]:
    """The content of a `tag` element from _flatten()'s items, markers turned into structure; and
    whether a boundary came before its first text and after its last."""
    if not any(item is _BOUNDARY or item is _CELL for item in items):
        return items, False, False
    if tag == "li":
        # An <li> directly in an <li> (an unlisted element between them gone) would close it when
        # the markup is read again; its content stays in the outer one, as paragraphs.
        items = [i for item in items for i in _expand_list_item(item)]
    segments, leading, trailing = _segments(items)
    with_text = [isinstance(segment, list) and _join_cells(segment) for segment in segments]
    wrapper = "li" if tag in _LISTS else "p"
    wrap = tag in _LISTS or tag == "#root" or (tag in _FLOW_CONTAINERS and sum(with_text) > 1)
    out: list[_Node] = []
    after_text = False  # the last thing written is a run of text (a <br> goes before the next)
    for segment, has_text_run in zip(segments, with_text, strict=True):
        if isinstance(segment, _Node):
            out.append(segment)
            after_text = False
        elif has_text_run:  # a run without text (spaces, a lone <br>) is left out
            content = _merge_text(segment)
            if wrap:
                out.append(_element(wrapper, content))
            else:
                if after_text:
                    out.append(_Node("br"))
                out.extend(content)
                after_text = True
    return out, leading, trailing


def _segments(items: list[_Node]) -> tuple[list[_Node | list[_Node]], bool, bool]:
    """Blocks, and runs of inline content between boundaries and blocks; and whether a boundary
    came before the first text and after the last."""
    segments: list[_Node | list[_Node]] = []
    run: list[_Node] | None = None
    leading = trailing = seen = False
    for item in items:
        if item is _BOUNDARY:
            run = None
            leading, trailing = leading or not seen, seen
            continue
        if item is not _CELL and _has_text(item):
            seen, trailing = True, False
        if item is not _CELL and not _is_inline(item):
            segments.append(item)
            run = None
        elif run is None:
            run = [item]
            segments.append(run)
        else:
            run.append(item)
    return segments, leading, trailing


def _expand_list_item(item: _Node) -> list[_Node]:
    return [_BOUNDARY, *item.children, _BOUNDARY] if item.tag == "li" else [item]


def _join_cells(run: list[_Node]) -> bool:
    """Cell markers in `run` become CELL_SEPARATOR between two cells with text, and go elsewhere
    (an empty cell adds no separator); True when the run has text."""
    out: list[_Node] = []
    seen = pending = False
    for item in run:
        if item is _CELL:
            pending = seen
        elif _has_text(item):
            if pending:
                out.append(_Node(None, text=CELL_SEPARATOR))
                out[-1].visible = True
                pending = False
            seen = True
            out.append(item)
        else:
            out.append(item)
    run[:] = out
    return seen


def _merge_text(run: list[_Node]) -> list[_Node]:
    """Adjacent text nodes as one, its whitespace runs as one space (as rendering would write each
    of them), and none at the run's edges: so the markup written reads back as this same tree."""
    out: list[_Node] = []
    for item in run:
        if item.tag is None and out and out[-1].tag is None:
            out[-1] = _Node(None, text=out[-1].text + item.text)
        else:
            out.append(item)
    for index, item in enumerate(out):
        if item.tag is None:
            text = item.text
            if not text.isprintable() or "  " in text:  # else nothing to collapse (_render_text)
                text = _MARKUP_SPACE.sub(" ", text)
            if index == 0:
                text = text.lstrip(" ")
            if index == len(out) - 1:
                text = text.rstrip(" ")
            out[index] = _Node(None, text=text)
            out[index].visible = has_text(text)
    return [item for item in out if item.tag is not None or item.text]


def _element(tag: str, children: list[_Node]) -> _Node:
    node = _Node(tag)
    node.children = children
    node.visible = True
    return node


class _TextSink:
    """The plain text html_to_text() would read back from the markup being rendered.

    _render() reports what it writes (text, <br>, block starts and ends), so the text comes from
    the same walk instead of a second parse of the rendered markup.
    """

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.printable = True  # every buffered piece is printable: no <br> newline, no space but " "

    def flush(self) -> None:
        """End of a block: what is buffered becomes a paragraph, as html_to_text's _flush makes it."""
        if not self.buffer:  # an empty buffer adds no paragraph
            return
        if self.printable:  # collapse() without its isprintable() scan
            joined = "".join(self.buffer)
            text = joined.strip(" ") if "  " not in joined else " ".join(joined.split())
            if text:
                self.paragraphs.append(text)
            self.buffer.clear()
        else:
            _flush(self.paragraphs, self.buffer)
        self.printable = True

    def text(self) -> str:
        self.flush()
        return nfc("\n\n".join(self.paragraphs))


def _render_text(text: str, sink: _TextSink) -> str:
    """The text as written (before escaping), reported to the sink."""
    # Runs of HTML whitespace (space, tab, LF, CR, FF) become one space; printable text holds
    # none but the space, so without a double space it is already in that form.
    if text.isprintable():
        if "  " in text:
            text = _MARKUP_SPACE.sub(" ", text)
    else:
        text = _MARKUP_SPACE.sub(" ", text)
        sink.printable = False
    sink.buffer.append(text)
    return text


def _render_children(children: list[_Node], sink: _TextSink) -> str:
    """Children in order; text that ends up adjacent in the markup (text nodes next to each other,
    or on either side of a block dropped for having no text) is normalised and escaped as one run,
    so the output is NFC as a whole and reads back as the same text."""
    out: list[str] = []
    run: list[str] = []
    for child in children:
        if child.tag is None:
            run.append(_render_text(child.text, sink))
            continue
        rendered = _render(child, sink)
        if rendered:
            if run:
                out.append(_escape_text(run[0] if len(run) == 1 else "".join(run)))
                run.clear()
            out.append(rendered)
    if run:
        out.append(_escape_text(run[0] if len(run) == 1 else "".join(run)))
    return "".join(out)


def _render(node: _Node, sink: _TextSink) -> str:
    """An element; "" for a block without text."""
    tag = node.tag
    if tag is None:  # pragma: no cover - text is rendered by _render_children()
        return _escape_text(_render_text(node.text, sink))
    if tag == "br":
        sink.buffer.append(_BREAK)
        sink.printable = False
        return "<br>"
    block = tag in BLOCK_TAGS
    if block:
        if not node.visible:
            return ""
        sink.flush()
    attrs = "".join([f' {k}="{_escape_value(v or "")}"' for k, v in node.attrs])
    inner = _render_children(node.children, sink)
    if block:
        sink.flush()
        inner = inner.strip(" ")
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _render_root(root: _Node, sink: _TextSink) -> str:
    """Top-level runs of loose inline content are wrapped in <p>, so paragraphs are always <p>."""
    out: list[str] = []
    run: list[_Node] = []

    def flush() -> None:
        if any(_has_text(node) for node in run):
            sink.flush()
            out.append("<p>" + _render_children(run, sink).strip(" ") + "</p>")
            sink.flush()
        run.clear()

    for child in root.children:
        if _is_inline(child):
            run.append(child)
        else:
            flush()
            out.append(_render(child, sink))
    flush()
    return "".join(out)


# Built once: nh3.clean() builds its allow-list anew on every call, which for these sets costs
# about as much as cleaning a 3 KB body.
_CLEANER: Final = nh3.Cleaner(
    tags=set(_KEPT_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={"a": {"href", "title"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)


def _clean(markup: str) -> str:
    return _CLEANER.clean(markup)


def sanitize_html(markup: str) -> str:
    """Allow-listed HTML: no scripts/styles (content too), no handlers, only http(s)/mailto links.

    The result is NFC, text and attribute values each normalised on their own (see _OVERLAY)."""
    return sanitize_html_and_text(markup)[0]


_HEADING_TAG: Final = re.compile(r"<(/?)h[2-4]>")


def _nested_heading(markup: str) -> bool:
    """Whether a heading opens inside another: a parser reading the markup again closes the outer
    one there, so the markup would not read back as the tree it was written from."""
    if markup.count("<h") < 2:
        return False
    depth = 0
    for tag in _HEADING_TAG.finditer(markup):
        if not tag[1] and depth:
            return True
        depth += -1 if tag[1] else 1
    return False


def sanitize_html_and_text(markup: str) -> tuple[str, str]:
    """(sanitize_html(markup), html_to_text() of that), sanitizing and parsing only once, unless
    the result nests a heading in a heading (malformed input): then once more, so the markup
    served reads back as written and, sent in again, keeps its text and link targets."""
    for _ in range(2):
        sink = _TextSink()
        tree = _parse_sanitized_tree(_clean(markup))
        if tree.unlisted:
            _restructure(tree.root)
        rendered = _render_root(tree.root, sink)
        if not _nested_heading(rendered):
            break
        markup = rendered
    return rendered, sink.text()


def text_body(value: str) -> tuple[str, str]:
    """(text_to_html(value), html_to_text() of that), built from the paragraphs without parsing.

    Each paragraph is collapsed, non-empty and free of newlines, and the markup is just those
    paragraphs escaped into <p>, so reading it back yields the paragraphs joined by blank lines.
    """
    paragraphs = text_paragraphs(value)
    return _paragraphs_html(paragraphs), nfc("\n\n".join(paragraphs))


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
    joined = "".join(buffer)
    if _BREAK in joined:
        lines = [collapse(line) for line in joined.split(_BREAK)]
        text = "\n".join([line for line in lines if line])
    else:
        text = collapse(joined)
    if text:
        paragraphs.append(text)
    buffer.clear()


def html_to_text(markup: str) -> str:
    """Plain text of sanitized HTML: blocks become paragraphs split by a blank line, <br> a newline."""
    paragraphs: list[str] = []
    buffer: list[str] = []
    _collect(_parse_sanitized(markup), paragraphs, buffer)
    _flush(paragraphs, buffer)
    return nfc("\n\n".join(paragraphs))
