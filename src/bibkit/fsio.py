"""File input and output: decoding text robustly and writing atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import InputError, OutputError


def decode_bytes(data: bytes, source: str) -> str:
    """Decode file content: UTF-8 (with or without BOM), UTF-16 with BOM, else a
    detected single-byte charset.  Binary data (NUL bytes without a UTF-16 BOM) is
    refused with a clear error.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-16 text ({exc.reason})", source=source) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if b"\x00" in data[:8192] or _control_ratio(data) > 0.05:
        raise InputError("binary file, not text", source=source)
    if not re.search(rb"[\x80-\xff]{2}", data):
        # every non-ASCII byte stands alone: a Western single-byte charset, not CJK
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure falls back below
        best = None
    if best is not None and best.encoding not in ("utf_8", "utf-8"):
        return str(best)
    line = data.count(b"\n", 0, bad) + 1
    # mostly UTF-8 with a few bad bytes: keep going, mark them
    text = data.decode("utf-8", errors="replace")
    print(f"{source}:{line}: warning: invalid UTF-8 replaced with U+FFFD", file=sys.stderr)
    return text


def _control_ratio(data: bytes) -> float:
    sample = data[:8192]
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a text file (``-`` is standard input) and decode it."""
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
    return decode_bytes(data, name)


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
