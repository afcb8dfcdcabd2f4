"""Where a .bib text is split into blocks: the one module every bibkit consumer of .bib text uses.

- :func:`split` (the reader :mod:`bibkit.io.bibtex`, and through it the segment reader
  :mod:`bibkit.io.bibstream`): the blocks bibtexparser 2's splitter gives (entries with their
  raw fields, ``@string``, ``@preamble``, comments, failed blocks, exact line numbers), read
  with a regex fast path and bibtexparser's own splitter for the chunks it cannot decide;
- :func:`cuts`: where blocks starting a line begin; no block runs past one, in :func:`split`
  as in :class:`Scan`;
- :class:`Scan` (``bibkit check``, ``check --fix``, the streaming check): every block, its key,
  lines, the few raw fields the checks compare and any syntax error, read with BibTeX's own
  grammar (``@ article{``, ``%`` lines between fields) within the same cuts (no LaTeX, names or dates);
- :func:`blank_comment_lines` (the reader): ``%`` comment lines between fields blanked before
  :func:`split` reads the blocks;
- :func:`last_block_head`, :func:`count_lines`, :func:`trailing_white` (the segment reader):
  where a segment may end so that its blocks are the whole file's (a first-column cut), and
  the splitter's line count.

The block-start patterns differ on purpose: :data:`BLOCK_HEAD` and ``_CUT`` are where
bibtexparser's splitter starts a block, the check's ``_AT`` also finds ``@ type{`` and
``@type{`` later on a line to report it.
"""
from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from ..model import Date, Entry, Problem, Provenance

_ALLOW_RE = re.compile(r"^[ \t]*%+[ \t]*bibkit:[ \t]*allow-duplicates?\b(?P<keys>[^\n]*)$", re.M | re.I)
BLOCK_START_RE = re.compile(r"^[ \t]*@[ \t]*(?P<type>[A-Za-z][\w-]*)[ \t]*[{(]", re.M)
NON_ENTRY_TYPES = {"comment", "string", "preamble"}

def allow_groups(text: str) -> list[frozenset[str]]:
    if "bibkit:" not in text:
        return []
    groups = []
    for m in _ALLOW_RE.finditer(text):
        keys = [k for k in re.split(r"[\s,;]+", m.group("keys")) if k]
        if keys:
            groups.append(frozenset(k.casefold() for k in keys))
    return groups



# -- block starts, as bibtexparser's splitter sees them (the reader and the segment reader)
_COMMENT_LINE = re.compile(r"^[ \t]*%[^\n]*", re.M)
BLOCK_HEAD = re.compile(r"^[ \t]*@[\w]*[ \t]*[{(]", re.M)
_SCAN = re.compile(r'[{}"\\]')
_AT_BLOCK = re.compile(r"@\w*[ \t]*[{(]")


def _head_before(text: str, pos: int) -> int:
    """End of the ``@type{`` of the last block starting (at a line start) before ``pos``; -1 if none."""
    i = text.rfind("\n@", 0, pos)
    start = i + 1 if i >= 0 else (0 if text.startswith("@") else -1)
    if start < 0:
        return -1
    m = BLOCK_HEAD.match(text, start)
    return m.end() if m else -1


def blank_comment_lines(text: str) -> tuple[str, list[int]]:
    """Replace ``%`` comment lines outside field values by spaces (same length, same lines).

    bibtexparser does not know ``%`` comments; a commented-out field would otherwise
    become part of a key or break the entry.  A ``%`` line inside a braced or quoted
    value is text and is kept.
    """
    if "%" not in text:
        return text, []
    matches = list(_COMMENT_LINE.finditer(text))
    if not matches:
        return text, []
    blanked: list[int] = []
    line, counted = 0, 0
    first = BLOCK_HEAD.search(text)
    if (first is None or matches[-1].start() < first.start()) and not any(
            _AT_BLOCK.search(m.group()) for m in matches):
        return text, []  # all comment lines come before the first block and hide no block start
    pieces: list[str] = []
    last = 0
    cur_head, pos, depth, inq, closed = -1, 0, 0, False, False
    for m in matches:
        head = _head_before(text, m.start())
        blank = False
        inside = False
        if 0 <= head <= m.start():
            if head != cur_head:
                cur_head, pos, depth, inq, closed = head, head, 1, False, False
            if not closed:
                for s in _SCAN.finditer(text, pos, m.start()):
                    ch = s.group()
                    if ch == "\\":
                        continue
                    if s.start() > 0 and text[s.start() - 1] == "\\":
                        continue
                    if ch == "{":
                        depth += 1
                    elif ch == "}":
                        depth -= 1
                        if depth == 0:
                            closed = True
                            break
                    elif depth == 1:
                        inq = not inq
                inside = not closed
                blank = inside and depth == 1 and not inq
            pos = m.end() if blank else m.start()
        if blank:
            replacement = " " * (m.end() - m.start())
        elif not inside and _AT_BLOCK.search(m.group()):
            # a commented-out block start outside entries: hide the @ only (the comment stays a comment)
            replacement = _AT_BLOCK.sub(lambda a: " " + a.group()[1:], m.group())
        else:
            continue
        line += text.count("\n", counted, m.start())
        counted = m.start()
        blanked.append(line)
        pieces.append(text[last:m.start()])
        pieces.append(replacement)
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces), blanked


