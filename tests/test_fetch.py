"""Profile URLs: only http(s), bounded redirects, size cap, content types, charsets, timeouts.

All against a local pytest-httpserver on 127.0.0.1; nothing touches the internet.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from werkzeug import Response

import bibkit
from bibkit import __version__
from bibkit.errors import InputError
from bibkit.fetch import fetch_text


def test_html_with_header_charset(httpserver):
    page = "<html><body><ul><li>Müller, J. (2020). Über Graphen.</li></ul></body></html>"
    httpserver.expect_request("/p").respond_with_data(page.encode("utf-8"), content_type="text/html; charset=utf-8")
    assert fetch_text(httpserver.url_for("/p")) == page
    assert httpserver.log[0][0].headers["User-Agent"].startswith(f"bibkit/{__version__}")


def test_charset_from_meta_tag(httpserver):
    page = '<html><head><meta charset="windows-1252"></head><body>“Quoted” – café</body></html>'
    httpserver.expect_request("/p").respond_with_data(page.encode("cp1252"), content_type="text/html")
    assert "“Quoted” – café" in fetch_text(httpserver.url_for("/p"))


def test_charset_detected_when_undeclared(httpserver):
    text = ("Publications\n\nJosé Pérez and François Lefèvre. Modèles de données à grande échelle. "
            "Revue française d'informatique, 2019.\n") * 3
    httpserver.expect_request("/p.txt").respond_with_data(text.encode("latin-1"), content_type="text/plain")
    assert fetch_text(httpserver.url_for("/p.txt")) == text


def test_markdown_and_bib_content_types(httpserver):
    httpserver.expect_request("/a.md").respond_with_data("# Papers\n- A", content_type="text/markdown")
    httpserver.expect_request("/a.bib").respond_with_data("@misc{a, title={A}}", content_type="application/x-bibtex")
    assert fetch_text(httpserver.url_for("/a.md")).startswith("# Papers")
    assert fetch_text(httpserver.url_for("/a.bib")).startswith("@misc")


def test_binary_content_type_refused(httpserver):
    httpserver.expect_request("/cv.pdf").respond_with_data(b"%PDF-1.7\x00\x01", content_type="application/pdf")
    url = httpserver.url_for("/cv.pdf")
    with pytest.raises(InputError) as err:
        fetch_text(url)
    assert str(err.value) == f"{url}: not a text page (content type application/pdf)"


def test_binary_body_with_text_type_refused(httpserver):
    httpserver.expect_request("/x").respond_with_data(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type="text/plain")
    with pytest.raises(InputError, match="binary content, not text"):
        fetch_text(httpserver.url_for("/x"))


def test_404(httpserver):
    httpserver.expect_request("/missing").respond_with_data("nope", status=404)
    url = httpserver.url_for("/missing")
    with pytest.raises(InputError) as err:
        fetch_text(url)
    assert str(err.value) == f"{url}: HTTP 404 Not Found"
    assert err.value.source == url


def test_timeout(httpserver):
    done = threading.Event()

    def slow(request):
        time.sleep(0.5)
        done.set()
        return Response("late", content_type="text/plain")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    url = httpserver.url_for("/slow")
    with pytest.raises(InputError) as err:
        fetch_text(url, timeout=0.1)
    assert str(err.value) == f"{url}: timed out after 0.1 s"
    done.wait(2)
    time.sleep(0.05)


def test_unreachable_host_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page.html"
    with pytest.raises(InputError) as err:
        fetch_text(url, timeout=1)
    assert str(err.value) == f"{url}: could not connect to 127.0.0.1 (connection refused)"


def test_too_large_by_content_length_is_not_read(httpserver):
    sent = []

    def big(request):
        def body():
            for _ in range(50):
                sent.append(1)
                yield b"x" * (1024 * 1024)
        return Response(body(), content_type="text/html", headers={"Content-Length": str(50 * 1024 * 1024)})

    httpserver.expect_request("/big").respond_with_handler(big)
    url = httpserver.url_for("/big")
    with pytest.raises(InputError) as err:
        fetch_text(url)
    assert str(err.value) == f"{url}: too large (50 MB; the limit is 20 MB)"
    assert len(sent) < 50


def test_too_large_streamed_without_length(httpserver):
    sent = []

    def big(request):
        def body():
            for _ in range(50):
                sent.append(1)
                yield b"y" * (1024 * 1024)
        return Response(body(), content_type="text/plain")  # chunked, no Content-Length

    httpserver.expect_request("/stream").respond_with_handler(big)
    with pytest.raises(InputError, match=r"too large \(more than 2 MB, the limit\)"):
        fetch_text(httpserver.url_for("/stream"), max_bytes=2 * 1024 * 1024)
    assert len(sent) < 50  # stopped reading long before the end


def test_redirect_followed(httpserver):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("moved here", content_type="text/plain")
    assert fetch_text(httpserver.url_for("/old")) == "moved here"


def test_redirect_loop(httpserver):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    url = httpserver.url_for("/a")
    with pytest.raises(InputError, match=r"redirect loop \(.*/b -> .*/a\)"):
        fetch_text(url)
    assert len(httpserver.log) == 2


def test_too_many_redirects(httpserver):
    for i in range(10):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(InputError, match=r"too many redirects \(more than 3\)"):
        fetch_text(httpserver.url_for("/r0"), max_redirects=3)
    assert len(httpserver.log) == 4


def test_redirect_to_other_scheme_refused(httpserver):
    httpserver.expect_request("/evil").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(InputError, match="only http and https URLs can be fetched, not 'file'"):
        fetch_text(httpserver.url_for("/evil"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/pubs.txt", "gopher://x/1",
                                 "javascript:alert(1)", "http:///nohost"])
def test_only_http_and_https(url):
    with pytest.raises(InputError) as err:
        fetch_text(url)
    assert err.value.source == url and "\n" not in str(err.value)


def test_credentials_in_environment_are_not_used(httpserver, monkeypatch, tmp_path):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine localhost login user password hunter2\n")
    monkeypatch.setenv("NETRC", str(netrc))
    httpserver.expect_request("/p").respond_with_data("ok", content_type="text/plain")
    fetch_text(httpserver.url_for("/p"))
    assert "Authorization" not in httpserver.log[0][0].headers


def test_load_reads_a_url(httpserver):
    items = [{"id": "a", "type": "article-journal", "title": "Deep learning", "issued": {"date-parts": [[2015]]}}]
    httpserver.expect_request("/refs.json").respond_with_data(json.dumps(items), content_type="application/json")
    result = bibkit.load(httpserver.url_for("/refs.json"), fmt="csl-json")
    assert [e.title for e in result.entries] == ["Deep learning"]


def test_cli_reports_url_errors_in_one_line(httpserver):
    from click.testing import CliRunner

    from bibkit.cli import cli

    httpserver.expect_request("/gone").respond_with_data("", status=404)
    url = httpserver.url_for("/gone")
    out = CliRunner().invoke(cli, ["convert", url, "--from", "csl-json"])
    assert out.exit_code == 2
    assert out.output.strip() == f"bibkit: error: {url}: HTTP 404 Not Found"


def test_charset_from_http_equiv_and_bom_wins(httpserver):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"></head>'
            '<body>Prix: 10 €</body></html>')
    httpserver.expect_request("/old").respond_with_data(page.encode("iso-8859-15"), content_type="text/html")
    assert "10 €" in fetch_text(httpserver.url_for("/old"))
    httpserver.expect_request("/bom").respond_with_data("\ufeffKöln".encode(),
                                                        content_type="text/plain; charset=latin-1")
    assert fetch_text(httpserver.url_for("/bom")) == "Köln"
