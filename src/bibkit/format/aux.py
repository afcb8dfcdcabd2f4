"""The citation keys a LaTeX document cites, from its ``.aux`` file (``bibkit format --aux paper.aux``).

BibTeX reads ``\\citation{key1,key2}`` lines (``\\citation{*}``: every entry, from ``\\nocite{*}``) and follows
``\\@input{chapter.aux}`` (``\\include``); biblatex writes ``\\abx@aux@cite{key}`` (newer versions
``\\abx@aux@cite{0}{key}``).  Keys come in the order first cited, each once.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     _ = open(os.path.join(d, "ch1.aux"), "w").write("\\\\citation{knuth1984,lamport1994}\\n")
...     _ = open(os.path.join(d, "paper.aux"), "w").write(
...         "\\\\relax\\n\\\\citation{lamport1994}\\n\\\\@input{ch1.aux}\\n\\\\abx@aux@cite{0}{doe2020}\\n")
...     cited_keys(os.path.join(d, "paper.aux"))
['lamport1994', 'knuth1984', 'doe2020']
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import InputError, UsageError

#: every key of the bibliography (``\nocite{*}``)
ALL = "*"
_CITATION = re.compile(r"\\citation\{([^{}]*)\}|\\abx@aux@cite\{([^{}]*)\}(?:\{([^{}]*)\})?")
_INPUT = re.compile(r"\\@input\{([^{}]+)\}")


def cited_keys(path: str | os.PathLike[str]) -> list[str]:
    """The keys ``path`` cites, first-cited order, each once (``*`` for ``\\citation{*}``); an unreadable file
    is a :class:`~bibkit.errors.UsageError`, a file citing nothing an :class:`~bibkit.errors.InputError`."""
    keys: dict[str, None] = {}
    _read(Path(path), keys, set())
    if not keys:
        raise InputError(f"{os.fspath(path)}: no \\citation{{...}} line (run LaTeX on the document first)")
    return list(keys)


def _read(path: Path, keys: dict[str, None], seen: set[Path]) -> None:
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {os.fspath(path)}: {exc.strerror or exc}") from None
    for line in text.splitlines():
        m = _INPUT.search(line)
        if m:
            child = path.parent / m.group(1)
            if child.is_file():  # as LaTeX: a missing \include'd .aux is skipped
                _read(child, keys, seen)
            continue
        for cite in _CITATION.finditer(line):
            group = cite.group(1) if cite.group(1) is not None else (cite.group(3) or cite.group(2))
            for key in group.split(","):
                key = key.strip()
                if key:
                    keys.setdefault(key, None)


def select(entries: list, keys: list[str], key_of: object = None) -> tuple[list, list[str]]:
    """The entries cited by ``keys`` in citation order (all of them, in their order, for ``*``), and the keys
    no entry has.  ``key_of(entry)`` gives an entry's key (default: its ``key`` attribute).

    >>> from bibkit.model import Entry
    >>> es = [Entry(key="a"), Entry(key="b"), Entry(key="c")]
    >>> picked, missing = select(es, ["c", "a", "zz"])
    >>> [e.key for e in picked], missing
    (['c', 'a'], ['zz'])
    """
    get = key_of if callable(key_of) else (lambda e: getattr(e, "key", None))
    if ALL in keys:
        return list(entries), []
    index: dict[str, int] = {}
    for i, entry in enumerate(entries):
        key = get(entry)
        if key is not None:
            index.setdefault(str(key), i)
    picked = [entries[index[k]] for k in keys if k in index]
    return picked, [k for k in keys if k not in index]
