"""Whatever a service answers, the adapters return entries or a ServiceError: never another exception,
and enrich never loses or alters an entry it could not match."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibkit.enrich import arxiv, crossref, dblp, openalex
from bibkit.enrich.http import Response, ServiceError
from bibkit.model import Entry

KEYS = ["status", "message", "items", "title", "author", "family", "given", "name", "issued", "date-parts",
        "container-title", "short-container-title", "DOI", "page", "volume", "issue", "publisher", "type",
        "result", "hits", "hit", "info", "authors", "text", "venue", "year", "pages", "number", "doi", "ee",
        "results", "authorships", "display_name", "publication_year", "biblio", "first_page", "last_page",
        "primary_location", "source", "host_organization_name", "ids", "arxiv", "id"]

scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner,
                                                                max_size=6),
    max_leaves=40,
)

PARSERS = [crossref.parse_search, crossref.parse_work, dblp.parse_search, openalex.parse_search, openalex.parse_work]


def _wrap(value):
    """Wrap a random value in each service's envelope so the parsers reach deep."""
    return [value, {"status": "ok", "message": value}, {"status": "ok", "message": {"items": value}},
            {"status": "ok", "message": {"items": [value]}}, {"result": {"hits": {"hit": value}}},
            {"result": {"hits": {"hit": [{"info": value}]}}}, {"results": [value]}, {"results": value}]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_json_adapters_never_crash(value):
    for data in _wrap(value):
        for parse in PARSERS:
            try:
                out = parse(data)
            except ServiceError:
                continue
            entries = out if isinstance(out, list) else [out]
            assert all(isinstance(e, Entry) for e in entries)
            for e in entries:
                json.dumps([e.title, e.doi, e.page, e.volume, e.issue, e.container_title, e.publisher])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arxiv_parser_never_crashes(text):
    for doc in (text, f'<feed xmlns="http://www.w3.org/2005/Atom"><entry>{text}</entry></feed>'):
        try:
            entries = arxiv.parse_feed(doc)
        except ServiceError:
            continue
        assert all(isinstance(e, Entry) for e in entries)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["application/json", "text/html", "text/plain", ""]))
def test_response_json_is_value_or_service_error(text, content_type):
    try:
        Response(url="u", status=200, content_type=content_type, text=text).json("svc")
    except ServiceError:
        pass


class StubClient:
    """Answers every request with the same (random) JSON value."""

    def __init__(self, value):
        from bibkit.enrich.http import ClientStats

        self.value = value
        self.stats = ClientStats()
        self._session = None

    def get_json(self, service, url, params=None):
        return self.value

    def get(self, service, url, params=None, accept=""):
        return Response(url=url, status=200, content_type="application/json", text=json.dumps(self.value))


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_enrich_never_loses_or_corrupts_entries(value):
    from bibkit.enrich import FILLABLE, enrich
    from bibkit.model import Date, Name

    entries = [Entry(key="a", title="Deep learning", author=[Name("LeCun", "Y.")], issued=Date(2015), page="1"),
               Entry(key="b", title="Another", doi="10.1000/xyz", arxiv="1706.03762")]
    for data in _wrap(value)[:4]:
        result = enrich(entries, sources="crossref,dblp,arxiv,openalex", client=StubClient(data), workers=1)
        assert len(result.entries) == 2 and [e.key for e in result.entries] == ["a", "b"]
        for new, old, report in zip(result.entries, entries, result.reports, strict=True):
            assert not any(e.startswith("internal:") for e in report.errors), report.errors
            if not report.changes:
                assert new is old
            for name in ("title", "author", "issued", "key", "type"):
                assert getattr(new, name) == getattr(old, name)
            if report.changes:
                assert {c.field for c in report.changes} <= set(FILLABLE)
                assert old.page is None or new.page == old.page  # user-given kept (an empty page may be filled)
