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


def test_sfa_label() -> None:
    assert render([ART], "ieee")[0].startswith("[1] Y. LeCun,")
    html = Formatter("ieee", cache=False).bibliography([ART], "html", entry_div=True)[0]
    assert html.startswith('<div class="csl-entry"><div class="csl-left-margin">[1]</div>'
                           '<div class="csl-right-inline">')


def test_punct_in_quote() -> None:
    assert "“Deep learning,” Nature" in render([ART], "ieee")[0]
    # the period moved into the quote merges with the title's own (citeproc-js), no "Argue)..”"
    item = dict(ART, title="Meet GPT-3. It Has Learned to Code (and Blog and Argue).")
    assert "Argue).” Nature" in render([item], "chicago-author-date")[0]


def test_initialize_false_keeps_given_names() -> None:
    item = dict(ART, author=[{"family": "Brooks", "given": "Frederick P.", "suffix": "Jr."}])
    assert render([item], "chicago-author-date")[0].startswith("Brooks, Frederick P., Jr. 2015.")


def test_names_options(tmp_path) -> None:
    item = dict(ART, author=[{"family": "Watson", "given": "J. D."}])
    assert render([item], "vancouver")[0].startswith("1. Watson JD.")
    # et al. needs et-al-use-first too (citeproc-js): et-al-min alone shortens nothing
    style = _style(tmp_path, '<names variable="author"><name et-al-min="2" delimiter=", "/></names>')
    item = {"id": "x", "type": "book", "author": [{"family": "A", "given": "B"}, {"family": "C", "given": "D"}]}
    assert render([item], style) == ["B A, D C"]
    # cs:name formatting applies name by name, not to the delimiters (citeproc-js)
    path = tmp_path / "sc.csl"
    path.write_text(_CSL.format(layout="", body='<names variable="author"><name font-variant="small-caps" '
                                                'delimiter="; "/></names>'), encoding="utf-8")
    assert Formatter(str(path), cache=False).bibliography([item], "html") == [
        '<span style="font-variant:small-caps;">B A</span>; <span style="font-variant:small-caps;">D C</span>']


def test_sort_collation() -> None:
    items = [dict(ART, id="g1", author=[{"family": "Goodfellow", "given": "Ian"}]),
             dict(ART, id="g2", author=[{"family": "Gödel", "given": "Kurt"}])]
    out = render(items, "apa")
    assert out[0].startswith("Gödel") and out[1].startswith("Goodfellow")


def test_names_particles() -> None:
    items = [dict(ART, id="m", author=[{"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"}]),
             dict(ART, id="n", author=[{"family": "Newton", "given": "Isaac"}]),
             dict(ART, id="l", author=[{"family": "Lowe", "given": "David"}])]
    out = render(items, "harvard-cite-them-right")  # demote-non-dropping-particle="sort-only"
    assert [o.split()[0] for o in out] == ["Lowe,", "van", "Newton,"]


def test_text_case_letters_and_periods() -> None:
    """citeproc-js's title case: a one-letter word stays lowercase; a period does not capitalise a stop word."""
    assert compat.title_case("война и мир") == "Война и Мир"
    assert compat.title_case("ed. and translator") == "Ed. and Translator"


def test_text_case() -> None:
    item = dict(ART, type="book", title="The mythical man-month")
    assert "The Mythical Man-Month" in render([item], "chicago-author-date")[0]


def test_apostrophes() -> None:
    item = dict(ART, type="book", title="Cotta's book", publisher="O'Reilly")
    assert "Cotta’s book" in render([item], "apa")[0] and "O’Reilly" in render([item], "apa")[0]


def test_term_capitalisation_without_language() -> None:
    item = {"id": "c", "type": "chapter", "title": "T", "container-title": "Book",
            "author": [{"family": "A", "given": "B"}], "editor": [{"family": "Zalta", "given": "Edward N."}],
            "issued": {"date-parts": [[2020]]}}
    assert "(Ed.)" in render([item], "apa")[0]


