"""IPTC ninjs 3.x (plus the common 1.x spellings) mapped onto the native contract.

Keys are matched case-insensitively (``versionCreated`` and ``versioncreated`` alike).
Mapping: uri → article_id (kept when it is already a valid id, else a readable slug of
it plus a hash), version → source_version (versionCreated when no version is given),
headlines[main|0].value or headline → headline, people with rel/role "author" or else
``by``/``byline`` → authors, bodies (text/html, xhtml, text/plain) → body_html/body_text,
descriptions → standfirst, firstCreated (else contentCreated, else versionCreated) →
first_published_at, versionCreated → updated_at when a first date was given separately,
pubStatus canceled/withdrawn → change_kind "withdrawal", language, copyrightHolder or
provider name → source ("ninjs" when absent).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any, Final

from pydantic import ValidationError

from newsroom_ingest.contracts import ArticleIn, is_valid_article_id
from newsroom_ingest.errors import Problems, from_validation_error, quote
from newsroom_ingest.importers.native import load_json_object
from newsroom_ingest.importers.text import split_authors
from newsroom_ingest.sanitize import bad_character, collapse

SOURCE: Final = "ninjs"
_NINJS_KEYS: Final = frozenset(
    {"uri", "headlines", "bodies", "descriptions", "versioncreated", "firstcreated"}
    | {"contentcreated", "pubstatus", "copyrightholder", "copyrightnotice", "representationtype"}
    | {"profile", "slugline", "byline", "located", "renditions", "associations", "altids"}
    | {"embargoeduntil"}
)
_NATIVE_ONLY: Final = frozenset(
    {"first_published_at", "article_id", "change_kind", "updated_at", "source_version"}
    | {"standfirst", "authors"}
)
_MAIN_ROLES: Final = ("main", "richtext", "body", "text", "headline", "")
_SUMMARY_ROLES: Final = ("summary", "abstract", "standfirst", "lead", "description", "main", "")
_WITHDRAWN: Final = frozenset({"canceled", "cancelled", "withdrawn"})
_PUB_STATUSES: Final = _WITHDRAWN | {"usable", "withheld"}
_NOT_ID_CHARS: Final = re.compile(r"[^A-Za-z0-9._:-]+")
_ORDERED_VERSION: Final = re.compile(r"\s*[+-]?\d+\s*")  # an integer: other strings give no order


def _declares_ninjs(obj: dict[str, Any]) -> bool:
    schema = obj.get("$schema")
    standard = obj.get("standard")
    if isinstance(schema, str) and "ninjs" in schema.lower():
        return True
    return isinstance(standard, dict) and str(standard.get("name", "")).lower() == "ninjs"


def looks_like_ninjs(obj: object) -> bool:
    """A `$schema`/`standard` ninjs marker, a `uri` key, or ninjs-only keys without native ones."""
    if not isinstance(obj, dict):
        return False
    keys = {str(key).lower() for key in obj}
    if _declares_ninjs(obj) or "uri" in keys:
        return True
    return bool(keys & _NINJS_KEYS) and not keys & _NATIVE_ONLY


def uri_to_id(uri: str) -> str:
    """The uri itself when it fits the id pattern, else a slug of its tail plus 16 hex of its hash.

    Total over any str: a lone surrogate (legal as a JSON escape) is hashed as its code point, so
    deriving an id never raises; such a uri is refused by `_article_id` before it gets here.
    """
    if is_valid_article_id(uri):
        return uri
    digest = hashlib.sha256(uri.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    slug = _NOT_ID_CHARS.sub("-", re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", uri))[-100:]
    slug = re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", slug)
    return f"{slug}-{digest}" if slug else f"ninjs-{digest}"


class _Reader:
    """Typed, case-insensitive access to a ninjs object that records wrong types as problems."""

    def __init__(self, obj: dict[str, Any]) -> None:
        self.problems = Problems()
        self.fields = self.folded("", obj)
        self.origins: dict[str, str] = {}  # native field -> the ninjs key or path its value came from

    def spelling(self, key: str) -> str:
        """The key as the sender spelt it (``versionCreated`` for ``versioncreated``)."""
        return self.fields.get(key, (key, None))[0]

    def first_string(self, field: str, *keys: str) -> str | None:
        """The first of `keys` with a value, remembered as where `field` came from."""
        for key in keys:
            if (value := self.string(key)) is not None:
                self.origins[field] = self.spelling(key)
                return value
        return None

    def folded(self, path: str, obj: dict[str, Any]) -> dict[str, tuple[str, Any]]:
        """Keys lower-cased, each with the spelling sent; two spellings of one key are refused,
        since keeping either would silently drop the other. The refusal quotes the keys, as sent
        keys may hold anything JSON can escape (a lone surrogate cannot even be encoded)."""
        out: dict[str, tuple[str, Any]] = {}
        for key, value in obj.items():
            name = str(key)
            if (seen := out.get(name.lower())) is not None:
                where = f"{path}.{quote(name)}" if path else quote(name)
                reason = f"repeats '{quote(seen[0])}': keys are read regardless of letter case"
                self.problems.add(where, reason)
            out[name.lower()] = (name, value)
        return out

    def string(self, key: str) -> str | None:
        name, value = self.fields.get(key, (key, None))
        return self._as_string(name, value)

    def _as_string(self, path: str, value: object) -> str | None:
        if value is None or isinstance(value, str):
            return value
        self.problems.add(path, "must be a string")
        return None

    def objects(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        """(path, lower-cased object) for each entry of a list of objects."""
        name, value = self.fields.get(key, (key, None))
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add(name, "must be a list")
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                folded = self.folded(f"{name}.{index}", item)
                found.append((f"{name}.{index}", {k: v for k, (_, v) in folded.items()}))
            else:
                self.problems.add(f"{name}.{index}", "must be an object")
        return found

    def item(self, path: str, item: dict[str, Any], key: str) -> str | None:
        return self._as_string(f"{path}.{key}", item.get(key))

    def pick(self, field: str, key: str, roles: tuple[str, ...]) -> str | None:
        """The value of the entry whose role ranks first in `roles` (else the first entry)."""
        ranked = sorted(
            (_rank(self.item(path, entry, "role") or "", roles), index, value, path)
            for index, (path, entry) in enumerate(self.objects(key))
            if (value := self.item(path, entry, "value")) is not None
        )
        if not ranked:
            return None
        self.origins[field] = f"{ranked[0][3]}.value"
        return ranked[0][2]


def _rank(role: str, roles: tuple[str, ...]) -> int:
    role = role.lower()
    return roles.index(role) if role in roles else len(roles)


def _body_kind(content_type: str | None, value: str) -> str | None:
    kind = (content_type or "").lower()
    if "html" in kind:
        return "html"
    if not kind:
        return "html" if re.search(r"<[A-Za-z/!]", value) else "text"
    return "text" if kind.startswith("text/") else None


def _bodies(r: _Reader) -> tuple[str | None, str | None]:
    found: dict[str, list[tuple[int, str, str]]] = {"html": [], "text": []}
    for path, item in r.objects("bodies"):
        value = r.item(path, item, "value")
        kind = None if value is None else _body_kind(r.item(path, item, "contenttype"), value)
        if value is not None and kind is not None:
            found[kind].append((_rank(r.item(path, item, "role") or "", _MAIN_ROLES), f"{path}.value", value))
    html = text = None
    if found["html"]:
        _, r.origins["body_html"], html = min(found["html"])
    if found["text"]:
        _, r.origins["body_text"], text = min(found["text"])
    html = html or r.first_string("body_html", "body_html", "body_xhtml")
    text = text or r.first_string("body_text", "body_text")
    if html is None and text is None:
        r.problems.add("bodies", "needs a body with contentType text/html or text/plain")
    return html, text


def _authors(r: _Reader) -> list[str]:
    names: list[str] = []
    for path, person in r.objects("people"):
        relation = r.item(path, person, "rel") or r.item(path, person, "role") or ""
        name = r.item(path, person, "name")
        if name and re.split(r"[/:#]", relation.lower())[-1] == "author":
            r.origins[f"authors.{len(names)}"] = f"{path}.name"  # not every person is an author
            names.append(name)
    if names:
        r.origins["authors"] = "people"
        return names
    by = r.first_string("authors", "by", "byline")
    return split_authors(by) if by else []


def _times(r: _Reader) -> tuple[str | None, str | None]:
    first = r.first_string("first_published_at", "firstcreated", "contentcreated")
    version = r.string("versioncreated")
    if first is None and version is None:
        r.problems.add("versionCreated", "a date is required (firstCreated or versionCreated)")
    if first is None:
        r.origins["first_published_at"] = r.spelling("versioncreated")
        return version, None
    r.origins["updated_at"] = r.spelling("versioncreated")
    return first, version


def _version(r: _Reader) -> int | str | None:
    name, value = r.fields.get("version", ("version", None))
    if isinstance(value, bool) or not isinstance(value, int | str | None):
        r.problems.add(name, "must be a string or an integer")
        return None
    if isinstance(value, str) and not _ORDERED_VERSION.fullmatch(value):
        # ninjs lets a version be any string ("1.1", "v2"): accepted, but it says nothing about
        # order; the document is ordered by its versionCreated alone (importers._with_version_time)
        return None
    if value is not None:
        r.origins["source_version"] = name
        return value
    return r.first_string("source_version", "versioncreated")


def _source(r: _Reader) -> str:
    provider = r.fields.get("provider", ("provider", None))[1]
    if isinstance(provider, dict):
        provider = provider.get("name")
    holder = r.string("copyrightholder") or (provider if isinstance(provider, str) else None)
    return collapse(holder or "") or SOURCE


def _article_id(r: _Reader, named: bool) -> str | None:
    uri = r.first_string("article_id", "uri")
    if not uri or not uri.strip():
        if not named:  # a caller that names the article (`?article_id=`, `submit --id`) needs none
            r.problems.add(
                "uri", "required (the ninjs identifier), unless the article is named by article_id"
            )
        return None
    if reason := bad_character(uri):
        r.problems.add("uri", reason)
        return None
    return uri_to_id(uri.strip())


def _pub_status(r: _Reader) -> str:
    """usable (the default), withheld or canceled, in any letter case; anything else is refused,
    since a status misspelt ("witheld") may be one that must not go live."""
    value = r.string("pubstatus")
    if value is None:
        return "usable"
    status = value.strip().lower()
    if status not in _PUB_STATUSES:
        r.problems.add(
            r.spelling("pubstatus"), f"must be usable, withheld or canceled (got {quote(value)!r})"
        )
    return status


def _refuse_unreleased(r: _Reader, pubstatus: str, now: datetime) -> None:
    """Content its sender says must not be public yet is refused, never published: this pipeline
    publishes what it accepts at once (it holds nothing back for later)."""
    if pubstatus == "withheld":
        r.problems.add(
            r.spelling("pubstatus"),
            "withheld content is not published; send it again as usable, or as canceled to withdraw",
        )
    embargo = r.string("embargoeduntil")
    if embargo is None:
        return
    try:
        until = datetime.fromisoformat(embargo.strip().replace("z", "Z"))
    except ValueError:
        r.problems.add(r.spelling("embargoeduntil"), "must be an ISO-8601 date and time")
        return
    if until.tzinfo is None:
        r.problems.add(r.spelling("embargoeduntil"), "must carry a UTC offset")
    elif until > now:
        r.problems.add(
            r.spelling("embargoeduntil"),
            f"embargoed until {until.isoformat()}; send it again once the embargo has passed",
        )


def read(document: str, now: datetime, *, named: bool = False) -> tuple[ArticleIn, dict[str, str]]:
    """The native article, and for each of its fields the ninjs key or path it was read from, so
    that a refusal found later (normalising) names what the sender wrote; `now` judges embargoes,
    and `named` says the caller gives the article's id, so the document need not."""
    r = _Reader(load_json_object(document))
    first, updated = _times(r)
    body_html, body_text = _bodies(r)
    pubstatus = _pub_status(r)
    fields: dict[str, object] = {
        "article_id": _article_id(r, named),
        "source": _source(r),
        "source_version": _version(r),
        "headline": r.pick("headline", "headlines", _MAIN_ROLES) or r.first_string("headline", "headline"),
        "standfirst": r.pick("standfirst", "descriptions", _SUMMARY_ROLES)
        or r.first_string("standfirst", "description_text", "description_html"),
        "authors": _authors(r),
        "body_html": body_html,
        "body_text": body_text,
        "first_published_at": first,
        "updated_at": updated,
        "change_kind": "withdrawal" if pubstatus in _WITHDRAWN else None,
        "language": r.first_string("language", "language"),
    }
    if pubstatus in _WITHDRAWN:
        r.origins["change_kind"] = r.spelling("pubstatus")
    _refuse_unreleased(r, pubstatus, now)
    if fields["headline"] is None:
        r.problems.add("headlines", "a headline is required (headlines[].value or headline)")
    r.problems.raise_if_any()
    try:
        return ArticleIn.model_validate(fields), r.origins
    except ValidationError as e:
        raise from_validation_error(e).renamed(r.origins) from None
