"""Reading and running the official CSL processor test-suite fixtures (``../shared/data/csl-test-suite/humans``).

The fixtures are not copied into the repository (no stated licence, see SOURCES.md there); tests that use them
skip when ``../shared`` is absent.

Citation mode (``tests/test_format_citations.py``): the fixtures without CITATIONS through
:class:`bibkit.format.citations.Citations`.  Bibliography mode (``tests/test_format_csl_suite.py``): each fixture
rendered the way ``bibkit format ITEMS.json --style STYLE.csl --to html`` renders (the items read as
:class:`bibkit.format.render.CSLRecord`; CITATION-ITEMS / CITATIONS, when present, choose the cited items in
first-cited order), wrapped in citeproc-js's ``csl-bib-body`` div and compared with RESULT.

    python -m tests.csl_suite [NAME...]                  # citation mode
    python -m tests.csl_suite --bibliography [NAME...]   # bibliography mode: pass count, differences
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HUMANS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csl-test-suite" / "humans"
PASS_LIST = Path(__file__).resolve().parent / "data" / "csl_pass_bibliography.txt"
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


def bibliography_fixtures() -> list[Path]:
    """The standard bibliography-mode fixtures (not ``experiments/`` nor ``off-spec/``), sorted by name."""
    if not HUMANS.is_dir():
        return []
    return sorted(p for p in HUMANS.glob("*.txt") if re.search(r">>=+ MODE =+>>\s*bibliography\s*\n",
                                                                  p.read_text(encoding="utf-8")))


def normalise(html: str) -> str:
    """citeproc-js's bibliography HTML without the line breaks and indentation between its elements (the
    suite's usual normalisation); white space inside an entry, also at its edges, counts."""
    return "".join(line.strip() for line in html.strip().splitlines())


def cited_ids(fixture: Fixture) -> list[str] | None:
    """Item ids in first-cited order (CITATION-ITEMS or CITATIONS); ``None``: every item."""
    cited: list[str] | None = None
    if "CITATION-ITEMS" in fixture.sections:
        cited = [str(c["id"]) for cluster in json.loads(fixture.sections["CITATION-ITEMS"]) for c in cluster]
    elif "CITATIONS" in fixture.sections:
        calls = json.loads(fixture.sections["CITATIONS"])
        cited = [str(c["id"]) for call in calls for c in call[0]["citationItems"]]
    return list(dict.fromkeys(cited)) if cited is not None else None


def render(fixture: Fixture) -> str:
    """bibkit's bibliography for ``fixture``, as citeproc-js's HTML (normalised)."""
    from bibkit.format import markup
    from bibkit.format.render import CSLRecord, Formatter

    items = fixture.items
    cited = cited_ids(fixture)
    if cited is not None:
        by_id = {str(item.get("id")): item for item in items}
        items = [by_id[i] for i in cited if i in by_id]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "style.csl"
        path.write_text(fixture.style, encoding="utf-8")
        formatter = Formatter(path, cache=False, workers=1)
        records = [CSLRecord(item, "INPUT", n) for n, item in enumerate(items)]
        marked, _ = formatter.render_marked(records)
    entries = "".join(markup.to_html(m, entry_div=True) for m in marked)
    return normalise(f'<div class="csl-bib-body">{entries}</div>')


def outcome(path: Path) -> tuple[bool, str, str]:
    """(passed, bibkit's output, expected output) of one fixture; an exception is a failure."""
    fixture = read(path)
    expected = normalise(fixture.result)
    try:
        ours = render(fixture)
    except Exception as exc:  # any error is a failed fixture, reported
        ours = f"{type(exc).__name__}: {exc}"
    return ours == expected, ours, expected


def pass_list() -> set[str]:
    if not PASS_LIST.is_file():
        return set()
    return {line.strip() for line in PASS_LIST.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def main_bibliography(argv: list[str]) -> int:
    paths = bibliography_fixtures()
    if argv:
        wanted = set(argv)
        paths = [p for p in paths if p.stem in wanted]
    passed = 0
    for path in paths:
        ok, ours, expected = outcome(path)
        passed += ok
        if not ok:
            print(f"FAIL {path.stem}\n  bibkit:   {ours}\n  expected: {expected}")
    print(f"{passed} of {len(paths)} bibliography-mode fixtures pass")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bibliography"]:
        raise SystemExit(main_bibliography(sys.argv[2:]))

    results = run_all(sys.argv[1:] or None)
    passed = sorted(n for n, (ok, _) in results.items() if ok)
    print(f"{len(passed)} of {len(results)} pass")
    if len(sys.argv) > 1:
        for f in citation_fixtures():
            if f.name in results:
                print(f"== {f.name}\n-- expected\n{f.result}\n-- got\n{results[f.name][1]}")
