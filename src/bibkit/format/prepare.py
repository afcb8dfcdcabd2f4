"""Preparing entries as citeproc-py input: CSL variables, names, dates and rich text done right.

>>> from bibkit.model import Entry, Name, Date
>>> item = entry_to_citeproc(Entry(type="book", title="On <i>Drosophila</i>", author=[Name(literal="WHO")],
...                                issued=Date(raw="spring 1999"), extra={"container-title-short": "X"}))
>>> sorted(item)
['author', 'container-title-short', 'id', 'issued', 'title', 'type']
>>> item["issued"]
{'literal': 'spring 1999'}
"""

from __future__ import annotations

import json
import re
from typing import Any

from citeproc import DATES, NAMES, VARIABLES

from ..io.csljson import entry_to_csl
from ..model import Entry
from .markup import QUOTE_OFF, QUOTE_ON

#: CSL variables citeproc-py knows (hyphenated spelling)
CSL_VARIABLES = frozenset(v.replace("_", "-") for v in VARIABLES) | {"DOI", "ISBN", "ISSN", "URL", "PMID", "PMCID"}
NAME_VARIABLES = frozenset(v.replace("_", "-") for v in NAMES)
DATE_VARIABLES = frozenset(v.replace("_", "-") for v in DATES) | {"event-date", "original-date"}
_RENAMED = {"event-title": "event", "shortTitle": "title-short", "journalAbbreviation": "container-title-short"}


def entry_to_citeproc(entry: Entry | dict[str, Any], item_id: str | None = None) -> dict[str, Any]:
    """A clean CSL-JSON item for citeproc-py from an :class:`Entry` (or a CSL-JSON dict)."""
    if isinstance(entry, Entry):
        base = entry_to_csl(entry)
        base.pop("custom", None)
        subtitle = (entry.extra.get("subtitle") or "").strip()
        if subtitle and base.get("title") and subtitle.casefold() not in base["title"].casefold():
            # BibLaTeX keeps the subtitle apart; CSL has one title ("Title: Subtitle")
            base["title"] = base["title"].rstrip(" .:") + ": " + subtitle
        for key, value in entry.extra.items():
            key = _RENAMED.get(key, key)
            if key in CSL_VARIABLES and key not in base:
                base[key] = _decode(value) if key in NAME_VARIABLES or key in DATE_VARIABLES else value
    else:
        base = dict(entry)
    item: dict[str, Any] = {"id": item_id or str(base.get("id") or ""), "type": str(base.get("type") or "document")}
    for key, value in base.items():
        key = _RENAMED.get(key, key)
        if key in ("id", "type") or value in (None, "", [], {}):
            continue
        if key not in CSL_VARIABLES:
            continue
        if key in NAME_VARIABLES:
            names = [_name(n) for n in (value if isinstance(value, list) else [value])]
            names = [n for n in names if n]
            if names:
                item[key] = names
        elif key in DATE_VARIABLES:
            date = _date(value)
            if date:
                item[key] = date
        elif isinstance(value, int | float) and not isinstance(value, bool):
            item[key] = str(value)
        elif isinstance(value, str):
            item[key] = typographic_apostrophes(value.strip()) if key not in _VERBATIM else value.strip()
    return item


_VERBATIM = frozenset({"DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID", "page", "language"})


def typographic_apostrophes(text: str) -> str:
    """Straight apostrophes and single quotes become typographic (as citeproc-js prints them).

    >>> typographic_apostrophes("Cotta'scher Verlag O'Brien's")
    'Cotta’scher Verlag O’Brien’s'
    """
    if "'" not in text and '"' not in text:
        return text
    if "<" in text:  # the quotes inside rich-text tags (<span class="nocase">) are markup, not text
        tags = _TAG.findall(text)
        if tags:
            hidden = "".join(part + (f"\ue100{i}\ue101" if i < len(tags) else "")  # tags as numbered placeholders
                             for i, part in enumerate(_TAG.split(text)))
            return re.sub("\ue100(\\d+)\ue101", lambda m: tags[int(m.group(1))], typographic_apostrophes(hidden))
    # a quoted phrase: its quote marks depend on the nesting level, resolved when rendering
    text = re.sub(r"(?<![\w'\"])(['\"])(?=\S)([^'\"]*?\S)\1(?!\w)",
                  lambda m: QUOTE_ON + m.group(2) + QUOTE_OFF, text)
    text = re.sub(r"(?<=\w)'", "’", text)
    text = re.sub(r"'(?=\w)", "‘", text)
    return text.replace("'", "’")


_TAG = re.compile(r"<[^<>]*>")


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _name(data: Any) -> dict[str, str] | None:
    if isinstance(data, str):
        return {"literal": data.strip()} if data.strip() else None
    if not isinstance(data, dict):
        return None
    if data.get("literal"):
        return {"literal": str(data["literal"]).strip()}
    out = {k: str(v).strip() for k, v in data.items()
           if k in ("family", "given", "dropping-particle", "non-dropping-particle", "suffix") and v}
    if not out:
        return None
    if "family" not in out and "given" in out:  # a mononym: CSL renders it as the family name
        out["family"] = out.pop("given")
    return out


def _date(data: Any) -> dict[str, Any] | None:
    if isinstance(data, str | int):
        data = {"raw": str(data)}
    if not isinstance(data, dict):
        return None
    parts = data.get("date-parts")
    if parts and isinstance(parts, list) and isinstance(parts[0], list) and parts[0]:
        clean = []
        for p in parts[:2]:
            try:
                vals = [int(x) for x in p[:3] if str(x).strip() not in ("", "0")]
            except (TypeError, ValueError):
                vals = []
            if vals:
                clean.append(vals)
        if clean:
            out: dict[str, Any] = {"date-parts": clean}
            if data.get("season") and len(clean[0]) == 1:
                out["season"] = data["season"]
            if data.get("circa"):
                out["circa"] = True
            return out
    literal = data.get("literal") or data.get("raw")
    if literal:
        return {"literal": str(literal)}
    return None
