"""DBLP search adapter (``dblp.org/search/publ/api``).

DBLP answers ``{"result": {"hits": {"hit": [{"info": {...}}]}}}``.  Quirks handled
here: ``authors.author`` (and ``hit``, and ``venue``) is a single object rather than
a list when there is only one; author names carry a homonym number ("Wei Wang
0001"); titles end with a full stop.  DBLP venues are abbreviations, so they only
fill an empty venue.

>>> e = to_entry({"title": "Deep learning.", "authors": {"author": {"text": "Yann LeCun 0001"}},
...               "venue": "Nat.", "year": "2015", "pages": "436-444", "doi": "10.1038/NATURE14539"})
>>> e.title, [a.family for a in e.author], e.year, e.doi
('Deep learning', ['LeCun'], 2015, '10.1038/NATURE14539')
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..model import Date, Entry
from .http import HttpClient, ServiceError, service_url
from .match import clean_arxiv, clean_doi, normalise_title, split_name

NAME = "dblp"
ENV_VAR = "BIBKIT_DBLP_URL"
DEFAULT_URL = "https://dblp.org"
IDENTIFIERS: tuple[str, ...] = ()


def base_url(option: str | None = None) -> str:
    return service_url(option, ENV_VAR, DEFAULT_URL)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("text")
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(html.unescape(str(value)).split())
    return text or None


def to_entry(info: dict[str, Any]) -> Entry:
    """A DBLP hit's ``info`` -> :class:`Entry`."""
    title = _str(info.get("title"))
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    authors = []
    field = info.get("authors")
    for a in _as_list(field.get("author") if isinstance(field, dict) else None):
        name = _str(a)
        if name:
            authors.append(split_name(name))
    year = None
    raw_year = _str(info.get("year")) or ""
    if raw_year[:4].isdigit():
        year = int(raw_year[:4]) or None
    entry = Entry(
        title=title,
        author=authors,
        issued=Date(year) if year else None,
        container_title=_str(info.get("venue")),
        volume=_str(info.get("volume")),
        issue=_str(info.get("number")),
        page=_str(info.get("pages")),
        doi=clean_doi(_str(info.get("doi"))),
        url=_str(info.get("ee")),
    )
    if entry.container_title == "CoRR":  # DBLP files arXiv preprints under "CoRR"
        entry.arxiv = clean_arxiv(_str(info.get("ee"))) or clean_arxiv(entry.volume)
        entry.container_title = None
        entry.volume = None
    if info.get("key"):
        entry.extra["dblp"] = str(info["key"])
    return entry


_QUERY_JUNK = re.compile(r"[|$^*]")


def lookup(client: HttpClient, kind: str, value: str, *, base: str | None = None,
           mailto: str | None = None) -> Entry | None:
    """DBLP resolves no identifier directly."""
    return None


def search(client: HttpClient, entry: Entry, *, base: str | None = None, rows: int = 5,
           mailto: str | None = None) -> list[Entry]:
    """Candidates for ``entry`` from a DBLP keyword search on its title."""
    query = normalise_title(_QUERY_JUNK.sub(" ", entry.title or ""))
    if not query:
        return []
    data = client.get_json(NAME, f"{base_url(base)}/search/publ/api", {"q": query[:300], "format": "json", "h": rows})
    return [] if data is None else parse_search(data)


def parse_search(data: Any) -> list[Entry]:
    """The hits of a ``publ/api`` answer; :class:`ServiceError` if it has another shape."""
    try:
        hits = data["result"]["hits"]
    except (KeyError, TypeError):
        raise ServiceError("unexpected answer (no result.hits)", service=NAME) from None
    if not isinstance(hits, dict):
        raise ServiceError("unexpected answer (result.hits is not an object)", service=NAME)
    out = []
    for hit in _as_list(hits.get("hit")):
        info = hit.get("info") if isinstance(hit, dict) else None
        if isinstance(info, dict):
            out.append(to_entry(info))
    return out
