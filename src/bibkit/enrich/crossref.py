"""Crossref REST API adapter (``api.crossref.org``): DOI lookup and bibliographic search.

Crossref wraps answers in ``{"status": "ok", "message": ...}``; in a work, ``title``
and ``container-title`` are lists, authors are ``{"given", "family"}`` objects and
the date is ``issued["date-parts"]``.

>>> e = to_entry({"DOI": "10.1000/X1", "title": ["A  <i>title</i>"], "container-title": ["Journal of &amp; Things"],
...               "author": [{"given": "Ada", "family": "Lovelace"}], "issued": {"date-parts": [[1843, 9]]}})
>>> e.title, e.container_title, e.author[0].family, e.issued.parts(), e.doi
('A title', 'Journal of & Things', 'Lovelace', [1843, 9], '10.1000/X1')
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from ..model import Date, Entry, Name
from .http import HttpClient, ServiceError, service_url
from .match import clean_doi

NAME = "crossref"
ENV_VAR = "BIBKIT_CROSSREF_URL"
DEFAULT_URL = "https://api.crossref.org"
#: identifiers this service resolves directly
IDENTIFIERS = ("doi",)
_FIELDS = ("DOI,title,author,editor,issued,published-print,published-online,container-title,short-container-title,"
           "page,volume,issue,publisher,type,ISSN,ISBN")
_TAG = re.compile(r"<[^>]{0,200}>")


def base_url(option: str | None = None) -> str:
    return service_url(option, ENV_VAR, DEFAULT_URL)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    value = " ".join(html.unescape(_TAG.sub("", value)).split())
    return value or None


def _date(item: dict[str, Any]) -> Date | None:
    for key in ("issued", "published-print", "published-online", "published"):
        value = item.get(key)
        parts = value.get("date-parts") if isinstance(value, dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] \
                and type(parts[0][0]) is int and 0 < parts[0][0] < 10000:
            first = parts[0]
            year, month, day = [*[p if type(p) is int else None for p in first[:3]], None, None][:3]
            month = month if month is not None and 1 <= month <= 12 else None
            day = day if month is not None and day is not None and 1 <= day <= 31 else None
            return Date(year, month, day)
    return None


def _names(people: Any) -> list[Name]:
    out = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        family, given, name = _text(person.get("family")), _text(person.get("given")), _text(person.get("name"))
        if family:
            out.append(Name(family=family, given=given))
        elif name:
            out.append(Name(literal=name))
    return out


def to_entry(item: dict[str, Any]) -> Entry:
    """A Crossref work -> :class:`Entry` (only the fields bibkit uses)."""
    entry = Entry(
        title=_text(item.get("title")),
        author=_names(item.get("author")),
        editor=_names(item.get("editor")),
        issued=_date(item),
        container_title=_text(item.get("container-title")),
        publisher=_text(item.get("publisher")),
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")),
        page=_text(item.get("page")),
        doi=clean_doi(_text(item.get("DOI"))),
        issn=_text(item.get("ISSN")),
        isbn=_text(item.get("ISBN")),
    )
    short = _text(item.get("short-container-title"))
    if short:
        entry.extra["short-container-title"] = short
    if isinstance(item.get("type"), str):
        entry.extra["source-type"] = item["type"]
    return entry


def _message(data: Any) -> Any:
    if not isinstance(data, dict) or data.get("status", "ok") != "ok" or "message" not in data:
        raise ServiceError("unexpected answer (no 'message')", service=NAME)
    return data["message"]


def lookup(client: HttpClient, kind: str, value: str, *, base: str | None = None,
           mailto: str | None = None) -> Entry | None:
    """The work with DOI ``value``; ``None`` when Crossref does not know it."""
    if kind != "doi":
        return None
    url = f"{base_url(base)}/works/{quote(value, safe='/:;()')}"
    data = client.get_json(NAME, url, {"mailto": mailto})
    return None if data is None else parse_work(data)


def parse_work(data: Any) -> Entry:
    """The entry in a ``/works/{doi}`` answer; :class:`ServiceError` if it has another shape."""
    message = _message(data)
    if not isinstance(message, dict):
        raise ServiceError("unexpected answer (message is not a work)", service=NAME)
    return to_entry(message)


def search(client: HttpClient, entry: Entry, *, base: str | None = None, rows: int = 5,
           mailto: str | None = None) -> list[Entry]:
    """Candidates for ``entry`` from ``query.bibliographic`` (title, authors, year)."""
    if not entry.title:
        return []
    words = [entry.title]
    words += [n.family for n in entry.author[:3] if n.family]
    if entry.year:
        words.append(str(entry.year))
    params = {"query.bibliographic": " ".join(words)[:500], "rows": rows, "select": _FIELDS, "mailto": mailto}
    data = client.get_json(NAME, f"{base_url(base)}/works", params)
    return [] if data is None else parse_search(data)


def parse_search(data: Any) -> list[Entry]:
    """The candidates in a ``/works?query...`` answer; :class:`ServiceError` if it has another shape."""
    message = _message(data)
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise ServiceError("unexpected answer (no 'items' list)", service=NAME)
    return [to_entry(item) for item in items if isinstance(item, dict)]

