"""Does a change to the BibTeX reader change what it reads?  Loads every .bib file of
../shared/data/bib with two source trees and compares, per file: each entry (key, type, every
model field, extra, provenance lines, origin["bibtex"] raw/fields/lines/lead/before/gap), every
problem (line, severity, message) and the preamble blocks (text and lead); then the same through
the segment reader (small segments, so that files are cut many times).

Run: ``python benchmarks/compare_reader.py OLD_SRC [NEW_SRC]`` (NEW_SRC defaults to this
checkout's src), e.g. with OLD_SRC from ``git archive main src | tar -x -C /tmp/old``.
Exits 1 when anything differs; cleanly when ../shared is absent.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "bib"


def _digest(res, streamed: bool) -> dict:
    entries = []
    for e in res.entries:
        memo = dict(e.origin.get("bibtex") or {})
        memo.pop("snap", None)
        memo = {k: sorted(v) if isinstance(v, (set, frozenset)) else v for k, v in memo.items()}
        fields = {k: repr(v) for k, v in sorted(vars(e).items()) if k not in ("origin", "provenance")}
        prov = [(p.source, p.line_start, p.line_end, p.record_id) for p in e.provenance]
        entries.append((fields, prov, repr(sorted(memo.items()))))
    problems = [(p.line, p.severity, p.message) for p in res.problems]
    preamble = [] if streamed else [(str(b), getattr(b, "lead", None), getattr(b, "tail", False))
                                    for b in res.preamble]
    return {"entries": entries, "problems": problems, "preamble": preamble}


def dump(out: str) -> None:
    """(In the child process) digest every file, whole and streamed, into ``out``."""
    import logging

    import bibkit
    from bibkit.io.bibstream import load_streamed

    logging.disable(logging.CRITICAL)
    result = {}
    for path in sorted(SHARED.rglob("*.bib")):
        name = str(path.relative_to(SHARED))
        result[name] = _digest(bibkit.load(path), False)
        result[name + " (segments)"] = _digest(load_streamed(path, size=1 << 14), True)
    with open(out, "wb") as fh:
        pickle.dump(result, fh)


def _run(src: str, out: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(src))
    subprocess.run([sys.executable, __file__, "--dump", out], env=env, check=True)
    with open(out, "rb") as fh:
        return pickle.load(fh)


def main(old: str, new: str) -> int:
    if not SHARED.is_dir():
        print(f"compare_reader: {SHARED} not found; nothing to compare")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        a = _run(old, os.path.join(tmp, "old.pkl"))
        b = _run(new, os.path.join(tmp, "new.pkl"))
    differ = 0
    for name in sorted(a.keys() | b.keys()):
        x, y = a.get(name), b.get(name)
        same = x == y
        differ += not same
        counts = f"{len(x['entries'])} entries, {len(x['problems'])} problems" if x else "missing"
        print(f"{'same   ' if same else 'DIFFERS'} {name}: {counts}")
        if not same and x and y:
            for part in ("entries", "problems", "preamble"):
                for i, (p, q) in enumerate(zip(x[part], y[part], strict=False)):
                    if p != q:
                        print(f"  first {part} difference at #{i}:\n    old {str(p)[:400]}\n    new {str(q)[:400]}")
                        break
                else:
                    if len(x[part]) != len(y[part]):
                        print(f"  {part}: {len(x[part])} old, {len(y[part])} new")
    print("identical" if not differ else f"{differ} file(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dump"]:
        dump(sys.argv[2])
        sys.exit(0)
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "src")))
