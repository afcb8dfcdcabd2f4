"""The on-disk render cache of bibkit.format: what invalidates an entry, and that a cached render is always the
same as a fresh one (numbers, order, changed entries, changed style files, bad items, corrupt files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.format import render
from bibkit.format.render import CSLRecord, Formatter
from bibkit.model import Date, Entry, Name


def _item(i: int, family: str, year: int = 2000) -> dict:
    return {"id": f"k{i}", "type": "article-journal", "title": f"Title {i}", "container-title": "Journal",
            "author": [{"family": family, "given": "Ann"}], "issued": {"date-parts": [[year]]}, "volume": str(i)}


ITEMS = [_item(0, "Zeta"), _item(1, "Alpha"), _item(2, "Mu"), _item(3, "Beta")]


def _records(items: list[dict]) -> list[CSLRecord]:
    return [CSLRecord(item, "refs.json", n) for n, item in enumerate(items)]


def _fresh(style: str, items: list[dict]) -> list[str]:
    return Formatter(style, cache=False, workers=1).bibliography(_records(items))


class _Counting:
    """Counts the entries a formatter actually renders (not found in the cache)."""

    def __init__(self, formatter: Formatter):
        self.rendered: list[int] = []
        real = formatter._render_items
        formatter._render_items = lambda inputs, *rest: self.rendered.append(len(inputs)) or real(inputs, *rest)


def _cached(style: str, tmp_path: Path, items: list[dict]) -> tuple[list[str], list[int]]:
    f = Formatter(style, cache=tmp_path, workers=1)
    count = _Counting(f)
    return f.bibliography(_records(items)), count.rendered


@pytest.mark.parametrize("style", ["ieee", "apa"])
def test_cached_equals_fresh_and_only_changes_render(tmp_path: Path, style: str) -> None:
    first, rendered = _cached(style, tmp_path, ITEMS)
    assert first == _fresh(style, ITEMS) and rendered == [4]
    again, rendered = _cached(style, tmp_path, ITEMS)
    assert again == first and rendered in ([], [0])
    changed = [dict(it) for it in ITEMS]
    changed[2]["title"] = "A revised title"
    out, rendered = _cached(style, tmp_path, changed)
    assert out == _fresh(style, changed) and rendered == [1]
    assert any("A revised title" in line for line in out)


def test_numbers_follow_insertion_and_reordering(tmp_path: Path) -> None:
    """IEEE numbers entries in citation order: inserting or moving an entry renumbers the others."""
    _cached("ieee", tmp_path, ITEMS)
    inserted = [_item(9, "New"), *ITEMS]
    out, _ = _cached("ieee", tmp_path, inserted)
    assert out == _fresh("ieee", inserted)
    assert out[0].startswith("[1] A. New") and out[1].startswith("[2] A. Zeta")
    reordered = list(reversed(ITEMS))
    out, _ = _cached("ieee", tmp_path, reordered)
    assert out == _fresh("ieee", reordered) and out[0].startswith("[1] A. Beta")


def test_sort_order_follows_a_changed_sort_key(tmp_path: Path) -> None:
    """APA sorts by author: renaming an author moves the entry even though the other entries are cached."""
    first, _ = _cached("apa", tmp_path, ITEMS)
    assert [line.split(",")[0] for line in first] == ["Alpha", "Beta", "Mu", "Zeta"]
    changed = [dict(it) for it in ITEMS]
    changed[0]["author"] = [{"family": "Aardvark", "given": "Ann"}]
    out, rendered = _cached("apa", tmp_path, changed)
    assert out == _fresh("apa", changed) and rendered == [1]
    assert [line.split(",")[0] for line in out] == ["Aardvark", "Alpha", "Beta", "Mu"]
    vancouver_like = [dict(it) for it in ITEMS]  # a changed year also re-sorts same-author entries
    vancouver_like[1]["author"] = vancouver_like[3]["author"] = [{"family": "Same", "given": "Ann"}]
    vancouver_like[3]["issued"] = {"date-parts": [[1990]]}
    out, _ = _cached("apa", tmp_path, vancouver_like)
    assert out == _fresh("apa", vancouver_like)


def test_changed_style_file_is_a_new_key(tmp_path: Path) -> None:
    """The key holds the style's content, not its name: an edited .csl file renders anew."""
    from bibkit.format.styles import resolve_style

    style = tmp_path / "mine.csl"
    style.write_bytes(resolve_style("ieee").read_bytes())
    cache = tmp_path / "cache"
    before, _ = _cached(str(style), cache, ITEMS)
    style.write_text(style.read_text(encoding="utf-8").replace('prefix="["', 'prefix="(" ')
                     .replace('suffix="]"', 'suffix=")"'), encoding="utf-8")
    after, rendered = _cached(str(style), cache, ITEMS)
    assert before[0].startswith("[1]") and after[0].startswith("(1)") and rendered == [4]


