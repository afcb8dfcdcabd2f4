"""Clustering, merging, versions and backends of the deduplicator."""

from __future__ import annotations

import json
import random

import pytest

import bibkit
from bibkit.dedupe import Decision, Policy, dedupe, find_duplicates, merge_entries
from bibkit.dedupe.duck import DuckDBEngine
from bibkit.dedupe.engine import UnionFind, normalise
from bibkit.dedupe.merge import merge_names
from bibkit.errors import UsageError
from bibkit.model import Date, Entry, Name, Provenance


def rec(key: str, title: str | None, authors: list[tuple[str, str]], year: int, **kw) -> Entry:
    kw.setdefault("type", "article-journal")
    e = Entry(key=key, title=title, author=[Name(family=f, given=g) for f, g in authors], issued=Date(year), **kw)
    e.provenance.append(Provenance(source="t.csv", record_id=key, fmt="csv"))
    return e


def preprint_and_paper() -> list[Entry]:
    pre = rec("pre", "Attention is all you need", [("Vaswani", "Ashish"), ("Shazeer", "Noam")], 2017,
              type="article", arxiv="1706.03762", container_title="arXiv")
    pub = rec("pub", "Attention Is All You Need", [("Vaswani", "A."), ("Shazeer", "N.")], 2017,
              type="paper-conference", container_title="Advances in Neural Information Processing Systems",
              volume="30", page="5998-6008")
    other = rec("oth", "Deep residual learning for image recognition", [("He", "Kaiming")], 2016,
                type="paper-conference", container_title="CVPR")
    return [pre, pub, other]


def test_versions_merge_keeps_arxiv_and_published_fields():
    res = dedupe(preprint_and_paper())
    assert res.cluster_ids() == [["pre", "pub"], ["oth"]]
    m = res.entries[0]
    assert (m.key, m.type, m.arxiv, m.page) == ("pub", "paper-conference", "1706.03762", "5998–6008")
    assert m.author[0].given == "Ashish"  # full names over initials
    assert [p.record_id for p in m.provenance] == ["pub", "pre"]
    assert m.provenance[1].dropped["container_title"] == "arXiv"  # nothing lost
    assert m.status is None


def test_versions_link_and_keep():
    res = dedupe(preprint_and_paper(), versions="link")
    assert len(res.entries) == 3
    assert res.entries[0].related == ["pub"] and res.entries[1].related == ["pre"]
    assert res.versions and res.versions[0].version
    res = dedupe(preprint_and_paper(), versions="keep")
    assert len(res.entries) == 3 and not any(e.related for e in res.entries)


def test_bad_options():
    with pytest.raises(UsageError):
        dedupe([], versions="squash")
    with pytest.raises(UsageError):
        dedupe([], nonsense=1)


def test_transitive_union_refused_when_a_pair_is_vetoed():
    # B ~ A and B ~ C on their own, but A (journal) and C (conference) are different works
    a = rec("a", "Home bias in online employment", [("Liang", "Chen"), ("Gu", "Bin")], 2018,
            container_title="Information Systems Research", volume="29", page="1-20")
    b = rec("b", "Home bias in online employment", [("Liang", "C."), ("Gu", "B.")], 2018, type="article",
            arxiv="1801.00001")
    c = rec("c", "Home bias in online employment", [("Liang", "Chen"), ("Gu", "Bin")], 2018,
            type="paper-conference", container_title="ICIS")
    res = dedupe([a, b, c])
    groups = res.cluster_ids()
    assert ["a", "c"] not in groups and not any(len(g) == 3 for g in groups)


def test_merge_precedence_and_dropped_conflicts():
    a = rec("a", "Complement dysfunction", [("Zipfel", "P. F.")], 2006, container_title="Curr Opin Rheumatol",
            volume="18", page="548-55")
    b = rec("b", "Complement dysfunction", [("Zipfel", "Peter F."), ("Skerka", "Christine")], 2006,
            container_title="Current Opinion in Rheumatology", volume="18", page="548-555", doi="10.1097/x.y")
    m = merge_entries([a, b])
    assert m.key == "b"  # the most complete record leads
    assert [n.display() for n in m.author] == ["Peter F. Zipfel", "Christine Skerka"]
    assert m.doi == "10.1097/x.y"
    dropped = m.provenance[1].dropped
    assert dropped["container_title"] == "Curr Opin Rheumatol" and dropped["page"] == "548-55"
    assert {p.record_id for p in m.provenance} == {"a", "b"}


