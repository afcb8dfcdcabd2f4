"""bibkit.enrich end to end against local fake services (Crossref, DBLP, arXiv, OpenAlex shapes)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import bibkit
from bibkit.enrich import enrich
from bibkit.errors import UsageError
from bibkit.model import Date, Entry, Name, ReadResult

DATA = Path(__file__).parent / "data" / "enrich"
FAST = {"timeout": 2.0, "retries": 1, "backoff": 0.001, "max_wait": 0.01,
        "pacing": {"crossref": 0, "dblp": 0, "arxiv": 0, "openalex": 0}}


def fixture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture
def services(httpserver):
    """Base URLs of the four fake services, all on one local server."""
    return {name: httpserver.url_for(f"/{name}") for name in ("crossref", "dblp", "arxiv", "openalex")}


@pytest.fixture
def run(services, tmp_path):
    def _run(entries, **kw):
        options = {**FAST, "urls": services, "cache_dir": tmp_path / "cache", **kw}
        return enrich(entries, **options)
    return _run


def serve(httpserver, path, body, content_type="application/json"):
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)


def deep_learning(**kw):
    base = dict(key="lecun2015", type="article-journal", title="Deep Learning",
                author=[Name("LeCun", "Y."), Name("Bengio", "Y."), Name("Hinton", "G.")], issued=Date(2015))
    base.update(kw)
    return Entry(**base)


def test_search_match_fills_missing_fields(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    mine = deep_learning()
    result = run([mine], sources=["crossref"])
    [new] = result.entries
    assert (new.doi, new.page, new.volume, new.issue, new.container_title) == \
        ("10.1038/nature14539", "436–444", "521", "7553", "Nature")
    assert new.publisher == "Springer Science and Business Media LLC"
    assert new.title == "Deep Learning" and new.author == mine.author  # our own fields untouched
    [report] = result.reports
    assert (report.status, report.source, report.rule, report.similarity) == ("found", "crossref", "search", 1.0)
    assert {c.field for c in report.changes} == {"doi", "page", "volume", "issue", "container_title", "publisher"}
    assert new.provenance[-1].source == "crossref" and new.provenance[-1].record_id == "10.1038/nature14539"
    assert mine.doi is None  # the input entry was not modified


def test_user_fields_kept_unless_overwrite(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    mine = deep_learning(page="1--9", volume="99")
    kept = run([mine], sources="crossref").entries[0]
    assert (kept.page, kept.volume, kept.doi) == ("1--9", "99", "10.1038/nature14539")
    over = run([mine], sources="crossref", overwrite=True)
    assert (over.entries[0].page, over.entries[0].volume) == ("436–444", "521")
    rules = {c.field: c.rule for c in over.reports[0].changes}
    assert rules["page"] == "search+overwrite" and rules["doi"] == "search"


def test_same_title_other_authors_rejected(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    mine = deep_learning(author=[Name("Smith", "J.")])
    result = run([mine], sources="crossref")
    assert result.entries[0] is mine and result.reports[0].status == "not found"
    reasons = [r for _, _, r in result.reports[0].rejected]
    assert any("no shared author" in r for r in reasons)


def test_same_title_other_year_rejected(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    mine = deep_learning(issued=Date(2019))
    result = run([mine], sources="crossref")
    assert result.entries[0] is mine and result.counts() == {"found": 0, "not found": 1, "failed": 0}
    assert any("year 2015" in r for _, _, r in result.reports[0].rejected)


def test_doi_resolved_directly_and_venue_expanded(httpserver, run):
    serve(httpserver, "/crossref/works/10.1145/3422622", fixture("crossref_work.json"))
    mine = Entry(title="Generative Adversarial Networks", author=[Name("Goodfellow", "Ian")], issued=Date(2020),
                 container_title="Commun. ACM", doi="https://doi.org/10.1145/3422622")
    result = run([mine], sources="crossref,dblp")
    new = result.entries[0]
    assert new.container_title == "Communications of the ACM"
    assert (new.volume, new.issue, new.page) == ("63", "11", "139–144")
    assert new.doi == mine.doi  # the same DOI in another spelling is not a change
    changes = {c.field: c for c in result.reports[0].changes}
    assert changes["container_title"].rule == "venue-expanded" and changes["container_title"].old == "Commun. ACM"
    assert result.reports[0].rule == "doi"
    assert [r[0].path for r in httpserver.log] == ["/crossref/works/10.1145/3422622"]  # no search needed


def test_doi_pointing_elsewhere_is_not_used(httpserver, run):
    serve(httpserver, "/crossref/works/10.1145/3422622", fixture("crossref_work.json"))
    httpserver.expect_request("/crossref/works").respond_with_json(
        {"status": "ok", "message": {"items": []}})
    mine = Entry(title="A study of something else entirely", author=[Name("Doe")], issued=Date(2020),
                 doi="10.1145/3422622")
    result = run([mine], sources="crossref")
    assert result.entries[0] is mine and result.reports[0].status == "not found"
    assert "different title" in result.reports[0].rejected[0][2]


def test_arxiv_id_resolved_gives_doi(httpserver, run):
    serve(httpserver, "/arxiv/api/query", fixture("arxiv_id.xml"), "application/atom+xml")
    mine = Entry(title="Deep Residual Learning for Image Recognition", author=[Name("He", "Kaiming")],
                 arxiv="arXiv:1512.03385", issued=Date(2015))
    result = run([mine], sources="crossref,arxiv")
    assert result.entries[0].doi == "10.1109/CVPR.2016.90"
    assert result.reports[0].source == "arxiv" and result.reports[0].rule == "arxiv"


def test_arxiv_search_rejects_reproduction_with_other_authors(httpserver, run):
    serve(httpserver, "/arxiv/api/query", fixture("arxiv_search.xml"), "application/atom+xml")
    mine = Entry(title="Attention is all you need", author=[Name("Vaswani", "A.")], issued=Date(2017))
    result = run([mine], sources="arxiv")
    new = result.entries[0]
    assert new.arxiv == "1706.03762" and new.doi is None  # not the reproduction's DOI


def test_dblp_match_picks_year_within_one(httpserver, run):
    serve(httpserver, "/dblp/search/publ/api", fixture("dblp_search.json"))
    mine = Entry(title="MapReduce: simplified data processing on large clusters",
                 author=[Name("Dean", "J."), Name("Ghemawat", "S.")], issued=Date(2008))
    result = run([mine], sources="dblp")
    new = result.entries[0]
    assert (new.doi, new.volume, new.issue, new.page, new.container_title) == \
        ("10.1145/1327452.1327492", "51", "1", "107–113", "Commun. ACM")


def test_failing_service_falls_back_to_next(httpserver, run):
    httpserver.expect_request("/crossref/works").respond_with_data("busy", status=503)
    serve(httpserver, "/dblp/search/publ/api", fixture("dblp_single.json"))
    mine = Entry(title="A theory of the learnable", author=[Name("Valiant", "L. G.")], issued=Date(1984))
    result = run([mine], sources="crossref,dblp")
    report = result.reports[0]
    assert report.status == "found" and report.source == "dblp"
    assert any(e.startswith("crossref: HTTP 503") for e in report.errors)
    assert result.entries[0].doi == "10.1145/1968.1972"


def test_all_services_failing_lose_nothing(httpserver, run):
    httpserver.expect_request("/crossref/works").respond_with_data(fixture("error_page.html"),
                                                                   content_type="text/html")
    httpserver.expect_request("/dblp/search/publ/api").respond_with_data('{"result": ', content_type="application/json")
    httpserver.expect_request("/arxiv/api/query").respond_with_data("oops", status=500)
    entries = [deep_learning(), Entry(title="Another paper", author=[Name("Doe")], issued=Date(2001), page="3")]
    before = copy.deepcopy(entries)
    result = run(entries)
    assert result.entries == before and all(a is b for a, b in zip(result.entries, entries, strict=True))
    assert result.counts() == {"found": 0, "not found": 0, "failed": 2}
    errors = result.reports[0].errors
    assert any("HTML page" in e for e in errors) and any("malformed JSON" in e for e in errors)
    assert any("arxiv: HTTP 500" in e for e in errors)


def test_cache_hit_on_rerun_makes_no_request(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    first = run([deep_learning()], sources="crossref")
    n = len(httpserver.log)
    assert n == 1 and first.stats.requests == 1
    second = run([deep_learning()], sources="crossref")
    assert len(httpserver.log) == n and second.stats.requests == 0 and second.stats.cache_hits == 1
    assert second.entries == first.entries


def test_offline_makes_zero_requests(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    mine = deep_learning()
    result = run([mine], offline=True)
    assert len(httpserver.log) == 0
    assert result.entries[0] is mine and result.reports[0].status == "failed"
    assert "offline and not in the cache" in result.reports[0].errors[0]
    run([deep_learning()], sources="crossref")  # online once
    logged = len(httpserver.log)
    again = run([deep_learning()], sources="crossref", offline=True)
    assert len(httpserver.log) == logged and again.entries[0].doi == "10.1038/nature14539"


def test_entries_without_title_or_ids_are_untouched(run, httpserver):
    mine = Entry(type="book", publisher="X")
    result = run([mine])
    assert result.entries[0] is mine and len(httpserver.log) == 0


def test_concurrent_run_keeps_order(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    entries = []
    for i in range(12):
        entries.append(deep_learning(key=f"k{i}") if i % 2 == 0 else
                       Entry(key=f"k{i}", title=f"Unrelated work number {i}", author=[Name("Doe")], issued=Date(2000)))
    result = run(entries, sources="crossref", workers=4, use_cache=False)
    assert [e.key for e in result.entries] == [f"k{i}" for i in range(12)]
    assert [r.index for r in result.reports] == list(range(12))
    assert [e.doi for e in result.entries[::2]] == ["10.1038/nature14539"] * 6
    assert all(e is o for e, o in zip(result.entries[1::2], entries[1::2], strict=True))
    assert result.counts() == {"found": 6, "not found": 6, "failed": 0}


def test_report_and_summary_text(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    result = run([deep_learning(), deep_learning(key="x", author=[Name("Smith")])], sources="crossref")
    text = "\n".join(result.report_lines())
    assert "lecun2015: found via crossref (search, title similarity 1.00)" in text
    assert "doi: '10.1038/nature14539'" in text and "rejected crossref candidate" in text
    assert result.summary().startswith("1 found (1 changed), 1 not found, 0 failed")


def test_public_wrapper_accepts_read_result(httpserver, services, tmp_path):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    result = bibkit.enrich(ReadResult(entries=[deep_learning()]), sources="crossref", urls=services,
                           cache_dir=tmp_path, **FAST)
    assert result.entries[0].doi == "10.1038/nature14539"


def test_environment_base_urls(httpserver, monkeypatch, tmp_path):
    serve(httpserver, "/cr/works", fixture("crossref_search.json"))
    monkeypatch.setenv("BIBKIT_CROSSREF_URL", httpserver.url_for("/cr"))
    result = enrich([deep_learning()], sources="crossref", cache_dir=tmp_path, **FAST)
    assert result.entries[0].doi == "10.1038/nature14539"


def test_unknown_source_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown enrichment source 'scholar'"):
        enrich([], sources="crossref,scholar")


def test_identifier_before_search_whatever_the_source_order(httpserver, run):
    serve(httpserver, "/crossref/works/10.1145/3422622", fixture("crossref_work.json"))
    mine = Entry(doi="10.1145/3422622")  # no title at all: the DOI alone is enough
    result = run([mine], sources="dblp,crossref")
    new = result.entries[0]
    assert (new.container_title, new.page, new.publisher) == \
        ("Communications of the ACM", "139–144", "Association for Computing Machinery (ACM)")
    assert [r[0].path for r in httpserver.log] == ["/crossref/works/10.1145/3422622"]


def test_openalex_doi_then_fields(httpserver, run):
    serve(httpserver, "/openalex/works", fixture("openalex_search.json"))
    mine = Entry(title="Deep residual learning for image recognition", author=[Name("He", "K.")], issued=Date(2016))
    result = run([mine], sources="openalex")
    new = result.entries[0]
    assert (new.doi, new.page, new.publisher) == \
        ("10.1109/cvpr.2016.90", "770–778", "Institute of Electrical and Electronics Engineers")
    assert result.reports[0].similarity == 1.0


def test_service_failing_in_a_row_is_no_longer_asked(httpserver, run):
    httpserver.expect_request("/crossref/works").respond_with_data("down", status=503)
    entries = [Entry(key=f"k{i}", title=f"Some title number {i}", author=[Name("Doe")], issued=Date(2000))
               for i in range(6)]
    result = run(entries, sources="crossref", workers=1, give_up_after=2)
    assert len(httpserver.log) == 2 * 2  # 2 entries x (1 try + 1 retry), then crossref is left alone
    assert result.counts()["failed"] == 6 and result.entries == entries
    assert result.reports[5].errors == ["crossref: not asked (2 failures in a row)"]


def test_rows_reach_the_service(httpserver, run):
    serve(httpserver, "/crossref/works", fixture("crossref_search.json"))
    run([deep_learning()], sources="crossref", rows=3)
    assert httpserver.log[0][0].args["rows"] == "3"
