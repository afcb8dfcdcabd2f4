"""``bibkit check``: find duplicate and unreadable entries in .bib files, read-only.

Everything given to one :func:`check_files` call is checked together, so a key or a
paper that appears in two files is found.  Each finding names a file, a line and a
column, a severity, a stable code (``BKnnn``, see :data:`CODES`) and where the
other copy is (``also_at``).

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "refs.bib")
>>> _ = open(p, "w").write('@article{knuth84, title={Literate Programming}, year=1984}\\n'
...                        '@book{Knuth84, title={The TeXbook}, year=1984}\\n')
>>> report = check_files([p], config=CheckConfig())
>>> [(f.line, f.code, f.severity) for f in report.findings]
[(2, 'BK101', 'error')]
>>> report.exit_code
1
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import UsageError
from .model import Date, Entry, Problem, Provenance, ReadResult

#: code -> (check it belongs to, default severity, what it means)
CODES: dict[str, tuple[str, str, str]] = {
    "BK001": ("syntax", "error", "a block could not be read (syntax error); the message says why"),
    "BK002": ("syntax", "error", "a block starting with @ was skipped by the reader without an error"),
    "BK003": ("syntax", "warning", "the reader read the block but warned about it (e.g. an undefined @string)"),
    "BK101": ("keys", "error", "duplicate citation key (keys compare case-insensitively, as in BibTeX)"),
    "BK102": ("identifiers", "error", "the same DOI under a different key"),
    "BK103": ("identifiers", "error", "the same arXiv id under a different key"),
    "BK104": ("identifiers", "error", "the same ISBN under a different key (whole books only, not chapters)"),
    "BK105": ("same-work", "error", "the same paper under a different key (title, authors, year)"),
    "BK201": ("preprints", "warning", "a preprint and the published version of one paper (error with --strict)"),
}

#: the checks that can be switched on and off (``checks = [...]`` in the config)
CHECKS: tuple[str, ...] = ("syntax", "keys", "identifiers", "same-work", "preprints")

_ALLOW_RE = re.compile(r"^[ \t]*%+[ \t]*bibkit:[ \t]*allow-duplicates?\b(?P<keys>[^\n]*)$", re.M | re.I)
_BLOCK_START_RE = re.compile(r"^[ \t]*@[ \t]*(?P<type>[A-Za-z][\w-]*)[ \t]*[{(]", re.M)
_NON_ENTRY_TYPES = {"comment", "string", "preamble"}


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
            "also_at": [{"path": a.path, "line": a.line} for a in self.also_at],
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


# -- configuration ---------------------------------------------------------------------
@dataclass
class CheckConfig:
    """The ``[tool.bibkit.check]`` table of a pyproject.toml.

    >>> cfg = CheckConfig.from_table({"strict": True, "ignore": ["BK201"],
    ...                                "allow-duplicates": [["a", "B"]], "checks": ["keys"]})
    >>> cfg.strict, sorted(cfg.ignore), [sorted(g) for g in cfg.allow], sorted(cfg.checks)
    (True, ['BK201'], [['a', 'b']], ['keys'])
    """

    strict: bool = False
    checks: frozenset[str] = frozenset(CHECKS)
    ignore: frozenset[str] = frozenset()  # finding codes never reported
    allow: list[frozenset[str]] = field(default_factory=list)  # key groups allowed to be duplicates
    source: str | None = None  # the file it was read from

    @classmethod
    def from_table(cls, table: Mapping[str, Any], source: str | None = None) -> CheckConfig:
        """Validate a ``[tool.bibkit.check]`` table; unknown names are a UsageError."""
        where = f"[tool.bibkit.check] in {source}" if source else "[tool.bibkit.check]"
        known = {"strict", "checks", "ignore", "allow-duplicates"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise UsageError(f"{where}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
        strict = table.get("strict", False)
        if not isinstance(strict, bool):
            raise UsageError(f"{where}: strict must be true or false")
        checks = _str_list(table.get("checks", list(CHECKS)), "checks", where)
        bad = [c for c in checks if c not in CHECKS]
        if bad:
            raise UsageError(f"{where}: unknown check {bad[0]!r}; known: {', '.join(CHECKS)}")
        ignore = [c.upper() for c in _str_list(table.get("ignore", []), "ignore", where)]
        bad = [c for c in ignore if c not in CODES]
        if bad:
            raise UsageError(f"{where}: unknown code {bad[0]!r} in ignore; known: {', '.join(CODES)}")
        groups = table.get("allow-duplicates", [])
        if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
            raise UsageError(f"{where}: allow-duplicates must be a list of lists of keys")
        allow = [frozenset(k.casefold() for k in _str_list(g, "allow-duplicates", where)) for g in groups]
        return cls(strict=strict, checks=frozenset(checks), ignore=frozenset(ignore), allow=allow, source=source)


def _str_list(value: Any, name: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {name} must be a list of strings")
    return value


def _toml_load(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read config: {exc.strerror or exc}", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"invalid TOML: {exc}", source=str(path)) from None


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest pyproject.toml from ``start`` (default: the working directory) up to the
    repository root (the first directory holding ``.git``)."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
        if (directory / ".git").exists():
            return None
    return None


def load_config(path: str | os.PathLike[str] | None = None) -> CheckConfig:
    """Read ``[tool.bibkit.check]`` from ``path`` (or the nearest pyproject.toml); defaults
    when there is no file or no table.  An explicit ``path`` that does not exist is a UsageError."""
    if path is None:
        found = find_config()
        if found is None:
            return CheckConfig()
        target = found
    else:
        target = Path(path)
        if not target.is_file():
            raise UsageError("config file not found", source=str(path))
    data = _toml_load(target)
    table = data.get("tool", {}).get("bibkit", {}).get("check", {})
    if not isinstance(table, dict):
        raise UsageError("[tool.bibkit.check] must be a table", source=str(target))
    return CheckConfig.from_table(table, source=str(target))


# -- reading ---------------------------------------------------------------------------
@dataclass
class _Item:
    """One entry as the check sees it."""

    order: int
    path: str
    line: int | None
    end: int | None
    col: int
    entry: Any  # an Entry, or a _Rec from the BibTeX scanner (same attribute names)
    full: Entry | None = None  # the Entry (made from a _Rec when the deduplicator needs one)
    preprint: bool | None = None  # computed on demand

    @property
    def key(self) -> str:
        return self.entry.key or ""

    def loc(self) -> Location:
        return Location(self.path, self.line)


def _read(path: str, macros: dict[str, str]) -> tuple[str, list[Any], list[Problem], bool]:
    """The text, its entries and problems, and whether the BibTeX scanner read it
    (other formats are read by their registered readers).  ``macros`` are the @string
    definitions of the files read before, as BibTeX carries them from file to file."""
    from .fsio import read_text

    text = read_text(path)
    if path.lower().endswith(".bib") or path == "-" or not _other_format(text, path):
        scan = _Scan(text, "<stdin>" if path == "-" else path, macros).run()
        return text, scan.entries, scan.problems, True
    result = _parse(text, path)
    return text, result.entries, result.problems, False


def _other_format(text: str, path: str) -> bool:
    from .io.registry import format_for_suffix

    fmt = format_for_suffix(path)
    return fmt is not None and fmt.name != "bibtex"


def _parse(text: str, source: str) -> ReadResult:
    from .io.registry import detect_format

    fmt = detect_format(text, source)
    return fmt.read(text, source, owner=None) if fmt.is_profile else fmt.read(text, source)


def _key_col(lines: list[str], line: int | None, key: str) -> int:
    """1-based column of the citation key on the entry's first line (1 when not found)."""
    if line is None or not 0 < line <= len(lines) or not key:
        return 1
    text = lines[line - 1]
    brace = max(text.find("{"), text.find("("))
    at = text.find(key, brace + 1 if brace >= 0 else 0)
    return at + 1 if at >= 0 else 1


