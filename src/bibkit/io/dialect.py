"""The two BibTeX dialects the writer can target: classic ``bibtex`` (what ``.bst`` styles read)
and ``biblatex`` (what biber validates).

Each writes only the entry types and fields its tools know, and loses nothing: what a dialect
cannot hold goes where its styles print it (``note``, ``howpublished``, ``eprint`` +
``archivePrefix`` + ``primaryClass``) or into fields they ignore.  The tables are data:

- ``data/bibtex_types.csv``: per BibTeX type, the fields classic styles require (``requires``,
  ``a|b`` = one of them; an entry lacking one is written as ``@misc``, which requires none, with
  its venue in ``howpublished``), the field that holds the venue (``container``), and the biblatex
  type and ``type`` key that replace BibTeX's aliases (``@phdthesis`` -> ``@thesis``, ``type = {phdthesis}``);
- ``data/biblatex_fields.csv``: biblatex's data model (the fields each entry type accepts, from
  biblatex's ``blx-dm.def``);
- ``data/bibtex_status.csv``: how a publication state reads in a note ("Submitted to ICML").

>>> from bibkit.model import Entry, Name
>>> e = Entry(type="manuscript", title="T", author=[Name(family="Doe", given="A")], status="submitted",
...           container_title="ICML")
>>> entry_fields(e, "bibtex")[0], entry_fields(e, "bibtex")[1][-1]
('unpublished', ('note', '{Submitted to ICML}'))
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources
from typing import Any

from ..latex import encode
from ..model import Date, Entry, Problem

DIALECTS = ("bibtex", "biblatex")
#: biblatex fields of datatype integer (biber ignores other values)
_BLX_INTEGER = frozenset({"volume", "volumes", "month", "day"})
#: biblatex date fields (biber splits them into the data model's year/month/day parts)
_BLX_DATES = frozenset({"date", "urldate", "eventdate", "origdate"})
_THESIS_WORDS = re.compile(
    r"^\s*(?:(?:ph\.?\s?d\.?|doctoral|master'?s?|bachelor'?s?|m\.?\s?sc\.?|b\.?\s?sc\.?|honou?rs?|diploma)\s+)?"
    r"(?:thesis|dissertation)\b\s*(?:(?:of|at|from|for|submitted to)\b|[,:\-–])?\s*", re.I)


@cache
def _types() -> dict[str, dict[str, str]]:
    with (resources.files("bibkit") / "data" / "bibtex_types.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["dialect"]:
            out.setdefault(row["bibtex"], row)
    return out


@cache
def _bibtex_write() -> dict[str, str]:
    """CSL type -> the classic BibTeX type written for it (``misc`` when BibTeX has none)."""
    out: dict[str, str] = {}
    for row in _all_type_rows():
        bib = row["bibtex"]
        if row["write"] == "1" and row["csl"] not in out and _types().get(bib, {}).get("dialect") == "bibtex":
            out[row["csl"]] = bib
    return out


@cache
def _all_type_rows() -> tuple[dict[str, str], ...]:
    with (resources.files("bibkit") / "data" / "bibtex_types.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@cache
def biblatex_fields() -> dict[str, frozenset[str]]:
    """biblatex entry type -> the fields its data model accepts (``*``: every type)."""
    out: dict[str, set[str]] = {}
    with (resources.files("bibkit") / "data" / "biblatex_fields.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            fields = set(row["fields"].split())
            for t in row["types"].split():
                out.setdefault(t, set()).update(fields)
    common = out.pop("*", set()) | _BLX_DATES
    return {t: frozenset(f | common) for t, f in out.items()}


@cache
def _status() -> dict[str, tuple[str, str]]:
    """status -> (note with a venue, with ``{}`` for it; note without one)."""
    with (resources.files("bibkit") / "data" / "bibtex_status.csv").open(encoding="utf-8") as fh:
        return {r["status"]: (r["with_venue"], r["alone"]) for r in csv.DictReader(fh)}


def status_note(status: str | None, venue: str | None) -> str | None:
    """How a publication state reads in a note.

    >>> status_note("submitted", "ICML"), status_note("accepted", None), status_note("published", "X")
    ('Submitted to ICML', 'To appear', None)
    """
    row = _status().get(status or "")
    if row is None:
        return None
    with_venue, alone = row
    if venue and with_venue:
        return with_venue.replace("{}", venue)
    return alone or None


def school_of(text: str) -> str:
    """The institution in a thesis "venue": ``Thesis of The University of Sydney`` -> ``The University of Sydney``.

    >>> school_of("PhD Thesis, ETH Zurich"), school_of("University of Oslo")
    ('ETH Zurich', 'University of Oslo')
    """
    rest = _THESIS_WORDS.sub("", text, count=1).strip(" ,.")
    return rest or text


def _conference(text: str) -> tuple[str, str | None]:
    """(full proceedings name, acronym) for a conference venue known to ``data/venues.csv``;
    the text is kept (without its leading acronym) when it says more than the table's name."""
    from ..profile.venues import lookup

    venue = lookup(text)
    if venue is None or venue.kind != "conference" or not venue.acronym or venue.acronym == venue.name:
        return text, None
    acr = venue.acronym
    rest = text.strip()
    if rest.startswith(acr):
        rest = rest[len(acr):]
    rest = re.sub(r"^[\s'’]*(?:(?:19|20)?\d\d)?\s*", "", rest).strip(" ()-:,")
    if "(" not in text and rest and acr not in text[:len(acr) + 1]:
        # a full name already (looked up by its words), or a workshop naming the conference ("X@NeurIPS")
        return text, acr if venue.name.lower() in text.lower() else None
    if rest and len(rest) <= 12:
        return text, None  # "CVPR Workshop": not the conference's proceedings
    name = rest or venue.name
    if not re.match(r"(?i)(?:proceedings|advances|proc\.)\b", name):
        name = "Proceedings of the " + name
    return name, acr


