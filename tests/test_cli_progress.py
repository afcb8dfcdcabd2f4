"""Progress of long work: bars on stderr when it is a terminal (a pseudo-terminal here), none through a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import random
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

import bibkit
from bibkit.progress import RecordingProgress, reporting

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("reading", "blocking", "comparing", "merging", "writing")


def synthetic_bib(n: int, seed: int = 7) -> str:
    """``n`` BibTeX records of made-up works, about a fifth of them a second record of a work (the title in
    capitals, the pages with a single hyphen)."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ra", "tu", "vi", "so", "pe", "da", "gri", "mon", "tel", "bar", "sen"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))

    families = [word().title() for _ in range(3000)]
    records: list[str] = []
    work = 0
    while len(records) < n:
        title = " ".join(word() for _ in range(rng.randint(5, 9))).capitalize()
        authors = " and ".join(f"{rng.choice(families)}, {word().title()}" for _ in range(rng.randint(1, 5)))
        year, first, volume = rng.randint(1980, 2024), rng.randint(1, 3000), rng.randint(1, 99)
        venue = f"Journal of {word().title()}"
        for copy in range(2 if rng.random() < 0.25 else 1):
            records.append(f"@article{{w{work}c{copy},\n  author = {{{authors}}},\n"
                           f"  title = {{{title.upper() if copy else title}}},\n  journal = {{{venue}}},\n"
                           f"  year = {{{year}}},\n  volume = {{{volume}}},\n"
                           f"  pages = {{{first}{'-' if copy else '--'}{first + 9}}}\n}}\n")
        work += 1
    return "\n".join(records[:n])


def _run(args: list[str], tty: bool, cwd: Path, delay: str | None = "0") -> tuple[int, str]:
    """Run ``bibkit ARGS`` with stderr on a pseudo-terminal (``tty``) or a pipe; (exit code, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100"}
    env.pop("BIBKIT_PROGRESS_DELAY", None)
    if delay is not None:
        env["BIBKIT_PROGRESS_DELAY"] = delay
    command = [sys.executable, "-m", "bibkit", *args]
    if not tty:
        proc = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        return proc.returncode, proc.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    proc_ = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc_.wait(), b"".join(chunks).decode("utf-8", "replace")


def _bar_lines(stderr: str) -> dict[str, list[str]]:
    """The states of each stage's bar: '<stage>: 40%|...| 400/1000 [00:01<00:02, 312.5 entries/s]'."""
    found: dict[str, list[str]] = {}
    for part in re.split(r"[\r\n]+", stderr):
        m = re.search(r"(\w+): +\d+%\|.*\| *\d+/\d+ \[[\d:]+<[\d:?]+, *[\d.?]+ ?\w*/s\]", part)
        if m:
            found.setdefault(m.group(1), []).append(part)
    return found


def _check_dedupe_progress(tmp_path: Path, n: int, options: bool = True) -> None:
    (tmp_path / "big.bib").write_text(synthetic_bib(n), encoding="utf-8")
    args = ["dedupe", "big.bib", "-o", "out.bib"]
    code, stderr = _run(args, tty=True, cwd=tmp_path)
    assert code == 0, stderr
    bars = _bar_lines(stderr)
    assert set(STAGES) <= set(bars), stderr[-2000:]
    assert any(f" {n}/{n} " in line for line in bars["reading"])  # items done / total, rate, time left
    assert f"bibkit dedupe: {n} read" in stderr
    code, piped = _run(args, tty=False, cwd=tmp_path)
    assert code == 0 and not _bar_lines(piped) and "%|" not in piped
    assert piped.strip().splitlines() == [f"bibkit dedupe: {n} read, " + piped.split(" read, ", 1)[1].strip()]
    if not options:
        return
    code, quiet = _run([*args, "-q"], tty=True, cwd=tmp_path)
    assert code == 0 and quiet.strip() == ""
    code, forced = _run([*args, "--progress"], tty=False, cwd=tmp_path, delay=None)
    assert code == 0 and set(STAGES) <= set(_bar_lines(forced))


@pytest.mark.slow
def test_progress_of_a_50000_entry_dedupe_on_a_terminal_only(tmp_path: Path) -> None:
    _check_dedupe_progress(tmp_path, 50_000, options=False)


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    """The same on 1,000 entries, with the 2 s delay set to 0 (the default run)."""
    _check_dedupe_progress(tmp_path, 1_000)


def test_quick_work_on_a_terminal_shows_nothing(tmp_path: Path) -> None:
    (tmp_path / "small.bib").write_text(synthetic_bib(20), encoding="utf-8")
    code, stderr = _run(["convert", "small.bib", "-o", "out.json"], tty=True, cwd=tmp_path, delay=None)
    assert code == 0 and "%|" not in stderr


def test_api_stages_reported_to_the_progress_in_force() -> None:
    entries = bibkit.loads(synthetic_bib(300)).entries
    with reporting(RecordingProgress()) as seen:
        res = bibkit.dedupe(entries)
    names = [name for name, _, _ in seen.stages]
    assert names == ["blocking", "comparing", "merging"]
    assert seen.stages[0] == ("blocking", 300, 300) and seen.stages[2][1:] == (len(res.entries),) * 2
    assert seen.stages[1][1] == seen.stages[1][2] >= 1  # every batch of comparisons
    with reporting(RecordingProgress()) as seen:
        bibkit.loads(synthetic_bib(300))
    assert seen.stages == [("reading", 300, 300)]
    from bibkit.format import Formatter

    with reporting(RecordingProgress()) as seen:
        Formatter("ieee", cache=False, workers=1).bibliography(entries[:50])
    assert ("rendering", 50, 50) in seen.stages


def test_streaming_dedupe_reports_its_stages_once_per_file(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(synthetic_bib(400, seed=1), encoding="utf-8")
    (tmp_path / "b.bib").write_text(synthetic_bib(300, seed=2), encoding="utf-8")
    code, stderr = _run(["dedupe", "a.bib", "b.bib", "-o", "out.bib", "--stream", "--progress"], tty=False,
                        cwd=tmp_path, delay=None)
    assert code == 0, stderr
    bars = _bar_lines(stderr)
    assert {"reading", "comparing", "writing"} <= set(bars)
    finished = [line for line in bars["reading"] if "100%" in line]
    assert len({re.search(r"\d+/(\d+)", line).group(1) for line in finished}) == 2  # a bar per file
