"""Reading the official CSL processor test-suite fixtures (``../shared/data/csl-test-suite/humans``).

The fixtures are not copied into the repository (no stated licence, see SOURCES.md there); tests that use them
skip when ``../shared`` is absent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HUMANS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csl-test-suite" / "humans"
_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", re.S)


@dataclass
class Fixture:
    name: str
    sections: dict[str, str]

    @property
    def mode(self) -> str:
        return self.sections.get("MODE", "").strip()

    @property
    def style(self) -> str:
        return self.sections["CSL"]

    @property
    def items(self) -> list[dict[str, Any]]:
        """The INPUT items; one without an id gets ``ITEM-n`` (n from 1, as citeproc-js's test runner does)."""
        items = json.loads(self.sections["INPUT"])
        for n, item in enumerate(items):
            item.setdefault("id", f"ITEM-{n + 1}")
        return items

    @property
    def result(self) -> str:
        return self.sections.get("RESULT", "")

    @property
    def clusters(self) -> list[list[dict[str, Any]]]:
        """The citations to render in order: CITATION-ITEMS, else one citation of every input item."""
        if "CITATION-ITEMS" in self.sections:
            return json.loads(self.sections["CITATION-ITEMS"])
        return [[{"id": item["id"]} for item in self.items]]


def read(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    return Fixture(path.stem, {m.group(1): m.group(2) for m in _SECTION.finditer(text)})


def citation_fixtures() -> list[Fixture]:
    """The standard citation-mode fixtures without a CITATIONS section (those ``bibkit cite`` renders)."""
    if not HUMANS.is_dir():
        return []
    found = [read(p) for p in sorted(HUMANS.glob("*.txt"))]
    return [f for f in found if f.mode == "citation" and "CITATIONS" not in f.sections]


def render_citations(fixture: Fixture, tmp: Path) -> str:
    """The fixture's citations through :class:`bibkit.format.citations.Citations` (HTML, one per line)."""
    from bibkit.format.citations import Citations

    style = tmp / f"{fixture.name}.csl"
    style.write_text(fixture.style, encoding="utf-8")
    doc = Citations(fixture.items, style=style, output="html", register="all")
    return "\n".join(doc.cite(cluster) for cluster in fixture.clusters)


def run_all(names: list[str] | None = None) -> dict[str, tuple[bool, str]]:
    """name -> (passed, output or error) for every citation fixture (``names``: only those)."""
    import tempfile

    out: dict[str, tuple[bool, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for f in citation_fixtures():
            if names and f.name not in names:
                continue
            try:
                got = render_citations(f, Path(tmp))
            except Exception as exc:  # a fixture that crashes is a failure to report
                out[f.name] = (False, f"{type(exc).__name__}: {exc}")
                continue
            out[f.name] = (got == f.result, got)
    return out


if __name__ == "__main__":
    import sys

    results = run_all(sys.argv[1:] or None)
    passed = sorted(n for n, (ok, _) in results.items() if ok)
    print(f"{len(passed)} of {len(results)} pass")
    if len(sys.argv) > 1:
        for f in citation_fixtures():
            if f.name in results:
                print(f"== {f.name}\n-- expected\n{f.result}\n-- got\n{results[f.name][1]}")
