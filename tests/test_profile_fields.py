"""Field extraction from single references in many citation styles and layouts."""

from __future__ import annotations

import pytest

from bibkit.profile import parse_profile
from bibkit.profile.fields import clean_title, parse_block, split_title
from bibkit.profile.lines import Line
from bibkit.profile.markdown import markdown_lines

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)


def one(text: str, **kw):
    lines = [ln for ln in markdown_lines(text) if not ln.blank]
    return parse_block(lines, **kw).entry


@pytest.mark.parametrize("text, title, first, venue, year, typ", [
    # computer science home-page style
    ("X. Pan, W. Lin, **Z. Tang**, X. Chu. FSMoE: A Flexible System. In ASPLOS 2025.",
     "FSMoE: A Flexible System", "Pan", "ASPLOS", 2025, "paper-conference"),
    # IEEE
    ('J. Q. Public and A. Author, "Learning to route," IEEE/ACM Trans. Netw., vol. 28, no. 4, pp. 1-9, 2020.',
     "Learning to route", "Public", "IEEE/ACM Trans. Netw", 2020, "article-journal"),
    # APA
    ("Doe, J., & Smith, A. (2020). Social learning in crowds. *Psychological Science*, 31(4), 123–145.",
     "Social learning in crowds", "Doe", "Psychological Science", 2020, "article-journal"),
    # Vancouver
    ("Zhang W, Li N, Thompson RJ, et al. Long-term outcomes of COVID-19. Lancet. 2021;398(10302):1234-1245.",
     "Long-term outcomes of COVID-19", "Zhang", "Lancet", 2021, "article-journal"),
    # ACS
    ("Doe, J.; Müller, K. Solvent Effects on Selectivity. *Angew. Chem. Int. Ed.* **2022**, 61, e202201234.",
     "Solvent Effects on Selectivity", "Doe", "Angew. Chem. Int. Ed", 2022, "article-journal"),
    # Chicago author-date with a quoted title
    ('Doe, Jane, and John Smith. 2019. "Trade and Wages." *Journal of Economic History* 79 (2): 1–30.',
     "Trade and Wages", "Doe", "Journal of Economic History", 2019, "article-journal"),
    # comma-only list with a venue tag
    ("[TPDS] Zhaorui Zhang, Cho-Li Wang, MIPD: An Adaptive Framework for DNN Training, IEEE Transactions on "
     "Parallel and Distributed Systems, 2022.", "MIPD: An Adaptive Framework for DNN Training", "Zhang",
     "IEEE Transactions on Parallel and Distributed Systems", 2022, "article-journal"),
    # acronym'year tag
    ("[SC’2024] Yafan Huang, Sheng Di, Versatile Soft Error Detection for HPC Applications.",
     "Versatile Soft Error Detection for HPC Applications", "Huang", "SC", 2024, "paper-conference"),
    # GB/T 7714
    ("张伟, 李娜. 基于深度学习的预测方法研究[J]. 中华流行病学杂志, 2020, 41(5): 700-705.",
     "基于深度学习的预测方法研究", "张", "中华流行病学杂志", 2020, "article-journal"),
    # arXiv
    ("Y. Wang, Y. Chen. Towards Reliable LLM Serving. arXiv preprint arXiv:2401.17644.",
     "Towards Reliable LLM Serving", "Wang", "arXiv", 2024, "article"),
    # title first (link), authors after
    ("[Graph Networks for Molecules](https://doi.org/10.1/x). **Jane Doe**, John Smith. *Nature Chemistry* 14, "
     "101–108 (2022).", "Graph Networks for Molecules", "Doe", "Nature Chemistry", 2022, "article-journal"),
])
def test_styles(text: str, title: str, first: str, venue: str, year: int, typ: str) -> None:
    e = one(text)
    assert e.title == title
    assert e.first_author_family == first
    assert e.container_title == venue
    assert e.year == year
    assert e.type == typ


def test_status_and_notes() -> None:
    e = one("A. Bee, C. Dee. Things Considered. Submitted to ICML 2026.")
    assert (e.type, e.status, e.container_title, e.year) == ("manuscript", "submitted", "ICML", 2026)
    e = one('L. Shen, Z. Tang. "Hot Pluggable Learning." In NeurIPS 2024 (<strong>Oral</strong>, Best Paper Award).')
    assert e.title == "Hot Pluggable Learning" and "Oral" in (e.note or "") and e.container_title == "NeurIPS"


