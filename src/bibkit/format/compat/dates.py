"""CSL dates: localized date delimiters and range affixes.
"""

from __future__ import annotations

from typing import Any

import citeproc
from citeproc import model

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'dates-delimiter': (
        'the locale cs:date delimiter joins its date-parts (2015 May 28)',
        ()),
    'dates-range-affixes': (
        'the affixes of the differing date-part enclose a range ((1936–1937), 1776–1789.); the range-delimiter of'
        ' the largest differing date-part joins the ends; the shared parts join as the date\'s parts do (2–4'
        ' January 1999)',
        ('date_RangeDelimiter',)),
}


def _patch_locale_date_delimiter() -> None:
    """CSL localized dates: the ``delimiter`` of the locale's ``cs:date`` joins its date-parts.

    citeproc-py used the calling element's delimiter, dropping the spaces of e.g. NLM's "2015 May 28".
    """

    def render_single_date(self, date, show_parts=None, context=None):
        parts = self.parts(date, show_parts, context) if context != self else self.parts(date, show_parts)
        if not parts:
            return None
        if self.is_locale_date():
            own = self.get("delimiter")
            if own is not None:
                return citeproc.string.join(parts, own)
            return context.join(parts) if context is not None else self.join(parts)
        return self.join(parts)

    model.Date.render_single_date = render_single_date

    original_range = model.Date.render_date_range

    def join_same(self, context, parts):
        own = self.get("delimiter") if self.is_locale_date() else None
        if own is not None:
            return citeproc.string.join(parts, own)
        return context.join(parts) if context is not None else self.join(parts)

    def render_date_range(self, date_range, show_parts=None, context=None):
        """CSL date ranges: the parts the two dates share are printed once, joined as the date's parts are
        ("2–4 January 1999"); the ``range-delimiter`` of the largest differing date-part joins the ends (en dash
        by default); the affixes of that date-part enclose the range ("(1936–1937)", not "(1936)–(1937)")."""
        if date_range.end.is_nil():
            return original_range(self, date_range, list(show_parts) if show_parts else show_parts, context)
        show = list(show_parts) if show_parts else ["year", "month", "day"]
        same_parts = []
        for name in ("year", "month", "day"):
            if name not in show:
                continue
            if _differs(date_range, name):
                break
            show.remove(name)
            same_parts.append(name)
        same = self.render_single_date(date_range.end, same_parts, context) if same_parts else None
        begin = self.render_single_date(date_range.begin, list(show), context)
        end = self.render_single_date(date_range.end, list(show), context)
        if not begin:
            return None
        styled = context if context is not None and context is not self else None

        def attribute(el, which, default=""):
            value = el.get(which, default)
            if styled is not None:
                over = styled.xpath_search(f'./cs:date-part[@name="{el.get("name")}"]')
                if over and over[0].get(which) is not None:
                    value = over[0].get(which)
            return value

        children = {c.get("name"): c for c in self.iterchildren() if c.get("name") in show}
        largest = next((children[n] for n in ("year", "month", "day") if n in children), None)
        dash = attribute(largest, "range-delimiter", "\u2013") if largest is not None else "\u2013"
        text = begin.rstrip() + dash + (end or "")
        if same:
            text = join_same(self, context, [text, same.rstrip()])
        # the affixes of the first differing date-part in the date's order (as it was rendered)
        diff_first = next((c for c in self.iterchildren() if c.get("name") in (show_parts or [])
                           and _differs(date_range, c.get("name"))), None)
        if diff_first is not None:
            suffix, prefix = attribute(diff_first, "suffix"), attribute(diff_first, "prefix")
            if (suffix or prefix) and (suffix + dash + prefix) in str(text):
                text = str(text).replace(suffix + dash + prefix, dash, 1)
        return text

    model.Date.render_date_range = render_date_range


def _differs(date_range: Any, part: str) -> bool:
    try:
        return date_range.begin.get(part) != date_range.end.get(part)
    except Exception:
        return False
