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


# -- @string macros across the files of one run (issue 14) --------------------------------------
def _iridia(shared_dir: Path) -> list[str]:
    names = ("abbrev", "journals", "authors", "articles")
    return [str(shared_dir / "bib" / "iridia" / f"{name}.bib") for name in names]


def test_string_macros_are_shared_by_the_files_of_one_run(shared_dir: Path, tmp_path: Path) -> None:
    """abbrev.bib, journals.bib and authors.bib define the @strings articles.bib uses, as with
    \\bibliography{abbrev,journals,authors,articles}: convert, dedupe and format resolve them."""
    files = _iridia(shared_dir)
    runner = CliRunner()
    res = runner.invoke(cli, ["convert", *files, "--to", "csl-json"])
    assert res.exit_code == 0, res.stderr
    assert "undefined @string macro" not in res.stderr and "no entries found" not in res.stderr
    items = json.loads(res.stdout)
    assert len(items) > 1400
    text = res.stdout
    assert "vanZyl" not in text.replace('"vanZyl04"', "") and '"jwrpm"' not in text
    zyl = next(i for i in items if i.get("id") == "vanZyl04")
    assert [a["family"] for a in zyl["author"]] == ["Zyl", "Savic", "Walters"]
    assert zyl["container-title"] == "Journal of Water Resources Planning and Management, ASCE"
    # the .bib written keeps the references, with the @strings they refer to
    out = tmp_path / "all.bib"
    res = runner.invoke(cli, ["convert", *files, "-o", str(out)])
    written = out.read_text(encoding="utf-8")
    assert "  author =       vanZyl #and# Savic #and# Walters," in written
    assert '@string{vanZyl = " Jakobus E. van Zyl "}' in written
    for command in ("dedupe", "format"):
        res = runner.invoke(cli, [command, *files])
        assert res.exit_code == 0, res.stderr
        assert "undefined @string macro" not in res.stderr
        assert "vanZylandSavic" not in res.stdout and "{jwrpm}" not in res.stdout
        assert "Journal of Water Resources Planning and Management" in res.stdout
    res = runner.invoke(cli, ["dedupe", "--stream", *files])
    assert "undefined @string macro" not in res.stderr, res.stderr[:500]
    assert "author = {van Zyl, Jakobus E. and Savic, Dragan A. and Walters, Godfrey A.}" in res.stdout


def test_macros_of_a_later_file_do_not_reach_back(tmp_path: Path) -> None:
    """Files share their macros in order: a file read before the definition does not see it."""
    (tmp_path / "a.bib").write_text("@article{a, author = smith, title = {A}, journal = jcp, year = 2001}\n")
    (tmp_path / "s.bib").write_text('@string{jcp = "J. Chem. Phys."}\n@string{smith = "John Smith"}\n')
    (tmp_path / "b.bib").write_text("@article{b, author = smith, title = {B}, journal = jcp, year = 2002}\n")
    res = CliRunner().invoke(cli, ["convert", "--no-dedupe", "--to", "csl-json",
                                   *(str(tmp_path / n) for n in ("a.bib", "s.bib", "b.bib"))])
    items = {i["id"]: i for i in json.loads(res.stdout)}
    assert items["b"]["container-title"] == "J. Chem. Phys." and items["b"]["author"][0]["family"] == "Smith"
    assert items["a"]["container-title"] == "jcp"
    assert "a.bib:1: warning: undefined @string macro 'smith'" in res.stderr


def test_single_bib_rewrite_keeps_references_to_macros_defined_elsewhere(shared_dir: Path, tmp_path: Path) -> None:
    """articles.bib alone uses macros of abbrev/journals/authors.bib: a .bib -> .bib rewrite keeps
    `Aarts #and# Korst_JHM` as it is, not `{AartsandKorst\\_JHM...}`."""
    src = shared_dir / "bib" / "iridia" / "articles.bib"
    out = tmp_path / "articles.bib"
    res = CliRunner().invoke(cli, ["convert", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    old = src.read_text(encoding="utf-8").splitlines()
    new = {" ".join(line.split()) for line in out.read_text(encoding="utf-8").splitlines()}
    assert "andKorst" not in out.read_text(encoding="utf-8")
    refs = [" ".join(line.split()) for line in old if "#and#" in line]
    # (white space compared loosely: the 17 entries the BibTeX dialect rewrites, e.g. a biblatex `date`
    # written as year and month, are laid out anew, with their values as written)
    assert len(refs) > 500 and all(line in new for line in refs)
