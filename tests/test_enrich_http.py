"""The shared HTTP client: retries, backoff, Retry-After, pacing, cache, offline, bad answers.

Everything runs against a local pytest-httpserver on 127.0.0.1; nothing touches the internet.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from werkzeug import Response

from bibkit import __version__
from bibkit.enrich.http import HttpClient, OfflineMiss, ServiceError, cache_key

DATA = Path(__file__).parent / "data" / "enrich"


class Sleeps:
    """A recording stand-in for time.sleep with its own clock, so waits are checked without waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def make(tmp_path: Path, **kw) -> HttpClient:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("retries", 2)
    kw.setdefault("backoff", 0.001)
    kw.setdefault("max_wait", 5.0)
    kw.setdefault("pacing", {"test": 0.0})
    return HttpClient(cache_dir=tmp_path / "cache", **kw)


def test_user_agent_and_json(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_json({"status": "ok", "message": {"items": []}})
    client = make(tmp_path, mailto="me@example.org")
    data = client.get_json("test", httpserver.url_for("/works"), {"q": "x"})
    assert data["status"] == "ok"
    request = httpserver.log[0][0]
    assert request.headers["User-Agent"] == f"bibkit/{__version__} (mailto:me@example.org)"
    assert request.args["q"] == "x"


def test_429_retry_after_is_honoured(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/works").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"})
    httpserver.expect_request("/works").respond_with_json({"ok": 1})
    sleeps = Sleeps()
    client = make(tmp_path, sleep=sleeps, clock=sleeps.clock)
    assert client.get_json("test", httpserver.url_for("/works")) == {"ok": 1}
    assert len(httpserver.log) == 2
    assert sleeps.calls and 1.9 < max(sleeps.calls) <= 2.0  # waited what the server asked
    assert client.stats.retries == 1