def test_identifiers() -> None:
    e = one("A. Bee. A Study of Things. Journal of Stuff, 2020. doi:10.1234/abc.5678 ISBN 978-3-16-148410-0")
    assert e.doi == "10.1234/abc.5678"
    assert e.isbn == "978-3-16-148410-0"
    e = one("A. Bee. Some Preprint Title Here. CoRR, abs/2003.06307, 2020.")
    assert e.arxiv == "2003.06307" and e.type == "article" and e.status == "preprint"


def test_multi_line_block() -> None:
    lines = markdown_lines("- *CARE: Covariance-Aware Decomposition*  \n **Z. Zhou**, F. Bie\n"
                           "  - **ICLR (International Conference on Learning Representations) 2026**\n"
                           "  - Track: *Research*\n  - [PAPER LINK](#)")
    e = parse_block([ln for ln in lines if not ln.blank]).entry
    assert e.title == "CARE: Covariance-Aware Decomposition"
    assert [a.family for a in e.author] == ["Zhou", "Bie"]
    assert e.year == 2026 and e.type == "paper-conference" and "ICLR" in e.container_title


def test_book_patent_thesis() -> None:
    e = one("Xuebin Chi, Zhaorui Zhang, etc., Development Report on Computing, Book, published by Science Press, "
            "2018.")
    assert (e.type, e.publisher, e.year) == ("book", "Science Press", 2018)
    e = one("Zhaorui Zhang, Efficient Update Strategies for Deep Learning, HKU Theses Online (HKUTO), 2021.")
    assert e.type == "thesis"
    e = one("A. Bee, C. Dee. Small-file storage system. Chinese Patent CN111475469A, 2020.")
    assert e.type == "patent" and e.number == "CN111475469A"


def test_chapter_with_editors() -> None:
    e = one("Zhang W. Cohort designs. In: Rothman K, Greenland S, eds. *Modern Epidemiology*. 4th ed. "
            "Wolters Kluwer; 2021:101-130.")
    assert e.type == "chapter" and e.container_title == "Modern Epidemiology"
    assert [n.family for n in e.editor] == ["Rothman", "Greenland"]


def test_split_and_clean_title() -> None:
    assert split_title("Should We Edit? On Evaluation. In NeurIPS 2024.") == ("Should We Edit? On Evaluation",
                                                                             "In NeurIPS 2024.")
    assert clean_title('"Quoted Title."') == "Quoted Title"
    assert clean_title("Pre-Expedite: Small Files - Undergraduate Thesis") == "Pre-Expedite: Small Files"


def test_confidence_and_provenance() -> None:
    res = parse_profile("## Papers\n\n- A. Bee, C. Dee. A Long Enough Title. In ICML 2020.\n", owner="Bee, A.")
    e = res.entries[0]
    assert 0.9 <= e.confidence <= 1.0
    p = e.provenance[0]
    assert (p.line_start, p.line_end, p.fmt) == (3, 3, "markdown") and "A Long Enough Title" in p.raw


def test_plain_line_object() -> None:
    e = parse_block([Line(1, "A. Bee and C. Dee. Title of the Work. Journal of Things, 2001.")]).entry
    assert (e.title, e.year, e.container_title) == ("Title of the Work", 2001, "Journal of Things")


@pytest.mark.parametrize("text, author, title, year", [
    ("Plato. (1992). Republic (G. M. A. Grube & C. D. C. Reeve, trans.; 2nd ed.). Hackett.", "Plato", "Republic",
     1992),
    ("World Health Organization (2023). World health statistics 2023: Monitoring health for the SDGs. Geneva.",
     "World Health Organization", "World health statistics 2023: Monitoring health for the SDGs", 2023),
    ("Wikipedia contributors. (2024, January 15). Citation Style Language. Wikipedia, The Free Encyclopedia.",
     "Wikipedia contributors", "Citation Style Language", 2024),
    ("OpenAI, 2023. GPT-4 technical report. arXiv preprint arXiv:2303.08774.", "OpenAI", "GPT-4 technical report",
     2023),
    ("National Institute of Standards and Technology. Framework for improving critical infrastructure "
     "cybersecurity. Gaithersburg, MD; 2018.", "National Institute of Standards and Technology",
     "Framework for improving critical infrastructure cybersecurity", 2018),
])
def test_corporate_and_one_word_authors(text: str, author: str, title: str, year: int) -> None:
    e = one(text)
    assert [a.literal for a in e.author] == [author]
    assert (e.title, e.year) == (title, year)


