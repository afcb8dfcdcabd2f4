"""Failure shapes found on unseen pages (report B: medicine, biology, chemistry, social sciences,
economics, humanities), line-level checks beside the pages in ``tests/data/profiles_extra``: patents
typed by their document kind, glued journals with a citation tail, Vancouver lists ended by a colon,
dated periodicals, heading lines repeating an entry's title, German commentaries."""

from __future__ import annotations

import pytest

import bibkit

from .test_profile_shapes import _rows

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)


def test_patent_cues_without_a_patent_section() -> None:
    # CAS-style patent lines under a plain "Publications" heading: typed by the document kind and number
    page = (
        "Publications\n\n"
        "1. Spirocyclic piperidines as orexin receptor antagonists. Brandt, L.; Nakamura, T. "
        "(Calder Pharma AB, Swed.). Eur. Pat. Appl. (2014), EP 2765432.\n\n"
        "2. Preparation of amino-quinazolines for inflammatory disease. Nakamura, T. (Calder Pharma AB). "
        "PCT Int. Appl. (2016), WO 2016098765.\n\n"
        "3. Preparation of amino-quinazolines for inflammatory disease. Nakamura, T. (Calder Pharma AB). "
        "PCT Int. Appl. (2016), WO 2016098766.\n"
    )
    res = bibkit.parse_profile(page, fmt="text")
    assert [(e.type, e.number, e.container_title) for e in res] == [
        ("patent", "EP 2765432", "Eur. Pat. Appl."), ("patent", "WO 2016098765", "PCT Int. Appl."),
        ("patent", "WO 2016098766", "PCT Int. Appl.")]
    assert [a.family for a in res.entries[0].author] == ["Brandt", "Nakamura"]


def test_glued_journal_with_volume_and_pages() -> None:
    # "(Year) Title Journal 180: 1-10": the journal and its citation tail follow the title with no separator
    page = (
        "Publications\n\n"
        "Sage RF. (2004) The evolution of C4 photosynthesis New Phytologist 161: 341-370\n\n"
        "Jones JDG, Dangl JL (2006) The plant immune system Nature 444(7117): 323-329.\n"
    )
    rows = _rows(bibkit.parse_profile(page, fmt="text"))
    assert [(r[3], r[4], r[0]) for r in rows] == [
        ("The evolution of C4 photosynthesis", "New Phytologist", "article-journal"),
        ("The plant immune system", "Nature", "article-journal")]


def test_vancouver_author_list_ended_by_a_colon() -> None:
    page = (
        "Publications\n\n"
        "Tsuda K: Immune signaling networks in plants. Plant Cell 31, 1-2 (2019).\n\n"
        "Boller T, Felix G: A renaissance of elicitors: perception of microbe-associated molecular patterns. "
        "Annual Review of Plant Biology 60: 379-406 (2009).\n"
    )
    rows = _rows(bibkit.parse_profile(page, fmt="text"))
    assert [(r[2], r[3]) for r in rows] == [
        (["Tsuda"], "Immune signaling networks in plants"),
        (["Boller", "Felix"], "A renaissance of elicitors: perception of microbe-associated molecular patterns")]


def test_dated_periodicals_and_journals() -> None:
    from bibkit.profile.fields import _dated_periodical

    assert _dated_periodical("The Wall Street Journal, May 3, 2019.") == ("The Wall Street Journal",
                                                                          "article-newspaper")
    assert _dated_periodical("Financial Times, December 15, 2013.")[1] == "article-newspaper"
    assert _dated_periodical("The New York Times Magazine, September 2, 2009.")[1] == "article-magazine"
    # a journal by its name stays a journal; a conference is no periodical
    assert _dated_periodical("Journal of Time Series Analysis, May 15, 2020.")[1] is None
    assert _dated_periodical("In Proceedings of the Web Conference, April 2020.") is None


def test_title_heading_in_the_same_paragraph_and_german_commentaries() -> None:
    page = (
        "Patents\n\n"
        "Preparation of amino-quinazolines for the treatment of inflammatory disease\n"
        "Preparation of amino-quinazolines for the treatment of inflammatory disease. Nakamura, T.; Osei, K. A. "
        "(Calder Pharma AB). PCT Int. Appl. (2016), WO 2016098765.\n\n"
        "II. Kommentierungen\n\n"
        "1. § 4 Nr. 1 UWG, in: Lindner, Karl-Otto, AGB-Recht - Kommentar zum AGB-Gesetz, München 2005.\n\n"
        "2. § 5 UWG, in: Lindner, Karl-Otto / Brandt, Ute (Hg.), Lauterkeitsrecht - Kommentar, 2. Aufl., "
        "München 2009.\n"
    )
    rows = _rows(bibkit.parse_profile(page, fmt="text"))
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("patent", "Preparation of amino-quinazolines for the treatment of inflammatory disease", "PCT Int. Appl."),
        ("chapter", "§ 4 Nr. 1 UWG", "AGB-Recht - Kommentar zum AGB-Gesetz"),
        ("chapter", "§ 5 UWG", "Lauterkeitsrecht - Kommentar")]


