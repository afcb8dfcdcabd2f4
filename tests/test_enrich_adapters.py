"""Each service adapter against a local server answering in that service's exact shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.enrich import arxiv, crossref, dblp, openalex
from bibkit.enrich.http import HttpClient, ServiceError
from bibkit.model import Date, Entry, Name

DATA = Path(__file__).parent / "data" / "enrich"


@pytest.fixture
def client(tmp_path):
    return HttpClient(cache_dir=tmp_path / "cache", timeout=2, retries=1, backoff=0.001,
                      pacing={"crossref": 0, "dblp": 0, "arxiv": 0, "openalex": 0})


def base(httpserver):
    return httpserver.url_for("/").rstrip("/")


# -- Crossref ------------------------------------------------------------------------
def test_crossref_search_builds_query_and_parses_lists(httpserver, client):
    httpserver.expect_request("/works").respond_with_data((DATA / "crossref_search.json").read_text(),
                                                          content_type="application/json")
    mine = Entry(title="Deep learning", author=[Name("LeCun", "Yann")], issued=Date(2015))
    found = crossref.search(client, mine, base=base(httpserver), rows=5, mailto="me@example.org")
    args = httpserver.log[0][0].args
    assert args["query.bibliographic"] == "Deep learning LeCun 2015"
    assert args["rows"] == "5" and args["mailto"] == "me@example.org" and "DOI" in args["select"]
    first = found[0]
    assert (first.title, first.container_title, first.volume, first.issue, first.page) == \
        ("Deep learning", "Nature", "521", "7553", "436-444")
    assert first.doi == "10.1038/nature14539" and first.publisher.startswith("Springer")
    assert [a.family for a in first.author] == ["LeCun", "Bengio", "Hinton"]
    assert first.issued.parts() == [2015, 5, 27]
    assert found[1].container_title is None  # an empty container-title list
    assert found[2].author[0].given == "Jürgen"


def test_crossref_doi_lookup(httpserver, client):
    httpserver.expect_request("/works/10.1145/3422622").respond_with_data(
        (DATA / "crossref_work.json").read_text(), content_type="application/json")
    record = crossref.lookup(client, "doi", "10.1145/3422622", base=base(httpserver))
    assert record.container_title == "Communications of the ACM"
    assert record.extra["short-container-title"] == "Commun. ACM"


def test_crossref_unknown_doi_is_none(httpserver, client):
    httpserver.expect_request("/works/10.1000/nope").respond_with_data("Resource not found.", status=404)
    assert crossref.lookup(client, "doi", "10.1000/nope", base=base(httpserver)) is None


def test_crossref_unexpected_shape(httpserver, client):
    httpserver.expect_request("/works").respond_with_json({"status": "ok", "message": {"total-results": 0}})
    with pytest.raises(ServiceError, match="items"):
        crossref.search(client, Entry(title="x y z"), base=base(httpserver))


def test_crossref_base_url_from_environment(monkeypatch):
    monkeypatch.setenv("BIBKIT_CROSSREF_URL", "http://127.0.0.1:1/mirror/")
    assert crossref.base_url() == "http://127.0.0.1:1/mirror"
    assert crossref.base_url("http://127.0.0.1:2") == "http://127.0.0.1:2"  # the option wins


# -- DBLP ----------------------------------------------------------------------------
def test_dblp_search(httpserver, client):
    httpserver.expect_request("/search/publ/api").respond_with_data((DATA / "dblp_search.json").read_text(),
                                                                    content_type="application/json")
    mine = Entry(title="MapReduce: Simplified Data Processing on Large Clusters")
    found = dblp.search(client, mine, base=base(httpserver), rows=5)
    args = httpserver.log[0][0].args
    assert args["q"] == "mapreduce simplified data processing on large clusters" and args["format"] == "json"
    assert args["h"] == "5"
    osdi, cacm, corr = found
    assert osdi.title == "MapReduce: Simplified Data Processing on Large Clusters"  # final full stop gone
    assert [a.family for a in osdi.author] == ["Dean", "Ghemawat"]  # homonym number gone
    assert osdi.author[0].given == "Jeffrey" and osdi.year == 2004 and osdi.page == "137-150"
    assert (cacm.volume, cacm.issue, cacm.doi, cacm.container_title) == \
        ("51", "1", "10.1145/1327452.1327492", "Commun. ACM")
    # single-author hit: authors.author is an object, not a list
    assert [a.family for a in corr.author] == ["Smith"]
    assert corr.arxiv == "2101.00001" and corr.container_title is None  # CoRR is arXiv, not a venue


def test_dblp_single_author_dict(httpserver, client):
    httpserver.expect_request("/search/publ/api").respond_with_data((DATA / "dblp_single.json").read_text(),
                                                                    content_type="application/json")
    [rec] = dblp.search(client, Entry(title="A theory of the learnable"), base=base(httpserver))
    assert rec.author == [Name(family="Valiant", given="Leslie G.")]
    assert rec.doi == "10.1145/1968.1972"


def test_dblp_no_hits(httpserver, client):
    httpserver.expect_request("/search/publ/api").respond_with_json(
        {"result": {"hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}}})
    assert dblp.search(client, Entry(title="Nothing like this"), base=base(httpserver)) == []


def test_dblp_has_no_identifier_lookup(client):
    assert dblp.lookup(client, "doi", "10.1000/x") is None


# -- arXiv ---------------------------------------------------------------------------
def test_arxiv_search_newlines_in_titles(httpserver, client):
    httpserver.expect_request("/api/query").respond_with_data((DATA / "arxiv_search.xml").read_text(),
                                                              content_type="application/atom+xml; charset=utf-8")
    found = arxiv.search(client, Entry(title="Attention Is All You Need!"), base=base(httpserver))
    args = httpserver.log[0][0].args
    assert args["search_query"] == 'ti:"attention is all you need"' and args["max_results"] == "5"
    first, second = found
    assert first.title == "Attention Is All You Need"
    assert first.arxiv == "1706.03762" and first.year == 2017 and first.doi is None
    assert [a.family for a in first.author] == ["Vaswani", "Shazeer", "Parmar"]
    assert second.title == "Attention Is All You Need (Reproduction Study)" and second.doi == "10.9999/repro.2024.1"


def test_arxiv_id_lookup(httpserver, client):
    httpserver.expect_request("/api/query", query_string={"id_list": "1512.03385", "max_results": "1"}) \
        .respond_with_data((DATA / "arxiv_id.xml").read_text(), content_type="application/atom+xml")
    rec = arxiv.lookup(client, "arxiv", "1512.03385", base=base(httpserver))
    assert rec.doi == "10.1109/CVPR.2016.90" and rec.title == "Deep Residual Learning for Image Recognition"
    assert rec.extra["journal-ref"] == "CVPR 2016"


def test_arxiv_empty_feed_and_error_entry(httpserver, client):
    httpserver.expect_oneshot_request("/api/query").respond_with_data((DATA / "arxiv_empty.xml").read_text(),
                                                                      content_type="application/atom+xml")
    assert arxiv.search(client, Entry(title="nothing at all"), base=base(httpserver)) == []
    error = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id</id>'
             '<title>Error</title><summary>incorrect id format for 9999</summary></entry></feed>')
    httpserver.expect_oneshot_request("/api/query").respond_with_data(error, content_type="application/atom+xml")
    with pytest.raises(ServiceError, match="incorrect id format"):
        arxiv.lookup(client, "arxiv", "9999", base=base(httpserver))


def test_arxiv_malformed_xml_and_html(httpserver, client):
    httpserver.expect_oneshot_request("/api/query").respond_with_data("<feed><entry>", content_type="application/xml")
    with pytest.raises(ServiceError, match="malformed Atom XML"):
        arxiv.search(client, Entry(title="some title here"), base=base(httpserver))
    httpserver.expect_oneshot_request("/api/query").respond_with_data(
        (DATA / "error_page.html").read_text(), content_type="text/html")
    with pytest.raises(ServiceError, match="HTML page instead of Atom"):
        arxiv.search(client, Entry(title="another title here"), base=base(httpserver))


def test_arxiv_xml_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    evil = (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/1234.5678v1</id>'
            '<title>A &x; title</title></entry></feed>')
    entries = arxiv.parse_feed(evil)
    assert all("TOPSECRET" not in (e.title or "") for e in entries)


# -- OpenAlex ------------------------------------------------------------------------
def test_openalex_search(httpserver, client):
    httpserver.expect_request("/works").respond_with_data((DATA / "openalex_search.json").read_text(),
                                                          content_type="application/json")
    found = openalex.search(client, Entry(title="Deep Residual Learning for Image Recognition"),
                            base=base(httpserver), mailto="me@example.org")
    args = httpserver.log[0][0].args
    assert args["search"] == "deep residual learning for image recognition" and args["per-page"] == "5"
    first, second = found
    assert first.doi == "10.1109/cvpr.2016.90" and first.page == "770-778" and first.year == 2016
    assert first.publisher == "Institute of Electrical and Electronics Engineers"
    assert first.container_title.startswith("2016 IEEE Conference")
    assert second.doi is None and second.container_title is None and second.page is None


def test_openalex_doi_lookup(httpserver, client):
    work = {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1000/abc", "title": "T",
            "publication_year": 2020, "authorships": [], "biblio": {}}
    httpserver.expect_request("/works/doi:10.1000/abc").respond_with_json(work)
    assert openalex.lookup(client, "doi", "10.1000/abc", base=base(httpserver)).doi == "10.1000/abc"
