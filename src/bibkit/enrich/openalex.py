"""OpenAlex adapter (``api.openalex.org/works``): DOI lookup and search.

A work has ``title`` (or ``display_name``), ``authorships[].author.display_name``,
``publication_year``, ``doi`` as a resolver URL, ``biblio`` (volume, issue, first and
last page) and the venue in ``primary_location.source``.

>>> e = to_entry({"title": "Deep learning", "doi": "https://doi.org/10.1038/nature14539",
...               "publication_year": 2015, "authorships": [{"author": {"display_name": "Yann LeCun"}}],
...               "biblio": {"volume": "521", "issue": "7553", "first_page": "436", "last_page": "444"},
...               "primary_location": {"source": {"display_name": "Nature",
...                                               "host_organization_name": "Nature Portfolio"}}})
>>> e.doi, e.page, e.container_title, e.publisher, e.author[0].family
('10.1038/nature14539', '436-444', 'Nature', 'Nature Portfolio', 'LeCun')
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..model import Date, Entry
from .http import HttpClient, ServiceError, service_url
from .match import clean_arxiv, clean_doi, normalise_title, split_name

NAME = "openalex"
ENV_VAR = "BIBKIT_OPENALEX_URL"
DEFAULT_URL = "https://api.openalex.org"
IDENTIFIERS = ("doi",)


def base_url(option: str | None = None) -> str:
    return service_url(option, ENV_VAR, DEFAULT_URL)


def _s(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(str(value).split())
    return text or None


def to_entry(work: dict[str, Any]) -> Entry:
    """An OpenAlex work -> :class:`Entry`."""
    authors = []
    authorships = work.get("authorships")
    for a in authorships if isinstance(authorships, list) else []:
        name = _s(((a or {}).get("author") or {}).get("display_name")) if isinstance(a, dict) else None
        if name:
            authors.append(split_name(name))
    biblio = work["biblio"] if isinstance(work.get("biblio"), dict) else {}
    first, last = _s(biblio.get("first_page")), _s(biblio.get("last_page"))
    page = f"{first}-{last}" if first and last and first != last else first
    location = work["primary_location"] if isinstance(work.get("primary_location"), dict) else {}
    source = location["source"] if isinstance(location.get("source"), dict) else {}
    year = work.get("publication_year")
    ids = work["ids"] if isinstance(work.get("ids"), dict) else {}
    entry = Entry(
        title=_s(work.get("title")) or _s(work.get("display_name")),
        author=authors,
        issued=Date(year) if type(year) is int and 0 < year < 10000 else None,
        container_title=_s(source.get("display_name")),
        publisher=_s(source.get("host_organization_name")),
        volume=_s(biblio.get("volume")),
        issue=_s(biblio.get("issue")),
        page=page,
        doi=clean_doi(_s(work.get("doi"))),
        arxiv=clean_arxiv(_s(ids.get("arxiv"))),
    )
    if work.get("id"):
        entry.extra["openalex"] = str(work["id"])
    return entry


def lookup(client: HttpClient, kind: str, value: str, *, base: str | None = None,
           mailto: str | None = None) -> Entry | None:
    """The work with DOI ``value``."""
    if kind != "doi":
        return None
    data = client.get_json(NAME, f"{base_url(base)}/works/doi:{quote(value, safe='/:;()')}", {"mailto": mailto})
    return None if data is None else parse_work(data)


def parse_work(data: Any) -> Entry:
    """The work in a ``/works/doi:...`` answer; :class:`ServiceError` if it has another shape."""
    if not isinstance(data, dict):
        raise ServiceError("unexpected answer (not a work)", service=NAME)
    return to_entry(data)


def search(client: HttpClient, entry: Entry, *, base: str | None = None, rows: int = 5,
           mailto: str | None = None) -> list[Entry]:
    """Candidates for ``entry`` from a full-text search on its title."""
    words = normalise_title(entry.title)
    if not words:
        return []
    data = client.get_json(NAME, f"{base_url(base)}/works", {"search": words[:300], "per-page": rows, "mailto": mailto})
    return [] if data is None else parse_search(data)


def parse_search(data: Any) -> list[Entry]:
    """The works in a ``/works?search=`` answer; :class:`ServiceError` if it has another shape."""
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ServiceError("unexpected answer (no 'results' list)", service=NAME)
    return [to_entry(w) for w in results if isinstance(w, dict)]