def test_locale_is_part_of_the_key(tmp_path: Path) -> None:
    f_en = Formatter("ieee", cache=tmp_path, workers=1)
    f_fr = Formatter("ieee", locale="fr-FR", cache=tmp_path, workers=1)
    entry = Entry(type="article-journal", title="Deep learning", author=[Name(family="LeCun", given="Yann")],
                  issued=Date(2015, 5), container_title="Nature")
    en, fr = f_en.bibliography([entry]), f_fr.bibliography([entry])
    assert "May 2015" in en[0] and "mai 2015" in fr[0]


def test_one_cache_serves_every_output_format(tmp_path: Path) -> None:
    items = [{**ITEMS[0], "title": "Fish & <i>chips</i>"}]
    f = Formatter("apa", cache=tmp_path, workers=1)
    text = f.bibliography(_records(items), "text")
    count = _Counting(f)
    html = f.bibliography(_records(items), "html")
    assert count.rendered in ([], [0])
    assert "Fish & chips" in text[0] and "Fish &#38; <i>chips</i>" in html[0]


def test_bad_items_are_reported_every_time_and_numbers_skip_them(tmp_path: Path) -> None:
    items = [ITEMS[0], {"type": "book", "author": "not a list"}, ITEMS[1]]
    for _ in range(2):
        f = Formatter("ieee", cache=tmp_path, workers=1)
        records = _records(items)
        out = f.bibliography(records)
        assert [r.error for r in records] == [None, "item 1: 'author' must be a list of names", None]
        assert len(out) == 2 and out[1].startswith("[2] A. Alpha")


def test_corrupt_cache_file_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "format-cache.sqlite3").write_bytes(b"this is not a database" * 100)
    out, rendered = _cached("ieee", tmp_path, ITEMS)
    assert out == _fresh("ieee", ITEMS)
    again, rendered = _cached("ieee", tmp_path, ITEMS)
    assert again == out and rendered in ([], [0])


def test_unusable_cache_directory_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out, _ = _cached("ieee", blocker / "sub", ITEMS)  # a file where the directory should be
    assert out == _fresh("ieee", ITEMS)


def test_cache_holds_only_digests_and_renderings(tmp_path: Path) -> None:
    import sqlite3

    items = [{**ITEMS[0], "note": "secret-token-123", "URL": "https://user:pw@example.org/x"}]
    _cached("ieee", tmp_path, items)
    db = sqlite3.connect(tmp_path / "format-cache.sqlite3")
    keys = [k for (k,) in db.execute("SELECT k FROM render")]
    assert keys and all("secret" not in k and "example.org" not in k for k in keys)


def test_parallel_records_match_serial(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Conversion and rendering in two worker processes give what one process gives, bad items included."""
    items = [_item(i, f"Author{(7 * i) % 10}", 2000 + i % 5) for i in range(14)]
    items[5] = {"type": "book", "author": "not a list"}
    monkeypatch.setattr(render, "PARALLEL_MIN", 2)
    for style in ("apa", "ieee"):
        serial = Formatter(style, cache=False, workers=1).bibliography(_records(items))
        records = _records(items)
        assert Formatter(style, cache=tmp_path / style, workers=2).bibliography(records) == serial
        assert records[5].error and len(serial) == 13


def test_cli_warm_run_matches_cold(tmp_path: Path) -> None:
    from bibkit.cli import cli as main

    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps([*ITEMS, {"type": "book", "author": 3}]), encoding="utf-8")
    runner = CliRunner()
    args = ["format", str(refs), "--style", "ieee", "--cache-dir", str(tmp_path / "c")]
    cold = runner.invoke(main, args)
    warm = runner.invoke(main, args)
    plain = runner.invoke(main, [*args[:4], "--no-cache"])
    assert cold.exit_code == warm.exit_code == plain.exit_code == 1  # the bad item is an error: exit 1
    assert cold.output == warm.output == plain.output
    assert "item 4:" in cold.output and "4 read, 4 rendered, 1 failed" in cold.output