def bibtex_type(entry: Entry) -> str:
    """The classic BibTeX type for ``entry``'s CSL type (before the required-fields check)."""
    t = entry.type
    if t == "thesis":
        return "mastersthesis" if "master" in (entry.genre or "").lower() else "phdthesis"
    if t == "chapter" and not entry.container_title:
        return "inbook"
    return _bibtex_write().get(t, "misc")


def _read_type(entry: Entry, dialect: str) -> str | None:
    memo = entry.origin.get("bibtex") if entry.origin else None
    if not memo or entry.type != memo.get("ctype"):
        return None
    read = str(memo.get("type", "")).lower()
    row = _types().get(read)
    if row is None or row.get("biblatex") or (dialect == "bibtex" and row["dialect"] != "bibtex"):
        return None  # (a BibTeX alias biblatex replaces: @phdthesis -> @thesis)
    if read == "inbook" and entry.container_title:
        return None
    return read


def _biblatex_type(entry: Entry) -> tuple[str, str | None]:
    from .bibtex import bibtex_type as any_type

    bt = any_type(entry)
    row = _types().get(bt, {})
    if row.get("biblatex"):
        return row["biblatex"], row.get("typekey") or None
    return bt, None


def _date(d: Date, dialect: str) -> list[tuple[str, str]]:
    if dialect == "biblatex":
        from .bibtex import _iso

        if d.raw and not d.parts():
            return [("date", "{XXXX}")] if d.year is None else [("date", f"{{{d.year:04d}}}")]
        iso = _iso(d) if d.year is not None else "XXXX"
        if d.end is not None and d.end.year is not None:
            iso += "/" + _iso(d.end)
        if d.circa:
            iso += "~"
        return [("date", "{" + iso + "}")]
    from .scan import MONTHS

    out = []
    if d.year is not None:
        out.append(("year", f"{{{d.year}}}"))
    elif d.raw:
        out.append(("year", "{" + encode(d.raw) + "}"))
    if d.month and 1 <= d.month <= 12:
        out.append(("month", MONTHS[d.month - 1]))
    if d.day:
        out.append(("day", f"{{{d.day}}}"))  # ignored by the styles
    return out


