"""The HTTP client every enrichment adapter (and profile URL fetching) shares.

One :class:`requests.Session` with a ``bibkit/<version> (mailto:...)`` User-Agent,
timeouts, retries with exponential backoff on 429 and 5xx answers (honouring
``Retry-After`` and the ``X-Rate-Limit-*`` / ``X-RateLimit-*`` headers), pacing per
service (a minimum interval between the starts of two requests to the same service,
kept across threads), and an on-disk cache so that a re-run makes no request.

The cache stores only what is needed to answer again: the URL (without user info
or credential-like query parameters), the status, the content type and the body.
Request and response headers are never stored, so no credential reaches the disk.

Offline mode answers from the cache only and never opens a connection; a miss is a
:class:`ServiceError`.

>>> key = cache_key("https://user:pw@api.example/works?query=x&mailto=a@b.c&api_key=s3cret")
>>> len(key)
64
>>> key == cache_key("https://api.example/works?query=x")
True
>>> strip_credentials("https://user:pw@api.example/w?q=1&api_key=s3cret&token=t")
'https://api.example/w?q=1'
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

import requests

from ..errors import BibkitError

#: status codes worth retrying (rate limited, server trouble)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: answers worth caching: found, and "there is no such record"
CACHEABLE_STATUSES = frozenset({200, 404, 410})
#: query parameters that identify the caller rather than the question: not part of the cache key
_IDENTITY_PARAMS = frozenset({"mailto", "email"})
#: query parameters that may carry a secret: never stored, never part of the cache key
_SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "access_token", "auth", "password", "secret"})

#: default minimum seconds between two requests to one service (their published etiquette)
DEFAULT_PACING = {
    "crossref": 0.1,   # polite pool allows more; stay well below
    "dblp": 1.0,
    "arxiv": 3.0,      # arXiv API terms: one request every three seconds
    "openalex": 0.1,
    "fetch": 0.0,
}


class ServiceError(BibkitError):
    """A service could not answer (after retries), or answered something unusable."""

    def __init__(self, message: str, *, service: str = "", url: str | None = None):
        super().__init__(message, source=service or None)
        self.service = service
        self.url = url


class OfflineMiss(ServiceError):
    """Offline mode and the answer is not in the cache."""


def user_agent(mailto: str | None = None) -> str:
    """The User-Agent bibkit sends.

    >>> user_agent("me@example.org").startswith("bibkit/")
    True
    >>> user_agent("me@example.org").endswith("(mailto:me@example.org)")
    True
    """
    from .. import __version__

    agent = f"bibkit/{__version__}"
    if mailto:
        agent += f" (mailto:{mailto})"
    else:
        agent += " (+https://example.invalid/bibkit)"
    return agent


def make_session(mailto: str | None = None, pool: int = 8) -> requests.Session:
    """A requests Session with bibkit's User-Agent and a connection pool of ``pool``."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent(mailto)
    session.headers["Accept-Encoding"] = "gzip, deflate"
    adapter = requests.adapters.HTTPAdapter(pool_connections=pool, pool_maxsize=pool, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = 5
    # proxies and CA bundles from the environment still apply, but never ~/.netrc credentials:
    # requests consults .netrc only when no auth is set, so set one that adds nothing
    session.auth = _no_auth
    return session


def _query_pairs(query: str, drop: frozenset[str]) -> list[str]:
    """The raw ``k=v`` pairs of a query string, without those whose key is in ``drop``."""
    out = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = unquote_plus(pair.split("=", 1)[0]).lower()
        if name not in drop:
            out.append(pair)
    return out


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """Only credentials written in the URL itself (a mirror's ``user:pw@host``) are sent."""
    user, password = requests.utils.get_auth_from_url(request.url or "")
    if user or password:
        return requests.auth.HTTPBasicAuth(user, password)(request)
    return request


def strip_credentials(url: str) -> str:
    """The URL without user info and without credential-like query parameters."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = "&".join(_query_pairs(parts.query, _SECRET_PARAMS))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def cache_key(url: str) -> str:
    """A stable key for a GET of ``url``: credentials and caller identity do not count."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    query = "&".join(sorted(_query_pairs(parts.query, _SECRET_PARAMS | _IDENTITY_PARAMS)))
    canon = urlunsplit((parts.scheme.lower(), netloc, parts.path, query, ""))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def default_cache_dir() -> Path:
    """``http/`` in ``$BIBKIT_CACHE_DIR`` if set, else in the user cache directory (platformdirs)."""
    env = os.environ.get("BIBKIT_CACHE_DIR")
    if env:
        return Path(env) / "http"
    import platformdirs

    return Path(platformdirs.user_cache_dir("bibkit", appauthor=False)) / "http"


@dataclass
class Response:
    """What the client hands to an adapter (and what the cache keeps)."""

    url: str
    status: int
    content_type: str
    text: str
    from_cache: bool = False

    def json(self, service: str = "") -> Any:
        """The body as JSON; an HTML page or malformed JSON is a :class:`ServiceError`."""
        if looks_like_html(self.content_type, self.text):
            raise ServiceError(f"answered an HTML page instead of JSON (HTTP {self.status})",
                               service=service, url=self.url)
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise ServiceError(f"malformed JSON ({exc.msg} at char {exc.pos})", service=service, url=self.url) from None
        except ValueError as exc:  # e.g. an integer over the int-from-string digit limit
            raise ServiceError(f"malformed JSON ({exc})", service=service, url=self.url) from None


def looks_like_html(content_type: str, text: str) -> bool:
    """True for an HTML answer (by content type or by its first characters).

    >>> looks_like_html("text/html; charset=utf-8", "")
    True
    >>> looks_like_html("application/json", "  <!DOCTYPE html><html>")
    True
    >>> looks_like_html("application/json", '{"a": 1}')
    False
    """
    if "html" in content_type.lower():
        return True
    head = text[:200].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body"))


class Cache:
    """Answers on disk, one JSON file per request, written atomically."""

    def __init__(self, directory: str | os.PathLike[str], ttl: float | None = 30 * 86400):
        self.directory = Path(directory)
        self.ttl = ttl

    def _path(self, service: str, key: str) -> Path:
        safe = "".join(c for c in service if c.isalnum() or c in "-_") or "misc"
        return self.directory / safe / key[:2] / f"{key}.json"

    def get(self, service: str, url: str, key: str | None = None, stale_ok: bool = False) -> Response | None:
        path = self._path(service, key or cache_key(url))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        if not stale_ok and self.ttl is not None and time.time() - float(data.get("fetched", 0)) > self.ttl:
            return None
        return Response(url=data.get("url", ""), status=int(data.get("status", 200)),
                        content_type=data.get("content_type", ""), text=data.get("body", ""), from_cache=True)

    def put(self, service: str, url: str, response: Response, key: str | None = None) -> None:
        path = self._path(service, key or cache_key(url))
        record = {
            "url": strip_credentials(url),
            "status": response.status,
            "content_type": response.content_type,
            "fetched": time.time(),
            "body": response.text,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(record, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written only costs a request next time
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


class Pacer:
    """Minimum interval between the starts of two requests to one service, across threads."""

    def __init__(self, intervals: Mapping[str, float] | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.intervals = dict(DEFAULT_PACING)
        if intervals:
            self.intervals.update(intervals)
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock

    def set_interval(self, service: str, seconds: float) -> None:
        with self._lock:
            self.intervals[service] = max(self.intervals.get(service, 0.0), seconds)

    def hold(self, service: str, seconds: float) -> None:
        """Send nothing to ``service`` for the next ``seconds``."""
        with self._lock:
            until = self._clock() + seconds
            self._next[service] = max(self._next.get(service, 0.0), until)

    def wait(self, service: str) -> None:
        """Block until a request to ``service`` may start, and take the slot.

        The next slot is booked from the moment this request really starts (not from
        when it was scheduled), so a thread that wakes late never lets the following
        one crowd in right behind it: consecutive starts are always ``interval`` apart.
        """
        interval = self.intervals.get(service, 0.0)
        while True:
            with self._lock:
                now = self._clock()
                start = self._next.get(service, 0.0)
                if now >= start:
                    self._next[service] = now + interval
                    return
            self._sleep(start - now)


@dataclass
class ClientStats:
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    by_service: dict[str, int] = field(default_factory=dict)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date).

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def parse_interval(value: str | None) -> float | None:
    """Seconds in a Crossref ``X-Rate-Limit-Interval`` value (``1s``, ``500ms``, ``1m``).

    >>> parse_interval("1s"), parse_interval("500ms"), parse_interval("2m")
    (1.0, 0.5, 120.0)
    """
    if not value:
        return None
    value = value.strip().lower()
    for unit, factor in (("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)):
        if value.endswith(unit):
            try:
                return float(value[: -len(unit)]) * factor
            except ValueError:
                return None
    try:
        return float(value)
    except ValueError:
        return None


class HttpClient:
    """GET with timeouts, retries, pacing and a cache; safe to share between threads.

    ``backoff`` is the first retry delay (doubled each retry, with a little jitter,
    capped at ``max_wait``); a ``Retry-After`` header takes precedence (also capped).
    """

    def __init__(self, *, mailto: str | None = None, timeout: float = 20.0, retries: int = 3,
                 backoff: float = 1.0, max_wait: float = 60.0, offline: bool = False,
                 cache_dir: str | os.PathLike[str] | None = None, use_cache: bool = True,
                 cache_ttl: float | None = 30 * 86400, pacing: Mapping[str, float] | None = None,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, pool: int = 8, max_bytes: int = 20 * 1024 * 1024):
        self.mailto = mailto
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.offline = offline
        self.cache = Cache(cache_dir if cache_dir is not None else default_cache_dir(), cache_ttl) \
            if use_cache else None
        self.pacer = Pacer(pacing, sleep=sleep, clock=clock)
        self._session = session
        self._pool = pool
        self._sleep = sleep
        self._lock = threading.Lock()
        self.stats = ClientStats()

    @property
    def session(self) -> requests.Session:
        """Created on first use, so offline runs never build one."""
        with self._lock:
            if self._session is None:
                self._session = make_session(self.mailto, self._pool)
            return self._session

    def _count(self, attr: str, service: str | None = None) -> None:
        with self._lock:
            setattr(self.stats, attr, getattr(self.stats, attr) + 1)
            if service is not None:
                self.stats.by_service[service] = self.stats.by_service.get(service, 0) + 1

    def get(self, service: str, url: str, params: Mapping[str, Any] | None = None,
            accept: str = "application/json") -> Response:
        """GET ``url`` (with ``params``) for ``service``; a :class:`ServiceError` when it cannot.

        Answers 200, 404 and 410 are returned (and cached); anything else after the
        retries is an error.
        """
        full = build_url(url, params)
        key = cache_key(full) if self.cache is not None else None
        if self.cache is not None:
            hit = self.cache.get(service, full, key, stale_ok=self.offline)
            if hit is not None:
                self._count("cache_hits")
                return hit
        if self.offline:
            raise OfflineMiss("offline and not in the cache", service=service, url=strip_credentials(full))
        response = self._fetch(service, full, accept)
        if self.cache is not None and _cacheable_body(response, accept):
            self.cache.put(service, full, response, key)
        return response

    def get_json(self, service: str, url: str, params: Mapping[str, Any] | None = None) -> Any | None:
        """The JSON body, or ``None`` for 404/410 (no such record)."""
        response = self.get(service, url, params)
        if response.status in (404, 410):
            return None
        return response.json(service)

    def _fetch(self, service: str, url: str, accept: str) -> Response:
        attempt = 0
        while True:
            self.pacer.wait(service)
            self._count("requests", service)
            error: str
            try:
                r = self.session.get(url, timeout=self.timeout, headers={"Accept": accept}, stream=True)
                with r:
                    self._note_rate_limits(service, r.headers)
                    if r.status_code not in RETRY_STATUSES:
                        if r.status_code in CACHEABLE_STATUSES or 200 <= r.status_code < 300:
                            return Response(url=strip_credentials(r.url or url), status=r.status_code,
                                            content_type=r.headers.get("Content-Type", ""),
                                            text=self._read(r, service, url))
                        self._count("failures")
                        raise ServiceError(status_text(r.status_code, r.reason), service=service,
                                           url=strip_credentials(url))
                    error = status_text(r.status_code, r.reason)
                    wait = parse_retry_after(r.headers.get("Retry-After"))
            except requests.Timeout:
                error = f"timed out after {self.timeout:g} s"
                wait = None
            except requests.ConnectionError as exc:
                error = f"could not connect ({_short_reason(exc)})"
                wait = None
            except requests.RequestException as exc:
                self._count("failures")
                raise ServiceError(f"request failed ({type(exc).__name__})", service=service,
                                   url=strip_credentials(url)) from None
            if attempt >= self.retries:
                self._count("failures")
                raise ServiceError(f"{error} (after {attempt + 1} attempts)", service=service,
                                   url=strip_credentials(url))
            if wait is None:
                wait = self.backoff * (2 ** attempt) * (1 + 0.1 * random.random())
            wait = min(wait, self.max_wait)
            # everyone talking to this service waits, not just this thread
            self.pacer.hold(service, wait)
            self._count("retries")
            attempt += 1

    def _read(self, r: requests.Response, service: str, url: str) -> str:
        """The body, at most ``max_bytes``; UTF-8 unless the answer names a charset."""
        length = r.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            self._count("failures")
            raise ServiceError(f"answer too large ({int(length)} bytes)", service=service, url=strip_credentials(url))
        body = bytearray()
        for chunk in r.iter_content(64 * 1024):
            body += chunk
            if len(body) > self.max_bytes:
                self._count("failures")
                raise ServiceError(f"answer too large (over {self.max_bytes} bytes)", service=service,
                                   url=strip_credentials(url))
        charset = "utf-8"
        for param in r.headers.get("Content-Type", "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip("\"'")
        try:
            return bytes(body).decode(charset, errors="replace")
        except LookupError:
            return bytes(body).decode("utf-8", errors="replace")

    def _note_rate_limits(self, service: str, headers: Mapping[str, str]) -> None:
        """Follow the service's own rate-limit headers (Crossref ``X-Rate-Limit-*``,
        the common ``X-RateLimit-Remaining`` / ``-Reset``)."""
        limit = headers.get("X-Rate-Limit-Limit")
        interval = parse_interval(headers.get("X-Rate-Limit-Interval"))
        if limit and interval:
            with contextlib.suppress(ValueError, ZeroDivisionError):
                self.pacer.set_interval(service, interval / float(limit))
        remaining = headers.get("X-RateLimit-Remaining") or headers.get("RateLimit-Remaining")
        reset = headers.get("X-RateLimit-Reset") or headers.get("RateLimit-Reset")
        if remaining is not None and reset is not None:
            try:
                if float(remaining) <= 0:
                    value = float(reset)
                    # either an epoch time or a number of seconds
                    delay = value - time.time() if value > 1e9 else value
                    self.pacer.hold(service, min(max(delay, 0.0), self.max_wait))
            except ValueError:
                pass


def _cacheable_body(response: Response, accept: str) -> bool:
    if response.status not in CACHEABLE_STATUSES:
        return False
    if response.status == 200 and "html" not in accept and looks_like_html(response.content_type, response.text):
        return False
    if "json" in accept and response.status == 200:
        try:
            json.loads(response.text)
        except ValueError:
            return False
    return True


def status_text(code: int, reason: str | None = None) -> str:
    """``HTTP 404 Not Found`` (the standard phrase, whatever the server wrote).

    >>> status_text(404, "NOT FOUND"), status_text(599, "Odd")
    ('HTTP 404 Not Found', 'HTTP 599 Odd')
    """
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = reason or ""
    return f"HTTP {code} {phrase}".strip()


def _short_reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "nodename nor servname",
                   "Temporary failure in name resolution", "Network is unreachable", "No route to host",
                   "Connection reset", "Remote end closed connection"):
        if marker.lower() in text.lower():
            return marker.lower()
    return type(exc).__name__


def build_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """``url`` with ``params`` appended (``None`` values dropped).

    >>> build_url("https://api.example/works", {"q": "a b", "rows": 5, "x": None})
    'https://api.example/works?q=a+b&rows=5'
    """
    if not params:
        return url
    query = urlencode([(k, str(v)) for k, v in params.items() if v is not None])
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + query


def service_url(option: str | None, env_var: str, default: str) -> str:
    """A service's base URL: the option, else the environment variable, else the default.

    >>> service_url("http://127.0.0.1:9/", "BIBKIT_NO_SUCH_VAR", "https://api.example")
    'http://127.0.0.1:9'
    """
    value = option or os.environ.get(env_var) or default
    return value.rstrip("/")
