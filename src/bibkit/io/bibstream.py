"""Reading a big .bib file in segments, with the result of reading it whole.

The file is cut into segments of about ``SEGMENT_CHARS`` characters, always just before a line
that starts (in the first column) with ``@type{`` or ``@type(``: the splitter
(:func:`bibkit.io.scan.split`, as bibtexparser's) starts a new block at every such line whatever
state it is in, so the blocks of the segments are the blocks of the whole file. Each segment is
read by the BibTeX reader with the state the segments before it left (``@string`` macros,
comments waiting for the next entry, whether an entry was seen); line numbers are shifted to the
file's; a citation key or ``@string`` name already seen in an earlier segment gets the
whole-file reader's duplicate warning, at the same place among the problems. Crossref
inheritance needs the whole file (a parent usually comes after its children): segments report
their children and :func:`resolve_crossrefs` does the rest.

Segments may be read in worker processes (``workers=2``); a segment that may define
``@string`` macros is read before any later one is handed out.

>>> import os, tempfile
>>> d = tempfile.mkdtemp(); p = os.path.join(d, "a.bib")
>>> _ = open(p, "w").write("@string{j = {J. Test}}\\n@article{a, title={One}, journal=j}\\n"
...                        "% about b\\n@article{b, title={Two}}\\n@article{a, title={Three}}\\n")
>>> res = load_streamed(p, size=40)
>>> [(e.key, e.container_title, e.provenance[0].line_start) for e in res.entries]
[('a', 'J. Test', 2), ('b', None, 4), ('a', None, 5)]
>>> [(x.line, x.message) for x in res.problems]
[(5, "duplicate citation key 'a'")]
"""

from __future__ import annotations

import codecs
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Entry, Problem, ReadResult
from .bibtex import MONTH_NAMES, MONTHS, _Reader, join_comments
from .scan import RawBlock, count_lines, last_block_head, trailing_white

#: characters of text per segment (a segment only ends before a block start, so it may be longer)
SEGMENT_CHARS = 1 << 20

_STRING_DEF = re.compile(r"@\s*string", re.I)


