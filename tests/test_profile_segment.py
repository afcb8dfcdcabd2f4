"""Segmentation: section headings, kinds, and the grouping of lines into entries."""

from __future__ import annotations

import pytest

from bibkit.profile import parse_profile
from bibkit.profile.markdown import markdown_lines
from bibkit.profile.segment import classify_heading, plain_heading, split_sections
from bibkit.profile.text import text_lines

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)


@pytest.mark.parametrize("heading, kind, typ, status", [
    ("Publications", "pub", None, None),
    ("📝 Selected Papers", "pub", None, None),
    ("Journal Articles", "pub", "article-journal", None),
    ("Conference Proceedings", "pub", "paper-conference", None),
    ("Preprints", "pub", "article", "preprint"),
    ("Under Review", "pub", "manuscript", "under-review"),
    ("Book Chapters", "pub", "chapter", None),
    ("Patents", "pub", "patent", None),
    ("Theses", "pub", "thesis", None),
    ("Invited Talks", "talks", "speech", None),
    ("Teaching Experience", "other", None, None),
    ("Honors and Awards", "other", None, None),
    ("Professional Service", "other", None, None),
    ("Reviewer for Conferences", "other", None, None),
    ("Conference Participation", "other", None, None),
    ("Research Interests", "soft", None, None),
    ("Skills", "other", None, None),  # plural of the vocabulary's "skill"
    ("Technical Skills", "other", None, None),
])
def test_classify_heading(heading: str, kind: str, typ: str | None, status: str | None) -> None:
    assert classify_heading(heading)[:3] == (kind, typ, status)


def test_year_and_unknown_headings() -> None:
    assert classify_heading("2023") == ("year", None, None, 2023)
    assert classify_heading("Deep Learning for Proteins") is None


def test_plain_headings() -> None:
    lines = text_lines("PUBLICATIONS\nJournal Papers:\nIn Preprint\nA. Bee. Title. Journal, 2020.")
    assert [bool(plain_heading(ln)) for ln in lines] == [True, True, False, False]


def test_sections_and_long_headings() -> None:
    md = ("# Jane Doe\n\n## Teaching\n- CS101\n\n## Publications\n### 2023\n"
          "#### A Long Title That Is Really An Entry: With Colon\n\n• A. Bee, C. Dee\n\n## Awards\n- Prize\n")
    kinds = [(s.title, s.kind, s.year_hint) for s, _ in split_sections(markdown_lines(md))]
    assert kinds == [("", "unknown", None), ("Jane Doe", "unknown", None), ("Teaching", "other", None),
                     ("Publications", "pub", None), ("2023", "pub", 2023), ("Awards", "other", None)]


def test_non_publication_sections_are_skipped() -> None:
    md = ("## Teaching\n- Intro to Things, Fall 2020\n\n## Professional Service\n- Reviewer, NeurIPS 2023\n\n"
          "## Publications\n- A. Bee, C. Dee. Real Paper Title. In ICML 2020.\n")
    res = parse_profile(md)
    assert [e.title for e in res.entries] == ["Real Paper Title"]


def test_clear_reference_outside_publications_is_kept() -> None:
    text = "About me\n\nI study things.\n\nA. Bee, C. Dee, E. Eff. A Clear Reference Title. In NeurIPS 2021.\n"
    res = parse_profile(text)
    assert [e.title for e in res.entries] == ["A Clear Reference Title"]


def test_multi_line_blocks_pdf_style() -> None:
    text = ("### Publications\n\n# RLHFuse: Efficient RLHF Training for Large Models\n\nIN PREPRINT Sep 2024\n\n"
            "• Yinmin Zhong, Zili Zhang, Xin Jin\n\n#### Jolteon: Serverless Workflows at Scale NSDI'24\n\n"
            "Santa Clara, U.S.\n\n• Zili Zhang, Chao Jin\n\n"
            "Rise of Distributed Training in the Big Model Era: From A\n\n"
            "**Software Engineering Perspective** TOSEM'23\n\nMay. 2023\n\n• Xuanzhe Liu, Zili Zhang\n")
    res = parse_profile(text, fmt="markdown")
    got = [(e.title, e.year, e.container_title, len(e.author)) for e in res.entries]
    assert got == [
        ("RLHFuse: Efficient RLHF Training for Large Models", 2024, None, 3),
        ("Jolteon: Serverless Workflows at Scale", 2024, "NSDI", 2),
        ("Rise of Distributed Training in the Big Model Era: From A Software Engineering Perspective", 2023,
         "TOSEM", 2),
    ]


def test_item_fragments_join_their_entry() -> None:
    md = ("## Papers\n- *A Dataset for Coding Agents*  \n A. Bee\\*, C. Dee \\*Project Core Leads\n"
          "  - [PAPER LINK](#)\n\n- [Some Company Blog](#)\n- *Track: Research*\n- [BLOG LINK](#)\n"
          "- *Another Real Paper Title*  \n E. Eff\n  - **ICML 2024**\n")
    res = parse_profile(md)
    got = [(e.title, [a.family for a in e.author], e.type, e.container_title) for e in res.entries]
    assert got == [("A Dataset for Coding Agents", ["Bee", "Dee"], "webpage", "Some Company Blog"),
                   ("Another Real Paper Title", ["Eff"], "paper-conference", "ICML")]


def test_news_items_collapse_into_the_entry() -> None:
    text = ("News\n\n12 May 2024, Our paper “FedFa: Asynchronous Federated Learning” has been accepted by "
            "IJCAI’ 2024.\n\nPublications\n\n[IJCAI’2024] H. Xu, Z. Zhang. FedFa: Asynchronous Federated Learning.\n")
    res = parse_profile(text)
    assert len(res.entries) == 1
    e = res.entries[0]
    assert (e.title, e.year, e.container_title) == ("FedFa: Asynchronous Federated Learning", 2024, "IJCAI")
    assert len(e.provenance) == 2


def test_news_only_entry_is_kept() -> None:
    res = parse_profile("Our paper “A Paper Only In The News” has been accepted by ICML 2025.")
    assert [(e.title, e.container_title, e.status) for e in res.entries] == [
        ("A Paper Only In The News", "ICML", "accepted")]


def test_same_title_other_work_is_kept() -> None:
    md = ("## Publications\n\n- LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. *Nature*, 521, 436–444.\n"
          "- Goodfellow, I., Bengio, Y., & Courville, A. (2016). *Deep learning*. MIT Press.\n"
          "- Beeton, B. (2005). Editorial comments. *TUGboat*, 26(1), 3–5.\n"
          "- Beeton, B. (2012). Editorial comments. *TUGboat*, 33(1), 3–4.\n\n## Selected\n\n"
          "- Beeton, B. (2012). Editorial comments. *TUGboat*, 33(1), 3–4.\n")
    got = [(e.first_author_family, e.year, len(e.provenance)) for e in parse_profile(md).entries]
    assert got == [("LeCun", 2015, 1), ("Goodfellow", 2016, 1), ("Beeton", 2005, 1), ("Beeton", 2012, 2)]