_SEGMENT_HEAD = re.compile(r"\n@\w*[ \t]*[{(]")


def trailing_white(text: str) -> str:
    """The white space ``text`` ends with (what separates its last block from the next segment's first)."""
    i = len(text)
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[i:]


def count_lines(text: str, end: int) -> int:
    """Newlines in ``text[:end]`` as bibtexparser counts them (a newline after a backslash is not a mark)."""
    n = text.count("\n", 0, end)
    if "\\\n" in text:
        n -= text.count("\\\n", 0, end)
    return n


def last_block_head(buf: str) -> int:
    """Where the last block of ``buf`` starting in the first column begins (as bibtexparser's splitter
    starts one: ``@type{`` or ``@type(`` after a newline); -1 if none."""
    i = buf.rfind("\n@")
    while i >= 0:
        if _SEGMENT_HEAD.match(buf, i):
            return i + 1
        i = buf.rfind("\n@", 0, i)
    return -1


# -- the block splitter (the reader and the segment reader) ---------------------------------
# bibtexparser's splitter walks the text mark by mark ({ } " , = newline and ``@type{``) in
# Python: two thirds of ``bibkit.load``.  :func:`split` gives the same blocks faster.  A block
# never runs past a ``@type{`` at the start of a line (bibtexparser aborts a block there and
# starts a new one; at the top level it starts one anyway), so the text is cut at those
# ``@``s into chunks that bibtexparser would split the same way alone.  A chunk holding one
# well-formed ``{}`` block (and only text after it) is read here with one regular expression
# per field, following bibtexparser's marks exactly (a mark after a backslash is no mark, no
# brace counts inside quotes, no quote inside braces); any other chunk is given to
# bibtexparser's own splitter, with the next chunk's ``@type{`` after it so that it stops
# as it does in the whole text.
ENTRY, STRING, PREAMBLE, COMMENT, IMPLICIT, FAILED = "entry", "string", "preamble", "comment", "implicit", "failed"
_MARK_START = re.compile(r"@\w*[ \t]*(?=[{(])")  # bibtexparser's block-start mark
# one at the start of a line, after white space (the text's first line apart: faster than ^ with re.M)
_CUT = re.compile(r"\n[^\S\n]*(@\w*[ \t]*)(?=[{(])")
_CUT_FIRST = re.compile(r"[^\S\n]*(@\w*[ \t]*)(?=[{(])")


def _marked(depth: int) -> str:
    """The inside of a braced group as bibtexparser counts braces (nesting up to ``depth``
    levels; a brace or quote after a backslash is text), as unrolled loops (no bad backtracking)."""
    inner = r"[^{}\\]*(?:\\+[^\\][^{}\\]*)*"
    for _ in range(depth):
        inner = r"[^{}\\]*(?:(?:\\+[^\\]|\{" + inner + r"\})[^{}\\]*)*"
    return inner


_IN_BRACES = _marked(8)
_BRACED_M = r"\{" + _IN_BRACES + r"\}"
_QUOTED_M = r'"[^"\\]*(?:\\+[^\\][^"\\]*)*"'
_VALUE_M = r'[^{}",\\]*(?:(?:\\+[^\\]|' + _BRACED_M + "|" + _QUOTED_M + r')[^{}",\\]*)*'
_NAME_M = r'[^{}",=\\@]*'  # a key or field name: no mark (and, to be safe, no @ or backslash)
_KEY_M = re.compile("(" + _NAME_M + r")([,}])")
_FIELD_M = re.compile("(" + _NAME_M + ")=(" + _VALUE_M + r")([,}])")
_FIELDS_END_M = re.compile(r"\s*\}")
_STRING_KEY_M = re.compile("(" + _NAME_M + ")=")
_BODY_M = re.compile(_IN_BRACES + r"\}")


