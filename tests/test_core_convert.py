"""``bibkit convert`` end to end on the bundled examples: profiles in, each work once out."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bibkit.cli.main import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def convert(*args: str) -> list[dict]:
    res = CliRunner().invoke(cli, ["convert", *args, "--to", "csl-json", "-q"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_readme_example_converts(tmp_path: Path) -> None:
    out = tmp_path / "homepage.bib"
    res = CliRunner().invoke(cli, ["convert", str(EXAMPLES / "homepage.md"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").count("\n@") + 1 >= 20
    assert "written" in res.stderr


def test_two_listings_of_one_page_give_each_work_once(tmp_path: Path) -> None:
    page = EXAMPLES / "homepage.md"
    once = convert(str(page))
    copy = tmp_path / "copy.json"
    # the same works from another source: initials only, LaTeX-free CSL-JSON
    for item in once:
        for name in item.get("author", []):
            if name.get("given"):
                name["given"] = name["given"][0] + "."
        item.pop("custom", None)
    copy.write_text(json.dumps(once), encoding="utf-8")
    both = convert(str(page), str(copy))
    assert len(both) == len(once)
    assert len(convert(str(page), str(copy), "--no-dedupe")) == 2 * len(once)
