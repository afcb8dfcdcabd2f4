"""Readers for CSV records, RIS and EndNote XML (the inputs of systematic-review deduplication)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bibkit
from bibkit.errors import InputError
from bibkit.io.records import read_csv, read_endnote_xml, read_ris, split_names

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dedup"


def test_csv_columns_and_names():
    text = ('"ID","ENTRYTYPE","title","author","year","journal","volume","number","pages","doi","booktitle"\n'
            '"id_1","article","Deep learning","LeCun, Yann and Bengio, Y. and Hinton, G E",2015,"Nature",521,'
            '7553,"436-444","10.1038/nature14539",\n'
            '"id_2","inproceedings","Attention","Vaswani, A.",2017,,,,,,"NeurIPS"\n')
    res = read_csv(text, "x.csv")
    a, b = res.entries
    assert (a.key, a.type, a.issue, a.doi, a.page) == ("id_1", "article-journal", "7553", "10.1038/nature14539",
                                                       "436-444")
    assert [n.family for n in a.author] == ["LeCun", "Bengio", "Hinton"]
    assert (b.type, b.container_title) == ("paper-conference", "NeurIPS")
    assert a.provenance[0].record_id == "id_1" and a.provenance[0].line_start == 2


def test_csv_unknown_columns_kept_in_extra():
    res = read_csv("ID,title,ID_old,institution\nr1,T,17,MIT\n")
    assert res.entries[0].extra == {"id_old": "17", "institution": "MIT"}


def test_name_splitter_particles_and_braces():
    ns = split_names("van der Maaten, Laurens and {World Health Organization} and Jean de la Fontaine")
    assert (ns[0].particle, ns[0].family) == ("van der", "Maaten")
    assert ns[1].literal == "World Health Organization"
    assert (ns[2].family, ns[2].given) == ("Fontaine", "Jean")


def test_ris_record():
    text = ("TY  - JOUR\nID  - 42\nAU  - Zipfel, Peter F.\nAU  - Skerka, C.\nTI  - Complement dysfunction\n"
            "T2  - Current Opinion in Rheumatology\nPY  - 2006\nVL  - 18\nIS  - 5\nSP  - 548\nEP  - 555\n"
            "DO  - 10.1097/01.bor.0000240369.14238.b3\nKW  - a\nER  - \n\nTY  - BOOK\nTI  - The TeXbook\n"
            "SN  - 0-201-13447-0\nER  - \n")
    res = read_ris(text, "x.ris")
    a, b = res.entries
    assert (a.key, a.type, a.container_title, a.page, a.issue) == ("42", "article-journal",
                                                                   "Current Opinion in Rheumatology", "548-555", "5")
    assert (b.type, b.isbn) == ("book", "0-201-13447-0")
    assert not res.problems


def test_ris_missing_er_is_a_problem_not_a_crash():
    res = read_ris("TY  - JOUR\nTI  - A\nTY  - JOUR\nTI  - B\n", "x.ris")
    assert [e.title for e in res.entries] == ["A", "B"] and len(res.problems) == 2


def test_endnote_xml_no_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<xml><records><record><rec-number>1</rec-number><ref-type name="Journal Article">17</ref-type>'
           '<titles><title>A &x; title</title></titles></record></records></xml>')
    res = read_endnote_xml(xml, "x.xml")
    assert "TOP SECRET" not in (res.entries[0].title or "")


def test_endnote_xml_bad_input_names_file():
    with pytest.raises(InputError, match=r"x\.xml"):
        read_endnote_xml("<xml><records><record>", "x.xml")


def test_formats_registered():
    from bibkit.io.registry import get_format

    assert get_format("csv").read is read_csv
    assert get_format("ris").read is read_ris
    assert get_format("endnote-xml").read is read_endnote_xml


@pytest.mark.skipif(not SHARED.exists(), reason="../shared data not present")
def test_respiratory_endnote_xml_matches_csv():
    xml = bibkit.load(SHARED / "respiratory" / "Respiratory.xml")
    csv = bibkit.load(SHARED / "respiratory" / "records_pre_merged.csv")
    assert len(xml.entries) == len(csv.entries) == 1988
    assert not xml.problems
    assert {e.title for e in xml.entries if e.title} == {e.title for e in csv.entries if e.title}