@dataclass(slots=True)
class RawBlock:
    """One block as bibtexparser's splitter gives it: ``kind`` (:data:`ENTRY`, :data:`STRING`,
    :data:`PREAMBLE`, :data:`COMMENT`, :data:`IMPLICIT` comment or :data:`FAILED`), ``line``
    (0-based, counted as bibtexparser counts: a newline after a backslash is not counted),
    ``raw`` text; an entry's ``etype`` (lower case), ``key`` and ``fields`` (name, value as
    written, 0-based line of its ``=``), ``dup_fields`` (a field name given twice);
    a string's ``key`` and ``value``; ``dup_key``: an entry or string key seen before (bibtexparser's
    DuplicateBlockKeyBlock); a failed block's ``reason``."""

    kind: str
    line: int
    raw: str
    etype: str = ""
    key: str = ""
    fields: list[tuple[str, str, int]] = field(default_factory=list)
    value: str = ""
    reason: str = ""
    dup_fields: bool = False
    dup_key: bool = False


def _counted(text: str, start: int, end: int, escaped: bool = True) -> int:
    """Newlines in ``text[start:end]`` bibtexparser counts (not one after a backslash; ``escaped``:
    the text may hold one)."""
    n = text.count("\n", start, end)
    if n and escaped:
        n -= text.count("\\\n", start, end)
    return n


def _fast_chunk(text: str, a: int, b: int, line: int, escaped: bool) -> list[RawBlock] | None:
    """The blocks of ``text[a:b]`` (a ``{}`` block starting at ``a`` and text without block starts after
    it) read here; None when bibtexparser's splitter must read the chunk."""
    m = _MARK_START.match(text, a)
    if m is None or text[m.end()] != "{":
        return None
    mval = m.group().lower()
    body = m.end() + 1
    out: list[RawBlock] = []
    if mval.startswith(("@comment", "@preamble")):
        close = _BODY_M.match(text, body, b)
        if close is None:
            return None
        end = close.end()
        kind = COMMENT if mval.startswith("@comment") else PREAMBLE
        value = text[body:end - 1]
        # bibtexparser strips an explicit comment's text (a preamble's it keeps as written)
        out.append(RawBlock(kind, line, text[a:end], value=value.strip() if kind == COMMENT else value))
    elif mval.startswith("@string"):
        eq = _STRING_KEY_M.match(text, body, b)
        close = _BODY_M.match(text, eq.end(), b) if eq is not None else None
        if eq is None or close is None:
            return None
        end = close.end()
        out.append(RawBlock(STRING, line, text[a:end], key=eq.group(1).strip(),
                            value=text[eq.end():end - 1].strip()))
    else:
        if text.find('{"}', a, b) >= 0:  # bibtexparser's {"} inside quotes: leave it to it
            return None
        km = _KEY_M.match(text, body, b)
        if km is None:
            return None
        fields: list[tuple[str, str, int]] = []
        names: set[str] = set()
        dup = False
        end = km.end()
        if km.group(2) == ",":
            pos, at, at_line = end, a, line
            match = _FIELD_M.match
            while True:
                f = match(text, pos, b)
                if f is None:
                    t = _FIELDS_END_M.match(text, pos, b)
                    if t is None:
                        return None
                    end = t.end()
                    break
                sign = f.end(1)
                at_line += _counted(text, at, sign, escaped)
                at = sign
                name = f.group(1).strip()
                if name in names:
                    dup = True
                names.add(name)
                fields.append((name, f.group(2).strip(), at_line))
                pos = f.end()
                if f.group(3) == "}":
                    end = pos
                    break
        out.append(RawBlock(ENTRY, line, text[a:end], etype=mval[1:].strip(), key=km.group(1).strip(),
                            fields=fields, dup_fields=dup))
    if end < b:
        if _MARK_START.search(text, end, b) is not None:
            return None
        rest = text[end:b]
        comment = rest.strip()
        if comment:
            lead = len(rest) - len(rest.lstrip())
            first = line + _counted(text, a, end - 1, escaped) + rest.count("\n", 0, lead)
            out.append(RawBlock(IMPLICIT, first, comment))
    return out


