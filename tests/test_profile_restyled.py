"""A page's own output re-rendered through citation styles parses back to the same works (regressions)."""

from __future__ import annotations

import pytest

from bibkit.profile import parse_profile

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)


def _entries(text: str):
    return parse_profile(text, fmt="markdown").entries


@pytest.mark.parametrize("line, title, venue", [
    # IEEE Markdown with an italic "et al.": the quoted title wins over emphasis
    ("[1] Q. Author *et al.*, “Sparse Experts: A Flexible Training System for Large Models,” in *ASPLOS*, 2025.",
     "Sparse Experts: A Flexible Training System for Large Models", "ASPLOS"),
    ("[2] B. Writer *et al.*, “Hot Pluggable Learning,” in *Workshop of Foundation Models@NeurIPS*, 2024.",
     "Hot Pluggable Learning", "Workshop of Foundation Models@NeurIPS"),
    ("[3] C. Doe, D. Roe, and E. Poe, “Efficient Forecasting with State Space Models,” in *CVPR Workshop*, 2024.",
     "Efficient Forecasting with State Space Models", "CVPR Workshop"),
])
def test_ieee_markdown_italic_et_al_is_not_the_title(line: str, title: str, venue: str) -> None:
    (e,) = _entries("## 2024\n\n" + line + "\n")
    assert e.title == title
    assert e.container_title == venue
    assert "et al" not in (e.title or "")


def test_apa_half_initialised_hyphenated_given_name() -> None:
    # CSL styles initialise "Yiu-ming" as "Y.-ming"; it is a given name, not the start of the title
    (e,) = _entries("Roe, A., Hu, B., Kwan, Y.-ming, Jin, Y., & Chu, X. (2021). Data Resampling for Learning "
                    "with Skewed Labels. *Some Workshop*.\n")
    assert e.title == "Data Resampling for Learning with Skewed Labels"
    assert [a.family for a in e.author] == ["Roe", "Hu", "Kwan", "Jin", "Chu"]


def test_venue_after_closing_quote_and_in_prefix() -> None:
    (e,) = _entries('* A. Roe, B. Doe. Fusing Models through the Lens of Causality." In NeurIPS 2024 '
                    '(<strong>spotlight</strong>).\n')
    assert e.container_title == "NeurIPS"
    assert e.title == "Fusing Models through the Lens of Causality"


@pytest.mark.parametrize("line, title, venue, typ", [
    # American Physical Society / AIP: unquoted title between commas, "Journal Vol, Page (Year)"
    ("- Q. Roe, B. Doe, and C. Poe, Deep forecasting, Nature 521, 436 (2015).",
     "Deep forecasting", "Nature", "article-journal"),
    ("- C. E. Writer, A statistical theory of signalling, Bell Syst. Tech. J. 27, 379 (1948).",
     "A statistical theory of signalling", "Bell Syst. Tech. J", "article-journal"),
    ("- A. Roe, N. Doe, and I. Poe, Attention Is Mostly What You Need, in Advances in Neural Information "
     "Processing Systems 30 (Curran Associates, Red Hook, NY, 2017), pp. 5998–6008.",
     "Attention Is Mostly What You Need", "Advances in Neural Information Processing Systems", "paper-conference"),
])
def test_aps_unquoted_title_between_commas(line: str, title: str, venue: str, typ: str) -> None:
    (e,) = _entries("# Publications\n\n" + line + "\n")
    assert e.title == title
    assert (e.container_title or "").startswith(venue)
    assert e.type == typ


@pytest.mark.parametrize("line, title", [
    ("- I. Roe, Y. Doe, and A. Poe, Deep Models (MIT Press, Cambridge, MA, 2016).", "Deep Models"),
    ("- R. P. Roe and M. Doe, The Lectures on Physics (Addison-Wesley, Reading, MA, 1963–1965).",
     "The Lectures on Physics"),
])
def test_aps_book_title_before_publisher_parenthesis(line: str, title: str) -> None:
    (e,) = _entries("# Publications\n\n" + line + "\n")
    assert e.title == title


@pytest.mark.parametrize("line, family, title", [
    # Vancouver / NLM with one author: "Family I. Title." (the title's first words are no name)
    ("- Roe A. Zur Theorie bewegter Körper. Annalen der Physik. 1905;322(10):891–921.", "Roe",
     "Zur Theorie bewegter Körper"),
    ("- Doe S. Information Theory and Statistics. New York: Wiley & Sons; 1959.", "Doe",
     "Information Theory and Statistics"),
    ("- Poe GE. Cramming more parts onto circuits. Electronics. 1965;38(8):114–7.", "Poe",
     "Cramming more parts onto circuits"),
])
def test_vancouver_single_author(line: str, family: str, title: str) -> None:
    (e,) = _entries("# Publications\n\n" + line + "\n")
    assert [a.family for a in e.author] == [family]
    assert e.title == title


@pytest.mark.parametrize("line, families, title", [
    ("- Roe T. Walker's Style and Jake's Narration. The Journal of Narrative Technique. 1974;4(3):212–25.",
     ["Roe"], "Walker's Style and Jake's Narration"),
    ("- Doe M. Animal Triste. Lincoln: University of Nebraska Press; 2000.", ["Doe"], "Animal Triste"),
    # a real "First M. Last Last" name followed by a comma stays a name
    ("- Maria A. Garcia Lopez, B. Smith. A title about things. Nature 2020.", ["Lopez", "Smith"],
     "A title about things"),
])
def test_vancouver_single_author_before_capitalised_title(line: str, families: list[str], title: str) -> None:
    (e,) = _entries("# Publications\n\n" + line + "\n")
    assert [a.family for a in e.author] == families
    assert e.title == title


def test_trailing_link_and_journal_tail_after_roman_numeral() -> None:
    # Elsevier-Harvard: a title ending in a roman numeral, "Journal 38, 173–198.", then a DOI link
    (e,) = _entries("# Publications\n\n- Roe, K., 1931. Über unentscheidbare Sätze verwandter Systeme I. Monatshefte "
                    "für Mathematik und Physik 38, 173–198. https://doi.org/10.1007/BF00000000\n")
    assert e.title == "Über unentscheidbare Sätze verwandter Systeme I"
    assert e.container_title == "Monatshefte für Mathematik und Physik"
    assert e.doi == "10.1007/BF00000000"
    assert e.type == "article-journal"


@pytest.mark.parametrize("line, families, title", [
    # DIN 1505-2: " ; " between inverted names, a leading particle, "u. a." for et al., "I. In:" after a numeral
    ("- van der Roe, Laurens ; Doe, Geoffrey: Visualizing data using embeddings. In: Journal of Machine Learning "
     "Research Bd. 9 (2008), Nr. 86, S. 2579–2605", ["Roe", "Doe"], "Visualizing data using embeddings"),
    ("- Roe, David ; Doe, Aja ; Poe, Chris J. ; u. a.: Mastering the game with tree search. In: Nature Bd. 529 "
     "(2016), S. 484–489", ["Roe", "Doe", "Poe", None], "Mastering the game with tree search"),
    ("- Roe, Kurt: Über unentscheidbare Sätze verwandter Systeme I. In: Monatshefte für Mathematik Bd. 38 (1931), "
     "S. 173–198", ["Roe"], "Über unentscheidbare Sätze verwandter Systeme I"),
])
def test_din_1505_lists(line: str, families: list, title: str) -> None:
    (e,) = _entries("# Publications\n\n" + line + "\n")
    assert [a.family for a in e.author] == families
    assert e.title.rstrip(".") == title
