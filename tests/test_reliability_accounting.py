"""Nothing lost, as a property: for any set of .bib files, every input entry is in the output or named in a
report line (``merged into X``, or ``file:line: error`` where it could not be read), and the counts add up.

The files are generated: entries of every BibTeX type, some written twice (in another file, sometimes under
another key, so the deduplicator merges them), keys that may repeat, and a file that may be cut short anywhere.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import event, given, note
from hypothesis import strategies as st

import bibkit
from bibkit.cli.main import cli
from bibkit.io import bibtex
from bibkit.model import Entry

from .reliability_strategies import PROFILE, entries

HEADER = re.compile(r"^@(\w+)\{([^,\s]*),", re.M)
NOTE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): note: (?P<key>\S+) merged into (?P<into>\S+)$")
ERROR = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): error: ")
SUMMARY = re.compile(r"^bibkit dedupe: (?P<read>\d+) read, (?P<works>\d+) works, ")


@st.composite
def bib_files(draw: st.DrawFn) -> list[str]:
    """The texts of one to three .bib files."""
    pool = draw(entries(max_size=5))
    if len(pool) > 1 and draw(st.booleans()):
        pool[-1].key = pool[0].key  # two different works under one key
    files: list[list[Entry]] = [[] for _ in range(draw(st.integers(1, 3)))]
    for e in pool:
        for copy in range(draw(st.integers(1, 2))):
            c = e.copy()
            if copy and draw(st.booleans()):
                c.key = e.key + "x"  # the same work under another key
            files[draw(st.integers(0, len(files) - 1))].append(c)
    texts = [bibtex.write(f) if f else "" for f in files]
    if draw(st.booleans()):  # a file cut short (a lost tail, an unclosed entry)
        i = draw(st.integers(0, len(texts) - 1))
        texts[i] = texts[i][:draw(st.integers(0, len(texts[i])))]
    return texts


def _inputs(names: list[str], texts: list[str]) -> list[tuple[str, int, str]]:
    """(file, line, key) of every entry the files hold, even partly: every ``@type{key,`` at a line start."""
    found = []
    for name, text in zip(names, texts, strict=True):
        for m in HEADER.finditer(text):
            if m.group(1).lower() not in ("string", "preamble", "comment"):
                found.append((name, text.count("\n", 0, m.start()) + 1, m.group(2)))
    return found


@PROFILE
@given(bib_files())
def test_every_input_entry_is_written_or_named(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            names = [f"in{i}.bib" for i in range(len(texts))]
            for name, text in zip(names, texts, strict=True):
                Path(name).write_text(text, encoding="utf-8")
            res = CliRunner().invoke(cli, ["dedupe", *names, "-o", "out.bib", "--report"])
            note(res.output)
            assert res.exit_code in (0, 1), res.output
            written = bibkit.load("out.bib").entries if Path("out.bib").stat().st_size else []
        finally:
            os.chdir(cwd)
    lines = res.output.splitlines()
    out_keys = {e.key for e in written}
    notes = [m for m in map(NOTE.match, lines) if m]
    errors = [(m.group("file"), int(m.group("line"))) for m in map(ERROR.match, lines) if m]
    summary = next(m for m in map(SUMMARY.match, lines) if m)
    event(f"records merged: {bool(notes)}")
    event(f"errors reported: {bool(errors)}")

    inputs = _inputs(names, texts)
    starts = sorted((f, line) for f, line, _ in inputs)
    merged = {(m.group("file"), int(m.group("line")), m.group("key")): m.group("into") for m in notes}
    for name, line, key in inputs:
        if key in out_keys:
            continue
        into = merged.get((name, line, key))
        if into is not None:
            assert into in out_keys, f"{name}:{line}: {key} merged into {into}, which is not written"
            continue
        nxt = next((ln for f, ln in starts if f == name and ln > line), None)
        named = any(f == name and line <= ln and (nxt is None or ln < nxt) for f, ln in errors)
        assert named, f"{name}:{line}: {key} is neither written, merged nor reported unreadable"
    # the counts add up: every entry read is a work written or a record merged into one
    assert int(summary.group("works")) == len(written)
    assert int(summary.group("read")) == len(written) + len(notes)
    assert len(notes) == len(merged)  # one line per merged record