def _allow_groups(text: str) -> list[frozenset[str]]:
    if "bibkit:" not in text:
        return []
    groups = []
    for m in _ALLOW_RE.finditer(text):
        keys = [k for k in re.split(r"[\s,;]+", m.group("keys")) if k]
        if keys:
            groups.append(frozenset(k.casefold() for k in keys))
    return groups


def _unread_blocks(text: str, path: str, items: Sequence[_Item], problems: Sequence[Problem]) -> Iterator[int]:
    """Lines of ``@type{`` blocks for which the reader gave neither an entry nor a problem.

    A block spans from its ``@`` line to the line before the next block; it is
    accounted for when an entry starts or a problem is reported inside it.
    """
    starts = []
    line = 1
    pos = 0
    for m in _BLOCK_START_RE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        starts.append((line, m.group("type").lower() not in _NON_ENTRY_TYPES))
    if not starts:
        return
    lines = [s for s, _ in starts]
    covered = [False] * len(starts)
    marks = [it.line for it in items if it.line is not None]
    marks += [p.line for p in problems if p.line is not None and p.severity == "error"]
    for mark in marks:
        i = bisect.bisect_right(lines, mark) - 1
        if i >= 0:
            covered[i] = True
    deficit = sum(is_entry for _, is_entry in starts) - len(marks)
    if deficit <= 0:  # as many entries and errors as blocks: do not trust a line drift over the count
        return
    for (start, is_entry), ok in zip(starts, covered, strict=True):
        if is_entry and not ok:
            yield start


