"""Year-suffix disambiguation: works whose citations would read alike get 2020a, 2020b."""

from __future__ import annotations

from pathlib import Path

from bibkit.format.render import Formatter, cite, format_bibliography
from bibkit.model import Date, Entry, Name

THREE = [Name(family="Smith", given="Jane"), Name(family="Doe", given="John"), Name(family="Roe", given="Rita")]


def works() -> list[Entry]:
    return [Entry(key="second", type="article-journal", title="Second paper", author=THREE, issued=Date(2020),
                  container_title="Journal of Tests"),
            Entry(key="first", type="article-journal", title="First paper", author=THREE, issued=Date(2020),
                  container_title="Journal of Tests"),
            Entry(key="other", type="article-journal", title="Other paper", author=[*THREE[:1], Name(family="Poe")],
                  issued=Date(2020), container_title="Journal of Tests"),
            Entry(key="later", type="article-journal", title="Later paper", author=THREE, issued=Date(2021),
                  container_title="Journal of Tests")]


def test_apa_letters_in_bibliography_order_and_in_citations():
    out = format_bibliography(works(), style="apa", cache=False)
    assert "(2020a). First paper." in out[0] and "(2020b). Second paper." in out[1]
    assert any("(2020). Other paper." in x for x in out) and any("(2021). Later paper." in x for x in out)
    # (citeproc-py does not collapse cites: citeproc-js would print "(Smith et al., 2020a, 2020b)")
    assert cite(works(), ["second", "first"], style="apa", cache=False) == "(Smith et al., 2020a; Smith et al., 2020b)"


def test_style_without_an_explicit_year_suffix_gets_it_after_the_year():
    # elsevier-harvard asks for year suffixes but never renders the variable: CSL appends it to the date
    out = format_bibliography(works(), style="elsevier-harvard", cache=False)
    assert sum("2020a." in x for x in out) == 1 and sum("2020b." in x for x in out) == 1
    # without add-names, "Smith et al." is all a citation shows: a different third author is no help
    other = works()
    other[1].author = [*THREE[:2], Name(family="Zed", given="Z.")]
    out = format_bibliography(other, style="elsevier-harvard", cache=False)
    assert sum("2020a." in x or "2020b." in x for x in out) == 2


def test_numeric_styles_and_distinct_authors_get_no_suffix():
    assert not any("2020a" in x for x in format_bibliography(works(), style="ieee", cache=False))
    alone = [w for w in works() if w.key != "second"]
    assert not any("2020a" in x for x in format_bibliography(alone, style="apa", cache=False))


def test_csl_json_items_too():
    items = [{"id": k, "type": "book", "title": t, "author": [{"family": "Knuth", "given": "Donald E."}],
              "issued": {"date-parts": [[1997]]}} for k, t in (("v1", "Fundamental algorithms"),
                                                                ("v2", "Seminumerical algorithms"))]
    out = format_bibliography(items, style="chicago-author-date", cache=False)
    assert "1997a" in out[0] and "1997b" in out[1]


def test_cached_entry_is_rendered_again_when_a_second_work_makes_it_ambiguous(tmp_path: Path):
    f = Formatter("apa", cache=tmp_path)
    first = works()[1]
    assert "(2020)." in f.bibliography([first])[0]
    assert "(2020a)." in f.bibliography([first, works()[0]])[0]
    assert "(2020)." in f.bibliography([first])[0]
