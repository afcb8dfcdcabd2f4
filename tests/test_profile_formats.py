"""Input formats: detection, the HTML / LaTeX / Markdown / text converters, the registry
and the command line (``bibkit convert page --report``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibkit
from bibkit.cli.main import cli
from bibkit.io.registry import detect_format, get_format
from bibkit.profile.detect import detect_format as detect_profile
from bibkit.profile.html import html_lines
from bibkit.profile.latex import latex_lines
from bibkit.profile.markdown import markdown_lines, strip_non_content

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)

PAGES = Path(__file__).resolve().parent / "data" / "profiles"


def test_detection() -> None:
    assert detect_profile("<html><body><ul><li>a</li><li>b</li></ul></body></html>") == "html"
    assert detect_profile("\\section{Papers}\n\\begin{itemize}\n\\item A\n\\end{itemize}") == "latex"
    assert detect_profile("## Papers\n- **A. B.** *Title*\n- [pdf](x.pdf)") == "markdown"
    assert detect_profile("Papers\nA. Bee. Title. Journal, 2020.") == "text"
    assert detect_profile("x", "page.HTM") == "html"
    assert detect_profile("#+TITLE: Me\n* Papers\n- A. Bee. /Title/. [[https://x.org/a.pdf][pdf]]") == "org"
    assert detect_profile("x", "home.org") == "org"
    # Markdown "* item" bullets alone are not org headings
    assert detect_profile("## Papers\n* **A. B.** *Title*\n* [pdf](x.pdf)\n* C. D. *Other*") == "markdown"


ORG_PAGE = """#+TITLE: A. Researcher
#+OPTIONS: toc:nil

* News
- [2016-11] Our paper /A System for Things/ is out.

