"""Inputs are sacred: no overwrite without --in-place (then a backup), no half-written output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.cli.main import cli

SRC = str(Path(__file__).resolve().parents[1] / "src")
BIB = "@book{k1, title = {A Book}, author = {Doe, Jane}, year = 2001}\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "refs.bib"
    f.write_text(BIB)
    res = run("convert", str(f), "-o", str(f))
    assert res.exit_code == 2
    assert "is also an input; use --in-place" in res.output
    assert f.read_text() == BIB and not (tmp_path / "refs.bib.bak").exists()


def test_in_place_keeps_a_backup(tmp_path: Path) -> None:
    f = tmp_path / "refs.bib"
    f.write_text(BIB)
    res = run("convert", str(f), "-o", str(f), "--in-place", "--rekey")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "refs.bib.bak").read_text() == BIB
    assert "doe2001book" in f.read_text()


def test_in_place_through_another_path_is_detected(tmp_path: Path) -> None:
    f = tmp_path / "refs.bib"
    f.write_text(BIB)
    (tmp_path / "link.bib").symlink_to(f)
    res = run("convert", str(tmp_path / "link.bib"), "-o", str(f))
    assert res.exit_code == 2 and "--in-place" in res.output


@pytest.mark.parametrize("command", ["dedupe", "format"])
def test_other_commands_refuse_to_overwrite_input(tmp_path: Path, command: str) -> None:
    pytest.importorskip(f"bibkit.cli.{command}")
    f = tmp_path / "refs.bib"
    f.write_text(BIB)
    res = run(command, str(f), "-o", str(f))
    assert res.exit_code == 2 and "also an input" in res.output
    assert f.read_text() == BIB


_WRITER = """
import sys
from bibkit.fsio import write_text_atomic
write_text_atomic(sys.argv[1], "x" * (400 * 1024 * 1024))
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_killed_writer_leaves_old_file_or_nothing(tmp_path: Path, sig: int) -> None:
    """Kill a process while it writes a 400 MB output: the target keeps its old content."""
    target = tmp_path / "out.bib"
    target.write_text(BIB)
    env = {**os.environ, "PYTHONPATH": SRC}
    code = _WRITER
    if sig == signal.SIGTERM:  # what the CLI installs in main()
        code = ("import signal\nfrom bibkit.cli.main import _terminate\n"
                "signal.signal(signal.SIGTERM, _terminate)\n" + code)
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], env=env)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            time.sleep(0.005)
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir()), "the writer never started"
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert target.read_text() == BIB  # never half-written
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "out.bib")
    if sig == signal.SIGKILL:  # nothing can clean up after SIGKILL: a hidden .out.bib.*.tmp may remain
        assert all(n.startswith(".out.bib.") and n.endswith(".tmp") for n in left)
    else:
        assert left == []


def test_interrupted_convert_leaves_no_partial_output(tmp_path: Path) -> None:
    """Ctrl-C a real `bibkit convert` at several moments: the output is absent or complete."""
    items = [{"id": f"k{i}", "type": "book", "title": f"Title {i} " + "w" * 200,
              "author": [{"family": "Doe", "given": "J."}], "issued": {"date-parts": [[2000 + i % 20]]}}
             for i in range(6000)]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(items))
    env = {**os.environ, "PYTHONPATH": SRC}
    full = subprocess.run([sys.executable, "-m", "bibkit", "convert", str(src), "-o", str(tmp_path / "full.bib")],
                          env=env, capture_output=True, timeout=120)
    assert full.returncode == 0, full.stderr
    expected = (tmp_path / "full.bib").read_text()
    for delay in (0.5, 1.2, 2.0):
        out = tmp_path / f"out{delay}.bib"
        proc = subprocess.Popen([sys.executable, "-m", "bibkit", "convert", str(src), "-o", str(out)], env=env,
                                stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)  # (Ctrl-C during interpreter start-up prints Python's own traceback)
        assert not out.exists() or out.read_text() == expected
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