def test_merge_names_longer_list_when_prefix():
    short = [Name(family="Zuna", given="R. E.")]
    long_ = [Name(family="Zuna", given="R E"), Name(family="Wang", given="S S")]
    assert [n.family for n in merge_names([short, long_])] == ["Zuna", "Wang"]


def test_find_duplicates_api():
    pairs = find_duplicates(preprint_and_paper())
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert isinstance(pairs[0][2], Decision) and pairs[0][2].rule in ("TAY", "ID-ARXIV")


def test_explain_lines_name_rules():
    res = dedupe(preprint_and_paper())
    lines = res.explain()
    assert lines[0].startswith("pre ~ pub: same (versions) [TAY]")


def test_union_find():
    uf = UnionFind(5)
    uf.union(0, 1)
    uf.union(3, 4)
    uf.union(1, 4)
    assert uf.find(0) == uf.find(3) and sorted(uf.group(uf.find(0))) == [0, 1, 3, 4]
    assert uf.find(2) == 2


def _synthetic(n: int, seed: int = 1) -> list[Entry]:
    rng = random.Random(seed)
    words = ["adaptive", "robust", "neural", "sparse", "graph", "learning", "model", "inference", "estimation",
             "bayesian", "deep", "kernel", "stochastic", "optimal", "control", "language", "vision", "protein",
             "network", "causal", "efficient", "scalable"]
    fams = ["Smith", "Wang", "Garcia", "Müller", "Kim", "Rossi", "Nguyen", "Okafor", "Silva", "Novak"]
    out = []
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(7))
        authors = [(rng.choice(fams), rng.choice("ABCDEFG") + ".") for _ in range(3)]
        e = rec(f"r{i}", title, authors, 2000 + rng.randrange(20), container_title="Journal of Things",
                volume=str(rng.randrange(1, 50)), page=f"{rng.randrange(1, 900)}-{rng.randrange(900, 999)}")
        out.append(e)
        if i % 3 == 0:
            d = e.copy()
            d.key = f"d{i}"
            d.provenance = [Provenance(source="t.csv", record_id=d.key)]
            d.title = title.upper() + "."
            out.append(d)
    return out


def test_threads_agree_and_shuffling_does_not_matter():
    entries = _synthetic(300)
    serial = dedupe(entries)
    threads = dedupe(entries, engine=DuckDBEngine(threads=2, memory_limit="64MB"))
    assert serial.cluster_ids() == threads.cluster_ids()
    assert len(serial.clusters) == 100
    shuffled = entries[:]
    random.Random(3).shuffle(shuffled)
    again = dedupe(shuffled)
    assert sorted(map(sorted, again.cluster_ids(False))) == sorted(map(sorted, serial.cluster_ids(False)))


def test_blocks_are_capped():
    entries = [rec(f"x{i}", "Editorial", [("Weber", "R.")], 2003, container_title="MIS Quarterly",
                   volume="27", issue=str(i % 4 + 1)) for i in range(500)]
    with DuckDBEngine() as engine:
        engine.add(normalise(entries))
        engine.make_pairs(Policy())
        pairs = engine.con.execute("SELECT count(*) FROM pairs").fetchone()[0]
    # one block of 500 (title and author keys), compared in a sorted window only: at most 19 pairs per record
    assert 0 < pairs <= 500 * 19
    res = dedupe(entries, max_block=50, window=5)
    assert not res.clusters  # recurring generic title, no pages: nothing merged


def test_public_wrapper_and_json_roundtrip():
    res = bibkit.dedupe(preprint_and_paper())
    assert len(res.entries) == 2
    data = bibkit.to_csl_json(res.entries)
    assert json.dumps(data)


def test_link_mode_still_merges_two_copies_of_the_published_version():
    pre, pub, _ = preprint_and_paper()
    pub2 = pub.copy()
    pub2.key = "pub2"
    pub2.provenance = [Provenance(source="u.csv", record_id="pub2")]
    res = dedupe([pre, pub, pub2], versions="link")
    assert res.cluster_ids() == [["pre"], ["pub", "pub2"]]
    assert res.entries[0].related == ["pub"]
