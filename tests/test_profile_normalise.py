"""The normalisers of the learned parser: author spans as the tagger marks them in real references."""

from __future__ import annotations

import pytest

from bibkit.profile.normalise import editors, names


def fam(text: str) -> list[str]:
    return [n.family or n.literal or "" for n in names(text)]


@pytest.mark.parametrize(("span", "families"), [
    # inverted (APA, MLA, Chicago), initials with and without spaces
    ("De Raedt, L., & Bruynooghe, M.", ["De Raedt", "Bruynooghe"]),
    ("Oxenford, J.L. & Williams, S.I.,", ["Oxenford", "Williams"]),
    ("Kaldenberg, E.R., Watt, S.J., Therrien, W.J.", ["Kaldenberg", "Watt", "Therrien"]),
    ("Sclar, C. B., Short, N.M. and Cocks,G.G.,", ["Sclar", "Short", "Cocks"]),
    ("Dearfield, K.L.; Douglas, G.R.; Sega, G.A; & Brusick, D.J.,", ["Dearfield", "Douglas", "Sega", "Brusick"]),
    ("Miller, J.–A.", ["Miller"]),
    ("Morton de Lachapelle, D., Challet, D.,", ["Morton de Lachapelle", "Challet"]),
    ("Wellman Kephart, J. O., Hogg, T., & Huberman, B. A.", ["Wellman Kephart", "Hogg", "Huberman"]),
    # particles
    ("Verlinden, J., Bolter, J. D., & van der Mast, C.", ["Verlinden", "Bolter", "Mast"]),
    ("Di Sante, Costantino.", ["Di Sante"]),
    ("van der Veen, Marijke, and Glynis Jones", ["Veen", "Jones"]),
    ("SÁ, Alvino Augusto de; SHECAIRA, Sérgio Salomão (Orgs.).", ["SÁ", "SHECAIRA"]),
    # first name inverted, the others in reading order
    ("Viola, Herman J. , and Carolyn Margolis, eds.", ["Viola", "Margolis"]),
    ("Eggers, F., D.J. Hansen & A.E. Davis", ["Eggers", "Hansen", "Davis"]),
    # reading order, with list numbers and ditto dashes before
    ("25. Spickett-Jones, J. G. & T.-Y. Eng", ["Spickett-Jones", "Eng"]),
    ("------ , and Haendel, V.", ["Haendel"]),
    ("A. B. Smith, Carl de la Cruz and D. Brown", ["Smith", "Cruz", "Brown"]),
    # a particle word as the last word is the family name, not a particle ('Sheng Di', 'Q. Le')
    ("Yafan Huang, Sheng Di, Zhaorui Zhang, Xiaoyi Lu", ["Huang", "Di", "Zhang", "Lu"]),
    ("A. Davis, Q. Le, G. Hinton", ["Davis", "Le", "Hinton"]),
    # Vancouver
    ("Pérez-Higueras JJ, Arias A, de la Macorra JC, Peters OA.", ["Pérez-Higueras", "Arias", "Macorra", "Peters"]),
    ("Zijlstra GAR, van Haastregt JCM, Kempen GIJM.", ["Zijlstra", "Haastregt", "Kempen"]),
    ("McWhinney IR, Freeman T.", ["McWhinney", "Freeman"]),
    ("Poux M., Milcent P.-Y. (dir.),", ["Poux", "Milcent"]),
    ("5,6-Ando S, Otani M, Moritake K.", ["Ando", "Otani", "Moritake"]),
    ("HARBULOT C.,", ["HARBULOT"]),
    # "Surname, II. Surname, II." lists
    ("Schumann, CM. Barnes, CC. Lord, C. Courchesne, E.", ["Schumann", "Barnes", "Lord", "Courchesne"]),
    ("Chiu, C., Puduru, V.R. Xian, W., and Moss, C.F.", ["Chiu", "Puduru", "Xian", "Moss"]),
    # family names in capitals
    ("VIATTE, Sebastien, Darren PLANT, Buhm HAN, Bo FU, Annie YARWOOD", ["VIATTE", "PLANT", "HAN", "FU", "YARWOOD"]),
    ("ABARCA ALONSO, A.,", ["ABARCA ALONSO"]),
    # given names in brackets, suffixes
    ("Bonhomme (Fl.), Guillin (S.), Lehner (R. P.)", ["Bonhomme", "Guillin", "Lehner"]),
    ("Attrep, Jr,M., Quintana, L.R. and Cisneros,M.R.,", ["Attrep", "Quintana", "Cisneros"]),
    ("Henderson, D. A. Jr. And Card, S. K.", ["Henderson", "Card"]),
    # groups
    ("the Overcoming RSV Investigators", ["the Overcoming RSV Investigators"]),
    ("WHO", ["WHO"]),
    ("Interstate Technology Regulatory Council (ITRC).", ["Interstate Technology Regulatory Council"]),
])
def test_author_spans(span: str, families: list[str]) -> None:
    assert fam(span) == families


@pytest.mark.parametrize("span", ["Grabrucker, A.M., et al.,", "Nishida, T., & et al.", "Bereni et alii",
                                  "Lauritsen, MB. Als, TD. et al."])
def test_et_al_ends_the_list(span: str) -> None:
    got = names(span)
    assert got[-1].is_others
    assert all(n.family for n in got[:-1])


def test_inverted_name_parts() -> None:
    n = names("Humboldt, Alexander von")[0]
    assert (n.family, n.given, n.particle) == ("Humboldt", "Alexander", "von")
    n = names("Henderson, D. A. Jr.")[0]
    assert (n.family, n.given, n.suffix) == ("Henderson", "D. A.", "Jr")


def test_editor_span() -> None:
    assert [n.family for n in editors("In O. C. Ashenfelter and D. Card (Eds.),")] == ["Ashenfelter", "Card"]
    assert [n.family for n in editors("In: Smith, J. & Doe, A. (eds.)")] == ["Smith", "Doe"]


def _spans(*pairs: tuple[str, str]) -> list:
    from bibkit.profile.tagger import Span
    from bibkit.profile.tokens import tokenize

    return [Span(label, tokenize(text), 1.0) for label, text in pairs]


def test_year_at_the_edge_of_title_or_author_span() -> None:
    from bibkit.profile.normalise import entry_from

    e = entry_from(_spans(("author", "Doyle JJ."), ("title", "1998. Phylogenetic perspectives on nodulation."),
                          ("container-title", "Trends in Plant Science")))
    assert (e.year, e.title) == (1998, "Phylogenetic perspectives on nodulation")
    e = entry_from(_spans(("author", "Shapiro, L. (2003)."), ("title", "Embodied cognition.")))
    assert (e.year, [n.family for n in e.author]) == (2003, ["Shapiro"])
    e = entry_from(_spans(("author", "Doe, J."), ("title", "The 1918 influenza pandemic")))
    assert e.year is None  # a year inside a title is no date
    e = entry_from(_spans(("title", "A specimen of printing types, by Edmund Fry and Co. 1787.")))
    assert e.year == 1787