def entry_fields(entry: Entry, dialect: str, ascii: bool = False
                 ) -> tuple[str, list[tuple[str, str]], list[str]]:
    """(entry type, [(field, value as written)], comment lines) of ``entry`` in ``dialect``.

    The comment lines (biblatex) hold the fields outside biblatex's data model (``bibsource``,
    ``coden``...), as ``% name = {value}``: biber would warn about them as fields."""
    from .bibtex import _ATTR_ORDER, _default_genre, _fmt_value, _gen_attr

    blx = dialect == "biblatex"
    if blx:
        btype, typekey = _biblatex_type(entry)
    else:
        btype, typekey = bibtex_type(entry), None
    read = _read_type(entry, dialect)
    if read:  # the type the entry was read with, when the dialect has it and it means the same
        btype, typekey = read, None
    status = entry.status
    pending = status in ("submitted", "under-review")
    if pending and btype not in ("misc", "online"):
        btype, typekey = "unpublished", None
    valid = biblatex_fields().get(btype, frozenset()) if blx else None
    fields: dict[str, tuple[str, str]] = {}
    notes: list[str] = []
    aside: list[tuple[str, str]] = []  # fields the type cannot hold (biblatex): into addendum
    numbers: list[str] = []  # ISBNs / ISSNs the field cannot hold (split_numbers): into the note, after its text

    def put(name: str, value: str, text: str | None = None) -> None:
        low = name.lower()
        if low in fields:
            if text:
                notes.append(text)
            return
        if valid is not None and ((low not in valid and low in _known_blx()) or (
                low in _BLX_INTEGER and not value.strip("{}").isdigit())):
            aside.append((name, text if text is not None else value.strip("{}")))
            return
        fields[low] = (name, value)

    def enc(text: str) -> str:
        return "{" + encode(text, ascii) + "}"

    container = entry.container_title
    joined: set[str] = set()  # subtitles written into their title (classic styles print no subtitle)
    if not blx:
        sub = entry.extra.get("booksubtitle") or entry.extra.get("journalsubtitle")
        if container and sub:
            container = _with_subtitle(container, sub)
            joined |= {"booksubtitle", "journalsubtitle"}
    acronym = None
    if container and pending:
        notes.append(status_note(status, container) or container)
        container = None
    elif status:
        note = status_note(status, None)
        if note:
            notes.append(note)
    if container and btype in ("inproceedings", "conference"):
        container, acronym = _conference(container)
    publisher = entry.publisher
    for attr in _ATTR_ORDER:
        if attr == "title" and not blx and entry.title and entry.extra.get("subtitle"):
            from ..latex import protect_title

            raw = _raw_inner(entry, "title"), _raw_inner(entry, "subtitle")
            if raw[0] is not None and raw[1] is not None and not (ascii and not (raw[0] + raw[1]).isascii()):
                put("title", "{" + _with_subtitle(raw[0], raw[1]) + "}")  # the file's own LaTeX (\emph...)
            else:
                text = _with_subtitle(entry.title, entry.extra["subtitle"])
                put("title", "{" + protect_title(encode(text, ascii)) + "}")
            joined.add("subtitle")
            continue
        if attr == "container_title":
            if container:
                cfield = _container_field(btype, dialect, entry)
                if cfield == "note":
                    notes.append(container)
                elif cfield in ("school", "institution") and publisher is None and entry.type == "thesis":
                    put(cfield, enc(school_of(container)))
                elif cfield in ("school", "institution"):
                    notes.append(container)
                else:
                    put(cfield, enc(container), container)
            if acronym:
                put("eventtitle" if blx else "shortbooktitle", enc(acronym))
            continue
        if attr == "issued":
            if entry.issued is not None:
                for n, v in _date(entry.issued, dialect):
                    put(n, v)
            elif blx:
                put("date", "{XXXX}")  # EDTF: year unspecified (biblatex requires a date)
            continue
        if attr == "status":
            if blx and status and status != "published":
                from .bibtex import STATUS_TO_BIB

                put("pubstate", "{" + STATUS_TO_BIB.get(status, status) + "}")
            continue
        if attr == "note":
            if entry.note:
                notes.append(entry.note)
            continue
        if attr == "genre":
            genre = entry.genre
            default = (genre or "").lower() == (_default_genre(entry) or "").lower()
            if typekey and (not genre or default):
                put("type", "{" + typekey + "}")
            elif genre and blx and genre.lower() in _genre_keys():
                put("type", "{" + _genre_keys()[genre.lower()] + "}")
            elif genre and not default:
                put("type", enc(genre))
            continue
        if attr == "arxiv":
            if entry.arxiv:
                put("eprint", "{" + entry.arxiv + "}")
                put("eprinttype" if blx else "archivePrefix", "{arxiv}" if blx else "{arXiv}")
                cls = entry.extra.get("primaryclass") or entry.extra.get("eprintclass")
                if cls:
                    put("eprintclass" if blx else "primaryClass", "{" + cls + "}")
            continue
        if attr in ("isbn", "issn") and getattr(entry, attr):
            keep, rest, _bad = split_numbers(entry, attr)  # (only a valid number in the field: write_problems)
            if keep:
                put(attr, _fmt_value(keep, ascii, "verbatim"))
            if rest:
                numbers.append(f"{attr.upper()} {', '.join(rest)}")
            continue
        if attr in ("event", "event_place", "publisher", "publisher_place", "issue", "number", "accessed"):
            _place(attr, entry, btype, blx, put, enc, notes)
            continue
        for n, v in _gen_attr(entry, attr, [], ascii):
            put(n, v)
    for k, value in entry.extra.items():
        if k in joined or (k in ("primaryclass", "eprintclass", "archiveprefix", "eprinttype") and entry.arxiv):
            continue
        if k == "note" or k.lower() in fields:
            continue
        for n, v in _gen_attr(entry, "extra:" + k, [], ascii):
            put(_rename(n, blx), v, str(value))
    notes += numbers
    for name, text in aside:
        notes.append(f"{name}: {text}" if name not in ("howpublished", "note", "publisher") else text)
    if notes:
        seen: list[str] = []
        for n in notes:
            if n and n not in seen:
                seen.append(n)
        put("addendum" if blx and "note" in fields else "note", enc(". ".join(s.rstrip(".") for s in seen)))
    btype = _fit(btype, fields, entry, blx)
    comments: list[str] = []
    if blx:
        known = _known_blx()
        for low in [n for n in fields if n not in known]:
            name, value = fields.pop(low)
            comments.append(f"% {name} = {value}".replace("\n", "\n% "))
    return btype, list(fields.values()), comments


