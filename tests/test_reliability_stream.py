"""Streaming paths give the results of the whole-file paths (reader, dedupe, check) on real .bib files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.io import bibtex
from bibkit.io.bibstream import load_streamed, segments, streamable

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _bib_files() -> list[Path]:
    files = sorted(DATA.glob("*.bib"))
    if (SHARED / "bib").is_dir():
        files += sorted((SHARED / "bib").rglob("*.bib"))
    return files


def _whole(path: Path):
    from bibkit.fsio import read_text

    return bibtex.read(read_text(path), str(path))


def _view(res):
    entries = [(e, [(p.line_start, p.line_end, p.record_id) for p in e.provenance],
                {k: v for k, v in e.origin.get("bibtex", {}).items()}) for e in res.entries]
    problems = [(p.source, p.line, p.message, p.severity) for p in res.problems]
    return entries, problems


@pytest.mark.parametrize("path", _bib_files(), ids=lambda p: p.name)
def test_segments_read_like_the_whole_file(path: Path) -> None:
    assert streamable(path)
    text = "".join(t for _, t in segments(path, size=3000))
    whole = _whole(path)
    streamed = load_streamed(path, size=3000)
    assert len(text) > 0
    we, wp = _view(whole)
    se, sp = _view(streamed)
    assert len(se) == len(we)
    for a, b in zip(se, we, strict=True):
        assert a == b
    assert sp == wp


def test_segment_edge_cases(tmp_path: Path) -> None:
    """Comments between segments, @string redefined in a later segment, crossref to a later
    parent, a broken entry at a segment end, BOM and NUL characters, two worker processes."""
    parts = ["\ufeff% leading comment\n@string{jn = {Journal N}}\n"]
    for i in range(60):
        parts.append(f"@article{{k{i}, title = {{Title {i} with some words}}, journal = jn, year = {2000 + i % 20}}}\n")
        if i % 7 == 0:
            parts.append(f"% a comment about k{i + 1}\n\n")
        if i == 20:
            parts.append("@string{jn = {Journal M}}\n@article{broken, title = {no end\n")
        if i == 30:
            parts.append("@inproceedings{child, title = {A part}, crossref = {parent}}\n@article{k5, title={x\x00y}}\n")
    parts.append("@proceedings{parent, title = {The Book}, year = 1999, publisher = {P}}\n% trailing\n")
    p = tmp_path / "edge.bib"
    p.write_text("".join(parts), encoding="utf-8")
    whole = _view(_whole(p))
    for size in (200, 1000, 1 << 20):
        for workers in (1, 2):
            assert _view(load_streamed(p, size=size, workers=workers)) == whole, (size, workers)