# -- what the deduplicator decides ---------------------------------------------------
# Identifiers are normalised and pairs are judged by bibkit.dedupe; the check only
# picks the candidate pairs (cheaply, for speed) and adds the vetoes a commit check
# needs to stay quiet on clean files (two entries with different pages, volume, issue
# or number are two works, e.g. the "Editorial" of each issue of a journal).
_PART_TYPES = {"chapter", "paper-conference", "entry", "entry-dictionary", "entry-encyclopedia",
               "article", "article-journal", "article-magazine", "article-newspaper"}
_LATEX = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])|[{}]")
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """A fast fold for blocking only (LaTeX, case, accents, punctuation dropped); the
    decision itself is the deduplicator's."""
    text = _LATEX.sub("", text)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text.casefold()))


def _entry(it: _Item) -> Entry:
    if it.full is None:
        e = it.entry
        it.full = e if isinstance(e, Entry) else e.to_entry()
    return it.full


def _is_preprint(it: _Item) -> bool:
    """A preprint as the deduplicator sees it (arXiv/bioRxiv... and no journal)."""
    if it.preprint is None:
        from .dedupe.keys import PREPRINT_F, Norm

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
        if x and y and x != y and _fold(x) != _fold(y):
            return name
    return None


# -- the check -------------------------------------------------------------------------
_PRIORITY = {code: i for i, code in enumerate(("BK101", "BK102", "BK103", "BK104", "BK105", "BK201"))}


