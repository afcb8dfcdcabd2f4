"""One test per fix of bibkit.format.compat, each named after the CSL rule it restores."""

from __future__ import annotations

import citeproc
import pytest

from bibkit.format import compat, format_bibliography
from bibkit.format.render import Formatter


def render(items: list[dict], style: str, fmt: str = "text") -> list[str]:
    return format_bibliography(items, style=style, fmt=fmt, cache=False)


ART = {"id": "a", "type": "article-journal", "title": "Deep learning", "container-title": "Nature",
       "author": [{"family": "LeCun", "given": "Yann"}], "volume": "521", "page": "436-444",
       "issued": {"date-parts": [[2015, 5, 28]]}}


def test_pinned_citeproc_version() -> None:
    """The layer patches citeproc-py internals: an upgrade must be a reviewed change."""
    assert citeproc.__version__ == compat.CITEPROC_VERSION


def test_second_field_align_label_spacing() -> None:
    assert render([ART], "ieee")[0].startswith("[1] Y. LeCun,")
    html = Formatter("ieee", cache=False).bibliography([ART], "html", entry_div=True)[0]
    assert html.startswith('<div class="csl-entry"><div class="csl-left-margin">[1]</div>'
                           '<div class="csl-right-inline">')


def test_punctuation_in_quote() -> None:
    assert "“Deep learning,” Nature" in render([ART], "ieee")[0]


def test_initialize_false_keeps_given_names() -> None:
    item = dict(ART, author=[{"family": "Brooks", "given": "Frederick P.", "suffix": "Jr."}])
    assert render([item], "chicago-author-date")[0].startswith("Brooks, Frederick P., Jr. 2015.")


def test_initialize_with_empty_string() -> None:
    item = dict(ART, author=[{"family": "Watson", "given": "J. D."}])
    assert render([item], "vancouver")[0].startswith("1. Watson JD.")


def test_sort_ignores_diacritics() -> None:
    items = [dict(ART, id="g1", author=[{"family": "Goodfellow", "given": "Ian"}]),
             dict(ART, id="g2", author=[{"family": "Gödel", "given": "Kurt"}])]
    out = render(items, "apa")
    assert out[0].startswith("Gödel") and out[1].startswith("Goodfellow")


def test_sort_demotes_particle_when_sort_only() -> None:
    items = [dict(ART, id="m", author=[{"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"}]),
             dict(ART, id="n", author=[{"family": "Newton", "given": "Isaac"}]),
             dict(ART, id="l", author=[{"family": "Lowe", "given": "David"}])]
    out = render(items, "harvard-cite-them-right")  # demote-non-dropping-particle="sort-only"
    assert [o.split()[0] for o in out] == ["Lowe,", "van", "Newton,"]


def test_title_case_after_hyphens() -> None:
    item = dict(ART, type="book", title="The mythical man-month")
    assert "The Mythical Man-Month" in render([item], "chicago-author-date")[0]


def test_typographic_apostrophes() -> None:
    item = dict(ART, type="book", title="Cotta's book", publisher="O'Reilly")
    assert "Cotta’s book" in render([item], "apa")[0] and "O’Reilly" in render([item], "apa")[0]


def test_term_capitalisation_without_language() -> None:
    item = {"id": "c", "type": "chapter", "title": "T", "container-title": "Book",
            "author": [{"family": "A", "given": "B"}], "editor": [{"family": "Zalta", "given": "Edward N."}],
            "issued": {"date-parts": [[2020]]}}
    assert "(Ed.)" in render([item], "apa")[0]


def test_rich_text_in_fields() -> None:
    item = dict(ART, title="Segmentation in <i>Drosophila</i>")
    assert "Segmentation in Drosophila" in render([item], "apa")[0]
    assert "Segmentation in <i>Drosophila</i>" in render([item], "apa", "html")[0]


def test_localized_date_part_delimiter() -> None:
    assert "2015 May 28;521" in render([ART], "vancouver")[0]


def test_page_range_formats() -> None:
    item = dict(ART, page="3-20")
    assert "pp. 3–20" in render([item], "modern-language-association")[0]
    assert compat.page_range_last("2579", "2605", "chicago-16") == "605"
    assert ":436–44" in render([ART], "vancouver")[0]  # minimal