def test_rich_text() -> None:
    item = dict(ART, title="Segmentation in <i>Drosophila</i>")
    assert "Segmentation in Drosophila" in render([item], "apa")[0]
    assert "Segmentation in <i>Drosophila</i>" in render([item], "apa", "html")[0]
    # in a given name too, kept around its initial
    item = dict(ART, author=[{"family": "Doe", "given": "<b>John</b> Quiggly"}])
    assert render([item], "apa", "html")[0].startswith("Doe, <b>J.</b> Q. (2015)")


def test_dates_delimiter() -> None:
    assert "2015 May 28;521" in render([ART], "vancouver")[0]


def test_numbers_ranges() -> None:
    item = dict(ART, page="3-20")
    assert "pp. 3–20" in render([item], "modern-language-association")[0]
    assert compat.page_range_last("2579", "2605", "chicago-16") == "605"
    assert ":436–44" in render([ART], "vancouver")[0]  # minimal
    # as citeproc-js 2.4.63: ranges joined by "and", roman numeral ranges
    assert "pp. 1–3 and 5" in render([dict(ART, page="1-3 and 5")], "modern-language-association")[0]
    assert "pp. iv–vi" in render([dict(ART, page="iv-vi")], "modern-language-association")[0]


def test_numbers_is_numeric(tmp_path) -> None:
    """is-numeric as citeproc-js 2.4.63 tests it (part of numbers-ranges)."""
    style = _style(tmp_path, '<choose><if is-numeric="number"><text value="N"/></if><else><text value="T"/></else>'
                             '</choose>')
    values = ["1-3 and 5", "1; 2", "12a-c", "iv", "S1", "6,285,999", "1,2", "II", "3rd ed.", "1.5"]
    got = Formatter(style, cache=False).bibliography([{"id": str(n), "type": "book", "number": v}
                                                      for n, v in enumerate(values)])
    assert "".join(got) == "NNNNNTTTTT"


def test_non_numeric_volume_not_a_range() -> None:
    item = dict(ART, volume="s2-42")
    assert "vol. s2-42," in render([item], "ieee")[0]


def test_label_plural(tmp_path) -> None:
    item = {"id": "p", "type": "patent", "title": "Telegraphy", "number": "US 174,465",
            "author": [{"family": "Bell", "given": "Alexander Graham"}], "issued": {"date-parts": [[1876]]}}
    assert "Patent No. US 174,465" in render([item], "apa")[0]
    # plural for several numbers only; a value with words is not numeric (as citeproc-js 2.4.63 renders them)
    style = _style(tmp_path, '<group delimiter=" "><label variable="volume" form="short"/><text variable="volume"/>'
                             '</group>')
    formatter = Formatter(style, cache=False)
    values = ["2, 5", "S1-S10", "iv-vi", "Pub. L. No. 105-304", "II-IV", "12a-c", "6,285,999"]
    got = formatter.bibliography([{"id": str(n), "type": "book", "volume": v} for n, v in enumerate(values)])
    assert got == ["vols. 2, 5", "vols. S1–S10", "vols. iv–vi", "vol. Pub. L. No. 105-304", "vol. II–IV",
                   "vol. 12a-c", "vol. 6,285,999"]


def test_substitute() -> None:
    item = {"id": "h", "type": "book", "title": "AutoML", "publisher": "Springer",
            "editor": [{"family": "Hutter", "given": "Frank"}, {"family": "Kotthoff", "given": "Lars"}],
            "issued": {"date-parts": [[2019]]}}
    out = render([item], "vancouver")[0]
    assert out.count("Hutter") == 1


def test_substitute_choose(tmp_path) -> None:
    """The children of a cs:choose branch in cs:substitute are alternatives: the first that prints (citeproc-js)."""
    style = _style(tmp_path, '<names variable="author"><name/><substitute><choose><if type="webpage">'
                             '<text variable="URL"/></if><else><names variable="editor"/><text term="anonymous"/>'
                             '</else></choose></substitute></names>')
    item = {"id": "x", "type": "book", "editor": [{"family": "Sawyer", "given": "Keith"}]}
    assert render([item], style) == ["Keith Sawyer"]
    assert render([{"id": "y", "type": "book"}], style) == ["Anonymous"]