def test_retry_after_is_capped(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/w").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_request("/w").respond_with_json({})
    sleeps = Sleeps()
    client = make(tmp_path, sleep=sleeps, clock=sleeps.clock, max_wait=1.5)
    client.get_json("test", httpserver.url_for("/w"))
    assert max(sleeps.calls) <= 1.5


def test_500_then_success_with_exponential_backoff(httpserver, tmp_path):
    for _ in range(2):
        httpserver.expect_oneshot_request("/w").respond_with_data("oops", status=500)
    httpserver.expect_request("/w").respond_with_json({"ok": True})
    sleeps = Sleeps()
    client = make(tmp_path, sleep=sleeps, clock=sleeps.clock, backoff=0.5, retries=3)
    assert client.get_json("test", httpserver.url_for("/w")) == {"ok": True}
    assert len(httpserver.log) == 3
    assert len(sleeps.calls) == 2
    assert 0.5 <= sleeps.calls[0] < 0.6 and 1.0 <= sleeps.calls[1] < 1.2  # doubled


def test_persistent_503_fails_after_retries(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_data("down", status=503)
    client = make(tmp_path, retries=2)
    with pytest.raises(ServiceError, match=r"HTTP 503 .*after 3 attempts"):
        client.get_json("test", httpserver.url_for("/w"))
    assert len(httpserver.log) == 3


def test_slow_answer_times_out(httpserver, tmp_path):
    done = threading.Event()

    def slow(request):
        time.sleep(0.8)
        done.set()
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    client = make(tmp_path, timeout=0.1, retries=0)
    t0 = time.monotonic()
    with pytest.raises(ServiceError, match=r"timed out after 0.1 s"):
        client.get_json("test", httpserver.url_for("/slow"))
    assert time.monotonic() - t0 < 0.7  # gave up long before the answer came
    done.wait(2)  # let the server finish (and log) before the next test
    time.sleep(0.05)


def test_malformed_json_is_a_failure_and_not_cached(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_data('{"status": "ok", "message": {', content_type="application/json")
    client = make(tmp_path)
    with pytest.raises(ServiceError, match="malformed JSON"):
        client.get_json("test", httpserver.url_for("/w"))
    with pytest.raises(ServiceError, match="malformed JSON"):
        client.get_json("test", httpserver.url_for("/w"))
    assert len(httpserver.log) == 2  # asked again: a broken answer is never cached


def test_json_over_the_integer_digit_limit_is_a_service_error(httpserver, tmp_path):
    # json.loads raises a plain ValueError (not JSONDecodeError) for an integer of more than 4300 digits
    httpserver.expect_request("/w").respond_with_data('{"n": ' + "1" * 5000 + "}", content_type="application/json")
    with pytest.raises(ServiceError, match="malformed JSON"):
        make(tmp_path).get_json("test", httpserver.url_for("/w"))


def test_html_error_page_instead_of_json(httpserver, tmp_path):
    page = (DATA / "error_page.html").read_text()
    httpserver.expect_request("/w").respond_with_data(page, content_type="text/html; charset=utf-8")
    client = make(tmp_path)
    with pytest.raises(ServiceError, match="HTML page instead of JSON"):
        client.get_json("test", httpserver.url_for("/w"))
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_html_with_json_content_type_is_still_html(httpserver, tmp_path):
    page = (DATA / "error_page.html").read_text()
    httpserver.expect_request("/w").respond_with_data(page, content_type="application/json")
    with pytest.raises(ServiceError, match="HTML page"):
        make(tmp_path).get_json("test", httpserver.url_for("/w"))


def test_404_is_none_and_cached(httpserver, tmp_path):
    httpserver.expect_request("/works/10.1000/none").respond_with_data("Resource not found.", status=404)
    client = make(tmp_path)
    assert client.get_json("test", httpserver.url_for("/works/10.1000/none")) is None
    assert client.get_json("test", httpserver.url_for("/works/10.1000/none")) is None
    assert len(httpserver.log) == 1


def test_other_4xx_is_a_failure(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_data("no", status=403)
    with pytest.raises(ServiceError, match="HTTP 403"):
        make(tmp_path).get_json("test", httpserver.url_for("/w"))
    assert len(httpserver.log) == 1  # not retried


def test_cache_hit_on_rerun_makes_no_request(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json({"n": 1})
    url = httpserver.url_for("/w")
    assert make(tmp_path).get_json("test", url, {"q": "a"}) == {"n": 1}
    again = make(tmp_path)  # a new run, same cache directory
    assert again.get_json("test", url, {"q": "a"}) == {"n": 1}
    assert len(httpserver.log) == 1
    assert again.stats.requests == 0 and again.stats.cache_hits == 1


def test_cache_ignores_mailto_and_stores_no_credentials(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json({"n": 1})
    url = httpserver.url_for("/w").replace("http://", "http://user:hunter2@")
    client = make(tmp_path, mailto="a@example.org")
    client.get_json("test", url, {"q": "a", "mailto": "a@example.org", "api_key": "s3cret-token"})
    request = httpserver.log[0][0]
    assert request.headers.get("Authorization")  # the server did get the credentials...
    files = list((tmp_path / "cache").rglob("*.json"))
    assert len(files) == 1
    stored = files[0].read_text()
    for secret in ("hunter2", "s3cret-token", "Authorization", "authorization", "a@example.org", "User-Agent"):
        assert secret not in stored  # ...the cache did not
    assert set(json.loads(stored)) == {"url", "status", "content_type", "fetched", "body"}
    # another address, same question: answered from the cache
    other = make(tmp_path, mailto="b@example.org")
    other.get_json("test", httpserver.url_for("/w"), {"q": "a", "mailto": "b@example.org"})
    assert len(httpserver.log) == 1


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BIBKIT_CACHE_DIR", str(tmp_path / "envcache"))
    client = HttpClient()
    assert client.cache is not None and client.cache.directory == tmp_path / "envcache" / "http"


def test_offline_makes_zero_requests(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json({"n": 1})
    client = make(tmp_path, offline=True)
    with pytest.raises(OfflineMiss):
        client.get_json("test", httpserver.url_for("/w"))
    assert len(httpserver.log) == 0
    assert client._session is None  # not even a session was built
    make(tmp_path).get_json("test", httpserver.url_for("/w"))  # fill the cache online
    assert make(tmp_path, offline=True).get_json("test", httpserver.url_for("/w")) == {"n": 1}
    assert len(httpserver.log) == 1


def test_unreachable_service(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make(tmp_path, retries=1)
    with pytest.raises(ServiceError, match="could not connect"):
        client.get_json("test", f"http://127.0.0.1:{port}/w")


def test_rate_limit_headers_set_pacing(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json(
        {}, headers={"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"})
    client = make(tmp_path, use_cache=False)
    client.get_json("crossref", httpserver.url_for("/w"))
    assert client.pacer.intervals["crossref"] >= 0.02


def test_exhausted_rate_limit_holds_requests(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json(
        {}, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2"})
    sleeps = Sleeps()
    client = make(tmp_path, use_cache=False, sleep=sleeps, clock=sleeps.clock)
    client.get_json("test", httpserver.url_for("/w"))
    client.get_json("test", httpserver.url_for("/w"))
    assert sleeps.calls and 1.5 < sleeps.calls[-1] <= 2.0


def test_pacing_spaces_requests(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json({})
    client = make(tmp_path, use_cache=False, pacing={"svc": 0.05})
    t0 = time.monotonic()
    for _ in range(4):
        client.get_json("svc", httpserver.url_for("/w"))
    assert time.monotonic() - t0 >= 0.15  # 4 requests, 3 gaps of 50 ms
    assert len(httpserver.log) == 4


def test_cache_key_is_order_independent():
    assert cache_key("http://h/w?a=1&b=2") == cache_key("http://h/w?b=2&a=1")
    assert cache_key("http://h/w?a=1") != cache_key("http://h/w?a=2")


def test_oversized_answer_refused(httpserver, tmp_path):
    httpserver.expect_request("/big").respond_with_data("[" + "1," * 5000 + "1]", content_type="application/json")
    with pytest.raises(ServiceError, match="answer too large"):
        make(tmp_path, max_bytes=1000).get_json("test", httpserver.url_for("/big"))


def test_offline_uses_stale_cache(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_json({"n": 1})
    make(tmp_path).get_json("test", httpserver.url_for("/w"))
    assert make(tmp_path, cache_ttl=0.0, offline=True).get_json("test", httpserver.url_for("/w")) == {"n": 1}
    make(tmp_path, cache_ttl=0.0).get_json("test", httpserver.url_for("/w"))  # online: stale means ask again
    assert len(httpserver.log) == 2


def test_netrc_credentials_never_sent(httpserver, tmp_path, monkeypatch):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine localhost login user password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    httpserver.expect_request("/w").respond_with_json({})
    make(tmp_path).get_json("test", httpserver.url_for("/w"))
    assert "Authorization" not in httpserver.log[0][0].headers


def test_charset_of_answer_respected(httpserver, tmp_path):
    httpserver.expect_request("/w").respond_with_data('{"t": "café"}'.encode("latin-1"),
                                                      content_type="application/json; charset=iso-8859-1")
    assert make(tmp_path).get_json("test", httpserver.url_for("/w")) == {"t": "café"}