def check_files(paths: Iterable[str | os.PathLike[str]], *, strict: bool = False,
                config: CheckConfig | str | os.PathLike[str] | Mapping[str, Any] | None = None) -> CheckReport:
    """Check .bib files together for duplicates and unreadable blocks (nothing is written).

    ``config`` is a :class:`CheckConfig`, a path to a pyproject.toml, a
    ``[tool.bibkit.check]`` table as a dict, or None for the nearest pyproject.toml.
    ``strict`` (or ``strict = true`` in the config) makes warnings errors.
    An unreadable file raises :class:`bibkit.errors.InputError`.
    """
    if isinstance(config, CheckConfig):
        cfg = config
    elif isinstance(config, Mapping):
        cfg = CheckConfig.from_table(config)
    else:
        cfg = load_config(config)
    strict = strict or cfg.strict
    names, seen = [], set()
    for p in map(os.fspath, paths):  # a file given twice is read once (its entries are not duplicates)
        real = p if p == "-" else os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            names.append(p)
    report = CheckReport(files=names, strict=strict)
    findings: list[Finding] = []
    items: list[_Item] = []
    allow = list(cfg.allow)
    macros: dict[str, str] = {m: m for m in _MONTHS}
    from .checkstream import read_streamed, use_streaming

    streamed = use_streaming(names)
    if streamed:  # big .bib files: two streaming passes, only the entries that can be duplicates kept
        items, syntax, more_allow, count = read_streamed(names, macros, cfg.checks)
        findings += syntax
        allow += more_allow
    for name in [] if streamed else names:
        text, entries, problems, scanned = _read(name, macros)
        allow += _allow_groups(text)
        file_items = []
        if scanned:
            file_items = [_Item(len(items) + i, name, r.line, r.end, r.col, r) for i, r in enumerate(entries)]
        else:
            lines = text.splitlines()
            for e in entries:
                prov = next((p for p in e.provenance if p.line_start is not None), None)
                line = prov.line_start if prov else None
                end = prov.line_end if prov else None
                col = _key_col(lines, line, e.key or "")
                file_items.append(_Item(len(items) + len(file_items), name, line, end, col, e))
        items += file_items
        if "syntax" in cfg.checks:
            for p in problems:
                code = "BK001" if p.severity == "error" else "BK003"
                col = getattr(p, "col", 1)
                findings.append(Finding(p.source or name, p.line, col, CODES[code][1], code, _one_line(p.message)))
            for line in [] if scanned else _unread_blocks(text, name, file_items, problems):
                findings.append(Finding(name, line, 1, "error", "BK002",
                                        "this block was not read (no entry, no error from the reader)"))
    report.entries = count if streamed else len(items)
    _inherit(items)
    findings += _duplicates(items, cfg, allow)
    findings = [f for f in findings if f.code not in cfg.ignore]
    if strict:
        for f in findings:
            f.severity = "error"
    order = {n: i for i, n in enumerate(names)}
    findings.sort(key=lambda f: (order.get(f.path, len(order)), f.line or 0, f.col or 0, f.code))
    report.findings = findings
    return report


def _inherit(items: list[_Item]) -> None:
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


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _allowed(a: _Item, b: _Item, allow: list[frozenset[str]]) -> bool:
    ka, kb = a.key.casefold(), b.key.casefold()
    return any(ka in g and kb in g for g in allow)


def _duplicates(items: list[_Item], cfg: CheckConfig, allow: list[frozenset[str]]) -> list[Finding]:
    # best[b.order] = (priority, a.order, code, message)
    best: dict[int, tuple[int, int, str, str]] = {}

    def offer(a: _Item, b: _Item, code: str, message: str, why: str = "") -> None:
        if a.order > b.order:
            a, b = b, a
        if code != "BK101" and a.key.casefold() == b.key.casefold():
            return  # reported as a duplicate key
        if code in ("BK102", "BK103", "BK104", "BK105") and _is_preprint(a) != _is_preprint(b):
            code, message = "BK201", _preprint_message(a, b, why)
        if CODES[code][0] not in cfg.checks or _allowed(a, b, allow):
            return
        candidate = (_PRIORITY[code], a.order, code, message)
        if b.order not in best or candidate < best[b.order]:
            best[b.order] = candidate

    if "keys" in cfg.checks:
        first: dict[str, _Item] = {}
        for it in items:
            k = it.key.casefold()
            if not k:
                continue
            if k in first:
                other = first[k]
                how = "" if other.key == it.key else f" (same as {other.key!r} when case is ignored)"
                offer(other, it, "BK101", f"duplicate key {it.key!r}{how}")
            else:
                first[k] = it
    if cfg.checks & {"identifiers", "preprints"} and any(_has_ids(it.entry) for it in items):
        from .dedupe.keys import arxiv_of
        from .ids import normalize_doi, normalize_isbn

        for code, label, norm in (
            ("BK102", "DOI", lambda e: normalize_doi(e.doi)),
            ("BK103", "arXiv id", arxiv_of),
            ("BK104", "ISBN", lambda e: normalize_isbn(e.isbn) if e.type not in _PART_TYPES else ""),
        ):
            seen: dict[str, _Item] = {}
            for it in items:
                value = norm(it.entry)
                if not value:
                    continue
                if value in seen:
                    other = seen[value]
                    offer(other, it, code, f"{it.key!r} has the same {label} as {other.key!r}",
                          f"same {label} {value}")
                else:
                    seen[value] = it
    if cfg.checks & {"same-work", "preprints"}:
        for a, b, decision in _same_work_pairs(items):
            why = f"{decision.rule}: {decision.reason}" if decision.reason else decision.rule
            offer(a, b, "BK105", f"{b.key!r} looks like the same work as {a.key!r} ({why})", why)
    by_order = {it.order: it for it in items}
    out = []
    for b_order, (_, a_order, code, message) in best.items():
        b, a = by_order[b_order], by_order[a_order]
        out.append(Finding(b.path, b.line, b.col, CODES[code][1], code, message, [a.loc()]))
    return out