def test_substitute_date(tmp_path) -> None:
    """A date printed by a cs:substitute is not printed again (part of fix substitute)."""
    style = _style(tmp_path, '<names variable="author"><name/><substitute><group delimiter=", ">'
                             '<text variable="title"/><date variable="issued" date-parts="year" form="text"/>'
                             '</group></substitute></names>'
                             '<date variable="issued" date-parts="year-month-day" form="text" prefix=" "/>')
    item = {"id": "x", "type": "legislation", "title": "Act", "issued": {"date-parts": [[1992, 3, 23]]}}
    assert render([item], style) == ["Act, 1992"]


def test_groups_runtime() -> None:
    item = {"id": "t", "type": "thesis", "title": "Netze", "genre": "Diplomarbeit", "publisher": "TU München",
            "author": [{"family": "Hochreiter", "given": "Sepp"}], "issued": {"date-parts": [[1991]]}}
    assert "(Publication)" not in render([item], "apa")[0]


def test_cjk_names() -> None:
    item = dict(ART, author=[{"family": "湯川", "given": "秀樹"}])
    assert render([item], "apa")[0].startswith("湯川秀樹.")


def test_quotes_level() -> None:
    item = dict(ART, title="Computer wins on 'Jeopardy!': Trivial")
    assert "“Computer wins on ‘Jeopardy!’: Trivial,”" in render([item], "ieee")[0]
    assert "Computer wins on “Jeopardy!”: Trivial" in render([item], "apa")[0]


def test_dates_range_affixes(tmp_path) -> None:
    item = dict(ART, issued={"date-parts": [[1936], [1937]]})
    assert "(1936–1937)" in render([item], "springer-lecture-notes-in-computer-science")[0]
    style = _style(tmp_path, '<date variable="issued" delimiter=" "><date-part name="day" range-delimiter="/"/>'
                             '<date-part name="month" range-delimiter=" to "/><date-part name="year"/></date>')
    items = [{"id": "a", "type": "book", "issued": {"date-parts": [[1999, 1, 2], [1999, 1, 4]]}},
             {"id": "b", "type": "book", "issued": {"date-parts": [[1999, 1, 2], [1999, 3, 4]]}}]
    assert Formatter(style, cache=False).bibliography(items) == ["2/4 January 1999", "2 January to 4 March 1999"]
    path = tmp_path / "suffix.csl"
    path.write_text(_CSL.format(layout="", body='<date variable="issued"><date-part name="year" suffix="."/></date>'),
                    encoding="utf-8")
    years = {"id": "g", "type": "book", "issued": {"date-parts": [[1776], [1789]]}}
    assert Formatter(str(path), cache=False).bibliography([years]) == ["1776–1789."]  # as citeproc-js


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


# -- fixes of issue 16 (general CSL rules, each named by its id in bibkit.format.compat.FIXES) ------------------
_CSL = '''<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>t</title>
<id>t</id></info><citation><layout><text variable="title"/></layout></citation>
<bibliography><layout{layout}>{body}</layout></bibliography></style>'''


def _style(tmp_path, body: str, layout: str = "") -> str:
    path = tmp_path / "style.csl"
    path.write_text(_CSL.format(body=body, layout=layout), encoding="utf-8")
    return str(path)


def test_apostrophes_before_digits_and_in_names() -> None:
    item = dict(ART, type="paper-conference", title="Explaining it", container_title=None,
                **{"container-title": "Proceedings of KDD '16"}, author=[{"family": "D'Arcus", "given": "Bruce"}])
    out = render([item], "apa")[0]
    assert "KDD ’16" in out and out.startswith("D’Arcus, B.")


def test_punct_terminal() -> None:
    item = dict(ART, title="What is a support vector machine?")
    assert "What is a support vector machine? Nature" in render([item], "apa")[0]
    assert "“What Is a Support Vector Machine?” Nature" in render([item], "chicago-author-date")[0]
    assert "machine?,” Nature" in render([item], "ieee")[0]  # a comma stays, as in citeproc-js
    assert compat.no_period_after_terminal("‘To Code (and Argue).’. Online") == "‘To Code (and Argue).’ Online"


