"""bibkit: free-form publication lists and .bib files to clean bibliographic data.

The public API.  Everything flows one way: readers -> :class:`Entry` model ->
transforms (dedupe, enrich) -> writers.

>>> import bibkit
>>> res = bibkit.loads('@article{knuth1984, author={Donald E. Knuth}, title={Literate Programming},'
...                    ' journal={The Computer Journal}, year=1984}')
>>> e = res.entries[0]
>>> (e.type, e.author[0].family, e.year)
('article-journal', 'Knuth', 1984)
>>> bibkit.to_csl_json(res)[0]["container-title"]
'The Computer Journal'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BibkitError, InputError, UsageError
from .model import Date, Entry, Name, Problem, Provenance, ReadResult

if TYPE_CHECKING:  # pragma: no cover
    pass

__version__ = "0.1.0"

__all__ = [
    "BibkitError", "Date", "Entry", "InputError", "Name", "Problem", "Provenance",
    "ReadResult", "UsageError", "__version__", "dump", "dumps", "load", "loads",
    "to_bibtex", "to_csl_json",
]


def _entries(entries: Iterable[Entry] | ReadResult) -> list[Entry]:
    if isinstance(entries, ReadResult):
        return entries.entries
    if isinstance(entries, Entry):
        return [entries]
    return list(entries)


def _looks_like_path(source: str | os.PathLike[str]) -> bool:
    if isinstance(source, os.PathLike):
        return True
    if source == "-":
        return True
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://", source):
        return "\n" not in source and " " not in source.strip()
    if "\n" in source or len(source) > 4096:
        return False
    try:
        if Path(source).exists():
            return True
    except (OSError, ValueError):  # a long one-line text is not a file name
        return False
    # a short one-line string ending in a file suffix, with no markup, is a (missing) path
    return bool(re.search(r"\.[A-Za-z][\w.]{0,9}$", source)) and not re.search(r"[{}@\[\]<>]", source)


def load(source: str | os.PathLike[str], *, fmt: str | None = None, owner: str | None = None) -> ReadResult:
    """Read entries from a file path, URL, ``-`` (stdin) or a text.

    The format is taken from ``fmt`` (``"bibtex"``, ``"csl-json"``, ``"markdown"``...),
    else from the file suffix, else sniffed from the content.  Problems (blocks
    that could not be read) are in ``result.problems``; nothing is dropped silently.
    """
    from .io.registry import detect_format, get_format

    if not _looks_like_path(source):
        return loads(str(source), fmt=fmt, owner=owner)
    name = os.fspath(source)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://", name):
        from .fetch import fetch_text  # refuses every scheme but http(s) with a clear error

        text = fetch_text(name)
    else:
        from .fsio import read_text

        text = read_text(name)
    reader = get_format(fmt) if fmt and fmt != "auto" else detect_format(text, name)
    return _read(reader, text, "<stdin>" if name == "-" else name, owner=owner)


def loads(text: str, *, fmt: str | None = None, source: str = "<string>", owner: str | None = None) -> ReadResult:
    """Read entries from a string (see :func:`load`)."""
    from .io.registry import detect_format, get_format

    reader = get_format(fmt) if fmt and fmt != "auto" else detect_format(text, None)
    return _read(reader, text, source, owner=owner)


def _read(reader: Any, text: str, source: str, owner: str | None = None) -> ReadResult:
    if reader.is_profile:
        return reader.read(text, source, owner=owner)
    return reader.read(text, source)


def dumps(entries: Iterable[Entry] | ReadResult, fmt: str = "bibtex", **options: Any) -> str:
    """Write entries to a string in ``fmt`` (``"bibtex"`` or ``"csl-json"``)."""
    from .io.registry import get_format

    writer = get_format(fmt, kind="write")
    assert writer.write is not None  # get_format checked it
    if isinstance(entries, ReadResult) and "preamble" not in options and writer.name == "bibtex":
        options["preamble"] = entries.preamble
    return writer.write(_entries(entries), **options)


def dump(entries: Iterable[Entry] | ReadResult, path: str | os.PathLike[str], fmt: str | None = None,
         **options: Any) -> None:
    """Write entries to ``path`` atomically; the format defaults to the suffix."""
    from .fsio import write_text_atomic
    from .io.registry import format_for_suffix

    if fmt is None:
        found = format_for_suffix(os.fspath(path), kind="write")
        fmt = found.name if found else "bibtex"
    write_text_atomic(path, dumps(entries, fmt, **options))


def to_bibtex(entries: Iterable[Entry] | ReadResult, **options: Any) -> str:
    """BibTeX text for the entries (options: ``ascii``, ``rekey``)."""
    return dumps(entries, "bibtex", **options)


def to_csl_json(entries: Iterable[Entry] | ReadResult) -> list[dict[str, Any]]:
    """CSL-JSON items (a list of dicts) for the entries."""
    from .io.csljson import entry_to_csl

    return [entry_to_csl(e) for e in _entries(entries)]


# -- transforms and writers that live in sub-packages (imported on first use) --------
def parse_profile(text_or_path: str | os.PathLike[str], *, fmt: str | None = None,
                  owner: str | None = None) -> ReadResult:
    """Parse a free-form publication list (text, Markdown, HTML, LaTeX, file or URL).

    See :func:`bibkit.profile.parse_profile`.
    """
    from .profile import parse_profile as _parse_profile

    return _parse_profile(text_or_path, fmt=fmt, owner=owner)


def dedupe(entries: Iterable[Entry] | ReadResult, policy: Any = None, **options: Any) -> Any:
    """Cluster and merge duplicate entries; see :func:`bibkit.dedupe.dedupe`."""
    from .dedupe import dedupe as _dedupe

    return _dedupe(_entries(entries), policy=policy, **options)


def format_bibliography(entries: Iterable[Entry] | ReadResult, style: str = "apa", fmt: str = "text",
                        **options: Any) -> list[str]:
    """Styled bibliography entries; see :func:`bibkit.format.format_bibliography`."""
    from .format import format_bibliography as _format_bibliography

    return _format_bibliography(_entries(entries), style=style, fmt=fmt, **options)


def cite(entries: Iterable[Entry] | ReadResult, keys: Iterable[str] | str, style: str = "apa",
         **options: Any) -> str:
    """An in-text citation; see :func:`bibkit.format.cite`."""
    from .format import cite as _cite

    return _cite(_entries(entries), keys, style=style, **options)


def enrich(entries: Iterable[Entry] | ReadResult, **options: Any) -> Any:
    """Fill missing identifiers and fields from Crossref, DBLP, arXiv; see :func:`bibkit.enrich.enrich`."""
    from .enrich import enrich as _enrich

    return _enrich(_entries(entries), **options)


def __getattr__(name: str) -> Any:
    if name == "Formatter":
        from .format import Formatter

        return Formatter
    raise AttributeError(f"module 'bibkit' has no attribute {name!r}")


__all__ += ["Formatter", "cite", "dedupe", "enrich", "format_bibliography", "parse_profile"]
