"""CSL-JSON reader and writer.

The model is close to CSL-JSON, so this is mostly renaming.  What CSL has no
variable for (arXiv id, unmapped BibTeX fields, related ids, the citation key when
it is not the id) goes into the schema's ``custom`` object, so every item written
validates against the official csl-data.json schema and nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

from ..keys import assign_keys
from ..model import OTHERS, Date, Entry, Name, Problem, Provenance, ReadResult
from ..progress import staged
from .registry import Format

#: model attribute -> CSL variable, for the plain string variables
STRING_MAP = {
    "title": "title",
    "container_title": "container-title",
    "collection_title": "collection-title",
    "event": "event",
    "event_place": "event-place",
    "publisher": "publisher",
    "publisher_place": "publisher-place",
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "edition": "edition",
    "number": "number",
    "genre": "genre",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "url": "URL",
    "abstract": "abstract",
    "language": "language",
    "note": "note",
    "status": "status",
}
CSL_TO_ATTR = {v: k for k, v in STRING_MAP.items()}
CSL_TO_ATTR["event-title"] = "event"  # CSL 1.0.2 name of the same variable
NAME_VARS = ("author", "editor", "translator")
NAME_KEYS = {
    "family": "family",
    "given": "given",
    "non-dropping-particle": "particle",
    "dropping-particle": "dropping_particle",
    "suffix": "suffix",
    "literal": "literal",
}


# -- model -> CSL ---------------------------------------------------------------
def name_to_csl(name: Name) -> dict[str, str]:
    out = {}
    for csl_key, attr in NAME_KEYS.items():
        value = getattr(name, attr)
        if value:
            out[csl_key] = value
    return out


def date_to_csl(date: Date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parts = date.parts()
    if parts:
        out["date-parts"] = [parts]
        if date.end is not None and date.end.parts():
            out["date-parts"].append(date.end.parts())
    if date.season:
        out["season"] = date.season
    if date.circa:
        out["circa"] = True
    if date.raw and not parts:
        out["raw"] = date.raw
    return out


def entry_to_csl(entry: Entry, item_id: str | None = None) -> dict[str, Any]:
    """One CSL-JSON item for ``entry``.

    >>> entry_to_csl(Entry(type="book", key="k", title="T", issued=Date(2001)))
    {'id': 'k', 'type': 'book', 'title': 'T', 'issued': {'date-parts': [[2001]]}}
    """
    item: dict[str, Any] = {"id": item_id or entry.key or _fallback_id(entry), "type": entry.type}
    for attr, var in STRING_MAP.items():
        value = getattr(entry, attr)
        if value:
            item[var] = str(value)
    truncated = []
    for var in NAME_VARS:
        names = getattr(entry, var)
        # CSL has no "and others" name: citeproc would print it as a person called
        # "others".  The list is written without it and the truncation kept in custom.
        kept = [n for n in names if not n.is_others]
        if len(kept) < len(names):
            truncated.append(var)
        if kept:
            item[var] = [name_to_csl(n) for n in kept]
    if entry.issued:
        date = date_to_csl(entry.issued)
        if date:
            item["issued"] = date
    if entry.accessed:
        date = date_to_csl(entry.accessed)
        if date:
            item["accessed"] = date
    custom: dict[str, Any] = {}
    if truncated:
        custom["et-al"] = truncated
    if entry.arxiv:
        custom["arxiv"] = entry.arxiv
    if entry.key and item["id"] != entry.key:
        custom["citation-key"] = entry.key
    if entry.extra:
        custom["extra"] = dict(entry.extra)
    if entry.related:
        custom["related"] = list(entry.related)
    if entry.confidence is not None:
        custom["confidence"] = round(entry.confidence, 3)
    if any(p.raw or p.line_start is not None or p.dropped for p in entry.provenance) or len(entry.provenance) > 1:
        custom["provenance"] = [_prov_to_json(p) for p in entry.provenance]
    if custom:
        item["custom"] = custom
    return item


def _prov_to_json(p: Provenance) -> dict[str, Any]:
    out: dict[str, Any] = {"source": p.source}
    if p.line_start is not None:
        out["lines"] = [p.line_start, p.line_end if p.line_end is not None else p.line_start]
    for attr in ("record_id", "fmt", "raw"):
        value = getattr(p, attr)
        if value:
            out[attr] = value
    if p.dropped:
        out["dropped"] = _jsonable(p.dropped)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Name):
        return name_to_csl(value)
    if isinstance(value, Date):
        return date_to_csl(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _fallback_id(entry: Entry) -> str:
    words = (entry.first_author_family or "").split()  # a blank family name has no words
    family = words[-1] if words else "anon"
    return f"{family}{entry.year or ''}".lower() or "item"


def write(entries: list[Entry], *, indent: int = 2, provenance: bool = True, **_: Any) -> str:
    """CSL-JSON text (an array) for the entries; the ids are the BibTeX writer's keys (made unique
    as for ``dialect=`` output: :func:`bibkit.keys.assign_keys`)."""
    items = []
    for entry, key in zip(entries, assign_keys(entries, unique=True), strict=True):
        item = entry_to_csl(entry, key)
        if not provenance and "custom" in item:
            item["custom"].pop("provenance", None)
            if not item["custom"]:
                del item["custom"]
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=indent) + "\n"


# -- CSL -> model ---------------------------------------------------------------
def name_from_csl(data: Any) -> Name:
    if isinstance(data, str):
        return Name(literal=data)
    if not isinstance(data, dict):
        raise ValueError(f"a name must be an object, not {type(data).__name__}")
    get = data.get
    return Name(_text(get("family")), _text(get("given")), _text(get("non-dropping-particle")),
                _text(get("dropping-particle")), _text(get("suffix")), _text(get("literal")))


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def date_from_csl(data: Any) -> Date | None:
    if data is None:
        return None
    if isinstance(data, str | int):
        return _date_from_string(str(data))
    if not isinstance(data, dict):
        raise ValueError("a date must be an object or a string")
    parts = data.get("date-parts")
    date = Date()
    if parts:
        if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
            raise ValueError("date-parts must be a list of lists")
        date = _date_from_parts(parts[0])
        if len(parts) > 1 and isinstance(parts[1], list):
            date.end = _date_from_parts(parts[1])
    elif data.get("raw") or data.get("literal"):
        parsed = _date_from_string(str(data.get("raw") or data.get("literal")))
        date = parsed or Date(raw=str(data.get("raw") or data.get("literal")))
    if data.get("season"):
        try:
            date.season = int(data["season"])
        except (TypeError, ValueError):
            pass
    if data.get("circa"):
        date.circa = True
    return date if date else None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_from_parts(parts: list[Any]) -> Date:
    vals = [_int_or_none(p) for p in parts[:3]] + [None, None, None]
    return Date(year=vals[0], month=vals[1], day=vals[2])


def _date_from_string(text: str) -> Date | None:
    import re

    m = re.fullmatch(r"\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*", text)
    if m:
        y, mo, d = (int(g) if g else None for g in m.groups())
        return Date(year=y, month=mo, day=d)
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text)
    return Date(year=int(m.group(1)), raw=text) if m else (Date(raw=text) if text.strip() else None)


def entry_from_csl(item: dict[str, Any], source: str = "<string>", index: int | None = None) -> Entry:
    """An :class:`Entry` from one CSL-JSON item (unknown variables go to ``extra``)."""
    if not isinstance(item, dict):
        raise ValueError(f"an item must be an object, not {type(item).__name__}")
    entry = Entry(type=str(item.get("type") or "document"))
    entry.key = str(item["id"]) if item.get("id") not in (None, "") else None
    for var, value in item.items():
        if var in ("id", "type", "custom"):
            continue
        if var in CSL_TO_ATTR:
            if value not in (None, ""):
                setattr(entry, CSL_TO_ATTR[var], value if isinstance(value, str) else _scalar(value, var))
        elif var in NAME_VARS:
            if not isinstance(value, list):
                raise ValueError(f"{var!r} must be a list of names")
            setattr(entry, var, [name_from_csl(n) for n in value])
        elif var in ("issued", "accessed"):
            setattr(entry, var, date_from_csl(value))
        else:
            entry.extra[var] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    custom = item.get("custom")
    if isinstance(custom, dict):
        entry.arxiv = custom.get("arxiv") or None
        if custom.get("citation-key"):
            entry.key = str(custom["citation-key"])
        if isinstance(custom.get("extra"), dict):
            entry.extra.update({str(k): str(v) for k, v in custom["extra"].items()})
        for var in custom.get("et-al") or []:
            if var in NAME_VARS:
                getattr(entry, var).append(Name(literal=OTHERS))
        if isinstance(custom.get("related"), list):
            entry.related = [str(r) for r in custom["related"]]
        if isinstance(custom.get("confidence"), int | float):
            entry.confidence = float(custom["confidence"])
        for p in custom.get("provenance") or []:
            if isinstance(p, dict):
                lines = p.get("lines") or [None, None]
                entry.provenance.append(Provenance(
                    source=str(p.get("source", "")), line_start=lines[0], line_end=lines[-1],
                    raw=p.get("raw"), record_id=p.get("record_id"), fmt=p.get("fmt"),
                    dropped=p.get("dropped") or {}))
    if not entry.provenance:
        entry.provenance.append(Provenance(source=source, record_id=entry.key, fmt="csl-json"))
    return entry


def _scalar(value: Any, var: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{var!r} must be a string or a number")


def read(text: str, source: str = "<string>") -> ReadResult:
    """Read a CSL-JSON array (or a single item, or JSON lines)."""
    result = ReadResult()
    try:
        data = json.loads(text)
    except RecursionError:
        from ..errors import InputError

        raise InputError("invalid JSON: nested too deeply", source=source) from None
    except json.JSONDecodeError as exc:
        stripped = text.strip()
        if stripped.startswith("{") and "\n{" in stripped:  # JSON lines
            data = []
            for lineno, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    data.append(json.loads(line))
                except json.JSONDecodeError as line_exc:
                    result.problems.append(Problem(source, lineno, f"invalid JSON: {line_exc.msg}"))
        else:
            from ..errors import InputError

            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", source=source,
                             line=exc.lineno) from None
    if isinstance(data, dict):
        data = data.get("items", [data]) if "type" not in data else [data]
    if not isinstance(data, list):
        from ..errors import InputError

        raise InputError("CSL-JSON must be an array of items", source=source)
    for index, item in enumerate(staged("reading", data, "items")):
        try:
            result.entries.append(entry_from_csl(item, source, index))
        except (ValueError, TypeError, KeyError) as exc:
            result.problems.append(Problem(source, None, f"item {index}: {exc}"))
        except RecursionError:
            result.problems.append(Problem(source, None, f"item {index}: nested too deeply"))
    return result


def sniff(text: str) -> float:
    head = text.lstrip()[:2000]
    if head.startswith("[") or head.startswith("{"):
        return 0.9 if '"type"' in head or head.startswith("[]") else 0.5
    return 0.0


FORMAT = Format(
    name="csl-json",
    suffixes=(".json", ".csl.json", ".csljson"),
    read=read,
    write=write,
    sniff=sniff,
    aliases=("csljson", "json", "csl"),
    description="CSL-JSON (citeproc input, Zotero/Pandoc export)",
)