def split_numbers(entry: Entry, attr: str) -> tuple[str | None, list[str], list[tuple[str, str]]]:
    """The ``isbn`` or ``issn`` (``attr``) of ``entry`` as the dialects write it: (what goes into the field,
    what goes into the note, [(a number that is not valid, why)]).  The field holds one valid number
    (biber validates it, and a list of two is not one): a field listing several (``0027-8424,
    1091-6490``: print and online) keeps its first valid one, the others, as written, go to the note;
    so does a number with a wrong check digit.

    >>> e = Entry(type="article", issn="1532-0626 (print), 1532-0634 (electronic)", isbn="0-582-44663-8")
    >>> split_numbers(e, "issn")
    ('1532-0626 (print)', ['1532-0634 (electronic)'], [])
    >>> split_numbers(e, "isbn")
    (None, ['0-582-44663-8'], [('0-582-44663-8', 'wrong check digit')])
    """
    from ..ids import isbn_problem, issn_problem

    value = getattr(entry, attr)
    check = isbn_problem if attr == "isbn" else issn_problem
    if not value or not check(value):
        return value, [], []
    parts = [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
    why = {p: check(p) for p in parts}
    bad = [(p, w) for p, w in why.items() if w]
    keep = next((p for p in parts if not why[p]), None)
    if keep is None or len(parts) < 2:
        return None, [value], bad or [(value, check(value) or "")]
    return keep, [p for p in parts if p != keep], bad


def numbers_moved(entry: Entry) -> bool:
    """Whether a number of the ``isbn`` or ``issn`` of ``entry`` goes to the note (:func:`split_numbers`):
    its entry is then written anew even when the field names are those it was read with."""
    return any(getattr(entry, a) and split_numbers(entry, a)[1] for a in ("isbn", "issn"))


def _field_line(entry: Entry, names: tuple[str, ...]) -> tuple[str, int | None]:
    """(file, line) of the first of the fields ``names`` in the .bib ``entry`` was read from (else of the entry)."""
    memo = entry.origin.get("bibtex") if entry.origin else None
    if memo and "lines" in memo:
        for (name, _raw, _t), line in zip(memo["fields"], memo["lines"], strict=False):
            if name.lower() in names:
                return entry.provenance[0].source, line
    if entry.provenance:
        return entry.provenance[0].source, entry.provenance[0].line_start
    return "<entries>", None


def write_problems(entries: list[Entry], dialect: str) -> list[Problem]:
    """What the .bib of ``entries`` in ``dialect`` holds otherwise than read, or lacks, one warning
    each (for the command's report; the file and line are the field's or the entry's as read):

    - an ``isbn`` / ``issn`` that is not a valid ISBN / ISSN (a wrong check digit: biber rejects it):
      written, verbatim after the word ISBN / ISSN, in the ``note`` (after the entry's own note),
      where styles print it, not in the field the tools validate (:func:`split_numbers`);
    - biblatex: an entry without a title, written as a type that requires one (biber's "Missing
      mandatory field 'title'"; every type of biblatex's standard styles does, ``@misc`` too):
      nothing in the record can be its title, so it is written without one (classic BibTeX
      writes it as ``@misc``, which requires none).

    >>> from bibkit.model import Entry
    >>> [p.message for p in write_problems([Entry(type="book", key="b", title="T", isbn="0-582-44663-8")], "bibtex")]
    ["@book{b: ISBN '0-582-44663-8' is not valid (wrong check digit): written in note, not isbn"]
    """
    out: list[Problem] = []
    for entry in entries:
        for attr in ("isbn", "issn"):
            keep, rest, bad = split_numbers(entry, attr)
            if not rest:
                continue
            source, line = _field_line(entry, (attr,))
            value = getattr(entry, attr)
            if keep is None and len(bad) == 1 and bad[0][0] == value:
                msg = f"{attr.upper()} {value!r} is not valid ({bad[0][1]}): written in note, not {attr}"
            else:
                msg = (f"{attr.upper()} {value!r} is not one valid number: {keep!r} kept in {attr}, "
                       if keep else f"{attr.upper()} {value!r} has no valid number: ")
                msg += ", ".join(map(repr, rest)) + " written in note"
                msg += "".join(f"; {p!r} is not valid ({why})" for p, why in bad)
            out.append(Problem(source, line, f"@{_type_word(entry)}{{{entry.key}: {msg}", "warning"))
        written = entry_fields(entry, dialect)[0] if dialect == "biblatex" and not entry.title else ""
        if "title" in _biblatex_required().get(written, ()):
            source, line = _field_line(entry, ())
            out.append(Problem(source, line, f"@{_type_word(entry)}{{{entry.key}: no title, which biblatex's "
                               f"@{written} requires (biber will say so); written without one", "warning"))
    return out


def _type_word(entry: Entry) -> str:
    memo = entry.origin.get("bibtex") if entry.origin else None
    return str(memo.get("type") or entry.type) if memo else entry.type


@cache
def _genre_keys() -> dict[str, str]:
    """Genre words -> biblatex's localisation key (``PhD thesis`` -> ``phdthesis``; data/bibtex_genres.csv)."""
    from .bibtex import _genres

    out: dict[str, str] = {}
    for key, genre in _genres().items():
        out.setdefault(genre.lower(), key)
    return out


def _known_blx() -> frozenset[str]:
    return _all_blx_fields()


@cache
def _all_blx_fields() -> frozenset[str]:
    out: set[str] = set()
    for f in biblatex_fields().values():
        out |= f
    return frozenset(out)


#: biblatex field -> classic name, and back
_TO_BIBTEX = {"journaltitle": "journal", "location": "address", "institution": "institution",
              "eprinttype": "archivePrefix", "eprintclass": "primaryClass", "annotation": "annote"}
_TO_BIBLATEX = {"journal": "journaltitle", "address": "location", "school": "institution",
                "archiveprefix": "eprinttype", "primaryclass": "eprintclass", "annote": "annotation",
                "key": "sortkey"}


def _rename(name: str, blx: bool) -> str:
    table = _TO_BIBLATEX if blx else _TO_BIBTEX
    return table.get(name.lower(), name)


def _container_field(btype: str, dialect: str, entry: Entry) -> str:
    if dialect == "bibtex":
        return _types().get(btype, {}).get("container") or "note"
    valid = biblatex_fields().get(btype, frozenset())
    for name in ("journaltitle", "booktitle", "howpublished", "institution", "organization"):
        if name in valid:
            return name
    return "note"


def _place(attr: str, entry: Entry, btype: str, blx: bool, put: Any, enc: Any, notes: list[str]) -> None:
    """Publisher, places, event, numbers and access date under the names of the dialect."""
    value = getattr(entry, attr)
    if value is None or value == "":
        return
    if attr == "accessed":
        if value.year:
            from .bibtex import _iso

            put("urldate", "{" + _iso(value) + "}")
        return
    if attr == "event":
        if blx:
            put("eventtitle", enc(value), value)
        elif value != entry.container_title:
            notes.append(value)
        return
    if attr == "event_place":
        if blx:
            put("venue", enc(value), value)
        elif not entry.publisher_place:
            put("address", enc(value), value)
        else:
            notes.append(value)
        return
    if attr == "publisher_place":
        put("location" if blx else "address", enc(value), value)
        return
    if attr in ("issue", "number"):
        put("issue" if attr == "issue" and blx and btype != "article" else "number", enc(value), value)
        return
    # publisher
    if btype in ("phdthesis", "mastersthesis"):
        put("school", enc(school_of(value)), value)
    elif btype in ("techreport", "thesis", "report"):
        put("institution", enc(value), value)
    elif btype in ("misc", "online") and not blx:
        put("howpublished", enc(value), value)
    elif blx and btype == "online":
        put("organization", enc(value), value)
    else:
        put("publisher", enc(value), value)


def _present(fields: dict[str, tuple[str, str]], need: str) -> bool:
    return any(alt in fields for alt in need.split("|"))


@cache
def _biblatex_required() -> dict[str, list[str]]:
    with (resources.files("bibkit") / "data" / "biblatex_required.csv").open(encoding="utf-8") as fh:
        return {r["type"]: r["requires"].split() for r in csv.DictReader(fh)}


def _fit(btype: str, fields: dict[str, tuple[str, str]], entry: Entry, blx: bool) -> str:
    """The type the dialect's tools take ``fields`` as without a warning: ``@misc`` (which requires
    no field in BibTeX, a title in biblatex; the venue in ``howpublished``) when one the type
    requires is missing; an ``@unpublished`` always has a ``note``; BibTeX gets a ``key`` to sort
    by when there is no author or editor."""
    if btype == "unpublished" and "note" not in fields:
        fields["note"] = ("note", "{Unpublished}")
    need = (_biblatex_required().get(btype, []) if blx else
            (_types().get(btype, {}).get("requires") or "").split())
    if any(not _present(fields, n) for n in need) and (not blx or "title" in fields):
        venue = next((fields[f] for f in ("journal", "journaltitle", "booktitle", "school", "institution",
                                          "publisher") if f in fields), None)
        kind = _types().get(btype, {}).get("genre") or ""  # (what @misc does not say: "PhD thesis")
        if venue is not None and "howpublished" not in fields:
            text = venue[1][1:-1] if venue[1][:1] == "{" else None
            fields["howpublished"] = ("howpublished", "{" + f"{kind}, {text}" + "}" if kind and text else venue[1])
        btype = "misc"
        if blx:
            valid = biblatex_fields()["misc"]
            moved = [n for n in fields if n not in valid and n in _known_blx()]
            if moved:
                parts = [fields["addendum"][1][1:-1]] if "addendum" in fields else []
                parts += [f"{n}: {fields.pop(n)[1][1:-1]}" for n in moved]
                fields["addendum"] = ("addendum", "{" + ". ".join(parts) + "}")
    if blx:
        return btype
    row = _types().get(btype, {})
    for rule in (row.get("exclusive") or "").split():
        if "/" in rule:  # a/b: not both (b set aside)
            first, second = rule.split("/")
            if first in fields and second in fields:
                _set_aside(fields, second, entry)
        else:  # b>a: b only with a ("there's a number but no series")
            second, first = rule.split(">")
            if second in fields and first not in fields:
                _set_aside(fields, second, entry)
    if btype == "misc" and not any(f in fields for f in ("author", "title", "howpublished", "year", "note")):
        rest = [f"{name}: {value[1:-1]}" for name, value in fields.values() if name != "key"]
        if rest:
            fields["note"] = ("note", "{" + ". ".join(rest) + "}")
    if not any(_present(fields, n) for n in (row.get("sorts_by") or "author").split()) and "key" not in fields:
        sort = entry.title or entry.publisher or entry.container_title or entry.key
        if sort:
            fields["key"] = ("key", "{" + encode(_sort_words(sort)) + "}")
    return btype


def _set_aside(fields: dict[str, tuple[str, str]], name: str, entry: Entry) -> None:
    """A field classic styles cannot print with another one (a book's editor beside its author,
    a volume's series number beside its volume): the editors into ``note``, a number into ``issue``
    (which they ignore)."""
    _name, value = fields.pop(name)
    if name == "editor":
        people = [" ".join(p for p in (n.given, n.particle, n.family) if p) or (n.literal or "")
                  for n in entry.editor if not n.is_others]
        text = "Edited by " + (" and ".join(people) if len(people) < 3 else ", ".join(people[:-1]) +
                               ", and " + people[-1])
        note = fields.get("note")
        joined = (note[1][1:-1].rstrip(".") + ". " if note else "") + encode(text)
        fields["note"] = ("note", "{" + joined + "}")
    elif "issue" not in fields:
        fields["issue"] = ("issue", value)


def _raw_inner(entry: Entry, name: str) -> str | None:
    """The text of field ``name`` as the .bib had it (without its delimiters), if it was a plain value."""
    memo = entry.origin.get("bibtex") if entry.origin else None
    for n, raw, _t in (memo or {}).get("fields", ()):
        if n.lower() == name and raw[:1] in "{\"" and "#" not in raw and len(raw) > 1:
            return raw[1:-1]
    return None


def _with_subtitle(title: str, subtitle: str) -> str:
    """``Title: Subtitle`` (biblatex prints them so; classic styles print no ``subtitle``)."""
    return title if subtitle.lower() in title.lower() else f"{title.rstrip(' .:')}: {subtitle}"


def _sort_words(text: str) -> str:
    return " ".join(re.sub(r"[{}\\$]", "", text).split()[:6])
