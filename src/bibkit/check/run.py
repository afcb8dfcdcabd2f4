"""Reading the files given to one check and checking them together."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..io.scan import BLOCK_START_RE, MONTHS, NON_ENTRY_TYPES, Scan, allow_groups
from ..model import Problem, ReadResult
from .config import CheckConfig, load_config
from .findings import CheckReport, Finding, Item, duplicates, inherit, syntax_finding


def _read(path: str, macros: dict[str, str]) -> tuple[str, list[Any], list[Problem], bool]:
    """The text, its entries and problems, and whether the BibTeX scanner read it
    (other formats are read by their registered readers).  ``macros`` are the @string
    definitions of the files read before, as BibTeX carries them from file to file."""
    from ..fsio import read_text

    text = read_text(path)
    if path.lower().endswith(".bib") or path == "-" or not _other_format(text, path):
        scan = Scan(text, "<stdin>" if path == "-" else path, macros).run()
        return text, scan.entries, scan.problems, True
    result = _parse(text, path)
    return text, result.entries, result.problems, False


def _other_format(text: str, path: str) -> bool:
    from ..io.registry import format_for_suffix

    fmt = format_for_suffix(path)
    return fmt is not None and fmt.name != "bibtex"


def _parse(text: str, source: str) -> ReadResult:
    from ..io.registry import detect_format

    fmt = detect_format(text, source)
    reader: Any = fmt.read  # a profile reader also takes the page's owner
    return reader(text, source, owner=None) if fmt.is_profile else reader(text, source)


def _key_col(lines: list[str], line: int | None, key: str) -> int:
    """1-based column of the citation key on the entry's first line (1 when not found)."""
    if line is None or not 0 < line <= len(lines) or not key:
        return 1
    text = lines[line - 1]
    brace = max(text.find("{"), text.find("("))
    at = text.find(key, brace + 1 if brace >= 0 else 0)
    return at + 1 if at >= 0 else 1



def _unread_blocks(text: str, path: str, items: Sequence[Item], problems: Sequence[Problem]) -> Iterator[int]:
    """Lines of ``@type{`` blocks for which the reader gave neither an entry nor a problem.

    A block spans from its ``@`` line to the line before the next block; it is
    accounted for when an entry starts or a problem is reported inside it.
    """
    starts = []
    line = 1
    pos = 0
    for m in BLOCK_START_RE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        starts.append((line, m.group("type").lower() not in NON_ENTRY_TYPES))
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
    for p in (os.fspath(x) for x in paths):  # a file given twice is read once (its entries are not duplicates)
        real = p if p == "-" else os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            names.append(p)
    report = CheckReport(files=names, strict=strict)
    findings: list[Finding] = []
    items: list[Item] = []
    allow = list(cfg.allow)
    macros: dict[str, str] = {m: m for m in MONTHS}
    from ..progress import staged
    from .stream import read_streamed, use_streaming

    streamed = use_streaming(names)
    if streamed:  # big .bib files: two streaming passes, only the entries that can be duplicates kept
        items, syntax, more_allow, count = read_streamed(names, macros, cfg.checks)
        findings += syntax
        allow += more_allow
    for name in staged("reading", [] if streamed else names, "files"):
        text, entries, problems, scanned = _read(name, macros)
        allow += allow_groups(text)
        file_items = []
        if scanned:
            file_items = [Item(len(items) + i, name, r.line, r.end, r.col, r) for i, r in enumerate(entries)]
        else:
            lines = text.splitlines()
            for e in entries:
                prov = next((p for p in e.provenance if p.line_start is not None), None)
                line = prov.line_start if prov else None
                end = prov.line_end if prov else None
                col = _key_col(lines, line, e.key or "")
                file_items.append(Item(len(items) + len(file_items), name, line, end, col, e))
        items += file_items
        if "syntax" in cfg.checks:
            findings += (syntax_finding(prob, name) for prob in problems)
            for line in [] if scanned else _unread_blocks(text, name, file_items, problems):
                findings.append(Finding(name, line, 1, "error", "BK002",
                                        "this block was not read (no entry, no error from the reader)"))
    report.entries = count if streamed else len(items)
    inherit(items)
    findings += duplicates(items, cfg, allow)
    findings = [f for f in findings if f.code not in cfg.ignore]
    if strict:
        for f in findings:
            f.severity = "error"
    order = {n: i for i, n in enumerate(names)}
    findings.sort(key=lambda f: (order.get(f.path, len(order)), f.line or 0, f.col or 0, f.code))
    report.findings = findings
    return report
