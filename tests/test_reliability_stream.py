"""Streaming paths give the results of the whole-file paths (reader, dedupe, check) on real .bib files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bibkit.io import bibtex
from bibkit.io.bibstream import load_streamed, segments, streamable

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


#: set to run the comparisons on the big real files too (tugboat, bibliotex-all, two more review sets: ~2 min)
FULL = bool(os.environ.get("BIBKIT_STREAM_FULL"))
_BIG = {"tugboat.bib", "bibliotex-all.bib"}


def _bib_files() -> list[Path]:
    files = sorted(DATA.glob("*.bib"))
    if (SHARED / "bib").is_dir():
        files += sorted(p for p in (SHARED / "bib").rglob("*.bib") if FULL or p.name not in _BIG)
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


# -- dedupe: the streaming path gives the in-memory path's output, clusters, review queue and explanations
def _dedupe_both(paths: list[Path], tmp: Path, versions: str = "merge", workers: int = 1) -> tuple:
    import io
    import json

    import bibkit
    from bibkit.cli.common import read_inputs
    from bibkit.cli.dedupe import _qualified_ids
    from bibkit.dedupe import _policy, dedupe
    from bibkit.dedupe.stream import dedupe_files

    result = read_inputs([str(p) for p in paths])
    res = dedupe(result.entries, versions=versions)
    ids = _qualified_ids(res, result.entries)
    memory = (bibkit.dumps(res.entries, "bibtex"), [[ids[i] for i in g] for g in res.groups],
              [(ids[d.a], ids[d.b], d.rule, round(d.score, 3)) for d in res.review],
              sorted(d.describe(ids) for d in res.decisions), len(result.problems))
    out, clusters, review = tmp / "out.bib", tmp / "clusters.json", tmp / "review.json"
    explain = io.StringIO()
    sres = dedupe_files([str(p) for p in paths], str(out), _policy(None, {"versions": versions, "workers": workers}),
                        clusters_file=str(clusters), review_file=str(review), explain=explain, segment_chars=20000)
    streamed = (out.read_bytes().decode("utf-8"), json.loads(clusters.read_text(encoding="utf-8")),
                [(x["a"], x["b"], x["rule"], x["score"]) for x in json.loads(review.read_text(encoding="utf-8"))],
                explain.getvalue().splitlines(), len(sres.problems))
    return memory, streamed


@pytest.mark.parametrize("path", _bib_files(), ids=lambda p: p.name)
def test_streaming_dedupe_equals_in_memory(path: Path, tmp_path: Path) -> None:
    memory, streamed = _dedupe_both([path], tmp_path)
    for a, b in zip(memory, streamed, strict=True):
        assert a == b


def test_streaming_dedupe_several_files_link_and_threads(tmp_path: Path) -> None:
    paths = sorted(DATA.glob("*.bib"))
    memory, streamed = _dedupe_both(paths, tmp_path, workers=2, versions="link")
    for a, b in zip(memory, streamed, strict=True):
        assert a == b


DEDUP_SETS = ["stroke", "haematology"] + (["cytology_screening", "respiratory"] if FULL else [])


@pytest.mark.skipif(not (SHARED / "dedup").is_dir(), reason="shared dedup data not present")
@pytest.mark.parametrize("name", DEDUP_SETS)
def test_streaming_dedupe_on_review_sets(name: str, tmp_path: Path) -> None:
    """The real review sets written as one .bib file each (keys made unique), both paths."""
    import bibkit

    entries = bibkit.load(SHARED / "dedup" / name / "records_pre_merged.csv").entries
    bib = tmp_path / f"{name}.bib"
    bib.write_text(bibkit.dumps(entries, "bibtex"), encoding="utf-8")
    memory, streamed = _dedupe_both([bib], tmp_path)
    assert sum(len(g) > 1 for g in memory[1]) > 10
    for a, b in zip(memory, streamed, strict=True):
        assert a == b


# -- check: the streaming passes give the whole-file findings
def test_streaming_check_equals_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from bibkit.check import CheckConfig, check_files
    from bibkit.check import stream as checkstream
    from bibkit.io import bibstream

    files = [str(p) for p in _bib_files() if p.name != "abbrev.bib"]
    groups = [[f] for f in files] + [files]
    for group in groups:
        whole = check_files(group, config=CheckConfig())
        monkeypatch.setattr(checkstream, "STREAM_MIN_BYTES", 0)
        monkeypatch.setattr(bibstream, "SEGMENT_CHARS", 5000)
        assert checkstream.use_streaming(group)
        streamed = check_files(group, config=CheckConfig())
        monkeypatch.undo()
        assert [str(f) for f in streamed.findings] == [str(f) for f in whole.findings], group
        assert streamed.entries == whole.entries
