"""Year-suffix disambiguation ("Smith 2020a", "Smith 2020b"), which citeproc-py does not do.

A style that asks for it (``disambiguate-add-year-suffix="true"`` on ``<citation>``) gives works
whose citations would read the same a letter after the year, in bibliography order.  Two works
cite alike when their years are equal and their names are, as the citation shows them after the
style's other disambiguation steps: with ``disambiguate-add-names`` every name counts (the names
it adds tell the works apart first), else only those shown before "et al." (``et-al-min`` /
``et-al-use-first``); with ``disambiguate-add-givenname`` the given-name initials count too.
Works with no names or no year get no suffix.

>>> from bibkit.model import Entry, Name, Date
>>> smith = [Name(family="Smith", given="Jane")]
>>> es = [Entry(title="A", author=smith, issued=Date(2020)), Entry(title="B", author=smith, issued=Date(2020)),
...       Entry(title="C", author=smith, issued=Date(2021))]
>>> year_suffixes(Options(True, True, True, 3, 1), es)
{0: 'a', 1: 'b'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Entry


@dataclass(frozen=True)
class Options:
    """What a style's ``<citation>`` says about disambiguation."""

    year_suffix: bool
    add_names: bool
    add_givenname: bool
    et_al_min: int
    et_al_use_first: int

    @classmethod
    def of(cls, style: Any) -> Options:
        """The options of a citeproc-py style (its ``<citation>`` element's attributes)."""
        el = style.root.citation

        def flag(name: str) -> bool:
            return (el.get(name) or "").strip().lower() == "true"

        def number(name: str, default: int) -> int:
            try:
                return int(el.get(name) or default)
            except ValueError:
                return default

        return cls(flag("disambiguate-add-year-suffix"), flag("disambiguate-add-names"),
                   flag("disambiguate-add-givenname"), number("et-al-min", 0), number("et-al-use-first", 0))


def _names_and_year(entry: Any) -> tuple[list[tuple[str, str]], str]:
    """(family, given) of the authors (else editors) and the year, of an Entry or a CSL-JSON item."""
    if isinstance(entry, Entry):
        names = entry.author or entry.editor
        pairs = [((n.family or n.literal or "").strip(), (n.given or "").strip()) for n in names]
        year = str(entry.issued.year) if entry.issued and entry.issued.year else ""
        return pairs, year
    data = getattr(entry, "data", entry)  # a CSLRecord's item, or the item itself
    if not isinstance(data, dict):
        return [], ""
    names = data.get("author") or data.get("editor") or []
    pairs = []
    if isinstance(names, list):
        for n in names:
            if isinstance(n, dict):
                pairs.append((str(n.get("family") or n.get("literal") or "").strip(), str(n.get("given") or "")))
    year = ""
    issued = data.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = str(parts[0][0])
        elif issued.get("raw") or issued.get("literal"):
            year = str(issued.get("raw") or issued.get("literal"))[:4]
    return pairs, year


def cite_key(entry: Any, opts: Options) -> tuple | None:
    """What a citation of ``entry`` shows of its names and year (None: it gets no suffix)."""
    names, year = _names_and_year(entry)
    names = [(f, g) for f, g in names if f]
    if not names or not year:
        return None
    et_al = not opts.add_names and opts.et_al_min and opts.et_al_use_first and len(names) >= opts.et_al_min
    if et_al:
        names = names[: opts.et_al_use_first]
    if opts.add_givenname:
        shown: tuple = tuple((f.casefold(), g[:1].casefold()) for f, g in names)
    else:
        shown = tuple(f.casefold() for f, _ in names)
    return (shown, bool(et_al), year)


def letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (as CSL processors count)."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def year_suffixes(opts: Options, entries: Sequence[Any]) -> dict[int, str]:
    """Index (in ``entries``, given in bibliography order) -> year suffix, for the works that need one."""
    if not opts.year_suffix:
        return {}
    groups: dict[tuple, list[int]] = {}
    for i, e in enumerate(entries):
        key = cite_key(e, opts)
        if key is not None:
            groups.setdefault(key, []).append(i)
    out: dict[int, str] = {}
    for members in groups.values():
        if len(members) > 1:
            for n, i in enumerate(members):
                out[i] = letters(n)
    return out


def trigraph(item: Mapping[str, Any]) -> str:
    """The ``citation-label`` citeproc-js makes for an item that has none (its default trigraph
    ``Aaaa00:AaAa00:AaAA00:AAAA00``): letters of the first authors' family names and the year's last two digits.

    >>> trigraph({"author": [{"family": "Bronchitis"}, {"family": "Cholera"}], "issued": {"date-parts": [[1998]]}})
    'BrCh98'
    """
    names: list[Any] = next((item[v] for v in ("author", "editor", "translator") if item.get(v)), [])
    families = []
    for name in names:
        family = str(name.get("family") or name.get("literal") or "")
        words = [w for w in family.split() if not w[:1].islower()] or family.split()
        families.append(" ".join(words).replace(" ", ""))
    widths = {1: [4], 2: [2, 2], 3: [2, 1, 1]}.get(len(families), [1, 1, 1, 1])
    label = "".join(f[:w] for f, w in zip(families, widths, strict=False))
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    year = str(parts[0][0]) if parts and parts[0] else ""
    return label + year[-2:]
