"""``bibkit check`` of big .bib files in two streaming passes (memory: a few hashes per entry).

Pass 1 scans each file segment by segment (:func:`bibkit.io.bibstream.segments`, cut before
first-column block starts) with the check's own scanner, keeps the syntax findings and, per
entry, the hashes of what a duplicate can share: folded key, DOI, arXiv id, ISBN, folded title
(and crossref links).  Only entries that share one of them with another entry, and the crossref
parents of children, can take part in a duplicate finding; pass 2 scans the files again and
keeps just those, which then go through the same duplicate checks as in the whole-file path.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Sequence
from typing import Any

from ..io.scan import Scan, allow_groups
from .findings import PART_TYPES, Item, fold, has_ids, syntax_finding

#: inputs (all .bib) from this total size on are checked streaming
STREAM_MIN_BYTES = 32 * 1024 * 1024


def _h(text: str | None) -> int:
    if not text:
        return 0
    return hash(text) or 1


def use_streaming(names: Sequence[str]) -> bool:
    """All inputs are local UTF-8 .bib files and together big enough."""
    from ..io.bibstream import streamable

    total = 0
    for name in names:
        if name == "-" or not name.lower().endswith(".bib") or not os.path.isfile(name):
            return False
        total += os.path.getsize(name)
    if total < STREAM_MIN_BYTES:
        return False
    return all(streamable(n) for n in names)


def _scanner(text: str, source: str, macros: dict[str, str], base: int) -> Any:
    class _SegScan(Scan):
        """The scanner on one segment, its lines counted from the segment's first line."""

        def __init__(self) -> None:
            super().__init__(text, source, macros)
            self._line = 1 + base

        def line(self, pos: int) -> int:
            if pos < self._pos:
                self._pos, self._line = 0, 1 + base
            self._line += self.text.count("\n", self._pos, pos)
            self._pos = pos
            return self._line

    return _SegScan().run()


def _segments(names: Sequence[str], macros: dict[str, str], size: int, stage: str = "reading"):
    """(file name, text, scan) of every segment of every file, in order (a progress ``stage`` per file)."""
    from ..dedupe.stream import count_lines
    from ..io.bibstream import segments
    from ..progress import current

    for name in names:
        base = 0
        with current().stage(stage, total=count_lines(name), unit="lines") as progress:
            for _, text in segments(name, size, reader=False):
                yield name, text, _scanner(text, name, macros, base)
                lines = text.count("\n")
                base += lines
                progress.advance(lines)


def read_streamed(names: Sequence[str], macros: dict[str, str], checks: frozenset[str] | set[str],
                  size: int | None = None) -> tuple[list[Any], list[Any], list[frozenset[str]], int]:
    """(items that may be duplicates, syntax findings, allow-duplicates groups, number of entries)."""
    import numpy as np

    from ..dedupe.keys import arxiv_of
    from ..ids import normalize_doi, normalize_isbn
    from ..io import bibstream

    size = size or bibstream.SEGMENT_CHARS
    start = dict(macros)
    cols: dict[str, array] = {c: array("q") for c in ("key", "doi", "arxiv", "isbn", "title", "crossref")}
    findings: list[Any] = []
    allow: list[frozenset[str]] = []
    ids = bool({"identifiers", "preprints"} & set(checks))
    for name, text, scan in _segments(names, macros, size):
        allow += allow_groups(text)
        if "syntax" in checks:
            findings += (syntax_finding(p, name) for p in scan.problems)
        for r in scan.entries:
            cols["key"].append(_h(r.key.casefold() if r.key else ""))
            has = ids and has_ids(r)
            cols["doi"].append(_h(normalize_doi(r.doi)) if has else 0)
            cols["arxiv"].append(_h(arxiv_of(r)) if has else 0)
            cols["isbn"].append(_h(normalize_isbn(r.isbn) if r.type not in PART_TYPES else "") if has else 0)
            title = fold(r.title or "")
            cols["title"].append(_h(title) if len(title) >= 8 else 0)
            cols["crossref"].append(_h(r.crossref.casefold()) if getattr(r, "crossref", None) else 0)
    n = len(cols["key"])
    keep = np.zeros(n, dtype=bool)
    for c in ("key", "doi", "arxiv", "isbn", "title"):
        a = np.frombuffer(cols[c], dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
        if not a.any():
            continue
        _, inv, cnt = np.unique(a, return_inverse=True, return_counts=True)
        keep |= (a != 0) & (cnt[inv] >= 2)
    if n:
        cref = np.frombuffer(cols["crossref"], dtype=np.int64)
        if cref.any():
            keep |= cref != 0  # children, and every entry with a key they refer to
            keep |= np.isin(np.frombuffer(cols["key"], dtype=np.int64), cref[cref != 0])
    del cols
    # pass 2: the entries that may take part in a finding, as the whole-file path sees them
    items: list[Any] = []
    if keep.any():
        macros.clear()
        macros.update(start)
        order = 0
        for name, _, scan in _segments(names, macros, size, "reading again"):
            for r in scan.entries:
                if keep[order]:
                    items.append(Item(order, name, r.line, r.end, r.col, r))
                order += 1
    return items, findings, allow, n
