"""The parser never raises on junk and stays fast (linear) on long lists."""

from __future__ import annotations

import random
import time

import pytest

from bibkit.profile import parse_text

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)

JUNK = [
    "", "\n\n\n", "*" * 5000, "[" * 3000 + "]" * 10, "((((" * 500, "<li>" * 2000, "\\item " * 1000,
    "A. " * 3000, ", " * 4000, "“" * 1000 + "”", "**a**" * 2000, "# " + "x" * 10000,
    "\x00\x01\x02 binary \ufffd", "é" * 5000, "Ô¨Å" * 1000, "1. 2. 3. " * 1000,
    "{% if %}" * 200 + "<!--" * 50, "\\textbf{" * 500, "A. Bee, " * 2000 + "Title. In ICML 2020.",
]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "latex"])
def test_never_raises_on_junk(fmt: str) -> None:
    for text in JUNK:
        t = time.process_time()
        res = parse_text(text, fmt=fmt)
        assert time.process_time() - t < 5, (fmt, text[:30])
        assert all(e.title for e in res.entries)


def test_random_text_does_not_raise() -> None:
    rnd = random.Random(7)
    alphabet = "abcXYZ .,;:()[]\"'“”*-_#\\{}<>/&1290\n\tüé—💡"
    for _ in range(25):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 800)))
        for fmt in ("text", "markdown", "html", "latex"):
            parse_text(text, fmt=fmt)


def _page(n: int) -> str:
    rnd = random.Random(1)
    first = ["Wei", "Anna", "Jürgen", "José", "Li", "Maria", "John", "Akira", "Olga", "Chen"]
    last = ["Zhang", "Müller", "García", "Smith", "Wang", "Tanaka", "Ivanova", "Brown", "Nguyen", "Rossi"]
    venues = ["In NeurIPS 2023.", "IEEE Transactions on Parallel and Distributed Systems, 34(2):100-115, 2022.",
              "arXiv preprint arXiv:2301.01234, 2023.", "Nature 521, 436–444 (2015)."]
    words = ["Learning", "Efficient", "Graph", "Neural", "Systems", "for", "of", "Scalable", "Robust", "Models"]
    out = ["# Publications", ""]
    for i in range(n):
        au = ", ".join(f"{rnd.choice(first)} {rnd.choice(last)}" for _ in range(rnd.randint(1, 6)))
        title = " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 10))).capitalize()
        out.append(f"- {au}. {title} {i}. {rnd.choice(venues)}")
    return "\n".join(out)


def test_speed_and_linearity() -> None:
    small, big = _page(200), _page(1000)
    parse_text(small[:2000], fmt="markdown")  # warm caches and imports
    t = time.process_time()
    res = parse_text(small, fmt="markdown")
    t_small = time.process_time() - t
    assert len(res.entries) == 200
    assert t_small < 0.6  # measured ~0.2 s of CPU on the development machine
    t = time.process_time()
    res = parse_text(big, fmt="markdown")
    t_big = time.process_time() - t
    assert len(res.entries) == 1000
    assert t_big < 8 * t_small + 0.5  # linear: 5x the entries, well under 8x the time
