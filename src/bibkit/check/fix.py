"""``bibkit check --fix``: merge duplicate entries in place, touching no other line.

Only sure duplicates in one file are merged: the same key (``BK101``) and the same
DOI, arXiv id or ISBN under another key (``BK102``-``BK104``), when the deduplicator
judges the two entries one work.  The first entry is kept; the fields it lacks are
copied from the later one, as written there, on new lines before its closing brace;
the later entry's lines are removed.  When the keys differ, the removed key is added to
the kept entry as a biblatex ``ids`` alias so that ``\\cite{removed}`` still resolves
(biblatex; BibTeX ignores the field).  Two different works under one key are never
merged: the later one gets a new key (``smith2020b``).  Every change is one line of
:attr:`FixReport.changes`.  Title/author matches (``BK105``), preprint pairs
(``BK201``), identifiers shared by unrelated works (``BK106``) need a human and are left
alone, as are entries that share a line with other text.

A file without fixable duplicates is not written at all (an empty diff).

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "refs.bib")
>>> _ = open(p, "w").write(
...     "% my refs\\n@article{a,\\n  author = {Knuth, D. E.},\\n  title = {Literate Programming},\\n"
...     "  year = 1984\\n}\\n\\n@article{b,\\n  title = {Literate programming},\\n"
...     "  doi = {10.1234/x}\\n}\\n\\n@article{c, title = {Y}}\\n"
...     "@article{A,\\n  author = {Donald Knuth},\\n  title = {Literate programming.},\\n  doi = {10.1234/x},\\n"
...     "  pages = {1--2},\\n}\\n@misc{c, title = {Another work}}\\n")
>>> for change in fix_files([p], config=CheckConfig()).changes:
...     print(change.replace(p, "refs.bib"))
refs.bib:14: merged 'A' into 'a' at line 2 (BK101, one work; copied doi, pages)
refs.bib:20: renamed key 'c' to 'cb': a different work from 'c' at line 13
refs.bib:8: merged 'b' into 'a' at line 2 (BK102, one work; copied ids)
>>> print(open(p).read(), end="")
% my refs
@article{a,
  author = {Knuth, D. E.},
  title = {Literate Programming},
  year = 1984,
  doi = {10.1234/x},
  pages = {1--2},
  ids = {b},
}
<BLANKLINE>
@article{c, title = {Y}}
@misc{cb, title = {Another work}}
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..io.scan import FIELD_NEXT, KEY_FAST, TAIL, Rec, Scan
from .config import CheckConfig
from .findings import CheckReport, Finding
from .run import check_files

#: the codes --fix merges (when the deduplicator judges the two entries one work)
FIXABLE = frozenset({"BK101", "BK102", "BK103", "BK104"})


@dataclass
class FixReport:
    """What ``fix_files`` changed (``changes``: one line per merge or new key), and the
    check of the files afterwards."""

    merged: int = 0
    renamed: int = 0
    changed_files: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    after: CheckReport = field(default_factory=CheckReport)

    @property
    def exit_code(self) -> int:
        """1 when a file was changed or findings remain (pre-commit then shows the diff)."""
        return 1 if self.changed_files or self.after.exit_code else 0


def fix_files(paths: Iterable[str | os.PathLike[str]], *, strict: bool = False,
              config: CheckConfig | str | os.PathLike[str] | Mapping[str, Any] | None = None) -> FixReport:
    """Merge the fixable duplicates of each file in place, give the later of two different
    works sharing a key a new key; then check again."""
    from ..fsio import read_text, write_text_atomic

    names = [os.fspath(p) for p in paths]
    out = FixReport()
    report = check_files(names, strict=strict, config=config)
    origins: dict[str, list[int | None]] = {}  # line of a changed file -> its line in the file as given
    for _ in range(3):  # a merge can make the kept entry a duplicate of another one
        fixes: dict[str, list[Finding]] = {}
        for f in report.findings:
            if f.code in FIXABLE and f.also_at and f.also_at[0].path == f.path and (
                    f.same_work or (f.code == "BK101" and f.same_work is False)):
                fixes.setdefault(f.path, []).append(f)
        changed = False
        taken = _keys(names) if any(f.same_work is False for fs in fixes.values() for f in fs) else set()
        for name, findings in fixes.items():
            text = read_text(name)
            fix = _merge(text, name, findings, taken, origins.get(name))
            if fix.changes and fix.text != text:
                write_text_atomic(name, fix.text)
                origins[name] = fix.origin
                out.merged += fix.merged
                out.renamed += fix.renamed
                out.changes += fix.changes
                changed = True
                if name not in out.changed_files:
                    out.changed_files.append(name)
        if not changed:
            break
        report = check_files(names, strict=strict, config=config)
    out.after = report
    return out


def _keys(names: list[str]) -> set[str]:
    """The citation keys of the .bib files (folded), which a new key must not be."""
    from ..fsio import read_text

    return {r.key.casefold() for n in names if n.lower().endswith(".bib") for r in Scan(read_text(n), n).run().entries}


def _new_key(key: str, taken: set[str]) -> str:
    """``key`` with the first free letter (``smith2020b``, ``smith2020c``...), else a number."""
    for suffix in [*"bcdefghijklmnopqrstuvwxyz", *(f"-{n}" for n in range(2, 10_000))]:
        if (key + suffix).casefold() not in taken:
            taken.add((key + suffix).casefold())
            return key + suffix
    raise AssertionError("no free key")  # pragma: no cover - ten thousand copies of one key


@dataclass
class _Fixed:
    text: str
    origin: list[int | None] = field(default_factory=list)  # line (0-based) -> line in the file as given
    merged: int = 0
    renamed: int = 0
    changes: list[str] = field(default_factory=list)


def _merge(text: str, source: str, findings: list[Finding], taken: set[str],
           origin: list[int | None] | None = None) -> _Fixed:
    recs = {r.line: r for r in Scan(text, source).run().entries}
    lines = text.splitlines(keepends=True)
    given = origin or list(range(1, len(lines) + 1))

    def at(line: int) -> str:  # lines are named as in the file given (an entry's lines are all from there)
        return f"{source}:{given[line - 1]}"

    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    removed: set[int] = set()  # 1-based lines to drop
    inserts: dict[int, list[str]] = {}  # before line (1-based) -> new lines
    comma_after: set[int] = set()  # lines whose last field needs a trailing comma
    kept: dict[int, set[str]] = {}  # start line of a kept entry -> its field names
    dropped: set[int] = set()
    renames: dict[int, tuple[int, str, str]] = {}  # key line -> (column, old key, new key)
    out = _Fixed(text)
    for f in sorted(findings, key=lambda f: f.line or 0):
        b, a = recs.get(f.line), recs.get(f.also_at[0].line)
        if a is None or b is None or a.start in dropped or b.start in kept:
            continue
        if not f.same_work:  # two works under one key: the later one gets a new key, nothing is merged
            col = (b.col or 0) - 1
            if b.line in renames or lines[b.line - 1][col:col + len(b.key)] != b.key:
                continue  # not where the scanner saw it: left for a human
            renames[b.line] = (col, b.key, _new_key(b.key, taken))
            out.renamed += 1
            out.changes.append(f"{at(b.line)}: renamed key {b.key!r} to {renames[b.line][2]!r}: a different "
                               f"work from {a.key!r} at line {given[a.line - 1]}")
            continue
        a_parsed, b_parsed = _parse(text, offsets, a), _parse(text, offsets, b)
        if a_parsed is None or b_parsed is None:
            continue  # shares its lines with other text, or not well-formed: left for a human
        a_fields = kept.setdefault(a.start, {n for n, _ in a_parsed})
        new = [(n, v) for n, v in b_parsed if n not in a_fields]
        if b.key.casefold() != a.key.casefold():
            if "ids" in a_fields:
                continue  # would have to edit an existing ids list
            new.append(("ids", "{" + b.key + "}"))
        if new and lines[a.end - 1].strip() not in ("}", ")"):
            continue  # the closing brace shares its line with a field: left for a human
        a_fields.update(n for n, _ in new)
        if new:
            last = _last_field_line(lines, a)
            if last != a.start and not lines[last - 1].rstrip().endswith(","):
                comma_after.add(last)
            indent = _indent(lines, a)
            inserts.setdefault(a.end, []).extend(f"{indent}{n} = {v},\n" for n, v in new)
        start, end = b.start, b.end
        if (start == 1 or not lines[start - 2].strip()) and end < len(lines) and not lines[end].strip():
            end += 1  # the blank line that separated it
        elif end == len(lines) and start > 1 and not lines[start - 2].strip():
            start -= 1  # the last entry of the file: the blank line before it
        removed.update(range(start, end + 1))
        dropped.add(b.start)
        out.merged += 1
        copied = f"; copied {', '.join(n for n, _ in new)}" if new else ""
        out.changes.append(f"{at(b.line)}: merged {b.key!r} into {a.key!r} at line {given[a.line - 1]} "
                           f"({f.code}, one work{copied})")
    if not out.changes:
        return out
    for line_no, (col, old, new_key) in renames.items():
        line = lines[line_no - 1]
        lines[line_no - 1] = line[:col] + new_key + line[col + len(old):]
    if len(lines) in removed:  # the file's last entries went: so do the blank lines before them
        i = len(lines)
        while i - 1 in removed:
            i -= 1
        while i > 1 and not lines[i - 2].strip() and i - 1 not in inserts:
            i -= 1
            removed.add(i)
    kept_lines = []
    for i, line in enumerate(lines, start=1):
        kept_lines.extend(inserts.get(i, []))
        out.origin.extend([None] * len(inserts.get(i, [])))
        if i in removed:
            continue
        if i in comma_after:
            body = line.rstrip("\r\n")
            line = body + "," + line[len(body):]
        kept_lines.append(line)
        out.origin.append(given[i - 1])
    out.text = "".join(kept_lines)
    return out


def _parse(text: str, offsets: list[int], rec: Rec) -> list[tuple[str, str]] | None:
    """(lower-case name, value as written) of every field of an entry that has its lines
    to itself and is well-formed; None otherwise."""
    start, line_end = offsets[rec.start - 1], offsets[rec.end]
    at = text.find("@", start)
    if text[start:at].strip():
        return None
    opener = re.compile(r"@[ \t]*[A-Za-z][\w-]*[ \t]*\{").match(text, at)
    km = KEY_FAST.match(text, opener.end()) if opener else None
    if km is None:
        return None
    pos, out = km.end(), []
    while (f := FIELD_NEXT.match(text, pos)) is not None:
        pos = f.end()
        out.append((f.group(1).lower(), f.group(2)))
    tail = TAIL.match(text, pos)
    if tail is None or text[tail.end():line_end].strip():
        return None
    return out


def _indent(lines: list[str], rec: Rec) -> str:
    for line in lines[rec.start: rec.end - 1]:
        m = re.match(r"([ \t]+)[^\s%]", line)
        if m:
            return m.group(1)
    return "  "


def _last_field_line(lines: list[str], rec: Rec) -> int:
    for i in range(rec.end - 1, rec.start - 1, -1):
        body = lines[i - 1].strip()
        if body and not body.startswith("%") and body not in ("}", ")"):
            return i
    return rec.start