def test_one_word_title_before_a_descriptor() -> None:
    e = one("Doe, J. (2020). *Republic* (2nd ed.). Hackett.")
    assert e.title == "Republic"


@pytest.mark.parametrize("text, title", [
    ("Aristotle. 1968. Poetics. Edited by D. W. Lucas. Clarendon Press.", "Poetics"),
    ("Aristotle. (1968). Poetics (D. W. Lucas, ed.). Clarendon Press.", "Poetics"),
    ("Knuth, D. E. (1997). The art of computer programming, Vol. 1: Fundamental algorithms (3rd ed.). "
     "Addison-Wesley.", "The art of computer programming, Vol. 1: Fundamental algorithms"),
])
def test_book_titles(text: str, title: str) -> None:
    assert one(text).title == title


@pytest.mark.parametrize("text, families, title, venue", [
    # APS / AIP: unquoted title between commas, abbreviated journal with inner commas and colons
    ("L. M. Gambardella and M. Dorigo, Solving Symmetric and Asymmetric TSPs by Ant Colonies, in Proceedings of "
     "the IEEE International Conference on Evolutionary Computation (1996), pp. 622–627.", ["Gambardella", "Dorigo"],
     "Solving Symmetric and Asymmetric TSPs by Ant Colonies", None),
    ("R. Brun and F. Rademakers, ROOT — An object oriented data analysis framework, Nucl. Instrum. Methods Phys. "
     "Res., Sect. A 389, 81 (1997).", ["Brun", "Rademakers"], "ROOT — An object oriented data analysis framework",
     None),
    ("J. C. Dyre, A phenomenological model for the Meyer-Neldel rule, J. Phys. C: Solid State Phys. 19, 5655 (1986).",
     ["Dyre"], "A phenomenological model for the Meyer-Neldel rule", "J. Phys. C: Solid State Phys"),
    ("L. Wittgenstein, Tractatus Logico-philosophicus (Kegan Paul, London, 1922).", ["Wittgenstein"],
     "Tractatus Logico-philosophicus", None),
])
def test_aps_shapes(text: str, families: list[str], title: str, venue: str | None) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    assert e.title == title
    if venue:
        assert e.container_title == venue


@pytest.mark.parametrize("text, families, title, venue", [
    # Cell: the publisher in parentheses ends a book reference; editions and editors left out of the title
    ("Kuhn, T.S. (1962). The structure of scientific revolutions (University of Chicago Press).", ["Kuhn"],
     "The structure of scientific revolutions", "Chicago Press"),
    ("Cotton, F.A., and Wilkinson, G. (1999). Advanced inorganic chemistry 6th ed. (Wiley).", ["Cotton", "Wilkinson"],
     "Advanced inorganic chemistry", "Wiley"),
    ("Van Rossum, G., and Drake, F.L. (2009). Python 3 reference manual (CreateSpace).", ["Van Rossum", "Drake"],
     "Python 3 reference manual", "CreateSpace"),
    # an acronym in parentheses stays in the title
    ("Devlin, J. (2019). Pre-training of deep bidirectional transformers (BERT).", ["Devlin"],
     "Pre-training of deep bidirectional transformers (BERT)", None),
])
def test_cell_books(text: str, families: list[str], title: str, venue: str | None) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    assert e.title == title
    if venue:
        assert venue in (e.publisher or e.container_title or "")


@pytest.mark.parametrize("text, families, title", [
    # a lone (bold) author between the title and the venue
    ("**[BSTJ'48]** A mathematical theory of communication. **Claude E. Shannon**. *Bell System Technical Journal*, "
     "1948.", ["Shannon"], "A mathematical theory of communication"),
    ("**[JNT'74]** Hemingway's Style and Jake's Narration. **Terrence Doody**. *The Journal of Narrative Technique*, "
     "1974.", ["Doody"], "Hemingway's Style and Jake's Narration"),
    # a lower-case title ending in an organisation word is no organisation
    ("**[arXiv'15]** Distilling the knowledge in a neural network. Geoffrey Hinton, **Oriol Vinyals**, Jeff Dean. "
     "*arXiv*, 2015.", ["Hinton", "Vinyals", "Dean"], "Distilling the knowledge in a neural network"),
    # "Algebra V:" is no "Family I:" author
    ("**[Misc'04]** Higher-Dimensional Algebra V: 2-Groups. **John C. Baez**, Aaron D. Lauda.", ["Baez", "Lauda"],
     "Higher-Dimensional Algebra V: 2-Groups"),
])
def test_title_then_authors(text: str, families: list[str], title: str) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    assert e.title == title