def test_variables_all(tmp_path) -> None:
    style = _style(tmp_path, '<group delimiter=", "><text variable="volume-title"/><text variable="archive_location"/>'
                             '<names variable="director"/></group>')
    item = {"id": "v", "type": "motion_picture", "volume-title": "Part Two", "archive_location": "MSS C-E 191",
            "director": [{"family": "Lang", "given": "Fritz"}]}
    assert render([item], style) == ["Part Two, MSS C-E 191, Fritz Lang"]


def test_names_hyphenated_roles() -> None:
    item = {"id": "r", "type": "review-book", "title": "The Structure of Scientific Revolutions",
            "author": [{"family": "Shapere", "given": "Dudley"}], "container-title": "The Philosophical Review",
            "reviewed-author": [{"family": "Kuhn", "given": "Thomas S."}],
            "reviewed-title": "The Structure of Scientific Revolutions", "issued": {"date-parts": [[1964]]}}
    assert "by T. S. Kuhn]" in render([item], "apa")[0]


def test_term_fallback(tmp_path) -> None:
    style = _style(tmp_path, '<names variable="reviewed-author"><label form="verb-short" suffix=" "/><name/></names>')
    assert render([{"id": "x", "type": "review", "reviewed-author": [{"family": "Kuhn", "given": "T."}]}],
                  style) == ["by T. Kuhn"]


def test_term_whitespace(tmp_path) -> None:
    path = tmp_path / "terms.csl"
    path.write_text(_CSL.format(layout="", body='<names variable="author"><name et-al-min="2" et-al-use-first="1"/>'
                                               '<et-al term="and others"/></names><text variable="title" prefix=": "/>'
                                           ).replace(
        "<citation>", '<locale><terms><term name="and others">\n    </term></terms></locale><citation>'),
        encoding="utf-8")
    item = {"id": "x", "type": "book", "title": "T", "author": [{"family": "A", "given": "B"},
                                                                {"family": "C", "given": "D"}]}
    assert Formatter(str(path), cache=False).bibliography([item]) == ["B A: T"]


def test_names_suffix() -> None:
    item = dict(ART, author=[{"family": "Steele", "given": "Guy L.", "suffix": "Jr."}])
    assert render([item], "springer-basic-author-date")[0].startswith("Steele GL Jr (2015)")
    assert render([item], "apa")[0].startswith("Steele, G. L., Jr. (2015)")


def test_names_institution_and() -> None:
    item = dict(ART, author=[{"family": "Abbott", "given": "B. P."}, {"literal": "LIGO Scientific Collaboration"}])
    assert render([item], "apa")[0].startswith("Abbott, B. P. & LIGO Scientific Collaboration. (2015)")


def test_names_particle_parse() -> None:
    items = [dict(ART, id="a", author=[{"family": "von Hoppel", "given": "Gustav"}]),
             dict(ART, id="b", author=[{"family": "al-One", "given": "Alan"}]),
             dict(ART, id="c", author=[{"family": '"van Happel"', "given": "Eduard"}])]
    out = render(items, "chicago-author-date")
    assert [o.split(".")[0] for o in out] == ["Hoppel, Gustav von", "One, Alan al-", "van Happel, Eduard"]


def test_seams_markup(tmp_path) -> None:
    style = _style(tmp_path, '<names variable="author"><name et-al-min="2" et-al-use-first="1"/>'
                             '<et-al font-style="italic"/></names>', ' suffix="."')
    item = {"id": "x", "type": "book", "author": [{"family": "A", "given": "B"}, {"family": "C", "given": "D"}]}
    assert render([item], style, "html") == ["B A <i>et al.</i>"]


def test_seams_merge(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="title" suffix=";"/><text variable="note" prefix=". "/>'
                             '<text variable="publisher" prefix=": "/>')
    item = {"id": "x", "type": "book", "title": "T", "note": "N?", "publisher": "P"}
    assert render([item], style) == ["T; N? P"]
    # not the layout's own suffix (citeproc-js: "4:.")
    path = tmp_path / "layout.csl"
    path.write_text(_CSL.format(layout=' suffix="."', body='<text variable="title" suffix=":"/>'), encoding="utf-8")
    assert Formatter(str(path), cache=False).bibliography([item]) == ["T:."]


