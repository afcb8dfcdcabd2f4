"""The review queue: rejected pairs ranked by how likely they are still one work."""

from __future__ import annotations

from bibkit.dedupe import dedupe
from bibkit.dedupe.keys import Norm
from bibkit.dedupe.metrics import review_coverage
from bibkit.dedupe.review import likelihood, review_queue
from bibkit.dedupe.rules import compare
from bibkit.model import Date, Entry, Name


def art(title, authors, year, venue="", volume="", page="", doi=None) -> Entry:
    return Entry(type="article-journal", title=title, author=[Name(family=f, given=g) for f, g in authors],
                 issued=Date(year), container_title=venue, volume=volume, page=page, doi=doi)


KELLY = [("Kelly", "R."), ("Arnold", "L."), ("Richards", "S."), ("Hill", "A.")]
TITLE = "Modification of the standard eculizumab dose to manage intravascular haemolysis breakthrough"


def _decide(a: Entry, b: Entry):
    na, nb = Norm(0, a), Norm(1, b)
    return na, nb, compare(na, nb)


def test_one_abstract_in_two_journals_ranks_above_a_topic_title_years_apart():
    # the same meeting abstract printed in two journals' supplements: vetoed, but very likely one record
    na, nb, d = _decide(art(TITLE, KELLY, 2009, "British Journal of Haematology", "145", "23"),
                        art(TITLE, KELLY, 2009, "Haematologica", "94", "239-240"))
    assert not d.same
    close = likelihood(na, nb, d)
    # one recurring topic title by other authors, years apart
    nc, ne, d2 = _decide(art("Atypical hemolytic uremic syndrome", [("Loirat", "C.")], 2011),
                         art("Atypical hemolytic uremic syndrome", [("Kavanagh", "D.")], 2008))
    far = likelihood(nc, ne, d2, frozenset({nc.title}))
    assert close > 0.8 > 0.3 > far


def test_erratum_against_its_article_is_queued_last():
    na, nb, d = _decide(art("Erratum: " + TITLE, KELLY, 2009, "Blood", "113", "19"),
                        art(TITLE, KELLY, 2009, "Blood", "113", "23-30"))
    assert d.rule == "V-ERRATUM"
    assert likelihood(na, nb, d) < 0.35


def test_queue_keeps_one_pair_per_two_clusters_and_skips_pairs_in_one_cluster():
    entries = [art(TITLE, KELLY, 2009, "British Journal of Haematology", "145", "23"),
               art(TITLE + ".", KELLY, 2009, "Br J Haematol", "145", "23"),
               art(TITLE, KELLY, 2009, "Haematologica", "94", "239-240")]
    res = dedupe(entries)
    assert res.clusters == [[0, 1]]
    assert len(res.review) == 1 and {res.review[0].a, res.review[0].b} & {0, 1} and 2 in (res.review[0].a,
                                                                                           res.review[0].b)
    norms = [Norm(i, e) for i, e in enumerate(entries)]
    assert review_queue(norms, res.review, {0: 0, 1: 0, 2: 0}, 10) == []


def test_review_coverage_counts_gold_pairs_a_reviewer_recovers():
    cov = review_coverage([("x", "y"), ("a", "c")], [["a", "b"]], [["a", "b", "c"], ["d", "e"]])
    assert cov == {"missed": 3, "gains": [0, 2], "covered": 2}


def test_near_misses_kept_for_review_same_place_other_authors_and_no_authors():
    # two letters printed under one title on one page: vetoed (no author in common) but queued
    letters = dedupe([art("A trial of intrapleural streptokinase", [("Rosa", "U. W.")], 2005,
                          "New England Journal of Medicine", "352", "2243-5"),
                      art("A trial of intrapleural streptokinase", [("Bouros", "D.")], 2005,
                          "New England Journal of Medicine", "352", "2243-5")])
    assert len(letters.entries) == 2
    assert [d.rule for d in letters.review] == ["V-AUTHORS"]
    # two registrations of one sponsor's trials, no personal authors, one year: not merged, queued
    regs = dedupe([art("Open Label Controlled Trial of Eculizumab in Adult Patients With Plasma "
                       "Therapy-Sensitive Atypical Hemolytic Uremic Syndrome", [], 2011),
                   art("Open Label Controlled Trial of Eculizumab in Adult Patients With Plasma "
                       "Therapy-Resistant aHUS", [], 2011)])
    assert len(regs.entries) == 2 and len(regs.review) == 1