def streamable(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a UTF-8 file (with or without BOM): the case the segment reader
    decodes exactly as :func:`bibkit.fsio.read_text` does.  Other encodings (detected, or named
    by ``--encoding``) are read whole."""
    from ..fsio import default_encoding

    if default_encoding() not in (None, "utf-8"):
        return False
    try:
        with open(path, "rb") as fh:
            if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                return False
            fh.seek(0)
            dec = codecs.getincrementaldecoder("utf-8")()
            while chunk := fh.read(1 << 24):
                dec.decode(chunk)
            dec.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return True


def segments(path: str | os.PathLike[str], size: int = SEGMENT_CHARS, reader: bool = True
             ) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of each segment of a UTF-8 file; ``line``: 0-based number of its first line
    as bibtexparser counts lines (a newline after a backslash is not counted).

    The text is what :func:`bibkit.io.bibtex.read` would see: BOMs stripped as
    ``read_text`` and ``read`` do, NUL characters replaced by spaces (``reader=False``: what
    ``read_text`` gives, one BOM stripped).
    """
    dec = codecs.getincrementaldecoder("utf-8")()
    buf, line, first = "", 0, True
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(size)
            text = dec.decode(chunk, final=not chunk)
            if first and (text or not chunk):
                first = False
                if chunk.startswith(b"\xef\xbb\xbf"):  # read_text strips a UTF-8 BOM, then read() one more
                    text = text[1:]
                if reader and text.startswith("\ufeff"):
                    text = text[1:]
            if reader and "\x00" in text:
                text = text.replace("\x00", " ")
            buf += text
            if not chunk:
                break
            if len(buf) < size:
                continue
            cut = last_block_head(buf)
            if cut > 0:
                yield line, buf[:cut]
                line += count_lines(buf, cut)
                buf = buf[cut:]
    if buf:
        yield line, buf


class _SegmentReader(_Reader):
    """The BibTeX reader on one segment, noting the first entry and @string of each key."""

    def __init__(self, text: str, source: str, macros: dict[str, str], user_macros: set[str], seen_entry: bool,
                 carry: str = ""):
        super().__init__(text, source)
        self.carry = carry
        self.macros = macros
        self.user_macros = user_macros
        self.seen_entry = seen_entry
        self.entry_keys: set[str] = set()
        self.string_keys: set[str] = set()
        self.firsts: list[tuple[str, str, int, int]] = []  # (kind, key, line, problems before it)
        # the value cache of evaluate() spans the whole file (a warning is given once per value until
        # the next @string): its misses and clears, in order, for the caller to replay
        self.evals: list[tuple[str | None, int, int]] = []  # (raw or None for a clear, first, end problem)
        self.in_recover = False

    def evaluate(self, raw: str, line: int | None) -> str:
        cache = self._eval_cache
        if raw in cache:
            return cache[raw]
        start = len(self.result.problems)
        text = super().evaluate(raw, line)
        if raw in cache:
            self.evals.append((raw, start, len(self.result.problems)))
        return text

    def entry(self, block: RawBlock, line0: int, mtext: str, duplicate_fields: bool = False) -> None:
        if not duplicate_fields and block.key not in self.entry_keys:
            self.entry_keys.add(block.key)
            self.firsts.append(("entry", block.key, line0 + 1, len(self.result.problems)))
        super().entry(block, line0, mtext, duplicate_fields)

    def string(self, key: str, value: str, line: int, raw: str) -> None:
        if not self.in_recover and key not in self.string_keys:
            self.string_keys.add(key)
            self.firsts.append(("string", key, line, len(self.result.problems)))
        super().string(key, value, line, raw)
        self.evals.append((None, 0, 0))

    def recover(self, raw: str, line0: int, reason: str) -> bool:
        self.in_recover = True
        try:
            return super().recover(raw, line0, reason)
        finally:
            self.in_recover = False


@dataclass
class Segment:
    """What one segment gave: a payload per entry (the entry itself unless a payload function
    was given), its problems (lines are the file's), and its entries with a ``crossref``."""

    line: int
    payloads: list[Any]
    problems: list[Problem]
    crossrefs: list[int] = field(default_factory=list)  # indices (in this segment) of entries with crossref
    # internal: the reader state it leaves, and the first entry/@string of each key
    macros: dict[str, str] | None = None
    user_macros: set[str] | None = None
    pending: list[str] = field(default_factory=list)
    seen_entry: bool = False
    firsts: list[tuple[str, str, int, int]] = field(default_factory=list)
    evals: list[tuple[str | None, int, int]] = field(default_factory=list)


def _read_segment(task: tuple) -> Segment:
    line, text, source, macros, user_macros, seen_entry, carry, payload = task
    reader = _SegmentReader(text, source, macros, user_macros, seen_entry, carry)
    res = reader.run(final=False)
    crossrefs = []
    for j, e in enumerate(res.entries):
        for p in e.provenance:
            if p.line_start is not None:
                p.line_start += line
            if p.line_end is not None:
                p.line_end += line
        memo = e.origin.get("bibtex")
        if memo is not None and line:
            memo["lines"] = [x + line for x in memo["lines"]]
        if e.extra.get("crossref"):
            crossrefs.append(j)
    for prob in res.problems:
        if prob.line is not None:
            prob.line += line
    pending = reader.pending
    payloads = res.entries if payload is None else [payload(e) for e in res.entries]
    firsts = [(kind, key, ln + line, pos) for kind, key, ln, pos in reader.firsts]
    return Segment(line, payloads, res.problems, crossrefs, reader.macros, reader.user_macros, pending,
                   reader.seen_entry, firsts, reader.evals)


_POOL_STATE: dict = {}


def _pool_read(task: tuple) -> Segment:
    return _read_segment((*task, _POOL_STATE.get("payload")))


def read_segments(path: str | os.PathLike[str], source: str | None = None, *,
                  payload: Callable[[Entry], Any] | None = None,
                  repayload: Callable[[Any, Callable[[Entry], None]], Any] | None = None,
                  workers: int = 1, size: int = SEGMENT_CHARS, shared: dict[str, str] | None = None
                  ) -> Iterator[Segment]:
    """The segments of a UTF-8 .bib file, read in order (see the module doc).

    ``shared``: the ``@string`` definitions of the files read before (see :func:`bibkit.io.bibtex.read`);
    this file's are added to it.

    ``payload(entry)``: what to keep of each entry (computed in the worker); when a
    comment before the first entry of a segment belongs to the previous segment's tail,
    ``repayload(old_payload, fix)`` must return the payload of the entry after ``fix(entry)``
    (with no ``payload``, the entries themselves are fixed).
    """
    source = os.fspath(path) if source is None else source
    macros: dict[str, str] = {m: MONTH_NAMES[i] for i, m in enumerate(MONTHS)}
    macros.update(shared or {})
    user_macros: set[str] = set()
    seen_entry = False
    carried: list[str] = []  # comments after the last entry so far, for the next entry
    known: dict[str, set[str]] = {"entry": set(), "string": set()}
    evaluated: set[str] = set()  # the whole-file reader's value cache (its keys)

    def finish(seg: Segment) -> Segment:
        nonlocal carried
        if shared is not None:
            shared.update((name, macros[name]) for name in user_macros)
        # warnings of values evaluated before (the whole-file reader caches them): dropped
        drop: set[int] = set()
        for raw, start, end in seg.evals:
            if raw is None:
                evaluated.clear()
            elif raw in evaluated:
                drop.update(range(start, end))
            else:
                evaluated.add(raw)
        # duplicate keys / @string names across segments: the warning the whole-file reader gives
        inserts: dict[int, list[Problem]] = {}
        for kind, key, line, pos in seg.firsts:
            if key in known[kind]:
                msg = (f"duplicate citation key {key!r}" if kind == "entry"
                       else f"@string {key!r} defined again; the new value is used")
                inserts.setdefault(pos, []).append(Problem(source, line, msg, "warning"))
            else:
                known[kind].add(key)
        if drop or inserts:
            problems = []
            for i, p in enumerate(seg.problems):
                problems += inserts.pop(i, [])
                if i not in drop:
                    problems.append(p)
            for rest in inserts.values():
                problems += rest
            seg.problems = problems
        seg.firsts, seg.evals = [], []
        if carried and seg.payloads:
            before = list(carried)

            def fix(e: Entry) -> None:
                join_comments(e.origin["bibtex"], before)

            if payload is None:
                fix(seg.payloads[0])
            else:
                assert repayload is not None, "repayload is needed with payload"
                seg.payloads[0] = repayload(seg.payloads[0], fix)
            carried = []
        carried = list(seg.pending) if seg.payloads else carried + list(seg.pending)
        return seg

    if workers < 2:
        carry = ""
        for line, text in segments(path, size):
            seg = _read_segment((line, text, source, macros, user_macros, seen_entry, carry, payload))
            carry = trailing_white(text)
            seen_entry = seg.seen_entry
            yield finish(seg)
        return
    from .._workers import worker_pool

    _POOL_STATE["payload"] = payload
    try:
        with worker_pool(workers) as pool:
            inflight: deque = deque()  # (async result, may define @string macros)

            def pop() -> Segment:
                nonlocal macros, user_macros, seen_entry
                seg = inflight.popleft()[0].get()
                macros, user_macros, seen_entry = seg.macros, seg.user_macros, seg.seen_entry
                return finish(seg)

            carry = ""
            for line, text in segments(path, size):
                # a later segment needs the macros and the seen-entry state: wait while they may change
                if inflight and (not seen_entry or any(s for _, s in inflight)):
                    while inflight:
                        yield pop()
                task = (line, text, source, macros, user_macros, seen_entry, carry)
                carry = trailing_white(text)
                inflight.append((pool.apply_async(_pool_read, (task,)), bool(_STRING_DEF.search(text))))
                while len(inflight) > 2 * workers or (inflight and inflight[0][0].ready()):
                    yield pop()
            while inflight:
                yield pop()
    finally:
        _POOL_STATE.clear()


def resolve_crossrefs(entries: list[Entry], source: str) -> list[Problem]:
    """BibTeX inheritance among ``entries`` (in file order: the children and, for each
    crossref key, the file's first entry with that key), as the whole-file reader does it."""
    reader = _Reader("", source)
    reader.result.entries = entries
    reader.crossrefs()
    return reader.result.problems


def load_streamed(path: str | os.PathLike[str], source: str | None = None, *, workers: int = 1,
                  size: int = SEGMENT_CHARS) -> ReadResult:
    """:func:`bibkit.load` of a UTF-8 .bib file, read in segments (for tests and small tools:
    the entries are all kept).  The preamble is not collected."""
    source = os.fspath(path) if source is None else source
    result = ReadResult()
    children: list[int] = []
    for seg in read_segments(path, source, workers=workers, size=size):
        base = len(result.entries)
        result.entries.extend(seg.payloads)
        result.problems.extend(seg.problems)
        children += [base + j for j in seg.crossrefs]
    if children:
        result.problems += resolve_crossrefs(result.entries, source)
    return result