def test_groups_macro_implicit(tmp_path) -> None:
    path = tmp_path / "macro.csl"
    path.write_text(_CSL.format(layout="", body='<group delimiter=". "><text variable="title"/>'
                                                '<text macro="container"/><text variable="publisher"/></group>')
                    .replace("<citation>", '<macro name="container"><text term="in" text-case="capitalize-first"'
                                           ' suffix=" "/><text variable="container-title"/></macro><citation>'),
                    encoding="utf-8")
    formatter = Formatter(str(path), cache=False)
    item = {"id": "x", "type": "chapter", "title": "T", "publisher": "P"}
    assert formatter.bibliography([item, dict(item, id="y", **{"container-title": "B"})]) == ["T. P", "T. In B. P"]


def test_citation_label(tmp_path) -> None:
    path = tmp_path / "label.csl"
    path.write_text(_CSL.format(layout="", body='<text variable="citation-label" prefix="[" suffix="] "/>'
                                                '<text variable="title"/>')
                    .replace("<bibliography>", '<bibliography><sort><key variable="citation-label"/></sort>')
                    .replace('<citation>', '<citation disambiguate-add-year-suffix="true">'), encoding="utf-8")
    roe = {"id": "r", "type": "book", "title": "A", "issued": {"date-parts": [[1978]]},
           "author": [{"family": "Roe", "given": "Jane"}, {"family": "Noakes", "given": "Richard"}]}
    doe = {"id": "d", "type": "book", "title": "B", "issued": {"date-parts": [[1965]]},
           "author": [{"family": "Doe", "given": "John"}]}
    got = Formatter(str(path), cache=False).bibliography([roe, doe, dict(roe, id="s", title="C")])
    assert got == ["[Doe65] B", "[RoNo78a] A", "[RoNo78b] C"]


def test_names_label_apart(tmp_path) -> None:
    path = tmp_path / "sas.csl"
    path.write_text(_CSL.format(layout="", body='<names variable="author"><name name-as-sort-order="first"/>'
                                                '<label form="short" prefix=" "/><substitute><names variable="editor"/>'
                                                '</substitute></names><text variable="title" prefix=". "/>')
                    .replace("<bibliography>", '<bibliography subsequent-author-substitute="---"><sort>'
                                               '<key macro="a"/><key variable="title"/></sort>')
                    .replace("<citation>", '<macro name="a"><names variable="author"><name name-as-sort-order='
                                           '"first"/><label form="short" prefix=" "/><substitute><names variable='
                                           '"editor"/></substitute></names></macro><citation>'), encoding="utf-8")
    doe = [{"family": "Doe", "given": "John"}]
    items = [{"id": "1", "type": "book", "title": "B", "author": doe},
             {"id": "2", "type": "book", "title": "A", "editor": doe},
             {"id": "3", "type": "book", "title": "C", "author": [{"family": "Doe", "given": "John Eamon"}]}]
    assert Formatter(str(path), cache=False).bibliography(items) == ["Doe, John ed. A", "---. B", "Doe, John Eamon. C"]


def test_label_empty(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="title"/><label variable="page" form="short" prefix=", "/>'
                             '<text variable="page"/>')
    assert render([{"id": "x", "type": "book", "title": "T"}], style) == ["T"]
    assert render([{"id": "x", "type": "book", "title": "T", "page": "5"}], style) == ["T, p.5"]


def test_groups_macro() -> None:
    item = {"id": "w", "type": "webpage", "title": "The Python Tutorial", "container-title": "Python docs",
            "URL": "https://docs.python.org/3/tutorial/", "author": [{"literal": "Python Software Foundation"}]}
    assert "Python Docs, (n.d.)." in render([item], "american-institute-of-physics")[0]


