"""What the check reports (:class:`Finding`, :class:`CheckReport`) and how duplicates are found
among the entries read (the deduplicator's rules decide, the check picks the candidate pairs)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Date, Entry, Problem
from .config import CODES, CheckConfig


# -- results ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Location:
    """Where the other copy of a duplicate is."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass
class Finding:
    """One problem found by the check.

    >>> str(Finding("a.bib", 7, 10, "error", "BK101", "duplicate key 'x'", [Location("b.bib", 3)]))
    "a.bib:7:10: error: BK101 duplicate key 'x' (also at b.bib:3)"
    """

    path: str
    line: int | None
    col: int | None
    severity: str  # "error" | "warning"
    code: str
    message: str
    also_at: list[Location] = field(default_factory=list)
    #: for a duplicate: whether the deduplicator judges the two entries one work (None: not judged);
    #: ``--fix`` merges only those it judges one work
    same_work: bool | None = None

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line or 1}:{self.col or 1}"
        text = f"{loc}: {self.severity}: {self.code} {self.message}"
        if self.also_at:
            text += " (also at " + ", ".join(map(str, self.also_at)) + ")"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "line": self.line, "col": self.col, "severity": self.severity,
            "code": self.code, "message": self.message,
            "also_at": [{"path": a.path, "line": a.line} for a in self.also_at], "same_work": self.same_work,
        }


@dataclass
class CheckReport:
    """All findings of one check run, in file order."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    entries: int = 0
    strict: bool = False

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 clean, 1 errors (or, with strict, warnings)."""
        if self.errors or (self.strict and self.warnings):
            return 1
        return 0

    def summary(self) -> str:
        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        return (f"bibkit check: {n(len(self.files), 'file', 'files')}, {n(self.entries, 'entry', 'entries')}, "
                f"{n(self.errors, 'error', 'errors')}, {n(self.warnings, 'warning', 'warnings')}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files, "entries": self.entries, "strict": self.strict,
            "errors": self.errors, "warnings": self.warnings, "exit_code": self.exit_code,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Item:
    """One entry as the check sees it."""

    order: int
    path: str
    line: int | None
    end: int | None
    col: int
    entry: Any  # an Entry, or a Rec from the BibTeX scanner (same attribute names)
    full: Entry | None = None  # the Entry (made from a Rec when the deduplicator needs one)
    preprint: bool | None = None  # computed on demand

    @property
    def key(self) -> str:
        return self.entry.key or ""

    def loc(self) -> Location:
        return Location(self.path, self.line)


# -- what the deduplicator decides ---------------------------------------------------
# Identifiers are normalised and pairs are judged by bibkit.dedupe; the check only
# picks the candidate pairs (cheaply, for speed) and adds the vetoes a commit check
# needs to stay quiet on clean files (two entries with different pages, volume, issue
# or number are two works, e.g. the "Editorial" of each issue of a journal).
PART_TYPES = {"chapter", "paper-conference", "entry", "entry-dictionary", "entry-encyclopedia",
               "article", "article-journal", "article-magazine", "article-newspaper"}
_LATEX = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])|[{}]")
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """A fast fold for blocking only (LaTeX, case, accents, punctuation dropped); the
    decision itself is the deduplicator's."""
    text = _LATEX.sub("", text)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text.casefold()))


def _entry(it: Item) -> Entry:
    if it.full is None:
        e = it.entry
        it.full = e if isinstance(e, Entry) else e.to_entry()
    return it.full


def _is_preprint(it: Item) -> bool:
    """A preprint as the deduplicator sees it (arXiv/bioRxiv... and no journal)."""
    if it.preprint is None:
        from ..dedupe.keys import PREPRINT_F, Norm

        n = Norm(0, _entry(it))
        it.preprint = bool(n.flags & PREPRINT_F) and n.kind == "preprint"
    return it.preprint


_BOOK_TYPES = frozenset({"book", "thesis", "report"})
_PART_OF_BOOK = frozenset({"chapter", "paper-conference", "entry", "entry-dictionary", "entry-encyclopedia"})
_VETO_FIELDS = ("volume", "issue", "page", "number")


def _conflict(a: Any, b: Any) -> str | None:
    """Why two same-titled entries are different works whatever else agrees, or None."""
    kinds = {"book" if e.type in _BOOK_TYPES else "part" if e.type in _PART_OF_BOOK else "other" for e in (a, b)}
    if kinds == {"book", "part"}:
        return "a chapter and its book"
    for name in _VETO_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if x and y and x != y and fold(x) != fold(y):
            return name
    return None