def _splitter_chunk(text: str, a: int, b: int, line: int) -> list[RawBlock]:
    """The blocks of ``text[a:b]`` from bibtexparser's splitter (with the next chunk's ``@type{``
    after it, so that a block open at ``b`` stops as in the whole text; that head's block is dropped)."""
    from bibtexparser import model as bm
    from bibtexparser.splitter import Splitter

    head = ""
    if b < len(text):
        hm = _MARK_START.match(text, b)
        head = text[b:hm.end() + 1] if hm is not None else ""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        blocks = Splitter(text[a:b] + head).split().blocks
    finally:
        logger.setLevel(level)
    if head:
        blocks = blocks[:-1]
    return [_from_model(blk, line, bm) for blk in blocks]


def _from_model(blk: Any, line: int, bm: Any) -> RawBlock:
    """A bibtexparser block as a :class:`RawBlock` (lines shifted by ``line``)."""
    if isinstance(blk, bm.DuplicateBlockKeyBlock):  # the key check is split()'s, over the whole text
        blk = blk.ignore_error_block
    dup_fields = isinstance(blk, bm.DuplicateFieldKeyBlock)
    if dup_fields:
        blk = blk.ignore_error_block
    start = (blk.start_line or 0) + line
    raw = blk.raw or ""
    if isinstance(blk, bm.Entry):
        fields = [(f._key, f._value, (f._start_line if f._start_line is not None else blk.start_line or 0) + line)
                  for f in blk.fields]
        return RawBlock(ENTRY, start, raw, etype=blk.entry_type, key=blk.key, fields=fields, dup_fields=dup_fields)
    if isinstance(blk, bm.String):
        return RawBlock(STRING, start, raw, key=blk.key, value=blk.value)
    if isinstance(blk, bm.Preamble):
        return RawBlock(PREAMBLE, start, raw, value=blk.value)
    if isinstance(blk, bm.ExplicitComment):
        return RawBlock(COMMENT, start, raw, value=blk.comment)
    if isinstance(blk, bm.ImplicitComment):
        return RawBlock(IMPLICIT, start, raw)
    error = getattr(blk, "error", None)
    return RawBlock(FAILED, start, raw, reason=getattr(error, "abort_reason", None) or str(error))


def _keyed(blocks: Iterator[RawBlock]) -> Iterator[RawBlock]:
    """Mark entries and strings whose key came before (``dup_key``), as bibtexparser's library does:
    keys compared as written; an entry with a field given twice does not take its key."""
    entries: set[str] = set()
    strings: set[str] = set()
    for blk in blocks:
        if blk.kind == ENTRY and not blk.dup_fields:
            seen = entries
        elif blk.kind == STRING:
            seen = strings
        else:
            yield blk
            continue
        if blk.key in seen:
            blk.dup_key = True
        else:
            seen.add(blk.key)
        yield blk


def split(text: str) -> Iterator[RawBlock]:
    """The blocks of a .bib text as bibtexparser 2's splitter gives them (see :class:`RawBlock`)."""
    return _keyed(_chunks(text))


def cuts(text: str) -> list[int]:
    """Where the blocks that start a line (after white space) begin: no block runs past one, in
    :func:`split` (the reader) as in :class:`Scan` (the check)."""
    first = _CUT_FIRST.match(text)
    out = [first.start(1)] if first is not None else []
    out += [m.start(1) for m in _CUT.finditer(text)]
    return out


def _chunks(text: str) -> Iterator[RawBlock]:
    starts = cuts(text)
    n = len(text)
    first = starts[0] if starts else n
    if first and not text[:first].isspace():
        yield from _splitter_chunk(text, 0, first, 0)
    escaped = "\\\n" in text
    line, at = _counted(text, 0, first, escaped), first
    for i, a in enumerate(starts):
        b = starts[i + 1] if i + 1 < len(starts) else n
        line += _counted(text, at, a, escaped)
        at = a
        blocks = _fast_chunk(text, a, b, line, escaped)
        yield from blocks if blocks is not None else _splitter_chunk(text, a, b, line)


def split_whole(text: str) -> Iterator[RawBlock]:
    """:func:`split` done by bibtexparser's splitter over the whole text (slow; for tests)."""
    return _keyed(iter(_splitter_chunk(text, 0, len(text), 0)))


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
FIELD_NEXT = re.compile(_WS + "," + _WS + r"([^\s=,{}\"#()%]+)" + _WS + "=" + _WS + "(" + _PART + "(?:" + _WS + "#"
                         + _WS + _PART + ")*)", re.M)
