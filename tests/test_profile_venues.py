"""Venue knowledge: the data table and the general rules."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from bibkit.profile.venues import lookup, venue_type


def test_table_is_large_and_well_formed() -> None:
    text = resources.files("bibkit.data").joinpath("venues.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) >= 300
    assert {r["type"] for r in rows} <= {"journal", "conference", "preprint"}
    assert all(r["name"] for r in rows)


@pytest.mark.parametrize("text, acronym", [
    ("NeurIPS", "NeurIPS"), ("ICML Forty-second International Conference on Machine Learning", "ICML"),
    ("Proceedings of the 39th International Conference on Machine Learning", "ICML"), ("IJCAI-19", "IJCAI"),
    ("Apsys", "APSys"), ("ACM e-Energy", "e-Energy"),
    ("ICSE (International Conference on Software Engineering)", "ICSE"),
    ("2019 IEEE International Conference on BigData (Big Data)", "BigData"), ("TPDS", "TPDS"),
])
def test_lookup(text: str, acronym: str) -> None:
    v = lookup(text)
    assert v is not None and v.acronym == acronym


@pytest.mark.parametrize("text, typ", [
    ("IEEE Transactions on Parallel and Distributed Systems", "article-journal"),
    ("Journal of Obscure Studies", "article-journal"),
    ("Letters in Applied Things", "article-journal"),
    ("Proceedings of the Workshop on Small Things", "paper-conference"),
    ("Symposium on Unknown Stuff", "paper-conference"),
    ("Workshop of Federated Foundation Models@NeurIPS", "paper-conference"),
    ("arXiv preprint arXiv:2401.17644", "article"),
    ("HKU Theses Online (HKUTO)", "thesis"),
    ("Chinese Patent", "patent"),
    ("Together AI Blog", "webpage"),
    ("Science Press", "book"),
    ("Nature", "article-journal"),
    ("OSDI", "paper-conference"),
])
def test_venue_type(text: str, typ: str) -> None:
    assert venue_type(text) == typ


def test_unknown_venue() -> None:
    assert lookup("Completely Unknown Gathering") is None
    assert venue_type("") is None
