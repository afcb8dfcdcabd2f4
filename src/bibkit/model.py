"""The canonical entry model.

Every reader produces :class:`Entry` objects and every writer consumes them.  The
model follows CSL-JSON closely (typed fields, structured names, date parts) so that
the CSL-JSON reader/writer is almost an identity, while keeping what BibTeX needs
(citation key, unmapped fields in :attr:`Entry.extra`) and what bibkit adds
(provenance, confidence, publication status).

Equality between entries compares bibliographic content only: provenance,
confidence and format-specific memos (:attr:`Entry.origin`) are ignored, so a
round trip ``bib -> model -> bib -> model`` can be checked with ``==``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Name:
    """A personal or corporate name.

    ``literal`` is used for organisations and anything that must not be split.

    >>> Name(family="Maaten", given="Laurens", particle="van der").display()
    'Laurens van der Maaten'
    >>> Name(literal="World Health Organization").display()
    'World Health Organization'
    """

    family: str | None = None
    given: str | None = None
    particle: str | None = None  # CSL non-dropping-particle ("van der", "de la")
    dropping_particle: str | None = None
    suffix: str | None = None  # "Jr.", "III"
    literal: str | None = None

    def display(self) -> str:
        """The name in reading order ("Given particle Family, Suffix")."""
        if self.literal:
            return self.literal
        parts = [p for p in (self.given, self.dropping_particle, self.particle, self.family) if p]
        text = " ".join(parts)
        if self.suffix:
            text += ", " + self.suffix
        return text

    @property
    def is_others(self) -> bool:
        """True for the "and others" / "et al." marker."""
        return self.literal == OTHERS

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v}


#: The literal used for "and others" / "et al." in author lists.
OTHERS = "others"


@dataclass
class Date:
    """A (possibly partial) date; ``end`` holds the end of a range.

    >>> Date(2024, 5).parts()
    [2024, 5]
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None
    circa: bool = False
    raw: str | None = None  # the date as written, when it could not be fully parsed
    end: Date | None = None

    def parts(self) -> list[int]:
        out: list[int] = []
        for p in (self.year, self.month, self.day):
            if p is None:
                break
            out.append(p)
        return out

    def __bool__(self) -> bool:
        return bool(self.year or self.raw)


@dataclass
class Provenance:
    """Where an entry (or one of the records merged into it) came from."""

    source: str = ""  # file name, URL or "<string>"
    line_start: int | None = None
    line_end: int | None = None
    raw: str | None = None  # the text the entry was read from
    record_id: str | None = None  # citation key / CSV ID in the source
    fmt: str | None = None  # reader that produced it
    # fields that lost a merge conflict, kept so that nothing is lost
    dropped: dict[str, Any] = field(default_factory=dict)

    def location(self) -> str:
        if self.line_start is None:
            return self.source
        return f"{self.source}:{self.line_start}"


@dataclass
class Entry:
    """One bibliographic work.

    >>> e = Entry(type="article-journal", title="Deep learning",
    ...           author=[Name(family="LeCun", given="Yann")], issued=Date(2015),
    ...           container_title="Nature", volume="521", page="436–444")
    >>> e.year
    2015
    >>> e.first_author_family
    'LeCun'
    """

    type: str = "document"
    key: str | None = None
    title: str | None = None
    author: list[Name] = field(default_factory=list)
    editor: list[Name] = field(default_factory=list)
    translator: list[Name] = field(default_factory=list)
    issued: Date | None = None
    container_title: str | None = None  # journal, proceedings, book title
    collection_title: str | None = None  # series
    event: str | None = None  # conference name (CSL event-title)
    event_place: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    edition: str | None = None
    number: str | None = None  # report / patent / standard number
    genre: str | None = None  # thesis type, report type
    doi: str | None = None
    isbn: str | None = None
    issn: str | None = None
    url: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    language: str | None = None
    note: str | None = None
    status: str | None = None  # None = published; else accepted, submitted, under-review, preprint, forthcoming
    accessed: Date | None = None
    # every field no reader could map, by its source name: nothing is lost
    extra: dict[str, str] = field(default_factory=dict)
    # ids of related entries (e.g. preprint <-> published with --versions link)
    related: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list, compare=False)
    confidence: float | None = field(default=None, compare=False)
    # format-specific memo a reader leaves for its own writer (e.g. the exact BibTeX
    # source of unchanged fields, @string references); never compared
    origin: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- convenience -------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None

    @property
    def first_author_family(self) -> str | None:
        for n in self.author:
            if not n.is_others:
                return n.family or n.literal
        return None

    def copy(self) -> Entry:
        """A deep copy."""
        import copy

        return copy.deepcopy(self)

    def fields(self) -> dict[str, Any]:
        """The non-empty bibliographic fields (no provenance), by model name."""
        out = {}
        for name in _compared_fields():
            v = getattr(self, name)
            if v or isinstance(v, Date):  # None, "", [] and {} are left out (a Date is always kept)
                out[name] = v
        return out


