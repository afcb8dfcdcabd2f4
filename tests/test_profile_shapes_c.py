"""Page shapes found on blind pages in the third session (issue 13): each with real works in a
layout of our own, through the default (learned) parser."""

from __future__ import annotations

import bibkit


def _families(e: bibkit.Entry) -> list[str]:
    return [n.family or n.literal or "" for n in e.author]


def test_latex_macros_with_arguments_are_expanded() -> None:
    # a CV's own \pub macro with five arguments: the fields come out of its expansion
    page = (
        "\\documentclass{article}\n"
        "\\newcommand{\\me}{\\textbf{R.~Tibshirani}}\n"
        "\\newcommand{\\pub}[5]{\\item #1 (#5). #2. \\emph{#3}, #4.}\n"
        "\\begin{document}\n"
        "\\section*{Journal articles}\n"
        "\\begin{enumerate}\n"
        "\\pub{J.~Friedman, T.~Hastie and \\me}{Sparse inverse covariance estimation with the graphical lasso}"
        "{Biostatistics}{9(3), 432--441}{2008}\n"
        "\\pub{\\me}{Regression shrinkage and selection via the lasso}"
        "{Journal of the Royal Statistical Society, Series B}{58(1), 267--288}{1996}\n"
        "\\end{enumerate}\n"
        "\\end{document}\n"
    )
    res = bibkit.parse_profile(page, fmt="latex")
    assert [e.title for e in res] == ["Sparse inverse covariance estimation with the graphical lasso",
                                      "Regression shrinkage and selection via the lasso"]
    assert _families(res.entries[0]) == ["Friedman", "Hastie", "Tibshirani"]
    assert [e.issued.year if e.issued else None for e in res] == [2008, 1996]
    assert res.entries[0].container_title == "Biostatistics"
    assert [e.provenance[0].line_start for e in res] == [7, 8]  # lines of the uses, not of the definitions


def test_macro_use_without_its_arguments_is_left_alone() -> None:
    from bibkit.profile.latex import expand_macros

    text = "\\newcommand{\\pub}[2]{#1: #2}\n\\pub{A}{B}\n\\pub alone\n"
    assert expand_macros(text).split("\n") == ["", "A: B", "\\pub alone", ""]


def test_with_coauthors_puts_the_cv_owner_first() -> None:
    # economics CVs leave the owner implicit: "(with X and Y)"; the page's heading names the owner
    page = (
        "                 DARON ACEMOGLU\n"
        "                 Curriculum Vitae\n\n"
        "PUBLISHED PAPERS\n\n"
        "   \"Robots and Jobs: Evidence from US Labor Markets\" (with Pascual Restrepo), Journal of\n"
        "      Political Economy, 128(6), June 2020, 2188-2244.\n\n"
        "   \"The Colonial Origins of Comparative Development: An Empirical Investigation\" (with Simon\n"
        "      Johnson and James A. Robinson), American Economic Review, 91(5), December 2001, 1369-1401.\n"
    )
    res = bibkit.parse_profile(page, fmt="text")
    assert [_families(e) for e in res] == [["Acemoglu", "Restrepo"], ["Acemoglu", "Johnson", "Robinson"]]


def test_group_author_and_italic_title_with_periods() -> None:
    # physics sidebar: a collaboration first, then names; the italic title has sentence ends inside
    page = (
        "<html><body><h3>Recent publications</h3><ul>\n"
        "<li>Planck Collaboration, N. Aghanim, Y. Akrami et al., <em>Planck 2018 results. VI. Cosmological "
        "parameters</em>, Astron. Astrophys. <b>641</b>, A6 (2020).</li>\n"
        "<li>B. P. Abbott et al. (LIGO Scientific Collaboration and Virgo Collaboration), <em>Observation of "
        "Gravitational Waves from a Binary Black Hole Merger</em>, Phys. Rev. Lett. <b>116</b>, 061102 (2016).</li>\n"
        "</ul></body></html>\n"
    )
    res = bibkit.parse_profile(page, fmt="html")
    assert [e.title for e in res] == ["Planck 2018 results. VI. Cosmological parameters",
                                      "Observation of Gravitational Waves from a Binary Black Hole Merger"]
    assert _families(res.entries[0])[:2] == ["Planck Collaboration", "Aghanim"]
    assert [e.container_title for e in res] == ["Astron. Astrophys.", "Phys. Rev. Lett."]


def test_references_without_a_title_are_kept_when_they_have_authors_and_a_year() -> None:
    # physics lists cite preprints by authors, identifier and year alone: each is an entry
    page = (
        "J. Ahrens et al. arXiv.org: astro-ph/0509330 (2005).\n\n"
        "E. Kh. Akhmedov, J. Kopp, and M. Lindner, arXiv:0803.1424 [hep-ph].\n\n"
        "Wade DT, Skilbeck CE, Langton-Hewer R\n"
    )
    res = bibkit.parse_profile(page, fmt="text")
    assert [_families(e)[0] for e in res] == ["Ahrens", "Akhmedov"]
    assert res.entries[0].issued is not None and res.entries[0].issued.year == 2005
    assert res.entries[1].arxiv == "0803.1424"  # (a list of names alone, line 5, is no reference)