def test_numbers_text_range(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="issue" prefix="n. "/>')
    assert render([{"id": "x", "type": "article-journal", "issue": "3-4"}], style) == ["n. 3–4"]
    assert render([{"id": "x", "type": "article-journal", "issue": "S-4"}], style) == ["n. S-4"]
    formatter = Formatter(style, cache=False)
    values = ["1-3, 5", "1-3 and 5", "1a-3b", "II-IV", "Suppl. 1-3"]
    got = formatter.bibliography([{"id": str(n), "type": "book", "issue": v} for n, v in enumerate(values)])
    assert got == ["n. 1–3, 5", "n. 1–3 and 5", "n. 1a–3b", "n. II–IV", "n. Suppl. 1-3"]


def test_display(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="title" display="block"/><text variable="note" display="indent"/>',
                   ' suffix="."')
    item = {"id": "x", "type": "book", "title": "Book A", "note": "An interesting book"}
    assert render([item], style, "html") == ['<div class="csl-block">Book A</div>'
                                             '<div class="csl-indent">An interesting book.</div>']
    assert render([item], style) == ["Book A An interesting book."]


def test_entry_edges(tmp_path) -> None:
    """citeproc-js keeps an entry's edge white space (a prefix's space) in HTML, moved out of the markup around
    it, but for white space beside a block (a line break there); in text a left margin is followed by a space and
    the right-inline part as it is (checked against citeproc-js 2.4.63); text entries are trimmed."""
    item = {"id": "x", "type": "book", "title": "Book A", "note": "N"}
    style = _style(tmp_path, '<text variable="title" prefix=" " font-style="italic"/>', ' suffix=". "')
    assert render([item], style, "html") == ['<i>Book A</i>.']
    assert Formatter(style, cache=False).bibliography([item], "html", entry_div=True) == [
        '<div class="csl-entry"> <i>Book A</i>. </div>']
    assert render([item], style) == ["Book A."]
    style = _style(tmp_path, '<text variable="note" display="left-margin" prefix=" "/>'
                             '<text variable="title" prefix=" " display="right-inline"/>')
    formatter = Formatter(style, cache=False)
    assert formatter.bibliography([item], "html", entry_div=True) == [
        '<div class="csl-entry"><div class="csl-left-margin">N</div><div class="csl-right-inline"> Book A</div>'
        '</div>']
    assert formatter.bibliography([item]) == ["N  Book A"]


def test_vertical_align_baseline(tmp_path) -> None:
    style = _style(tmp_path, '<group vertical-align="sup" delimiter=" "><text variable="title"/>'
                             '<text variable="note" vertical-align="baseline"/></group>')
    out = render([{"id": "x", "type": "book", "title": "A", "note": "B"}], style, "html")
    assert out == ['<sup>A <span style="baseline">B</span></sup>']


def test_ordinal_last_two_digits(tmp_path) -> None:
    style = _style(tmp_path, '<number variable="edition" form="ordinal"/>')
    items = [{"id": str(n), "type": "book", "edition": str(n)} for n in (2, 12, 22, 112, 121)]
    assert Formatter(style, cache=False).bibliography(items) == ["2nd", "12th", "22nd", "112th", "121st"]


def test_text_decoration_none(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="title" text-decoration="none"/>')
    assert render([{"id": "x", "type": "book", "title": "A"}], style, "html") == [
        '<span style="text-decoration:none;">A</span>']
    assert render([{"id": "x", "type": "book", "title": "A"}], style) == ["A"]


def test_italics_script() -> None:
    item = {"id": "q", "type": "book", "title": "围城", "author": [{"family": "钱", "given": "锺书"}],
            "publisher": "晨光出版公司", "issued": {"date-parts": [[1947]]}}
    assert "<i>" not in render([item], "ieee", "html")[0]
    assert "<i>Nature</i>" in render([ART], "ieee", "html")[0]


def test_nodecor(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="title" font-style="italic"/>')
    item = {"id": "l", "type": "legal_case", "title": 'Lessard <span class="nodecor">v.</span> Schmidt'}
    assert render([item], style, "html") == ['<i>Lessard <span style="font-style:normal;">v.</span> Schmidt</i>']


def test_variables_note(tmp_path) -> None:
    style = _style(tmp_path, '<group delimiter=", "><text variable="title"/><text variable="reviewed-title"/>'
                             '<names variable="reviewed-author"/></group>')
    item = {"id": "n", "type": "post-weblog", "title": "T", "reviewed-title": "Own",
            "note": "reviewed-title: From note\nreviewed-author: Hall || W.C.\nfoo: bar"}
    assert render([item], style) == ["T, Own, W.C. Hall"]  # the item's own value wins over its note


def test_event_title(tmp_path) -> None:
    from bibkit.format.render import CSLRecord

    style = _style(tmp_path, '<group delimiter="|"><text variable="event-title" prefix="1.0.2:"/>'
                             '<text variable="event" prefix="1.0:"/></group>')
    formatter = Formatter(style, cache=False)
    new = CSLRecord({"id": "a", "type": "speech", "event-title": "NeurIPS"}, "x.json", 0)
    old = CSLRecord({"id": "b", "type": "speech", "event": "NeurIPS"}, "x.json", 1)
    assert formatter.bibliography([new, old]) == ["1.0.2:NeurIPS", "1.0:NeurIPS"]


def test_html_text() -> None:
    item = dict(ART, title="Energy per m² in the ˀ  gap")
    html = render([item], "apa", "html")[0]
    assert "Energy per m<sup>2</sup> in the <sup>ʔ</sup>\u00a0 gap" in html
    assert "Energy per m² in the ˀ  gap" in render([item], "apa")[0]  # text as it is (citeproc-js's text too)


def test_term_first_capital(tmp_path) -> None:
    style = _style(tmp_path, '<group delimiter=" "><names variable="author"><name/><substitute>'
                             '<text term="anonymous" form="short"/></substitute></names><text variable="title"/>'
                             '<text term="in"/></group>')
    assert render([{"id": "x", "type": "book", "title": "T"}], style) == ["Anon. T in"]


def test_locale_language() -> None:
    """A bare language (a style's default-locale="es") is its primary dialect, as in citeproc-js."""
    item = {"id": "a", "type": "book", "title": "T", "editor": [{"family": "A", "given": "B"}]}
    assert "(Hrsg.)" in Formatter("apa", locale="de", cache=False).bibliography([item])[0]


def test_locale_private_use() -> None:
    assert Formatter("apa", locale="en-US-x-sort-ja-alalc97", cache=False).locale == "en-US"


def test_unprinted_items(tmp_path) -> None:
    style = _style(tmp_path, '<text variable="title"/>')
    formatter = Formatter(style, cache=False)
    out = formatter.bibliography([{"id": "a", "type": "book"}, {"id": "b", "type": "book", "title": "B"}])
    assert out == ["B"] and formatter.unprinted == [0]


def test_year_suffix_implicit() -> None:
    items = [dict(ART, id=f"s{i}", title=f"T{i}", author=[{"family": "Smith", "given": "J"}]) for i in (1, 2)]
    out = render(items, "apa")
    assert out[0].startswith("Smith, J. (2015a).") and out[1].startswith("Smith, J. (2015b).")


def test_every_fix_has_its_test_and_docs_row() -> None:
    """A fix id is shared by its code (compat.FIXES), its test here (test_<id>) and its row in docs/format.md."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
    tests = set(globals())
    for fix in compat.FIXES:
        assert "test_" + fix.replace("-", "_") in tests, f"no test for fix {fix}"
        assert f"| `{fix}` |" in docs, f"no row for fix {fix} in docs/format.md"


def test_type_any() -> None:
    item = {"id": "t", "type": "thesis", "title": "Non-Cooperative Games", "genre": "PhD thesis",
            "publisher": "Princeton University", "publisher-place": "Princeton, NJ",
            "author": [{"family": "Nash", "given": "John F."}], "issued": {"date-parts": [[1950]]}}
    out = render([item], "american-sociological-association")[0]
    assert out.endswith("PhD thesis, Princeton University, Princeton, NJ.")


def test_substitute_within(tmp_path) -> None:
    style = _style(tmp_path, '<names variable="translator"><name/><substitute><text macro="ed"/></substitute>'
                             '</names>')
    path = tmp_path / "style.csl"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<citation>", '<macro name="ed"><names variable="editor"><name/><label prefix=" " form="short"/></names>'
                      '<names variable="editor"><name/><label prefix=" "/></names></macro><citation>'),
        encoding="utf-8")
    item = {"id": "x", "type": "book", "editor": [{"family": "Doe", "given": "Jane"}]}
    assert render([item], style) == ["Jane Doe ed."]
