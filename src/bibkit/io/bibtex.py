"""BibTeX / BibLaTeX reader and writer.

Reading takes the blocks of :func:`bibkit.io.scan.split` (bibtexparser 2's blocks, fields and
line numbers, faster) and does the rest here: ``@string`` macros and ``#`` concatenation, month
names, LaTeX -> Unicode (:mod:`bibkit.latex`), names (:mod:`bibkit.names`), and the
BibTeX/BibLaTeX <-> CSL type and field mapping from ``data/bibtex_types.csv`` and
``data/bibtex_fields.csv``. Unmapped fields land in ``Entry.extra``; ``%`` comment lines between
fields are comments; blocks the splitter rejects are re-read leniently or reported as
:class:`~bibkit.model.Problem`.

The reader leaves in ``entry.origin["bibtex"]`` the source text of the entry (``raw``)
and of every field (``fields``: name as written, value as written, model attribute;
``lines``: the 1-based line of each field), and a snapshot of what it read (``snap``).
The writer reuses that text for what was not changed since, so ``@string`` references, formatting and comments survive,
and the white space between blocks too: writing what was read reproduces it.

>>> res = read('@string{tcj = "The Computer Journal"}\\n\\n'
...            '@article{knuth84, author = {Donald E. Knuth}, title = {Literate {P}rogramming},'
...            ' journal = tcj, year = 1984, month = may, pages = "97--111"}')
>>> e = res.entries[0]
>>> e.type, e.container_title, e.issued.month, e.page
('article-journal', 'The Computer Journal', 5, '97–111')
>>> e.title = "Literate programming in C"
>>> print(write(res.entries, preamble=res.preamble))
@string{tcj = "The Computer Journal"}
<BLANKLINE>
@article{knuth84,
  author = {Donald E. Knuth},
  title = {Literate programming in {C}},
  journal = tcj,
  year = 1984,
  month = may,
  pages = "97--111"
}
<BLANKLINE>
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import csv
import dataclasses
import gc
import itertools
import logging
import operator
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from ..keys import assign_keys
from ..latex import decode, encode, match_brace, protect_title
from ..model import Date, Entry, Problem, Provenance, ReadResult, page_range
from ..names import empty_names, format_names, parse_names
from ..progress import staged
from .registry import Format
from .scan import BLOCK_HEAD, ENTRY, FAILED, IMPLICIT, MONTHS, STRING, RawBlock, blank_comment_lines, split

# -- mapping tables ----------------------------------------------------------------------------
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
_MONTH_LOOKUP = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_LOOKUP.update({n.lower(): i + 1 for i, n in enumerate(MONTH_NAMES)})
_MONTH_LOOKUP.update({"sept": 9, "june": 6, "july": 7})
ARTICLE_LIKE = frozenset({"article-journal", "article-magazine", "article-newspaper", "review", "review-book",
                          "article"})
STATUS_FROM_BIB = {
    "inpress": "accepted", "in press": "accepted", "accepted": "accepted", "to appear": "accepted",
    "forthcoming": "forthcoming", "submitted": "submitted", "prepublished": "preprint", "preprint": "preprint",
    "underreview": "under-review", "under review": "under-review", "in review": "under-review",
    "inpreparation": "submitted", "in preparation": "submitted", "published": "published",
}
STATUS_TO_BIB = {"accepted": "inpress", "forthcoming": "forthcoming", "submitted": "submitted",
                 "preprint": "prepublished", "under-review": "underreview", "published": "published"}
_ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$", re.I)
_IDENT = re.compile(r"[^\s#{}\"=,]+")
_UNKNOWN_FIELD = ("", "text")
_DATE_KINDS = frozenset({"year", "month", "day", "date"})
_RAW_TYPE = re.compile(r"@\s*(\w+)")
#: model attributes an entry inherits from the entry its ``crossref`` names
_INHERITED = ("container_title", "editor", "publisher", "publisher_place", "issued", "volume", "collection_title",
              "event", "event_place", "isbn", "issn")
_URL_CMD = re.compile(r"\\url\{([^{}\s]+)\}")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)

log = logging.getLogger(__name__)


@cache
def _tables() -> tuple[dict, dict, dict, dict, dict]:
    """(type_read, type_write, field_map, attr_fields, field_order) from the CSV tables."""
    data = resources.files("bibkit") / "data"
    type_read: dict[str, tuple[str, str | None]] = {}
    type_write: dict[str, str] = {}
    with (data / "bibtex_types.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        bib, csl = row["bibtex"].strip(), row["csl"].strip()
        if bib and bib not in type_read and row["dialect"]:
            type_read[bib] = (csl, row["genre"].strip() or None)
    for row in rows:
        if row["write"].strip() == "1" and row["csl"] not in type_write:
            type_write[row["csl"].strip()] = row["bibtex"].strip()
    field_map: dict[str, tuple[str, str]] = {}
    order: dict[str, int] = {}
    with (data / "bibtex_fields.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["bibtex"].strip()
            field_map[name] = (row["attr"].strip(), row["kind"].strip())
            if row["order"].strip():
                order[name] = int(row["order"])
    attr_fields: dict[str, list[str]] = {}
    for name, (attr, _kind) in field_map.items():
        attr_fields.setdefault(attr, []).append(name)
    return type_read, type_write, field_map, attr_fields, order


@cache
def _genres() -> dict[str, str]:
    """biblatex localisation keys found in ``type`` fields -> genre text (data/bibtex_genres.csv)."""
    with (resources.files("bibkit") / "data" / "bibtex_genres.csv").open(encoding="utf-8") as fh:
        return {row["key"].strip().lower(): row["genre"].strip() for row in csv.DictReader(fh)}


def csl_type(bibtex_type: str) -> tuple[str, str | None]:
    """The CSL type (and default genre) for a BibTeX/BibLaTeX entry type.

    >>> csl_type("phdthesis")
    ('thesis', 'PhD thesis')
    >>> csl_type("online")
    ('webpage', None)
    """
    return _tables()[0].get(bibtex_type.lower(), ("document", None))


def bibtex_type(entry: Entry) -> str:
    """The BibTeX entry type to write for ``entry``.

    >>> bibtex_type(Entry(type="thesis", genre="Master's thesis"))
    'mastersthesis'
    >>> bibtex_type(Entry(type="chapter", container_title="Handbook"))
    'incollection'
    """
    t = entry.type
    if t == "thesis":
        genre = (entry.genre or "").lower()
        return "mastersthesis" if "master" in genre else "phdthesis"
    if t == "chapter" and not entry.container_title:
        return "inbook"
    return _tables()[1].get(t, "misc")


# -- reading -------------------------------------------------------------------------------------


class Block(str):
    """The raw text of a non-entry block (``ReadResult.preamble``) with ``lead``: the white space
    between the block before it and this one in the file (``None`` at the start of a file), so a
    rewrite keeps the layout; ``tail``: a comment after the last entry (written after the entries)."""

    lead: str | None = None
    tail: bool = False

    def __new__(cls, text: str, lead: str | None = None, tail: bool = False) -> Block:
        self = super().__new__(cls, text)
        self.lead = lead
        self.tail = tail
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Block, (str(self), self.lead, self.tail))


def join_comments(memo: dict[str, Any], comments: list[str]) -> None:
    """Put ``comments`` (blocks read before the entry of ``memo``) in front of it, keeping the
    white space between them (``memo['lead']``: before the first; ``memo['gap']``: before the entry)."""
    parts = [comments[0]]
    for block in comments[1:]:
        parts += [_sep(getattr(block, "lead", None)), block]
    own = memo.get("before")
    if own:
        parts += [_sep(memo.get("lead")), own]
    else:
        memo["gap"] = memo.get("lead")
    memo["before"] = "".join(parts)
    memo["lead"] = getattr(comments[0], "lead", None)


def entry_sep(entry: Entry) -> str:
    """What the writer puts between the block before ``entry`` and it (see :func:`_sep`)."""
    memo = entry.origin.get("bibtex") if entry.origin else None
    return _sep(memo.get("lead") if memo else None)


def _sep(lead: str | None) -> str:
    """What to write before an entry: the white space the file had there (when it has a line
    break: entries may have been reordered or merged), else one blank line."""
    return lead if lead and "\n" in lead else "\n\n"


def _block_sep(lead: str | None) -> str:
    """What to write before a non-entry block after another one (their order is the file's)."""
    return lead if lead is not None else "\n\n"


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a text is read: reading makes many
    long-lived objects (splitter blocks, entries, snapshots), and the collector kept walking
    them (a third of ``bibkit.load`` on tugboat.bib).  Reference counting still frees what is
    dropped; cycles made meanwhile are collected after.  Resumed only if it was running."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _Reader:
    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.result = ReadResult()
        self.macros: dict[str, str] = {m: MONTH_NAMES[i] for i, m in enumerate(MONTHS)}
        self.user_macros: set[str] = set()
        self._line_offsets: list[int] | None = None
        self._eval_cache: dict[str, str] = {}
        self._unknown_cache: dict[str, frozenset[str]] = {}
        self.blanked: list[int] = []  # 0-based numbers of the comment lines blanked before splitting
        self.pending: list[str] = []  # comments between entries, attached to the next one
        self.seen_entry = False  # an entry was read (later comments are attached to entries, not the preamble)
        self.lead: str | None = None  # the white space before the block being read (see Block)
        self.carry = ""  # white space at the end of the text before this one (a segment's, see bibstream)

    # -- helpers
    def problem(self, line: int | None, message: str, severity: str = "error", raw: str | None = None) -> None:
        self.result.problems.append(Problem(self.source, line, message, severity, raw))

    def line_offset(self, line0: int) -> int:
        if self._line_offsets is None:
            self._line_offsets = [0, *itertools.accumulate(len(x) + 1 for x in self.text.split("\n"))]
        offs = self._line_offsets
        return offs[min(line0, len(offs) - 1)]

    def original(self, block_raw: str, line0: int, mtext: str) -> str:
        if mtext is self.text:
            return block_raw
        i = bisect.bisect_left(self.blanked, line0)
        if i >= len(self.blanked) or self.blanked[i] > line0 + block_raw.count("\n"):
            return block_raw  # no blanked line inside this block
        start = mtext.find(block_raw, self.line_offset(line0))
        if start < 0:
            return block_raw
        return self.text[start:start + len(block_raw)]

    def block_text(self, raw: str, line0: int) -> str:
        """The whole text of a block the splitter gave up on: from its start to the next block."""
        start = self.text.find(raw[:20], self.line_offset(line0)) if raw else -1
        if start < 0:
            return raw
        nxt = BLOCK_HEAD.search(self.text, start + 1)
        end = nxt.start() if nxt else len(self.text)
        return self.text[start:end].rstrip()

    def evaluate(self, raw: str, line: int | None) -> str:
        """The text of a field value: delimiters removed, macros expanded, ``#`` joined."""
        if not raw:
            return ""
        c = raw[0]
        if "#" not in raw:
            if c == "{" and raw[-1] == "}":
                return raw[1:-1]
            if c == '"' and raw[-1] == '"' and len(raw) > 1:
                return raw[1:-1]
            if raw.isdigit():
                return raw
        hit = self._eval_cache.get(raw)
        if hit is not None:
            return hit
        parts = _split_concat(raw)
        if parts is None:
            self.problem(line, f"cannot read the value {raw[:60]!r}; kept as written", "warning")
            return raw
        out = []
        for p in parts:
            if p[0] in '{"':
                out.append(p[1:-1])
            elif p.isdigit():
                out.append(p)
            else:
                value = self.macros.get(p.lower())
                if value is None:
                    self.problem(line, f"undefined @string macro {p!r}; kept as its name", "warning")
                    value = p
                out.append(value)
        text = "".join(out)
        self._eval_cache[raw] = text
        return text

    # -- blocks
    def run(self, final: bool = True) -> ReadResult:
        """Read the text.  ``final=False`` (one segment of a file read in pieces, see
        :mod:`bibkit.io.bibstream`): comments after the last entry stay pending and crossrefs
        are left to the caller."""
        with _gc_paused():
            return self._run(final)

    def _run(self, final: bool) -> ReadResult:
        text = self.text
        mtext, self.blanked = blank_comment_lines(text)
        seen_entry = self.seen_entry
        pos = 0  # where the block before ended (in mtext, which has text's offsets)
        for block in staged("reading", list(split(mtext)), "blocks"):
            line0 = block.line
            kind = block.kind
            braw = block.raw
            self.lead = None
            start = mtext.find(braw[:64], pos) if braw else -1
            if start >= 0:
                if mtext[pos:start].isspace() or pos == start:
                    self.lead = self._white_before(mtext, start)
                pos = start + len(braw)
            if kind == ENTRY:
                if block.dup_key:
                    self.problem(line0 + 1, f"duplicate citation key {block.key!r}", "warning")
                self.entry(block, line0, mtext, duplicate_fields=block.dup_fields)
                seen_entry = True
                continue
            raw = self.original(braw, line0, mtext)
            if kind == STRING:
                if block.dup_key:
                    self.problem(line0 + 1, f"@string {block.key!r} defined again; the new value is used", "warning")
                self.string(block.key, block.value, line0 + 1, raw)
            elif kind == IMPLICIT and seen_entry:
                self.pending.append(Block(raw, self.lead))
            elif kind == FAILED:
                if self.recover(raw, line0, block.reason):
                    seen_entry = True
            else:  # @preamble, @comment, comments before the first entry
                self.result.preamble.append(Block(raw, self.lead))
        self.seen_entry = seen_entry
        if not final:
            return self.result
        if self.pending:  # comments after the last entry: written after the entries
            self.result.preamble.extend(Block(b, getattr(b, "lead", None), True) for b in self.pending)
            self.pending = []
        self.crossrefs()
        return self.result

    def _white_before(self, mtext: str, start: int) -> str | None:
        """The white space just before ``start`` (a block that failed to read may hold it: it is
        still what separates the blocks)."""
        i = start
        while i > 0 and mtext[i - 1].isspace():
            i -= 1
        if i == 0 and not self.carry:
            return None  # the start of the file
        return (self.carry if i == 0 else "") + mtext[i:start]

    def crossrefs(self) -> None:
        """Fill what entries with ``crossref`` lack from their parent (BibTeX inheritance)."""
        children = [e for e in self.result.entries if e.extra.get("crossref")]
        if not children:
            return
        by_key: dict[str, Entry] = {}
        for e in self.result.entries:
            if e.key:
                by_key.setdefault(e.key.lower(), e)
        for child in children:
            parent = by_key.get(child.extra["crossref"].strip().lower())
            if parent is None or parent is child:
                line = child.provenance[0].line_start if child.provenance else None
                self.problem(line, f"{child.key}: crossref to unknown entry {child.extra['crossref']!r}", "warning")
                continue
            inherited = []
            for attr in _INHERITED:
                if not getattr(child, attr) and getattr(parent, attr):
                    value = getattr(parent, attr)
                    if isinstance(value, list):
                        value = [copy.copy(n) for n in value]
                    elif isinstance(value, Date):
                        value = copy.deepcopy(value)
                    setattr(child, attr, value)
                    inherited.append(attr)
            if not child.container_title and parent.title and child.type in ("chapter", "paper-conference"):
                child.container_title = parent.title
                inherited.append("container_title")
            memo = child.origin.get("bibtex")
            if inherited and memo:
                memo["snap"] = _snapshot(child)
                memo["inherited"] = inherited

    def unknown_macros(self, raw: str) -> frozenset[str]:
        """The names in the value ``raw`` that no ``@string`` defines (so far)."""
        hit = self._unknown_cache.get(raw)
        if hit is None:
            hit = self._unknown_cache[raw] = frozenset(
                p.lower() for p in _split_concat(raw) or []
                if p[0] not in '{"' and not p.isdigit() and p.lower() not in self.macros)
        return hit

    def string(self, key: str, value: str, line: int, raw: str) -> None:
        self.macros[key.strip().lower()] = self.evaluate(value.strip(), line)
        self._eval_cache.clear()
        self._unknown_cache.clear()
        self.user_macros.add(key.strip().lower())
        self.result.preamble.append(Block(raw, self.lead))

    def recover(self, raw: str, line0: int, reason: str) -> bool:
        """Re-read a block the splitter rejected (``reason``: why); True if an entry came out of it."""
        raw = self.block_text(raw, line0)
        parsed = _parse_lenient(raw)
        if parsed is None:
            self.problem(line0 + 1, f"unreadable block skipped: {reason}", raw=raw)
            return False
        etype, key, fields, complete, why = parsed
        if etype in ("comment", "preamble"):
            self.result.preamble.append(Block(raw, self.lead))
            return False
        if etype == "string":
            for name, value, _ in fields:
                self.string(name, value, line0 + 1, raw)
            return False
        if not fields and (not key or not complete):
            detail = why or reason
            self.problem(line0 + 1, f"unreadable block skipped: {detail}", raw=raw)
            return False
        severity = "warning" if complete else "error"
        note = "recovered" if complete else f"partly recovered ({why}); fields after the error are lost"
        self.problem(line0 + 1, f"@{etype}{{{key}: {note}", severity, raw=raw)
        self.make_entry(etype, key, [(n, v, line0 + ln) for n, v, ln in fields], raw, line0,
                        raw_type=_raw_type(raw, etype))
        return True

    def entry(self, block: RawBlock, line0: int, mtext: str, duplicate_fields: bool = False) -> None:
        raw = self.original(block.raw, line0, mtext)
        key: str | None = block.key
        if not key or any(c in key for c in " \t\n={}\"'#%"):
            # no key: `@article{title = ...` or junk; re-read it leniently
            parsed = _parse_lenient(raw)
            if parsed is not None and parsed[3]:
                etype, key, fields, _, _ = parsed
                if not key:
                    self.problem(line0 + 1, f"@{etype} entry without a citation key", "warning")
                self.make_entry(etype, key, [(n, v, line0 + ln) for n, v, ln in fields], raw, line0,
                                raw_type=_raw_type(raw, etype))
            else:
                self.problem(line0 + 1, f"@{block.etype} block with an invalid key {block.key[:40]!r} skipped",
                             raw=raw)
            return
        self.make_entry(block.etype, key, block.fields, raw, line0, duplicate_fields=duplicate_fields)

    def make_entry(self, etype: str, key: str | None, fields: list[tuple[str, str, int]], raw: str,
                   line0: int, duplicate_fields: bool = False, raw_type: str | None = None) -> None:
        field_map = _tables()[2]
        etype = etype.strip().lower()
        ctype, genre = csl_type(etype)
        entry = Entry(type=ctype, key=key or None)
        if etype not in _tables()[0]:  # not silently a document: say so, and keep the type
            self.problem(line0 + 1, f"unknown entry type @{etype} read as a document (type kept as 'entrytype')",
                         "warning")
            entry.extra["entrytype"] = etype
        d = entry.__dict__
        targets: list[tuple[str, str, str]] = []  # (name as written, raw value, target)
        dates: dict[str, tuple[str, str]] = {}
        eprint: dict[str, tuple[str, str]] = {}
        extra = entry.extra
        article_like = ctype in ARTICLE_LIKE
        used: set[str] = set()
        copies: dict[str, int] = {}  # per field name given twice: the number of its last copy
        # the splitter flags entries with a field given twice; recovered blocks are checked too
        check_dups = duplicate_fields or raw_type is not None
        macros = self.macros
        unknown: set[str] = set()  # macros no @string defined (yet): a rewrite keeps them as references
        text: str | None
        regen: set[int] = set()  # fields whose text as read is not written again (see memo["regen"])
        for name, rawval, fline in fields:
            lname = name.lower()
            # the value's text: delimiters removed, macros expanded
            c = rawval[:1]
            if (c == "{" and rawval[-1] == "}" and "#" not in rawval) or (
                    c == '"' and rawval[-1] == '"' and len(rawval) > 1 and (
                        "#" not in rawval or rawval.count('"') == 2)):
                text = rawval[1:-1]
            elif c.isalpha() and _IDENT.fullmatch(rawval):
                text = macros.get(rawval.lower())
                if text is None:
                    text = self.evaluate(rawval, (fline + 1) if fline is not None else line0 + 1)
                    unknown.add(rawval.lower())
            else:
                text = self.evaluate(rawval, (fline + 1) if fline is not None else line0 + 1)
                if "#" in rawval or not c or c not in '{"':
                    unknown.update(self.unknown_macros(rawval))
            if check_dups and lname in used:
                line = (fline + 1) if fline is not None else line0 + 1
                k = copies.get(lname, 2)  # the first free number is never below the last one taken
                while f"{lname}-{k}" in used:
                    k += 1
                copies[lname] = k
                newname = f"{lname}-{k}"
                self.problem(line, f"@{etype}{{{key}: field {name!r} given twice; the second kept as {newname!r}",
                             "warning")
                used.add(newname)
                extra[newname] = decode(text)
                targets.append((name, rawval, "extra:" + newname))
                continue
            if check_dups:
                used.add(lname)
            attr, kind = field_map.get(lname, _UNKNOWN_FIELD)
            target = attr
            if kind == "text":
                if not attr or d[attr]:
                    extra[lname] = decode(text)
                    target = "extra:" + lname
                else:
                    d[attr] = decode(text) or None
            elif kind == "names":
                if d[attr]:
                    extra[lname] = decode(text)
                    target = "extra:" + lname
                else:
                    d[attr] = parse_names(text)
                    if empty_names(text):  # "A and and B": the empty name dropped (biber skips the entry)
                        self.problem((fline + 1) if fline is not None else line0 + 1, f"@{etype}{{{key}: an "
                                     f"empty name in {name!r} (an 'and' without a name on one side), dropped",
                                     "warning")
                        regen.add(len(targets))
            elif kind == "title" or kind == "pages":
                if d[attr]:
                    extra[lname] = decode(text)
                    target = "extra:" + lname
                else:
                    d[attr] = decode(text) or None
            elif kind in _DATE_KINDS and attr.startswith("issued"):
                dates[lname] = (text, name)
                target = "issued"
            elif kind == "eprint" or kind == "eprinttype":
                eprint[lname] = (text, name)
                target = "eprint"
            elif not attr:
                extra[lname] = _verbatim(text).strip() if kind == "verbatim" else decode(text)
                target = "extra:" + lname
            elif kind == "number":
                target = "issue" if article_like else "number"
                if d[target]:
                    extra[lname] = decode(text)
                    target = "extra:" + lname
                else:
                    d[target] = decode(text) or None
            elif d[attr]:  # already set by another field: keep this one aside
                extra[lname] = _verbatim(text).strip() if kind == "verbatim" else decode(text)
                target = "extra:" + lname
            elif kind == "verbatim":
                value = " ".join(_verbatim(text).split())
                if attr == "doi":
                    value = _DOI_PREFIX.sub("", value)
                d[attr] = value or None
            elif kind == "status":
                status = STATUS_FROM_BIB.get(decode(text).lower().strip())
                if status:
                    entry.status = status
                else:
                    extra[lname] = decode(text)
                    target = "extra:" + lname
            elif kind == "list":
                d[attr] = [x.strip() for x in decode(text).split(",") if x.strip()]
            elif kind == "date":  # urldate
                entry.accessed = _parse_iso_date(decode(text))
            else:
                d[attr] = decode(text) or None
            targets.append((name, rawval, target))
        lines = [fline + 1 for _, _, fline in fields]
        if dates:
            self._dates(entry, dates, targets)
        if eprint:
            self._eprint(entry, eprint, targets)
        if not entry.url:  # a \url{...} in howpublished or note is the entry's URL
            for text in (extra.get("howpublished"), entry.note):
                m = _URL_CMD.search(text) if text and "\\url" in text else None
                if m:
                    entry.url = m.group(1).strip()
                    break
        if entry.genre and entry.genre.lower() in _genres():
            entry.genre = _genres()[entry.genre.lower()]  # biblatex key (type = {phdthesis}) -> words
        if genre and not entry.genre:
            entry.genre = genre
        if ctype == "document" and entry.arxiv:
            entry.type = "article"
        line_start = line0 + 1
        entry.provenance.append(Provenance(self.source, line_start, line_start + raw.count("\n"), None,
                                           key or None, "bibtex"))
        memo: dict[str, Any] = {"raw": raw, "type": raw_type or _raw_type(raw, etype), "ctype": entry.type,
                                "key": entry.key, "fields": targets, "lines": lines,  # lines: 1-based, per field
                                "snap": _snapshot(entry)}
        if unknown:
            memo["unknown"] = frozenset(unknown)
        if regen:  # (indices into "fields": written from the model, not as read)
            memo["regen"] = frozenset(regen)
        memo["lead"] = self.lead
        if self.pending:
            join_comments(memo, self.pending)
            self.pending = []
        entry.origin["bibtex"] = memo
        self.result.entries.append(entry)

    def _dates(self, entry: Entry, dates: dict[str, tuple[str, str]], targets: list) -> None:
        date: Date | None = None
        if "date" in dates:
            date = _parse_iso_date(decode(dates["date"][0]))
        year_text = decode(dates["year"][0]).strip() if "year" in dates else ""
        if date is None and year_text:
            if year_text.isdigit():
                date = Date(year=int(year_text))
            else:
                status = STATUS_FROM_BIB.get(year_text.lower().strip(" ()[]."))
                if status and not entry.status:
                    entry.status = status
                    date = None
                else:
                    m = re.search(r"\b(\d{4})\b", year_text)
                    date = Date(year=int(m.group(1)) if m else None, raw=year_text)
                    if date.year is not None and re.fullmatch(r"\d{4}", year_text.strip()):
                        date.raw = None
        elif date is not None and year_text and year_text != str(date.year):
            self._to_extra(entry, "year", year_text, targets)
        if "month" in dates:
            mtext = decode(dates["month"][0]).strip()
            month = _parse_month(mtext)
            if month is not None and date is not None and date.year is not None and (
                    date.month is None or date.month == month):
                date.month = month
            elif month is None or date is None or date.month != month:
                self._to_extra(entry, "month", mtext, targets)
        if "day" in dates:
            dtext = decode(dates["day"][0]).strip()
            if dtext.isdigit() and date is not None and date.month and (date.day is None or date.day == int(dtext)):
                date.day = int(dtext)
            elif not (date is not None and date.day == _int(dtext)):
                self._to_extra(entry, "day", dtext, targets)
        entry.issued = date if date else None

    def _to_extra(self, entry: Entry, lname: str, text: str, targets: list) -> None:
        if not text:
            return
        entry.extra[lname] = text
        for i, (name, rawval, target) in enumerate(targets):
            if name.lower() == lname and target == "issued":
                targets[i] = (name, rawval, "extra:" + lname)

    def _eprint(self, entry: Entry, eprint: dict[str, tuple[str, str]], targets: list) -> None:
        kinds = {decode(v[0]).strip().lower() for k, v in eprint.items() if k != "eprint"}
        ident = " ".join(eprint["eprint"][0].split()) if "eprint" in eprint else ""
        is_arxiv = bool(ident) and ("arxiv" in kinds or (not kinds and _ARXIV_ID.match(ident) is not None))
        if is_arxiv:
            ident = re.sub(r"^arxiv:", "", ident, flags=re.I)
            if entry.arxiv:
                self._to_extra(entry, "eprint", ident, targets)
            else:
                entry.arxiv = ident
            return
        for lname, (text, _name) in eprint.items():
            entry.extra[lname] = " ".join(text.split()) if lname == "eprint" else decode(text)
        for i, (name, rawval, target) in enumerate(targets):
            if target == "eprint":
                targets[i] = (name, rawval, "extra:" + name.lower())


def _verbatim(text: str) -> str:
    """A verbatim value (URL, DOI): undo the writer's ``\\{``/``\\}`` escapes of unbalanced braces.

    >>> _verbatim(r"a\\}b"), _verbatim(r"a\\{b\\}")
    ('a}b', 'a\\\\{b\\\\}')
    """
    if "\\{" not in text and "\\}" not in text:
        return text
    plain = text.replace("\\{", "{").replace("\\}", "}")
    return plain if _match_brace("{" + plain + "}", 0) != len(plain) + 1 else text


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _raw_type(raw: str, etype: str) -> str:
    m = _RAW_TYPE.match(raw)
    return m.group(1) if m else etype


def _parse_month(text: str) -> int | None:
    t = text.strip().rstrip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return _MONTH_LOOKUP.get(t)


_ISO = re.compile(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def _parse_iso_date(text: str) -> Date | None:
    """A BibLaTeX/EDTF date: ``2020``, ``2020-05``, ``2020-05-01``, ranges ``a/b``, ``~`` / ``?``."""
    t = text.strip()
    if not t:
        return None
    circa = False
    if t.endswith(("~", "?", "%")):
        circa = True
        t = t.rstrip("~?%")
    parts = t.split("/")
    m = _ISO.fullmatch(parts[0].strip())
    if m is None or len(parts) > 2:
        ym = re.search(r"\b(\d{4})\b", text)
        return Date(year=int(ym.group(1)) if ym else None, raw=text.strip())
    y, mo, d = (int(g) if g else None for g in m.groups())
    date = Date(year=y, month=mo, day=d, circa=circa)
    if len(parts) == 2:
        m2 = _ISO.fullmatch(parts[1].strip())
        if m2:
            y2, mo2, d2 = (int(g) if g else None for g in m2.groups())
            date.end = Date(year=y2, month=mo2, day=d2)
        elif parts[1].strip() in ("", ".."):
            date.raw = text.strip()
    return date


def _split_concat(raw: str) -> list[str] | None:
    """The pieces of ``a # {b} # "c"``; None when they are malformed."""
    parts, i, n = [], 0, len(raw)
    while i < n:
        while i < n and raw[i] in " \t\r\n":
            i += 1
        if i >= n:
            break
        c = raw[i]
        if c == "{":
            j = _match_brace(raw, i)
            if j < 0:
                return None
            parts.append(raw[i:j + 1])
            i = j + 1
        elif c == '"':
            j = _match_quote(raw, i)
            if j < 0:
                return None
            parts.append(raw[i:j + 1])
            i = j + 1
        else:
            m = _BARE_VALUE.match(raw, i)
            if m is None:
                return None
            parts.append(m.group())
            i = m.end()
        while i < n and raw[i] in " \t\r\n":
            i += 1
        if i < n:
            if raw[i] != "#":
                return None
            i += 1
    return parts or None


_match_brace = match_brace
_BARE_VALUE = re.compile(r"[^\s#{}\"]+")
_BARE_FIELD_VALUE = re.compile(r"[^\s,#{}\"()]+")


def _match_quote(s: str, i: int) -> int:
    """Index of the ``"`` closing the quoted value that opens at ``i`` (quotes inside braces do not
    count); -1 if it is never closed or a ``}`` closes a brace that was not opened inside it."""
    j, depth, n = i + 1, 0, len(s)
    while j < n:
        ch = s[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return -1
            depth -= 1
        elif ch == '"' and depth == 0:
            return j
        j += 1
    return -1


_LENIENT_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*")
_FIELD_NAME = re.compile(r"\s*([^\s=,{}\"#%]+)\s*=\s*")


def _parse_lenient(raw: str) -> tuple[str, str | None, list[tuple[str, str, int]], bool, str] | None:
    """A forgiving parse of one block: (type, key, [(name, raw value, line offset)], complete, why).

    Used for blocks the splitter rejected.  Reads fields one by one; stops at the
    first one it cannot read (``complete`` is then False and ``why`` says why).
    """
    m = _LENIENT_HEAD.match(raw)
    if m is None:
        return None
    etype = m.group(1).lower()
    pos = m.end()
    if etype in ("comment", "preamble"):
        return etype, None, [], True, ""
    key: str | None = None
    if etype != "string":
        km = re.compile(r"([^\s,={}\"#%()]+)\s*(,|(?=[})]\s*$))").match(raw, pos)
        if km:
            key = km.group(1)
            pos = km.end()
        elif not _FIELD_NAME.match(raw, pos):
            return None
    fields: list[tuple[str, str, int]] = []
    n = len(raw)
    while True:
        while pos < n and raw[pos] in " \t\r\n,":
            pos += 1
        if pos >= n or raw[pos] in "})":
            return etype, key, fields, pos < n, "" if pos < n else "the entry is not closed"
        fm = _FIELD_NAME.match(raw, pos)
        if fm is None:
            return etype, key, fields, False, f"no field at {raw[pos:pos + 20]!r}"
        name = fm.group(1)
        vstart = fm.end()
        i = vstart
        # a value: pieces joined with #
        while True:
            while i < n and raw[i] in " \t\r\n":
                i += 1
            if i >= n:
                return etype, key, fields, False, f"the value of {name!r} is not closed"
            c = raw[i]
            if c == "{":
                j = _match_brace(raw, i)
                if j < 0:
                    return etype, key, fields, False, f"unbalanced braces in {name!r}"
                i = j + 1
            elif c == '"':
                j = _match_quote(raw, i)
                if j < 0:
                    return etype, key, fields, False, f"unterminated quoted value of {name!r}"
                i = j + 1
            else:
                vm = _BARE_FIELD_VALUE.match(raw, i)
                if vm is None:
                    return etype, key, fields, False, f"no value for {name!r}"
                i = vm.end()
            while i < n and raw[i] in " \t\r\n":
                i += 1
            if i < n and raw[i] == "#":
                i += 1
                continue
            break
        fields.append((name, raw[vstart:i].strip(), raw.count("\n", 0, fm.start(1))))
        pos = i


#: the model attributes whose values the snapshot records (extra and related are added apart)
_SNAP_ATTRS = tuple(f.name for f in dataclasses.fields(Entry)
                    if f.compare and f.name not in ("key", "extra", "related"))
_SNAP_GET = operator.attrgetter(*_SNAP_ATTRS)
_SNAP_NAMES = tuple(i for i, a in enumerate(_SNAP_ATTRS) if a in ("author", "editor", "translator"))
_SNAP_DATES = tuple(i for i, a in enumerate(_SNAP_ATTRS) if a in ("issued", "accessed"))


def _snapshot(entry: Entry) -> tuple:
    """What the writer compares to tell whether the entry changed since reading (cheap: read time)."""
    vals = list(_SNAP_GET(entry))
    for i in _SNAP_NAMES:
        if vals[i]:
            vals[i] = tuple([(n.family, n.given, n.particle, n.dropping_particle, n.suffix, n.literal)
                             for n in vals[i]])
    for i in _SNAP_DATES:
        if vals[i] is not None:
            vals[i] = _date_tuple(vals[i])
    return (tuple(vals), tuple(entry.extra.items()) if entry.extra else (),
            tuple(entry.related) if entry.related else ())


def _snap_dict(snap: tuple) -> dict[str, Any]:
    """The snapshot by attribute (``extra:<name>`` for extra fields); empty values left out."""
    vals, extra, related = snap
    out = {a: v for a, v in zip(_SNAP_ATTRS, vals, strict=True) if v not in (None, "", [], ())}
    for k, v in extra:
        out["extra:" + k] = v
    if related:
        out["related"] = related
    return out


def _date_tuple(d: Date | None) -> tuple | None:
    if d is None:
        return None
    return (d.year, d.month, d.day, d.season, d.circa, d.raw, _date_tuple(d.end))


def read(text: str, source: str = "<string>", macros: dict[str, str] | None = None) -> ReadResult:
    """Read BibTeX/BibLaTeX text; blocks that cannot be read become Problems.

    ``macros``: ``@string`` definitions made before this text (by the files read before
    it, as BibTeX resolves ``\\bibliography{abbrev,journals,articles}``); the text's own
    definitions are added to it, for the files read after.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        # binary junk: NULs cannot be in a .bib; read around them
        text = text.replace("\x00", " ")
    reader = _Reader(text, source)
    if macros:
        reader.macros.update(macros)
    result = reader.run()
    if macros is not None:
        macros.update((name, reader.macros[name]) for name in reader.user_macros)
    return result


# -- writing -------------------------------------------------------------------------------------
def _fmt_value(text: str, ascii: bool, kind: str = "text") -> str:
    if kind == "verbatim":
        value = text
        if _match_brace("{" + value + "}", 0) != len(value) + 1:
            value = value.replace("{", "\\{").replace("}", "\\}")
        return "{" + value + "}"
    return "{" + encode(text, ascii) + "}"


def _date_fields(date: Date, hint: set[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    iso_needed = date.end is not None or date.circa or (date.day is not None and "day" not in hint)
    if "date" in hint or (iso_needed and "year" not in hint):
        if date.raw and not date.parts():
            return [("year", "{" + encode(date.raw) + "}")]
        iso = _iso(date)
        if date.end is not None:
            iso += "/" + _iso(date.end)
        if date.circa:
            iso += "~"
        return [("date", "{" + iso + "}")]
    if date.raw:
        out.append(("year", "{" + encode(date.raw) + "}"))
    elif date.year is not None:
        out.append(("year", "{" + str(date.year) + "}"))
    if date.month:
        out.append(("month", MONTHS[date.month - 1] if 1 <= date.month <= 12 else "{" + str(date.month) + "}"))
    if date.day:
        out.append(("day", "{" + str(date.day) + "}"))
    return out


def _iso(d: Date) -> str:
    out = f"{d.year:04d}" if d.year is not None else ""
    if d.month:
        out += f"-{d.month:02d}"
        if d.day:
            out += f"-{d.day:02d}"
    return out


def _page_text(page: str, ascii: bool) -> str:
    page = page_range(page) or page  # "6000-6010" -> "6000--6010", as BibTeX styles expect a range
    if not ascii and not page.isascii() and _only_dashes(page):
        ascii = True  # page ranges are written with --
    return encode(page, ascii)


def _only_dashes(page: str) -> bool:
    """True when the only non-ASCII characters of ``page`` are dashes (written as ``--``)."""
    return all(c.isascii() or c in "–—" for c in page)


def _gen_attr(entry: Entry, attr: str, hint: list[str], ascii: bool) -> list[tuple[str, str]]:
    """BibTeX fields (name, value as written) for one model attribute; ``hint`` = names used before."""
    value: Any = getattr(entry, attr, None) if not attr.startswith("extra:") else entry.extra.get(attr[6:])
    if value is None or (value in ("", []) and not attr.startswith("extra:")):
        return []
    if attr.startswith("extra:"):
        name = hint[0] if hint else attr[6:]
        _, kind = _tables()[2].get(attr[6:], ("", "text"))
        return [(name, _fmt_value(str(value), ascii, kind))]
    if attr in ("author", "editor", "translator"):
        return [(hint[0] if hint else attr, "{" + format_names(value, ascii) + "}")]
    if attr == "issued":
        return _date_fields(value, {h.lower() for h in hint})
    if attr == "accessed":
        return [(hint[0] if hint else "urldate", "{" + _iso(value) + "}")] if value.year else []
    if attr == "title":
        return [(hint[0] if hint else "title", "{" + protect_title(encode(value, ascii)) + "}")]
    if attr == "page":
        return [(hint[0] if hint else "pages", "{" + _page_text(value, ascii) + "}")]
    if attr == "arxiv":
        if hint:
            return [(hint[0], "{" + value + "}")]
        out = [("eprint", "{" + value + "}"), ("archiveprefix", "{arXiv}")]
        return out
    if attr == "status":
        return [(hint[0] if hint else "pubstate", "{" + STATUS_TO_BIB.get(value, encode(value, ascii)) + "}")]
    if attr in ("doi", "url", "isbn", "issn"):
        return [(hint[0] if hint else attr, _fmt_value(value, ascii, "verbatim"))]
    if attr == "related":
        return [(hint[0] if hint else "related", "{" + ",".join(value) + "}")]
    name = hint[0] if hint else _default_name(entry, attr)
    if not hint and name in entry.extra:  # the usual name is taken by a kept-aside field: use another one
        for alt in _tables()[3].get(attr, []):
            if alt not in entry.extra:
                name = alt
                break
    return [(name, "{" + encode(str(value), ascii) + "}")]


def _default_name(entry: Entry, attr: str) -> str:
    t = entry.type
    if attr == "container_title":
        if t in ARTICLE_LIKE or t == "periodical":
            return "journal"
        return "booktitle"
    if attr == "publisher":
        if t == "thesis":
            return "school"
        if t == "report":
            return "institution"
        return "publisher"
    if attr == "issue":
        return "number" if t in ARTICLE_LIKE else "issue"
    if attr == "number":
        return "number"
    return {
        "collection_title": "series", "event": "eventtitle", "event_place": "venue",
        "publisher_place": "address", "genre": "type", "volume": "volume", "edition": "edition",
        "abstract": "abstract", "language": "language", "note": "note",
    }.get(attr, attr.replace("_", ""))


#: model attributes in the order the writer emits them for a new entry
_ATTR_ORDER = ("author", "title", "container_title", "event", "editor", "translator", "collection_title",
               "issued", "volume", "issue", "number", "page", "edition", "genre", "publisher", "publisher_place",
               "event_place", "doi", "isbn", "issn", "url", "arxiv", "accessed", "status", "language", "note",
               "abstract", "related")


def _default_genre(entry: Entry) -> str | None:
    bt = bibtex_type(entry)
    return csl_type(bt)[1]


def _entry_fields(entry: Entry, ascii: bool) -> list[tuple[str, str]]:
    """All fields of an entry without origin, in conventional order."""
    out: list[tuple[str, str]] = []
    names_used: set[str] = set()
    for attr in _ATTR_ORDER:
        if attr == "genre" and entry.genre and entry.genre == _default_genre(entry):
            continue
        if attr == "number" and entry.type in ARTICLE_LIKE and not entry.issue:
            pass
        for name, value in _gen_attr(entry, attr, [], ascii):
            if name.lower() in names_used:
                name = name + "-2"
            names_used.add(name.lower())
            out.append((name, value))
    for k in entry.extra:
        if k.lower() in names_used:
            continue
        out.extend(_gen_attr(entry, "extra:" + k, [], ascii))
        names_used.add(k.lower())
    return out


def _origin_fields(entry: Entry, memo: dict[str, Any], ascii: bool, bad: set[int] | frozenset = frozenset()
                   ) -> list[tuple[str, str]]:
    snap = _snap_dict(memo["snap"])
    cur = _snap_dict(_snapshot(entry))
    out: list[tuple[str, str]] = []
    done: set[str] = set()
    names_by_target: dict[str, list[str]] = {}
    for name, _raw, target in memo["fields"]:
        names_by_target.setdefault(target, []).append(name)
    eprint_attr = "arxiv"
    names_used: set[str] = set()
    for i, (name, rawval, target) in enumerate(memo["fields"]):
        t = eprint_attr if target == "eprint" else target
        if t == "":
            continue
        if cur.get(t) == snap.get(t) and t in cur and i not in bad:
            if ascii and not rawval.isascii():
                if t in done:
                    continue
                done.add(t)
                for n, v in _gen_attr(entry, t, names_by_target.get(target, []), ascii):
                    out.append((n, v))
                    names_used.add(n.lower())
                continue
            out.append((name, rawval))
            names_used.add(name.lower())
            continue
        if t in done:
            continue
        done.add(t)
        if t == "arxiv" and "arxiv" in cur:
            hint = [n for n in names_by_target.get(target, []) if n.lower() == "eprint"]
            gen = _gen_attr(entry, t, hint, ascii) if hint else _gen_attr(entry, t, [], ascii)
            for n, v in gen:
                if n.lower() in names_used:
                    continue
                out.append((n, v))
                names_used.add(n.lower())
            # keep the eprinttype/archiveprefix as written
            for n2, raw2, t2 in memo["fields"]:
                if t2 == "eprint" and n2.lower() != "eprint" and n2.lower() not in names_used:
                    out.append((n2, raw2))
                    names_used.add(n2.lower())
            continue
        for n, v in _gen_attr(entry, t, names_by_target.get(target, []), ascii):
            if n.lower() not in names_used:
                out.append((n, v))
                names_used.add(n.lower())
    # attributes set since reading (or changed ones with no field of their own)
    sourced = {("arxiv" if t == "eprint" else t) for _, _, t in memo["fields"]}
    new = [a for a in _ATTR_ORDER if a in cur and a not in sourced and cur.get(a) != snap.get(a)]
    new += ["extra:" + k for k in entry.extra if "extra:" + k not in sourced
            and cur.get("extra:" + k) != snap.get("extra:" + k)]
    for attr in new:
        if attr == "genre" and entry.genre == _default_genre(entry):
            continue
        for n, v in _gen_attr(entry, attr, [], ascii):
            if n.lower() not in names_used:
                out.append((n, v))
                names_used.add(n.lower())
    return out


_BAD_FIELD_CHARS = re.compile(r"[^\w\-:.+/]")


def _format_entry(btype: str, key: str, fields: list[tuple[str, str]]) -> str:
    lines = [f"@{btype}{{{key},"]
    for i, (name, value) in enumerate(fields):
        if _BAD_FIELD_CHARS.search(name):
            name = _BAD_FIELD_CHARS.sub("-", name)
        sep = "," if i < len(fields) - 1 else ""
        lines.append(f"  {name} = {value}{sep}")
    lines.append("}")
    return "\n".join(lines)


_STRING_DEF = re.compile(r"@\s*string\s*[{(]\s*([^\s={}(),]+)\s*=", re.I)


def _defined_macros(preamble: list[Any]) -> set[str]:
    """The ``@string`` names the preamble blocks define (and the month names)."""
    out = set(MONTHS)
    for item in preamble:
        if isinstance(item, str) and "@" in item:
            out.update(m.lower() for m in _STRING_DEF.findall(item))
    return out


def _undefined_macros(rawval: str, defined: set[str], seen: dict[str, frozenset[str]]) -> frozenset[str]:
    """The macros ``rawval`` refers to that the output does not define."""
    c = rawval[:1]
    if (c in "{\"" and "#" not in rawval) or rawval.isdigit():
        return frozenset()
    hit = seen.get(rawval)
    if hit is None:
        parts = _split_concat(rawval) or []
        hit = seen[rawval] = frozenset(p.lower() for p in parts
                                       if p[0] not in "{\"" and not p.isdigit() and p.lower() not in defined)
    return hit


def _entry_text(entry: Entry, key: str, ascii: bool, defined: set[str], seen: dict[str, frozenset[str]],
                dialect: str | None = None) -> str:
    memo = entry.origin.get("bibtex") if entry.origin else None
    if dialect:
        from .dialect import entry_fields, numbers_moved

        btype, fields, aside = entry_fields(entry, dialect, ascii)
        if aside:  # fields outside biblatex's data model: kept in a comment before the entry
            memo = dict(memo or {})
            memo["before"] = "\n".join(filter(None, [memo.get("before"), *aside]))
            memo.setdefault("gap", "\n")
        if not memo or "fields" not in memo:
            return _with_comments(memo, _format_entry(btype, key, fields))
        inner = _INNER_COMMENT.findall(memo["raw"]) if "%" in memo["raw"] else []
        if (inner and dialect == "bibtex") or not _same_shape(memo, btype, fields) or numbers_moved(entry):
            # (BibTeX has no comments inside an entry: a `%` line there is an error; it is kept before the entry;
            # biber reads them, but an entry laid out anew keeps them before it too: `% title = "???"`)
            fields = _as_read(entry, memo, fields, ascii, defined, seen)
            text = _format_entry(btype, key, fields)
            if inner:
                text = "\n".join(c.strip().replace("@", "(at)") for c in inner) + "\n" + text
            return _with_comments(memo, text, dialect)
    if memo:
        unchanged_type = entry.type == memo["ctype"]
        # fields referring to @string macros the output will not define are written expanded; a macro
        # no @string defined when it was read stays a reference (defined elsewhere: abbrev.bib...)
        unknown = memo.get("unknown", frozenset())
        bad = {i for i, (_n, rawval, _t) in enumerate(memo["fields"])
               if _undefined_macros(rawval, defined, seen) - unknown}
        if dialect:  # a dialect writes a value its tools can read (an empty name left out); None: as read
            bad |= memo.get("regen", frozenset())
        if (key == memo["key"] and unchanged_type and not bad and _snapshot(entry) == memo["snap"]
                and (not ascii or memo["raw"].isascii())):
            text = memo["raw"]
        else:
            btype = memo["type"] if unchanged_type else bibtex_type(entry)
            text = _format_entry(btype, key, _origin_fields(entry, memo, ascii, bad))
        return _with_comments(memo, text, dialect)
    return _format_entry(bibtex_type(entry), key, _entry_fields(entry, ascii))


def _with_comments(memo: dict[str, Any] | None, text: str, dialect: str | None = None) -> str:
    """``text`` with the comments that stood before the entry in its file."""
    before = memo.get("before") if memo else None
    if not before:
        return text
    if dialect == "bibtex":
        before = _defuse(before)
    assert memo is not None
    gap = memo.get("gap")  # comments and their entry stay as close as they were (a BOM glued to the @)
    return f"{before}{gap if gap is not None else _sep(gap)}{text}"


_INNER_COMMENT = re.compile(r"(?m)^[ \t]*%.*$")


def _defuse(comment: str) -> str:
    """A comment BibTeX reads as a comment: it has none (``%`` means nothing to it), and an ``@`` outside
    entries starts one (``% @article{old, ...`` is read as an entry): ``@`` is written ``(at)``."""
    if "@" not in comment or comment.lstrip().startswith("@"):
        return comment
    return comment.replace("@", "(at)")


def _as_read(entry: Entry, memo: dict[str, Any], fields: list[tuple[str, str]], ascii: bool, defined: set[str],
             seen: dict[str, frozenset[str]]) -> list[tuple[str, str]]:
    """``fields`` with the source text of every value that is an unchanged field as read (so
    ``@string`` references and the file's own LaTeX stay), whatever its name in the dialect."""
    snap = _snap_dict(memo["snap"])
    cur = _snap_dict(_snapshot(entry))
    unknown = memo.get("unknown", frozenset())
    as_read: dict[str, str] = {}
    own: dict[tuple[str, str], str] = {}  # (name, value): a field's own text first
    regen = memo.get("regen", frozenset())
    for i, (name, rawval, target) in enumerate(memo["fields"]):
        t = "arxiv" if target == "eprint" else target
        if not t or i in regen or t not in cur or cur.get(t) != snap.get(t) or (ascii and not rawval.isascii()):
            continue
        if _undefined_macros(rawval, defined, seen) - unknown:
            continue
        for n, value in _gen_attr(entry, t, [name], ascii):
            if n.lower() == name.lower() or t != "issued":  # (a date's parts: only under their own name)
                as_read.setdefault(value, rawval)
                own.setdefault((n.lower(), value), rawval)
    return [(n, own.get((n.lower(), v)) or as_read.get(v, v)) for n, v in fields]


def _same_shape(memo: dict[str, Any], btype: str, fields: list[tuple[str, str]]) -> bool:
    """True when the entry as read has the type and the field names the dialect writes (its text can
    then be kept as it was)."""
    if memo["type"].lower() != btype:
        return False
    read = {name.lower() for name, raw, _t in memo["fields"] if raw.strip('{}" ')}  # (an empty field: none)
    return read == {name.lower() for name, _v in fields}


def write(entries: list[Entry], *, ascii: bool = False, rekey: bool = False, preamble: list[Any] | None = None,
          dialect: str | None = None, **_: Any) -> str:
    """BibTeX text for ``entries``; ``preamble`` blocks (from ``ReadResult.preamble``) come first,
    but comments that followed the last entry (``Block.tail``), which come last.

    Entries read from BibTeX and not changed are written as they were read, with the
    white space the file had between blocks (else one blank line); for the others,
    unchanged fields keep their source text and the rest is generated.
    A field that refers to an ``@string`` macro the preamble does not define is
    written expanded, so the output is always complete; a macro no ``@string`` defined
    when the entry was read (one from another file, like ``abbrev.bib``) stays a reference.

    ``dialect``: ``"bibtex"`` (what ``.bst`` styles read) or ``"biblatex"`` (what biber reads):
    only the entry types and fields of that dialect, what it cannot hold moved where its styles print
    it (see :mod:`bibkit.io.dialect`); an entry read from BibTeX that is already in the dialect
    keeps its text.  ``None`` writes every entry with the types and fields it was read with.
    """
    if dialect is not None and dialect not in ("bibtex", "biblatex"):
        from ..errors import UsageError

        raise UsageError(f"unknown BibTeX dialect {dialect!r}: bibtex or biblatex")
    keys = assign_keys(entries, rekey=rekey, unique=dialect is not None)
    out: list[str] = []

    def add(text: str, sep: str) -> None:
        if out:
            out.append(sep)
        out.append(text)

    tail = []
    for item in preamble or []:
        raw = item if isinstance(item, str) else getattr(item, "raw", None) or str(item)
        if not raw.strip():
            continue
        if getattr(item, "tail", False):
            tail.append(item)
        else:
            add((_defuse(raw) if dialect == "bibtex" else raw).strip("\n"), _block_sep(getattr(item, "lead", None)))
    defined = _defined_macros(preamble or [])
    seen: dict[str, frozenset[str]] = {}
    for entry, key in zip(entries, keys, strict=True):
        add(_entry_text(entry, key, ascii, defined, seen, dialect), entry_sep(entry))
    for i, item in enumerate(tail):
        lead = getattr(item, "lead", None)
        add((_defuse(item) if dialect == "bibtex" else item).strip("\n"), _block_sep(lead) if i else _sep(lead))
    text = "".join(out) + "\n" if out else ""
    if dialect and "\ufeff" in text:
        text = text.replace("\ufeff", "")  # byte order marks inside a file (files joined): junk to biber
    return text


_SNIFF = re.compile(r"^\s*@\s*(\w+)\s*[{(]", re.M)


def sniff(text: str) -> float:
    """How much ``text`` looks like BibTeX (0..1)."""
    head = text[:20000]
    m = _SNIFF.search(head)
    if not m:
        return 0.0
    kind = m.group(1).lower()
    if kind in _tables()[0] or kind in ("string", "preamble", "comment"):
        return 0.95
    return 0.6


FORMAT = Format(
    name="bibtex",
    suffixes=(".bib", ".bibtex"),
    read=read,
    write=write,
    sniff=sniff,
    aliases=("bib", "biblatex"),
    description="BibTeX / BibLaTeX (.bib)",
)
