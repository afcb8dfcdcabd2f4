"""BibTeX name splitting and writing."""

from __future__ import annotations

import pytest

from bibkit.model import Name
from bibkit.names import format_name, format_names, parse_name, parse_names, split_and


@pytest.mark.parametrize("text, expected", [
    ("Donald E. Knuth", Name(family="Knuth", given="Donald E.")),
    ("Knuth, Donald E.", Name(family="Knuth", given="Donald E.")),
    ("Ludwig van Beethoven", Name(family="Beethoven", given="Ludwig", particle="van")),
    ("van der Maaten, Laurens", Name(family="Maaten", given="Laurens", particle="van der")),
    ("Laurens van der Maaten", Name(family="Maaten", given="Laurens", particle="van der")),
    ("de la Cruz, Juan", Name(family="Cruz", given="Juan", particle="de la")),
    ("Juan de la Cruz", Name(family="Cruz", given="Juan", particle="de la")),
    ("King, Jr., Martin Luther", Name(family="King", given="Martin Luther", suffix="Jr.")),
    ("Ford, III, Henry", Name(family="Ford", given="Henry", suffix="III")),
    ("{World Health Organization}", Name(literal="World Health Organization")),
    ("{Barnes and Noble}", Name(literal="Barnes and Noble")),
    ("others", Name(literal="others")),
    (r"J{\"o}rg M{\"u}ller", Name(family="Müller", given="Jörg")),
    (r"{\"O}zt{\"u}rk, {\c C}a{\u g}r{\i}", Name(family="Öztürk", given="Çağrı")),
    ("José Ramón García Márquez", Name(family="Márquez", given="José Ramón García")),
    ("García Márquez, Gabriel", Name(family="García Márquez", given="Gabriel")),
    ("Jean-Paul Sartre", Name(family="Sartre", given="Jean-Paul")),
    ("D.~E. Knuth", Name(family="Knuth", given="D. E.")),
    ("Aristotle", Name(family="Aristotle")),
    ("{van Gogh}, Vincent", Name(family="van Gogh", given="Vincent")),
    ("Paulo {Ney de Souza}", Name(family="Ney de Souza", given="Paulo")),
    ("李 小龙", Name(family="小龙", given="李")),
])
def test_parse_name(text: str, expected: Name):
    assert parse_name(text) == expected


def test_split_and_respects_braces_and_case():
    assert split_and("A and {B and C} AND D") == ["A", "{B and C}", "D"]
    assert split_and("Anderson, Sandy and Andrea Band") == ["Anderson, Sandy", "Andrea Band"]


def test_and_others_is_et_al():
    names = parse_names("Smith, John and Doe, Jane and others")
    assert names[-1].is_others
    assert format_names(names) == "Smith, John and Doe, Jane and others"


def test_parse_names_returns_fresh_objects():
    a = parse_names("Smith, John")
    a[0].family = "Changed"
    assert parse_names("Smith, John")[0].family == "Smith"


@pytest.mark.parametrize("name", [
    Name(family="Maaten", given="Laurens", particle="van der"),
    Name(family="King", given="Martin Luther", suffix="Jr."),
    Name(literal="World Health Organization"),
    Name(literal="Barnes and Noble"),
    Name(family="van Gogh", given="Vincent"),
    Name(family="Müller", given="Jörg"),
    Name(family="samcarter"),
    Name(family="García Márquez", given="Gabriel"),
    Name(family="Smith, Jr", given="A"),
])
def test_format_then_parse(name: Name):
    assert parse_name(format_name(name)) == name
    assert parse_name(format_name(name, ascii=True)) == name


def test_format_ascii():
    assert format_name(Name(family="Müller", given="Jörg"), ascii=True) == r'M{\"u}ller, J{\"o}rg'