@functools.cache
def _compared_fields() -> tuple[str, ...]:
    """The names of the fields that take part in equality (all but provenance, confidence, origin)."""
    return tuple(f.name for f in dataclasses.fields(Entry) if f.compare)


#: The names of the simple string fields of :class:`Entry`.
STRING_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(Entry)
    if f.type in ("str | None",) and f.name not in ("key", "status")
)
NAME_FIELDS = ("author", "editor", "translator")
DATE_FIELDS = ("issued", "accessed")


@dataclass
class Problem:
    """Something a reader could not read, or a writer could not write.

    Readers never drop input silently: what they skip becomes a Problem.
    """

    source: str
    line: int | None
    message: str
    severity: str = "error"  # "error" | "warning"
    raw: str | None = None
    #: what kind of problem, for a summary (:data:`OUTSIDE_PUBLICATIONS`); ``None``: listed one by one
    category: str | None = None

    def __str__(self) -> str:
        loc = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{loc}: {self.severity}: {self.message}"


#: :attr:`Problem.category` of a line of a publication list skipped in a section that is not one of
#: publications (teaching, awards, jobs, service): summarised in one line unless asked for (``-v``, ``--report``)
OUTSIDE_PUBLICATIONS = "outside-publications"


@dataclass
class ReadResult:
    """Entries read from one or more inputs, and the problems met on the way."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # non-entry blocks worth keeping for a faithful rewrite (@comment, @preamble, @string)
    preamble: list[Any] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.entries.extend(other.entries)
        self.problems.extend(other.problems)
        self.preamble.extend(other.preamble)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


#: a hyphen (or two, three, or a look-alike dash) between two page numbers: "6000-6010", "S12 - S15"
_PAGE_DASH = re.compile(r"(?<=\d)\s*(?:-{1,3}|[\u2010\u2011\u2012\u2014\u2212])\s*(?=[A-Za-z]{0,2}\d)")
_PAGE_RANGE_MARKED = re.compile(r"(?<=\w)\s*(?:-{2,3}|\u2013|\u2014)\s*(?=\w)|(?<=\w)\s+-\s+(?=\w)")


def page_range(page: str | None) -> str | None:
    """``page`` with its ranges in the model's form, an en dash (which BibTeX output writes ``--``).

    >>> page_range("6000-6010"), page_range("S12 - S15, 20--25"), page_range("e1234"), page_range(None)
    ('6000–6010', 'S12–S15, 20–25', 'e1234', None)
    >>> page_range("4-1--4-59")
    '4-1–4-59'
    """
    if not page or ("-" not in page and not any(c in page for c in "\u2010\u2011\u2012\u2014\u2212")):
        return page
    if "\u2013" in page or "--" in page:  # a range already marked: a single hyphen is inside a page ("4-1--4-59")
        return _PAGE_RANGE_MARKED.sub("\u2013", page)
    return _PAGE_DASH.sub("\u2013", page)
