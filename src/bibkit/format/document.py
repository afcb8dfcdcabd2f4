"""A whole bibliography as a document: plain text, a Markdown list, or an HTML fragment with a list.

Numbered styles (IEEE, Vancouver, Nature...) become numbered lists whose numbers are the entries' own (the
style's label, ``[3]`` or ``3.``, gives way to the list's number); other styles become bullet lists.  Groups
(``group_by``) get a heading each, with a blank line between a heading and its list and between groups, so
Markdown renderers (pandoc, CommonMark) make one list item per entry.

>>> from bibkit.format import markup
>>> groups = [("2023", ["[1]" + markup.LABEL_SEP + "A. Li, " + markup.ITALIC_ON + "T & U" + markup.ITALIC_OFF]),
...           ("2021", ["[2]" + markup.LABEL_SEP + "1999. A year first"])]
>>> print("\\n".join(document_lines(groups, "markdown", numbered=True)))
## 2023
<BLANKLINE>
1. A. Li, *T & U*
<BLANKLINE>
## 2021
<BLANKLINE>
2. 1999\\. A year first
>>> print("\\n".join(document_lines(groups[:1], "html", numbered=True)))
<div class="csl-bib-body">
  <h2>2023</h2>
  <ol>
    <li class="csl-entry">A. Li, <i>T &#38; U</i></li>
  </ol>
</div>
>>> document_lines([(None, ["Li, A. (2020). Title."])], "markdown")
['- Li, A. (2020). Title.']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import markup

#: a style's number label: "[12]", "12.", "12", "(12)"
_NUMBER_LABEL = re.compile(r"[\[(]?(\d+)[\].)]?")
#: what would make the start of a list item a new list or a heading: "1999. ", "- ", "+ ", "#"
_ITEM_START = re.compile(r"(\d{1,9})([.)])(?=\s|$)|([-+*])(?=\s|$)")


def split_label(marked: str) -> tuple[int | None, str]:
    """(the entry's number, the rest) when ``marked`` starts with a numeric label, else ``(None, marked)``.

    >>> split_label("[12]" + markup.LABEL_SEP + "Body")
    (12, 'Body')
    >>> split_label("Author. Title.")
    (None, 'Author. Title.')
    """
    label, sep, body = marked.partition(markup.LABEL_SEP)
    if not sep:
        return None, marked
    m = _NUMBER_LABEL.fullmatch(markup.strip_marks(label).strip())
    return (int(m.group(1)), body) if m else (None, marked)


def _markdown_item(text: str) -> str:
    """``text`` safe at the start of a list item (not read as a nested list)."""
    m = _ITEM_START.match(text)
    if m is None:
        return text
    if m.group(1):
        return f"{m.group(1)}\\{m.group(2)}{text[m.end():]}"
    return "\\" + text


def _items(marked: Sequence[str], numbered: bool) -> tuple[list[tuple[int | None, str]], bool]:
    """Per entry (its number or None, its marked text); and whether the list is numbered (every entry has a
    number label, in a numbered style)."""
    split = [split_label(m) for m in marked] if numbered else []
    if split and all(n is not None for n, _ in split):
        return split, True
    return [(None, m) for m in marked], False


def _heading(title: str, fmt: str) -> str:
    if fmt == "markdown":
        return f"## {markup.to_markdown(title)}"
    if fmt == "html":
        return f"<h2>{markup.escape_html(title)}</h2>"
    return title


def document_lines(groups: Sequence[tuple[str | None, Sequence[str]]], fmt: str = "markdown", *,
                   numbered: bool = False) -> list[str]:
    """The lines of a bibliography document from ``groups`` (``[(heading or None, marked entries)]``).

    ``text``: one entry per line as the style prints it, headings above groups; ``markdown``: a list per group
    (numbered with the entries' numbers for a numbered style, else bullets); ``html``: a
    ``<div class="csl-bib-body">`` fragment with an ``<ol>``/``<ul>`` per group, one ``<li class="csl-entry">``
    per entry, field content escaped and the style's markup kept.
    """
    if fmt not in markup.CONVERTERS:
        from ..errors import UsageError

        raise UsageError(f"unknown output format {fmt!r}; choose from {', '.join(markup.CONVERTERS)}")
    groups = [(heading, list(entries)) for heading, entries in groups if entries]
    out: list[str] = []
    if fmt == "html" and groups:
        out.append('<div class="csl-bib-body">')
    for heading, entries in groups:
        if fmt != "html" and out:
            out.append("")
        if heading is not None:
            out.append(("  " if fmt == "html" else "") + _heading(heading, fmt))
            if fmt != "html":
                out.append("")
        if fmt == "text":
            out.extend(markup.to_text(m) for m in entries)
            continue
        items, is_numbered = _items(entries, numbered)
        if fmt == "markdown":
            for number, text in items:
                body = _markdown_item(markup.to_markdown(text))
                out.append(f"{number}. {body}" if is_numbered else f"- {body}")
            continue
        first = items[0][0]
        tag = "ol" if is_numbered else "ul"
        start = f' start="{first}"' if is_numbered and first != 1 else ""
        out.append(f"  <{tag}{start}>")
        previous = None
        for number, text in items:
            value = f' value="{number}"' if number is not None and previous is not None and number != previous + 1 \
                else ""
            out.append(f'    <li class="csl-entry"{value}>{markup.to_html(text)}</li>')
            previous = number
        out.append(f"  </{tag}>")
    if fmt == "html" and groups:
        out.append("</div>")
    return out


def document_text(groups: Sequence[tuple[str | None, Sequence[str]]], fmt: str = "markdown", *,
                  numbered: bool = False) -> str:
    """:func:`document_lines` as one text, ending in a newline ('' for no entry)."""
    lines = document_lines(groups, fmt, numbered=numbered)
    return "\n".join(lines) + "\n" if lines else ""
