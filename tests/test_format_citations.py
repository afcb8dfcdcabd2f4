"""In-text citations of a document (:mod:`bibkit.format.citations`) and the CSL test-suite's citation fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.errors import UsageError
from bibkit.format.citations import Citations
from bibkit.model import Date, Entry, Name

from . import csl_suite

PASS_LIST = Path(__file__).resolve().parent / "data" / "csl_pass_citation.txt"

DOE = [Name(family="Doe", given="Jane")]
ENTRIES = [
    Entry(key="a", type="book", title="A history of things", author=DOE, issued=Date(2000), publisher="Pub"),
    Entry(key="b", type="book", title="Beyond things", author=DOE, issued=Date(2000), publisher="Pub"),
    Entry(key="c", type="article-journal", title="Another thing", author=[Name(family="Roe", given="Rick")],
          issued=Date(2001), container_title="Journal of Things", volume="3", page="1-10"),
    Entry(key="d", type="book", title="Doing things", author=[Name(family="Doe", given="Mark")], issued=Date(1999)),
]


def test_locator_affixes_and_suppress_author() -> None:
    c = Citations(ENTRIES, style="apa")
    assert c.cite([{"id": "c", "locator": "12", "label": "page", "prefix": "see", "suffix": ", for one"}]) \
        == "(see Roe, 2001, p. 12, for one)"
    assert c.cite([{"id": "c", "suppress-author": True}]) == "(2001)"
    assert c.cite([{"id": "c", "author-only": True}]) == "Roe"  # for "Roe (2001)", as citeproc-js
    assert c.cite([{"id": "c", "label": "chapter", "locator": "2"}]) == "(Roe, 2001, Chapter 2)"  # is-numeric
    assert c.cite([{"id": "c", "prefix": "cf."}]) == "(cf. Roe, 2001)"


def test_year_suffix_and_givenname_disambiguation_across_the_document() -> None:
    c = Citations(ENTRIES, style="apa")
    assert c.cite(["a"]) == "(Doe, 2000)"  # alone so far
    c.cite(["b"])
    c.cite(["d"])
    assert c.citations() == ["(J. Doe, 2000a)", "(J. Doe, 2000b)", "(M. Doe, 1999)"]
    assert c.bibliography()[0].startswith("Doe, J. (2000a).")


def test_year_collapsing_and_number_ranges() -> None:
    c = Citations(ENTRIES[:2], style="apa")
    assert c.cite(["a", "b"]) == "(Doe, 2000a, 2000b)"
    numbered = Citations(ENTRIES, style="ieee")
    assert numbered.cite(["a", "b", "c"]) == "[1], [2], [3]"  # IEEE does not collapse
    vancouver = Citations(ENTRIES, style="nature", register="all")
    assert vancouver.cite(["a", "b", "c", "d"]) == "1–4"


def test_note_style_positions() -> None:
    c = Citations(ENTRIES, style="chicago-note-bibliography-with-ibid")
    first = c.cite([{"id": "c", "locator": "3"}])
    assert first.startswith("Roe, “Another Thing,”")
    assert c.cite([{"id": "c", "locator": "3"}]) == "Ibid."
    assert c.cite([{"id": "c", "locator": "5"}]) == "Ibid., 5."
    assert c.cite(["a"]).startswith("Doe")
    assert c.cite(["c"]).startswith("Roe")  # subsequent, not ibid: another work came between


def test_given_names_added_as_far_as_they_help() -> None:
    smiths = [Entry(key=k, type="book", title=t, author=[Name(family="Smith", given=g)], issued=Date(2019))
              for k, t, g in (("john", "A", "John"), ("jane", "B", "Jane"), ("mary", "C", "Mary"))]
    # by-cite (elsevier-harvard): initials tell Mary apart; John and Jane need their given names (citeproc-js)
    c = Citations(smiths, style="elsevier-harvard", register="all")
    assert [c.cite([k]) for k in ("john", "jane", "mary")] == ["(John Smith, 2019)", "(Jane Smith, 2019)",
                                                              "(M. Smith, 2019)"]
    # primary-name-with-initials (APA): initials only, then year suffixes
    c = Citations(smiths, style="apa", register="all")
    assert [c.cite([k]) for k in ("john", "jane", "mary")] == ["(J. Smith, 2019a)", "(J. Smith, 2019b)",
                                                              "(M. Smith, 2019)"]


def test_first_reference_note_number() -> None:
    c = Citations(ENTRIES, style="oscola")
    c.cite(["c"])
    c.cite(["a"])
    assert c.cite(["c"]) == "Roe (n 1)."  # OSCOLA points back to the note of the first citation


def test_bad_clusters_are_usage_errors() -> None:
    c = Citations(ENTRIES, style="apa")
    with pytest.raises(UsageError, match="unknown citation key 'zz'"):
        c.cite(["zz"])
    with pytest.raises(UsageError, match="unknown locator label 'pgae'"):
        c.cite([{"id": "a", "locator": "1", "label": "pgae"}])
    with pytest.raises(UsageError, match="unknown key"):
        c.cite([{"id": "a", "page": "1"}])
    with pytest.raises(UsageError, match="unknown output format"):
        Citations(ENTRIES, style="apa", output="pdf")


def test_cite_shortcut() -> None:
    import bibkit

    # every entry counts: another Doe (Mark) gets "J." added, a second 2000 work by Jane a letter
    assert bibkit.cite(ENTRIES, ["c", "a"], style="apa", cache=False) == "(J. Doe, 2000a; Roe, 2001)"
    assert bibkit.cite(ENTRIES[2:3], [{"id": "c", "locator": "4"}], style="chicago-note-bibliography") \
        == "Roe, “Another Thing,” 4."
    assert bibkit.cite(ENTRIES, "c", style="ieee") == "[3]"  # numbers follow the bibliography of all entries


def _listed() -> set[str]:
    return {line.strip() for line in PASS_LIST.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def test_csl_suite_citation_mode_pass_list() -> None:
    """The citation-mode fixtures of the official CSL test-suite (those without a CITATIONS section), each
    rendered by :class:`Citations` and compared with its RESULT: a listed fixture must pass; one that newly
    passes must be added to the list (it only grows)."""
    if not csl_suite.HUMANS.is_dir():
        pytest.skip("../shared/data/csl-test-suite not present")
    results = csl_suite.run_all()
    passing = {name for name, (ok, _) in results.items() if ok}
    listed = _listed()
    broken = sorted(listed - passing)
    assert not broken, "listed fixtures that fail now:\n" + "\n".join(
        f"{name}: {results.get(name, (False, 'missing'))[1][:200]}" for name in broken)
    new = sorted(passing - listed)
    assert not new, f"fixtures that pass now: add them to {PASS_LIST.name}:\n" + "\n".join(new)


# -- bibkit cite ------------------------------------------------------------------------------------------------
BIB = """@book{doe2000a, author={Jane Doe}, title={A history of things}, year=2000, publisher={Pub}}
@book{doe2000b, author={Jane Doe}, title={Beyond things}, year=2000, publisher={Pub}}
@article{roe2001, author={Rick Roe}, title={Another thing}, journal={Journal of Things}, volume=3,
  pages={1--10}, year=2001}
