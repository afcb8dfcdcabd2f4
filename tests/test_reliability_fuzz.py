"""Fuzzing: the BibTeX and CSL-JSON readers never crash, and stay bounded in time and memory.

Hypothesis drives the readers with arbitrary and structure-shaped text (a Problem or an
InputError is a fine answer; any other exception is a bug).  Adversarial inputs (deep
nesting, a 10 MB line, 100k entries, catastrophic-backtracking shapes for every regex
literal in src/bibkit) run in a subprocess under a hard timeout, so a hang fails the
test instead of stalling the suite.  The profile parser has its own fuzz tests in
tests/test_profile_fuzz.py.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibkit.errors import BibkitError
from bibkit.io import bibtex, csljson

from .reliability_strategies import PROFILE

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

BIB_PIECES = ["@article{", "@string{", "@comment{", "@preamble{", "@", "{", "}", "(", ")", '"', "=", ",", "#",
              "%", "\\", "\\'", '\\"', "{\\", "--", " and ", "others", "author", "title", "year", "month", "jan",
              "key1", "2020", "x", " ", "\n", "\t", "\x00", "ü", "\ufeff", "$", "~", "date", "2020-01/2021",
              "eprint", "arXiv", "doi", "10.1/x", "pages", "1--2"]
bib_text = st.lists(st.sampled_from(BIB_PIECES), max_size=60).map("".join)


def _read_bib(text: str) -> None:
    try:
        res = bibtex.read(text, "fuzz.bib")
    except BibkitError:
        return
    for p in res.problems:
        assert p.source == "fuzz.bib" and p.message
    bibtex.write(res.entries, preamble=res.preamble)  # what was read can be written


@PROFILE
@given(st.text(max_size=400))
def test_bibtex_reader_arbitrary_text(text: str) -> None:
    _read_bib(text)


@PROFILE
@given(bib_text)
def test_bibtex_reader_bibtex_shaped_text(text: str) -> None:
    _read_bib(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)
CSL_KEYS = ["id", "type", "title", "author", "editor", "issued", "accessed", "container-title", "page", "DOI",
            "custom", "date-parts", "family", "given", "literal", "raw", "season", "circa", "provenance", "lines",
            "extra", "related", "confidence", "citation-key", "arxiv", "items"]
csl_item = st.dictionaries(st.sampled_from(CSL_KEYS), json_values | st.dictionaries(
    st.sampled_from(CSL_KEYS), json_values, max_size=4) | st.lists(st.dictionaries(
        st.sampled_from(CSL_KEYS), json_values, max_size=4), max_size=3), max_size=8)


def _read_csl(text: str) -> None:
    try:
        res = csljson.read(text, "fuzz.json")
    except BibkitError:
        return
    csljson.write(res.entries)


@PROFILE
@given(st.text(max_size=300))
def test_csljson_reader_arbitrary_text(text: str) -> None:
    _read_csl(text)


@PROFILE
@given(json_values)
def test_csljson_reader_arbitrary_json(value: object) -> None:
    _read_csl(json.dumps(value))


@PROFILE
@given(st.lists(csl_item, max_size=4))
def test_csljson_reader_csl_shaped_items(items: list) -> None:
    _read_csl(json.dumps(items))


# -- adversarial inputs, in a subprocess with a hard timeout ---------------------------------------
#: per case: seconds and peak resident MB of the subprocess allowed (Python itself is ~30 MB)
TIME_LIMIT, MEMORY_LIMIT_MB = 20.0, 400.0
#: the suite runs the cases at a twentieth of their size (5k entries, 0.5 MB line); benchmarks/bench_stress.py
#: --adversarial runs them at full size (100k entries, 10 MB line)
SCALE = os.environ.get("BIBKIT_ADVERSARIAL_SCALE", "0.05")


def _cases() -> list[str]:
    from .reliability_adversarial import reader_cases

    return list(reader_cases(0.01))


@pytest.mark.parametrize("case", _cases())
def test_adversarial_reader_input(case: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "tests.reliability_adversarial", "readers", SCALE, case],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not row["outcome"].startswith("CRASH"), row
    assert row["seconds"] < TIME_LIMIT, row
    assert row["peak_rss_mb"] < MEMORY_LIMIT_MB, row


#: regexes only ever applied to short slices (the slice bound is in the code next to them), by pattern start
BOUNDED = ("([\\w.]{0,12})$", "\\s*(?:,\\s*(?:and\\s+|&\\s*)?|;\\s*|\\s+and\\s+", "\\(([^()]{1,200})\\)|\\[",
           "\\s*(?:,?\\s*(?:…|\\.\\.\\.)\\s*|",  # profile/fields._SEP_RE: text[pos:pos + 12]
           "^\\(?((?:19|20)\\d\\d)\\)?\\s*")  # profile/fields._LEAD_YEAR: lead[:40]


def test_no_regex_backtracks_catastrophically() -> None:
    """Every regex literal in src/bibkit, on runs of each character it names (1,000 long)."""
    slow, hung, done, start = [], [], 0, 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        proc = subprocess.Popen([sys.executable, "-m", "tests.reliability_adversarial", "regexes", "1000",
                                 str(start)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
        current = None
        finished = False
        assert proc.stdout is not None
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], 15.0)
            if not ready:  # one pattern ran 15 s on its ~40 subjects: a hang
                hung.append(current)
                proc.kill()
                break
            line = proc.stdout.readline()
            if not line:
                finished = True
                break
            row = json.loads(line)
            if "begin" in row:
                current = row
                continue
            done += 1
            if row["seconds"] > 1.0:
                slow.append(row)
        proc.wait()
        if finished or current is None:
            break
        start = current["begin"] + 1
    assert done > 100  # the grep found them
    hung = [h for h in hung if not h["pattern"].startswith(BOUNDED)]
    slow = [r for r in slow if not r["pattern"].startswith(BOUNDED)]
    assert hung == [] and slow == [], (hung, slow)
