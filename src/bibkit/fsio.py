"""File input and output: decoding text robustly and writing atomically."""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import errno
import os
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import InputError, OutputError, UsageError
from .model import Problem

#: the encoding ``--encoding`` names for every file read in this run (``None``: detect)
_ENCODING: contextvars.ContextVar[str | None] = contextvars.ContextVar("bibkit_encoding", default=None)

#: single-byte code pages a Western text may be in; on a tie the first wins (cp1252 is by far
#: the most common legacy encoding of Western text, and WHATWG reads latin-1 as cp1252)
_WESTERN = ("cp1252", "latin_1", "iso8859_15")

#: what a Western text decoded as cp1252 holds beyond ASCII: letters of Latin-1 and the
#: typographic punctuation Word and other editors put in (curly quotes, dashes, ellipsis...)
_WESTERN_CHARS = re.compile(
    r"[^\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ffŒœŠšŽžŸƒ"
    r"\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u20ac\u2122"
    r"\u00a0\u00a7\u00a9\u00ab\u00ae\u00b0\u00b1\u00b4\u00b7\u00bb\u00bf\u00a1]")
#: four or more non-ASCII letters in a row: words of a non-Latin script read as cp1252
_LONG_RUN = re.compile(r"[^\x00-\x7f]{4,}")


def set_default_encoding(encoding: str | None) -> None:
    """Decode every file read from now on (in this context) as ``encoding`` (``None``: detect).

    Raises :class:`UsageError` for an encoding Python does not know."""
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
    _ENCODING.set(encoding)


def default_encoding() -> str | None:
    """The encoding set by :func:`set_default_encoding` (``None``: detected per file)."""
    return _ENCODING.get()


def decode(data: bytes, source: str, encoding: str | None = None) -> tuple[str, Problem | None]:
    """Decode file content; the text and, when it was not (valid) UTF-8, a warning naming
    the encoding used.

    ``encoding`` (else :func:`default_encoding`) is used as given; a byte it cannot decode
    is an error naming the line.  Without it: UTF-8 (with or without BOM), UTF-16 with a
    BOM or, without one, when every other byte is NUL; else a single-byte or CJK charset
    (cp1252 when the text reads as Western text in it).  Binary data is refused.
    """
    encoding = encoding or default_encoding()
    if encoding is not None:
        return _decode_as(data, source, encoding), None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-16 text ({exc.reason})", source=source) from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, Problem(source, None, "decoded as UTF-16 (no byte order mark)", "warning")
    if b"\x00" in data[:8192] or _control_ratio(data) > 0.05:
        raise InputError("binary file, not text", source=source)
    name = detect_charset(data)
    if name is not None:
        return data.decode(name, errors="replace"), Problem(source, None, f"decoded as {name} (not UTF-8)",
                                                            "warning")
    line = data.count(b"\n", 0, bad) + 1
    # mostly UTF-8 with a few bad bytes: keep going, mark them
    return (data.decode("utf-8", errors="replace"),
            Problem(source, line, "invalid UTF-8 replaced with U+FFFD", "warning"))


def decode_bytes(data: bytes, source: str, encoding: str | None = None) -> str:
    """The text of :func:`decode`; its warning, if any, is printed on stderr."""
    text, note = decode(data, source, encoding)
    if note is not None:
        print(str(note), file=sys.stderr)
    return text


def _decode_as(data: bytes, source: str, encoding: str) -> str:
    name = codecs.lookup(encoding).name
    if name == "utf-8":
        name = "utf-8-sig"
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"cannot decode as {encoding}: byte 0x{data[exc.start]:02x} ({exc.reason})",
                         source=source, line=line) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 data without a byte order mark: the NULs of ASCII characters fill
    every other byte (odd ones: little-endian).  ``None`` when it does not look so."""
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return None
    half = len(sample) // 2
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    for nuls, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 0.6 * half and others <= 0.05 * half:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for c in text[:4096] if c < "\t" or "\r" < c < " ")
            return text if controls <= 0.01 * min(len(text), 4096) else None
    return None


def detect_charset(data: bytes) -> str | None:
    """The charset of non-UTF-8 text (``None``: no idea).

    cp1252 when the text reads as Western text in it and the detector (charset-normalizer)
    finds it as likely as its best guess, or guesses a CJK charset: a few curly quotes next
    to accented letters (``d’été``) make it name cp1250 or Big5 on a short text.  Otherwise
    the detector's guess, cp1252 and its kin winning a tie.
    """
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if not re.search(rb"[\x80-\xff]{2}", data):
        # every non-ASCII byte stands alone: a Western single-byte charset, not CJK
        return "cp1252" if western is not None else "latin_1"
    plausible = western is not None and not _WESTERN_CHARS.search(western) and not _LONG_RUN.search(western)
    try:
        from charset_normalizer import from_bytes
        from charset_normalizer.utils import is_multi_byte_encoding

        results = [r for r in from_bytes(data) if r.encoding not in ("utf_8", "utf-8")]
    except Exception:  # pragma: no cover - detector failure
        return "cp1252" if plausible else None
    if not results:
        return "cp1252" if plausible else None
    best = results[0]
    for preferred in _WESTERN:
        if preferred == "cp1252" and plausible and is_multi_byte_encoding(best.encoding):
            return preferred
        for match in results:
            if preferred in (match.encoding, *match.could_be_from_charset) and match.chaos <= best.chaos + 0.01 \
                    and (plausible or match.coherence >= best.coherence - 0.01):
                return preferred
    return best.encoding


def _control_ratio(data: bytes) -> float:
    sample = data[:8192]
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample)


def read_decoded(path: str | os.PathLike[str], encoding: str | None = None) -> tuple[str, Problem | None]:
    """Read a text file (``-`` is standard input): its text and the decoding warning of :func:`decode`."""
    name = str(path)
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
            name = "<stdin>"
        else:
            data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=name) from None
    except PermissionError:
        raise InputError("permission denied", source=name) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source=name) from None
    return decode(data, name, encoding)


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a text file (``-`` is standard input) and decode it; a decoding warning is printed on stderr."""
    text, note = read_decoded(path, encoding)
    if note is not None:
        print(str(note), file=sys.stderr)
    return text


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file in the same
    directory is written, flushed and renamed over the target, so an interrupted
    run never leaves a half-written file.  ``-`` writes to standard output.
    """
    with open_atomic(path) as fh:
        fh.write(text)


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text file to write ``path`` through, in pieces, atomically (as :func:`write_text_atomic`):
    the target appears, complete, only when the ``with`` block ends without an error.
    ``-`` is standard output.
    """
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    tmp = None
    in_body = False  # an OSError of the caller's own (reading an input...) is not a write error
    try:
        while True:
            tmp = str(directory / f".{target.name}.{secrets.token_hex(6)}.tmp")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                tmp = None
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            in_body = True
            yield fh
            in_body = False
            fh.flush()
            os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else None
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and (not in_body or exc.errno in _WRITE_ERRNOS):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}; the previous file, if any, "
                              "is unchanged") from None
        raise


#: errors of a write itself (not of the caller's work between writes)
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})
