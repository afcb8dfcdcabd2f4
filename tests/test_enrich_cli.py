"""``bibkit enrich`` on the command line, against local fake services."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.cli import cli

DATA = Path(__file__).parent / "data" / "enrich"


def csl_items(n_unrelated: int = 0):
    items = [{"id": "lecun2015", "type": "article-journal", "title": "Deep Learning",
              "author": [{"family": "LeCun", "given": "Yann"}, {"family": "Hinton", "given": "Geoffrey"}],
              "issued": {"date-parts": [[2015]]}, "page": "1--2"}]
    for i in range(n_unrelated):
        items.append({"id": f"other{i}", "type": "article-journal", "title": f"A different study number {i}",
                      "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2001]]}})
    return items


@pytest.fixture
def env(httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/crossref/works").respond_with_data(
        (DATA / "crossref_search.json").read_text(), content_type="application/json")
    monkeypatch.setenv("BIBKIT_CROSSREF_URL", httpserver.url_for("/crossref"))
    monkeypatch.setenv("BIBKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return httpserver


def invoke(*args):
    return CliRunner().invoke(cli, ["enrich", *args], catch_exceptions=False)


def test_enrich_file_with_report(env, tmp_path):
    Path("in.json").write_text(json.dumps(csl_items(1)))
    result = invoke("in.json", "-o", "out.json", "--source", "crossref", "--report", "--mailto", "me@example.org")
    assert result.exit_code == 0, result.output
    out = json.loads(Path("out.json").read_text())
    assert out[0]["DOI"] == "10.1038/nature14539" and out[0]["page"] == "1--2"  # user's pages kept
    assert out[1] == csl_items(1)[1] | {"id": "other0"}
    assert "lecun2015: found via crossref (search, title similarity 1.00)" in result.output
    assert "doi: '10.1038/nature14539'" in result.output
    assert "bibkit enrich: 1 found (1 changed), 1 not found, 0 failed; 2 requests, 0 from cache" in result.output
    assert "(mailto:me@example.org)" in env.log[0][0].headers["User-Agent"]


def test_rerun_uses_cache_and_offline_sends_nothing(env):
    Path("in.json").write_text(json.dumps(csl_items(0)))
    assert invoke("in.json", "-o", "a.json", "--source", "crossref").exit_code == 0
    assert len(env.log) == 1
    second = invoke("in.json", "-o", "b.json", "--source", "crossref")
    assert "0 requests, 1 from cache" in second.output and len(env.log) == 1
    third = invoke("in.json", "-o", "c.json", "--offline", "--overwrite")
    assert third.exit_code == 0 and len(env.log) == 1
    assert json.loads(Path("c.json").read_text())[0]["page"] == "436–444"  # BibTeX: 436--444


def test_progress_bar_and_summary_for_longer_runs(env):
    Path("in.json").write_text(json.dumps(csl_items(7)))
    result = invoke("in.json", "-o", "out.json", "--source", "crossref")
    assert "enriching" not in result.output  # stderr is not a terminal: no progress
    assert "1 found (1 changed), 7 not found, 0 failed" in result.output
    result = invoke("in.json", "-o", "out.json", "--source", "crossref", "--progress")
    assert re.search(r"enriching: 100%.*8/8", result.output)


def test_strict_exits_1_when_lookups_fail(env):
    Path("in.json").write_text(json.dumps(csl_items(0)))
    result = invoke("in.json", "-o", "out.json", "--offline", "--strict")
    assert result.exit_code == 1
    assert "0 found (0 changed), 0 not found, 1 failed" in result.output
    assert json.loads(Path("out.json").read_text()) == csl_items(0)  # written, unchanged


def test_unknown_source_one_line_error(env):
    Path("in.json").write_text(json.dumps(csl_items(0)))
    result = invoke("in.json", "-o", "out.json", "--source", "crossref,scholar")
    assert result.exit_code == 2
    assert result.output.strip() == ("bibkit: error: unknown enrichment source 'scholar'; "
                                     "known: crossref, dblp, arxiv, openalex")
    assert not Path("out.json").exists()


def test_service_url_option(env, monkeypatch):
    monkeypatch.delenv("BIBKIT_CROSSREF_URL")
    Path("in.json").write_text(json.dumps(csl_items(0)))
    result = invoke("in.json", "-o", "out.json", "--source", "crossref", "--no-cache",
                    "--service-url", f"crossref={env.url_for('/crossref')}")
    assert result.exit_code == 0 and json.loads(Path("out.json").read_text())[0]["DOI"] == "10.1038/nature14539"


def test_output_equal_to_input_refused(env):
    Path("in.json").write_text(json.dumps(csl_items(0)))
    result = invoke("in.json", "-o", "in.json")
    assert result.exit_code == 2 and "use --in-place" in result.output
    assert len(env.log) == 0


def test_enrich_bibtex_keeps_format_and_user_fields(env):
    Path("refs.bib").write_text(
        "@article{lecun2015,\n  author = {LeCun, Yann and Hinton, Geoffrey},\n  title = {Deep Learning},\n"
        "  year = {2015},\n  pages = {1--2}\n}\n\n@misc{other,\n  title = {Nothing like it},\n  year = 2001\n}\n",
        encoding="utf-8")
    result = invoke("refs.bib", "-o", "out.bib", "--source", "crossref")
    assert result.exit_code == 0, result.output
    text = Path("out.bib").read_text(encoding="utf-8")
    assert "doi = {10.1038/nature14539}" in text and "journal = {Nature}" in text
    assert "pages = {1--2}" in text and "436" not in text  # the user's pages win
    assert "@misc{other," in text
