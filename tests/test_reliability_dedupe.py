"""No silent loss in dedupe: every field of every merged record is in the merged entry or in its provenance."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibkit.io.csljson import _jsonable
from bibkit.model import Date, Entry, Name, Provenance

from .reliability_strategies import PROFILE, plain, text

pytest.importorskip("bibkit.dedupe")

TITLES = ["Deep learning for graphs", "A theory of sparse estimation", "Robust control of quantum networks",
          "Bayesian inference in dynamic language models"]
FAMILIES = ["Doe", "Okafor", "Tanaka", "Müller", "García"]
_ids = itertools.count()


@st.composite
def cluster(draw: st.DrawFn) -> list[Entry]:
    """One work as 2-4 records that differ in the fields a merge must reconcile."""
    title = draw(st.sampled_from(TITLES))
    families = draw(st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=3, unique=True))
    year = draw(st.integers(1990, 2025))
    out = []
    for _ in range(draw(st.integers(2, 4))):
        e = Entry(type="article-journal", key=f"r{next(_ids)}", title=title, issued=Date(year),
                  author=[Name(family=f, given=draw(st.sampled_from(["Jane", "J."]))) for f in families],
                  container_title="Journal of Examples", volume="12")
        e.publisher = draw(st.none() | plain)
        e.note = draw(st.none() | text)
        e.doi = draw(st.none() | st.just("10.1234/abc"))
        e.page = draw(st.none() | st.just("1–10"))
        e.extra = draw(st.dictionaries(st.sampled_from(["keywords", "annote", "mrnumber"]), plain, max_size=2))
        out.append(e)
    return out


def _names_compatible(a: list[Name], b: list[Name]) -> bool:
    """Every name is in the merged list, maybe in a fuller form ("Jane" for "J.")."""
    return all(any(x.family == y.family and (x.given or "")[:1] == (y.given or "")[:1] for y in b) for x in a)


def _kept(value: Any, merged: Any, dropped: Any) -> bool:
    if value in (merged, dropped) or _jsonable(value) == dropped:  # names/dates may be kept as JSON
        return True
    if isinstance(value, dict):  # extra: key by key
        return all(_kept(v, (merged or {}).get(k), (dropped or {}).get(k) if isinstance(dropped, dict) else None)
                   for k, v in value.items())
    return isinstance(dropped, list | tuple) and value in dropped


@PROFILE
@given(st.lists(cluster(), min_size=1, max_size=3))
def test_dedupe_never_drops_a_field_without_provenance(clusters: list[list[Entry]]) -> None:
    from bibkit.dedupe import dedupe

    records = [e for c in clusters for e in c]
    originals = {e.key: e.copy() for e in records}
    res = dedupe(records)
    seen = set()
    for merged in res.entries:
        # a record that merged with nothing may come back as it was, without a provenance of its own
        for prov in merged.provenance or [Provenance(record_id=merged.key)]:
            original = originals.get(prov.record_id)
            if original is None:
                continue
            seen.add(prov.record_id)
            for name, value in original.fields().items():
                if name == "key":
                    continue
                got = getattr(merged, name)
                if name in ("author", "editor") and _names_compatible(value, got):
                    continue
                assert _kept(value, got, prov.dropped.get(name)), (prov.record_id, name, value, got, prov.dropped)
    assert seen == set(originals)  # every record is accounted for in some entry's provenance
