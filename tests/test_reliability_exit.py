"""Exit codes and errors, the same for every command.

0 done (warnings only), 1 an error was reported (the output still written with what could be read),
2 bad usage or unreadable input (checked before any work), 3 internal error, 130 interrupted (Ctrl-C);
every error one ``bibkit: error: ...`` line.
"""

from __future__ import annotations

import errno
import inspect
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibkit
from bibkit.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SRC = str(ROOT / "src")
TRUNCATED = "@book{a, title = {A Book}, author = {Doe, Jane}, year = 2001}\n@article{b, title = {B"
DUP_KEYS = "@book{k, title = {A}, year = 2001}\n@book{k, title = {B}, year = 2002}\n"
BIB = "@book{k1, title = {A Book}, author = {Doe, Jane}, year = 2001}\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- 6: an error line means exit 1 -------------------------------------------------------------
COMMANDS = {
    "convert": ["convert"],
    "dedupe": ["dedupe"],
    "dedupe-stream": ["dedupe", "--stream"],
    "format": ["format"],
    "enrich": ["enrich", "--offline", "--no-cache"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_error_line_means_exit_1_and_output_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    command: str) -> None:
    """A truncated .bib: the error is reported, what could be read is written, exit 1 (not 0)."""
    monkeypatch.chdir(tmp_path)
    Path("trunc.bib").write_text(TRUNCATED)
    out = "out.txt" if command == "format" else "out.bib"
    res = run(*COMMANDS[command], "trunc.bib", "-o", out)
    assert res.exit_code == 1, res.output
    assert "trunc.bib:2: error:" in res.output
    assert "A Book" in Path(out).read_text()


@pytest.mark.parametrize("command", ["convert", "dedupe", "format"])
def test_warnings_exit_0_and_1_with_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dup.bib").write_text(DUP_KEYS)
    res = run(command, "dup.bib", "-o", "out.txt")
    assert res.exit_code == 0, res.output
    assert "dup.bib:2: warning: duplicate citation key 'k'" in res.output
    assert "0 failed, 1 warnings" in res.output  # a warning is not counted as "failed"
    assert run(command, "dup.bib", "-o", "out.txt", "--strict").exit_code == 1


def test_dedupe_summary_counts_warnings_as_warnings(tmp_path: Path) -> None:
    (tmp_path / "dup.bib").write_text(DUP_KEYS)
    (tmp_path / "trunc.bib").write_text(TRUNCATED)
    res = run("dedupe", str(tmp_path / "dup.bib"), str(tmp_path / "trunc.bib"), "-o", str(tmp_path / "o.bib"))
    assert "bibkit dedupe: 3 read, 3 works, 0 merged groups, 0 review pairs, 1 failed, 1 warnings" in res.output
    assert res.exit_code == 1


# -- 7: outputs checked before any work; a failed write is one line, the old file intact -----------
@pytest.mark.parametrize("args", [
    ["convert", "missing-input.bib", "-o", "nope/out.bib"],
    ["dedupe", "missing-input.bib", "-o", "nope/out.bib"],
    ["dedupe", "missing-input.bib", "-o", "out.bib", "--clusters", "nope/out.bib"],
    ["format", "missing-input.bib", "-o", "nope/out.bib"],
    ["enrich", "missing-input.bib", "-o", "nope/out.bib", "--offline"],
], ids=["convert", "dedupe", "dedupe-clusters", "format", "enrich"])
def test_output_in_missing_directory_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        args: list[str]) -> None:
    """Refused before any input is read (the input does not even exist), exit 2, one line."""
    monkeypatch.chdir(tmp_path)
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert _lines(res.output) == ["bibkit: error: cannot write nope/out.bib: no such directory"]
    assert sorted(os.listdir(tmp_path)) == []


def test_output_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in.bib").write_text(BIB)
    res = run("convert", str(tmp_path / "in.bib"), "-o", str(tmp_path))
    assert res.exit_code == 2 and "is a directory" in res.output and "internal error" not in res.output


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_output_in_unwritable_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in.bib").write_text(BIB)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        res = run("convert", str(tmp_path / "in.bib"), "-o", str(locked / "out.bib"))
    finally:
        locked.chmod(0o700)
    assert res.exit_code == 2
    assert "cannot write" in res.output and "is not writable" in res.output


class _FullDisk:
    """A file whose writes fail as on a full disk once ``room`` characters are written."""

    def __init__(self, fh, room: int = 10):
        self._fh, self._room = fh, room

    def write(self, text: str) -> int:
        if len(text) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(text)
        return self._fh.write(text)

    def __getattr__(self, name: str):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()


@pytest.mark.parametrize("command", ["convert", "dedupe", "format"])
def test_full_disk_is_one_line_exit_1_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       command: str) -> None:
    (tmp_path / "in.bib").write_text(BIB * 3)
    target = tmp_path / "out.bib"
    target.write_text("old content\n")
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(fdopen(*a, **k)))
    res = run(command, str(tmp_path / "in.bib"), "-o", str(target), "-q")
    monkeypatch.undo()
    assert res.exit_code == 1, res.output
    errors = [line for line in _lines(res.output) if "error" in line]
    assert errors == [f"bibkit: error: cannot write {target}: No space left on device; "
                      "the previous file, if any, is unchanged"]
    assert "Traceback" not in res.output
    assert target.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.bib", "out.bib"]  # no temporary file left


