"""Fetching a publication list (or a .bib / CSL-JSON file) from an http(s) URL.

Safety first: only ``http`` and ``https`` (every redirect hop included), at most
``max_redirects`` redirects and no loops, a size cap enforced while streaming (a
larger body is refused without being read), text-like content types only, and a
timeout.  Every failure is an :class:`~bibkit.errors.InputError` with a one-line
message naming the URL.

The charset comes from the ``Content-Type`` header, else from an HTML ``<meta>``
tag or an XML declaration, else a BOM, else UTF-8, else detection
(charset-normalizer).

>>> fetch_text("file:///etc/passwd")
Traceback (most recent call last):
...
bibkit.errors.InputError: file:///etc/passwd: only http and https URLs can be fetched, not 'file'
"""

from __future__ import annotations

import codecs
import re
import time
from urllib.parse import urljoin, urlsplit

import requests

from .enrich.http import _short_reason, make_session, status_text
from .errors import InputError

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
_CHUNK = 64 * 1024

#: content types accepted as text (besides any ``text/*``)
TEXT_TYPES = (
    "application/xhtml+xml", "application/xml", "application/json", "application/ld+json",
    "application/vnd.citationstyles.csl+json", "application/x-bibtex", "application/x-tex",
    "application/x-latex", "application/markdown", "application/x-markdown", "application/rss+xml",
    "application/atom+xml", "application/octet-stream",
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""")


def _check_scheme(url: str, source: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"only http and https URLs can be fetched, not {scheme or 'a relative URL'!r}",
                         source=source)
    if not urlsplit(url).hostname:
        raise InputError("URL has no host name", source=source)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def fetch_bytes(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                max_redirects: int = DEFAULT_MAX_REDIRECTS,
                session: requests.Session | None = None) -> tuple[bytes, str]:
    """The body of ``url`` and its content type, following redirects by hand."""
    _check_scheme(url, url)
    own = session is None
    if session is None:
        session = make_session(pool=1)
    deadline = time.monotonic() + max(timeout, 0.001) * 3  # the whole transfer, not one read
    seen = {url}
    current = url
    try:
        for _ in range(max_redirects + 1):
            response = _get(session, current, timeout, url)
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    target = urljoin(current, location)
                    _check_scheme(target, url)
                    if target in seen:
                        raise InputError(f"redirect loop ({current} -> {target})", source=url)
                    seen.add(target)
                    current = target
                    continue
                if response.status_code >= 400:
                    raise InputError(status_text(response.status_code, response.reason), source=url)
                content_type = response.headers.get("Content-Type", "")
                _check_type(content_type, url)
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise InputError(f"too large ({_human(int(length))}; the limit is {_human(max_bytes)})",
                                     source=url)
                body = bytearray()
                try:
                    for chunk in response.iter_content(_CHUNK):
                        body += chunk
                        if len(body) > max_bytes:
                            raise InputError(f"too large (more than {_human(max_bytes)}, the limit)", source=url)
                        if time.monotonic() > deadline:
                            raise InputError(f"timed out after {timeout:g} s", source=url)
                except requests.RequestException as exc:
                    raise _network_error(exc, url, timeout) from None
                return bytes(body), content_type
        raise InputError(f"too many redirects (more than {max_redirects})", source=url)
    finally:
        if own:
            session.close()


def _get(session: requests.Session, url: str, timeout: float, source: str) -> requests.Response:
    try:
        return session.get(url, timeout=timeout, stream=True, allow_redirects=False,
                           headers={"Accept": "text/html, text/plain, text/markdown, application/x-bibtex, "
                                              "application/json;q=0.9, */*;q=0.5"})
    except requests.RequestException as exc:
        raise _network_error(exc, source, timeout) from None


def _network_error(exc: Exception, source: str, timeout: float) -> InputError:
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
        return InputError(f"timed out after {timeout:g} s", source=source)
    if isinstance(exc, requests.exceptions.SSLError):
        return InputError("TLS/SSL error (certificate could not be verified)", source=source)
    if isinstance(exc, requests.ConnectionError):
        host = urlsplit(source).hostname or source
        return InputError(f"could not connect to {host} ({_short_reason(exc)})", source=source)
    return InputError(f"request failed ({type(exc).__name__})", source=source)


def _check_type(content_type: str, source: str) -> None:
    mime = content_type.split(";", 1)[0].strip().lower()
    if not mime or mime.startswith("text/") or mime in TEXT_TYPES or mime.endswith(("+xml", "+json")):
        return
    raise InputError(f"not a text page (content type {mime})", source=source)


def _charset(content_type: str, body: bytes) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    head = body[:4096]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if m:
        return m.group(1).decode("ascii", "replace")
    return None


def decode(body: bytes, content_type: str, source: str) -> str:
    """Text from a fetched body (declared charset, else BOM / UTF-8 / detection).

    >>> decode("caf\\u00e9".encode("latin-1"), "text/plain; charset=ISO-8859-1", "u")
    'café'
    >>> decode(b'<meta charset="windows-1252"><p>\\x93x\\x94', "text/html", "u")[-3:]
    '“x”'
    """
    if b"\x00" in body[:8192] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary content, not text", source=source)
    charset = _charset(content_type, body)
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    if charset and not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        text = body.decode(charset, errors="replace")
        return text
    if not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            from .fsio import detect_charset

            guess = detect_charset(body)
            if guess:
                return body.decode(guess, errors="replace")
    from .fsio import decode_bytes

    return decode_bytes(body, source)


def fetch_text(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
               max_redirects: int = DEFAULT_MAX_REDIRECTS, session: requests.Session | None = None) -> str:
    """The text at ``url`` (a profile page, a .bib or CSL-JSON file)."""
    body, content_type = fetch_bytes(url, timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects,
                                     session=session)
    return decode(body, content_type, url)