def _has_ids(e: Any) -> bool:
    """Anything for the identifier checks (importing the deduplicator costs ~0.2 s)."""
    return bool(e.doi or e.isbn or e.arxiv or any("arxiv" in (v or "").lower()
                                                   for v in (e.url, e.container_title, e.number, e.note)))


def _preprint_message(a: _Item, b: _Item, why: str) -> str:
    pre, pub = (a, b) if _is_preprint(a) else (b, a)
    return f"preprint {pre.key!r} and published {pub.key!r} are one paper ({why})"


def _same_work_pairs(items: list[_Item]) -> Iterator[tuple[_Item, _Item, Any]]:
    """Pairs the deduplicator judges one work (its Decision), among entries with the same
    folded title, a compatible first author and years at most 2 apart."""
    blocks: dict[str, list[_Item]] = {}
    for it in items:
        title = _fold(it.entry.title or "")
        if len(title) >= 8:
            blocks.setdefault(title, []).append(it)
    for group in blocks.values():
        if len(group) < 2:
            continue
        sigs = [(_fold(it.entry.first_author_family or ""), it.entry.year) for it in group]
        for i, j in _candidates(sigs):
            a, b = group[i], group[j]
            if _conflict(a.entry, b.entry):
                continue
            ea, eb = _entry(a), _entry(b)
            if (ea.year is None) != (eb.year is None):  # an unknown year (often a preprint's) is not a difference
                year = Date(ea.year or eb.year)
                ea, eb = (dataclasses.replace(ea, issued=year), eb) if ea.year is None else \
                    (ea, dataclasses.replace(eb, issued=year))
            from .dedupe import same_work  # here: importing it costs ~0.2 s

            decision = same_work(ea, eb)
            if not decision.same:
                continue
            if not decision.version and _is_preprint(a) == _is_preprint(b):
                from .ids import normalize_doi

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


# -- the BibTeX scanner -----------------------------------------------------------------
# A check runs on every commit, so .bib files are not read with the full BibTeX reader
# (LaTeX decoding, names, dates: ~2 ms an entry) but scanned for what the check needs:
# every block, its lines, its key, a few raw fields and any syntax error.  Other formats
# go through the registered readers (``_parse``).
def _nested(depth: int) -> str:
    """A regex for the inside of a braced group, nesting up to ``depth`` levels
    (written as "unrolled loops", so a failing match never backtracks badly)."""
    inner = r"[^{}]*"
    for _ in range(depth):
        inner = r"[^{}]*(?:\{" + inner + r"\}[^{}]*)*"
    return inner


_WS = r"\s*(?:(?<=\n)[ \t]*%[^\n]*(?:\n|\Z)\s*)*"  # whitespace and whole-line % comments
_BRACED = r"\{" + _nested(8) + r"\}"
_PART = r'(?:' + _BRACED + r'|"[^"{}]*(?:' + _BRACED + r'[^"{}]*)*"|[^\s,{}"#=()%]+)'
_NON_SPACE = re.compile(r"\S")


