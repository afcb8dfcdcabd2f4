"""Readers for systematic-review exports: CSV records, RIS and EndNote XML.

These are the formats reference managers and database searches export, and the
inputs of the deduplication benchmarks.  All three map onto :class:`~bibkit.model.Entry`
the same way; the record id of the source (CSV ``ID``, RIS ``ID``, EndNote ``rec-number``)
becomes ``entry.key`` and ``provenance.record_id``.

>>> res = read_csv('ID,ENTRYTYPE,title,author,year,journal,pages\\n'
...                'r1,article,Deep learning,"LeCun, Y. and Bengio, Yoshua",2015,Nature,436-444\\n')
>>> e = res.entries[0]
>>> (e.key, e.type, e.author[1].family, e.author[1].given, e.year, e.container_title, e.page)
('r1', 'article-journal', 'Bengio', 'Yoshua', 2015, 'Nature', '436-444')
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from importlib import resources

from ..errors import InputError
from ..model import Date, Entry, Name, Problem, Provenance, ReadResult
from ..names import parse_name as _parse_bibtex_name
from ..names import parse_names as _parse_bibtex_names
from .registry import Format

# -- names -------------------------------------------------------------------------
# BibTeX-style names ("Last, First and First von Last"), with the BibTeX reader's parser.


def parse_name(text: str) -> Name:
    """One BibTeX-style name.

    >>> parse_name("van der Maaten, Laurens")
    Name(family='Maaten', given='Laurens', particle='van der', dropping_particle=None, suffix=None, literal=None)
    >>> parse_name("Geoffrey E. Hinton").family
    'Hinton'
    >>> parse_name("{World Health Organization}").literal
    'World Health Organization'
    """
    return _parse_bibtex_name(text.strip())


def split_names(text: str | None) -> list[Name]:
    """A BibTeX author list ("A and B and others") as names.

    >>> [n.family for n in split_names("Zuna, R E and Wang, S S and others")]
    ['Zuna', 'Wang', None]
    """
    if not text or not text.strip():
        return []
    return _parse_bibtex_names(text.strip())


# -- shared mapping ------------------------------------------------------------------
@cache
def _type_maps() -> dict[str, dict[str, str]]:
    data = resources.files("bibkit").joinpath("data").joinpath("records_types.json").read_text(encoding="utf-8")
    return json.loads(data)


def _year(value: str | None) -> Date | None:
    if not value or not value.strip():
        return None
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value)
    if m:
        return Date(int(m.group(1)))
    return Date(raw=value.strip())


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# -- CSV -----------------------------------------------------------------------------
#: CSV column (lower case) -> entry attribute; ``number`` depends on the type
_CSV_FIELDS = {
    "title": "title", "journal": "container_title", "booktitle": "container_title", "volume": "volume",
    "pages": "page", "doi": "doi", "isbn": "isbn", "issn": "issn", "publisher": "publisher",
    "address": "publisher_place", "url": "url", "abstract": "abstract", "edition": "edition",
    "series": "collection_title", "language": "language", "note": "note", "eprint": "arxiv",
    "arxiv": "arxiv", "issue": "issue",
}


def read_csv(text: str, source: str = "<string>") -> ReadResult:
    """Read CSV records with BibTeX-like columns (``ID``, ``ENTRYTYPE``, ``title``, ``author``...)."""
    result = ReadResult()
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        return result
    header = {name: name.strip().lower() for name in reader.fieldnames if name is not None}
    types = _type_maps()["bibtex"]
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"bad CSV ({exc})", source=source, line=reader.line_num) from None
        row_no += 1
        line = reader.line_num
        fields = {header[k]: _clean(v) for k, v in row.items() if k in header}
        if None in row:  # more cells than columns
            result.problems.append(Problem(source, line, "row has more cells than the header; extra cells ignored",
                                           severity="warning"))
        if not any(fields.values()):
            continue
        rid = fields.pop("id", None) or f"row{row_no}"
        btype = (fields.pop("entrytype", None) or "misc").lower()
        entry = Entry(type=types.get(btype, "document"), key=rid)
        for col, value in fields.items():
            if value is None:
                continue
            if col in ("author", "editor", "translator"):
                setattr(entry, col, split_names(value))
            elif col == "year":
                entry.issued = _year(value)
            elif col == "number":
                if entry.type in ("article-journal", "article", "article-magazine", "article-newspaper"):
                    entry.issue = value
                else:
                    entry.number = value
            elif col in _CSV_FIELDS and getattr(entry, _CSV_FIELDS[col]) is None:
                setattr(entry, _CSV_FIELDS[col], value)
            else:
                entry.extra[col] = value
        entry.provenance.append(Provenance(source=source, line_start=line, line_end=line, record_id=rid, fmt="csv"))
        result.entries.append(entry)
    return result


def _sniff_csv(text: str) -> float:
    head = text.lstrip("\ufeff").split("\n", 1)[0].lower()
    cols = {c.strip().strip('"') for c in head.split(",")}
    return 0.9 if {"title", "author"} <= cols or {"id", "entrytype"} <= cols else 0.0


# -- RIS -----------------------------------------------------------------------------
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -( (.*))?$")
_RIS_FIELDS = {
    "TI": "title", "T1": "title", "CT": "title", "BT": "title_book",
    "T2": "container_title", "JO": "container_title", "JF": "container_title", "JA": "journal_abbrev",
    "J2": "journal_abbrev", "T3": "collection_title", "VL": "volume", "IS": "issue", "DO": "doi",
    "SN": "issn_or_isbn", "UR": "url", "AB": "abstract", "N2": "abstract", "PB": "publisher", "CY": "publisher_place",
    "ET": "edition", "LA": "language", "N1": "note", "M3": "genre",
}


def read_ris(text: str, source: str = "<string>") -> ReadResult:
    """Read RIS records (``TY  - JOUR`` ... ``ER  -``).

    >>> ris = ("TY  - JOUR\\nID  - x1\\nAU  - Smith, John\\nTI  - A title\\nPY  - 2001///\\n"
    ...        "SP  - 5\\nEP  - 9\\nER  - \\n")
    >>> e = read_ris(ris).entries[0]
    >>> (e.key, e.type, e.author[0].family, e.year, e.page)
    ('x1', 'article-journal', 'Smith', 2001, '5-9')
    """
    result = ReadResult()
    types = _type_maps()["ris"]
    current: dict[str, list[str]] | None = None
    start = 0
    last_tag = None
    for no, raw_line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = raw_line.rstrip()
        m = _RIS_LINE.match(line)
        if not m:
            if current is not None and last_tag and line.strip():
                current[last_tag][-1] += " " + line.strip()  # continuation line
            elif line.strip():
                result.problems.append(Problem(source, no, f"not a RIS line: {line[:60]!r}", severity="warning"))
            continue
        tag, value = m.group(1), (m.group(3) or "").strip()
        if tag == "TY":
            if current is not None:
                result.problems.append(Problem(source, start, "record without ER line", severity="warning"))
                result.entries.append(_ris_entry(current, types, source, start, no - 1))
            current, start, last_tag = {"TY": [value]}, no, "TY"
            continue
        if current is None:
            result.problems.append(Problem(source, no, f"{tag} line outside a record", severity="warning"))
            continue
        if tag == "ER":
            result.entries.append(_ris_entry(current, types, source, start, no))
            current, last_tag = None, None
            continue
        current.setdefault(tag, []).append(value)
        last_tag = tag
    if current is not None:
        result.problems.append(Problem(source, start, "record without ER line", severity="warning"))
        result.entries.append(_ris_entry(current, types, source, start, None))
    return result


def _ris_entry(rec: dict[str, list[str]], types: dict[str, str], source: str, start: int,
               end: int | None) -> Entry:
    ty = rec.get("TY", [""])[0].upper()
    rid = rec["ID"][0] if rec.get("ID") else None
    entry = Entry(type=types.get(ty, "document"), key=rid)
    for tag in ("AU", "A1"):
        for v in rec.get(tag, []):
            entry.author.append(parse_name(v))
    for tag in ("ED", "A2", "A3"):
        if tag == "A2" and ty not in ("CHAP", "BOOK", "EDBOOK"):
            continue
        for v in rec.get(tag, []):
            entry.editor.append(parse_name(v))
    for tag in ("PY", "Y1", "DA"):
        if rec.get(tag) and entry.issued is None:
            entry.issued = _year(rec[tag][0])
    sp = rec["SP"][0] if rec.get("SP") else None
    ep = rec["EP"][0] if rec.get("EP") else None
    if sp:
        entry.page = f"{sp}-{ep}" if ep and ep != sp and "-" not in sp else sp
    for tag, values in rec.items():
        attr = _RIS_FIELDS.get(tag)
        value = "; ".join(v for v in values if v) if tag in ("N1", "KW") else (values[0] if values else "")
        if not value:
            continue
        if attr == "issn_or_isbn":
            digits = re.sub(r"[^0-9Xx]", "", value)
            if len(digits) in (10, 13) and ty in ("BOOK", "CHAP", "EDBOOK", "EBOOK"):
                entry.isbn = value
            else:
                entry.issn = value
        elif attr == "journal_abbrev":
            entry.extra.setdefault("journal-abbrev", value)
        elif attr == "title_book":
            if ty == "BOOK":
                entry.title = entry.title or value
            else:
                entry.container_title = entry.container_title or value
        elif attr and getattr(entry, attr) is None:
            setattr(entry, attr, value)
        elif tag not in ("TY", "ID", "AU", "A1", "ED", "A2", "A3", "PY", "Y1", "DA", "SP", "EP", "ER") and attr is None:
            entry.extra[f"ris-{tag.lower()}"] = "; ".join(values)
    if entry.container_title is None and "journal-abbrev" in entry.extra:
        entry.container_title = entry.extra.pop("journal-abbrev")
    entry.provenance.append(Provenance(source=source, line_start=start, line_end=end, record_id=rid, fmt="ris"))
    return entry


def _sniff_ris(text: str) -> float:
    return 0.95 if re.match(r"\s*TY  - ", text.lstrip("\ufeff")[:200]) else 0.0


# -- EndNote XML ---------------------------------------------------------------------
def read_endnote_xml(text: str, source: str = "<string>") -> ReadResult:
    """Read an EndNote XML export (``<xml><records><record>...``).

    Parsed with lxml without entity resolution or network access.

    >>> x = ('<xml><records><record><rec-number>7</rec-number><ref-type name="Journal Article">17</ref-type>'
    ...      '<contributors><authors><author><style>Doe, J.</style></author></authors></contributors>'
    ...      '<titles><title><style>On X</style></title><secondary-title>J. Y</secondary-title></titles>'
    ...      '<dates><year>1999</year></dates></record></records></xml>')
    >>> e = read_endnote_xml(x).entries[0]
    >>> (e.key, e.type, e.author[0].family, e.title, e.container_title, e.year)
    ('7', 'article-journal', 'Doe', 'On X', 'J. Y', 1999)
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=False)
    data = text.lstrip("\ufeff")
    data = re.sub(r"^<\?xml[^>]*\?>", "", data)
    try:
        root = etree.fromstring(data.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if hasattr(exc, "lineno") else None
        raise InputError(f"bad EndNote XML ({exc.msg})", source=source, line=line) from None
    result = ReadResult()
    types = _type_maps()["endnote"]
    for rec in root.iter("record"):
        try:
            result.entries.append(_endnote_entry(rec, types, source))
        except Exception as exc:  # one bad record must not stop the rest
            result.problems.append(Problem(source, rec.sourceline, f"unreadable record: {exc}"))
    return result


def _text(el) -> str | None:
    if el is None:
        return None
    value = "".join(el.itertext()).strip()
    return value or None


def _endnote_entry(rec, types: dict[str, str], source: str) -> Entry:
    rid = _text(rec.find("rec-number"))
    rt = rec.find("ref-type")
    type_name = rt.get("name", "") if rt is not None else ""
    entry = Entry(type=types.get(type_name, "document"), key=rid)
    for a in rec.findall("contributors/authors/author"):
        if name := _text(a):
            entry.author.append(parse_name(name))
    for a in rec.findall("contributors/secondary-authors/author"):
        if (name := _text(a)) and entry.type in ("chapter", "book", "paper-conference"):
            entry.editor.append(parse_name(name))
    entry.title = _text(rec.find("titles/title"))
    entry.container_title = _text(rec.find("titles/secondary-title")) or _text(rec.find("periodical/full-title"))
    tertiary = _text(rec.find("titles/tertiary-title"))
    if tertiary:
        entry.collection_title = tertiary
    entry.issued = _year(_text(rec.find("dates/year")))
    simple = {"pages": "page", "volume": "volume", "edition": "edition", "publisher": "publisher",
              "pub-location": "publisher_place", "isbn": "isbn", "abstract": "abstract", "language": "language",
              "work-type": "genre", "notes": "note"}
    for tag, attr in simple.items():
        value = _text(rec.find(tag))
        if value:
            setattr(entry, attr, value)
    number = _text(rec.find("number"))
    if number:
        if entry.type.startswith("article"):
            entry.issue = number
        else:
            entry.number = number
    doi = _text(rec.find("electronic-resource-num"))
    if doi:
        entry.doi = doi
    url = _text(rec.find("urls/related-urls/url"))
    if url:
        entry.url = url
    isbn = entry.isbn
    if isbn and entry.type.startswith("article"):  # EndNote keeps ISSNs in the isbn element
        entry.issn, entry.isbn = isbn, None
    for tag in ("caption", "label", "accession-num", "remote-database-name", "custom1", "custom2"):
        value = _text(rec.find(tag))
        if value:
            entry.extra[tag] = value
    entry.provenance.append(Provenance(source=source, line_start=rec.sourceline, record_id=rid, fmt="endnote-xml"))
    return entry


def _sniff_endnote(text: str) -> float:
    head = text[:2000]
    return 0.9 if "<records>" in head and "<record>" in head else 0.0


FORMATS = [
    Format("csv", (".csv",), read=read_csv, sniff=_sniff_csv, description="CSV records with BibTeX-like columns"),
    Format("ris", (".ris",), read=read_ris, sniff=_sniff_ris, description="RIS (reference manager export)"),
    Format("endnote-xml", (".xml",), read=read_endnote_xml, sniff=_sniff_endnote, aliases=("endnote",),
           description="EndNote XML export"),
]
