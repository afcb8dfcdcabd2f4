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
from .markup import QUOTE_OFF, QUOTE_ON, rich_to_marked


#: every variable of CSL 1.0.2 (Appendix IV), hyphenated; citeproc-py is taught the ones it lacks
#: (:mod:`bibkit.format.compat.variables`), so a style testing any of them sees the item's value
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STANDARD_VARIABLES = _words("""
    abstract annote archive archive-collection archive-location archive-place authority call-number chapter-number
    citation-key citation-label citation-number collection-number collection-title container-title
    container-title-short dimensions division DOI edition event event-title event-place first-reference-note-number
    genre ISBN ISSN issue jurisdiction keyword language license locator medium note number number-of-pages
    number-of-volumes original-publisher original-publisher-place original-title page page-first part-number
    part-title PMCID PMID printing-number publisher publisher-place references reviewed-genre reviewed-title scale
    section source status supplement-number title title-short URL version volume volume-title
    volume-title-short year-suffix""")
STANDARD_NAMES = _words("""
    author chair collection-editor compiler composer container-author contributor curator director editor
    editorial-director editor-translator executive-producer guest host illustrator interviewer narrator organizer
    original-author performer producer recipient reviewed-author script-writer series-creator translator""")
STANDARD_DATES = _words("accessed available-date event-date issued original-date submitted")
NAME_VARIABLES = frozenset(v.replace("_", "-") for v in NAMES) | STANDARD_NAMES
DATE_VARIABLES = frozenset(v.replace("_", "-") for v in DATES) | STANDARD_DATES
#: CSL variables passed to citeproc-py (hyphenated spelling)
CSL_VARIABLES = (frozenset(v.replace("_", "-") for v in VARIABLES) | STANDARD_VARIABLES | NAME_VARIABLES
                 | DATE_VARIABLES | {"DOI", "ISBN", "ISSN", "URL", "PMID", "PMCID"})
#: CSL-JSON spellings of other processors (Zotero) for CSL variables; ``event-title`` is its own variable
_RENAMED = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short",
            "archive_location": "archive-location", "archive_collection": "archive-collection"}


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
            # rich text first: the quotes of its tags' attributes are markup, not text
            item[key] = typographic_apostrophes(rich_to_marked(value.strip())) if key not in _VERBATIM \
                else value.strip()
    if isinstance(base.get("note"), str) and ":" in base["note"]:
        _note_variables(item, base["note"])
    return item


_NOTE_LINE = re.compile(r"^\s*\{?:?([A-Za-z][\w-]*):\s*(.+?)\}?\s*$", re.M)


def _note_variables(item: dict[str, Any], note: str) -> None:
    """CSL variables written as ``name: value`` lines in ``note`` (Zotero's convention, read by citeproc-js):
    each sets its variable when the item lacks it; names are ``Family || Given``; dates ISO.

    >>> item = {"id": "x", "type": "post"}
    >>> _note_variables(item, "reviewed-author: Hall || W.C.\\noriginal-date: 1999-04\\nfoo: bar")
    >>> item["reviewed-author"], item["original-date"], "foo" in item
    ([{'family': 'Hall', 'given': 'W.C.'}], {'date-parts': [[1999, 4]]}, False)
    """
    own = set(item)  # the item's own variables win over its note
    for m in _NOTE_LINE.finditer(note):
        key, value = m.group(1), m.group(2).strip()
        key = _RENAMED.get(key, key.replace("_", "-") if key.replace("_", "-") in CSL_VARIABLES else key)
        if key not in CSL_VARIABLES or key in ("id", "type", "note") or key in own or not value:
            continue
        if key in NAME_VARIABLES:
            family, _, given = value.partition("||")
            name = {"family": family.strip(), "given": given.strip()} if given.strip() else {"literal": family.strip()}
            item.setdefault(key, []).append(name)
        elif key in DATE_VARIABLES:
            date = _date({"date-parts": [value.split("-")]} if re.fullmatch(r"\d{1,4}(?:-\d\d?){0,2}", value)
                         else {"raw": value})
            if date:
                item[key] = date
        else:
            item[key] = typographic_apostrophes(rich_to_marked(value))


_VERBATIM = frozenset({"DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID", "page", "language"})


_QUOTED = re.compile(r"(?<!\w)(['\"])(?=\S)([^'\"]*?\S)\1(?!\w)")


def typographic_apostrophes(text: str) -> str:
    """Straight apostrophes and single quotes become typographic (as citeproc-js prints them).

    >>> typographic_apostrophes("Cotta'scher Verlag O'Brien's")
    'Cotta’scher Verlag O’Brien’s'
    >>> typographic_apostrophes("KDD '16, the 'best' one")
    'KDD ’16, the \ue034best\ue035 one'
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
    for _ in range(3):  # innermost first: '"PIAAC" 2015' is a quotation inside a quotation
        marked = _QUOTED.sub(lambda m: QUOTE_ON + m.group(2) + QUOTE_OFF, text)
        if marked == text:
            break
        text = marked
    text = re.sub(r"(?<=\w)'", "’", text)
    text = re.sub(r"'(?=\d\d(?!\d))", "’", text)  # an elided century ("KDD '16"), not an opening quote
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
        return {"literal": rich_to_marked(str(data["literal"]).strip())}
    # name parts hold no quotations: every straight apostrophe is one (D’Arcus, d’Alembert, ’t Hooft)
    out = {k: str(v).strip().replace("'", "’") for k, v in data.items()
           if k in ("family", "given", "dropping-particle", "non-dropping-particle", "suffix") and v}
    if not out:
        return None
    if "family" in out and "non-dropping-particle" not in out and "dropping-particle" not in out:
        out.update(split_particle(out.pop("family")))
    for part in ("family", "given"):  # rich text in a name ("Center <sup>for</sup>...", "<b>John</b> Q.")
        if "<" in out.get(part, ""):
            out[part] = rich_to_marked(out[part])
    if "family" not in out and "given" in out:  # a mononym: CSL renders it as the family name
        out["family"] = out.pop("given")
    return out


_PARTICLE = re.compile(r"((?:[a-z\u00df-\u00ff]+(?:\s+|-|’)|d’|l’)+)(?=[A-Z\u00c0-\u00de])")


def split_particle(family: str) -> dict[str, str]:
    """A family name's leading lowercase particle, as citeproc-js parses CSL-JSON: "von Hoppel" -> particle
    "von" + "Hoppel", "al-One" -> "al-" + "One"; a capitalised word stays ("Van Four"), and a name in double
    quotes is taken as written, without its quotes ('"van Happel"').

    >>> split_particle("von Hoppel"), split_particle("al-One")
    ({'non-dropping-particle': 'von', 'family': 'Hoppel'}, {'non-dropping-particle': 'al-', 'family': 'One'})
    >>> split_particle('"van Happel"')
    {'family': 'van Happel'}
    >>> split_particle("Van Four"), split_particle("de la Fontaine")
    ({'family': 'Van Four'}, {'non-dropping-particle': 'de la', 'family': 'Fontaine'})
    """
    if len(family) > 2 and family[0] == family[-1] == '"':
        return {"family": family[1:-1]}
    m = _PARTICLE.match(family)
    if not m or not family[m.end():]:
        return {"family": family}
    return {"non-dropping-particle": m.group(1).rstrip(), "family": family[m.end():]}


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
