"""Author strings: name styles, list splitting, markers, prefixes of references."""

from __future__ import annotations

import pytest

from bibkit.model import OTHERS
from bibkit.profile.fields import author_prefix
from bibkit.profile.names import clean_author_text, parse_author_list, parse_name


@pytest.mark.parametrize("text, family, given", [
    ("Zhaorui Zhang", "Zhang", "Zhaorui"),
    ("X. Pan", "Pan", "X."),
    ("A. C. Zhou", "Zhou", "A. C."),
    ("AC Zhou", "Zhou", "AC"),
    ("Li WXY", "Li", "WXY"),
    ("Lee K.H.", "Lee", "K.H."),
    ("Stoyanov D", "Stoyanov", "D"),
    ("Cheung RCC", "Cheung", "RCC"),
    ("Jue WANG", "WANG", "Jue"),
    ("ZHANG Wei", "ZHANG", "Wei"),
    ("Shuaiwen Leon Song", "Song", "Shuaiwen Leon"),
    ("Yiu-ming Cheung", "Cheung", "Yiu-ming"),
    ("Doe, Jane", "Doe", "Jane"),
    ("Łukasz Nowak", "Nowak", "Łukasz"),
    ("Nguyễn, T.", "Nguyễn", "T."),
])
def test_name_styles(text: str, family: str, given: str) -> None:
    n = parse_name(text)
    assert n is not None and (n.family, n.given) == (family, given)


def test_particles_and_cjk() -> None:
    n = parse_name("Laurens van der Maaten")
    assert (n.family, n.particle) == ("Maaten", "van der")
    n = parse_name("张伟")
    assert (n.family, n.given) == ("张", "伟")


@pytest.mark.parametrize("text", ["Efficient Training Systems", "SQUEEZE THINK", "Weixin Group", "Santa Clara"])
def test_not_names(text: str) -> None:
    assert parse_name(text) is None or not parse_author_list(text + ", U.S.")


def test_markers_are_stripped() -> None:
    assert clean_author_text("L. Shen\\*, **Z. Tang**\\*💡 , X.📧 Chu†") == "L. Shen, Z. Tang, X. Chu"
    assert [n.family for n in parse_author_list("Anna Smith1,2, Bo Jones3")] == ["Smith", "Jones"]


@pytest.mark.parametrize("text, families", [
    ("X. Pan, W. Lin, and X. Chu", ["Pan", "Lin", "Chu"]),
    ("Smith, J., Doe, A. B., & Roe, C.", ["Smith", "Doe", "Roe"]),
    ("Doe, J.; Müller, K.; Nguyễn, T.", ["Doe", "Müller", "Nguyễn"]),
    ("Doe, Jane and Pierre Lefèvre", ["Doe", "Lefèvre"]),
    ("Smith, John, Jane Doe, and Ana García", ["Smith", "Doe", "García"]),
    ("Zhang W, Li N, Thompson RJ", ["Zhang", "Li", "Thompson"]),
    ("Qun Xia, Zhihao Li, Bin Xu, Wei Zou", ["Xia", "Li", "Xu", "Zou"]),
    ("张伟, 李娜", ["张", "李"]),
])
def test_author_lists(text: str, families: list[str]) -> None:
    assert [n.family for n in parse_author_list(text)] == families


def test_et_al_is_others() -> None:
    names = parse_author_list("A. Bee, C. Dee, et al.")
    assert names[-1].literal == OTHERS and len(names) == 3