KEY_FAST = re.compile(_WS + r"([^\s,{}()=\"#%]+)", re.M)
TAIL = re.compile(_WS + "(?:," + _WS + r")?\}", re.M)
_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])")
_CLOSE_OR_BLOCK = re.compile(r"[{}]|\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]|(?<=\n)[ \t]*%[^\n]*")
_CONCAT = re.compile(_PART)
_QUOTES = frozenset('{"')
# a conflict marker git leaves: <<<<<<< ours, ||||||| base, =======, >>>>>>> theirs
_CONFLICT = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?=[ \t\r]|$)", re.M)
# a field line outside any block (the start of a line, not a % comment)
_STRAY_FIELD = re.compile(r"^[ \t]*([A-Za-z][\w:.+-]*)[ \t]*=[ \t]*[{\"\d]", re.M)
_WANTED = frozenset({
    "title", "author", "editor", "year", "date", "doi", "eprint", "archiveprefix", "eprinttype", "isbn",
    "journal", "journaltitle", "booktitle", "publisher", "volume", "number", "issue", "pages", "url",
    "howpublished", "type", "pubstate", "crossref", "note"})
_YEAR = re.compile(r"\d{4}")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Rec:
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
        from ..names import parse_names, split_and

        first = split_and(self.author)[:1] if self.author else []
        names = parse_names(first[0]) if first else []
        return (names[0].family or names[0].literal) if names and not names[0].is_others else None

    def to_entry(self) -> Entry:
        """A real Entry (LaTeX decoded, names parsed) for the deduplicator."""
        from ..latex import decode
        from ..names import parse_names

        return Entry(
            type=self.type, key=self.key, title=decode(self.title) if self.title else None,
            author=parse_names(self.author) if self.author else [],
            issued=Date(self.year) if self.year else None, container_title=self.container_title,
            publisher=self.publisher, volume=self.volume, issue=self.issue, number=self.number, page=self.page,
            doi=self.doi, isbn=self.isbn, arxiv=self.arxiv, genre=self.genre, status=self.status, url=self.url,
            note=self.note,
            provenance=[Provenance(self.source, self.start, self.end, record_id=self.key, fmt="bibtex")])



class ScanProblem(Problem):
    """A Problem with the column where the scanner stopped and, when it is not the default
    for its severity (BK001 errors, BK003 warnings), the check's code."""

    def __init__(self, source: str, line: int, col: int, message: str, severity: str = "error",
                 code: str | None = None):
        super().__init__(source, line, message, severity)
        self.col = col
        self.code = code