def test_full_disk_through_the_api_raises_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(fdopen(*a, **k)))
    with pytest.raises(bibkit.OutputError, match="No space left"):
        bibkit.dump(bibkit.loads(BIB), tmp_path / "out.bib")
    assert list(tmp_path.iterdir()) == []


# -- 8: Ctrl-C: one line, exit 130, workers stopped, no temporary file -----------------------------
def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _big_bib(path: Path, n: int = 8000) -> None:
    with path.open("w") as fh:
        for i in range(n):
            fh.write(f"@article{{k{i}, title = {{A study number {i} of {i % 97} things}}, "
                     f"author = {{Doe{i % 113}, Jane and Roe{i % 71}, Richard}}, journal = {{Journal {i % 13}}}, "
                     f"year = {1950 + i % 70}, pages = {{{i}--{i + 9}}}}}\n")


def _threads(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker ids from /proc (Linux)")
@pytest.mark.parametrize("args", [["dedupe", "--stream", "--jobs", "4"], ["format", "--jobs", "2"]],
                         ids=["dedupe-jobs-4", "format-jobs-2"])
def test_ctrl_c_with_workers_is_one_line_exit_130(tmp_path: Path, args: list[str]) -> None:
    """SIGINT to the whole process group (as a terminal's Ctrl-C) while the workers run (dedupe: the
    threads of its engine, in the one process)."""
    src = tmp_path / "in.bib"
    _big_bib(src)
    out = tmp_path / "out.txt"
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-m", "bibkit", *args, str(src), "-o", str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, text=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        threads = args[0] == "dedupe"
        while time.monotonic() < deadline and proc.poll() is None and (
                _threads(proc.pid) < 4 if threads else len(workers) < 2):
            workers = [] if threads else _children(proc.pid)
            time.sleep(0.02)
        assert _threads(proc.pid) >= 4 if threads else len(workers) >= 2, "the workers never started"
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert [line for line in err.splitlines() if "warning" not in line] == ["bibkit: interrupted"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived the interrupted run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.bib"]  # no output, no temporary file


# -- 9: one error style ----------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["check", "."],  # click's own check of FILES
    ["convert"],  # a missing argument
    ["dedupe", "x.bib", "--jobs", "many"],  # a bad value
    ["format", "x.bib", "--to", "pdf"],  # a bad choice
    ["--bogus"],  # an unknown option of the group
    ["convert", "x.bib", "--bogus"],
], ids=["check-dir", "missing-arg", "bad-int", "bad-choice", "group-option", "command-option"])
def test_usage_errors_are_one_bibkit_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    res = run(*args)
    assert res.exit_code == 2
    lines = _lines(res.output)
    assert len(lines) == 1 and lines[0].startswith("bibkit: error: "), res.output
    assert "Usage:" not in res.output and "Error:" not in res.output


def test_debug_after_the_subcommand(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.bib")
    for args in (["--debug", "convert", missing], ["convert", missing, "--debug"]):
        res = run(*args)
        assert res.exit_code == 2
        assert "Traceback" in res.output and res.output.rstrip().endswith("missing.bib: no such file")
    assert "Traceback" not in run("convert", missing).output


def test_help_examples_name_files_that_exist() -> None:
    text = run("--help").output
    named = re.findall(r"\bexamples/[\w./-]+", text)
    assert named and all((ROOT / name).is_file() for name in named), named


@pytest.mark.parametrize("name", ["pubs.xyz", "pubs"])
def test_dump_without_a_known_suffix_is_an_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(bibkit.UsageError, match="cannot tell the output format"):
        bibkit.dump(bibkit.loads(BIB), tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    bibkit.dump(bibkit.loads(BIB), tmp_path / name, fmt="bibtex")  # naming the format is enough
    assert "A Book" in (tmp_path / name).read_text()


# -- the public API ---------------------------------------------------------------------------------
def test_dir_shows_the_api_only() -> None:
    names = {n for n in dir(bibkit) if not n.startswith("_")}
    assert names == {n for n in bibkit.__all__ if not n.startswith("_")}
    assert not {"os", "re", "Path", "Any", "annotations"} & names


@pytest.mark.parametrize("name", ["dedupe", "enrich"])
def test_public_transforms_have_real_signatures(name: str) -> None:
    import importlib

    importlib.import_module(f"bibkit.{name}")  # the sub-package, callable as the public function
    sig = inspect.signature(getattr(bibkit, name))
    assert not any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    assert sig.return_annotation in ("DedupeResult", "EnrichResult")


@pytest.mark.parametrize("command", ["convert", "dedupe"])
def test_report_names_every_merged_record(tmp_path: Path, command: str) -> None:
    work = "title = {Deep Residual Learning}, author = {He, Kaiming and Sun, Jian}, journal = {J}, year = 2016"
    (tmp_path / "a.bib").write_text(f"@article{{he2016deep, {work}}}\n")
    (tmp_path / "b.bib").write_text(f"\n@article{{HeZRS16, {work}, pages = {{770--778}}}}\n")
    res = run(command, str(tmp_path / "a.bib"), str(tmp_path / "b.bib"), "-o", str(tmp_path / "o.bib"), "--report")
    assert res.exit_code == 0, res.output
    [kept] = bibkit.load(tmp_path / "o.bib").entries
    other, where = ("he2016deep", "a.bib:1") if kept.key == "HeZRS16" else ("HeZRS16", "b.bib:2")
    assert f"{tmp_path / where}: note: {other} merged into {kept.key}" in res.output.splitlines()