def test_suffix_piece_joins_its_name() -> None:
    from bibkit.profile.names import parse_author_list

    names = parse_author_list("Frederick P. Brooks, Jr., and Guy L. Steele")
    assert [(n.family, n.suffix) for n in names] == [("Brooks", "Jr."), ("Steele", None)]


@pytest.mark.parametrize("text, title", [
    # ACS books: "Title; Publisher: Place, Year"; a title with its own semicolons stays whole
    ("Kuhn, T. S. The Structure of Scientific Revolutions; University of Chicago Press: Chicago, 1962; p 12.",
     "The Structure of Scientific Revolutions"),
    ("Steele, G. L., Jr. Common Lisp: The Language, 2nd ed.; Digital Press: Bedford, MA, 1990.",
     "Common Lisp: The Language"),
    ("Bartlett, F.H. 1988. Automatic page balancing macros wanted; Replies: Inverted pyramidal titles. TUGboat. 9, "
     "1 (Apr. 1988), 83–85.", "Automatic page balancing macros wanted; Replies: Inverted pyramidal titles"),
])
def test_acs_books(text: str, title: str) -> None:
    assert one(text).title == title


@pytest.mark.parametrize("text, author, title", [
    # a one-word or corporate author alone before a quoted title, or between title and venue
    ('**Plato**. "Republic." *Hackett*, 1992.', "Plato", "Republic"),
    ('**Python Software Foundation**. "Python 3.11 documentation." *Python documentation*.',
     "Python Software Foundation", "Python 3.11 documentation"),
    ("**[Book'92]** Republic. **Plato**. *Hackett*, 1992.", "Plato", "Republic"),
    ("PRECISE-HF Investigators. Rationale and design of the PRECISE-HF pragmatic trial. Am Heart J. 2023;260:45-53.",
     "PRECISE-HF Investigators", "Rationale and design of the PRECISE-HF pragmatic trial"),
])
def test_corporate_author_layouts(text: str, author: str, title: str) -> None:
    e = one(text)
    assert [a.literal for a in e.author] == [author]
    assert e.title == title


def test_no_corporate_author_from_a_grant_line() -> None:
    e = one("Spencer Foundation Research Grant, “Bilingual Schooling and Labor Outcomes”")
    assert not e.author
    e = one('Keynote: "Scaling Laws Revisited", ICML 2024.')
    assert not e.author


def test_suffix_then_double_period() -> None:
    e = one("**[Book'95]** The mythical man-month: Essays on software engineering. **Frederick P. Brooks, Jr.**. "
            "*Addison-Wesley*, 1995.")
    assert [(a.family, a.suffix) for a in e.author] == [("Brooks", "Jr")]
    assert e.title == "The mythical man-month: Essays on software engineering"


@pytest.mark.parametrize("text, families, title", [
    # NLM: medium tags after the title, a particle before a lone Vancouver name, an editors' list
    ("Kingma DP, Ba J. Adam: A method for stochastic optimization [Preprint] [Internet]. arXiv; 2014.",
     ["Kingma", "Ba"], "Adam: A method for stochastic optimization"),
    ("van Gennep A. Les rites de passage. Paris: Nourry; 1909.", ["Gennep"], "Les rites de passage"),
    ("Hutter F, Kotthoff L, Vanschoren J, editors. Automated machine learning: Methods, systems, challenges. "
     "Cham: Springer; 2019.", ["Hutter", "Kotthoff", "Vanschoren"], "Automated machine learning: Methods, systems, "
     "challenges"),
])
def test_nlm_shapes(text: str, families: list[str], title: str) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    assert e.title == title


