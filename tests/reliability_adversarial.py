"""Adversarial inputs for the readers and every regex in src/bibkit, run in a subprocess.

``python -m tests.reliability_adversarial readers`` / ``regexes`` prints one JSON line per
case: name, seconds, peak traced memory (MB), outcome.  The tests run it with a hard
timeout, so a hang is a failure and not a stuck suite.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "bibkit"

_RE_FUNCS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


def _peak_rss_mb() -> float:
    """This process's peak resident memory.  /proc's VmHWM starts afresh at exec; ru_maxrss does not (on
    Linux it keeps the forking parent's peak, so a big pytest process would be charged to its child)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def literal_patterns() -> list[tuple[str, str, int]]:
    """(where, pattern, flags) for every regex literal passed to ``re.*`` in src/bibkit."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCS and node.args):
                continue
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                continue
            flags = 0
            for kw in node.keywords:
                if kw.arg == "flags":
                    flags = _flags(kw.value)
            if node.func.attr == "compile" and len(node.args) > 1:
                flags = _flags(node.args[1])
            out.append((f"{path.relative_to(SRC.parent)}:{node.lineno}", arg.value, flags))
    return out


def _flags(node: ast.AST) -> int:
    try:
        return int(eval(compile(ast.Expression(node), "<flags>", "eval"), {"re": re}))  # re.I | re.M only
    except Exception:
        return 0


def shapes(pattern: str, n: int) -> list[str]:
    """Pathological subjects for a pattern: long runs of each character it names, then a misfit."""
    chars = set("a A1 .-,'\"{}\\\n\t(")
    chars.update(c for c in re.sub(r"\\[a-zA-Z]", "", pattern) if c.isprintable())
    subjects = []
    for c in sorted(chars):
        subjects.append(c * n + "\x00")
        subjects.append((c + " ") * (n // 2) + "\x00")
    subjects.append("Ab. " * (n // 4) + "!")
    subjects.append("a" * n + " and " + "a" * n)
    return subjects


def run_regexes(n: int = 3000, start: int = 0, limit: float = 0.5) -> None:
    """One JSON line per regex, from the ``start``-th; a line ``{"begin": i}`` comes before each one."""
    for i, (where, pattern, flags) in enumerate(literal_patterns()):
        if i < start:
            continue
        print(json.dumps({"begin": i, "name": where, "pattern": pattern[:80]}), flush=True)
        try:
            rx = re.compile(pattern, flags)
        except re.error:
            continue
        worst, worst_subject = 0.0, ""
        for subject in shapes(pattern, n):
            t = time.perf_counter()
            rx.search(subject)
            rx.findall(subject[: n // 2])
            dt = time.perf_counter() - t
            if dt > worst:
                worst, worst_subject = dt, subject[:12]
            if dt > limit:
                break
        print(json.dumps({"index": i, "name": where, "pattern": pattern[:80], "seconds": round(worst, 4),
                          "subject": worst_subject}), flush=True)


def _measure(name: str, fn: Callable[[], object], traced: bool = False) -> None:
    """Time ``fn``; memory as peak RSS of this process (cheap), or traced Python allocations."""


    if traced:
        tracemalloc.start()
    t = time.perf_counter()
    outcome = "ok"
    try:
        res = fn()
        outcome = f"ok: {len(getattr(res, 'entries', []))} entries, {len(getattr(res, 'problems', []))} problems"
    except Exception as exc:  # an InputError is an acceptable answer; anything else is reported
        from bibkit.errors import BibkitError

        outcome = ("input-error: " if isinstance(exc, BibkitError) else "CRASH: ") + f"{type(exc).__name__}: {exc}"
    dt = time.perf_counter() - t
    row = {"name": name, "seconds": round(dt, 3),
           "peak_rss_mb": _peak_rss_mb()}
    if traced:
        row["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    row["outcome"] = outcome[:200]
    print(json.dumps(row), flush=True)


def reader_cases(scale: float = 1.0) -> dict[str, tuple[str, str]]:
    """name -> (format, text)."""
    n = int(100_000 * scale)
    entry = "@article{k%d, author = {Doe, J. and Roe, R.}, title = {T %d}, journal = {J}, year = 2001}\n"
    item = '{"id": "k%d", "type": "book", "title": "T", "author": [{"family": "Doe"}]}'
    return {
        "bib-nested-braces": ("bibtex", "@article{k, title = " + "{" * n + "x" + "}" * n + "}"),
        "bib-unclosed-nested-braces": ("bibtex", "@article{k, title = " + "{" * n),
        "bib-10MB-single-line": ("bibtex", "@misc{k, note = {" + "ab cd " * int(1_750_000 * scale) + "}}"),
        "bib-10MB-no-structure": ("bibtex", "x" * int(10_000_000 * scale)),
        "bib-100k-entries": ("bibtex", "".join(entry % (i, i) for i in range(n))),
        "bib-100k-at-signs": ("bibtex", "@" * n),
        "bib-100k-authors": ("bibtex", "@book{k, author = {" + " and ".join(["Doe, J."] * n) + "}}"),
        "bib-100k-concat": ("bibtex", "@book{k, title = " + " # ".join(["{a}"] * n) + "}"),
        "bib-many-backslashes": ("bibtex", "@book{k, title = {" + "\\" * (n // 2 * 2) + "}}"),
        "bib-many-percent-lines": ("bibtex", "@book{k,\n" + "% c\n" * n + "title = {x}}"),
        "bib-100k-same-field": ("bibtex", "@book{k, " + "note = {x}, " * n + "}"),
        "csl-100k-items": ("csl-json", "[" + ",".join(item % i for i in range(n)) + "]"),
        "csl-deep-nesting": ("csl-json", "[" * n + "]" * n),
        "csl-deep-object": ("csl-json", '[{"type": "book", "title": ' + '{"a":' * n + "1" + "}" * n + "}]"),
        "csl-10MB-string": ("csl-json", '[{"type": "book", "title": "' + "x" * int(10_000_000 * scale) + '"}]'),
        "csl-100k-authors": ("csl-json", '[{"type": "book", "author": [' + ",".join(['{"family": "D"}'] * n) + "]}]"),
    }


def run_readers(scale: float = 1.0, only: str | None = None, traced: bool = False) -> None:
    from bibkit.io import bibtex, csljson

    readers = {"bibtex": bibtex.read, "csl-json": csljson.read}
    for name, (fmt, text) in reader_cases(scale).items():
        if only and only != name:
            continue
        _measure(name, lambda fmt=fmt, text=text, name=name: readers[fmt](text, name), traced)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "regexes":
        run_regexes(int(sys.argv[2]) if len(sys.argv) > 2 else 3000, int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        run_readers(float(sys.argv[2]) if len(sys.argv) > 2 else 1.0, sys.argv[3] if len(sys.argv) > 3 else None,
                    traced=os.environ.get("BIBKIT_TRACEMALLOC") == "1")
