"""Discovery of the format modules and detection of an input's format."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from ..model import ReadResult


@dataclass(frozen=True)
class Format:
    """A file format bibkit can read and/or write.

    ``read(text, source)`` returns a :class:`~bibkit.model.ReadResult`;
    ``write(entries, **options)`` returns the text.  ``sniff(text)`` returns a
    score in [0, 1] that the text is in this format (used for ``--from auto``).
    """

    name: str
    suffixes: tuple[str, ...] = ()
    read: Callable[[str, str], ReadResult] | None = None
    write: Callable[..., str] | None = None
    sniff: Callable[[str], float] | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    # profile formats (free-form publication lists) are parsed by the profile parser
    is_profile: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@cache
def formats() -> dict[str, Format]:
    """All formats, by name and alias."""
    out: dict[str, Format] = {}
    from . import __path__ as pkg_path

    for mod in pkgutil.iter_modules(pkg_path):
        if mod.name.startswith("_") or mod.name == "registry":
            continue
        module = importlib.import_module(f"{__package__}.{mod.name}")
        declared = getattr(module, "FORMATS", None) or [getattr(module, "FORMAT", None)]
        for fmt in declared:
            if fmt is None:
                continue
            for name in (fmt.name, *fmt.aliases):
                out[name] = fmt
    return out


def names(kind: str = "read") -> list[str]:
    """Names of the formats that can be read (``kind='read'``) or written."""
    seen = {f.name for f in formats().values() if getattr(f, kind) is not None}
    return sorted(seen)


def get_format(name: str, kind: str = "read") -> Format:
    """The format called ``name`` (or an alias); a UsageError listing the known ones."""
    fmt = formats().get(name.lower())
    if fmt is None or getattr(fmt, kind) is None:
        known = ", ".join(names(kind))
        verb = "read" if kind == "read" else "write"
        raise UsageError(f"cannot {verb} format {name!r}; known: {known}")
    return fmt


def format_for_suffix(path: str, kind: str = "read") -> Format | None:
    suffixes = [s.lower() for s in PurePath(path).suffixes]
    for fmt in _unique(formats().values()):
        if getattr(fmt, kind) is None:
            continue
        for suffix in reversed(suffixes):
            if suffix in fmt.suffixes:
                return fmt
    return None


def detect_format(text: str, path: str | None = None) -> Format:
    """Pick the reader for an input: by suffix first, else by sniffing its content."""
    if path and path != "-" and not path.startswith(("http://", "https://")):
        fmt = format_for_suffix(path)
        if fmt is not None:
            return fmt
    best, best_score = None, 0.0
    for fmt in _unique(formats().values()):
        if fmt.read is None or fmt.sniff is None:
            continue
        score = fmt.sniff(text)
        if score > best_score:
            best, best_score = fmt, score
    if best is None:
        raise UsageError("cannot tell the input format; name it with --from", source=path)
    return best


def _unique(fmts: Iterable[Format]) -> list[Format]:
    seen, out = set(), []
    for f in fmts:
        if f.name not in seen:
            seen.add(f.name)
            out.append(f)
    return out
