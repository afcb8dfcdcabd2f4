#!/usr/bin/env python3
"""Check that a change to the learned parser's speed leaves its output unchanged.

    PYTHONPATH=src python benchmarks/check_learned_identical.py --write before.json   # on the old code
    PYTHONPATH=src python benchmarks/check_learned_identical.py --check before.json   # on the new code

Parses the held-out references of ``benchmarks/score_references.py`` (``corpus.split``'s
test side, 100 a page, pasted blank-separated, one per line and as a numbered Markdown
list) and every page of ``tests/data/profiles``, ``profiles_extra`` and ``profiles_heldout``,
and records for each parse its entries (every field, confidence, origin, provenance) and
problems, and a digest of every feature sequence handed to the two CRFs (so the models
see byte-identical input). ``--check`` compares with a dump and exits 1 naming the first
parses that differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

_PAGE_SUFFIXES = {".md", ".txt", ".html", ".tex", ".org", ".rst"}


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else repr(value)


class _FeatureDigest:
    """Wraps :meth:`bibkit.profile.crf.Model.tag` to hash every feature sequence it is given."""

    def __init__(self) -> None:
        from bibkit.profile import crf

        self.hash = hashlib.sha256()
        self.calls = 0
        self._orig = crf.Model.tag
        digest = self

        def tag(model, xseq):
            digest.calls += 1
            digest.hash.update(model.path.name.encode())
            for item in xseq:
                digest.hash.update(repr(list(item.items())).encode())
                digest.hash.update(b"\n")
            digest.hash.update(b"\x00")
            return digest._orig(model, xseq)

        crf.Model.tag = tag  # type: ignore[method-assign]

    def take(self) -> str:
        out = f"{self.calls}:{self.hash.hexdigest()}"
        self.hash = hashlib.sha256()
        self.calls = 0
        return out


def pages() -> list[tuple[str, str, str | None]]:
    """(name, text, fmt) of every page to parse."""
    from score_references import LAYOUTS, layout_page

    from bibkit.profile.training import corpus

    out: list[tuple[str, str, str | None]] = []
    test = corpus.split(corpus.read_corpus())[1]
    for layout in LAYOUTS:
        for b in range(0, len(test), 100):
            page, fmt, _starts = layout_page([r.text for r in test[b:b + 100]], layout)
            out.append((f"references/{layout}/{b // 100}", page, fmt))
    for folder in ("profiles", "profiles_extra", "profiles_heldout"):
        for path in sorted((ROOT / "tests" / "data" / folder).iterdir()):
            if path.suffix in _PAGE_SUFFIXES and path.name != "README.md":
                out.append((f"{folder}/{path.name}", path.read_text(encoding="utf-8"), None))
    return out


def dump() -> dict[str, Any]:
    from bibkit.profile.parser import parse_text

    digest = _FeatureDigest()
    out: dict[str, Any] = {}
    for name, text, fmt in pages():
        res = parse_text(text, name, fmt=fmt)
        out[name] = {"entries": _jsonable(res.entries), "problems": _jsonable(res.problems),
                     "features": digest.take()}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="JSON", help="write the parses to this file")
    group.add_argument("--check", metavar="JSON", help="compare the parses with this file")
    args = ap.parse_args()
    now = dump()
    if args.write:
        Path(args.write).write_text(json.dumps(now, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
        print(f"{len(now)} parses written to {args.write}")
        return 0
    before = json.loads(Path(args.check).read_text(encoding="utf-8"))
    now = json.loads(json.dumps(now, ensure_ascii=False, sort_keys=True))
    bad = [name for name in sorted(set(before) | set(now)) if before.get(name) != now.get(name)]
    for name in bad[:10]:
        b, n = before.get(name) or {}, now.get(name) or {}
        what = [k for k in ("entries", "problems", "features") if b.get(k) != n.get(k)]
        print(f"differs: {name} ({', '.join(what)})")
    print(f"{len(now) - len(bad)} of {len(set(before) | set(now))} parses identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