@cache
def _slow() -> dict[str, re.Pattern[str]]:
    """The regexes of the slow path (broken blocks, @string, ( ) entries), compiled on first use."""
    return {
        "field": re.compile(_WS + r"([^\s=,{}\"#()%]+)" + _WS + "=" + _WS + "(" + _PART + "(?:" + _WS + "#" + _WS
                            + _PART + ")*)" + _WS + r"(,|\Z)", re.M),
        "key": re.compile(_WS + r"([^\s,{}()=\"#%]+)" + _WS + r"(,|\Z)", re.M),
        "end": re.compile(_WS + r"\Z", re.M),
        "head": re.compile(_WS + r"([^\s=,{}\"#()%]+)" + _WS + "=" + _WS + _PART + "(?:" + _WS + "#" + _WS + _PART
                           + ")*", re.M),
    }
_FIELD_NEXT = re.compile(_WS + "," + _WS + r"([^\s=,{}\"#()%]+)" + _WS + "=" + _WS + "(" + _PART + "(?:" + _WS + "#"
                         + _WS + _PART + ")*)", re.M)
_KEY_FAST = re.compile(_WS + r"([^\s,{}()=\"#%]+)", re.M)
_TAIL = re.compile(_WS + "(?:," + _WS + r")?\}", re.M)
_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])")
_CLOSE_OR_BLOCK = re.compile(r"[{}]|\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]|(?<=\n)[ \t]*%[^\n]*")
_CONCAT = re.compile(_PART)
_WANTED = frozenset({
    "title", "author", "editor", "year", "date", "doi", "eprint", "archiveprefix", "eprinttype", "isbn",
    "journal", "journaltitle", "booktitle", "publisher", "volume", "number", "issue", "pages", "url",
    "howpublished", "type", "pubstate", "crossref", "note"})
_YEAR = re.compile(r"\d{4}")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class _Rec:
    """An entry as the scanner saw it: raw field values under the :class:`Entry` names the
    check uses; :meth:`to_entry` makes a real Entry (for the deduplicator)."""

    __slots__ = (
        "arxiv",
        "author",
        "bib_type",
        "col",
        "container_title",
        "crossref",
        "doi",
        "end",
        "genre",
        "isbn",
        "issue",
        "key",
        "line",
        "note",
        "number",
        "page",
        "publisher",
        "source",
        "start",
        "status",
        "title",
        "url",
        "volume",
        "year",
    )
    extra: Mapping[str, str] = MappingProxyType({})  # as on Entry (read by bibkit.dedupe.keys.arxiv_of)

    def __init__(self, *, arxiv: Any = None, author: Any = None, col: Any = None, container_title: Any = None,
                 doi: Any = None, end: Any = None, genre: Any = None, isbn: Any = None, issue: Any = None,
                 key: Any = None, line: Any = None, number: Any = None, page: Any = None, publisher: Any = None,
                 source: Any = None, start: Any = None, status: Any = None, title: Any = None, bib_type: Any = None,
                 volume: Any = None, year: Any = None, crossref: Any = None, url: Any = None,
                 note: Any = None) -> None:
        self.crossref = crossref
        self.url = url
        self.note = note
        self.arxiv = arxiv
        self.author = author
        self.col = col
        self.container_title = container_title
        self.doi = doi
        self.end = end
        self.genre = genre
        self.isbn = isbn
        self.issue = issue
        self.key = key
        self.line = line
        self.number = number
        self.page = page
        self.publisher = publisher
        self.source = source
        self.start = start
        self.status = status
        self.title = title
        self.bib_type = bib_type
        self.volume = volume
        self.year = year

    @property
    def type(self) -> str:
        """The CSL type (the BibTeX reader's table is loaded on first use)."""
        return _csl_type(self.bib_type)

    @property
    def first_author_family(self) -> str | None:
        from .names import parse_names, split_and

        first = split_and(self.author)[:1] if self.author else []
        names = parse_names(first[0]) if first else []
        return (names[0].family or names[0].literal) if names and not names[0].is_others else None

    def to_entry(self) -> Entry:
        """A real Entry (LaTeX decoded, names parsed) for the deduplicator."""
        from .latex import decode
        from .names import parse_names

        return Entry(
            type=self.type, key=self.key, title=decode(self.title) if self.title else None,
            author=parse_names(self.author) if self.author else [],
            issued=Date(self.year) if self.year else None, container_title=self.container_title,
            publisher=self.publisher, volume=self.volume, issue=self.issue, number=self.number, page=self.page,
            doi=self.doi, isbn=self.isbn, arxiv=self.arxiv, genre=self.genre, status=self.status, url=self.url,
            note=self.note,
            provenance=[Provenance(self.source, self.start, self.end, record_id=self.key, fmt="bibtex")])