"""
CLUSTERS = """[
  [{"id": "roe2001", "locator": "3"}],
  [{"id": "roe2001", "locator": "3"}],
  [{"id": "doe2000a"}, {"id": "doe2000b"}]
]
"""


def _cli(tmp_path: Path, *args: str, clusters: str = CLUSTERS):
    from click.testing import CliRunner

    from bibkit.cli.main import cli

    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "cites.json").write_text(clusters, encoding="utf-8")
    return CliRunner().invoke(cli, ["cite", str(tmp_path / "refs.bib"), "--clusters", str(tmp_path / "cites.json"),
                                    "-q", *args])


def test_cli_cite_one_line_per_cluster_then_bibliography(tmp_path: Path) -> None:
    res = _cli(tmp_path, "--style", "chicago-note-bibliography-with-ibid", "--bibliography")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[:3] == ["Roe, “Another Thing,” 3.", "Ibid.", "Doe, A History of Things; Doe, Beyond Things."]
    assert lines[3] == ""
    assert lines[4].startswith("Doe, Jane. A History of Things.")
    res = _cli(tmp_path, "--style", "apa", "--to", "html")
    assert res.output.splitlines() == ["(Roe, 2001, p. 3)", "(Roe, 2001, p. 3)", "(Doe, 2000a, 2000b)"]


def test_cli_cite_errors_are_one_line_with_file_and_line(tmp_path: Path) -> None:
    res = _cli(tmp_path, clusters='[[{"id": "roe2001"}],\n [{"id": "nope"}]]')
    assert res.exit_code == 2
    assert "cites.json:2: citation 2, item 1: unknown citation key 'nope'" in res.output
    res = _cli(tmp_path, clusters='[[{"id": "roe2001"}')
    assert res.exit_code == 2 and "not valid JSON" in res.output
    res = _cli(tmp_path, clusters='{"id": "roe2001"}')
    assert res.exit_code == 2 and "expected a JSON list of citations" in res.output
    res = _cli(tmp_path, "--style", "no-such-style-anywhere")
    assert res.exit_code == 2 and res.output.startswith("bibkit: error:")


def test_quotes_in_rich_text_tags_stay_markup() -> None:
    from bibkit.format.prepare import typographic_apostrophes

    assert typographic_apostrophes('A <span class="nocase">Smith\'s</span> pen') == \
        'A <span class="nocase">Smith’s</span> pen'
    c = Citations([{"id": "x", "type": "book", "title": 'A <span class="nocase">iPod</span> life'}], style="apa")
    assert "&#60;span" not in c.cite(["x"]) and "iPod" in c.cite(["x"])


NEAR_NOTE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>near-note test</title><id>near-note-test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation near-note-distance="2">
    <layout>
      <choose>
        <if position="ibid"><text value="ibid"/></if>
        <else-if position="near-note"><text variable="title" prefix="near "/></else-if>
        <else-if position="subsequent"><text variable="title" prefix="far "/></else-if>
        <else><text variable="title" prefix="first "/></else>
      </choose>
    </layout>
  </citation>
</style>
"""


def test_citeproc_js_citation_objects_and_note_numbers(tmp_path: Path) -> None:
    style = tmp_path / "near.csl"
    style.write_text(NEAR_NOTE_STYLE, encoding="utf-8")
    c = Citations(ENTRIES, style=style)
    assert c.cite({"citationItems": [{"id": "c"}], "properties": {"noteIndex": 1}}) == "first Another thing"
    assert c.cite(["c"], note=2) == "ibid"
    assert c.cite(["a"], note=3) == "first A history of things"
    assert c.cite(["c"], note=4) == "near Another thing"  # 2 notes after the last
    c.cite(["a"], note=5)
    assert c.cite(["c"], note=9) == "far Another thing"
    assert c.notes == [1, 2, 3, 4, 5, 9]