@pytest.mark.parametrize("text, families, title", [
    # LNCS: a URL or a bare "(year)" after the title's comma; two-word family names inside an inverted list
    ("Markey, N.: Tame the BeaST, http://mirror.ctan.org/info/bibtex/tamethebeast/ttb_en.pdf, last accessed "
     "2006/10/01.", ["Markey"], "Tame the BeaST"),
    ("Bell, A.G.: Improvement in telegraphy, (1876).", ["Bell"], "Improvement in telegraphy"),
    ("Vázques de Parga, L., Lacarra, J.M., Uría Ríu, J.: Las Peregrinaciones a Santiago de Compostela. Iberdrola, "
     "Pamplona (1993).", ["Vázques de Parga", "Lacarra", "Uría Ríu"], "Las Peregrinaciones a Santiago de Compostela"),
    ("Leal do Forte, V., Tavares Montenegro, F.M., de Moura Brito, J.A., Maculan, N.: Iterated Local Search. "
     "Int. Trans. Oper. Res. 23, 1–20 (2016).", ["Leal do Forte", "Tavares Montenegro", "Moura Brito", "Maculan"],
     "Iterated Local Search"),
])
def test_lncs_shapes(text: str, families: list[str], title: str) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    assert e.title == title


@pytest.mark.parametrize("text, families, literal, title", [
    # Science / APS: "(Publisher, Place, Year; URL)" after a book title, ", Eds.," after editors,
    # an organisation before a comma, a title starting with comma-separated words after "I. Family" names
    ("I. Goodfellow, Y. Bengio, A. Courville, Deep Learning (MIT Press, Cambridge, MA, 2016; "
     "http://www.deeplearningbook.org).", ["Goodfellow", "Bengio", "Courville"], None, "Deep Learning"),
    ("F. Hutter, L. Kotthoff, J. Vanschoren, Eds., Automated Machine Learning: Methods, Systems, Challenges "
     "(Springer, Cham, 2019).", ["Hutter", "Kotthoff", "Vanschoren"], None,
     "Automated Machine Learning: Methods, Systems, Challenges"),
    ("C. Blum, J. A. Lozano, Construct, Merge, Solve & Adapt: A New General Algorithm for Combinatorial "
     "Optimization. Comput. Oper. Res. 68, 75–88 (2016).", ["Blum", "Lozano"], None,
     "Construct, Merge, Solve & Adapt: A New General Algorithm for Combinatorial Optimization"),
    ("LIGO Scientific Collaboration and Virgo Collaboration, Observation of gravitational waves from a binary black "
     "hole merger, Phys. Rev. Lett. 116, 061102 (2016).", [None], "LIGO Scientific Collaboration and Virgo "
     "Collaboration", "Observation of gravitational waves from a binary black hole merger"),
])
def test_science_shapes(text: str, families: list[str | None], literal: str | None, title: str) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    if literal:
        assert e.author[0].literal == literal
    assert e.title == title


@pytest.mark.parametrize("text, families, title", [
    # "Title. Authors. Venue" where the title also reads as a name: the bold owner / the longer list decides
    ("**[Book'00]** Animal Triste. **Monika Maron**. *University of Nebraska Press*, 2000.", ["Maron"],
     "Animal Triste"),
    ("**[Patent'98]** Elektromagnetisches Signalhorn. José L. Almendro, Jacinto Martín, **Fernando Nozal**. "
     "*Patent EU-29702195U*, 1998.", ["Almendro", "Martín", "Nozal"], "Elektromagnetisches Signalhorn"),
    ("**[TUGboat'92]** Inside Type & Set. **Graham Asher**. *TUGboat*, 1992.", ["Asher"], "Inside Type & Set"),
    # the usual order stays
    ("John Smith. Deep Learning Made Easy. Journal of Things, 2000.", ["Smith"], "Deep Learning Made Easy"),
])
def test_title_before_authors_that_look_alike(text: str, families: list[str], title: str) -> None:
    e = one(text)
    assert [a.family for a in e.author] == families
    assert e.title == title


def test_emphasised_short_title_over_the_author_line() -> None:
    lines = markdown_lines("- **Mask R-CNN**<br>\n  Kaiming He, Georgia Gkioxari, Piotr Dollár, Ross Girshick<br>\n"
                           "  Published in *ICCV*, 2017<br>\n  [Download paper here](https://arxiv.org/abs/1703.06870)")
    e = parse_block([ln for ln in lines if not ln.blank]).entry
    assert e.title == "Mask R-CNN"
    assert [a.family for a in e.author] == ["He", "Gkioxari", "Dollár", "Girshick"]