class _Problem(Problem):
    """A Problem with the column where the scanner stopped."""

    def __init__(self, source: str, line: int, col: int, message: str, severity: str = "error"):
        super().__init__(source, line, message, severity)
        self.col = col


class _Scan:
    """Blocks of one .bib text: entries (key, lines, raw wanted fields) and syntax errors."""

    def __init__(self, text: str, source: str, macros: dict[str, str] | None = None):
        self.text = text
        self.source = source
        self.macros: dict[str, str] = {m: m for m in _MONTHS} if macros is None else macros
        self.entries: list[_Rec] = []
        self.problems: list[Problem] = []
        self._pos, self._line = 0, 1  # positions are asked for mostly in increasing order

    def line(self, pos: int) -> int:
        if pos < self._pos:
            self._pos, self._line = 0, 1
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line

    def col(self, pos: int) -> int:
        return pos - self.text.rfind("\n", 0, pos)

    def error(self, pos: int, message: str, severity: str = "error") -> None:
        self.problems.append(_Problem(self.source, self.line(pos), self.col(pos), message, severity))

    def run(self) -> _Scan:
        text, pos = self.text, 0
        while True:
            m = _AT.search(text, pos)
            if m is None:
                break
            line_start = text.rfind("\n", 0, m.start()) + 1
            if "%" in text[line_start:m.start()]:  # a commented-out line
                nl = text.find("\n", m.end())
                pos = nl if nl >= 0 else len(text)
                continue
            pos = self.block(m)
        return self

    def block(self, m: re.Match[str]) -> int:
        """Read the block starting at ``m``; the position after it."""
        text = self.text
        kind, opener = m.group(1).lower(), m.group(2)
        start, body = m.start(), m.end()
        if opener == "{" and kind not in _NON_ENTRY_TYPES:  # the fast path: a well-formed entry
            km = _KEY_FAST.match(text, body)
            if km is not None:
                key, pos, fields = km.group(1), km.end(), {}
                match = _FIELD_NEXT.match
                while (f := match(text, pos)) is not None:
                    pos = f.end()
                    name = f.group(1).lower()
                    if name in _WANTED:
                        if name in fields:
                            self.error(f.start(1), f"@{m.group(1)}{{{key}: field {name!r} given twice", "warning")
                        else:
                            fields[name] = f.group(2)
                tail = _TAIL.match(text, pos)
                if tail is not None:
                    self.add(kind, key, start, tail.end(), fields, km.start(1))
                    return tail.end()
        end, problem = self.close(body, opener)
        if problem is not None:
            where = f"@{m.group(1)} at line {self.line(start)}"
            self.error(start, f"{where}: {problem}")
            if kind not in _NON_ENTRY_TYPES:
                key = _slow()["key"].match(text, body, len(text))
                if key and key.group(1):  # still take part in the key check
                    self.add(kind, key.group(1), start, end, {}, key.start(1))
            return end
        inner_end = end - 1
        if kind == "comment" or kind == "preamble":
            return end
        if kind == "string":
            for name, value, _ in self.fields(body, inner_end, start):
                self.macros[name] = self.value(value)
            return end
        key = _slow()["key"].match(text, body, inner_end)
        if key is None or not key.group(1):
            self.error(start, f"@{m.group(1)} at line {self.line(start)}: no citation key")
            return end
        fields = {}
        for name, value, at in self.fields(key.end(), inner_end, start):
            if name in fields and name in _WANTED:
                self.error(at, f"@{m.group(1)}{{{key.group(1)}: field {name!r} given twice", "warning")
            elif name in _WANTED:
                fields[name] = value
        self.add(kind, key.group(1), start, end, fields, key.start(1))
        return end

    def close(self, body: int, opener: str) -> tuple[int, str | None]:
        """The position after the block's closing delimiter, or where it breaks off and why."""
        text = self.text
        if opener == "(":
            depth = 0
            for i in range(body, len(text)):
                c = text[i]
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif c == ")" and depth == 0:
                    return i + 1, None
            return len(text), "not closed: ')' missing before the end of the file"
        depth = 1
        for s in _CLOSE_OR_BLOCK.finditer(text, body):
            c = s.group()
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return s.end(), None
            elif c.lstrip(" \t").startswith("%"):  # a comment line between fields; text inside a value
                if depth > 1:
                    depth += c.count("{") - c.count("}")
            else:
                nxt = s.start() + 1
                return nxt, f"not closed (unbalanced braces) before the next entry at line {self.line(nxt)}"
        return len(self.text), "not closed (unbalanced braces) at the end of the file"

    def fields(self, pos: int, end: int, start: int) -> Iterator[tuple[str, str, int]]:
        text = self.text
        while pos < end:
            f = _slow()["field"].match(text, pos, end)
            if f is None:
                if _slow()["end"].match(text, pos, end) is None:
                    head = _slow()["head"].match(text, pos, end)
                    if head is not None:  # a value, then something else than ',' or the end
                        bad = _NON_SPACE.search(text, head.end(), end)
                        what = f"expected ',' or the end of the entry after the value of {head.group(1).lower()!r}"
                    else:
                        bad = _NON_SPACE.search(text, pos, end)
                        what = "expected 'name = value'"
                    self.error(bad.start() if bad else pos, f"entry at line {self.line(start)}: {what}")
                return
            yield f.group(1).lower(), f.group(2), f.start(1)
            if f.group(3) != ",":
                return
            pos = f.end()

    def value(self, raw: str) -> str:
        if raw[0] in "{\"" and "#" not in raw:
            return raw[1:-1]
        if raw.isdigit():
            return raw
        out = []
        for part in _CONCAT.findall(raw):
            if part[0] in "{\"":
                out.append(part[1:-1])
            else:  # an undefined macro keeps its name, as a word ("Dorigo # and # Stutzle")
                out.append(self.macros.get(part.lower()) or f" {part} ")
        return "".join(out).strip()

    def add(self, kind: str, key: str, start: int, end: int, raw: dict[str, str], key_pos: int) -> None:
        value = self.value
        f = {k: value(v) for k, v in raw.items()}
        get = f.get
        year = _YEAR.search(get("year") or get("date") or "")
        arxiv = get("eprint") if (get("archiveprefix") or get("eprinttype") or "arxiv").lower() == "arxiv" else None
        bib_type = "misc" if kind == "online" else kind
        text = self.text
        first = self.line(start)
        key_line = first + text.count("\n", start, key_pos)
        last = key_line + text.count("\n", key_pos, end - 1)
        self._pos, self._line = end - 1, last
        self.entries.append(_Rec(
            bib_type=bib_type, key=key, title=get("title"), author=get("author"),
            year=int(year.group()) if year else None,
            container_title=get("journal") or get("journaltitle") or get("booktitle"),
            publisher=get("publisher") or get("howpublished"), volume=get("volume"),
            issue=get("number") if bib_type == "article" else get("issue"),
            number=None if bib_type == "article" else get("number"),
            page=get("pages"), doi=get("doi"), isbn=get("isbn"), arxiv=arxiv, genre=get("type"),
            status="preprint" if (get("pubstate") or "").lower() == "prepublished" else None,
            source=self.source, start=first, line=key_line, col=key_pos - text.rfind("\n", 0, key_pos), end=last,
            crossref=get("crossref"), url=get("url"), note=get("note")))


@cache
def _csl_type(bib_type: str) -> str:
    from .io.bibtex import csl_type

    return csl_type(bib_type)[0]
