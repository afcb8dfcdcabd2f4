"""Publication lists for personal pages: the owner's name in bold, grouped by year or type, newest first.

This is the inverse of the profile parser: ``bibkit format refs.bib --style ieee --to markdown
--highlight "Zhang, Zili" --group-by year``.

>>> from bibkit.model import Entry, Name, Date
>>> es = [Entry(type="article-journal", key=f"k{y}", title=f"Paper {y}", container_title="J",
...             author=[Name(family="Zhang", given="Zili"), Name(family="Li", given="Wei")], issued=Date(y))
...       for y in (2021, 2023)]
>>> from bibkit.format.render import Formatter
>>> print("\\n".join(Formatter("ieee", cache=False).bibliography(es, "markdown", highlight="Zhang, Zili",
...                                                                group_by="year")))
## 2023
<BLANKLINE>
1. **Z. Zhang** and W. Li, “Paper 2023,” *J*, 2023.
<BLANKLINE>
## 2021
<BLANKLINE>
2. **Z. Zhang** and W. Li, “Paper 2021,” *J*, 2021.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

from ..model import Entry, Name
from . import markup

#: ``render(entries, sort)``: the marked strings of a bibliography and, for each, its entry's index
#: (:meth:`bibkit.format.render.Formatter.render_marked`, passed in: this module does not import the renderer)
Render = Callable[[Sequence[Any], "str | None"], tuple[list[str], list[int]]]


def parse_owner(name: str) -> tuple[str, str]:
    """(family, given) of "Zhang, Zili" or "Zili Zhang".

    >>> parse_owner("Zhang, Zili"), parse_owner("Laurens van der Maaten")
    (('Zhang', 'Zili'), ('van der Maaten', 'Laurens'))
    """
    name = " ".join(name.split())
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return family, given
    parts = name.split(" ")
    if len(parts) == 1:
        return parts[0], ""
    # lowercase particles belong to the family name
    i = len(parts) - 1
    while i > 1 and parts[i - 1][:1].islower():
        i -= 1
    return " ".join(parts[i:]), " ".join(parts[:i])


def _matches(n: Name, family: str, given: str) -> bool:
    full_family = " ".join(x for x in (n.particle, n.family) if x)
    if not n.family or family.casefold() not in (n.family.casefold(), full_family.casefold()):
        return False
    if not given or not n.given:
        return True
    return n.given[:1].casefold() == given[:1].casefold()


def mark_owner(entries: Sequence[Entry], owners: Sequence[str]) -> list[Entry]:
    """Copies of the entries with the owner's family name between highlight marks."""
    wanted = [parse_owner(o) for o in owners if o.strip()]
    out = []
    for entry in entries:
        if not any(_matches(n, f, g) for n in entry.author + entry.editor for f, g in wanted):
            out.append(entry)
            continue
        entry = entry.copy()
        for names in (entry.author, entry.editor):
            for n in names:
                if n.family and any(_matches(n, f, g) for f, g in wanted):  # (_matches needs a family)
                    n.family = markup.HIGHLIGHT_ON + n.family + markup.HIGHLIGHT_OFF
        out.append(entry)
    return out


# each word takes its whole run of letters ((?!...)): "ABCDEF" splits one way only, no exponential backtracking
_GIVEN_BEFORE = re.compile(r"((?:[A-Z][\w’'\-]*(?![\w’'\-])\.?[\s\u00a0]?)+)$")
_INITIALS = re.compile(r"[A-Z]{1,3}\.?(?:-[A-Z]\.?)?|(?:[A-Z]\.){1,3}")


def _given_after(rest: str, given: str) -> int:
    """Length of the given names/initials of ``given`` right after an inverted family name (", Z." / " ZL")."""
    m = re.match(r",\s|\s", rest)
    if not m:
        return 0
    words = {w.strip(".").casefold() for w in given.split()}
    pos = end = m.end()
    first = True
    for token in re.finditer(r"[^\s,;:()]+", rest[pos:]):
        if token.start() != end - pos and rest[pos + token.start() - 1] != " ":
            break
        if pos + token.start() != end + (0 if first else 1):
            break
        text = token.group(0)
        if not (_INITIALS.fullmatch(text) or text.strip(".").casefold() in words):
            break
        if first and text[:1].casefold() != given[:1].casefold():
            return 0
        end = pos + token.end()
        first = False
    return end if not first else 0