class Scan:
    """Blocks of one .bib text: entries (key, lines, raw wanted fields) and syntax errors."""

    def __init__(self, text: str, source: str, macros: dict[str, str] | None = None):
        self.text = text
        self.source = source
        self.macros: dict[str, str] = {m: m for m in MONTHS} if macros is None else macros
        self.entries: list[Rec] = []
        self.problems: list[Problem] = []
        self._pos, self._line = 0, 1  # positions are asked for mostly in increasing order
        self._cuts: list[int] = []

    def line(self, pos: int) -> int:
        if pos < self._pos:
            self._pos, self._line = 0, 1
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line

    def col(self, pos: int) -> int:
        return pos - self.text.rfind("\n", 0, pos)

    def error(self, pos: int, message: str, severity: str = "error", code: str | None = None) -> None:
        self.problems.append(ScanProblem(self.source, self.line(pos), self.col(pos), message, severity, code))

    def run(self) -> Scan:
        text, pos = self.text, 0
        self._cuts = cuts(text)
        while True:
            m = _AT.search(text, pos)
            gap_end = len(text) if m is None else m.start()
            if text.find("=", pos, gap_end) >= 0:  # text between blocks: BibTeX ignores it
                self.stray_fields(pos, gap_end)
            if m is None:
                break
            line_start = text.rfind("\n", 0, m.start()) + 1
            if "%" in text[line_start:m.start()]:  # a commented-out line
                nl = text.find("\n", m.end())
                pos = nl if nl >= 0 else len(text)
                continue
            pos = self.block(m)
        if "<<<<<<<" in text or ">>>>>>>" in text:
            for c in _CONFLICT.finditer(text):
                self.error(c.start(), f"merge-conflict marker {c.group(1)!r}: an unresolved merge (both sides are "
                           "read, or neither)", code="BK004")
        return self

    def stray_fields(self, pos: int, end: int) -> None:
        """Report ``name = value`` lines outside any block (an entry whose ``@type{key,`` line
        was deleted), once per stretch of text."""
        f = _STRAY_FIELD.search(self.text, pos, end)
        if f is not None:
            self.error(f.start(1), f"{f.group(1)!r} = ... outside any entry (BibTeX ignores it): an entry whose "
                       "'@type{key,' line is missing?", code="BK005")

    def undefined(self, raw: str, pos: int, where: str) -> None:
        """Warn about each undefined @string macro in the raw value starting at ``pos``."""
        if raw.isdigit():
            return
        for part in _CONCAT.finditer(raw):
            word = part.group()
            if word[0] not in "{\"" and not word.isdigit() and word.lower() not in self.macros:
                self.error(pos + part.start(), f"{where}: undefined @string macro {word!r} (BibTeX reads it as "
                           "empty)", "warning", code="BK003")

    def block(self, m: re.Match[str]) -> int:
        """Read the block starting at ``m``; the position after it."""
        text = self.text
        kind, opener = m.group(1).lower(), m.group(2)
        start, body = m.start(), m.end()
        if opener == "{" and kind not in NON_ENTRY_TYPES:  # the fast path: a well-formed entry
            # that ends before the next block starting a line, as the reader's blocks do (see split)
            i = bisect.bisect_right(self._cuts, start)
            limit = self._cuts[i] if i < len(self._cuts) else len(text)
            km = KEY_FAST.match(text, body, limit)
            if km is not None:
                key, pos, fields = km.group(1), km.end(), {}
                match, macros = FIELD_NEXT.match, self.macros
                mark = len(self.problems)
                while (f := match(text, pos, limit)) is not None:
                    pos = f.end()
                    name, raw = f.group(1).lower(), f.group(2)
                    if raw[0] in _QUOTES:
                        if "#" in raw:
                            self.undefined(raw, f.start(2), f"@{m.group(1)}{{{key}: field {name!r}")
                    elif not raw.isdigit() and raw.lower() not in macros:
                        self.undefined(raw, f.start(2), f"@{m.group(1)}{{{key}: field {name!r}")
                    if name in _WANTED:
                        if name in fields:
                            self.error(f.start(1), f"@{m.group(1)}{{{key}: field {name!r} given twice", "warning")
                        else:
                            fields[name] = raw
                tail = TAIL.match(text, pos, limit)
                if tail is not None:
                    self.add(kind, key, start, tail.end(), fields, km.start(1))
                    return tail.end()
                del self.problems[mark:]  # the slow path reads the block again and says what it finds
        end, problem = self.close(body, opener)
        if problem is not None:
            where = f"@{m.group(1)} at line {self.line(start)}"
            self.error(start, f"{where}: {problem}")
            if kind not in NON_ENTRY_TYPES:
                key = _slow()["key"].match(text, body, len(text))
                if key and key.group(1):  # still take part in the key check
                    self.add(kind, key.group(1), start, end, {}, key.start(1))
            return end
        inner_end = end - 1
        if kind == "comment" or kind == "preamble":
            return end
        if kind == "string":
            for name, value, _, at in self.fields(body, inner_end, start):
                if value[0] not in "{\"" or "#" in value:
                    self.undefined(value, at, f"@string {name!r}")
                self.macros[name] = self.value(value)
            return end
        key = _slow()["key"].match(text, body, inner_end)
        if key is None or not key.group(1):
            self.error(start, f"@{m.group(1)} at line {self.line(start)}: no citation key")
            return end
        fields = {}
        for name, value, at, value_at in self.fields(key.end(), inner_end, start):
            if value[0] not in "{\"" or "#" in value:
                self.undefined(value, value_at, f"@{m.group(1)}{{{key.group(1)}: field {name!r}")
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

    def fields(self, pos: int, end: int, start: int) -> Iterator[tuple[str, str, int, int]]:
        """(lower-case name, raw value, position of the name, of the value) of each field."""
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
            yield f.group(1).lower(), f.group(2), f.start(1), f.start(2)
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
        self.entries.append(Rec(
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
    from .bibtex import csl_type

    return csl_type(bib_type)[0]