* Publications
** 2016
- M. Abadi, P. Barham, *A. Researcher*, M. Devin. /TensorFlow: A
  System for Large-Scale Machine Learning./ OSDI 2016, pp. 265-283. [[https://example.org/p.pdf][pdf]]
- N. Shazeer, A. Davis, Q. Le, *A. Researcher*. /Outrageously Large Neural Networks./ ICLR 2017.
:PROPERTIES:
:CUSTOM_ID: x
:END:
"""


RST_PAGE = """==============
A. Researcher
==============

.. contents:: On this page
   :local:

Publications
============

Journal articles
----------------

#. **Researcher A**, Smith J, Lee K. Beta blockade after myocardial infarction: an overview of
   the randomized trials. Prog Cardiovasc Dis. 1985;27(5):335-71.
#. Smith J, **Researcher A**. Effects of an angiotensin-converting-enzyme inhibitor on
   cardiovascular events. N Engl J Med. 2000;342(3):145-53. `PubMed <https://example.org/1>`_
"""


def test_rst_page() -> None:
    from bibkit.profile.rst import rst_lines

    assert detect_profile(RST_PAGE) == "rst" and detect_profile("x", "cv.rst") == "rst"
    lines = rst_lines(RST_PAGE)
    assert [(ln.no, ln.heading, ln.plain) for ln in lines if ln.heading] == [
        (2, 1, "A. Researcher"), (8, 2, "Publications"), (11, 3, "Journal articles")]
    assert [ln.no for ln in lines if ln.bullet] == [14, 16]
    assert not any("contents" in ln.text for ln in lines)
    res = bibkit.parse_profile(RST_PAGE, fmt="rst")
    assert [e.year for e in res] == [1985, 2000]
    assert [e.author[0].family for e in res] == ["Researcher", "Smith"]


def test_org_mode_page(profile_engine: str) -> None:
    from bibkit.profile.org import org_lines

    lines = org_lines(ORG_PAGE)
    assert [(ln.no, ln.heading, ln.plain) for ln in lines if ln.heading] == [(4, 1, "News"), (7, 1, "Publications"),
                                                                           (8, 2, "2016")]
    item = next(ln for ln in lines if ln.no == 9)
    # the wrapped item is one line, its italic title one emphasis span
    assert "\ue002TensorFlow: A System for Large-Scale Machine Learning.\ue003" in item.text
    assert not any(ln.no == 10 for ln in lines)
    res = bibkit.parse_profile(ORG_PAGE, fmt="org")
    by_title = {e.title: e for e in res}
    assert by_title["TensorFlow: A System for Large-Scale Machine Learning"].provenance[0].line_start == 9
    assert len(res.entries) == 2
    if profile_engine == "learned":  # the rules read "Q. Le, A. Researcher" as the title
        assert [a.family for a in by_title["Outrageously Large Neural Networks"].author] == [
            "Shazeer", "Davis", "Le", "Researcher"]


def test_registry_formats() -> None:
    for name in ("text", "markdown", "html", "latex", "md", "tex", "org", "rst"):
        assert get_format(name).is_profile
    assert detect_format("", "cv.tex").name == "latex"
    assert detect_format("", "home.markdown").name == "markdown"


def test_markdown_non_content_is_removed() -> None:
    text = "---\ntitle: x\n---\n<!-- - A. Hidden. Hidden Paper. ICML 2020. -->\n{% include x %}\nvisible"
    out = strip_non_content(text)
    assert "Hidden" not in out and "include" not in out and out.count("\n") == text.count("\n")
    lines = markdown_lines("[**Bold link**](http://x.org) \\* and ![img](i.png) <b>b</b>")
    assert lines[0].urls == ["http://x.org"] and lines[0].plain == "Bold link * and  b"


def test_html_converter() -> None:
    lines = html_lines("<h2>Papers</h2><!-- <li>x</li> --><ol><li>One <em>Two</em><br>Three</li>"
                       "<li><a href='http://a.b/c'>Link</a></li></ol><script>var x;</script>")
    lines = [ln for ln in lines if not ln.blank]
    assert [(ln.heading, ln.bullet, ln.plain) for ln in lines] == [
        (2, None, "Papers"), (0, "1.", "One Two"), (0, None, "Three"), (0, "2.", "Link")]
    assert lines[-1].urls == ["http://a.b/c"]


def test_latex_converter() -> None:
    tex = ("\\documentclass{article}\n\\begin{document}\n\\section*{Publications}\n"
           "\\item \\textbf{J. M\\\"uller} and A. Garc\\'{i}a. \\emph{A Title}, 2020. % a comment\n"
           "\\bibitem{key} B. Bee. \\href{http://x.org}{Another}. \\\\ Journal, 2001.\n\\end{document}")
    lines = [ln for ln in latex_lines(tex) if not ln.blank]
    assert [(ln.heading, ln.bullet) for ln in lines] == [(2, None), (0, "item"), (0, "bibitem"), (0, None)]
    assert lines[1].plain == "J. Müller and A. García. A Title, 2020."
    assert lines[2].urls == ["http://x.org"] and lines[3].plain == "Journal, 2001."


@pytest.mark.parametrize("name, expected", [
    ("extra_chemistry.html", [
        ("Catalytic Asymmetric Synthesis of Chiral Amines", "Doe", 2023, "article-journal"),
        ("Sparse Attention Revisited", "Smith", 2023, "article-journal"),
        ("Photoredox Catalysis in Flow", "Nowak", 2022, "article-journal"),
        ("Solvent Effects on Enantioselectivity", "Doe", 2022, "article-journal")]),
    ("extra_economics.tex", [
        ("Trade Shocks and Local Labor Markets", "Doe", 2022, "article-journal"),
        ("Monetary Policy under Uncertainty", "Smith", 2020, "article-journal"),
        ("Credit constraints and firm growth", "Doe", 2019, "article-journal"),
        ("Inflation Expectations and Household Behavior", "Doe", 2023, "manuscript"),
        ("Networks in Development", "Doe", None, "manuscript")]),
    ("extra_epidemiology.md", [
        ("Long-term outcomes of COVID-19 in older adults: a cohort study", "Zhang", 2021, "article-journal"),
        ("Vaccine hesitancy in rural communities", "Thompson", 2020, "article-journal"),
        ("Air pollution and asthma incidence in children", "Zhang", 2019, "article-journal"),
        ("基于深度学习的流行病预测方法研究", "张", 2020, "article-journal"),
        ("Cohort designs", "Zhang", 2021, "chapter"),
        ("Long COVID in older adults", None, 2022, "speech")]),
    ("extra_pdf_ieee.txt", [
        ("A very long title about distributed consensus protocols in asynchronous networks", "Public", 2019,
         "paper-conference"),
        ("Learning to route", "Writer", 2020, "article-journal"),
        ("Efficient Caching at the Edge", "Public", 2018, "thesis"),
        ("Edge inference with tiny models", "Coauthor", 2021, "article")]),
    ("extra_alfolio.html", [
        ("Seeing Through Fog with Event Cameras", "Doe", 2023, "paper-conference"),
        ("On the Robustness of Sparse Mixtures", "Sato", 2023, "article-journal"),
        ("Fast Kernels for Sparse Attention", "Doe", 2021, "article")]),
    ("extra_plain_layouts.txt", [
        ("Event-based depth estimation in fog", "Doe", 2022, "paper-conference"),
        ("Robust optical flow with learned priors", "Doe", 2021, "article-journal"),
        ("Seeing Through Fog", "Doe", 2023, "paper-conference"),
        ("Learning Depth from Defocus", "Doe", 2020, "article-journal")]),
    ("extra_moderncv.tex", [
        ("Event cameras in fog", "Doe", 2022, "article-journal"),
        ("Learning depth", "Doe", 2020, "thesis"),
        ("Optical flow revisited", "Dubois", 2021, "article-journal")]),
])
def test_extra_pages(name: str, expected: list[tuple]) -> None:
    res = bibkit.parse_profile(PAGES / name)
    got = [(e.title, e.first_author_family, e.year, e.type) for e in res.entries]
    assert got == expected


def test_cli_convert_with_report(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("## Publications\n- A. Bee, C. Dee. A Fine Paper. In ICML 2020.\n"
                    "- The * marks equal contribution.\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["convert", str(page), "--to", "csl-json", "-o", str(out), "--report"])
    assert result.exit_code == 0, result.output
    items = json.loads(out.read_text(encoding="utf-8"))
    assert [i["title"] for i in items] == ["A Fine Paper"]
    report = result.stderr if hasattr(result, "stderr") else result.output
    assert "page.md:2  0.90  paper-conference  2020  Bee  A Fine Paper" in report
    assert "page.md:3  skipped" in report


def test_cli_owner_option(tmp_path: Path) -> None:
    page = tmp_path / "cv.txt"
    page.write_text("Publications\n\nA. Bee, C. Dee. A Fine Paper. In ICML 2020.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(page), "--to", "csl-json", "--owner", "Dee, C.", "-q"])
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["title"] == "A Fine Paper"


def test_parse_profile_accepts_text_path_and_string() -> None:
    text = (PAGES / "extra_pdf_ieee.txt").read_text(encoding="utf-8")
    a = bibkit.parse_profile(text)
    b = bibkit.parse_profile(str(PAGES / "extra_pdf_ieee.txt"))
    assert [e.title for e in a] == [e.title for e in b]
    assert b.entries[0].provenance[0].source.endswith("extra_pdf_ieee.txt")


def test_italic_et_al_is_no_title() -> None:
    from bibkit.profile import parse_profile

    html = ("<h2>Publications</h2><ul><li>Silver, D. <i>et al.</i>. Mastering the game of Go with deep neural "
            "networks and tree search. <i>Nature</i> <b>529</b>, 484–489 (2016).</li></ul>")
    (e,) = parse_profile(html, fmt="html").entries
    assert e.title == "Mastering the game of Go with deep neural networks and tree search"
    assert e.author[0].family == "Silver" and e.author[-1].is_others and e.container_title == "Nature"
