"""arXiv API adapter (``export.arxiv.org/api/query``): id lookup and title search.

The answer is an Atom feed; titles and author names may contain newlines and runs
of spaces.  The XML is parsed without entity resolution or network access.  An
arXiv record gives the arXiv id and, when the authors added it, the DOI of the
published version.

>>> feed = '''<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
... <entry><id>http://arxiv.org/abs/1706.03762v7</id><published>2017-06-12T17:57:34Z</published>
... <title>Attention Is All
...   You Need</title><author><name>Ashish Vaswani</name></author></entry></feed>'''
>>> [(e.title, e.arxiv, e.year, e.author[0].family) for e in parse_feed(feed)]
[('Attention Is All You Need', '1706.03762', 2017, 'Vaswani')]
"""

from __future__ import annotations

from lxml import etree

from ..model import Date, Entry
from .http import HttpClient, ServiceError, looks_like_html, service_url
from .match import clean_arxiv, clean_doi, normalise_title, split_name

NAME = "arxiv"
ENV_VAR = "BIBKIT_ARXIV_URL"
DEFAULT_URL = "https://export.arxiv.org"
IDENTIFIERS = ("arxiv",)
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
ACCEPT = "application/atom+xml, application/xml;q=0.9"


def base_url(option: str | None = None) -> str:
    return service_url(option, ENV_VAR, DEFAULT_URL)


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path, NS)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def parse_feed(text: str) -> list[Entry]:
    """The entries of an arXiv Atom feed (an error entry raises :class:`ServiceError`)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ServiceError(f"malformed Atom XML ({exc.msg})", service=NAME) from None
    if root.tag != "{http://www.w3.org/2005/Atom}feed":
        raise ServiceError("unexpected answer (not an Atom feed)", service=NAME)
    out = []
    for node in root.findall("a:entry", NS):
        ident = _text(node, "a:id") or ""
        if "/api/errors" in ident:
            raise ServiceError(f"arXiv error: {_text(node, 'a:summary') or 'unknown'}", service=NAME)
        published = _text(node, "a:published") or ""
        year = int(published[:4]) if published[:4].isdigit() else None
        entry = Entry(
            type="article",
            title=_text(node, "a:title"),
            author=[split_name(n) for n in (" ".join((a.text or "").split()) for a in
                                            node.findall("a:author/a:name", NS)) if n],
            issued=Date(year) if year else None,
            arxiv=clean_arxiv(ident),
            doi=clean_doi(_text(node, "arxiv:doi")),
        )
        ref = _text(node, "arxiv:journal_ref")
        if ref:
            entry.extra["journal-ref"] = ref
        out.append(entry)
    return out


def _feed(client: HttpClient, base: str | None, params: dict) -> list[Entry]:
    response = client.get(NAME, f"{base_url(base)}/api/query", params, accept=ACCEPT)
    if response.status in (404, 410):
        return []
    if looks_like_html(response.content_type, response.text):
        raise ServiceError(f"answered an HTML page instead of Atom (HTTP {response.status})", service=NAME)
    return parse_feed(response.text)


def lookup(client: HttpClient, kind: str, value: str, *, base: str | None = None,
           mailto: str | None = None) -> Entry | None:
    """The record with arXiv id ``value``."""
    if kind != "arxiv":
        return None
    entries = _feed(client, base, {"id_list": value, "max_results": 1})
    for e in entries:
        if e.arxiv == value:
            return e
    return None


def search(client: HttpClient, entry: Entry, *, base: str | None = None, rows: int = 5,
           mailto: str | None = None) -> list[Entry]:
    """Candidates for ``entry`` from a title phrase search."""
    words = normalise_title(entry.title)
    if not words:
        return []
    return _feed(client, base, {"search_query": f'ti:"{words[:300]}"', "start": 0, "max_results": rows})
