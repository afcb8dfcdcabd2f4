"""Our own acceptance check: title similarity, shared author, year; the service's score is ignored."""

from __future__ import annotations

from bibkit.enrich.match import check, check_identified, clean_arxiv, clean_doi, rank, split_name, title_similarity
from bibkit.model import OTHERS, Date, Entry, Name


def entry(title, families=(), year=None):
    return Entry(title=title, author=[Name(family=f) for f in families], issued=Date(year) if year else None)


MINE = entry("MapReduce: Simplified Data Processing on Large Clusters", ["Dean", "Ghemawat"], 2004)


def test_exact_match_accepted():
    verdict = check(MINE, entry("MapReduce: simplified data processing on large clusters.", ["Dean"], 2004))
    assert verdict.accepted and verdict.similarity == 1.0


def test_year_plus_minus_one_accepted():
    assert check(MINE, entry(MINE.title, ["Ghemawat"], 2005)).accepted
    assert check(MINE, entry(MINE.title, ["Ghemawat"], 2003)).accepted


def test_same_title_other_authors_rejected():
    verdict = check(MINE, entry(MINE.title, ["Smith", "Jones"], 2004))
    assert not verdict.accepted and "author" in verdict.reason


def test_same_title_other_year_rejected():
    verdict = check(MINE, entry(MINE.title, ["Dean"], 2008))
    assert not verdict.accepted and "year 2008" in verdict.reason


def test_similar_but_different_title_rejected():
    other = entry("MapReduce: Simplified Data Processing on Small Clusters Revisited", ["Dean"], 2004)
    verdict = check(MINE, other)
    assert not verdict.accepted and verdict.similarity < 0.9


def test_title_only_is_not_enough():
    assert not check(entry("Introduction"), entry("Introduction", ["Anyone"], 1999)).accepted
    # but an author (or a year) that can be compared is
    assert check(entry("Introduction", ["Knuth"]), entry("Introduction", ["Knuth"], 1999)).accepted


def test_missing_authors_on_one_side_uses_year():
    assert check(entry(MINE.title, [], 2004), entry(MINE.title, ["Dean"], 2004)).accepted
    assert not check(entry(MINE.title, [], 2004), entry(MINE.title, ["Dean"], 2010)).accepted


def test_accents_case_and_others_in_names():
    mine = Entry(title="Über die Grundlagen", author=[Name(family="Gödel"), Name(literal=OTHERS)], issued=Date(1931))
    theirs = Entry(title="Uber die grundlagen", author=[Name(family="Godel", given="K.")], issued=Date(1931))
    assert check(mine, theirs).accepted


def test_compound_family_name_part_matches():
    mine = entry("Cien años de soledad en la computación", ["García Márquez"], 1967)
    assert check(mine, entry(mine.title, ["Márquez"], 1967)).accepted


def test_rank_prefers_accepted_then_similarity():
    cands = [entry(MINE.title, ["Smith"], 2004), entry(MINE.title + ".", ["Dean"], 2004)]
    ranked = rank(MINE, cands)
    assert ranked[0][1].accepted and ranked[0][0].author[0].family == "Dean"
    assert not ranked[1][1].accepted


def test_identifier_match_checks_title():
    assert check_identified(MINE, entry(MINE.title, ["X"], 2020), rule="doi").accepted  # years/authors not needed
    subtitle = entry("MapReduce: Simplified Data Processing on Large Clusters: extended version")
    assert check_identified(MINE, subtitle, rule="doi").accepted
    wrong = check_identified(MINE, entry("A completely different paper on cats"), rule="doi")
    assert not wrong.accepted and "different title" in wrong.reason
    assert check_identified(Entry(), entry("Anything"), rule="doi").accepted


def test_title_similarity_ignores_markup_and_latex():
    assert title_similarity("The {L}a{T}e{X} Companion", "The LaTeX companion") == 1.0
    assert title_similarity("Deep <i>learning</i>", "Deep learning") == 1.0
    assert title_similarity("", "x") == 0.0


def test_split_name_shapes():
    assert split_name("Ludwig van Beethoven") == Name(family="Beethoven", given="Ludwig", particle="van")
    assert split_name("Jeffrey Dean 0001") == Name(family="Dean", given="Jeffrey")
    assert split_name("Plato") == Name(family="Plato")
    assert split_name("Dean, Jeffrey") == Name(family="Dean", given="Jeffrey")


def test_identifiers():
    assert clean_doi("DOI:10.1145/1327452.1327492") == "10.1145/1327452.1327492"
    assert clean_doi("https://dx.doi.org/10.1000/xyz123)") == "10.1000/xyz123"
    assert clean_arxiv("arXiv:1706.03762v5") == "1706.03762"
    assert clean_arxiv("no id here") is None


def test_ambiguous_candidates_are_refused():
    from bibkit.enrich.match import choose

    mine = entry("Editorial", ["Galliers", "Jarvenpaa"], 2014)
    a = Entry(title="Editorial", author=[Name("Galliers")], issued=Date(2014), doi="10.1000/ed.1", volume="23")
    b = Entry(title="Editorial", author=[Name("Galliers")], issued=Date(2014), doi="10.1000/ed.2", volume="23")
    best, verdict, _ = choose(mine, [a, b])
    assert best is None and verdict.reason == "ambiguous: 2 different works fit equally well"
    # the same work listed twice is not ambiguous
    twin = Entry(title="Editorial.", author=[Name("Galliers")], issued=Date(2014), doi="10.1000/ED.1")
    assert choose(mine, [a, twin])[0] is a
    # a candidate that fits better (exact year) wins over one a year off
    c = Entry(title="Editorial", author=[Name("Galliers")], issued=Date(2015), doi="10.1000/ed.3")
    assert choose(mine, [c, a])[0] is a


def test_page_formats_do_not_make_records_distinct():
    from bibkit.enrich.match import choose

    mine = entry(MINE.title, ["Dean"], 2004)
    a = Entry(title=MINE.title, author=[Name("Dean")], issued=Date(2004), page="137-150", volume="6")
    b = Entry(title=MINE.title, author=[Name("Dean")], issued=Date(2004), page="137–50", volume="6")
    assert choose(mine, [a, b])[0] is a
