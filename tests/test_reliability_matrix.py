"""Bad input matrix: what a user sees through the CLI (exit code and message) for each bad input.

Exit codes: 0 done (warnings on stderr), 1 done but an error was reported (or --strict saw a warning),
2 bad input or options.
URLs are served by pytest-httpserver on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.cli.main import cli

BIB = "@book{k, title = {Café}, author = {Doe, Jane}, year = 2001}\n"

#: name -> (file name, bytes)
FILES: dict[str, tuple[str, bytes]] = {
    "empty": ("empty.bib", b""),
    "binary": ("bin.bib", bytes(range(256)) * 20),
    "latin-1": ("latin1.bib", BIB.encode("latin-1")),
    "utf-16-bom": ("u16.bib", BIB.encode("utf-16")),
    "truncated": ("trunc.bib", b"@book{a, title = {A}, year = 2001}\n@article{b, title = {B"),
    "duplicate-keys": ("dup.bib", b"@book{k, title = {A}}\n@book{k, title = {B}}\n"),
    "unknown-type": ("unk.bib", b"@weirdtype{k, title = {A}}\n"),
    "malformed-csl-json": ("bad.json", b'[{"id": "a", "type": "book"'),
    "csl-json-not-a-list": ("str.json", b'"just a string"'),
    "csl-json-bad-item": ("item.json", b'[{"id": "a", "type": "book", "author": "Doe"}, 5]'),
    "directory": ("adir", b""),
}

#: (case, extra args, exit code, stderr substring)
MATRIX = [
    ("empty", [], 0, "empty.bib: warning: no entries found"),
    ("empty", ["--strict"], 1, "no entries found"),
    ("binary", [], 2, "bibkit: error: bin.bib: binary file, not text"),
    ("latin-1", [], 0, "1 read, 1 written, 0 merged, 0 failed"),
    ("utf-16-bom", [], 0, "1 read, 1 written, 0 merged, 0 failed"),
    ("truncated", [], 1, "trunc.bib:2: error: unreadable block skipped: unbalanced braces in 'title'"),
    ("truncated", ["--strict"], 1, "1 read, 1 written, 0 merged, 1 failed"),
    ("duplicate-keys", [], 0, "dup.bib:2: warning: duplicate citation key 'k'"),
    ("unknown-type", [], 0, "unk.bib:1: warning: unknown entry type @weirdtype read as a document"),
    ("malformed-csl-json", [], 2, "bibkit: error: bad.json:1: invalid JSON: Expecting ',' delimiter (column 28)"),
    ("csl-json-not-a-list", [], 2, "bibkit: error: str.json: CSL-JSON must be an array of items"),
    ("csl-json-bad-item", [], 1, "item.json: error: item 1: an item must be an object, not int"),
    ("directory", [], 2, "adir: is a directory, not a file"),
]


def _make(tmp_path: Path, case: str) -> Path:
    name, data = FILES[case]
    path = tmp_path / name
    if case == "directory":
        path.mkdir()
    else:
        path.write_bytes(data)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(("case", "args", "code", "message"), MATRIX,
                         ids=[f"{m[0]}{'-strict' if m[1] else ''}" for m in MATRIX])
def test_bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, args: list[str], code: int,
                  message: str) -> None:
    path = _make(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    res = run("convert", path.name, "-o", "out.bib", *args)
    assert res.exit_code == code, res.output
    assert message in res.output
    assert "Traceback" not in res.output


def test_latin1_and_utf16_are_decoded(tmp_path: Path) -> None:
    for case in ("latin-1", "utf-16-bom"):
        path = _make(tmp_path, case)
        out = tmp_path / f"{case}.json"
        assert run("convert", str(path), "-o", str(out)).exit_code == 0
        assert '"title": "Café"' in out.read_text(encoding="utf-8")


def test_missing_file(tmp_path: Path) -> None:
    res = run("convert", str(tmp_path / "nope.bib"))
    assert res.exit_code == 2 and res.output.strip().endswith("nope.bib: no such file")


# -- styles ----------------------------------------------------------------------------------------
def test_unknown_style(tmp_path: Path) -> None:
    pytest.importorskip("bibkit.cli.format")
    path = _make(tmp_path, "duplicate-keys")
    res = run("format", str(path), "--style", "nosuchstyle")
    assert res.exit_code == 2 and "bibkit: error: unknown style 'nosuchstyle'" in res.output


def test_malformed_csl(tmp_path: Path) -> None:
    pytest.importorskip("bibkit.cli.format")
    path = _make(tmp_path, "duplicate-keys")
    (tmp_path / "bad.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info>')
    res = run("format", str(path), "--style", str(tmp_path / "bad.csl"))
    assert res.exit_code == 2 and "bad.csl:1: malformed CSL style" in res.output


# -- URLs (local server only) ----------------------------------------------------------------------
URL_MATRIX = [  # the timeout case last: the one-thread test server stays busy with it for a while
    ("ok", 0, "1 read, 1 written, 0 merged, 0 failed"),
    ("not-found", 2, "404 Not Found"),
    ("too-large", 2, "too large"),
    ("redirect-loop", 2, "redirect"),
    ("timeout", 2, "timed out after 1 s"),
]


@pytest.mark.parametrize(("case", "code", "message"), URL_MATRIX, ids=[m[0] for m in URL_MATRIX])
def test_bad_url(httpserver, monkeypatch: pytest.MonkeyPatch, case: str, code: int, message: str) -> None:
    fetch = pytest.importorskip("bibkit.fetch")
    from werkzeug import Response

    monkeypatch.setattr(fetch, "fetch_text", functools.partial(fetch.fetch_text, timeout=1.0))
    if case == "not-found":
        httpserver.expect_request("/x.bib").respond_with_data("no", status=404)
    elif case == "too-large":
        httpserver.expect_request("/x.bib").respond_with_data(b"%" * (50 * 1024 * 1024), content_type="text/plain")
    elif case == "redirect-loop":
        httpserver.expect_request("/x.bib").respond_with_response(Response(status=302, headers={"Location": "/y"}))
        httpserver.expect_request("/y").respond_with_response(Response(status=302, headers={"Location": "/x.bib"}))
    elif case == "timeout":
        def slow(request):
            time.sleep(2.5)
            return Response(BIB, content_type="text/plain")
        httpserver.expect_request("/x.bib").respond_with_handler(slow)
    else:
        httpserver.expect_request("/x.bib").respond_with_data(BIB, content_type="text/plain")
    url = httpserver.url_for("/x.bib")
    assert url.startswith("http://localhost") or url.startswith("http://127.0.0.1")
    res = run("convert", url, "--from", "bibtex")
    assert res.exit_code == code, res.output
    assert message in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x.bib", "file:///etc/passwd", "gopher://127.0.0.1/x"])
def test_url_that_is_not_http(url: str) -> None:
    pytest.importorskip("bibkit.fetch")
    res = run("convert", url)
    assert res.exit_code == 2
    assert "only http and https URLs can be fetched" in res.output
