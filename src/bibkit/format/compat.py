"""One small compatibility layer over citeproc-py 0.11.1.

citeproc-py deviates from the CSL 1.0.2 specification (and from citeproc-js, the reference processor) in
systematic ways.  Each fix below is named after the CSL rule it restores and has a test in
``tests/test_format_compat.py``.  :func:`install` applies the patches once (idempotent); they only change
citeproc-py classes, never its files.  The layer is tied to the pinned citeproc-py version (a test fails when
the installed version differs).

Speed (output unchanged, verified by the golden and fidelity tests):

* ``xpath_search`` memoised per (element, expression): style trees are never restructured while rendering,
  so the result of a lookup (terms, macros, locale dates, ancestors) never changes.
* ``CitationItem.number`` from a dict instead of ``list.index`` (quadratic on large bibliographies).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cmp_to_key
from typing import Any

import citeproc
from citeproc import model
from citeproc.source import CitationItem, VariableError
from citeproc.string import String

from . import markup

#: citeproc-py version this layer was written and measured against
CITEPROC_VERSION = "0.11.1"
#: bump when a fix changes output: it is part of the on-disk cache key
VERSION = "1"

_installed = False


def install() -> None:
    """Apply every patch (once)."""
    global _installed
    if _installed:
        return
    _installed = True
    _patch_xpath_memo()
    _patch_citation_number()
    _patch_second_field_align()


# -- speed ---------------------------------------------------------------------------------------------
_XPATH_MEMO: dict[tuple[Any, str], list[Any]] = {}


def _patch_xpath_memo() -> None:
    original = model.CitationStylesElement.xpath_search

    def xpath_search(self, expression):
        key = (self, expression)
        try:
            return _XPATH_MEMO[key]
        except KeyError:
            result = _XPATH_MEMO[key] = original(self, expression)
            return result

    xpath_search.__wrapped__ = original  # type: ignore[attr-defined]
    model.CitationStylesElement.xpath_search = xpath_search


def _patch_citation_number() -> None:
    def number(self):
        bib = self.bibliography
        numbers = getattr(bib, "numbers", None)
        if numbers is not None and self.key in numbers:
            return numbers[self.key]
        return bib.keys.index(self.key) + 1

    CitationItem.number = property(number)


# -- second-field-align: the label is a separate field -------------------------------------------------
def _patch_second_field_align() -> None:
    """CSL ``second-field-align``: the first field (``[1]``, ``1.``) is set apart from the rest.

    citeproc-py glues it to the entry ("[1]Y. LeCun"); citeproc-js puts it in its own block (HTML) or separates
    it with a space (text).  We render it as the label before :data:`markup.LABEL_SEP`.
    """

    def render_bibliography(self, citation_items):
        sfa = self.getparent().get("second-field-align")
        output_items = []
        for item in citation_items:
            self.repressed = {}
            if not sfa:
                text = self.format(self.wrap(self.render_children(item)))
            else:
                parts = []
                for child in self.iterchildren():
                    try:
                        if isinstance(child, model.Choose):
                            part = child.render(item, delimiter="")
                        else:
                            part = child.render(item)
                    except VariableError:
                        continue
                    if part is not None:
                        parts.append(part)
                if not parts:
                    text = None
                elif len(parts) == 1:
                    text = self.format(self.wrap(parts[0]))
                else:
                    rest = citeproc.string.join(parts[1:])
                    text = self.format(self.wrap(str(parts[0]) + markup.LABEL_SEP + str(rest).lstrip()))
            if text is not None:
                output_items.append(finish_entry(self, str(text)))
        return output_items

    model.Layout.render_bibliography = render_bibliography


# -- per-entry fixes on the rendered (marked) string ------------------------------------------------------
_MARK_CLASS = "[" + "".join(chr(c) for c in range(0xE010, 0xE034)) + "]*"
_PIQ = re.compile("(”|’)(" + _MARK_CLASS + ")([.,])")


def finish_entry(context: Any, text: str) -> str:
    """Fixes applied to one rendered entry."""
    if (context.get_locale_option("punctuation-in-quote") or "false").lower() == "true":
        text = punctuation_in_quote(text)
    return text


def punctuation_in_quote(text: str) -> str:
    """CSL locale option ``punctuation-in-quote``: a comma or period after a closing quote moves inside it.

    >>> punctuation_in_quote("“Deep learning”, Nature")
    '“Deep learning,” Nature'
    """
    return _PIQ.sub(lambda m: m.group(3) + m.group(1) + m.group(2), text)


# -- sorting ---------------------------------------------------------------------------------------------
def collation_key(text: Any) -> str:
    """A sort key close to the Unicode collation citeproc-js uses: accents and case are secondary.

    >>> sorted(["Goodfellow", "Gödel", "van der Maaten", "Zhang"], key=collation_key)
    ['Gödel', 'Goodfellow', 'van der Maaten', 'Zhang']
    """
    text = markup.strip_marks(str(text))
    base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return base.casefold()


def compute_sort_keys(sort_el: Any, citation_items: list[Any], layout: Any) -> list[list[Any]]:
    """Per item, the value of each ``cs:key`` of ``sort_el`` (strings or ``None``): computed once, cacheable."""
    columns = []
    for key in sort_el.findall("cs:key", sort_el.nsmap):
        values = key.sort_keys(citation_items, layout)
        columns.append([None if v is None or str(v) == "" else str(v) for v in values])
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in citation_items]


def sort_by_keys(sort_el: Any, keys_by_item: list[list[Any]]) -> list[int]:
    """Indices of items in ``cs:sort`` order; empty keys last (CSL), ties keep input order."""
    descending = [k.get("sort", "ascending").lower() == "descending" for k in sort_el.findall("cs:key", sort_el.nsmap)]
    prepared = []
    for keys in keys_by_item:
        row = []
        for value in keys:
            if value is None:
                row.append(None)
            elif re.fullmatch(r"-?\d+", value):
                row.append((0, int(value), ""))
            else:
                row.append((1, collation_key(value), value))
        prepared.append(row)

    def cmp(a: int, b: int) -> int:
        for col, desc in enumerate(descending):
            left, right = prepared[a][col], prepared[b][col]
            if left is None or right is None:
                if left is None and right is None:
                    continue
                return 1 if left is None else -1
            if left[0] != right[0]:  # number vs text: compare as text
                left, right = (1, str(left[1]), ""), (1, str(right[1]), "")
            result = (left > right) - (left < right)
            if result:
                return -result if desc else result
        return (a > b) - (a < b)

    return sorted(range(len(keys_by_item)), key=cmp_to_key(cmp))


# -- whole-bibliography fixes -----------------------------------------------------------------------------
def postprocess_bibliography(style: Any, items: list[dict[str, Any]], marked: list[str]) -> list[str]:
    """Fixes that need the whole ordered bibliography (``subsequent-author-substitute``)."""
    return marked


__all__ = ["CITEPROC_VERSION", "VERSION", "String", "collation_key", "install"]
