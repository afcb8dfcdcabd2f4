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

import os as _os
import re as _re
from collections.abc import Callable as _Callable
from collections.abc import Iterable as _Iterable
from collections.abc import Mapping as _Mapping
from collections.abc import Sequence as _Sequence
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any
from typing import Literal as _Literal

from .errors import BibkitError, InputError, OutputError, UsageError
from .model import Date, Entry, Name, Problem, Provenance, ReadResult

if _TYPE_CHECKING:  # pragma: no cover
    from .dedupe import DedupeResult, Policy
    from .dedupe.engine import Engine
    from .enrich import EnrichResult

__version__ = "0.1.0"

__all__ = [
    "BibkitError", "Date", "Entry", "InputError", "Name", "OutputError", "Problem", "Provenance",
    "ReadResult", "UsageError", "__version__", "dump", "dumps", "load", "loads",
    "to_bibtex", "to_csl_json",
]


def _entries(entries: _Iterable[Entry] | ReadResult) -> list[Entry]:
    if isinstance(entries, ReadResult):
        return entries.entries
    if isinstance(entries, Entry):
        return [entries]
    return list(entries)


def _looks_like_path(source: str | _os.PathLike[str]) -> bool:
    if isinstance(source, _os.PathLike):
        return True
    if source == "-":
        return True
    if _re.match(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://", source):
        return "\n" not in source and " " not in source.strip()
    if "\n" in source or len(source) > 4096:
        return False
    try:
        if _Path(source).exists():
            return True
    except (OSError, ValueError):  # a long one-line text is not a file name
        return False
    # a short one-line string ending in a file suffix, with no markup, is a (missing) path
    return bool(_re.search(r"\.[A-Za-z][\w.]{0,9}$", source)) and not _re.search(r"[{}@\[\]<>]", source)


def load(source: str | _os.PathLike[str], *, fmt: str | None = None, owner: str | None = None,
         encoding: str | None = None, macros: dict[str, str] | None = None) -> ReadResult:
    """Read entries from a file path, URL, ``-`` (stdin) or a text.

    The format is taken from ``fmt`` (``"bibtex"``, ``"csl-json"``, ``"markdown"``...),
    else from the file suffix, else sniffed from the content.  Problems (blocks
    that could not be read) are in ``result.problems``; nothing is dropped silently.
    A file is decoded as ``encoding`` when given, else as UTF-8 or the charset it
    reads best in (a warning in ``result.problems`` names it).  ``macros``: BibTeX
    ``@string`` definitions of files read before, used and extended by a .bib file
    (as BibTeX carries them from file to file).
    """
    from .io.registry import detect_format, get_format

    if not _looks_like_path(source):
        return loads(str(source), fmt=fmt, owner=owner)
    name = _os.fspath(source)
    if _re.match(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://", name):
        from .fetch import fetch_text  # refuses every scheme but http(s) with a clear error

        text, note = fetch_text(name), None
    else:
        from .fsio import read_decoded

        text, note = read_decoded(name, encoding)
    reader = get_format(fmt) if fmt and fmt != "auto" else detect_format(text, name)
    result = _read(reader, text, "<stdin>" if name == "-" else name, owner=owner, macros=macros)
    if note is not None:
        result.problems.insert(0, note)
    return result


def loads(text: str, *, fmt: str | None = None, source: str = "<string>", owner: str | None = None) -> ReadResult:
    """Read entries from a string (see :func:`load`)."""
    from .io.registry import detect_format, get_format

    reader = get_format(fmt) if fmt and fmt != "auto" else detect_format(text, None)
    return _read(reader, text, source, owner=owner)


def _read(reader: _Any, text: str, source: str, owner: str | None = None,
          macros: dict[str, str] | None = None) -> ReadResult:
    if reader.is_profile:
        return reader.read(text, source, owner=owner)
    if macros is not None and reader.name == "bibtex":
        return reader.read(text, source, macros=macros)
    return reader.read(text, source)


def dumps(entries: _Iterable[Entry] | ReadResult, fmt: str = "bibtex", **options: _Any) -> str:
    """Write entries to a string in ``fmt`` (``"bibtex"`` or ``"csl-json"``).

    BibTeX options: ``ascii``, ``rekey``, ``dialect`` (``"bibtex"``: only what classic ``.bst`` styles
    know; ``"biblatex"``: biblatex's types and fields; ``None``, the default: entries as read).
    """
    from .io.registry import get_format

    writer = get_format(fmt, kind="write")
    assert writer.write is not None  # get_format checked it
    if isinstance(entries, ReadResult) and "preamble" not in options and writer.name == "bibtex":
        options["preamble"] = entries.preamble
    return writer.write(_entries(entries), **options)


def dump(entries: _Iterable[Entry] | ReadResult, path: str | _os.PathLike[str], fmt: str | None = None,
         **options: _Any) -> None:
    """Write entries to ``path`` atomically, in ``fmt`` or else the format its suffix names (``.bib``,
    ``.json``...): a suffix naming no format is a :class:`UsageError`, not BibTeX by default.
    A write that fails (disk full) raises :class:`OutputError`; the previous file is intact."""
    from .fsio import write_text_atomic
    from .io.registry import format_for_suffix

    if fmt is None:
        found = format_for_suffix(_os.fspath(path), kind="write")
        if found is None:
            from .io.registry import names

            raise UsageError(f"cannot tell the output format from the name {_os.fspath(path)}; "
                             f"give fmt= ({', '.join(names('write'))})")
        fmt = found.name
    write_text_atomic(path, dumps(entries, fmt, **options))


def to_bibtex(entries: _Iterable[Entry] | ReadResult, **options: _Any) -> str:
    """BibTeX text for the entries (options: ``ascii``, ``rekey``, ``dialect``: see :func:`dumps`)."""
    return dumps(entries, "bibtex", **options)


def to_csl_json(entries: _Iterable[Entry] | ReadResult) -> list[dict[str, _Any]]:
    """CSL-JSON items (a list of dicts) for the entries."""
    from .io.csljson import entry_to_csl
    from .keys import assign_keys

    items = _entries(entries)
    return [entry_to_csl(e, k) for e, k in zip(items, assign_keys(items, unique=True), strict=True)]


# -- transforms and writers that live in sub-packages (imported on first use) --------
def parse_profile(text_or_path: str | _os.PathLike[str], *, fmt: str | None = None,
                  owner: str | None = None) -> ReadResult:
    """Parse a free-form publication list (text, Markdown, HTML, LaTeX, file or URL).

    See :func:`bibkit.profile.parse_profile`.
    """
    from .profile import parse_profile as _parse_profile

    return _parse_profile(text_or_path, fmt=fmt, owner=owner)


def dedupe(entries: _Iterable[Entry] | ReadResult, policy: Policy | dict[str, _Any] | None = None, *,
           versions: _Literal["merge", "link", "keep"] | None = None, engine: str | Engine | None = None,
           workers: int | None = None) -> DedupeResult:
    """Cluster and merge duplicate entries; see :func:`bibkit.dedupe.dedupe`.

    ``policy``: a :class:`~bibkit.dedupe.Policy` or a dict of its fields (thresholds...);
    ``versions`` (preprint and published version merged, linked or kept apart), ``engine``
    (``"duckdb"``, the default, or ``"spark"``) and ``workers`` (the engine's threads) override it when given.
    """
    from .dedupe import dedupe as _dedupe

    given = {"versions": versions, "workers": workers}
    return _dedupe(_entries(entries), policy=policy, engine=engine,
                   **{k: v for k, v in given.items() if v is not None})


def format_bibliography(entries: _Iterable[Entry] | ReadResult, style: str = "apa", fmt: str = "text",
                        **options: _Any) -> list[str]:
    """Styled bibliography entries; see :func:`bibkit.format.format_bibliography`."""
    from .format import format_bibliography as _format_bibliography

    return _format_bibliography(_entries(entries), style=style, fmt=fmt, **options)


def format_document(entries: _Iterable[Entry] | ReadResult, style: str = "apa", fmt: str = "text",
                    **options: _Any) -> str:
    """A styled bibliography as one document (a Markdown list, an HTML fragment with a list, or text);
    see :func:`bibkit.format.format_document`."""
    from .format import format_document as _format_document

    return _format_document(_entries(entries), style=style, fmt=fmt, **options)


def cite(entries: _Iterable[Entry] | ReadResult, keys: _Iterable[str] | str, style: str = "apa",
         **options: _Any) -> str:
    """An in-text citation; see :func:`bibkit.format.cite`."""
    from .format import cite as _cite

    return _cite(_entries(entries), keys, style=style, **options)


def enrich(entries: _Iterable[Entry] | ReadResult, *, sources: str | _Sequence[str] | None = None,
           mailto: str | None = None, offline: bool = False, overwrite: bool = False,
           cache_dir: str | _os.PathLike[str] | None = None, use_cache: bool = True, timeout: float = 20.0,
           retries: int = 3, backoff: float = 1.0, max_wait: float = 60.0, urls: _Mapping[str, str] | None = None,
           pacing: _Mapping[str, float] | None = None, workers: int = 4, rows: int = 5,
           fields: _Sequence[str] | None = None, give_up_after: int = 5,
           progress: _Callable[[int], None] | None = None) -> EnrichResult:
    """Fill missing identifiers and fields from Crossref, DBLP, arXiv; see :func:`bibkit.enrich.enrich`.

    ``sources`` and ``fields`` default to all the services and fields bibkit knows.
    """
    from .enrich import DEFAULT_SOURCES, FILLABLE
    from .enrich import enrich as _enrich

    return _enrich(_entries(entries), sources=DEFAULT_SOURCES if sources is None else sources, mailto=mailto,
                   offline=offline, overwrite=overwrite, cache_dir=cache_dir, use_cache=use_cache, timeout=timeout,
                   retries=retries, backoff=backoff, max_wait=max_wait, urls=urls, pacing=pacing, workers=workers,
                   rows=rows, fields=FILLABLE if fields is None else fields, give_up_after=give_up_after,
                   progress=progress)


def __getattr__(name: str) -> _Any:
    if name == "Formatter":
        from .format import Formatter

        return Formatter
    raise AttributeError(f"module 'bibkit' has no attribute {name!r}")


__all__ += ["Formatter", "cite", "dedupe", "enrich", "format_bibliography", "format_document", "parse_profile"]


def __dir__() -> list[str]:
    """The public API (and the module's dunders), not the names the implementation imports."""
    return sorted(set(__all__) | {n for n in globals() if n.startswith("__") and n.endswith("__")})
