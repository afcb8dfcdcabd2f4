"""Noise control: lines skipped outside publication sections summarised in one line; -v lists them, -q only errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibkit
from bibkit.cli import cli
from bibkit.model import OUTSIDE_PUBLICATIONS

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^(.+): note: (\d+) lines? outside publication sections skipped, see (--report|-v)$")


def _pages() -> list[Path]:
    pages = [*sorted((ROOT / "examples").glob("cv*")), ROOT / "examples" / "homepage.md"]
    shared = ROOT.parent / "shared" / "data" / "profiles"
    return pages + (sorted(shared.glob("*.txt")) if shared.is_dir() else [])


def _stderr(args: list[str]) -> list[str]:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return [ln for ln in result.output.splitlines() if not ln.startswith("@") and ln.strip()]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_lines_outside_publication_sections_summarised(page: Path, tmp_path: Path) -> None:
    problems = bibkit.load(page).problems
    outside = [p for p in problems if p.category == OUTSIDE_PUBLICATIONS]
    others = [p for p in problems if p.category != OUTSIDE_PUBLICATIONS]
    out = str(tmp_path / "out.bib")
    default = _stderr(["convert", str(page), "-o", out])
    summaries = [m for ln in default if (m := SUMMARY.match(ln))]
    if outside:
        assert [(m.group(1), int(m.group(2)), m.group(3)) for m in summaries] == [(str(page), len(outside), "--report")]
    else:
        assert not summaries
    listed = [ln for ln in default if ": warning: " in ln or ": error: " in ln]
    assert listed == [str(p) for p in others]  # the other problems, one line each
    verbose = _stderr(["convert", str(page), "-o", out, "-v"])
    assert [ln for ln in verbose if ": warning: " in ln] == [str(p) for p in problems if p.severity == "warning"]
    assert not any(SUMMARY.match(ln) for ln in verbose)
    assert _stderr(["convert", str(page), "-o", out, "-q"]) == []
    report = _stderr(["convert", str(page), "-o", out, "--report"])  # what the summary points to names every line
    skipped = {ln.split("  skipped  ")[0] for ln in report if "  skipped  " in ln}
    assert {f"{p.source}:{p.line}" for p in outside} <= skipped


def test_a_cv_page_gives_one_line_not_one_per_job(tmp_path: Path) -> None:
    page = ROOT.parent / "shared" / "data" / "profiles" / "001_924a23f64a2718d7.txt"
    if not page.is_file():
        pytest.skip("../shared profile pages not present")
    problems = bibkit.load(page).problems
    assert sum(p.category == OUTSIDE_PUBLICATIONS for p in problems) > 100  # jobs, skills, teaching
    stderr = _stderr(["format", str(page), "--style", "apa", "--no-cache", "-o", str(tmp_path / "out.txt")])
    notes = [ln for ln in stderr if SUMMARY.match(ln)]
    assert len(notes) == 1 and notes[0].endswith("see -v")
    assert len(stderr) < len(problems) / 5


def test_quiet_still_shows_errors(tmp_path: Path) -> None:
    bib = tmp_path / "bad.bib"
    bib.write_text("@article{ok, title={Fine}, year=2020}\n\n@article{broken, title={Unclosed, year=2021\n",
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(bib), "-o", str(tmp_path / "out.bib"), "-q"])
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert result.exit_code == 1 and lines and all(": error: " in ln for ln in lines)
    assert all(ln.startswith(f"{bib}:") for ln in lines)  # naming the file and line
