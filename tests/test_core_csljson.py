"""CSL-JSON reader/writer and the model <-> CSL mapping."""

from __future__ import annotations

import json

import jsonschema
import pytest

import bibkit
from bibkit.io.csljson import entry_from_csl, entry_to_csl
from bibkit.model import Date, Entry, Name, Provenance

from .conftest import DATA


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))


def full_entry() -> Entry:
    return Entry(
        type="paper-conference", key="maaten2008visualizing", title="Visualizing Data using t-SNE",
        author=[Name(family="Maaten", given="Laurens", particle="van der"), Name(family="Hinton", given="Geoffrey")],
        editor=[Name(literal="ACM")], issued=Date(2008, 11), container_title="JMLR", volume="9", issue="86",
        page="2579–2605", doi="10.1/xyz", arxiv="0801.0001", status="preprint", extra={"keywords": "dim. red."},
        provenance=[Provenance(source="a.md", line_start=3, line_end=4, raw="...")], confidence=0.8,
    )


def test_item_validates_against_official_schema(schema: dict) -> None:
    items = bibkit.to_csl_json([full_entry(), Entry(type="book", title="No key")])
    jsonschema.validate(items, schema)


def test_round_trip_keeps_every_field() -> None:
    entry = full_entry()
    back = entry_from_csl(entry_to_csl(entry))
    assert back == entry
    assert back.provenance[0].line_start == 3
    assert back.confidence == pytest.approx(0.8)


def test_reader_on_reference_items(shared_dir, schema: dict) -> None:
    res = bibkit.load(shared_dir / "csl" / "items.json")
    assert len(res.entries) == 70 and not res.problems
    again = bibkit.loads(bibkit.dumps(res, "csl-json"), fmt="csl-json")
    assert again.entries == res.entries
    jsonschema.validate(bibkit.to_csl_json(res), schema)


def test_bad_items_are_reported_not_dropped_silently() -> None:
    res = bibkit.loads('[{"id": "a", "type": "book"}, 5, {"id": "b", "type": "book", "author": "x"}]', fmt="csl-json")
    assert [e.key for e in res.entries] == ["a"]
    assert len(res.problems) == 2 and "item 1" in res.problems[0].message


def test_malformed_json_is_one_line_error() -> None:
    with pytest.raises(bibkit.InputError) as err:
        bibkit.loads('[{"id": "a",\n "type": }]', fmt="csl-json", source="x.json")
    assert str(err.value).startswith("x.json:2: invalid JSON")


def test_duplicate_ids_made_unique() -> None:
    text = bibkit.dumps([Entry(type="book", key="k"), Entry(type="book", key="k")], "csl-json")
    # the BibTeX writer's keys (issue 15: one key per entry in every output): a repeated key gets a letter
    assert [i["id"] for i in json.loads(text)] == ["k", "ka"]
    assert "{ka,\n" in bibkit.dumps([Entry(type="book", key="k"), Entry(type="book", key="k")], "bibtex",
                                       dialect="bibtex")


def test_et_al_is_not_a_person_in_csl_but_survives_round_trip() -> None:
    entry = Entry(type="book", key="k", author=[Name(family="Doe", given="J."), Name(literal="others")])
    item = entry_to_csl(entry)
    assert item["author"] == [{"family": "Doe", "given": "J."}]
    assert item["custom"]["et-al"] == ["author"]
    assert entry_from_csl(item) == entry


def test_long_one_line_text_is_text_not_a_path() -> None:
    text = '[{"id": "a", "type": "book", "title": "' + "x" * 400 + '"}]'
    assert bibkit.load(text).entries[0].title == "x" * 400


def test_fallback_id_of_a_blank_family_name() -> None:
    """A family name of spaces gives the 'anon' id instead of an IndexError (found by hypothesis)."""
    from bibkit.io.csljson import write

    items = json.loads(write([Entry(type="book", title="T", author=[Name(family="  ")])]))
    assert items[0]["id"] == "anont"  # the BibTeX key: "anon" + the title's first word