# -- the check -------------------------------------------------------------------------
_PRIORITY = {code: i for i, code in enumerate(("BK101", "BK102", "BK103", "BK104", "BK106", "BK105", "BK201",
                                                "BK202"))}


def inherit(items: list[Item]) -> None:
    """Fill the year and container of scanned entries from their ``crossref`` parent."""
    by_key = {it.key.casefold(): it.entry for it in items}
    for it in items:
        rec = it.entry
        parent = by_key.get(rec.crossref.casefold()) if getattr(rec, "crossref", None) else None
        if parent is None or parent is rec:
            continue
        if rec.year is None:
            rec.year = parent.year
        if rec.container_title is None:
            rec.container_title = parent.title


def one_line(message: str) -> str:
    return " ".join(message.split())


def syntax_finding(problem: Problem, path: str) -> Finding:
    """The finding for a problem a reader or the scanner reported (BK001 errors and BK003
    warnings unless the problem names its code)."""
    code = getattr(problem, "code", None) or ("BK001" if problem.severity == "error" else "BK003")
    return Finding(problem.source or path, problem.line, getattr(problem, "col", 1), CODES[code][1], code,
                   one_line(problem.message))


def _allowed(a: Item, b: Item, allow: list[frozenset[str]]) -> bool:
    ka, kb = a.key.casefold(), b.key.casefold()
    return any(ka in g and kb in g for g in allow)


def duplicates(items: list[Item], cfg: CheckConfig, allow: list[frozenset[str]]) -> list[Finding]:
    # best[b.order] = (priority, a.order, code, message, one work by the deduplicator's rules)
    best: dict[int, tuple[int, int, str, str, bool | None]] = {}

    def offer(a: Item, b: Item, code: str, message: str, why: str = "", same: bool | None = True) -> None:
        if a.order > b.order:
            a, b = b, a
        if code != "BK101" and a.key.casefold() == b.key.casefold():
            return  # reported as a duplicate key
        if code in ("BK102", "BK103", "BK104", "BK105") and _is_preprint(a) != _is_preprint(b):
            code, message = "BK201", _preprint_message(a, b, why)
        if CODES[code][0] not in cfg.checks or _allowed(a, b, allow):
            return
        candidate = (_PRIORITY[code], a.order, code, message, same)
        if b.order not in best or candidate[:4] < best[b.order][:4]:
            best[b.order] = candidate

    if "keys" in cfg.checks:
        first: dict[str, Item] = {}
        for it in items:
            k = it.key.casefold()
            if not k:
                continue
            if k in first:
                other = first[k]
                how = "" if other.key == it.key else f" (same as {other.key!r} when case is ignored)"
                decision = _judge(other, it)
                if not decision.same:  # two works under one key: --fix gives the later one a new key
                    how += f" on a different work ({_why(decision)})"
                offer(other, it, "BK101", f"duplicate key {it.key!r}{how}", same=decision.same)
            else:
                first[k] = it
    if cfg.checks & {"identifiers", "preprints"} and any(has_ids(it.entry) for it in items):
        from ..dedupe.keys import arxiv_of
        from ..ids import normalize_doi, normalize_isbn

        for code, label, norm in (
            ("BK102", "DOI", lambda e: normalize_doi(e.doi)),
            ("BK103", "arXiv id", arxiv_of),
            ("BK104", "ISBN", lambda e: normalize_isbn(e.isbn) if e.type not in PART_TYPES else ""),
        ):
            seen: dict[str, Item] = {}
            for it in items:
                value = norm(it.entry)
                if not value:
                    continue
                if value in seen:
                    other = seen[value]
                    decision = _judge(other, it)
                    if decision.rule == "V-ID-CONFLICT":  # a copied or mistyped identifier: not one work
                        offer(other, it, "BK106", f"{it.key!r} and {other.key!r} share the {label} {value} but are "
                              f"different works ({_why(decision)}): one of them has a wrong {label}", same=False)
                    else:
                        offer(other, it, code, f"{it.key!r} has the same {label} as {other.key!r}",
                              f"same {label} {value}", same=decision.same)
                else:
                    seen[value] = it
    if cfg.checks & {"same-work", "preprints"}:
        for a, b, decision in _same_work_pairs(items):
            why = _why(decision)
            if decision.same:
                offer(a, b, "BK105", f"{b.key!r} looks like the same work as {a.key!r} ({why})", why)
            else:
                offer(a, b, "BK202", f"{b.key!r} ({_bib_type(b)}) and {a.key!r} ({_bib_type(a)}) have the same title, "
                      f"authors and year: one paper under two entry types? ({why})", why, same=None)
    by_order = {it.order: it for it in items}
    out = []
    for b_order, (_, a_order, code, message, same) in best.items():
        b, a = by_order[b_order], by_order[a_order]
        out.append(Finding(b.path, b.line, b.col, CODES[code][1], code, message, [a.loc()], same_work=same))
    return out