@pytest.mark.parametrize("text, families, rest", [
    ("X. Pan, W. Lin, and X. Chu. FSMoE: A System. In ASPLOS 2025.", ["Pan", "Lin", "Chu"], " FSMoE"),
    ("Zhaorui Zhang, Cho-Li Wang, MIPD: An Adaptive Framework, 2022.", ["Zhang", "Wang"], ", MIPD"),
    ("Zhang W. Cohort designs. In: Rothman K", ["Zhang"], " Cohort"),
    ("Thompson RJ, Zhang W. Vaccine hesitancy in rural areas.", ["Thompson", "Zhang"], " Vaccine"),
    ("Doe, J. (2019). Credit constraints", ["Doe"], " (2019)"),
    # Vancouver: the last "Family I." ends the list even when a capitalised title follows
    ("Kritzinger S, Hartl RF, Stützle T. A Unified Framework for Routing", ["Kritzinger", "Hartl", "Stützle"],
     " A Unified"),
    ("Gambardella LM, Dorigo M. Solving Symmetric and Asymmetric TSPs", ["Gambardella", "Dorigo"], " Solving"),
    ("Galinier P, Hao J-K. Hybrid evolutionary algorithms", ["Galinier", "Hao"], " Hybrid"),
    # "Given M. Family and ..." (ACM) is no Vancouver "Family I." before a title; "Gillies A. Herder and the ..." is
    ("James W. Cooley and John W. Tukey. 1965. An algorithm", ["Cooley", "Tukey"], " 1965"),
    ("Lin Xu, Holger H. Hoos, and Kevin Leyton-Brown. 2011. Hydra-MIP", ["Xu", "Hoos", "Leyton-Brown"], " 2011"),
    ("Frederick P. Brooks Jr. 1995. The mythical man-month", ["Brooks"], " 1995"),
    ("Gillies A. Herder and the Preparation of Goethe's Idea", ["Gillies"], " Herder"),
    ("Lamport L. Time, clocks, and the ordering of events", ["Lamport"], " Time"),
    ("Leal do Forte V, de Moura Brito JA, Maculan N. Iterated Local Search", ["Leal do Forte", "Moura Brito",
                                                                              "Maculan"], " Iterated"),
])
def test_author_prefix(text: str, families: list[str], rest: str) -> None:
    names, end = author_prefix(text)
    assert [n.family for n in names] == families
    assert text[end:].startswith(rest)


@pytest.mark.parametrize("text, families", [
    # ISO 690: upper-case family names, particles and undotted middle initials
    ("VAN DER MAATEN, Laurens and HINTON, Geoffrey, 2008. Visualizing data", ["VAN DER MAATEN", "HINTON"]),
    ("BENTLEY, Nathan P and BLUNDELL, Stephen J, 2023. The interaction", ["BENTLEY", "BLUNDELL"]),
    ("ANDERSON, E., DU CROZ, J. and SORENSEN, D., 1999. LAPACK Users' Guide", ["ANDERSON", "DU CROZ", "SORENSEN"]),
])
def test_upper_case_inverted_names(text: str, families: list[str]) -> None:
    names, _end = author_prefix(text)
    assert [n.family for n in names] == families


@pytest.mark.parametrize("text, literal", [
    ("PLATO, 1992. Republic. Indianapolis: Hackett.", "PLATO"),
    ("PYTHON SOFTWARE FOUNDATION, [no date]. Python 3.11 documentation.", "PYTHON SOFTWARE FOUNDATION"),
])
def test_upper_case_one_word_and_corporate_authors(text: str, literal: str) -> None:
    names, _end = author_prefix(text)
    assert [n.literal for n in names] == [literal]


@pytest.mark.parametrize("text, families, rest", [
    # DIN 1505: " ; "-separated inverted names, role markers, a lone one-word author, a middle name after an initial
    ("Wittgenstein, Ludwig ; Ogden, C. K. (Übers.): Tractatus logico-philosophicus. London", ["Wittgenstein"],
     " Tractatus"),
    ("Nietzsche, Friedrich ; Colli, G. ; Montinari, M. (Hrsg.): Die Geburt der Tragödie.", ["Nietzsche"], " Die"),
    ("Plato ; Grube, G. M. A. ; Reeve, C. D. C. (Übers.): Republic. 2. Aufl.", ["Plato"], " Republic"),
    ("Humboldt, Alexander von: Kosmos: Entwurf einer physischen Weltbeschreibung.", ["Humboldt"], " Kosmos"),
    ("Hostetler, Michael J. ; Londono, J. David ; Green, Stephen J. ; u. a.: Alkanethiolate gold",
     ["Hostetler", "Londono", "Green", None], ": Alkanethiolate"),
])
def test_din_author_lists(text: str, families: list[str | None], rest: str) -> None:
    names, end = author_prefix(text)
    assert [None if n.is_others else n.family or n.literal for n in names] == families
    assert text[end:].startswith(rest)
