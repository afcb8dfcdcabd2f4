"""The official CSL processor test-suite (``../shared/data/csl-test-suite/humans``), bibliography mode.

A fixture is a set of sections (``>>===== NAME =====>>`` ... ``<<===== NAME =====<<``): ``MODE``, ``CSL`` (a
style), ``INPUT`` (CSL-JSON items), ``RESULT`` (citeproc-js's HTML) and optionally ``CITATION-ITEMS`` or
``CITATIONS`` (in bibliography mode: the cited items, in first-cited order, make the bibliography).

Each bibliography-mode fixture is rendered the way ``bibkit format ITEMS.json --style STYLE.csl --to html`` renders
(the CSL-JSON items read as :class:`bibkit.format.render.CSLRecord`), wrapped in citeproc-js's
``csl-bib-body`` div and compared with ``RESULT`` with the indentation between elements removed.

    python -m tests.csl_suite            # pass count, and the failing fixtures with both outputs
    python -m tests.csl_suite NAME...    # only these fixtures (file names without .txt)
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUITE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csl-test-suite" / "humans"
PASS_LIST = Path(__file__).resolve().parent / "data" / "csl_pass_bibliography.txt"
_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", re.S)


@dataclass
class Fixture:
    name: str
    mode: str
    csl: str
    items: list[dict[str, Any]]
    result: str
    cited: list[str] | None  # item ids in first-cited order (CITATION-ITEMS / CITATIONS), None: all items


def read_fixture(path: Path) -> Fixture:
    sections = {m.group(1): m.group(2) for m in _SECTION.finditer(path.read_text(encoding="utf-8"))}
    cited: list[str] | None = None
    if "CITATION-ITEMS" in sections:
        clusters = json.loads(sections["CITATION-ITEMS"])
        cited = [str(c["id"]) for cluster in clusters for c in cluster]
    elif "CITATIONS" in sections:
        calls = json.loads(sections["CITATIONS"])
        cited = [str(c["id"]) for call in calls for c in call[0]["citationItems"]]
    if cited is not None:
        cited = list(dict.fromkeys(cited))
    return Fixture(path.stem, sections["MODE"].strip(), sections["CSL"], json.loads(sections["INPUT"]),
                   sections["RESULT"], cited)


def bibliography_fixtures() -> list[Path]:
    """The standard bibliography-mode fixtures (not ``experiments/`` nor ``off-spec/``), sorted by name."""
    if not SUITE.is_dir():
        return []
    return sorted(p for p in SUITE.glob("*.txt") if re.search(r">>=+ MODE =+>>\s*bibliography\s*\n",
                                                                  p.read_text(encoding="utf-8")))


_EDGE_SPACE = re.compile(r'(<div class="csl-[a-z-]+">)\s+|\s+(</div>)')


def normalise(html: str) -> str:
    """citeproc-js's bibliography HTML without the line breaks and indentation between elements, and without
    white space at the start and end of an entry (or its right-inline part): bibkit trims entries (deliberate,
    docs/format.md; citeproc-js keeps the leading space of a field's prefix, "<div class="csl-right-inline">
    J. Doe", and a trailing delimiter's space)."""
    html = "".join(line.strip() for line in html.strip().splitlines())
    return _EDGE_SPACE.sub(r"\1\2", html)


def render(fixture: Fixture) -> str:
    """bibkit's bibliography for ``fixture``, as citeproc-js's HTML (normalised)."""
    from bibkit.format import markup
    from bibkit.format.render import CSLRecord, Formatter

    items = fixture.items
    if fixture.cited is not None:
        by_id = {str(item.get("id")): item for item in items}
        items = [by_id[i] for i in fixture.cited if i in by_id]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "style.csl"
        path.write_text(fixture.csl, encoding="utf-8")
        formatter = Formatter(path, cache=False, workers=1)
        records = [CSLRecord(item, "INPUT", n) for n, item in enumerate(items)]
        marked, _ = formatter.render_marked(records)
    entries = "".join(markup.to_html(m, entry_div=True) for m in marked)
    return normalise(f'<div class="csl-bib-body">{entries}</div>')


def outcome(path: Path) -> tuple[bool, str, str]:
    """(passed, bibkit's output, expected output) of one fixture; an exception is a failure."""
    fixture = read_fixture(path)
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


def main(argv: list[str]) -> int:
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
    raise SystemExit(main(sys.argv[1:]))