def test_title_first_etal_with_periods_festschrift_and_us_patent_numbers() -> None:
    page = (
        "Publications\n\n"
        "Outcomes of early treatment in older patients. Patel et al. The Lancet 2021.\n\n"
        "Vertragsfreiheit und Verbraucherschutz, in: Festschrift für Hans Brandt zum 70. Geburtstag, "
        "hrsg. von Ute Keller, München 2011, S. 233-251.\n\n"
        "Grenzen der Privatautonomie. In: Archiv für die civilistische Praxis 210 (2010), S. 1-40.\n\n"
        "Solar cell with graded absorber. US Patent 9,123,456 B2, issued Sep. 15, 2015.\n"
    )
    res = bibkit.parse_profile(page, fmt="text")
    rows = _rows(res)
    assert (rows[0][3], rows[0][4]) == ("Outcomes of early treatment in older patients", "The Lancet")
    assert [a.family for a in res.entries[0].author if not a.is_others] == ["Patel"]
    assert (rows[1][0], rows[1][4]) == ("chapter", "Festschrift für Hans Brandt zum 70. Geburtstag")
    assert (rows[2][2], rows[2][3], rows[2][4]) == ([], "Grenzen der Privatautonomie",
                                                   "Archiv für die civilistische Praxis")
    assert (res.entries[3].type, res.entries[3].number) == ("patent", "US 9123456")


def test_markdown_bullets_of_report_b_shapes() -> None:
    page = (
        "## Publications\n\n"
        "- Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China, Huang et al, "
        "*The Lancet* 2020.\n"
        "- Sage RF. (2004) The evolution of C4 photosynthesis *New Phytologist*\n"
        "- Jones JDG, Dangl JL: The plant immune system. Nature 444: 323-329 (2006).\n"
    )
    rows = _rows(bibkit.parse_profile(page, fmt="markdown"))
    assert [(r[3], r[4]) for r in rows] == [
        ("Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China", "The Lancet"),
        ("The evolution of C4 photosynthesis", "New Phytologist"), ("The plant immune system", "Nature")]


def test_short_book_references_are_not_venue_lines() -> None:
    # eight words and a year look like a venue/date line by their length; the closed author list says otherwise
    page = (
        "Publications\n\n"
        "Blanchard, Olivier. Macroeconomics, 7th edition. Pearson, 2017.\n\n"
        "Rodrik, Dani. Economics Rules, 1st edition. Norton, 2015.\n"
    )
    res = bibkit.parse_profile(page, fmt="text")
    assert [(e.type, e.title, e.publisher, e.year) for e in res] == [
        ("book", "Macroeconomics", "Pearson", 2017), ("book", "Economics Rules", "Norton", 2015)]


def test_patent_without_assignee_and_slash_number() -> None:
    page = ("Patents\n\n1. Preparation of substituted indoles as receptor antagonists. Osei, K. A. "
            "PCT Int. Appl. (2009), WO 2009/001129 A1.\n")
    e = bibkit.parse_profile(page, fmt="text").entries[0]
    assert (e.type, e.title, [a.family for a in e.author], e.container_title, e.number) == (
        "patent", "Preparation of substituted indoles as receptor antagonists", ["Osei"], "PCT Int. Appl.",
        "WO 2009/001129 A1")


def test_imprints_in_both_orders() -> None:
    from bibkit.profile.fields import _place_publisher

    assert _place_publisher("Berlin: Duncker & Humblot 1996. (Habilitationsschrift)") == ("Berlin",
                                                                                          "Duncker & Humblot")
    assert _place_publisher("Cambridge, MA: MIT Press, 2016.") == ("Cambridge, MA", "MIT Press")
    assert _place_publisher("Wiley-VCH: Weinheim, 2005.") == ("Weinheim", "Wiley-VCH")  # ACS: publisher first
    assert _place_publisher("Available: https://example.org, 2020") is None


def test_chicago_volume_date_pages_keeps_conferences() -> None:
    page = (
        "Publications\n\n"
        "Brown, Tom, and Benjamin Mann. \"Language Models are Few-Shot Learners.\" Advances in Neural Information "
        "Processing Systems 33 (2020): 1877-1901.\n\n"
        "Chetty, Raj, and Nathaniel Hendren. \"Neighborhood Effects.\" AEA Papers and Proceedings 108 (May 2018): "
        "55-60.\n"
    )
    res = bibkit.parse_profile(page, fmt="text")
    assert [(e.type, e.container_title, e.volume, e.page) for e in res] == [
        ("paper-conference", "Advances in Neural Information Processing Systems", "33", "1877-1901"),
        ("article-journal", "AEA Papers and Proceedings", "108", "55-60")]


def test_glued_journal_needs_a_journal_word() -> None:
    from bibkit.profile.fields import _glued_venue

    assert _glued_venue("Root hair growth under phosphate limitation in barley Plant Physiology") == (
        "Root hair growth under phosphate limitation in barley", "Plant Physiology")
    # German nouns are capitalised: no journal at the end of these titles
    assert _glued_venue("Untersuchungen zu dynamischen neuronalen Netzen") is None
    assert _glued_venue("Untersuchungen zu dynamischen neuronalen Netzen und Systemen") is None


def test_glued_abbreviated_journal() -> None:
    page = (
        "Publications\n\n"
        "Smith AB, Jones CD. (2019) Modular assembly of plant expression vectors ACS Synth. Biol.\n\n"
        "Lee OP, Kim QR. (2019) Leaf development in maize New Phytol. 221: 1-10\n"
    )
    rows = _rows(bibkit.parse_profile(page, fmt="text"))
    assert [(r[0], r[3]) for r in rows] == [("article-journal", "Modular assembly of plant expression vectors"),
                                            ("article-journal", "Leaf development in maize")]
    assert rows[0][4].startswith("ACS Synth. Biol") and rows[1][4].startswith("New Phytol")
