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
        'the affixes of the differing date-part enclose a range ((1936–1937))',
        ()),
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

    def render_date_range(self, date_range, show_parts=None, context=None):
        """CSL date ranges: the affixes of the differing date-part enclose the range ("(1936–1937)", not
        "(1936)–(1937)"), and its ``range-delimiter`` joins the ends."""
        parts_el = self
        text = original_range(self, date_range, list(show_parts) if show_parts else show_parts, context)
        if text is None or date_range.end.is_nil():
            return text
        children = [c for c in parts_el.iterchildren() if c.get("name") in (show_parts or [])]
        if not children:
            return text
        styled = context if context is not None and context is not self else None
        def affix(el, which):
            value = el.get(which, "")
            if styled is not None:
                over = styled.xpath_search(f'./cs:date-part[@name="{el.get("name")}"]')
                if over and over[0].get(which) is not None:
                    value = over[0].get(which)
            return value
        diff_first = next((c for c in children if _differs(date_range, c.get("name"))), None)
        if diff_first is None:
            return text
        suffix, prefix = affix(diff_first, "suffix"), affix(diff_first, "prefix")
        dash = "\u2013"
        if suffix and prefix and (suffix + dash + prefix) in str(text):
            text = str(text).replace(suffix + dash + prefix, dash, 1)
        return text

    model.Date.render_date_range = render_date_range


def _differs(date_range: Any, part: str) -> bool:
    try:
        return date_range.begin.get(part) != date_range.end.get(part)
    except Exception:
        return False
