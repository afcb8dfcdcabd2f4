"""CSL sorting: collation close to citeproc-js, sort keys computed once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from .. import markup

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'sort-collation': (
        'accents and punctuation secondary (Gödel < Goodfellow), et al. not in sort keys, empty keys last',
        ('sort_LeadingApostropheOnNameParticle',)),
}


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_WORD = re.compile(r"[^\w\s]")
_INTEGER = re.compile(r"-?\d+")


@functools.lru_cache(maxsize=65536)
def _collation_key(text: str) -> str:
    text = markup.strip_marks(text)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _NOT_WORD.sub("", text.casefold())  # punctuation is ignorable at the first level
    return " ".join(text.split())


def collation_key(text: Any) -> str:
    """A sort key close to the Unicode collation citeproc-js uses: accents, case and punctuation are secondary.

    >>> sorted(["Goodfellow", "Gödel", "van der Maaten", "Zhang"], key=collation_key)
    ['Gödel', 'Goodfellow', 'van der Maaten', 'Zhang']
    """
    return _collation_key(str(text))


def compute_sort_keys(sort_el: Any, citation_items: list[Any], layout: Any) -> list[list[Any]]:
    """Per item, the value of each ``cs:key`` of ``sort_el`` (strings or ``None``): computed once, cacheable."""
    columns = []
    for key in sort_el.findall("cs:key", sort_el.nsmap):
        values = key.sort_keys(citation_items, layout)
        columns.append([None if v is None or str(v) == "" else str(v) for v in values])
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in citation_items]


def sort_by_keys(sort_el: Any, keys_by_item: list[list[Any]], collated: list[list[Any]] | None = None) -> list[int]:
    """Indices of items in ``cs:sort`` order; empty keys last (CSL), ties keep input order.

    One stable sort per key, last key first (C-speed, no comparison function): a column whose values are all
    integers sorts numerically, any other as text with :func:`collation_key` (``collated``: those keys already
    computed, per item, e.g. read back from the cache).
    """
    descending = [k.get("sort", "ascending").lower() == "descending" for k in sort_el.findall("cs:key", sort_el.nsmap)]
    order = list(range(len(keys_by_item)))
    for col in reversed(range(len(descending))):
        values = [keys[col] if col < len(keys) else None for keys in keys_by_item]
        present = [v for v in values if v is not None]
        if not present:
            continue
        prepared: dict[int, Any]  # int, or (collation key, text)
        if all(_INTEGER.fullmatch(v) for v in present):
            prepared = {i: int(v) for i, v in enumerate(values) if v is not None}
        else:  # values are strings (computed or read back from the cache)
            if collated is not None:
                prepared = {i: (collated[i][col], v) for i, v in enumerate(values) if v is not None}
            else:
                prepared = {i: (_collation_key(v), v) for i, v in enumerate(values) if v is not None}
        filled = [i for i in order if i in prepared]
        empty = [i for i in order if i not in prepared]
        filled.sort(key=prepared.__getitem__, reverse=descending[col])
        order = filled + empty
    return order
