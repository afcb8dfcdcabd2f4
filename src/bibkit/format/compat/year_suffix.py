"""Implicit year suffix (CSL 1.0.2 "Disambiguation").
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'year-suffix-implicit': (
        'a year-suffix the style does not render itself follows the first issued date',
        ()),
}


def _patch_implicit_year_suffix() -> None:
    """A ``year-suffix`` the style does not render itself is appended to the first ``issued`` date of
    each citation or entry (CSL 1.0.2, "Disambiguation"); citeproc-py drops it.  The suffixes come from
    :mod:`bibkit.format.disambiguate`."""
    original_children = model.Layout.render_children
    original_process = model.Date.process

    def explicit(root: Any) -> bool:
        known = getattr(root, "_bibkit_explicit_year_suffix", None)
        if known is None:
            known = bool(root.xpath(".//cs:text[@variable='year-suffix']",
                                    namespaces={"cs": "http://purl.org/net/xbiblio/csl"}))
            root._bibkit_explicit_year_suffix = known
        return known

    def render_children(self, item, *args, **kwargs):
        ref = getattr(item, "reference", None)
        suffix = ref.get("year_suffix") if isinstance(ref, dict) else None
        if not suffix or explicit(self.get_root()):
            return original_children(self, item, *args, **kwargs)
        item.__dict__["_bibkit_year_suffix"] = str(suffix)
        try:
            return original_children(self, item, *args, **kwargs)
        finally:
            item.__dict__.pop("_bibkit_year_suffix", None)

    def process(self, item, variable=None, *args, **kwargs):
        pending = getattr(item, "__dict__", {}).get("_bibkit_year_suffix")
        if not pending or (variable or self.get("variable")) != "issued" or self.is_locale_date():
            return original_process(self, item, variable, *args, **kwargs)
        item.__dict__["_bibkit_year_suffix"] = None  # the first issued date only
        text = original_process(self, item, variable, *args, **kwargs)
        if text is None:
            item.__dict__["_bibkit_year_suffix"] = pending
            return None
        return _append_to_year(text, pending)

    model.Layout.render_children = render_children
    model.Date.process = process


def _append_to_year(text: Any, suffix: str) -> Any:
    """``suffix`` after the last run of digits in the rendered date (its year); at the end when the date is
    not plain text or has no year."""
    years = [m.end() for m in re.finditer(r"\d{3,4}", text)] if isinstance(text, str) else []
    if not years:
        return text + suffix
    return text[:years[-1]] + suffix + text[years[-1]:]