def test_non_numeric_volume_not_a_range() -> None:
    item = dict(ART, volume="s2-42")
    assert "vol. s2-42," in render([item], "ieee")[0]


def test_label_plural_thousands_separator() -> None:
    item = {"id": "p", "type": "patent", "title": "Telegraphy", "number": "US 174,465",
            "author": [{"family": "Bell", "given": "Alexander Graham"}], "issued": {"date-parts": [[1876]]}}
    assert "Patent No. US 174,465" in render([item], "apa")[0]


def test_substituted_variable_printed_once() -> None:
    item = {"id": "h", "type": "book", "title": "AutoML", "publisher": "Springer",
            "editor": [{"family": "Hutter", "given": "Frank"}, {"family": "Kotthoff", "given": "Lars"}],
            "issued": {"date-parts": [[2019]]}}
    out = render([item], "vancouver")[0]
    assert out.count("Hutter") == 1


def test_group_suppressed_when_its_variables_are_empty() -> None:
    item = {"id": "t", "type": "thesis", "title": "Netze", "genre": "Diplomarbeit", "publisher": "TU München",
            "author": [{"family": "Hochreiter", "given": "Sepp"}], "issued": {"date-parts": [[1991]]}}
    assert "(Publication)" not in render([item], "apa")[0]


def test_cjk_names() -> None:
    item = dict(ART, author=[{"family": "湯川", "given": "秀樹"}])
    assert render([item], "apa")[0].startswith("湯川秀樹.")


def test_quote_levels() -> None:
    item = dict(ART, title="Computer wins on 'Jeopardy!': Trivial")
    assert "“Computer wins on ‘Jeopardy!’: Trivial,”" in render([item], "ieee")[0]
    assert "Computer wins on “Jeopardy!”: Trivial" in render([item], "apa")[0]


def test_date_range_affixes() -> None:
    item = dict(ART, issued={"date-parts": [[1936], [1937]]})
    assert "(1936–1937)" in render([item], "springer-lecture-notes-in-computer-science")[0]


def test_number_of_volumes() -> None:
    item = {"id": "f", "type": "book", "title": "Lectures", "number-of-volumes": "3", "publisher": "AW",
            "author": [{"family": "Feynman", "given": "Richard P."}], "issued": {"date-parts": [[1963], [1965]]}}
    assert "(Vols. 1–3)" in render([item], "apa")[0]


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date"])
def test_xpath_memo_gives_identical_output(style: str) -> None:
    """The speed patches change nothing: rendering with the memo cleared and warm gives the same output."""
    from citeproc import model

    items = [ART, dict(ART, id="b", title="Other", author=[{"family": "Zhang", "given": "Zili"}])]
    memoised = model.CitationStylesElement.xpath_search
    model.CitationStylesElement.xpath_search = memoised.__wrapped__
    try:
        plain = render(items, style)
    finally:
        model.CitationStylesElement.xpath_search = memoised
    assert render(items, style) == plain


def test_subsequent_author_substitute() -> None:
    a = dict(ART, id="s1", type="book", title="A theory", author=[{"family": "Shannon", "given": "Claude E."}])
    b = dict(a, id="s2", title="B theory")
    out = render([a, b], "modern-language-association")
    assert out[0].startswith("Shannon, Claude E. A Theory.") and out[1].startswith("———. B Theory.")


def test_sort_keys_without_et_al() -> None:
    many = [{"family": "Hinton", "given": "Geoffrey"}, {"family": "Vinyals", "given": "Oriol"},
            {"family": "Dean", "given": "Jeff"}]
    a = dict(ART, id="h1", title="Zeta", author=many)
    b = dict(ART, id="h2", title="Alpha", author=[{"family": "Hinton", "given": "Geoffrey E."}, *many[1:]])
    out = render([b, a], "modern-language-association")
    assert out[0].startswith("Hinton, Geoffrey, et al. “Zeta")


def test_subtitle_joins_title() -> None:
    from bibkit.model import Entry, Name

    e = Entry(type="book", title="The true frontier", extra={"subtitle": "Confronting space"},
              author=[Name(family="Westfahl", given="Gary")])
    assert "The true frontier: Confronting space" in format_bibliography([e], style="apa", cache=False)[0]