def widen_highlight(marked: str, given: str) -> str:
    """Extend the highlight from the family name to the given names or initials around it.

    >>> on, off = markup.HIGHLIGHT_ON, markup.HIGHLIGHT_OFF
    >>> markup.to_markdown(widen_highlight(f"Z. {on}Zhang{off} and W. Li", "Zili"))
    '**Z. Zhang** and W. Li'
    >>> markup.to_markdown(widen_highlight(f"{on}Zhang{off}, Z., & Li, W.", "Zili"))
    '**Zhang, Z.**, & Li, W.'
    >>> markup.to_markdown(widen_highlight(f"Li W, {on}Zhang{off} Z. Title", "Zili"))
    'Li W, **Zhang Z.** Title'
    >>> markup.to_markdown(widen_highlight(f"{on}Zhang{off}, Zili, and Wei Li.", "Zili"))
    '**Zhang, Zili**, and Wei Li.'
    """
    if not given:
        return marked
    initial = given[:1]

    out = []
    pos = 0
    for m in re.finditer(re.escape(markup.HIGHLIGHT_ON) + "(.*?)" + re.escape(markup.HIGHLIGHT_OFF), marked):
        before = marked[pos:m.start()]
        after_start = m.end()
        b = _GIVEN_BEFORE.search(before)
        start_text = before
        inner = m.group(1)
        if b and b.group(1).strip()[:1] == initial:
            start_text = before[: b.start(1)]
            inner = b.group(1) + inner
        rest = marked[after_start:]
        consumed = 0
        if not (b and b.group(1).strip()[:1] == initial):
            consumed = _given_after(rest, given)
            inner += rest[:consumed]
        out.append(start_text + markup.HIGHLIGHT_ON + inner + markup.HIGHLIGHT_OFF)
        pos = after_start + consumed
    out.append(marked[pos:])
    return "".join(out)


def _type_groups() -> tuple[list[tuple[str, str]], str]:
    data = json.loads((resources.files("bibkit") / "data" / "format_type_groups.json").read_text(encoding="utf-8"))
    return [tuple(x) for x in data["order"]], data["other"]


def publication_groups(render: Render, entries: Sequence[Entry | dict[str, Any]], *,
                       highlight: str | Sequence[str] | None = None, group_by: str | None = None,
                       sort: str | None = None) -> list[tuple[str | None, list[str]]]:
    """The marked entries of a bibliography in groups: ``[(heading, marked strings)]``, one group with heading
    ``None`` when not grouped; the owner's names (``highlight``) between highlight marks."""
    from ..io.csljson import entry_from_csl

    items = [e if isinstance(e, Entry) else entry_from_csl(e) for e in entries]
    owners = [highlight] if isinstance(highlight, str) else list(highlight or [])
    if owners:
        items = mark_owner(items, owners)
    if group_by not in (None, "year", "type"):
        from ..errors import UsageError

        raise UsageError(f"unknown --group-by {group_by!r}; use year or type")
    order_sort = sort or ("-year" if group_by else None)
    marked, order = render(items, order_sort)
    for given in (parse_owner(o)[1] for o in owners):
        marked = [widen_highlight(m, given) for m in marked]
    if not group_by:
        return [(None, marked)]
    groups: dict[str, list[str]] = {}
    if group_by == "year":
        for text, i in zip(marked, order, strict=True):
            year = items[i].year
            groups.setdefault(str(year) if year else "Undated", []).append(text)
        keys = sorted((k for k in groups if k != "Undated"), key=int, reverse=True)
        keys += ["Undated"] if "Undated" in groups else []
    else:
        known, other = _type_groups()
        label = dict(known)
        for text, i in zip(marked, order, strict=True):
            groups.setdefault(label.get(items[i].type, other), []).append(text)
        keys = [title for _, title in known if title in groups] + ([other] if other in groups else [])
    return [(k, groups[k]) for k in keys]


def publication_list(render: Render, entries: Sequence[Entry | dict[str, Any]], fmt: str = "markdown", *,
                     highlight: str | Sequence[str] | None = None, group_by: str | None = None,
                     sort: str | None = None, numbered: bool = False) -> list[str]:
    """Lines of a publication list: one entry per line when not grouped; grouped, the lines of the document
    (:func:`bibkit.format.document.document_lines`: headings, blank lines between groups, Markdown and HTML
    lists)."""
    from .document import document_lines

    groups = publication_groups(render, entries, highlight=highlight, group_by=group_by, sort=sort)
    if not group_by:
        convert = markup.CONVERTERS[fmt]
        return [markup.to_html(m, entry_div=True) if fmt == "html" else convert(m) for m in groups[0][1]]
    return document_lines(groups, fmt, numbered=numbered)
