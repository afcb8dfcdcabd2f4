"""Security: no shell, no external entities, credentials never cached, no writes outside named paths.

(XXE in .csl styles, EndNote XML and arXiv feeds is tested by their owners in test_format_api.py,
test_dedupe_records.py and test_enrich_adapters.py; the HTML profile reader is tested here.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "bibkit"


def test_no_shell_or_subprocess_calls_in_the_package() -> None:
    pattern = re.compile(r"\bsubprocess\b|\bos\.system\b|\bos\.popen\b|shell\s*=\s*True|\bos\.exec|\bpty\.spawn")
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in SRC.rglob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert hits == []


def test_html_profile_does_not_resolve_external_entities(tmp_path: Path) -> None:
    profile = pytest.importorskip("bibkit.profile")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<html><body><ul><li>J. Doe. &xxe; A title about things. <i>Journal of X</i>, 2020.</li>"
            "<li>J. Doe. Another title here. <i>Proc. Y</i>, 2021.</li></ul></body></html>")
    res = profile.parse_profile(page, fmt="html")
    dumped = repr([e.fields() for e in res.entries]) + repr(res.problems)
    assert "TOPSECRET" not in dumped


def test_http_cache_never_stores_credentials(httpserver, tmp_path: Path) -> None:
    http = pytest.importorskip("bibkit.enrich.http")
    httpserver.expect_request("/works").respond_with_json({"ok": 1})
    url = httpserver.url_for("/works").replace("http://", "http://alice:pw-S3CRET@")
    client = http.HttpClient(cache_dir=tmp_path / "cache", mailto="me@example.org", retries=0)
    client.get("test", url, params={"query": "x", "api_key": "KEY-S3CRET", "token": "TOK-S3CRET"})
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert stored  # something was cached
    for secret in (b"pw-S3CRET", b"KEY-S3CRET", b"TOK-S3CRET", b"alice"):
        assert secret not in stored


BIB = ("@book{a, title = {A Book}, author = {Doe, Jane}, year = 2001}\n"
       "@book{b, title = {A Book}, author = {Doe, J.}, year = 2001}\n")


def _tree(*dirs: Path) -> set[str]:
    return {str(p) for d in dirs for p in d.rglob("*")}


@pytest.mark.parametrize("args", [
    ["convert", "in.bib", "-o", "out.json"],
    ["convert", "in.bib", "-o", "in.bib", "--in-place"],
    ["dedupe", "in.bib", "-o", "out.bib"],
    ["format", "in.bib", "-o", "out.txt"],
    ["check", "in.bib"],
])
def test_writes_only_named_paths(tmp_path: Path, args: list[str]) -> None:
    if args[0] != "convert":
        pytest.importorskip(f"bibkit.cli.{args[0]}")
    work, home, cache, tmp = (tmp_path / n for n in ("work", "home", "cache", "tmp"))
    for d in (work, home, cache, tmp):
        d.mkdir()
    (work / "in.bib").write_text(BIB)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "BIBKIT_CACHE_DIR": str(cache),
           "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT / "src"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    before = _tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "bibkit", *args], cwd=work, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    new = {Path(p).relative_to(tmp_path).as_posix() for p in _tree(tmp_path) - before}
    allowed = {f"work/{a}" for a in args if "." in a}
    if "--in-place" in args:
        allowed.add("work/in.bib.bak")
    assert {n for n in new if not n.startswith("cache")} <= allowed, new