def _why(decision: Any) -> str:
    return f"{decision.rule}: {decision.reason}" if decision.reason else decision.rule


def _pair(a: Item, b: Item) -> tuple[Entry, Entry]:
    """The two Entries as the deduplicator should compare them: an unknown year (often a
    preprint's) is not a difference."""
    ea, eb = _entry(a), _entry(b)
    if (ea.year is None) != (eb.year is None):
        year = Date(ea.year or eb.year)
        ea, eb = (dataclasses.replace(ea, issued=year), eb) if ea.year is None else \
            (ea, dataclasses.replace(eb, issued=year))
    return ea, eb


def _judge(a: Item, b: Item) -> Any:
    """The deduplicator's Decision on two entries."""
    from ..dedupe import same_work  # here: importing it costs ~0.2 s

    return same_work(*_pair(a, b))


def _bib_type(it: Item) -> str:
    e = it.entry
    return "@" + (getattr(e, "bib_type", None) or e.type)


def _two_types(a: Item, b: Item, decision: Any) -> bool:
    """A conference paper and a journal article kept apart only by their kinds, with the same
    title, authors and year: worth a warning (often one paper typed twice)."""
    if decision.rule != "V-KIND" or not (a.entry.year and a.entry.year == b.entry.year):
        return False
    from ..dedupe.keys import CONFERENCE, JOURNAL, Norm
    from ..dedupe.rules import author_agreement, title_similarity

    na, nb = Norm(0, _entry(a)), Norm(1, _entry(b))
    if {na.kind, nb.kind} != {CONFERENCE, JOURNAL}:
        return False
    overlap, first = author_agreement(na, nb)
    return title_similarity(na, nb) >= 0.95 and overlap >= 0.8 and first


def has_ids(e: Any) -> bool:
    """Anything for the identifier checks (importing the deduplicator costs ~0.2 s)."""
    return bool(e.doi or e.isbn or e.arxiv or any("arxiv" in (v or "").lower()
                                                   for v in (e.url, e.container_title, e.number, e.note)))


def _preprint_message(a: Item, b: Item, why: str) -> str:
    pre, pub = (a, b) if _is_preprint(a) else (b, a)
    return f"preprint {pre.key!r} and published {pub.key!r} are one paper ({why})"


def _same_work_pairs(items: list[Item]) -> Iterator[tuple[Item, Item, Any]]:
    """Pairs the deduplicator judges one work (its Decision), and pairs it keeps apart only as
    a conference paper and a journal article (see :func:`_two_types`), among entries with the
    same folded title, a compatible first author and years at most 2 apart."""
    blocks: dict[str, list[Item]] = {}
    for it in items:
        title = fold(it.entry.title or "")
        if len(title) >= 8:
            blocks.setdefault(title, []).append(it)
    for group in blocks.values():
        if len(group) < 2:
            continue
        sigs = [(fold(it.entry.first_author_family or ""), it.entry.year) for it in group]
        for i, j in _candidates(sigs):
            a, b = group[i], group[j]
            if _conflict(a.entry, b.entry):
                continue
            decision = _judge(a, b)
            if not decision.same:
                if _two_types(a, b, decision):
                    yield a, b, decision
                continue
            if not decision.version and _is_preprint(a) == _is_preprint(b):
                from ..ids import normalize_doi

                da, db = normalize_doi(a.entry.doi), normalize_doi(b.entry.doi)
                if (da and db and da != db) or (a.entry.year and b.entry.year and a.entry.year != b.entry.year):
                    continue  # two published works (or one re-issued) are not duplicates
            yield a, b, decision


def _candidates(sigs: list[tuple[str, int | None]]) -> Iterator[tuple[int, int]]:
    """Pairs of one title group worth comparing: same first author (or none) and a year
    at most 2 apart (or none), each pair once."""
    buckets: dict[tuple[str, int | None], list[int]] = {}
    for i, sig in enumerate(sigs):
        buckets.setdefault(sig, []).append(i)
    keys = list(buckets)
    for x, (author, year) in enumerate(keys):
        members = buckets[(author, year)]
        yield from ((i, j) for n, i in enumerate(members) for j in members[n + 1:])
        for other_author, other_year in keys[x + 1:]:
            if author and other_author and author != other_author:
                continue
            if year is not None and other_year is not None and abs(year - other_year) > 2:
                continue
            for i in members:
                for j in buckets[(other_author, other_year)]:
                    yield (i, j) if i < j else (j, i)
